package cli

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"mediadesk/app"
	"mediadesk/data"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return vars[k] }, Config: testConfig}
	code := Run(args, env)
	return result{code, out.String(), errOut.String()}
}

// testConfig opens stores with cheap key derivation.
func testConfig(dir string) app.Config {
	return app.Config{Dir: dir, Store: data.Options{KDF: data.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}}}
}

func TestInitUserAddExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	pw := map[string]string{"MEDIADESK_PASSWORD": "admin-pass-1", "MEDIADESK_NEW_PASSWORD": "officer-pass-1"}
	r := run(t, pw, "init", "--data", dir, "--role", "station", "--unit", "城关派出所", "--admin", "admin")
	if r.code != 0 || !strings.Contains(r.stdout, "恢复密钥") {
		t.Fatalf("init: %+v", r)
	}
	if r := run(t, pw, "init", "--data", dir, "--role", "station", "--unit", "x", "--admin", "a"); r.code == 0 || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("second init: %+v", r)
	}
	if r := run(t, pw, "user", "add", "--data", dir, "--name", "li", "--role", "officer"); r.code != 0 {
		t.Fatalf("user add: %+v", r)
	}
	if r := run(t, pw, "user", "add", "--data", dir, "--name", "zhao", "--role", "hq-staff"); r.code != 1 || !strings.Contains(r.stderr, "--role") {
		t.Fatalf("wrong role: %+v", r)
	}
	short := map[string]string{"MEDIADESK_PASSWORD": "admin-pass-1", "MEDIADESK_NEW_PASSWORD": "abc"}
	if r := run(t, short, "user", "add", "--data", dir, "--name", "wu", "--role", "officer"); r.code != 1 || !strings.HasPrefix(r.stderr, "mediadesk: MEDIADESK_NEW_PASSWORD:") {
		t.Fatalf("the new user's short password is not blamed on MEDIADESK_NEW_PASSWORD: %+v", r)
	}
	// A word left over (a flag's name forgotten) is refused, not ignored
	// with every flag after it.
	if r := run(t, pw, "user", "add", "wu", "--data", dir, "--name", "wu", "--role", "officer"); r.code != 2 || !strings.Contains(r.stderr, "多余的参数") {
		t.Fatalf("a word left over: %+v", r)
	}
	// an officer's password is not an admin's
	officer := map[string]string{"MEDIADESK_PASSWORD": "officer-pass-1", "MEDIADESK_NEW_PASSWORD": "x-pass-123"}
	if r := run(t, officer, "user", "add", "--data", dir, "--name", "x", "--role", "officer"); r.code != 1 {
		t.Fatalf("officer as admin: %+v", r)
	}
	if r := run(t, officer, "user", "add", "--data", dir, "--as", "li", "--name", "x", "--role", "officer"); r.code != 1 || !strings.Contains(r.stderr, "无权") {
		t.Fatalf("officer --as: %+v", r)
	}
	if r := run(t, pw, "db", "export-plain", "--data", dir, "--out", filepath.Join(dir, "plain.db")); r.code != 1 || !strings.Contains(r.stderr, "--out") {
		t.Fatalf("export into the data dir: %+v", r)
	}
	out := filepath.Join(t.TempDir(), "plain.db")
	if r := run(t, pw, "db", "export-plain", "--data", dir, "--out", out); r.code != 0 {
		t.Fatalf("export: %+v", r)
	}
	db, err := sql.Open("sqlite3", out)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM users").Scan(&n); err != nil || n != 2 {
		t.Fatalf("plain export users: %d %v", n, err)
	}
	head, _ := os.ReadFile(out)
	if !bytes.HasPrefix(head, []byte("SQLite format 3")) {
		t.Fatal("export is not a SQLite file")
	}
}

func TestErrorsAreOneLine(t *testing.T) {
	dir := t.TempDir()
	cases := [][]string{
		{"frobnicate"},
		{"init", "--data", dir, "--role", "police", "--unit", "u", "--admin", "a"},
		{"init", "--bogus"},
		{"user", "remove"},
		{"db", "export-plain", "--data", dir},
		{"db", "export-plain", "--data", dir, "--out", filepath.Join(dir, "x.db")},
	}
	for _, args := range cases {
		r := run(t, map[string]string{"MEDIADESK_PASSWORD": "admin-pass-1"}, args...)
		if r.code == 0 || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
			t.Errorf("%v: %+v", args, r)
		}
	}
	if r := run(t, nil, "init", "--data", dir, "--role", "hq", "--unit", "宣传科", "--admin", "a"); r.code != 1 || !strings.Contains(r.stderr, "MEDIADESK_PASSWORD") {
		t.Errorf("no password: %+v", r)
	}
	if r := run(t, map[string]string{"MEDIADESK_PASSWORD": "short"}, "init", "--data", dir, "--role", "hq", "--unit", "宣传科", "--admin", "a"); r.code != 1 || !strings.Contains(r.stderr, "MEDIADESK_PASSWORD") {
		t.Errorf("short password: %+v", r)
	}
}

func TestVersion(t *testing.T) {
	if r := run(t, nil, "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "mediadesk ") {
		t.Fatalf("%+v", r)
	}
	if !IsCommand([]string{"init"}) || IsCommand([]string{"--data", "x"}) || IsCommand(nil) || !IsCommand([]string{"exprot"}) {
		t.Fatal("IsCommand")
	}
	// A mistyped command is refused with the usage, not taken for window
	// options (which would open the window on the default store).
	if r := run(t, nil, "exprot", "--data", "x"); r.code != 2 || !strings.Contains(r.stderr, "未知命令 exprot") {
		t.Fatalf("mistyped command: %+v", r)
	}
	if r := run(t, nil, "export", "--bogus"); r.code != 2 || !strings.Contains(r.stderr, "没有选项 --bogus / unknown flag --bogus") {
		t.Fatalf("unknown flag: %+v", r)
	}
	if r := run(t, nil, "inspect", "--out"); r.code != 2 || !strings.Contains(r.stderr, "--out") {
		t.Fatalf("flag without a value: %+v", r)
	}
}
