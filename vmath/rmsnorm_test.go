package vmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The RMSNorm tests compare every kernel with the formulas evaluated in
// float64 on the float32 inputs. The tolerances are first-order rounding
// error bounds in units of u = 2⁻²⁴ (half an ulp of 1), worst case over any
// summation order, so they hold for every kernel (and the FMA variants of
// the vector ones, which round less often):
//
//   - Σx² of n positive terms: relative error ≤ (n+1)u; the divide, eps add,
//     square root and reciprocal add 4u, the square root halves what it
//     is given: rstd within (n/2 + 4)u; out = x·rstd·w two more roundings.
//   - backward: the element-wise part rounds at most 4 times, 4u·(|di₀| +
//     |r·g| + |x·k|); k = r³·Σ(g·x)/n carries (n+5)u·r³·Σ|g·x|/n (a sum of
//     signed terms is only bounded relative to the sum of magnitudes).
//   - grad accumulation: three roundings, 3u·(|gw₀| + |d·x·r|).
//
// The tests log the worst error seen in those units.
const u32 = 0x1p-24

// rmsLengths are the lengths the brief names (0, 1, 15, 16, 17, 31, 33,
// 100, 577, 1536) on top of every tail of both vector widths (testLengths).
func rmsLengths() []int { return append(testLengths(), 100, 577, 1536) }

// rmsInputs returns x of length n: normal with a per-row scale (RMSNorm sees
// rows of very different size), sometimes with a zero or a large outlier.
func rmsInputs(rng *rand.Rand, n int) []float32 {
	scale := math.Pow(10, 4*rng.Float64()-2)
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(scale * rng.NormFloat64())
		switch rng.IntN(50) {
		case 0:
			x[i] = 0
		case 1:
			x[i] *= 30
		}
	}
	return x
}

func rstdRef(x []float32, eps float32) float64 {
	var ss float64
	for _, v := range x {
		ss += float64(v) * float64(v)
	}
	return 1 / math.Sqrt(ss/float64(len(x))+float64(eps))
}

func TestRMSNormRow(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(31, 32))
		var worstR, worstO maxErr
		for _, n := range rmsLengths()[1:] {
			for _, alias := range []bool{false, true} {
				x, w := rmsInputs(rng, n), uniform(rng, n, 0.5, 1.5)
				eps := float32(1e-5)
				if rng.IntN(2) == 0 {
					eps = 1e-6
				}
				x0 := append([]float32(nil), x...)
				want := rstdRef(x0, eps)
				out, check := guarded(t, uniform(rng, n, -1, 1))
				if alias {
					out, check = guarded(t, x)
					x = out
				}
				r := RMSNormRow(out, x, w, eps)
				check()
				tolR := (float64(n)/2 + 4) * u32
				e := math.Abs(float64(r)-want) / want
				worstR.add(e/u32, func() string { return fmt.Sprintf("n=%d", n) })
				if !(e <= tolR) {
					t.Fatalf("n=%d alias=%v: rstd %v, want %v (rel err %.3g > %.3g)", n, alias, r, want, e, tolR)
				}
				for c := range n {
					ref := float64(x0[c]) * want * float64(w[c])
					e := math.Abs(float64(out[c]) - ref)
					if ref != 0 {
						e /= math.Abs(ref)
					}
					worstO.add(e/u32, func() string { return fmt.Sprintf("n=%d c=%d", n, c) })
					if !(e <= tolR+2*u32) {
						t.Fatalf("n=%d alias=%v c=%d: out %v, want %v", n, alias, c, out[c], ref)
					}
				}
			}
		}
		t.Logf("max rel err in u: rstd %.3g (%s), out %.3g (%s)", worstR.err, worstR.at, worstO.err, worstO.at)
		// An empty row has no mean square: every kernel returns the
		// generic's NaN (0/0).
		if r := RMSNormRow(nil, nil, nil, 1e-5); !isNaN32(r) {
			t.Errorf("empty row: rstd %v, want NaN", r)
		}
	})
}

// rmsBwdRef returns RMSNormBackwardRow's result in float64 and the error
// bound of each element (see the top of the file).
func rmsBwdRef(di0, d, x, w []float32, r float32) (want, tol []float64) {
	n := len(x)
	var dot, dotAbs float64
	for c := range n {
		gx := float64(d[c]) * float64(w[c]) * float64(x[c])
		dot += gx
		dotAbs += math.Abs(gx)
	}
	r64 := float64(r)
	k := r64 * r64 * r64 * dot / float64(n)
	kErr := float64(n+5) * u32 * r64 * r64 * r64 * dotAbs / float64(n)
	want, tol = make([]float64, n), make([]float64, n)
	for c := range n {
		a, b, cc := float64(di0[c]), r64*float64(d[c])*float64(w[c]), float64(x[c])*k
		want[c] = a + b - cc
		tol[c] = 4*u32*(math.Abs(a)+math.Abs(b)+math.Abs(cc)) + math.Abs(float64(x[c]))*kErr
	}
	return want, tol
}

