package ui

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mediadesk/app"
)

// dynamicAuditActions are the endings of actions whose last part app/
// takes from a value the source does not spell out (a step HQ decided, a
// caller's argument), by the part it spells: every ending the code can
// record. A new dynamic action makes TestAuditActionsTranslated fail
// until its endings are listed here.
var dynamicAuditActions = map[string][]app.FilingStep{
	"account.":          {app.StepFile, app.StepAccept, app.StepReject, app.StepVerify, app.StepSuspend, app.StepResume, app.StepClose},
	"decision.account.": {app.StepAccept, app.StepReject, app.StepVerify},
}

// auditSink is an argument that becomes an audit action: argument arg of
// calls to fn, after prefix.
type auditSink struct {
	fn     string
	arg    int
	prefix string
}

// auditScan finds the actions app/ records, following an action from
// data.AppendAudit (and Session.audit) back through the parameters, local
// variables, constants and string concatenations it is made of.
type auditScan struct {
	funcs   map[string][]*ast.FuncDecl // by name
	calls   map[string][]auditCall     // by the called function's name
	consts  map[string]string          // string constants by name
	actions map[string]bool
	dynamic map[string]string // prefixes the source does not complete, with where
	seen    map[auditSink]bool
	fset    *token.FileSet
}

// auditCall is a call inside the function that makes it.
type auditCall struct {
	call *ast.CallExpr
	in   *ast.FuncDecl
}

// scanAuditActions parses the Go files of package dir (its tests left
// out): audit entries are written by package app itself.
func scanAuditActions(t *testing.T, dir string) *auditScan {
	t.Helper()
	s := &auditScan{funcs: map[string][]*ast.FuncDecl{}, calls: map[string][]auditCall{}, consts: map[string]string{},
		actions: map[string]bool{}, dynamic: map[string]string{}, seen: map[auditSink]bool{}, fset: token.NewFileSet()}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(s.fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		s.index(f)
	}
	s.follow(auditSink{fn: "AppendAudit", arg: 3})
	s.follow(auditSink{fn: "audit", arg: 0})
	return s
}

// calleeName is the name of the function a call calls.
func calleeName(c *ast.CallExpr) string {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// stringLit is the value of a string literal, ok false for anything else.
func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(lit.Value)
	return v, err == nil
}

// index records a file's functions, calls and string constants.
func (s *auditScan) index(f *ast.File) {
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.GenDecl:
			if d.Tok != token.CONST {
				continue
			}
			for _, spec := range d.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if v, ok := stringLit(vs.Values[i]); ok {
							s.consts[name.Name] = v
						}
					}
				}
			}
		case *ast.FuncDecl:
			s.funcs[d.Name.Name] = append(s.funcs[d.Name.Name], d)
			ast.Inspect(d, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok {
					name := calleeName(c)
					s.calls[name] = append(s.calls[name], auditCall{call: c, in: d})
				}
				return true
			})
		}
	}
}

// follow resolves the sink's argument at every call; a sink no call
// reaches leaves its prefix open.
func (s *auditScan) follow(k auditSink) {
	if s.seen[k] {
		return
	}
	s.seen[k] = true
	found := false
	for _, c := range s.calls[k.fn] {
		if k.arg < len(c.call.Args) {
			found = true
			s.resolve(c.call.Args[k.arg], k.prefix, c.in, 0)
		}
	}
	if !found {
		s.open(k.prefix, k.fn)
	}
}

// open records an action the source leaves open after prefix.
func (s *auditScan) open(prefix, where string) {
	if _, ok := s.dynamic[prefix]; !ok {
		s.dynamic[prefix] = where
	}
}

