package matmul

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestGemmBiasNTBF16: the product over a BF16 W gives GemmBias's bits over
// W widened, with and without bias and residual (the residual being C
// itself, as a layer adds onto its input), for shapes with ragged edges,
// a k long enough to be cut (splitK), blocks forced small and large, and
// one to three threads; and it is within float32 rounding of a float64
// reference.
func TestGemmBiasNTBF16(t *testing.T) {
	defer func(v int) { bf16BlockFloats = v }(bf16BlockFloats)
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(41, 42))
		for _, s := range [][3]int{{1, 1, 1}, {3, 33, 17}, {16, 100, 64}, {16, 960, 576}, {5, 70, 2100}, {16, 576, 1536}, {2, 40, 0}} {
			m, n, k := s[0], s[1], s[2]
			for _, block := range []int{1 << 18, 1000} {
				for _, threads := range []int{1, 2, 3} {
					for _, ep := range []string{"none", "bias", "bias+residual"} {
						name := fmt.Sprintf("m=%d n=%d k=%d block=%d threads=%d %s", m, n, k, block, threads, ep)
						bf16BlockFloats = block
						ldw := k + 3
						a := randSlice(rng, m*k)
						w := randBF16(rng, n*ldw)
						wide := make([]float32, n*k)
						for j := range n {
							for p := range k {
								wide[j*k+p] = bf16(w[j*ldw+p])
							}
						}
						var bias []float32
						c0 := randSlice(rng, m*n)
						if ep != "none" {
							bias = randSlice(rng, n)
						}
						want, got := slices.Clone(c0), slices.Clone(c0)
						var wantSrc, gotSrc []float32
						if ep == "bias+residual" {
							wantSrc, gotSrc = want, got
						}
						GemmBias(false, true, m, n, k, a, k, wide, k, bias, wantSrc, n, want, n)
						gemmBiasNTBF16(m, n, k, a, k, w, ldw, bias, gotSrc, n, got, n, threads)
						for i := range got {
							if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
								t.Fatalf("%s: C[%d] = %v, GemmBias over the widened W %v", name, i, got[i], want[i])
							}
						}
						if threads == 1 && block == 1000 {
							for i := range m {
								for j := range n {
									var ref, mag float64
									for p := range k {
										x := float64(a[i*k+p]) * float64(wide[j*k+p])
										ref += x
										mag += math.Abs(x)
									}
									if bias != nil {
										ref += float64(bias[j])
										mag += math.Abs(float64(bias[j]))
									}
									if wantSrc != nil {
										ref += float64(c0[i*n+j])
										mag += math.Abs(float64(c0[i*n+j]))
									}
									if d := math.Abs(float64(got[i*n+j]) - ref); d > 1e-5*mag+1e-30 {
										t.Fatalf("%s: C[%d,%d] = %v, float64 reference %v", name, i, j, got[i*n+j], ref)
									}
								}
							}
						}
					}
				}
			}
		}
	})
}

// TestGemmBiasNTBF16Errors: operands too small are refused with a message.
func TestGemmBiasNTBF16Errors(t *testing.T) {
	a, c := make([]float32, 2*8), make([]float32, 2*4)
	for name, f := range map[string]func(){
		"W":    func() { GemmBiasNTBF16(2, 4, 8, a, 8, make([]uint16, 3*8+7), 8, nil, nil, 0, c, 4) },
		"bias": func() { GemmBiasNTBF16(2, 4, 8, a, 8, make([]uint16, 32), 8, make([]float32, 3), nil, 0, c, 4) },
		"src":  func() { GemmBiasNTBF16(2, 4, 8, a, 8, make([]uint16, 32), 8, nil, make([]float32, 7), 4, c, 4) },
		"C":    func() { GemmBiasNTBF16(2, 4, 8, a, 8, make([]uint16, 32), 8, nil, nil, 0, c[:7], 4) },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("%s too small: no panic", name)
				}
			}()
			f()
		}()
	}
}