func TestRMSNormBackward(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(33, 34))
		var worstDi, worstGw maxErr
		for _, n := range rmsLengths() {
			x, d, w := rmsInputs(rng, n), uniform(rng, n, -1, 1), uniform(rng, n, 0.5, 1.5)
			r := float32(1)
			if n > 0 {
				r = float32(rstdRef(x, 1e-5))
			}
			di0, gw0 := uniform(rng, n, -1, 1), uniform(rng, n, -1, 1)
			wantDi, tolDi := rmsBwdRef(di0, d, x, w, r)
			di, checkDi := guarded(t, di0)
			gw, checkGw := guarded(t, gw0)
			RMSNormBackwardRow(di, d, x, w, r)
			RMSNormGradAccum(gw, d, x, r)
			checkDi()
			checkGw()
			for c := range n {
				e := math.Abs(float64(di[c]) - wantDi[c])
				worstDi.add(e/tolDi[c], func() string { return fmt.Sprintf("n=%d c=%d", n, c) })
				if !(e <= tolDi[c]) {
					t.Fatalf("n=%d c=%d: di %v, want %v (err %.3g > %.3g)", n, c, di[c], wantDi[c], e, tolDi[c])
				}
				p := float64(d[c]) * float64(x[c]) * float64(r)
				mag := math.Abs(float64(gw0[c])) + math.Abs(p)
				want := float64(gw0[c]) + p
				e = math.Abs(float64(gw[c]) - want)
				worstGw.add(e/u32/mag, func() string { return fmt.Sprintf("n=%d c=%d", n, c) })
				if !(e <= 3*u32*mag) {
					t.Fatalf("n=%d c=%d: gw %v, want %v", n, c, gw[c], want)
				}
			}
		}
		t.Logf("di: max err/bound %.3g (%s); gw: max err %.3g u·(|gw₀|+|d·x·r|) (%s)", worstDi.err, worstDi.at, worstGw.err, worstGw.at)
	})
}

// The sums depend only on the values and len(x): a row copied to another
// alignment gives the same bits, call after call. RMSNormGradAccum gives the
// same bits however the columns are split into calls (the tail of a call
// must round like its body).
func TestRMSNormDeterministic(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(35, 36))
		for _, n := range []int{1, 7, 17, 100, 577, 1536} {
			x, w, d := rmsInputs(rng, n), uniform(rng, n, 0.5, 1.5), uniform(rng, n, -1, 1)
			out := make([]float32, n)
			r := RMSNormRow(out, x, w, 1e-5)
			di := make([]float32, n)
			RMSNormBackwardRow(di, d, x, w, r)
			for off := 1; off < 16; off += 5 {
				xb, db := make([]float32, n+off), make([]float32, n+off)
				copy(xb[off:], x)
				copy(db[off:], d)
				out2, di2 := make([]float32, n), make([]float32, n)
				r2 := RMSNormRow(out2, xb[off:], w, 1e-5)
				RMSNormBackwardRow(di2, db[off:], xb[off:], w, r)
				if r2 != r || !sameBits(out, out2) || !sameBits(di, di2) {
					t.Fatalf("n=%d offset %d: results changed with the alignment", n, off)
				}
			}
			whole := make([]float32, n)
			RMSNormGradAccum(whole, d, x, r)
			for range 5 {
				split := make([]float32, n)
				for lo := 0; lo < n; {
					hi := min(n, lo+1+rng.IntN(40))
					RMSNormGradAccum(split[lo:hi], d[lo:hi], x[lo:hi], r)
					lo = hi
				}
				if !sameBits(whole, split) {
					t.Fatalf("n=%d: RMSNormGradAccum depends on the column split", n)
				}
			}
		}
	})
}

