package i18n

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// keyUses is what the screens' source says about the keys it looks up:
// every string literal (a key written out, or a code a key is made of),
// and a pattern for every key it builds — "post.status." + status,
// key + ".confirm", fmt.Sprintf("report.%s.title", kind) — with the parts
// it does not spell out matching anything.
type keyUses struct {
	literals map[string]bool
	patterns []*regexp.Regexp
}

// keyLike finds a part of a key in a pattern: a letter next to a (quoted)
// dot.
var keyLike = regexp.MustCompile(`[a-z_]\\\.|\\\.[a-z_]`)

// formatVerb is a fmt verb inside a literal.
var formatVerb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

// scanKeyUses reads every non-test Go file under dir.
func scanKeyUses(t *testing.T, dir string) keyUses {
	t.Helper()
	u := keyUses{literals: map[string]bool{}}
	seen := map[string]bool{}
	addPattern := func(parts []string) {
		expr := "^" + strings.Join(parts, "") + "$"
		if !keyLike.MatchString(expr) { // "%s：%s", "。" + x: not a key
			return
		}
		if !seen[expr] {
			seen[expr] = true
			u.patterns = append(u.patterns, regexp.MustCompile(expr))
		}
	}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inner := map[ast.Expr]bool{} // operands of a concatenation already read
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.BasicLit:
				if v, err := strconv.Unquote(x.Value); err == nil && x.Kind == token.STRING {
					u.literals[v] = true
					if formatVerb.MatchString(v) {
						addPattern(patternParts(v))
					}
				}
			case *ast.BinaryExpr:
				if x.Op == token.ADD && !inner[x] {
					if parts, ok := concatParts(x, inner); ok {
						addPattern(parts)
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// patternParts turns a format string into pattern parts, each verb
// matching anything.
func patternParts(format string) []string {
	var parts []string
	last := 0
	for _, m := range formatVerb.FindAllStringIndex(format, -1) {
		parts = append(parts, regexp.QuoteMeta(format[last:m[0]]), ".*")
		last = m[1]
	}
	return append(parts, regexp.QuoteMeta(format[last:]))
}

// concatParts flattens a string concatenation into pattern parts: its
// literals as they are, anything else matching anything; the inner
// concatenations it reads go into inner. ok is false when no part is a
// literal (nothing to match a key by).
func concatParts(e ast.Expr, inner map[ast.Expr]bool) (parts []string, ok bool) {
	switch x := e.(type) {
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			inner[x.X], inner[x.Y] = true, true
			left, okL := concatParts(x.X, inner)
			right, okR := concatParts(x.Y, inner)
			return append(left, right...), okL || okR
		}
	case *ast.ParenExpr:
		inner[x.X] = true
		return concatParts(x.X, inner)
	case *ast.BasicLit:
		if v, err := strconv.Unquote(x.Value); err == nil && x.Kind == token.STRING {
			return []string{regexp.QuoteMeta(v)}, true
		}
	}
	return []string{".*"}, false
}

// used reports whether the source looks key up.
func (u keyUses) used(key string) bool {
	return u.literals[key] || slices.ContainsFunc(u.patterns, func(p *regexp.Regexp) bool { return p.MatchString(key) })
}

// fyneKeys are the texts Fyne translates itself (its widgets look them up).
func fyneKeys(t *testing.T) map[string]any {
	t.Helper()
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Fatalf("locating the Fyne module: %v", err)
	}
	raw, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "lang", "translations", "base.en.json"))
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(raw, &keys); err != nil {
		t.Fatal(err)
	}
	return keys
}

// TestNoUnusedKeys: every key of the translations is one the screens
// (ui/ and its packages) look up, literally or by a key they build, or
// one of Fyne's own texts.
func TestNoUnusedKeys(t *testing.T) {
	uses := scanKeyUses(t, "..")
	if !uses.used("nav.home") || !uses.used("post.status.draft") || uses.used("no.such.key") {
		t.Fatal("the scan of ui/ does not find the keys it should")
	}
	fyne := fyneKeys(t)
	var unused []string
	for key := range mustCatalogue(t, Chinese) {
		if _, ok := fyne[key]; !ok && !uses.used(key) {
			unused = append(unused, key)
		}
	}
	slices.Sort(unused)
	for _, key := range unused {
		t.Errorf("translation key %q is not used by any screen: remove it from zh/ and en/", key)
	}
}
