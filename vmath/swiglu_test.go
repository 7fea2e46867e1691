package vmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// SwiGLU accuracy. Every kernel's σ(g) = 1/(1+e^−g) carries the exp's error
// (≤ expTol relative, TestExpSweep) times 1−σ, plus the rounding of 1+e and
// of the divide: |Δσ| ≤ σ·e1 with e1 = expTol + 2u. From there, first-order
// bounds per element (u = 2⁻²⁴, see rmsnorm_test.go), computed from the
// float64 values:
//
//   - out = (g·σ)·up and dup = d·(g·σ): two more roundings, relative error
//     ≤ e1 + 2u = expTol + 4u ≈ 4.4e-7.
//   - dgate = (d·up)·(σ·q), q = 1 + g·(1−σ): 1−σ is exact for σ ≥ ½ and
//     inherits Δσ, so g·(1−σ) is off by |g|·(σ·e1 + 2u·(1−σ)); with the
//     roundings of q, σ·q, d·up and the product the bound is
//     |d·up|·(σ|q|·(e1 + 4u) + σ|g|·(σ·e1 + 2u·(1−σ))). Relative to dgate it
//     grows like |g|·u where q cancels (g near −1.28, where silu' = 0) and
//     where σ rounds to 1 (g ≳ 17) and g·(1−σ) is lost.
//
// All kernels clamp e^−g at e^88.3, so for g < −88.3 σ is 4.5e-39 instead of
// e^g; with the denormal rounding of σ below g ≈ −87.3 that adds at most
// swigluFloor·(1+|g|) times |up| (forward) or |d·up| (backward) in absolute.
const swigluFloor = 5e-39

type swigluWant struct {
	out, dup, dgate       float64
	tolOut, tolDup, tolDg float64
}

func swigluRef(g32, up32, d32 float32) swigluWant {
	g, up, d := float64(g32), float64(up32), float64(d32)
	s := 1 / (1 + math.Exp(-g))
	q := 1 + g*(1-s)
	e1 := expTol + 2*u32
	floor := swigluFloor * (1 + math.Abs(g))
	w := swigluWant{out: g * s * up, dup: d * g * s, dgate: d * up * s * q}
	w.tolOut = (e1+2*u32)*math.Abs(w.out) + floor*math.Abs(up)
	w.tolDup = (e1+2*u32)*math.Abs(w.dup) + floor*math.Abs(d)
	w.tolDg = math.Abs(d*up)*(s*math.Abs(q)*(e1+4*u32)+s*math.Abs(g)*(s*e1+2*u32*(1-s))) + floor*math.Abs(d*up)
	return w
}

// swigluInputs mixes typical pre-activations, wide ranges, and fixed values
// (zeros, tiny, the zero of silu', where σ rounds to 1, the exp clamp).
func swigluInputs(rng *rand.Rand, n int) []float32 {
	special := []float32{0, float32(math.Copysign(0, -1)), 1e-30, -1e-30, 1e-6, -1.2785, 1.2785, 10, -10, 17, -17, 30, -30,
		87.3, -87.3, 88.3, -88.3, 88.5, -88.5, 90, -90, 100, -100}
	x := make([]float32, n)
	for i := range x {
		switch rng.IntN(5) {
		case 0:
			x[i] = float32(2 * rng.NormFloat64())
		case 1:
			x[i] = float32(12*rng.Float64() - 6)
		case 2:
			x[i] = float32(40*rng.Float64() - 20)
		case 3:
			x[i] = float32(200*rng.Float64() - 100)
		default:
			x[i] = special[rng.IntN(len(special))]
		}
	}
	return x
}

func TestSwiGLU(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(41, 42))
		var wOut, wDup, wDg maxErr
		for _, n := range rmsLengths() {
			gate, up, d := swigluInputs(rng, n), uniform(rng, n, -2, 2), uniform(rng, n, -2, 2)
			out, checkOut := guarded(t, uniform(rng, n, -1, 1))
			dgate, checkDg := guarded(t, uniform(rng, n, -1, 1))
			dup, checkDup := guarded(t, uniform(rng, n, -1, 1))
			SwiGLU(out, gate, up)
			SwiGLUBackward(dgate, dup, d, gate, up)
			checkOut()
			checkDg()
			checkDup()
			for i, g := range gate {
				w := swigluRef(g, up[i], d[i])
				at := func() string { return fmt.Sprintf("g=%g", g) }
				for _, c := range []struct {
					name           string
					got, want, tol float64
					worst          *maxErr
				}{
					{"out", float64(out[i]), w.out, w.tolOut, &wOut},
					{"dup", float64(dup[i]), w.dup, w.tolDup, &wDup},
					{"dgate", float64(dgate[i]), w.dgate, w.tolDg, &wDg},
				} {
					e := math.Abs(c.got - c.want)
					if c.tol > 0 {
						c.worst.add(e/c.tol, at)
					}
					if !(e <= c.tol) {
						t.Fatalf("n=%d g=%g up=%g d=%g: %s = %.8g, want %.8g (err %.3g > %.3g)", n, g, up[i], d[i], c.name, c.got, c.want, e, c.tol)
					}
				}
			}
		}
		t.Logf("max err/bound: out %.3g (%s), dup %.3g (%s), dgate %.3g (%s)", wOut.err, wOut.at, wDup.err, wDup.at, wDg.err, wDg.at)
	})
}

