package matmul

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// The GEMM follows the BLIS/GotoBLAS scheme. For each chunk of nc columns
// of C (nc as wide as a packed-B budget allows):
//
//  1. pack op(B)[:, chunk] into nr-wide micro-panels (shared by all threads);
//  2. split the chunk of C into rectangles of whole micro-tiles; each
//     rectangle is one task. A task walks its rows in blocks of mc and the
//     k dimension in blocks of kc, packs that mc×kc block of op(A) into its
//     private buffer (it stays in L2), and for every nr micro-panel of B
//     runs the micro-kernel over the block's mr micro-panels of A, which
//     reuse that B micro-panel from L1/L2.
//
// Threads only ever split C, never k: every element of C is produced by one
// task, with the same kc blocks in the same order and the same micro-kernel,
// whatever the thread count or the task grid. Results are therefore
// bit-identical for any Threads() value.

// packBLimit bounds the packed B chunk (floats): 4M floats = 16 MiB, enough
// for the whole of B in the common transformer shapes (so op(A) is packed
// only once) while bounding the memory kept in the pool.
var packBLimit = 4 << 20 // a variable so tests can force many chunks

// parallelMinFlops: below this many flops a multiplication runs on the
// calling goroutine; waking helpers costs a few microseconds.
const parallelMinFlops = 1 << 21

func gemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, threads int) {
	gemmEx(active.Load(), transA, transB, m, n, k, a, lda, b, ldb, epilogue{beta: beta}, c, ldc, threads)
}

// gemmEx runs the product with kernel kern: one of the FP32 kernels, or a
// BF16 one (bf16.go), which packs its operands rounded to bfloat16.
func gemmEx(kern *kernel, transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, ep epilogue, c []float32, ldc int, threads int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("matmul: negative dimension m=%d n=%d k=%d", m, n, k))
	}
	if m == 0 || n == 0 {
		return
	}
	// The micro-kernels write C through raw pointers, so its extent is
	// checked here once. A and B are only read by the packing routines,
	// which bounds-check the slices they hand to assembly; checking them
	// here too gives clear messages and keeps panics off helper goroutines.
	if ldc < n || len(c) < (m-1)*ldc+n {
		panic(fmt.Sprintf("matmul: C too small: m=%d n=%d ldc=%d len=%d", m, n, ldc, len(c)))
	}
	checkOperand("A", transA, m, k, a, lda)
	checkOperand("B", transB, k, n, b, ldb)
	if ep.bias != nil && len(ep.bias) < n {
		panic(fmt.Sprintf("matmul: bias has %d values for n=%d", len(ep.bias), n))
	}
	if ep.src != nil && (ep.ldsrc < n || len(ep.src) < (m-1)*ep.ldsrc+n) {
		panic(fmt.Sprintf("matmul: src too small: m=%d n=%d ldsrc=%d len=%d", m, n, ep.ldsrc, len(ep.src)))
	}
	if k == 0 {
		ParallelFor(m, 1, func(lo, hi int) { finishRows(c, ldc, nil, 0, n, lo, hi, ep) })
		return
	}
	if g := splitK(m, n, k, kern.kc); g > 1 {
		gemmSplitK(kern, g, transA, transB, m, n, k, a, lda, b, ldb, ep, c, ldc, threads)
		return
	}
	// The BF16 kernels have no direct kernels: their panels must be
	// packed (rounded, or in k pairs) whatever the row count.
	if m <= directMaxRows && len(kern.direct) > 0 && len(kern.panel) > 0 {
		gemmDirect(kern, transA, transB, m, n, k, a, lda, b, ldb, ep, c, ldc, threads)
		return
	}
	j := jobPool.Get().(*gemmJob)
	j.setup(kern, transA, transB, m, n, k, a, lda, b, ldb, ep, c, ldc, threads)
	j.run()
	j.release()
	jobPool.Put(j)
}

// checkOperand validates a stored operand whose op() is rows×cols: stored
// rows×cols with stride ld, or cols×rows when trans.
func checkOperand(name string, trans bool, rows, cols int, x []float32, ld int) {
	if rows == 0 || cols == 0 {
		return
	}
	sr, sc := rows, cols
	if trans {
		sr, sc = cols, rows
	}
	if ld < sc || len(x) < (sr-1)*ld+sc {
		panic(fmt.Sprintf("matmul: %s too small: %d×%d stored, ld=%d len=%d", name, sr, sc, ld, len(x)))
	}
}

