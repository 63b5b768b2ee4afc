package bundle

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// needTools skips when the standard tools are not installed
// (scripts/deps.sh installs them; CI always has them).
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("interop test skipped: %q is not installed (run scripts/deps.sh, or apt-get install minisign age)", tool)
		}
	}
}

func run(t *testing.T, dir string, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return out
}

// TestInteropStandardTools checks a bundle with tar, minisign and age.
func TestInteropStandardTools(t *testing.T) {
	needTools(t, "tar", "minisign", "age")
	f := keysFixture(t)
	dir := t.TempDir()
	w := writeBundle(t, dir, f.dataHeader(12), testRecords(30, "互通"), [][]byte{pseudoRandom(100_000, 7)}, WriteOptions{})

	list := run(t, dir, nil, "tar", "tf", w.Paths[0])
	if got := strings.Fields(string(list)); !reflect.DeepEqual(got, []string{"manifest.json", "manifest.json.minisig", "payload.age"}) {
		t.Fatalf("tar tf lists %q", got)
	}
	out := filepath.Join(dir, "x")
	os.Mkdir(out, 0o755)
	run(t, out, nil, "tar", "xf", w.Paths[0])

	pub := f.station.Public().Minisign()
	verified := run(t, out, nil, "minisign", "-V", "-P", pub, "-m", "manifest.json")
	if !strings.Contains(string(verified), "trusted comment: "+w.Manifest.trustedComment()) &&
		!strings.Contains(string(verified), "Trusted comment: "+w.Manifest.trustedComment()) {
		t.Fatalf("minisign output lacks the trusted comment:\n%s", verified)
	}
	// minisign must also refuse a changed manifest, and another key.
	manifest, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	os.WriteFile(filepath.Join(out, "manifest.json"), bytes.Replace(manifest, []byte(`"sequence": 12`), []byte(`"sequence": 13`), 1), 0o644)
	if exec.Command("minisign", "-V", "-P", pub, "-m", filepath.Join(out, "manifest.json")).Run() == nil {
		t.Fatal("minisign accepted a changed manifest")
	}
	os.WriteFile(filepath.Join(out, "manifest.json"), manifest, 0o644)
	if exec.Command("minisign", "-V", "-P", f.other.Public().Minisign(), "-m", filepath.Join(out, "manifest.json")).Run() == nil {
		t.Fatal("minisign accepted another key")
	}

	identity := filepath.Join(dir, "hq.key")
	os.WriteFile(identity, []byte(f.hq.age.String()+"\n"), 0o600)
	plain := run(t, out, nil, "age", "-d", "-i", identity, "payload.age")
	first, _, _ := bytes.Cut(plain, []byte("\n"))
	var h map[string]any
	if err := json.Unmarshal(first, &h); err != nil {
		t.Fatalf("first payload line %q: %v", first, err)
	}
	want := map[string]any{"type": "@header", "format": "mediadesk-payload", "version": 1.0, "bundle_id": w.Manifest.BundleID,
		"kind": "data", "sender": "st01", "receiver": "hq", "sequence": 12.0}
	if !reflect.DeepEqual(h, want) {
		t.Fatalf("payload header %v, want %v", h, want)
	}
	if !bytes.HasSuffix(plain, []byte(`"counts":{"comment":10,"post":10,"training":10}}`+"\n")) {
		t.Fatalf("payload does not end with the end line: …%q", plain[max(0, len(plain)-120):])
	}
	// The wrong identity cannot decrypt.
	os.WriteFile(identity, []byte(f.station.age.String()+"\n"), 0o600)
	if exec.Command("age", "-d", "-i", identity, filepath.Join(out, "payload.age")).Run() == nil {
		t.Fatal("age decrypted with another identity")
	}
}

// TestInteropSplitAndEnrollment lists joined parts with tar and checks an
// enrollment file's signature with minisign.
func TestInteropSplitAndEnrollment(t *testing.T) {
	needTools(t, "tar", "minisign")
	f := keysFixture(t)
	dir := t.TempDir()
	w := writeBundle(t, dir, f.dataHeader(3), testRecords(5, ""), [][]byte{pseudoRandom(200_000, 8)}, WriteOptions{PartSize: MinPartSize})
	var joined []byte
	for _, p := range w.Paths {
		b, _ := os.ReadFile(p)
		joined = append(joined, b...)
	}
	if got := strings.Fields(string(run(t, dir, joined, "tar", "tf", "-"))); len(got) != 3 || got[2] != "payload.age" {
		t.Fatalf("joined parts list as %q", got)
	}

	path := writeTestEnrollment(t, dir, f)
	out := filepath.Join(dir, "e")
	os.Mkdir(out, 0o755)
	run(t, out, nil, "tar", "xf", path)
	got := run(t, out, nil, "minisign", "-V", "-P", f.hq.Public().Minisign(), "-m", "enrollment.json")
	sc := bufio.NewScanner(bytes.NewReader(got))
	found := false
	for sc.Scan() {
		found = found || strings.Contains(strings.ToLower(sc.Text()), "trusted comment: mediadesk-enrollment v1")
	}
	if !found {
		t.Fatalf("minisign output:\n%s", got)
	}
}
