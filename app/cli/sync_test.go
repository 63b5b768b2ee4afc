package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mediadesk/app"
)

// afterLabel returns what follows label on the line of out that has it.
func afterLabel(t *testing.T, out, label string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if _, v, ok := strings.Cut(line, label); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %q in %q", label, out)
	return ""
}

// must runs a command that must succeed.
func must(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	r := run(t, vars, args...)
	if r.code != 0 {
		t.Fatalf("%v: %+v", args, r)
	}
	return r
}

// failsOneLine runs a command that must fail with exit code 1 and one
// error line containing want.
func failsOneLine(t *testing.T, vars map[string]string, want string, args ...string) result {
	t.Helper()
	r := run(t, vars, args...)
	if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, want) {
		t.Fatalf("%v: %+v, want exit 1 and one line with %q", args, r, want)
	}
	return r
}

// county is an HQ and a station install joined through the command line.
type cliCounty struct {
	hq, st, stick string
	pw            map[string]string
}

func newCLICounty(t *testing.T) cliCounty {
	t.Helper()
	root := t.TempDir()
	c := cliCounty{hq: filepath.Join(root, "hq"), st: filepath.Join(root, "st"), stick: filepath.Join(root, "stick"),
		pw: map[string]string{"MEDIADESK_PASSWORD": "admin-pass-1", "MEDIADESK_NEW_PASSWORD": "officer-pass-1"}}
	os.Mkdir(c.stick, 0o755)
	must(t, c.pw, "init", "--data", c.hq, "--role", "hq", "--unit", "汤阴县公安局宣传科", "--admin", "admin")
	must(t, c.pw, "init", "--data", c.st, "--role", "station", "--unit", "城关派出所", "--admin", "admin")

	// enroll: --out names the file to write
	enrollFile := filepath.Join(c.stick, "城关-登记.mdenroll")
	r := must(t, c.pw, "hq", "enroll", "--data", c.hq, "--unit-id", "st1", "--unit", "城关派出所", "--out", enrollFile)
	hqFP := afterLabel(t, r.stdout, "HQ fingerprint (read it out to the station): ")
	if afterLabel(t, r.stdout, "enrollment file: ") != enrollFile {
		t.Fatalf("enroll wrote %q", r.stdout)
	}
	if entries, _ := os.ReadDir(c.stick); len(entries) != 1 {
		t.Fatalf("the stick holds %v", entries)
	}

	// join: --out names a folder
	r = must(t, c.pw, "join", "--data", c.st, "--enrollment", enrollFile, "--out", c.stick)
	if afterLabel(t, r.stdout, "HQ fingerprint (check it with HQ): ") != hqFP {
		t.Fatalf("join shows another HQ fingerprint: %q", r.stdout)
	}
	stFP := afterLabel(t, r.stdout, "this unit's fingerprint (read it out to HQ): ")
	reg := afterLabel(t, r.stdout, "registration: ")
	if filepath.Dir(reg) != c.stick || !strings.HasSuffix(reg, "-registration.mdbundle") {
		t.Fatalf("registration at %q", reg)
	}

	// register: a wrong fingerprint is refused without telling the right
	// one (the check is typing what the station reads out), the right one
	// (flag after the file) accepted
	wrong := failsOneLine(t, c.pw, "指纹不一致", "hq", "register", "--data", c.hq, reg, "--fingerprint", "0000 0000 0000 0000 0000 0000")
	if strings.Contains(wrong.stderr+wrong.stdout, stFP) {
		t.Fatalf("a wrong fingerprint was answered with the right one: %+v", wrong)
	}
	r = must(t, c.pw, "hq", "register", "--data", c.hq, reg, "--fingerprint", stFP)
	if afterLabel(t, r.stdout, "station fingerprint: ") != stFP {
		t.Fatalf("register: %q", r.stdout)
	}
	return c
}

