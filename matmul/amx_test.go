package matmul

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// The tests register the AMX path computed in Go ("amxgo": the SDM's
// TDPBF16PS pseudo-code over the packed tiles) as one more BF16 path, so
// TestBF16Gemm, TestBF16GemmBias and the rest check its packing, tiling and
// epilogue bit for bit against refBF16 on every CPU.
func init() {
	n := len(bf16Kernels)
	bf16Kernels = append(bf16Kernels[:n-1:n-1], amxGoKernel, bf16Kernels[n-1])
}

// TestAMXPackLayout checks the packed panels element by element against
// the layout the tile loads read (amx.go): A in chunks of 32 rows × 32 k
// steps row-major, B as pairs of 32 columns, step 2s in the low half, zero
// padding to whole chunks.
func TestAMXPackLayout(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const m, k, lda = 37, 45, 50 // a ragged second panel and a ragged chunk
	a := randSlice(rng, 50*lda)  // room for either storage
	for _, trans := range []bool{false, true} {
		opA := func(i, p int) float32 {
			if trans {
				return a[p*lda+i] // A stored k×m (needs lda ≥ m: 50)
			}
			return a[i*lda+p]
		}
		ks := amxPairs(k)
		if ks != 32 {
			t.Fatalf("amxPairs(%d) = %d, want 32", k, ks)
		}
		dst := make([]float32, 2*ks*amxMR)
		for i := range dst {
			dst[i] = float32(math.NaN()) // every slot must be written
		}
		packAMXA(dst, trans, a, lda, 0, m, 0, k, amxMR)
		d := bf16Slots(dst)
		for r := 0; r < 2; r++ {
			for i := 0; i < amxMR; i++ {
				for p := 0; p < 2*ks; p++ {
					got := d[r*ks*amxMR*2+(p/32)*32*amxMR+i*32+p%32]
					var want uint16
					if row := r*amxMR + i; row < m && p < k {
						want = toBF16(opA(row, p))
					}
					if got != want {
						t.Fatalf("trans %v: A panel %d row %d step %d: %#04x, want %#04x", trans, r, i, p, got, want)
					}
				}
			}
		}
	}
	const n, ldb = 40, 50
	b := randSlice(rng, 50*ldb)
	for _, trans := range []bool{false, true} {
		opB := func(p, j int) float32 {
			if trans {
				return b[j*ldb+p]
			}
			return b[p*ldb+j]
		}
		ks := amxPairs(k)
		dst := make([]float32, 2*ks*amxNR)
		for i := range dst {
			dst[i] = float32(math.NaN())
		}
		packAMXB(dst, trans, b, ldb, 0, n, 0, k, amxNR)
		for q := 0; q < 2; q++ {
			for s := 0; s < ks; s++ {
				for j := 0; j < amxNR; j++ {
					got := math.Float32bits(dst[q*ks*amxNR+s*amxNR+j])
					var lo, hi uint16
					if col := q*amxNR + j; col < n {
						if 2*s < k {
							lo = toBF16(opB(2*s, col))
						}
						if 2*s+1 < k {
							hi = toBF16(opB(2*s+1, col))
						}
					}
					if want := uint32(hi)<<16 | uint32(lo); got != want {
						t.Fatalf("trans %v: B panel %d pair %d column %d: %#08x, want %#08x", trans, q, s, j, got, want)
					}
				}
			}
		}
	}
}

// TestAMXTilesGo checks the Go tiles against a plain float64 product of the
// unpacked bfloat16 values (one chunk and three), so that the pseudo-code's
// indexing, not only its agreement with the other paths, is pinned.
func TestAMXTilesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, k := range []int{32, 96} {
		a := randSlice(rng, amxMR*k)
		b := randSlice(rng, k*amxNR)
		ap := make([]float32, amxPairs(k)*amxMR)
		bp := make([]float32, amxPairs(k)*amxNR)
		packAMXA(ap, false, a, k, 0, amxMR, 0, k, amxMR)
		packAMXB(bp, false, b, amxNR, 0, amxNR, 0, k, amxNR)
		var tile [amxTileN]float32
		amxTilesGo(k/32, &ap[0], &bp[0], &tile[0], 1, 0, amxNR*4, 0)
		for i := 0; i < amxMR; i++ {
			for j := 0; j < amxNR; j++ {
				var want, mag float64
				for p := 0; p < k; p++ {
					x := float64(RoundBF16(a[i*k+p])) * float64(RoundBF16(b[p*amxNR+j]))
					want += x
					mag += math.Abs(x)
				}
				if d := math.Abs(float64(tile[i*amxNR+j]) - want); d > mag*0x1p-20 {
					t.Fatalf("k %d: T[%d][%d] = %g, want %g", k, i, j, tile[i*amxNR+j], want)
				}
			}
		}
	}
}

// TestAMXStatus: the AMX path is listed exactly when the probe found it
// usable, and naming it where it is not gives the reason.
func TestAMXStatus(t *testing.T) {
	defer SetBF16Kernel("")
	err := AMXStatus()
	has := slices.Contains(BF16Kernels(), "amx")
	if (err == nil) != has {
		t.Fatalf("AMXStatus() = %v but BF16Kernels() = %v", err, BF16Kernels())
	}
	if has {
		t.Logf("AMX in use; its bits equal the SDM pseudo-code's: %v", AMXSameBits())
		return
	}
	t.Logf("no AMX: %v", err)
	serr := SetBF16Kernel("amx")
	if serr == nil || !strings.Contains(serr.Error(), err.Error()) {
		t.Fatalf("SetBF16Kernel(amx) = %v, want the reason %q", serr, err)
	}
}