// resolve records the actions expression e of function fd makes after
// prefix.
func (s *auditScan) resolve(e ast.Expr, prefix string, fd *ast.FuncDecl, depth int) {
	if depth > 8 {
		s.open(prefix, s.fset.Position(e.Pos()).String())
		return
	}
	if v, ok := stringLit(e); ok {
		s.actions[prefix+v] = true
		return
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		s.resolve(x.X, prefix, fd, depth+1)
		return
	case *ast.BinaryExpr:
		if left, ok := stringLit(x.X); ok && x.Op == token.ADD {
			s.resolve(x.Y, prefix+left, fd, depth+1)
			return
		}
	case *ast.CallExpr: // a conversion such as string(step)
		if id, ok := x.Fun.(*ast.Ident); ok && len(x.Args) == 1 && len(s.funcs[id.Name]) == 0 {
			s.resolve(x.Args[0], prefix, fd, depth+1)
			return
		}
	case *ast.Ident:
		if i := paramIndex(fd, x.Name); i >= 0 {
			s.follow(auditSink{fn: fd.Name.Name, arg: i, prefix: prefix})
			return
		}
		if values := assigned(fd, x.Name); len(values) > 0 {
			for _, v := range values {
				s.resolve(v, prefix, fd, depth+1)
			}
			return
		}
		if v, ok := s.consts[x.Name]; ok {
			s.actions[prefix+v] = true
			return
		}
	}
	s.open(prefix, s.fset.Position(e.Pos()).String())
}

// paramIndex is the position of parameter name among fd's arguments, or
// -1.
func paramIndex(fd *ast.FuncDecl, name string) int {
	i := 0
	for _, field := range fd.Type.Params.List {
		if len(field.Names) == 0 {
			i++
		}
		for _, n := range field.Names {
			if n.Name == name {
				return i
			}
			i++
		}
	}
	return -1
}

// assigned lists the values fd assigns to variable name.
func assigned(fd *ast.FuncDecl, name string) []ast.Expr {
	var out []ast.Expr
	pick := func(names []ast.Expr, values []ast.Expr) {
		if len(names) != len(values) {
			return
		}
		for i, n := range names {
			if id, ok := n.(*ast.Ident); ok && id.Name == name {
				out = append(out, values[i])
			}
		}
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch a := n.(type) {
		case *ast.AssignStmt:
			pick(a.Lhs, a.Rhs)
		case *ast.ValueSpec:
			names := make([]ast.Expr, len(a.Names))
			for i, id := range a.Names {
				names[i] = id
			}
			pick(names, a.Values)
		}
		return true
	})
	return out
}

// appAuditActions is every action app/ records, sorted.
func appAuditActions(t *testing.T) []string {
	t.Helper()
	s := scanAuditActions(t, filepath.Join("..", "app"))
	for prefix, where := range s.dynamic {
		endings, ok := dynamicAuditActions[prefix]
		if !ok {
			t.Errorf("%s records actions %q + a value the source does not spell out: list its endings in dynamicAuditActions", where, prefix)
		}
		for _, e := range endings {
			s.actions[prefix+string(e)] = true
		}
	}
	var out []string
	for a := range s.actions {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// catalogueKeys reads the keys of a language's translation files.
func catalogueKeys(t *testing.T, lang string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("i18n", "translations", lang, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no %s translations: %v", lang, err)
	}
	keys := map[string]bool{}
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var texts map[string]string
		if err := json.Unmarshal(raw, &texts); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for k := range texts {
			keys[k] = true
		}
	}
	return keys
}

// TestAuditActionsTranslated: every action app/ records is in the audit
// screen's list, with a name in Chinese and in English; every action the
// list names is one app/ records.
func TestAuditActionsTranslated(t *testing.T) {
	recorded := appAuditActions(t)
	if len(recorded) < 40 || !slices.Contains(recorded, "post.hq_approve") || !slices.Contains(recorded, "sign-in") ||
		!slices.Contains(recorded, "account.verify") || !slices.Contains(recorded, "decision.post.return") {
		t.Fatalf("the scan of app/ found only %v", recorded)
	}
	zh, en := catalogueKeys(t, "zh"), catalogueKeys(t, "en")
	for _, a := range recorded {
		if !slices.Contains(auditActions, a) {
			t.Errorf("app/ records %q, which auditActions does not list", a)
		}
		if key := "audit.action." + a; !zh[key] || !en[key] {
			t.Errorf("no translation %q (zh %v, en %v)", key, zh[key], en[key])
		}
	}
	for _, a := range auditActions {
		if !slices.Contains(recorded, a) {
			t.Errorf("auditActions lists %q, which app/ never records", a)
		}
	}
	for key := range zh {
		if a, ok := strings.CutPrefix(key, "audit.action."); ok && !slices.Contains(auditActions, a) {
			t.Errorf("translation %q names an action auditActions does not list", key)
		}
	}
}