// scaleC sets C[i0:i1, j0:j1] = beta*C, where beta == 0 clears C without
// reading it (so NaNs vanish).
func scaleC(c []float32, ldc, i0, i1, j0, j1 int, beta float32) {
	for i := i0; i < i1; i++ {
		row := c[i*ldc+j0 : i*ldc+j1]
		if beta == 0 {
			clear(row)
			continue
		}
		for x := range row {
			row[x] = float32(beta * row[x])
		}
	}
}

// gemmJob is one multiplication split into tasks. Tasks are numbered
// globally: chunk ch owns [ch*perChunk, (ch+1)*perChunk), the first
// packTasks of which pack B, the rest compute. Participants claim numbers
// in increasing order from next; a task first waits until every task of
// the previous phase is done (pack before compute, compute of one chunk
// before the next chunk overwrites the packed B), which cannot deadlock:
// the lowest unfinished tasks are always runnable.
type gemmJob struct {
	kern           *kernel
	transA, transB bool
	m, n, k        int
	ks             int // packed steps of k: kern.steps(k)
	a, b, c        []float32
	b16            []uint16 // B in bfloat16 (transB), packed by kern.packB16; b is then nil
	lda, ldb, ldc  int
	beta           float32
	// The epilogue of the first kc block (later blocks add onto C): acc0
	// holds the micro-kernel's accSrc/accBias bits for src and bias.
	acc0  int
	src   []float32
	ldsrc int
	bias  []float32

	nc         int // columns per chunk, a multiple of nr
	chunks     int
	packTasks  int // per chunk: tasks packing B (then A, with apack)
	packBTasks int // per chunk: the first packTasks that pack B
	rowTasks   int // per chunk: rows of the compute grid
	colTasks   int // per chunk: columns of the compute grid
	perChunk   int
	total      int
	rowPanels  int // ceil(m/mr)
	bpack      *[]float32
	// apack, when set, holds all of op(A) packed once into whole-k row
	// panels by the pack tasks (see setup), instead of each compute task
	// packing its own blocks.
	apack      *[]float32
	next, done atomic.Int64
	crew       // the helpers in the job

	// Participants that ran out of runnable tasks sleep on cond until a
	// phase completes (see waitDone).
	mu      sync.Mutex
	cond    sync.Cond
	waiters atomic.Int64
}

var jobPool = sync.Pool{New: func() any {
	j := new(gemmJob)
	j.cond.L = &j.mu
	return j
}}

func (j *gemmJob) setup(kern *kernel, transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, ep epilogue, c []float32, ldc int, threads int) {
	j.kern, j.transA, j.transB = kern, transA, transB
	j.m, j.n, j.k = m, n, k
	j.ks = kern.steps(k)
	j.a, j.lda, j.b, j.ldb, j.c, j.ldc, j.beta = a, lda, b, ldb, c, ldc, ep.beta
	j.acc0, j.src, j.ldsrc, j.bias = 0, ep.src, ep.ldsrc, ep.bias
	if j.src == nil && ep.beta != 0 {
		j.src, j.ldsrc = c, ldc // C = beta·C (scaled first, see compute) + …
	}
	if j.src != nil {
		j.acc0 |= accSrc
	}
	if j.bias != nil {
		j.acc0 |= accBias
	}
	mr, nr := kern.mr, kern.nr
	if 2*float64(m)*float64(n)*float64(k) < parallelMinFlops {
		threads = 1
	}
	colPanels := (n + nr - 1) / nr
	chunkPanels := max(1, min(colPanels, packBLimit/(j.ks*nr)))
	j.nc = chunkPanels * nr
	j.chunks = (colPanels + chunkPanels - 1) / chunkPanels
	j.rowPanels = (m + mr - 1) / mr
	if threads <= 1 {
		j.packTasks, j.rowTasks, j.colTasks = 1, 1, 1
	} else {
		// Several tasks per thread let a thread that was slowed down (the
		// machine is shared) hand work to the others. Rows are split
		// first, a column split packs the same A rows once per column
		// task; but a task gets at least mc rows when m allows, because
		// each B micro-panel it loads is reused once per A micro-panel
		// of its row block. Columns are split no finer than 4 panels.
		want := 4 * threads
		j.packTasks = min(chunkPanels, 2*threads)
		j.rowTasks = max(1, min(j.rowPanels/(kern.mc/mr), want))
		j.colTasks = max(1, min(chunkPanels/4, (want+j.rowTasks-1)/j.rowTasks))
		if j.rowTasks*j.colTasks < threads {
			// Small C, deep k: use every thread anyway.
			j.rowTasks = min(j.rowPanels, threads)
			j.colTasks = min(chunkPanels, (threads+j.rowTasks-1)/j.rowTasks)
		}
	}
	j.packBTasks = j.packTasks
	j.apack = nil
	if j.colTasks > 1 && j.chunks == 1 && m*j.ks <= packBLimit {
		// Every column task would pack the same rows of A (for the
		// weight gradients, k = batch×time is long, so that is most of
		// their packing): pack A once, in the pack phase, shared by all.
		// The kernel reads the same floats in the same order either way.
		j.apack = getBuf(j.rowPanels * mr * j.ks)
		j.packTasks += min(j.rowPanels, 2*threads)
	}
	j.perChunk = j.packTasks + j.rowTasks*j.colTasks
	j.total = j.chunks * j.perChunk
	j.next.Store(0)
	j.done.Store(0)
	j.reset()
	j.bpack = getBuf(j.ks * j.nc)
	if threads > 1 {
		startHelpers(j, min(threads-1, j.rowTasks*j.colTasks-1))
	}
}

