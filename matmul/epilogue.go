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