// submitPost has an officer of the station draft and submit a post.
func submitPost(t *testing.T, c cliCounty) {
	t.Helper()
	must(t, c.pw, "user", "add", "--data", c.st, "--name", "li", "--role", "officer")
	s, err := app.SignIn(testConfig(c.st), "li", c.pw["MEDIADESK_NEW_PASSWORD"])
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.SaveDraft(app.PostDraft{Title: "冬季防火提示", Body: "天干物燥，请大家注意用火安全。", Category: "防范提示", Targets: []string{"weibo"}})
	if err == nil {
		_, err = s.Submit(p.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// lines returns the non-empty lines of s.
func lines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' })
}

func TestSyncRound(t *testing.T) {
	c := newCLICounty(t)
	submitPost(t, c)

	out := t.TempDir()
	r := must(t, c.pw, "export", "--data", c.st, "--out", out)
	files := lines(r.stdout)
	if len(files) != 1 || filepath.Dir(files[0]) != out || !strings.HasPrefix(filepath.Base(files[0]), "st1-to-") {
		t.Fatalf("export printed %q", r.stdout)
	}
	bundleFile := files[0]

	// import a folder, then the same file again
	r = must(t, c.pw, "import", "--data", c.hq, out)
	if !strings.Contains(r.stdout, "imported: "+bundleFile) {
		t.Fatalf("import: %+v", r)
	}
	r = must(t, c.pw, "import", "--data", c.hq, bundleFile)
	if !strings.Contains(r.stdout, "already imported: "+bundleFile) {
		t.Fatalf("second import: %+v", r)
	}

	// verify: alone, and with HQ's register; a flipped byte fails
	if r := must(t, nil, "verify", bundleFile); !strings.Contains(r.stdout, "add --data") {
		t.Errorf("verify without --data does not say the sender was not checked: %q", r.stdout)
	}
	if r := must(t, c.pw, "verify", bundleFile, "--data", c.hq); strings.Contains(r.stdout, "add --data") {
		t.Errorf("verify with --data: %q", r.stdout)
	}
	b, _ := os.ReadFile(bundleFile)
	b[520] ^= 1
	flipped := filepath.Join(t.TempDir(), filepath.Base(bundleFile))
	os.WriteFile(flipped, b, 0o644)
	failsOneLine(t, nil, " / ", "verify", flipped)
	failsOneLine(t, c.pw, " / ", "verify", "--data", c.st, bundleFile) // not for the station

	// inspect: the manifest as JSON
	r = must(t, nil, "inspect", bundleFile)
	var m struct {
		Sender   struct{ Unit string } `json:"sender"`
		Sequence int64                 `json:"sequence"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil || m.Sender.Unit != "st1" || m.Sequence != 1 {
		t.Fatalf("inspect: %v %q", err, r.stdout)
	}

	// stats: the post arrived at HQ
	r = must(t, c.pw, "stats", "--data", c.hq)
	var st app.SyncStats
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || st.Records["post"]["st1"] != 1 || st.Ledger["in imported"] != 1 {
		t.Fatalf("stats: %v %q", err, r.stdout)
	}

	// HQ's answer reaches the station
	back := t.TempDir()
	r = must(t, c.pw, "export", "--data", c.hq, "--out", back, "--unit", "st1")
	must(t, c.pw, "import", "--data", c.st, lines(r.stdout)[0])

	// after a revocation the station's bundles are refused
	must(t, c.pw, "hq", "revoke", "--data", c.hq, "--unit-id", "st1")
	next := t.TempDir()
	r = must(t, c.pw, "export", "--data", c.st, "--out", next)
	r = run(t, c.pw, "import", "--data", c.hq, lines(r.stdout)[0])
	if r.code != 1 || !strings.Contains(r.stderr, "refused: "+filepath.Join(next, "st1-to-")) || len(lines(r.stderr)) != 2 {
		t.Fatalf("import of a revoked station's bundle: %+v", r)
	}
}

func TestKeysCommands(t *testing.T) {
	c := newCLICounty(t)
	pass := map[string]string{"MEDIADESK_PASSWORD": "admin-pass-1", backupVar: "Backup-pass-2026"}

	r := must(t, c.pw, "keys", "show", "--data", c.hq)
	for _, want := range []string{"fingerprint: ", "age: age1", "untrusted comment: minisign public key", "signing"} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("keys show lacks %q: %q", want, r.stdout)
		}
	}
	fp := afterLabel(t, r.stdout, "fingerprint: ")

	file := filepath.Join(t.TempDir(), "hq-keys.age")
	failsOneLine(t, c.pw, backupVar, "keys", "backup", "--data", c.hq, "--out", file)
	failsOneLine(t, map[string]string{"MEDIADESK_PASSWORD": "admin-pass-1", backupVar: "short"}, backupVar, "keys", "backup", "--data", c.hq, "--out", file)
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatal("a refused backup left a file")
	}
	must(t, pass, "keys", "backup", "--data", c.hq, "--out", file)
	// --out a folder, as export takes it: the backup gets a name of its own.
	folder := t.TempDir()
	if r := must(t, pass, "keys", "backup", "--data", c.hq, "--out", folder); !strings.Contains(r.stdout, filepath.Join(folder, "hq-keys-")) {
		t.Errorf("backup into a folder: %q", r.stdout)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", fi, err)
	}

	// restore on a new HQ install
	hq2 := filepath.Join(t.TempDir(), "hq2")
	must(t, c.pw, "init", "--data", hq2, "--role", "hq", "--unit", "宣传科新电脑", "--admin", "admin")
	failsOneLine(t, map[string]string{"MEDIADESK_PASSWORD": "admin-pass-1", backupVar: "Wrong-pass-2026"}, "wrong passphrase", "keys", "restore", "--data", hq2, file)
	failsOneLine(t, pass, "same kind", "keys", "restore", "--data", c.st, file)
	r = must(t, pass, "keys", "restore", file, "--data", hq2)
	if afterLabel(t, r.stdout, "fingerprint: ") != fp {
		t.Fatalf("restored keys: %q", r.stdout)
	}
	failsOneLine(t, pass, "new data folder", "keys", "restore", "--data", hq2, file)

	// a station rotates; a second rotation waits for HQ
	r = must(t, c.pw, "keys", "rotate", "--data", c.st)
	newKey := afterLabel(t, r.stdout, "new key: ")
	r = must(t, c.pw, "keys", "show", "--data", c.st)
	if !strings.Contains(r.stdout, newKey+"（新密钥") || strings.Count(r.stdout, "key ") < 2 {
		t.Fatalf("keys show during a rotation: %q", r.stdout)
	}
	failsOneLine(t, c.pw, "acknowledged", "keys", "rotate", "--data", c.st)
	failsOneLine(t, c.pw, "", "keys", "rotate", "--data", c.hq)
}

func TestSyncUsageErrors(t *testing.T) {
	dir := t.TempDir()
	cases := [][]string{
		{"hq"},
		{"hq", "frobnicate"},
		{"keys", "lose"},
		{"hq", "enroll", "--data", dir, "--unit", "x", "--out", dir},
		{"join", "--data", dir, "--out", dir},
		{"hq", "register", "--data", dir},
		{"import", "--data", dir},
		{"verify"},
		{"inspect", "a", "b"},
		{"keys", "restore", "--data", dir},
	}
	for _, args := range cases {
		r := run(t, map[string]string{"MEDIADESK_PASSWORD": "admin-pass-1"}, args...)
		if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
			t.Errorf("%v: %+v", args, r)
		}
	}
	missing := filepath.Join(dir, "nothing.mdbundle")
	failsOneLine(t, nil, " / ", "inspect", missing)
	failsOneLine(t, nil, " / ", "verify", missing)
	failsOneLine(t, nil, "mediadesk init", "stats", "--data", filepath.Join(dir, "none"))
	if r := run(t, nil, "help"); r.code != 0 || !strings.Contains(r.stdout, "mediadesk keys backup") || !strings.Contains(r.stdout, backupVar) {
		t.Fatalf("help: %+v", r)
	}
	for _, cmd := range []string{"hq", "join", "keys", "export", "import", "verify", "inspect", "stats"} {
		if !IsCommand([]string{cmd}) {
			t.Errorf("IsCommand(%s)", cmd)
		}
	}
}