// TestCvtBF16 compares the vector roundings (cvtBF16, pairBF16, roundBF16s:
// VCVTNEPS2BF16 where the CPU has it) with toBF16 on ties, subnormals, infinities, the overflow to infinity and
// random values, over lengths with and without a tail.
func TestCvtBF16(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	special := []float32{0, float32(math.Copysign(0, -1)), 1, 1 + 1.0/256, 1 + 3.0/256, -1 - 1.0/256,
		0x1p-126, 0x1p-130, -0x1p-140, math.MaxFloat32, -math.MaxFloat32, float32(math.Inf(1)), float32(math.Inf(-1))}
	for _, n := range []int{0, 5, 14, 16, 31, 64, 1000} {
		src := make([]float32, n)
		for i := range src {
			if i < len(special) && n >= len(special) {
				src[i] = special[i]
				continue
			}
			src[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(60)-30)))
		}
		got := make([]uint16, n)
		cvtBF16(got, src)
		for i, v := range src {
			if want := toBF16(v); got[i] != want {
				t.Fatalf("n %d: cvtBF16(%g) = %#04x, want %#04x", n, v, got[i], want)
			}
		}
		lo := slices.Clone(src)
		slices.Reverse(lo)
		pairs := make([]float32, n)
		pairBF16(pairs, src, lo)
		for i, v := range src {
			if got, want := math.Float32bits(pairs[i]), uint32(toBF16(v))<<16|uint32(toBF16(lo[i])); got != want {
				t.Fatalf("n %d: pairBF16(%g, %g) = %#08x, want %#08x", n, v, lo[i], got, want)
			}
		}
		rounded := slices.Clone(src)
		roundBF16s(rounded)
		for i, v := range src {
			if got, want := math.Float32bits(rounded[i]), math.Float32bits(RoundBF16(v)); got != want {
				t.Fatalf("n %d: roundBF16s(%g) = %#08x, want %#08x", n, v, got, want)
			}
		}
	}
	nan := []float32{float32(math.NaN()), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	got := make([]uint16, 16)
	cvtBF16(got, nan)
	if got[0]&0x7f80 != 0x7f80 || got[0]&0x7f == 0 {
		t.Fatalf("cvtBF16(NaN) = %#04x, not a NaN", got[0])
	}
}

// TestFinishTile32: the tile epilogue in use (AVX-512 where the CPU has
// it) against the portable one, bit for bit, for every acc, with negative
// zeros (which adding a zero bias would turn positive) and strided C and src.
func TestFinishTile32(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const ldc, ldsrc = 40, 37
	tile := randSlice(rng, amxTileN)
	for i := 0; i < amxTileN; i += 7 {
		tile[i] = float32(math.Copysign(0, -1))
	}
	src := randSlice(rng, (amxMR-1)*ldsrc+amxNR)
	bias := randSlice(rng, amxNR)
	for acc := 0; acc < 4; acc++ {
		got := randSlice(rng, (amxMR-1)*ldc+amxNR)
		want := slices.Clone(got)
		finishTile32(&tile[0], &got[0], ldc, acc, &src[0], ldsrc, &bias[0])
		finishTile32Go(&tile[0], &want[0], ldc, acc, &src[0], ldsrc, &bias[0])
		sameBits(t, "acc "+string(rune('0'+acc)), got, want)
	}
}

// TestCheckAMX: the probe's self-check passes the pseudo-code itself with
// the same bits, passes a kernel off by an ulp (accumulation order) without
// them, and refuses one with a wrong element, naming it.
func TestCheckAMX(t *testing.T) {
	same, err := checkAMX(amxGoKernel)
	if err != nil || !same {
		t.Fatalf("checkAMX(amxgo) = %v, %v; want true, nil", same, err)
	}
	// nudge changes element i of the first tile of every call, in both of
	// the kernel's entry points (lone tiles and columns of tiles).
	nudge := func(name string, i int, by func(float32) float32) *kernel {
		tiles := func(k16 int, a, b, t *float32, rows, astride, ldt, tstep int) {
			amxTilesGo(k16, a, b, t, rows, astride, ldt, tstep)
			e := (*float32)(unsafe.Add(unsafe.Pointer(t), i/amxNR*ldt+i%amxNR*4))
			*e = by(*e)
		}
		micro := func(k int, a, b, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32) {
			var tile [amxTileN]float32
			tiles(k/amxChunk, a, b, &tile[0], 1, 0, amxNR*4, 0)
			finishTile32(&tile[0], c, ldc, acc, src, ldsrc, bias)
		}
		return newAMXKernel(name, micro, tiles)
	}
	ulp := nudge("ulp", 33, func(x float32) float32 { return math.Nextafter32(x, float32(math.Inf(1))) })
	if same, err := checkAMX(ulp); err != nil || same {
		t.Fatalf("checkAMX(one ulp off) = %v, %v; want false, nil", same, err)
	}
	wrong := nudge("wrong", 33, func(x float32) float32 { return x + 1 })
	if _, err := checkAMX(wrong); err == nil || !strings.Contains(err.Error(), "C[1][1]") {
		t.Fatalf("checkAMX(wrong element) = %v; want an error naming C[1][1]", err)
	}
}

// TestAMXMicroNoAlloc: the micro-kernel's 4 KiB tile stays on the stack
// (the epilogue is called directly, not through a function variable).
func TestAMXMicroNoAlloc(t *testing.T) {
	a := make([]float32, amxChunk*amxMR)
	b := make([]float32, amxChunk*amxNR)
	c := make([]float32, amxTileN)
	if n := testing.AllocsPerRun(10, func() {
		microAMXGo(amxChunk, &a[0], &b[0], &c[0], amxNR, 0, &c[0], amxNR, &c[0])
	}); n != 0 {
		t.Fatalf("microAMXGo allocates %v times a call", n)
	}
}
