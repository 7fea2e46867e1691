package vmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// RotateHalves accuracy. Every kernel computes a' = fl(fl(x·c) − fl(y·s))
// and b' = fl(fl(y·c) + fl(x·s)) (no FMA), so the error against the float64
// value p − q (p = x·c, q = y·s: exact in float64, 24×24 bits) is at most
//
//	u·(1+u)·(|p| + |q|) + u·|p − q| + 2⁻¹⁴⁸
//
// with u = 2⁻²⁴: each product rounds by u relative or, if it underflows,
// by 2⁻¹⁵⁰ absolute; the difference rounds by u relative to itself (a
// subnormal difference is exact). Relative to the result this is large only
// where p and q cancel, as for any rotation evaluated this way. The float64
// reference rounds p − q once more, by 2⁻⁵³ relative, which the bound also
// allows. On top of the bound, the vector kernels must give exactly the
// generic kernel's bits (TestRotateHalvesKernelsAgree).
func rotTol(p, q float64) float64 {
	return u32*(1+u32)*(math.Abs(p)+math.Abs(q)) + (u32+0x1p-53)*math.Abs(p-q) + 0x1p-148
}

// ropeInputs returns the halves x, y and the tables c, s for n pairs: halves
// of varying scale with zeros, subnormals and large values; tables mostly the
// cos and sin of one angle (as Llama's are), sometimes arbitrary values.
func ropeInputs(rng *rand.Rand, n int) (x, y, c, s []float32) {
	half := func() []float32 {
		special := []float32{0, float32(math.Copysign(0, -1)), 1e-40, -1e-40, 1e-38, 1, -1, 1e30, -1e30}
		v := make([]float32, n)
		scale := math.Pow(10, 6*rng.Float64()-3)
		for i := range v {
			if rng.IntN(10) == 0 {
				v[i] = special[rng.IntN(len(special))]
			} else {
				v[i] = float32(scale * rng.NormFloat64())
			}
		}
		return v
	}
	x, y = half(), half()
	c, s = make([]float32, n), make([]float32, n)
	special := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0.5, 1e-30, 1e-45, 2}
	for i := range c {
		switch rng.IntN(8) {
		case 0:
			c[i], s[i] = special[rng.IntN(len(special))], special[rng.IntN(len(special))]
		case 1:
			c[i], s[i] = float32(4*rng.Float64()-2), float32(4*rng.Float64()-2)
		default:
			a := float64(float32(1e4 * rng.Float64()))
			c[i], s[i] = float32(math.Cos(a)), float32(math.Sin(a))
		}
	}
	return
}

func TestRotateHalves(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(61, 62))
		var worst maxErr
		for _, n := range rmsLengths() {
			x, y, c, s := ropeInputs(rng, n)
			for _, inverse := range []bool{false, true} {
				a, checkA := guarded(t, x)
				b, checkB := guarded(t, y)
				RotateHalves(a, b, c, s, inverse)
				checkA()
				checkB()
				for i := range n {
					xi, yi, ci, si := float64(x[i]), float64(y[i]), float64(c[i]), float64(s[i])
					if inverse {
						si = -si
					}
					for _, o := range []struct {
						name string
						got  float32
						p, q float64
					}{
						{"a", a[i], xi * ci, yi * si},
						{"b", b[i], yi * ci, -xi * si},
					} {
						want, tol := o.p-o.q, rotTol(o.p, o.q)
						e := math.Abs(float64(o.got) - want)
						worst.add(e/tol, func() string { return fmt.Sprintf("%s: x=%g y=%g c=%g s=%g", o.name, x[i], y[i], c[i], s[i]) })
						if !(e <= tol) {
							t.Fatalf("n=%d inverse=%v i=%d x=%g y=%g c=%g s=%g: %s' = %.9g, want %.9g (err %.3g > %.3g)",
								n, inverse, i, x[i], y[i], c[i], s[i], o.name, o.got, want, e, tol)
						}
					}
				}
			}
		}
		t.Logf("max err/bound %.3g (%s)", worst.err, worst.at)
	})
}

// The vector kernels use the generic kernel's operations in its order, so
// they agree with it bit for bit, forward and inverse, at every length.
func TestRotateHalvesKernelsAgree(t *testing.T) {
	defer SetKernel("")
	rng := rand.New(rand.NewPCG(63, 64))
	for _, n := range rmsLengths() {
		x, y, c, s := ropeInputs(rng, n)
		for _, inverse := range []bool{false, true} {
			run := func(name string) (a, b []float32) {
				if err := SetKernel(name); err != nil {
					t.Fatal(err)
				}
				a, b = append([]float32(nil), x...), append([]float32(nil), y...)
				RotateHalves(a, b, c, s, inverse)
				return
			}
			ra, rb := run("generic")
			for _, name := range Kernels() {
				ga, gb := run(name)
				if !sameBits(ga, ra) || !sameBits(gb, rb) {
					for i := range n {
						if ga[i] != ra[i] || gb[i] != rb[i] {
							t.Fatalf("%s n=%d inverse=%v i=%d x=%g y=%g c=%g s=%g: (%g, %g), generic (%g, %g)",
								name, n, inverse, i, x[i], y[i], c[i], s[i], ga[i], gb[i], ra[i], rb[i])
						}
					}
					t.Fatalf("%s n=%d inverse=%v: bits differ from generic", name, n, inverse)
				}
			}
		}
	}
}

