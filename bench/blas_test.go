package bench

import "testing"

func TestClassifyBLAS(t *testing.T) {
	for _, c := range []struct {
		info  string
		paths []string
		want  string
		ref   bool
	}{
		{"generic", []string{"/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"}, "OpenBLAS", false},
		{"generic", []string{"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"}, "reference BLAS", true},
		{"", []string{"/opt/intel/lib/libmkl_rt.so.2"}, "MKL", false},
		{"generic", []string{"/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3"}, "BLIS", false},
		{"generic", nil, "unknown", false},
		// A pip wheel: MKL inside libtorch, numpy's OpenBLAS mapped beside it.
		{"mkl", []string{"/opt/venv/lib/python3.12/site-packages/numpy.libs/libscipy_openblas64_-8fb3d286.so"}, "MKL", false},
	} {
		b := classifyBLAS(c.info, c.paths)
		if b.Name != c.want || b.Reference() != c.ref {
			t.Errorf("%v: got %+v, want %s", c.paths, b, c.want)
		}
	}
}

// Zen 4 (AMD family 25) runs AVX-512 on 256-bit units; Zen 5 (26) and
// Intel do not.
func TestHalfWidthAVX512(t *testing.T) {
	for _, c := range []struct {
		vendor, family string
		want           bool
	}{
		{"AuthenticAMD", "25", true}, {"AuthenticAMD", "26", false}, {"GenuineIntel", "6", false}, {"AuthenticAMD", "", false},
	} {
		if got := halfWidthAVX512(c.vendor, c.family); got != c.want {
			t.Errorf("%s family %q: %v, want %v", c.vendor, c.family, got, c.want)
		}
	}
}
