package drives

import (
	"os"
	"slices"
	"testing"
)

func TestRemovableMounts(t *testing.T) {
	f, err := os.Open("testdata/mounts")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := removableMounts(f, "wang")
	want := []string{"/media/wang/KINGSTON", `/run/media/wang/U 盘\备份`}
	if !slices.Equal(got, want) {
		t.Errorf("mounts of wang: %q, want %q", got, want)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	got = removableMounts(f, "")
	want = []string{"/media/li/OTHER", "/media/wang/KINGSTON", `/run/media/wang/U 盘\备份`}
	if !slices.Equal(got, want) {
		t.Errorf("mounts of anyone: %q, want %q", got, want)
	}
}

func TestUnescapeMount(t *testing.T) {
	for in, want := range map[string]string{
		`/media/u/A\040B`:       "/media/u/A B",
		`/media/u/tab\011x`:     "/media/u/tab\tx",
		`/media/u/nl\012`:       "/media/u/nl\n",
		`/media/u/back\134`:     `/media/u/back\`,
		`/media/u/short\04`:     `/media/u/short\04`,
		`/media/u/not\999octal`: `/media/u/not\999octal`,
		"/plain":                "/plain",
	} {
		if got := unescapeMount(in); got != want {
			t.Errorf("unescapeMount(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestListReadsThisMachine(t *testing.T) {
	for _, d := range List() {
		if d.Path == "" || d.Label == "" {
			t.Errorf("drive without path or label: %+v", d)
		}
	}
}