// Rotating forward and then back returns the input to within a few u:
// cos² + sin² of float32 tables is 1 within about 2u, and each pass adds
// the rounding bounded above.
func TestRotateHalvesRoundTrip(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(65, 66))
		const n = 1000
		x, y := uniform(rng, n, -3, 3), uniform(rng, n, -3, 3)
		c, s := make([]float32, n), make([]float32, n)
		for i := range c {
			a := float64(float32(1e4 * rng.Float64()))
			c[i], s[i] = float32(math.Cos(a)), float32(math.Sin(a))
		}
		a, b := append([]float32(nil), x...), append([]float32(nil), y...)
		RotateHalves(a, b, c, s, false)
		RotateHalves(a, b, c, s, true)
		var worst maxErr
		for i := range n {
			m := math.Abs(float64(x[i])) + math.Abs(float64(y[i]))
			for _, e := range []float64{math.Abs(float64(a[i] - x[i])), math.Abs(float64(b[i] - y[i]))} {
				worst.add(e/(m*u32), func() string { return fmt.Sprintf("x=%g y=%g", x[i], y[i]) })
				if !(e <= 8*u32*m) {
					t.Fatalf("i=%d: (%g, %g) → (%g, %g) and back", i, x[i], y[i], a[i], b[i])
				}
			}
		}
		t.Logf("max |err| %.3g u·(|x|+|y|) (%s)", worst.err, worst.at)
	})
}

// NaN and Inf. A NaN in x or y makes both outputs of its pair NaN (each uses
// both halves); a NaN in c or s likewise; Inf gives what the generic formula
// gives (Inf, or NaN from Inf − Inf or Inf·0), the same in every kernel, and
// other pairs do not change.
func TestRotateHalvesNaN(t *testing.T) {
	inf := float32(math.Inf(1))
	defer SetKernel("")
	run := func(n, p int, what string, v float32, inverse bool) (a, b []float32) {
		x, y, c, s := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
		for i := range n {
			x[i], y[i], c[i], s[i] = float32(i%5)-2, float32(i%3)+0.5, 0.6, 0.8
		}
		switch what {
		case "a":
			x[p] = v
		case "b":
			y[p] = v
		case "cos":
			c[p] = v
		case "sin":
			s[p] = v
		}
		RotateHalves(x, y, c, s, inverse)
		return x, y
	}
	same := func(a, b float32) bool { return a == b || isNaN32(a) && isNaN32(b) }
	for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 33} {
		for _, p := range []int{0, n / 2, n - 1} {
			for _, what := range []string{"a", "b", "cos", "sin"} {
				for _, v := range []float32{nan32, -nan32, inf, -inf, 0} {
					for _, inverse := range []bool{false, true} {
						SetKernel("generic")
						ra, rb := run(n, p, what, v, inverse)
						if isNaN32(v) && (!isNaN32(ra[p]) || !isNaN32(rb[p])) {
							t.Fatalf("generic n=%d NaN %s[%d]: (%v, %v)", n, what, p, ra, rb)
						}
						for _, name := range Kernels() {
							SetKernel(name)
							ga, gb := run(n, p, what, v, inverse)
							for i := range n {
								if !same(ga[i], ra[i]) || !same(gb[i], rb[i]) {
									t.Fatalf("%s n=%d %s[%d]=%v inverse=%v: (%v, %v), generic (%v, %v)",
										name, n, what, p, v, inverse, ga, gb, ra, rb)
								}
								if i != p && (isNaN32(ga[i]) || isNaN32(gb[i])) {
									t.Fatalf("%s n=%d %s[%d]=%v: NaN spread to %d", name, n, what, p, v, i)
								}
							}
						}
					}
				}
			}
		}
	}
}

func TestRotateHalvesLengths(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("RotateHalves accepted slices of different lengths")
		}
	}()
	x := make([]float32, 8)
	RotateHalves(x[:4], x[4:], x[:4], x[:3], false)
}

// BenchmarkRotateHalves rotates one head's halves at the head sizes of
// small Llamas (hs/2 = 32: SmolLM2, Llama 3.2 1B has 64), in L1; "scalar"
// is the loop gpt's rope used before. ns/op is the time per (row, head).
func BenchmarkRotateHalves(b *testing.B) {
	for _, half := range []int{32, 64} {
		b.Run(fmt.Sprintf("half=%d", half), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(23, uint64(half)))
			x, y := uniform(rng, half, -2, 2), uniform(rng, half, -2, 2)
			c, s := make([]float32, half), make([]float32, half)
			for i := range c {
				a := 100 * rng.Float64()
				c[i], s[i] = float32(math.Cos(a)), float32(math.Sin(a))
			}
			benchRow(b, half, 16, func() { RotateHalves(x, y, c, s, false) })
			b.Run("scalar", func(b *testing.B) {
				b.SetBytes(int64(16 * half))
				for b.Loop() {
					baseRotateHalves(x, y, c, s, false)
				}
			})
		})
	}
}

// baseRotateHalves is gpt's rope loop before RotateHalves.
func baseRotateHalves(a, b, cs, sn []float32, inverse bool) {
	for j, c := range cs {
		s := sn[j]
		if inverse {
			s = -s
		}
		x0, x1 := a[j], b[j]
		a[j] = x0*c - x1*s
		b[j] = x1*c + x0*s
	}
}
