package matmul

import "fmt"

// GemmAccSerial continues C's chains on the calling goroutine: every
// C[i][j] goes on as one FMA chain, C ← fma(op(A)[i][p], B[p][j], C) for
// p = 0,1,…,k-1, with B stored k×n (row stride ldb) and read in place.
// Each step rounds as the kernels' steps do, so a sum cut along k into
// pieces, each continued from the last, has the bits of the uncut chain
// that Gemm computes over one kc block from C = 0 (KC; Gemm then adds
// each block's chain to C). Fused attention sums its dV and dK over query
// blocks this way.
func GemmAccSerial(transA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("matmul: negative dimension m=%d n=%d k=%d", m, n, k))
	}
	if m == 0 || n == 0 || k == 0 {
		return
	}
	if ldc < n || len(c) < (m-1)*ldc+n {
		panic(fmt.Sprintf("matmul: C too small: m=%d n=%d ldc=%d len=%d", m, n, ldc, len(c)))
	}
	checkOperand("A", transA, m, k, a, lda)
	checkOperand("B", false, k, n, b, ldb)
	kern := active.Load()
	maxNC := 0
	for _, d := range kern.direct {
		maxNC = max(maxNC, d.nc)
	}
	buf := getBuf(8*k + k*maxNC + 8*maxNC)
	for i0 := 0; i0 < m; {
		d := pickDirect(kern.direct, m-i0)
		ap := (*buf)[:d.mr*k]
		packRows(kern, ap, transA, a, lda, i0, d.mr, k)
		for j0 := 0; j0 < n; j0 += d.nc {
			nw := min(d.nc, n-j0)
			ct := c[i0*ldc+j0:]
			if nw == d.nc {
				d.fn(k, &ap[0], &b[j0], ldb, &ct[0], ldc, accInit, &ct[0], ldc, &ct[0])
				continue
			}
			// Edge: B's last columns and C's tile zero-padded aside.
			sb := (*buf)[8*k : 8*k+k*d.nc]
			tmp := (*buf)[8*k+k*maxNC : 8*k+k*maxNC+d.mr*d.nc]
			for p := range k {
				row := sb[p*d.nc : (p+1)*d.nc]
				clear(row[copy(row, b[p*ldb+j0:p*ldb+j0+nw]):])
			}
			for i := range d.mr {
				row := tmp[i*d.nc : (i+1)*d.nc]
				clear(row[copy(row, ct[i*ldc:i*ldc+nw]):])
			}
			d.fn(k, &ap[0], &sb[0], d.nc, &tmp[0], d.nc, accInit, &tmp[0], d.nc, &tmp[0])
			for i := range d.mr {
				copy(ct[i*ldc:i*ldc+nw], tmp[i*d.nc:])
			}
		}
		i0 += d.mr
	}
	putBuf(buf)
}

// KC is the depth of the active kernel's k blocks: Gemm sums each element
// as chains over consecutive kc-long ranges of k, added in order.
func KC() int { return active.Load().kc }

// MR is the active FP32 kernel's micro-tile rows: a product of m rows runs
// ceil(m/MR) tiles of MR rows, so callers that choose m (blocks of rows)
// waste least with a multiple of it.
func MR() int { return active.Load().mr }

// SplitsK reports whether Gemm cuts an m×n product of depth k into k
// ranges computed apart (see splitK) with the active kernel.
func SplitsK(m, n, k int) bool { return splitK(m, n, k, active.Load().kc) > 1 }
