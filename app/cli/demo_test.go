package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"mediadesk/app"
)

func TestDemoCommand(t *testing.T) {
	for _, args := range [][]string{{"demo"}, {"demo", "--data", t.TempDir(), "--units", "0"}, {"demo", "--data", t.TempDir(), "--units", "21"}} {
		if r := run(t, nil, args...); r.code != 2 {
			t.Errorf("%v: %+v", args, r)
		}
	}
	dir := filepath.Join(t.TempDir(), "county")
	r := run(t, nil, "demo", "--data", dir, "--units", "1", "--fast")
	if r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	for _, want := range []string{"mediadesk --data " + filepath.Join(dir, "hq"), "mediadesk --data " + filepath.Join(dir, "chengguan"),
		"leader", app.DemoPassword, "--fast", "恢复密钥"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the output lacks %q:\n%s", want, r.stdout)
		}
	}
	if r := run(t, nil, "demo", "--data", dir); r.code != 1 || !strings.Contains(r.stderr, "空文件夹") {
		t.Errorf("a second demo in the same folder: %+v", r)
	}
}
