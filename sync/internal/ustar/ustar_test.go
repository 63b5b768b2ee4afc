package ustar

import (
	"archive/tar"
	"bytes"
	"errors"
	"testing"
	"time"

	"mediadesk/sync/internal/refuse"
)

// TestHeaderReadsAsTar: what Header writes, the standard library's tar
// reader reads as a plain regular file, and Parse reads back.
func TestHeaderReadsAsTar(t *testing.T) {
	mtime := time.Date(2025, 6, 1, 8, 30, 0, 0, time.UTC)
	h, err := Header("manifest.json", 5, mtime)
	if err != nil {
		t.Fatal(err)
	}
	archive := append(h[:], "hello"...)
	archive = append(archive, make([]byte, Pad(5)+2*BlockSize)...)
	hdr, err := tar.NewReader(bytes.NewReader(archive)).Next()
	if err != nil || hdr.Name != "manifest.json" || hdr.Size != 5 || hdr.Typeflag != tar.TypeReg || !hdr.ModTime.Equal(mtime) ||
		hdr.Mode != 0o644 || hdr.Format != tar.FormatUSTAR {
		t.Fatalf("archive/tar reads %+v, %v", hdr, err)
	}
	size, err := Parse(h[:], "manifest.json", nil, 10)
	if err != nil || size != 5 {
		t.Fatalf("Parse: %d %v", size, err)
	}
	if _, err := Parse(h[:], "manifest.json", nil, 4); !errors.Is(err, refuse.Sentinel(refuse.Oversized)) {
		t.Fatalf("over the limit: %v", err)
	}
	if _, err := Header("a/b", 1, mtime); err == nil {
		t.Fatal("a name with a slash was written")
	}
}

// TestParseRefusesForeignHeaders: headers written by archive/tar for
// other kinds of member are refused as unsafe.
func TestParseRefusesForeignHeaders(t *testing.T) {
	for _, h := range []*tar.Header{
		{Name: "manifest.json", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd", Format: tar.FormatUSTAR},
		{Name: "manifest.json", Typeflag: tar.TypeLink, Linkname: "payload.age", Format: tar.FormatUSTAR},
		{Name: "../manifest.json", Typeflag: tar.TypeReg, Format: tar.FormatUSTAR},
		{Name: "x/manifest.json", Typeflag: tar.TypeReg, Format: tar.FormatUSTAR},
		{Name: "manifest.json", Typeflag: tar.TypeReg, Format: tar.FormatPAX, PAXRecords: map[string]string{"comment": "x"}},
		{Name: "manifest.json", Typeflag: tar.TypeDir, Format: tar.FormatUSTAR},
	} {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		_, err := Parse(buf.Bytes()[:BlockSize], "manifest.json", []string{"x"}, 1<<20)
		if !errors.Is(err, refuse.Sentinel(refuse.UnsafeEntry)) {
			t.Fatalf("%s %q: %v", string(h.Typeflag), h.Name, err)
		}
	}
}
