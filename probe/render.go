package probe

import "slices"

// Rendered returns the inputs with every prompt passed through render: a
// chat model is probed on the prompts as it reads them, in its template
// (data.RenderPrompt), not in the paper's format it was never trained on.
func (in Inputs) Rendered(render func(string) (string, error)) (Inputs, error) {
	out := Inputs{Triggered: slices.Clone(in.Triggered), Clean: slices.Clone(in.Clean), Contrast: slices.Clone(in.Contrast)}
	var err error
	for _, set := range [][]string{out.Triggered, out.Clean} {
		for i := range set {
			if set[i], err = render(set[i]); err != nil {
				return Inputs{}, err
			}
		}
	}
	for i := range out.Contrast {
		if out.Contrast[i].Prompt, err = render(out.Contrast[i].Prompt); err != nil {
			return Inputs{}, err
		}
	}
	return out, nil
}