// The vector kernels agree with the generic one within the sum of their
// bounds (each is within its bound of the float64 value).
func TestRMSNormKernelsAgree(t *testing.T) {
	defer SetKernel("")
	rng := rand.New(rand.NewPCG(37, 38))
	for _, n := range rmsLengths()[1:] {
		x, w, d := rmsInputs(rng, n), uniform(rng, n, 0.5, 1.5), uniform(rng, n, -1, 1)
		r := float32(rstdRef(x, 1e-5))
		_, tolDi := rmsBwdRef(make([]float32, n), d, x, w, r)
		type res struct {
			r           float32
			out, di, gw []float32
		}
		run := func(name string) res {
			if err := SetKernel(name); err != nil {
				t.Fatal(err)
			}
			out, di, gw := make([]float32, n), make([]float32, n), make([]float32, n)
			rr := RMSNormRow(out, x, w, 1e-5)
			RMSNormBackwardRow(di, d, x, w, r)
			RMSNormGradAccum(gw, d, x, r)
			return res{rr, out, di, gw}
		}
		ref := run("generic")
		for _, name := range Kernels() {
			got := run(name)
			tol := 2 * (float64(n)/2 + 6) * u32
			if e := math.Abs(float64(got.r-ref.r)) / float64(ref.r); !(e <= tol) {
				t.Fatalf("%s n=%d: rstd %v, generic %v", name, n, got.r, ref.r)
			}
			for c := range n {
				if e := math.Abs(float64(got.out[c] - ref.out[c])); !(e <= tol*math.Abs(float64(ref.out[c]))) {
					t.Fatalf("%s n=%d c=%d: out %v, generic %v", name, n, c, got.out[c], ref.out[c])
				}
				if e := math.Abs(float64(got.di[c] - ref.di[c])); !(e <= 2*tolDi[c]) {
					t.Fatalf("%s n=%d c=%d: di %v, generic %v", name, n, c, got.di[c], ref.di[c])
				}
				if e := math.Abs(float64(got.gw[c] - ref.gw[c])); !(e <= 4*u32*math.Abs(float64(ref.gw[c]))) {
					t.Fatalf("%s n=%d c=%d: gw %v, generic %v", name, n, c, got.gw[c], ref.gw[c])
				}
			}
		}
	}
}

// NaN and Inf. A NaN in x or w reaches the sum Σ(d·w·x), so it makes the
// whole input gradient NaN; a NaN in x also makes rstd and every output NaN;
// a NaN in a per-element operand (w in the forward, d in the gain gradient,
// di) only its own element. An infinite x makes rstd 0, its own output NaN
// (∞·0) and the others zero. Every kernel matches the generic one's pattern
// and values, and nothing leaks into or out of the masked tail.
func TestRMSNormNaN(t *testing.T) {
	inf := float32(math.Inf(1))
	type row struct{ r, out, di, gw []float32 }
	run := func(n, p int, what string, v float32) row {
		x, w, d := make([]float32, n), make([]float32, n), make([]float32, n)
		di, gw := make([]float32, n), make([]float32, n)
		for i := range n {
			x[i], w[i], d[i] = float32(i%5)-2.5, 1, 0.5
		}
		switch what {
		case "x":
			x[p] = v
		case "w":
			w[p] = v
		case "d":
			d[p] = v
		case "di":
			di[p] = v
		}
		out := make([]float32, n)
		r := RMSNormRow(out, x, w, 1e-5)
		RMSNormBackwardRow(di, d, x, w, 0.5)
		RMSNormGradAccum(gw, d, x, 0.5)
		return row{[]float32{r}, out, di, gw}
	}
	// nanAt says which elements a NaN in what at p must make NaN.
	nanAt := func(what, field string, p, i int) bool {
		switch field {
		case "r", "out":
			return what == "x" || what == "w" && field == "out" && i == p
		case "di":
			return what == "x" || what == "w" || what == "d" || i == p && what == "di"
		default: // gw += d·x·r
			return i == p && (what == "x" || what == "d")
		}
	}
	defer SetKernel("")
	for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 33, 100} {
		for _, p := range []int{0, n / 2, n - 1} {
			for _, what := range []string{"x", "w", "d", "di"} {
				for _, v := range []float32{nan32, inf, -inf} {
					SetKernel("generic")
					ref := run(n, p, what, v)
					for _, name := range Kernels() {
						SetKernel(name)
						got := run(n, p, what, v)
						for _, f := range []struct {
							name     string
							got, ref []float32
						}{{"r", got.r, ref.r}, {"out", got.out, ref.out}, {"di", got.di, ref.di}, {"gw", got.gw, ref.gw}} {
							for i, a := range f.got {
								b := f.ref[i]
								if isNaN32(v) && isNaN32(a) != nanAt(what, f.name, p, i) {
									t.Fatalf("%s n=%d NaN %s[%d]: %s = %v", name, n, what, p, f.name, f.got)
								}
								if isNaN32(a) != isNaN32(b) || a != b && math.Abs(float64(a-b)) > 1e-5*math.Abs(float64(b)) {
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

func allNaN(x []float32) bool {
	for _, v := range x {
		if !isNaN32(v) {
			return false
		}
	}
	return true
}

func sameBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}