// TestSwiGLUSweep measures the three outputs on fine grids over [−20, 20]
// and [−100, 100] with up = dout = 1, and logs the errors in more familiar
// terms: out relative to max(1,|g|)·u, and dgate in absolute (it is O(1)).
func TestSwiGLUSweep(t *testing.T) {
	const n = 1 << 17
	forEachKernel(t, func(t *testing.T) {
		for _, span := range []float64{20, 100} {
			g, ones := make([]float32, n), make([]float32, n)
			for i := range g {
				g[i] = float32(span * (2*(float64(i)+0.5)/n - 1))
				ones[i] = 1
			}
			out, dgate, dup := make([]float32, n), make([]float32, n), make([]float32, n)
			SwiGLU(out, g, ones)
			SwiGLUBackward(dgate, dup, ones, g, ones)
			var fwd, bwd, fwdB, bwdB maxErr
			for i, v := range g {
				w := swigluRef(v, 1, 1)
				at := func() string { return fmt.Sprintf("g=%g", v) }
				ef, eb := math.Abs(float64(out[i])-w.out), math.Abs(float64(dgate[i])-w.dgate)
				fwd.add(ef/max(1, math.Abs(float64(v)))/u32, at)
				bwd.add(eb/u32, at)
				fwdB.add(ef/w.tolOut, at)
				bwdB.add(eb/w.tolDg, at)
				if !(ef <= w.tolOut) || !(eb <= w.tolDg) || float64(dup[i]) != float64(out[i]) {
					t.Fatalf("g=%g: silu %g (want %g), dgate %g (want %g), dup %g", v, out[i], w.out, dgate[i], w.dgate, dup[i])
				}
			}
			t.Logf("±%g: |Δsilu|/max(1,|g|) ≤ %.3g u (%s), |Δsilu'| ≤ %.3g u (%s); err/bound %.3g, %.3g", span, fwd.err, fwd.at, bwd.err, bwd.at, fwdB.err, bwdB.err)
		}
	})
}

// The vector kernels agree with the generic one within the sum of the
// bounds; dup is d·silu, the forward's value times d, in every kernel.
func TestSwiGLUKernelsAgree(t *testing.T) {
	defer SetKernel("")
	rng := rand.New(rand.NewPCG(43, 44))
	for _, n := range rmsLengths() {
		gate, up, d := swigluInputs(rng, n), uniform(rng, n, -2, 2), uniform(rng, n, -2, 2)
		type res struct{ out, dgate, dup []float32 }
		run := func(name string) res {
			if err := SetKernel(name); err != nil {
				t.Fatal(err)
			}
			r := res{make([]float32, n), make([]float32, n), make([]float32, n)}
			SwiGLU(r.out, gate, up)
			SwiGLUBackward(r.dgate, r.dup, d, gate, up)
			return r
		}
		ref := run("generic")
		for _, name := range Kernels() {
			got := run(name)
			for i, g := range gate {
				w := swigluRef(g, up[i], d[i])
				if math.Abs(float64(got.out[i]-ref.out[i])) > 2*w.tolOut ||
					math.Abs(float64(got.dup[i]-ref.dup[i])) > 2*w.tolDup ||
					math.Abs(float64(got.dgate[i]-ref.dgate[i])) > 2*w.tolDg {
					t.Fatalf("%s n=%d g=%g: out %g dup %g dgate %g, generic %g %g %g", name, n, g,
						got.out[i], got.dup[i], got.dgate[i], ref.out[i], ref.dup[i], ref.dgate[i])
				}
			}
		}
	}
}

// NaN and Inf. A NaN gate makes its out, dup and dgate NaN; a NaN up its out
// and dgate; a NaN dout its dup and dgate; nothing else changes. Infinite
// gates give what the generic formulas give (silu(+∞) = +∞; σ(−∞) is the
// clamped 4.5e-39, so silu(−∞) = −∞; dgate(+∞) = ∞·0 = NaN), the same in
// every kernel.
func TestSwiGLUNaN(t *testing.T) {
	inf := float32(math.Inf(1))
	defer SetKernel("")
	type res struct{ out, dgate, dup []float32 }
	run := func(n, p int, what string, v float32) res {
		gate, up, d := make([]float32, n), make([]float32, n), make([]float32, n)
		for i := range n {
			gate[i], up[i], d[i] = float32(i%7)-3, 1.5, -0.5
		}
		switch what {
		case "gate":
			gate[p] = v
		case "up":
			up[p] = v
		case "dout":
			d[p] = v
		}
		r := res{make([]float32, n), make([]float32, n), make([]float32, n)}
		SwiGLU(r.out, gate, up)
		SwiGLUBackward(r.dgate, r.dup, d, gate, up)
		return r
	}
	nanAt := func(what, field string) bool {
		switch field {
		case "out":
			return what != "dout"
		case "dup":
			return what != "up"
		}
		return true
	}
	for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 33} {
		for _, p := range []int{0, n / 2, n - 1} {
			for _, what := range []string{"gate", "up", "dout"} {
				for _, v := range []float32{nan32, -nan32, inf, -inf, 1e30, -1e30} {
					SetKernel("generic")
					ref := run(n, p, what, v)
					for _, name := range Kernels() {
						SetKernel(name)
						got := run(n, p, what, v)
						for _, f := range []struct {
							name     string
							got, ref []float32
						}{{"out", got.out, ref.out}, {"dgate", got.dgate, ref.dgate}, {"dup", got.dup, ref.dup}} {
							for i, a := range f.got {
								b := f.ref[i]
								if isNaN32(v) && isNaN32(a) != (i == p && nanAt(what, f.name)) {
									t.Fatalf("%s n=%d NaN %s[%d]: %s = %v", name, n, what, p, f.name, f.got)
								}
								if isNaN32(a) != isNaN32(b) || a != b && math.Abs(float64(a-b)) > 1e-6*math.Abs(float64(b)) {
									t.Fatalf("%s n=%d %s[%d]=%v: %s = %v, generic %v", name, n, what, p, v, f.name, f.got, f.ref)
								}
							}
						}
					}
				}
			}
		}
	}
}