// run takes part in the job on the calling goroutine and returns when all
// tasks are done.
func (j *gemmJob) run() {
	j.work()
	j.wait()
}

func (j *gemmJob) release() {
	putBuf(j.bpack)
	j.bpack = nil
	if j.apack != nil {
		putBuf(j.apack)
		j.apack = nil
	}
	j.a, j.b, j.c, j.src, j.bias, j.b16 = nil, nil, nil, nil, nil, nil
}

// work claims and runs tasks until none are left.
func (j *gemmJob) work() {
	var ws *workspace
	for {
		t := int(j.next.Add(1) - 1)
		if t >= j.total {
			break
		}
		ch, idx := t/j.perChunk, t%j.perChunk
		start := ch * j.perChunk
		if idx < j.packTasks {
			j.waitDone(start)
			j.pack(ch, idx)
		} else {
			j.waitDone(start + j.packTasks)
			if ws == nil {
				ws = getWorkspace(j.kern)
			}
			idx -= j.packTasks
			j.compute(ws, ch, idx/j.colTasks, idx%j.colTasks)
		}
		j.done.Add(1)
		if j.waiters.Load() > 0 {
			j.mu.Lock()
			j.cond.Broadcast()
			j.mu.Unlock()
		}
	}
	if ws != nil {
		wsPool.Put(ws)
	}
}

// waitDone returns once n tasks are done. It spins briefly (phases
// usually end together), then sleeps: on a shared, oversubscribed machine
// a spinning participant would take CPU from the very task it waits for.
// No wakeup is lost: a waiter registers in waiters before its last check
// of done, under mu, and a finisher bumps done before looking at waiters.
func (j *gemmJob) waitDone(n int) {
	for range 20 {
		if int(j.done.Load()) >= n {
			return
		}
		runtime.Gosched()
	}
	j.mu.Lock()
	j.waiters.Add(1)
	for int(j.done.Load()) < n {
		j.cond.Wait()
	}
	j.waiters.Add(-1)
	j.mu.Unlock()
}

// split returns the bounds of part i of [0,n) cut into parts nearly equal
// pieces.
func split(n, parts, i int) (lo, hi int) {
	return i * n / parts, (i + 1) * n / parts
}

// chunkCols returns the first column and the width of chunk ch.
func (j *gemmJob) chunkCols(ch int) (j0, nb int) {
	j0 = ch * j.nc
	return j0, min(j.nc, j.n-j0)
}

func (j *gemmJob) pack(ch, idx int) {
	if idx >= j.packBTasks {
		j.packAllA(idx - j.packBTasks)
		return
	}
	nr := j.kern.nr
	j0, nb := j.chunkCols(ch)
	q0, q1 := split((nb+nr-1)/nr, j.packBTasks, idx)
	if q0 == q1 {
		return
	}
	buf := *j.bpack
	if j.b16 != nil {
		j.kern.packB16(buf[q0*j.ks*nr:], j.b16, j.ldb, j0+q0*nr, min(nb, q1*nr)-q0*nr, 0, j.k)
		return
	}
	j.kern.packB(buf[q0*j.ks*nr:], j.transB, j.b, j.ldb, j0+q0*nr, min(nb, q1*nr)-q0*nr, 0, j.k, nr)
}

// packAllA packs A pack task idx's share of the row panels, over all of k,
// into apack: panel r holds ks×mr slots at r*ks*mr (ks = kern.steps(k)), so
// the kc block starting at pc is the contiguous run at r*ks*mr +
// steps(pc)*mr that packA would have made.
func (j *gemmJob) packAllA(idx int) {
	mr := j.kern.mr
	r0, r1 := split(j.rowPanels, j.packTasks-j.packBTasks, idx)
	if r0 == r1 {
		return
	}
	i0, i1 := r0*mr, min(r1*mr, j.m)
	j.kern.packA((*j.apack)[r0*mr*j.ks:], j.transA, j.a, j.lda, i0, i1-i0, 0, j.k, mr)
}

