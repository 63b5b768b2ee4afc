package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mediadesk/app"
)

// TestJoinAgainWithUsedEnrollment: the enrollment file stays on the stick;
// joining again with it is refused and the station goes on as before.
func TestJoinAgainWithUsedEnrollment(t *testing.T) {
	c := newCLICounty(t)
	enroll := filepath.Join(c.stick, "城关-登记.mdenroll")
	out := t.TempDir()
	must(t, c.pw, "export", "--data", c.st, "--out", out)
	must(t, c.pw, "import", "--data", c.hq, out)
	before := must(t, c.pw, "keys", "show", "--data", c.st).stdout
	failsOneLine(t, c.pw, "revokes the station", "join", "--data", c.st, "--enrollment", enroll, "--out", t.TempDir())
	if after := must(t, c.pw, "keys", "show", "--data", c.st).stdout; after != before {
		t.Fatalf("a refused join changed the keys:\n%s\n%s", before, after)
	}
	next := t.TempDir()
	must(t, c.pw, "export", "--data", c.st, "--out", next)
	if r := must(t, c.pw, "import", "--data", c.hq, next); !strings.Contains(r.stdout, "imported: ") {
		t.Fatalf("after the refused join: %+v", r)
	}
}

// TestImportOlderBundleIsNotAFailure: a folder holding an older bundle
// whose content came with a newer one imports with exit 0 and says so.
func TestImportOlderBundleIsNotAFailure(t *testing.T) {
	c := newCLICounty(t)
	first, second := t.TempDir(), t.TempDir()
	must(t, c.pw, "export", "--data", c.st, "--out", first)
	must(t, c.pw, "export", "--data", c.st, "--out", second)
	must(t, c.pw, "import", "--data", c.hq, second)
	r := must(t, c.pw, "import", "--data", c.hq, first)
	if !strings.Contains(r.stdout, "nothing to import: "+filepath.Join(first, "st1-to-")) || !strings.Contains(r.stdout, "a newer one already imported") || r.stderr != "" {
		t.Fatalf("an older bundle: %+v", r)
	}
}

// TestKeysShowOnFreshHQ: showing keys makes none, so a key backup can
// still be restored afterwards.
func TestKeysShowOnFreshHQ(t *testing.T) {
	c := newCLICounty(t)
	pass := map[string]string{"MEDIADESK_PASSWORD": "admin-pass-1", backupVar: "Backup-pass-2026"}
	file := filepath.Join(t.TempDir(), "hq-keys.age")
	must(t, pass, "keys", "backup", "--data", c.hq, "--out", file)

	hq2 := filepath.Join(t.TempDir(), "hq2")
	must(t, c.pw, "init", "--data", hq2, "--role", "hq", "--unit", "宣传科新电脑", "--admin", "admin")
	for range 2 {
		if r := must(t, c.pw, "keys", "show", "--data", hq2); !strings.Contains(r.stdout, "尚未生成单位密钥") || strings.Contains(r.stdout, "fingerprint") {
			t.Fatalf("keys show on a fresh HQ: %+v", r)
		}
	}
	must(t, pass, "keys", "restore", "--data", hq2, file)

	st2 := filepath.Join(t.TempDir(), "st2")
	must(t, c.pw, "init", "--data", st2, "--role", "station", "--unit", "城关派出所", "--admin", "admin")
	if r := must(t, c.pw, "keys", "show", "--data", st2); !strings.Contains(r.stdout, "mediadesk join") {
		t.Fatalf("keys show on a fresh station: %+v", r)
	}
}

// TestBundleCommandsRefuseFolder: verify and inspect given a folder say so.
func TestBundleCommandsRefuseFolder(t *testing.T) {
	dir := t.TempDir()
	failsOneLine(t, nil, "is a folder", "verify", dir)
	failsOneLine(t, nil, "is a folder", "inspect", dir)
}

// TestStationExportOtherUnit: a station exports to its HQ only.
func TestStationExportOtherUnit(t *testing.T) {
	c := newCLICounty(t)
	out := t.TempDir()
	failsOneLine(t, c.pw, "exports to its HQ", "export", "--data", c.st, "--out", out, "--unit", "caiyuan")
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Fatalf("a refused export wrote %v", entries)
	}
	hq := strings.TrimSpace(afterLabel(t, must(t, c.pw, "keys", "show", "--data", c.hq).stdout, "unit: "))
	hqID := hq[strings.LastIndex(hq, "(")+1 : len(hq)-1]
	for _, unit := range []string{"all", hqID} {
		if r := must(t, c.pw, "export", "--data", c.st, "--out", out, "--unit", unit); len(lines(r.stdout)) != 1 {
			t.Fatalf("export --unit %s: %+v", unit, r)
		}
	}
}

// TestRevokeSelfAndTwice: HQ cannot revoke itself; revoking twice says
// so and keeps the first revocation.
func TestRevokeSelfAndTwice(t *testing.T) {
	c := newCLICounty(t)
	hq := strings.TrimSpace(afterLabel(t, must(t, c.pw, "keys", "show", "--data", c.hq).stdout, "unit: "))
	hqID := hq[strings.LastIndex(hq, "(")+1 : len(hq)-1]
	failsOneLine(t, c.pw, "cannot revoke itself", "hq", "revoke", "--data", c.hq, "--unit-id", hqID)
	must(t, c.pw, "hq", "revoke", "--data", c.hq, "--unit-id", "st1")
	revokedAt := func() int64 {
		t.Helper()
		s, err := app.SignIn(testConfig(c.hq), "admin", c.pw["MEDIADESK_PASSWORD"])
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		units, err := s.Units()
		if err != nil || len(units) != 1 || units[0].State != app.UnitRevoked {
			t.Fatalf("units %+v %v", units, err)
		}
		return units[0].RevokedAt
	}
	before := revokedAt()
	if r := must(t, c.pw, "hq", "revoke", "--data", c.hq, "--unit-id", "st1"); !strings.Contains(r.stdout, "revoked already: nothing changed") {
		t.Fatalf("revoked twice: %+v", r)
	}
	if after := revokedAt(); after != before {
		t.Fatalf("revoking twice moved the revocation from %d to %d", before, after)
	}
}
