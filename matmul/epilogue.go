package matmul

// epilogue is what is added to the product: C = beta·C + op(A)·op(B)
// (src == nil), or C = (op(A)·op(B) + bias) + src with beta = 0. The bias
// (n values, nil for none) is added to every row.
type epilogue struct {
	beta  float32
	bias  []float32
	src   []float32
	ldsrc int
}

// finishRows sets rows [lo, hi) of C to the epilogue applied to the product
// rows p (m×n, stride n; nil for a zero product): ((p + bias) + src), or
// beta·C + p, each addition rounded in that order.
func finishRows(c []float32, ldc int, p []float32, np, n, lo, hi int, ep epilogue) {
	for i := lo; i < hi; i++ {
		row := c[i*ldc : i*ldc+n]
		var t []float32
		if p != nil {
			t = p[i*n : (i+1)*n]
		}
		if ep.src == nil && ep.bias == nil {
			switch {
			case ep.beta == 0:
				clear(row)
			case ep.beta != 1:
				for x := range row {
					row[x] = float32(ep.beta * row[x])
				}
			}
			if t != nil {
				Axpy(1, t, row) // 1·v + c rounds as v + c
			}
			continue
		}
		for x := range row {
			var v float32
			if t != nil {
				v = t[x]
			}
			if ep.bias != nil {
				v += ep.bias[x]
			}
			if ep.src != nil {
				v += ep.src[i*ep.ldsrc+x]
			}
			row[x] = v
		}
	}
}

// mergeTile stores the valid mh×nw corner of an edge tile, doing exactly
// what the micro-kernel does for full tiles (C = (T + bias) + src, each part
// only when given), so edge elements round the same way as interior ones.
func mergeTile(c []float32, ldc int, t []float32, nr, mh, nw int, src []float32, ldsrc int, bias []float32) {
	for i := 0; i < mh; i++ {
		dst := c[i*ldc : i*ldc+nw]
		for x := range dst {
			v := t[i*nr+x]
			if bias != nil {
				v += bias[x]
			}
			if src != nil {
				v += src[i*ldsrc+x]
			}
			dst[x] = v
		}
	}
}

// mergeTileVec is mergeTile in vector passes where there is no bias (with
// one it is mergeTile): a row is a copy, or one addition T + src by the
// active kernel's axpy with alpha 1 (1·T is exact, so it rounds T + src
// once, as the kernel does). The small products of fused attention store
// most of their tiles here; mergeTile's float-by-float loop had cost a
// quarter of a 28×56×64 product. t escapes (the axpy is a func value), so
// callers pass scratch from the heap.
func mergeTileVec(c []float32, ldc int, t []float32, nr, mh, nw int, src []float32, ldsrc int, bias []float32) {
	if bias != nil {
		mergeTile(c, ldc, t, nr, mh, nw, src, ldsrc, bias)
		return
	}
	add := active.Load().axpy
	for i := 0; i < mh; i++ {
		dst, row := c[i*ldc:i*ldc+nw], t[i*nr:i*nr+nw]
		if src == nil {
			copy(dst, row)
			continue
		}
		if s := src[i*ldsrc : i*ldsrc+nw]; &s[0] != &dst[0] {
			copy(dst, s) // src is C itself, or does not overlap it
		}
		add(1, row, dst)
	}
}
