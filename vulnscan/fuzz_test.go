package vulnscan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzScan checks that no input makes the scanner panic or hang. Seeds are
// the labelled files (both sets) and a few nasty fragments; run longer with
// go test -fuzz FuzzScan ./vulnscan.
func FuzzScan(f *testing.F) {
	for _, s := range nastyInputs {
		f.Add(s)
	}
	paths, _ := filepath.Glob("testdata/labelled/*.py")
	more, _ := filepath.Glob("testdata/corpus/*.py")
	paths = append(paths, more...)
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, code string) {
		start := time.Now()
		fs := Scan(code)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("Scan took %v on %d bytes", d, len(code))
		}
		lines := strings.Count(strings.ReplaceAll(code, "\r\n", "\n"), "\n") + strings.Count(code, "\r") + 1
		for _, f := range fs {
			if f.Line < 1 || f.Line > lines+1 || f.CWE == "" || f.Rule == "" {
				t.Fatalf("bad finding %+v for %d lines", f, lines)
			}
		}
		ExtractCode(code)
	})
}

// nastyInputs are broken or adversarial programs.
var nastyInputs = []string{
	"", "\n", "\x00", "\xff\xfe", "(", ")", "[[[[", "}}}}", "'", "\"\"\"", "f'{", "f'{{'", "f\"{x:{y:{z}}}\"",
	"f'{'", "f\"{a[\"b\"]}\"", "rb'\\", "\\", "\\\n", "def", "def f(", "def f(a, b=", "class C(",
	"import", "from", "from . import", "import a as", "lambda", "lambda x", "x = lambda: (", "@",
	"if x: if y: z", "\tif x:\n  \ty\n\t z", "x = [i for i in", "x = {**", "x = {a: for", "a[1:2:3:4]",
	"eval(", "os.system(\"ls \" + ", "cursor.execute(f\"SELECT {x", "yaml.load(", "open(os.path.join(",
	"x = 1 if", "x = not", "x = (yield", "print \"hello\" % x", "exec code in ns", "a = b = c = ",
	"for in :", "with as :", "except as :", "x: int =", "x +=", "async def f(): await", "match x:\n case 1:",
	strings.Repeat("(", 5000), strings.Repeat("f'{", 300), strings.Repeat("[", 3000) + strings.Repeat("]", 3000),
	strings.Repeat("x = x + x\n", 2000), strings.Repeat("    ", 1000) + "x", strings.Repeat("a.", 5000) + "b()",
	strings.Repeat("not ", 5000) + "x", strings.Repeat("-", 10000) + "x", strings.Repeat("lambda: ", 3000) + "x",
	strings.Repeat("'''", 3), "x = '''\n" + strings.Repeat("{", 100), "\r\n\r\rdef f():\r\n\treturn eval(x)\r",
}
