package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyExitCodes: verify exits 0 for a valid bundle, 1 for an
// invalid one, and 2, with its own message, when it cannot check because
// the store does not open (a wrong password, no store there), whatever
// the bundle.
func TestVerifyExitCodes(t *testing.T) {
	c := newCLICounty(t)
	out := t.TempDir()
	bundleFile := lines(must(t, c.pw, "export", "--data", c.st, "--out", out).stdout)[0]
	b, _ := os.ReadFile(bundleFile)
	b[520] ^= 1
	flipped := filepath.Join(t.TempDir(), filepath.Base(bundleFile))
	if err := os.WriteFile(flipped, b, 0o644); err != nil {
		t.Fatal(err)
	}
	wrongPW := map[string]string{"MEDIADESK_PASSWORD": "not-the-password-9"}

	must(t, c.pw, "verify", bundleFile, "--data", c.hq)
	failsOneLine(t, c.pw, " / ", "verify", flipped, "--data", c.hq)
	failsOneLine(t, nil, " / ", "verify", flipped)

	notChecked := func(what string, vars map[string]string, args ...string) {
		t.Helper()
		r := run(t, vars, args...)
		if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" ||
			!strings.Contains(r.stderr, "未核对同步包") || !strings.Contains(r.stderr, "the bundle was not checked") {
			t.Errorf("%s: %+v, want exit 2 and one line saying the bundle was not checked", what, r)
		}
		t.Logf("%s: %s", what, r.stderr)
	}
	notChecked("wrong password", wrongPW, "verify", bundleFile, "--data", c.hq)
	notChecked("wrong password, invalid bundle", wrongPW, "verify", flipped, "--data", c.hq)
	notChecked("no store there", c.pw, "verify", bundleFile, "--data", filepath.Join(t.TempDir(), "none"))
	notChecked("no password", nil, "verify", bundleFile, "--data", c.hq)

	if r := run(t, nil, "help"); !strings.Contains(r.stdout, "2 not checked") {
		t.Errorf("the usage does not document verify's exit 2: %q", r.stdout)
	}
}
