package vmath

// RotateHalves applies the rotary position embedding to one head: its two
// halves a and b are rotated pairwise (a[i], b[i]) by the angle whose cosine
// and sine are cos[i] and sin[i],
//
//	a' = a·cos − b·sin;  b' = b·cos + a·sin
//
// in place; inverse rotates the other way (sin → −sin), the rotation's
// transpose. a, b, cos and sin have the same length; a and b may not
// overlap. Every product and the sum are rounded to float32 separately, in
// that order, in every kernel (no FMA), so all kernels give the same bits
// and an element's result does not depend on where it sits in the slice.
func RotateHalves(a, b, cos, sin []float32, inverse bool) {
	n := len(a)
	if len(b) != n || len(cos) != n || len(sin) != n {
		panic("vmath: RotateHalves: slices of different lengths")
	}
	active.Load().rotateHalves(a, b, cos, sin, inverse)
}

// rotateHalvesGeneric defines the rounding: the explicit float32
// conversions keep the compiler from fusing a product into the add (the Go
// spec allows that otherwise, and does it on GOAMD64=v3 and arm64).
func rotateHalvesGeneric(a, b, cos, sin []float32, inverse bool) {
	n := len(a)
	b, cos, sin = b[:n], cos[:n], sin[:n]
	for i, c := range cos {
		s := sin[i]
		if inverse {
			s = -s
		}
		x, y := a[i], b[i]
		a[i] = float32(x*c) - float32(y*s)
		b[i] = float32(y*c) + float32(x*s)
	}
}
