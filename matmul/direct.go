package matmul

import "unsafe"

// Products with few rows of C (decoding: one row per sequence) take a
// direct path: A is packed (a few floats), B is read where it lies when it
// is stored k×n (transB false), and a kernel of 1 to 8 rows computes each
// tile. The packed path would copy all of B first (for a one-row product,
// a copy as costly as the product) and compute 14-row tiles for one row.
// A direct kernel makes every element of C the same FMA chain over each kc
// block as the micro-kernel, and stores it the same way, so the two paths
// give identical bits (TestDirectMatchesPacked); which one runs never
// depends on the thread count.
//
// A transposed B (n×k) is still packed into the micro-kernel's panels,
// which the narrow direct kernels then read with ldb = nr; for one row,
// where the packing would cost more than the product, rowsNT reads B's
// rows in place (gemvNT).

// directFunc computes an mr×nc tile from a packed A panel (a[p*mr+i]) and B
// rows in place (b[p*ldb+j]); acc as for microKernel, plus accInit.
type directFunc func(k int, a, b *float32, ldb int, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32)

// accInit: the chains start from C's tile and C is overwritten with them,
// with no bias or src (one chain continued over several calls).
const accInit = 4

type directKernel struct {
	mr, nc int
	fn     directFunc
}

// directMaxRows is the most rows of C that take the direct path: beyond it
// B's packing is shared by enough rows to pay for itself. A variable so
// tests can compare the two paths.
var directMaxRows = 16

// pickDirect returns the widest-row kernel of ks (sorted by mr, largest
// first) with at most m rows.
func pickDirect(ks []directKernel, m int) directKernel {
	for _, d := range ks {
		if d.mr <= m {
			return d
		}
	}
	return ks[len(ks)-1]
}

// directTask is one row group times one column block of C.
type directTask struct {
	i0, j0 int
	d      directKernel
	a      []float32 // the group's rows of op(A), packed over all of k
}

// gemmDirect is gemmEx's direct path for m <= directMaxRows.
func gemmDirect(kern *kernel, transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, ep epilogue, c []float32, ldc int, threads int) {
	acc0, src, ldsrc, bias := 0, ep.src, ep.ldsrc, ep.bias
	if src == nil && ep.beta != 0 {
		src, ldsrc = c, ldc
	}
	if ep.beta != 0 && ep.beta != 1 {
		scaleC(c, ldc, 0, m, 0, n, ep.beta)
	}
	if src != nil {
		acc0 |= accSrc
	}
	if bias != nil {
		acc0 |= accBias
	}
	if 2*float64(m)*float64(n)*float64(k) < parallelMinFlops {
		threads = 1
	}
	if m == 1 && transB && kern.rowsNT != nil && n >= ntRows {
		gemvNT(kern, transA, n, k, a, lda, b, ldb, acc0, src, ldsrc, bias, c, ldc, threads)
		return
	}
	ks := kern.direct
	if transB {
		ks = kern.panel
	}
	// Pack A once per row group, over all of k: block pc of group g starts
	// at pc*mr. One untransposed row needs no packing.
	var gbuf [16]directTask // m <= directMaxRows <= 16
	groups := gbuf[:0]
	var abuf *[]float32
	if transA || m > 1 {
		abuf = getBuf(m * k)
	}
	for i0 := 0; i0 < m; {
		d := pickDirect(ks, m-i0)
		g := directTask{i0: i0, d: d}
		if abuf == nil {
			g.a = a[i0*lda : i0*lda+k]
		} else {
			g.a = (*abuf)[i0*k : (i0+d.mr)*k]
			packRows(kern, g.a, transA, a, lda, i0, d.mr, k)
		}
		groups = append(groups, g)
		i0 += d.mr
	}
	job := directJob{kern: kern, transB: transB, n: n, k: k, b: b, ldb: ldb, acc0: acc0,
		src: src, ldsrc: ldsrc, bias: bias, c: c, ldc: ldc}
	for _, d := range ks {
		job.maxNC = max(job.maxNC, d.nc)
	}
	var bpack *[]float32
	if nr := kern.nr; transB {
		panels := (n + nr - 1) / nr
		bpack = getBuf(panels * nr * k)
		job.bpack = *bpack
		if threads == 1 {
			kern.packB(job.bpack, true, b, ldb, 0, n, 0, k, nr)
		} else {
			packPanelsParallel(kern, job.bpack, b, ldb, n, k, panels, threads)
		}
	}
	if threads == 1 {
		// Decoding and attention's blocks: nothing allocated, no closure.
		var scratch *[]float32
		for _, g := range groups {
			for g.j0 = 0; g.j0 < n; g.j0 += g.d.nc {
				job.tile(g, &scratch)
			}
		}
		if scratch != nil {
			putBuf(scratch)
		}
	} else {
		runDirect(job, groups, threads)
	}
	if abuf != nil {
		putBuf(abuf)
	}
	if bpack != nil {
		putBuf(bpack)
	}
}

