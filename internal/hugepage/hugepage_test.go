package hugepage

import "testing"

func TestFloats(t *testing.T) {
	for _, n := range []int{0, 1, 1000, size / 4, size/4 + 1, 3*size/4 + 17} {
		b := Floats(n)
		if len(b) != n || cap(b) != n {
			t.Fatalf("n=%d: len %d cap %d", n, len(b), cap(b))
		}
		for i, v := range b {
			if v != 0 {
				t.Fatalf("n=%d: element %d is %v, want 0", n, i, v)
			}
		}
		if n*4 >= size && addr(b)%size != 0 {
			t.Errorf("n=%d: buffer at %#x is not huge-page aligned", n, addr(b))
		}
		if n > 0 {
			b[0], b[n-1] = 1, 2 // writable end to end
		}
	}
}