// compute runs compute task (rt, ct) of chunk ch: row panels split(rowPanels,
// rowTasks, rt) times column panels split(chunk panels, colTasks, ct).
func (j *gemmJob) compute(ws *workspace, ch, rt, ct int) {
	kern := j.kern
	mr, nr, kc := kern.mr, kern.nr, kern.kc
	mc := kern.mc
	j0, nb := j.chunkCols(ch)
	r0, r1 := split(j.rowPanels, j.rowTasks, rt)
	q0, q1 := split((nb+nr-1)/nr, j.colTasks, ct)
	if r0 == r1 || q0 == q1 {
		return
	}
	i0, i1 := r0*mr, min(r1*mr, j.m)
	c0, c1 := j0+q0*nr, min(j0+q1*nr, j.n)
	if j.beta != 0 && j.beta != 1 {
		// Scale first, then accumulate with beta = 1: one rounding
		// sequence for every element, independent of the tiling.
		scaleC(j.c, j.ldc, i0, i1, c0, c1, j.beta)
	}
	bpack := *j.bpack
	k, ks, ldc, c := j.k, j.ks, j.ldc, j.c
	// Cut the task's rows into equal blocks of whole panels, at most mc
	// rows each, rather than full mc blocks plus a thin remainder that
	// would stream all of B's micro-panels for a few rows.
	mcPanels := mc / mr
	blocks := (r1 - r0 + mcPanels - 1) / mcPanels
	for blk := range blocks {
		b0, b1 := split(r1-r0, blocks, blk)
		ib := i0 + b0*mr
		mb := min(i0+b1*mr, i1) - ib
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			// Packed steps: k steps, or k pairs for a pair-packed kernel
			// (kc and so pc are even there).
			sb, sc := kern.steps(kb), kern.steps(pc)
			apack, astride := ws.a, sb*mr
			if j.apack != nil {
				apack, astride = (*j.apack)[(ib/mr)*ks*mr+sc*mr:], ks*mr
			} else {
				kern.packA(ws.a, j.transA, j.a, j.lda, ib, mb, pc, kb, mr)
			}
			acc, src, ldsrc := j.acc0, j.src, j.ldsrc
			if pc > 0 {
				acc, src, ldsrc = accSrc, c, ldc
			}
			for q := q0; q < q1; q++ {
				bp := bpack[q*ks*nr+sc*nr:]
				jj := j0 + q*nr
				nw := min(nr, j.n-jj)
				r := 0
				if kern.rows != nil && nw == nr {
					// The block's whole row panels in one call.
					if full := mb / mr; full > 0 {
						var ps, pb *float32 = &c[ib*ldc+jj], &c[ib*ldc+jj]
						if acc&accSrc != 0 {
							ps = &src[ib*ldsrc+jj]
						}
						if acc&accBias != 0 {
							pb = &j.bias[jj]
						}
						kern.rows(sb, &apack[0], astride, &bp[0], full, &c[ib*ldc+jj], ldc, acc, ps, ldsrc, pb, ws.tmp)
						r = full
					}
				}
				for ; r*mr < mb; r++ {
					ii := ib + r*mr
					mh := min(mr, i1-ii)
					ap := apack[r*astride:]
					var tsrc, tbias []float32
					if acc&accSrc != 0 {
						tsrc = src[ii*ldsrc+jj:]
					}
					if acc&accBias != 0 {
						tbias = j.bias[jj:]
					}
					if mh == mr && nw == nr {
						// Unused pointers point at C: valid, never read.
						ps, pb := &c[ii*ldc+jj], &c[ii*ldc+jj]
						if tsrc != nil {
							ps = &tsrc[0]
						}
						if tbias != nil {
							pb = &tbias[0]
						}
						kern.micro(sb, &ap[0], &bp[0], &c[ii*ldc+jj], ldc, acc, ps, ldsrc, pb)
						continue
					}
					kern.micro(sb, &ap[0], &bp[0], &ws.tmp[0], nr, 0, &ws.tmp[0], nr, &ws.tmp[0])
					mergeTileVec(c[ii*ldc+jj:], ldc, ws.tmp, nr, mh, nw, tsrc, ldsrc, tbias)
				}
			}
		}
	}
}