func packPanelsParallel(kern *kernel, bp, b []float32, ldb, n, k, panels, threads int) {
	nr := kern.nr
	ParallelFor(panels, threads, func(lo, hi int) {
		kern.packB(bp[lo*k*nr:], true, b, ldb, lo*nr, min(hi*nr, n)-lo*nr, 0, k, nr)
	})
}

// runDirect splits the tiles of a direct product over threads.
func runDirect(job directJob, groups []directTask, threads int) {
	var tasks []directTask
	for _, g := range groups {
		for g.j0 = 0; g.j0 < job.n; g.j0 += g.d.nc {
			tasks = append(tasks, g)
		}
	}
	ParallelFor(len(tasks), threads, func(lo, hi int) {
		var scratch *[]float32
		for _, t := range tasks[lo:hi] {
			job.tile(t, &scratch)
		}
		if scratch != nil {
			putBuf(scratch)
		}
	})
}

// directJob is one direct product's operands and epilogue.
type directJob struct {
	kern         *kernel
	transB       bool
	n, k         int
	b, bpack     []float32 // bpack: B's panels when transB
	ldb          int
	acc0         int
	src, bias, c []float32
	ldsrc, ldc   int
	maxNC        int
}

// tile computes one row group × column block of C over all of k, block by
// kc block, as the packed path does; *scratch is the edge blocks' buffer.
func (j *directJob) tile(t directTask, scratch **[]float32) {
	kern, d, nr := j.kern, t.d, j.kern.nr
	n, k, ldb, ldc, c := j.n, j.k, j.ldb, j.ldc, j.c
	nw := min(d.nc, n-t.j0)
	for pc := 0; pc < k; pc += kern.kc {
		kb := min(kern.kc, k-pc)
		var bp []float32
		bld := ldb
		if j.transB {
			bp, bld = j.bpack[(t.j0/nr)*k*nr+pc*nr:], nr
		} else {
			bp = j.b[pc*ldb+t.j0:]
		}
		acc, s, lds := j.acc0, j.src, j.ldsrc
		if pc > 0 {
			acc, s, lds = accSrc, c, ldc
		}
		ct := c[t.i0*ldc+t.j0:]
		if nw == d.nc {
			ps, pb := &ct[0], &ct[0] // unused pointers point at C: valid, never read
			if acc&accSrc != 0 {
				ps = &s[t.i0*lds+t.j0]
			}
			if acc&accBias != 0 {
				pb = &j.bias[t.j0]
			}
			d.fn(kb, &t.a[pc*d.mr], &bp[0], bld, &ct[0], ldc, acc, ps, lds, pb)
			continue
		}
		// An edge block: B's last columns zero-padded to the kernel's
		// width (unless packed, hence padded, already), the tile
		// computed aside and merged as gemm merges.
		maxNC := j.maxNC
		if *scratch == nil {
			*scratch = getBuf(kern.kc*maxNC + 8*maxNC)
		}
		sb, tmp := (**scratch)[:kb*d.nc], (**scratch)[kern.kc*maxNC:kern.kc*maxNC+d.mr*d.nc]
		if !j.transB {
			for p := range kb {
				row := sb[p*d.nc : (p+1)*d.nc]
				clear(row[copy(row, bp[p*ldb:p*ldb+nw]):])
			}
			bp, bld = sb, d.nc
		}
		d.fn(kb, &t.a[pc*d.mr], &bp[0], bld, &tmp[0], d.nc, 0, &tmp[0], d.nc, &tmp[0])
		var tsrc, tbias []float32
		if acc&accSrc != 0 {
			tsrc = s[t.i0*lds+t.j0:]
		}
		if acc&accBias != 0 {
			tbias = j.bias[t.j0:]
		}
		mergeTileVec(ct, ldc, tmp, d.nc, d.mr, nw, tsrc, lds, tbias)
	}
}

