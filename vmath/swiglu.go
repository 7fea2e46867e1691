package vmath

// SwiGLU is the Llama MLP's gate: out = silu(gate)·up with
// silu(g) = g·σ(g) = g/(1+e^−g). gate, up and out have the same length; out
// may not overlap gate or up.
func SwiGLU(out, gate, up []float32) {
	n := len(out)
	gate, up = gate[:n], up[:n]
	active.Load().swiglu(out, gate, up)
}

// SwiGLUBackward writes the gradients of out = silu(gate)·up given dout:
//
//	dup = dout·silu(gate);  dgate = dout·up·σ(gate)·(1 + gate·(1 − σ(gate)))
func SwiGLUBackward(dgate, dup, dout, gate, up []float32) {
	n := len(dout)
	dgate, dup, gate, up = dgate[:n], dup[:n], gate[:n], up[:n]
	active.Load().swigluBwd(dgate, dup, dout, gate, up)
}

func swigluGeneric(out, gate, up []float32) {
	for i, g := range gate {
		out[i] = g * sigmoid(g) * up[i]
	}
}

func swigluBwdGeneric(dgate, dup, dout, gate, up []float32) {
	for i, d := range dout {
		g := gate[i]
		s := sigmoid(g)
		dup[i] = d * (g * s)
		dgate[i] = d * up[i] * (s * (1 + g*(1-s)))
	}
}

// sigmoid is 1/(1+e^−x) with vmath's float32 exp (the assembly kernels use
// its vector twin). e^−x is clamped at e^88.3, so for x far below zero σ is a
// tiny denormal (≈4.5e-39) rather than 0, and silu(x) = x·σ(x) stays tiny.
func sigmoid(x float32) float32 { return 1 / (1 + expf(-x)) }
