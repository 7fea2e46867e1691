package bench

import "testing"

func TestClassifyBLAS(t *testing.T) {
	for _, c := range []struct {
		paths []string
		want  string
		ref   bool
	}{
		{[]string{"/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"}, "OpenBLAS", false},
		{[]string{"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"}, "reference BLAS", true},
		{[]string{"/opt/intel/lib/libmkl_rt.so.2"}, "MKL", false},
		{[]string{"/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3"}, "BLIS", false},
		{nil, "unknown", false},
	} {
		b := classifyBLAS(c.paths)
		if b.Name != c.want || b.Reference() != c.ref {
			t.Errorf("%v: got %+v, want %s", c.paths, b, c.want)
		}
	}
}