// ntRows is the elements of C per rowsNT call.
const ntRows = 16

// gemvNT is a one-row product with B stored n×k (the tied unembedding of a
// decoded token): the kernel reads B's rows in place, 16 FMA chains side by
// side, instead of transposing all of B into panels first. The last n mod
// 16 columns take the panel path.
func gemvNT(kern *kernel, transA bool, n, k int, a []float32, lda int, b []float32, ldb int, acc0 int, src []float32, ldsrc int, bias []float32, c []float32, ldc int, threads int) {
	abuf := getBuf(k + ntRows)
	av, t := (*abuf)[:k], (*abuf)[k:k+ntRows]
	for p := range av {
		if transA {
			av[p] = a[p*lda]
		} else {
			av[p] = a[p]
		}
	}
	n64 := n - n%ntRows
	for j0 := 0; j0 < n64; j0 += ntRows {
		for pc := 0; pc < k; pc += kern.kc {
			kb := min(kern.kc, k-pc)
			kern.rowsNT(kb, &av[pc], &b[j0*ldb+pc], ldb, &t[0])
			acc, s := acc0, src
			if pc > 0 {
				acc, s = accSrc, c
			}
			row := c[j0 : j0+ntRows]
			for j, v := range t {
				if acc&accBias != 0 {
					v += bias[j0+j]
				}
				if acc&accSrc != 0 {
					v += s[j0+j]
				}
				row[j] = v
			}
		}
	}
	if n64 < n {
		ep := epilogue{bias: bias, src: src, ldsrc: ldsrc}
		if bias != nil {
			ep.bias = bias[n64:]
		}
		if src != nil {
			ep.src = src[n64:]
		}
		if acc0 == 0 {
			ep = epilogue{}
		}
		kern2 := *kern
		kern2.rowsNT = nil
		gemmDirect(&kern2, false, true, 1, n-n64, k, av, k, b[n64*ldb:], ldb, ep, c[n64:], ldc, threads)
	}
	putBuf(abuf)
}

// packRows packs rows i0..i0+mr of op(A) over all k for a direct kernel.
func packRows(kern *kernel, dst []float32, transA bool, a []float32, lda, i0, mr, k int) {
	if kern.packRows != nil {
		kern.packRows(dst, transA, a, lda, i0, mr, k)
		return
	}
	packA(dst, transA, a, lda, i0, mr, 0, k, mr)
}

// dirGeneric is the portable direct kernel for an mr×nc tile: the same
// expression per step as microGeneric (c += a·b), so the same rounding.
func dirGeneric(mr, nc int) directFunc {
	return func(k int, ap, bp *float32, ldb int, cp *float32, ldc int, acc int, srcp *float32, ldsrc int, biasp *float32) {
		a := unsafe.Slice(ap, k*mr)
		b := unsafe.Slice(bp, max(0, (k-1)*ldb+nc))
		c := unsafe.Slice(cp, (mr-1)*ldc+nc)
		for i := range mr {
			for j := range nc {
				var t float32
				if acc&accInit != 0 {
					t = c[i*ldc+j]
				}
				for p := range k {
					t += a[p*mr+i] * b[p*ldb+j]
				}
				if acc&accInit == 0 {
					if acc&accBias != 0 {
						t += unsafe.Slice(biasp, nc)[j]
					}
					if acc&accSrc != 0 {
						t += unsafe.Slice(srcp, (mr-1)*ldsrc+nc)[i*ldsrc+j]
					}
				}
				c[i*ldc+j] = t
			}
		}
	}
}
