package bundle

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sync/atomic"
	"syscall"
	"testing"

	"mediadesk/sync/internal/splitfile"
	"mediadesk/sync/internal/ustar"
)

// layoutOf locates the members of a single-part bundle.
func layoutOf(t testing.TB, b []byte) (manifest, sig, payload member) {
	t.Helper()
	ms, _, err := readHead(bytes.NewReader(b), int64(len(b)), []slot{
		{memberManifest, maxManifest, true}, {memberSignature, maxSignature, true}, {memberPayload, MaxPayload, false}})
	if err != nil {
		t.Fatal(err)
	}
	return ms[0], ms[1], ms[2]
}

// resigned returns file with its manifest changed by edit and signed by k.
func resigned(t testing.TB, file []byte, k *Keys, edit func(*Manifest)) []byte {
	t.Helper()
	mm, _, _ := layoutOf(t, file)
	m := new(Manifest)
	jsonUnmarshal(t, mm.data, m)
	edit(m)
	head, err := m.head(k)
	if err != nil {
		t.Fatal(err)
	}
	return append(head, file[headerRoom:]...)
}

// resignedJSON returns file with its manifest's JSON text changed by edit
// (the room refilled with spaces) and signed by k.
func resignedJSON(t testing.TB, file []byte, k *Keys, edit func([]byte) []byte) []byte {
	t.Helper()
	mm, sg, pl := layoutOf(t, file)
	var m Manifest
	jsonUnmarshal(t, mm.data, &m)
	body := edit(bytes.TrimRight(mm.data, " "))
	body = append(body, bytes.Repeat([]byte{' '}, len(mm.data)-len(body))...)
	sig := sign(k, body, m.trustedComment(), "unit "+m.Sender.Unit)
	if int64(len(sig)) != sg.size {
		t.Fatalf("signature of %d bytes, want %d", len(sig), sg.size)
	}
	out, _ := appendMember(nil, memberManifest, body, m.Created)
	out, _ = appendMember(out, memberSignature, sig, m.Created)
	return append(out, file[pl.off-ustar.BlockSize:]...)
}

// withHeader returns file with the header block at off rewritten by edit
// (its checksum recomputed).
func withHeader(file []byte, off int64, edit func(h []byte)) []byte {
	c := bytes.Clone(file)
	h := c[off : off+ustar.BlockSize]
	edit(h)
	copy(h[148:156], "        ")
	var sum int
	for _, x := range h {
		sum += int(x)
	}
	copy(h[148:], fmt.Sprintf("%06o\x00 ", sum))
	return c
}

func setName(name string) func([]byte) {
	return func(h []byte) { copy(h[:100], make([]byte, 100)); copy(h, name) }
}

func setType(typ byte, link string) func([]byte) {
	return func(h []byte) { h[156] = typ; copy(h[157:257], link) }
}

func setSize(n int64) func([]byte) {
	return func(h []byte) { copy(h[124:136], fmt.Sprintf("%011o\x00", n)) }
}

// snapshot returns every file in dir with the hash of its content.
func snapshot(t testing.TB, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	for _, name := range listDir(t, dir) {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		out[name] = sha256.Sum256(b)
	}
	return out
}

// openAndRead is an HQ import: Open, then Records; it returns the first
// error and how many records and attachments reached the callbacks.
func openAndRead(path string, f *fixture, opts OpenOptions) (int, error) {
	b, err := Open(context.Background(), path, opts)
	if err != nil {
		return 0, err
	}
	defer b.Close()
	n := 0
	err = b.Records(context.Background(), f.hq, func(Record) error { n++; return nil },
		func(_ Hash, _ int64, r io.Reader) error { n++; _, err := io.Copy(io.Discard, r); return err })
	return n, err
}

func TestRefusals(t *testing.T) {
	f := keysFixture(t)
	src := t.TempDir()
	atts := [][]byte{pseudoRandom(150_000, 9)}
	w1 := writeBundle(t, src, f.dataHeader(1), testRecords(10, "AAAA"), atts, WriteOptions{})
	w2 := writeBundle(t, src, f.dataHeader(2), testRecords(10, "BBBB"), atts, WriteOptions{})
	good, _ := os.ReadFile(w1.Paths[0])
	other, _ := os.ReadFile(w2.Paths[0])
	mm, sg, pl := layoutOf(t, good)
	_, _, pl2 := layoutOf(t, other)
	if pl.size != pl2.size {
		t.Fatalf("test bundles differ in payload size: %d, %d", pl.size, pl2.size)
	}
	payloadEnd := pl.off + pl.size
	seqAt := int(mm.off) + bytes.Index(mm.data, []byte(`"sequence": 1`)) + len(`"sequence": `)
	createdT := int(mm.off) + bytes.Index(mm.data, []byte(`"created": "2025-06-01T`)) + len(`"created": "2025-06-01`)
	enrollment, err := os.ReadFile(writeTestEnrollment(t, t.TempDir(), f))
	if err != nil {
		t.Fatal(err)
	}
	swapped := append(bytes.Clone(good[:pl.off]), other[pl.off:]...)
	hqOpts := f.hqOpen()
	lookup := func(pub PublicKeys, revoked, ok bool) OpenOptions {
		return OpenOptions{Receiver: "hq", Signers: func(string, string) (PublicKeys, bool, bool) { return pub, revoked, ok }}
	}

	cases := []struct {
		name string
		file []byte
		opts OpenOptions
		want error
	}{
		{"flipped byte in the manifest's tar header", flip(good, 5), hqOpts, ErrDamaged},
		{"flipped byte in the payload's tar header", flip(good, int(pl.off)-512+140), hqOpts, ErrDamaged},
		{"flipped byte in the manifest", flip(good, seqAt), hqOpts, ErrBadSignature},
		{"flipped byte in the manifest's created time", flip(good, createdT), hqOpts, ErrBadSignature},
		{"signed manifest with a fractional size", resignedJSON(t, good, f.station, func(b []byte) []byte {
			return regexp.MustCompile(`"size": \d+`).ReplaceAll(b, []byte(`"size": 1.5`))
		}), hqOpts, ErrBadManifest},
		{"signed manifest whose created is no time", resignedJSON(t, good, f.station, func(b []byte) []byte {
			return regexp.MustCompile(`"created": "[^"]*"`).ReplaceAll(b, []byte(`"created": "yesterday"`))
		}), hqOpts, ErrBadManifest},
		{"flipped byte in the manifest's padding", flip(good, int(mm.off+mm.size)-3), hqOpts, ErrDamaged},
		{"flipped byte in the signature", flip(good, int(sg.off)+100), hqOpts, ErrBadSignature},
		{"flipped byte in the age header", flip(good, int(pl.off)+40), hqOpts, ErrPayloadMismatch},
		{"flipped byte in the payload body", flip(good, int(pl.off+pl.size/2)), hqOpts, ErrPayloadMismatch},
		{"flipped byte in the last chunk", flip(good, int(payloadEnd)-5), hqOpts, ErrPayloadMismatch},
		{"flipped byte in the end-of-archive blocks", flip(good, len(good)-100), hqOpts, ErrDamaged},
		{"truncated in the manifest", good[:900], hqOpts, ErrTruncated},
		{"truncated in the signature", good[:sg.off+50], hqOpts, ErrTruncated},
		{"truncated in the payload", good[:pl.off+pl.size/2], hqOpts, ErrTruncated},
		{"truncated in the end blocks", good[:len(good)-10], hqOpts, ErrTruncated},
		{"bytes appended", append(bytes.Clone(good), make([]byte, 512)...), hqOpts, ErrDamaged},
		{"payloads swapped between two bundles", swapped, hqOpts, ErrPayloadMismatch},
		{"payload of another size swapped in", append(withHeader(good[:pl.off], pl.off-512, setSize(pl.size+512)), append(append(bytes.Clone(good[pl.off:payloadEnd]), make([]byte, 512)...), good[payloadEnd:]...)...), hqOpts, ErrBadManifest},
		{"manifest signed by another key", resigned(t, good, f.other, func(*Manifest) {}), hqOpts, ErrBadSignature},
		{"manifest for another receiver", good, OpenOptions{Receiver: "st09", Signers: f.signers()}, ErrWrongReceiver},
		{"unknown signer", good, lookup(PublicKeys{}, false, false), ErrUnknownSigner},
		{"revoked signer", good, lookup(f.station.Public(), true, true), ErrRevokedSigner},
		{"another key registered for the unit", good, lookup(f.other.Public(), false, true), ErrUnknownSigner},
		{"newer format", resigned(t, good, f.station, func(m *Manifest) { m.Version, m.MinReaderVersion = 2, 2 }), hqOpts, ErrNewerFormat},
		{"signed manifest with impossible values", resigned(t, good, f.station, func(m *Manifest) { m.Counts["post"]++ }), hqOpts, ErrBadManifest},
		{"member name ../manifest.json", withHeader(good, 0, setName("../manifest.json")), hqOpts, ErrUnsafeEntry},
		{"absolute member name", withHeader(good, 0, setName("/etc/manifest.json")), hqOpts, ErrUnsafeEntry},
		{"member name ./manifest.json", withHeader(good, 0, setName("./manifest.json")), hqOpts, ErrUnsafeEntry},
		{"symlink member", withHeader(good, 0, setType('2', "/etc/passwd")), hqOpts, ErrUnsafeEntry},
		{"hard link member", withHeader(good, sg.off-512, setType('1', "manifest.json")), hqOpts, ErrUnsafeEntry},
		{"directory member", withHeader(good, 0, setType('5', "")), hqOpts, ErrUnsafeEntry},
		{"PAX extended header", withHeader(good, 0, setType('x', "")), hqOpts, ErrUnsafeEntry},
		{"duplicate member", withHeader(good, sg.off-512, setName(memberManifest)), hqOpts, ErrUnsafeEntry},
		{"link name on a regular file", withHeader(good, 0, setType('0', "x")), hqOpts, ErrUnsafeEntry},
		{"oversized manifest", withHeader(good, 0, setSize(10<<20)), hqOpts, ErrOversized},
		{"oversized signature", withHeader(good, sg.off-512, setSize(1<<20)), hqOpts, ErrOversized},
		{"empty file (an interrupted copy)", nil, hqOpts, ErrTruncated},
		{"enrollment file given to an import", enrollment, hqOpts, ErrWrongKind},
		{"enrollment file given where a registration belongs", enrollment, OpenOptions{Receiver: "hq", Registration: true}, ErrWrongKind},
		{"not a bundle", []byte("GIF89a this is a picture, not a bundle, but long enough to be read as one block" + string(make([]byte, 600))), hqOpts, ErrNotBundle},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "st01-to-hq-000001.mdbundle")
			if err := os.WriteFile(path, c.file, 0o644); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			n, err := openAndRead(path, f, c.opts)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if n != 0 {
				t.Fatalf("%d records or attachments reached the caller before the refusal", n)
			}
			var r *Error
			if !errors.As(err, &r) || r.File != "st01-to-hq-000001.mdbundle" {
				t.Fatalf("the refusal %q does not name the file", err)
			}
			if after := snapshot(t, dir); !reflect.DeepEqual(before, after) {
				t.Fatal("the refused file or its folder changed")
			}
		})
	}
}

// TestManifestFlips flips each byte of a manifest's JSON text: every
// flip that leaves valid JSON is a bad signature (or, in the format, not
// a bundle), whatever value it changes — a time, a number, a key — and
// the others are a damaged file; never a strange value.
func TestManifestFlips(t *testing.T) {
	f := keysFixture(t)
	w := writeBundle(t, t.TempDir(), f.dataHeader(1), testRecords(3, ""), [][]byte{pseudoRandom(1000, 3)}, WriteOptions{})
	good, _ := os.ReadFile(w.Paths[0])
	mm, _, _ := layoutOf(t, good)
	text := bytes.LastIndexByte(mm.data, '}') + 2 // the object and its LF
	badSignatures := 0
	for i := range text {
		file := flip(good, int(mm.off)+i)
		_, err := readBundleHead(splitfile.Part{Name: "b.mdbundle", Size: int64(len(file)), R: bytes.NewReader(file)})
		obj := file[mm.off : mm.off+int64(text)]
		var s struct{ Format string }
		want := ErrBadSignature
		switch {
		case !json.Valid(obj):
			want = ErrDamaged
		case json.Unmarshal(obj, &s) == nil && s.Format != bundleFormat:
			want = ErrNotBundle
		default:
			badSignatures++
		}
		if !errors.Is(err, want) {
			t.Errorf("byte %d flipped (%q): got %v, want %v", i, mm.data[max(i-15, 0):i+1], err, want)
		}
	}
	if badSignatures < text/2 {
		t.Fatalf("only %d of %d flips kept valid JSON", badSignatures, text)
	}
}

// TestReadErrorsWhileImporting: a file that fails to read during Records
// (a stick pulled out, EIO, a file cut short since Open) is refused as
// truncated, to be copied again, naming the file, not as altered; also
// when the caller's attachment consumer met the error.
func TestReadErrorsWhileImporting(t *testing.T) {
	f := keysFixture(t)
	w := writeBundle(t, t.TempDir(), f.dataHeader(1), testRecords(10, ""), [][]byte{pseudoRandom(150_000, 4)}, WriteOptions{})
	good, _ := os.ReadFile(w.Paths[0])
	_, _, pl := layoutOf(t, good)
	name := filepath.Base(w.Paths[0])
	consume := func(_ Hash, _ int64, r io.Reader) error { _, err := io.Copy(io.Discard, r); return err }
	cases := []struct {
		name   string
		failAt int64 // reads past it fail with EIO; 0: the file is cut short there
		att    func(Hash, int64, io.Reader) error
	}{
		{"EIO in the age header", pl.off + 10, consume},
		{"EIO in an attachment the caller reads", pl.off + 100_000, consume},
		{"EIO in an attachment nobody reads", pl.off + 100_000, nil},
		{"file cut short after Open", 0, consume},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(path, good, 0o644); err != nil {
				t.Fatal(err)
			}
			file, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer file.Close()
			r := &failingFile{r: file}
			b, err := openParts(context.Background(), splitfile.Part{Name: name, Size: int64(len(good)), R: r},
				func(int) (splitfile.Part, error) { return splitfile.Part{}, errors.New("one part") }, f.hqOpen())
			if err != nil {
				t.Fatal(err)
			}
			if c.failAt > 0 {
				r.failAt.Store(c.failAt)
			} else if err := os.Truncate(path, pl.off+pl.size/2); err != nil {
				t.Fatal(err)
			}
			err = b.Records(context.Background(), f.hq, nil, c.att)
			var refusal *Error
			if !errors.Is(err, ErrTruncated) || !errors.As(err, &refusal) || refusal.File != name {
				t.Fatalf("got %v, want a truncated refusal naming %s", err, name)
			}
			if c.failAt > 0 && !errors.Is(err, syscall.EIO) {
				t.Fatalf("the refusal %v does not keep the read error", err)
			}
		})
	}
}

// failingFile reads r, but once failAt is set, fails every read past it
// with EIO, as a stick pulled out does.
type failingFile struct {
	r      io.ReaderAt
	failAt atomic.Int64
}

func (f *failingFile) ReadAt(p []byte, off int64) (int, error) {
	at := f.failAt.Load()
	if at == 0 || off+int64(len(p)) <= at {
		return f.r.ReadAt(p, off)
	}
	n := 0
	if off < at {
		n, _ = f.r.ReadAt(p[:at-off], off)
	}
	return n, &fs.PathError{Op: "read", Path: "/media/stick/b.mdbundle", Err: syscall.EIO}
}

// TestRefusalsAfterDecrypting covers what only the receiver can see:
// validly signed manifests over payloads that say something else.
func TestRefusalsAfterDecrypting(t *testing.T) {
	f := keysFixture(t)
	w := writeBundle(t, t.TempDir(), f.dataHeader(4), testRecords(6, "x"), nil, WriteOptions{})
	good, _ := os.ReadFile(w.Paths[0])
	cases := []struct {
		name string
		file []byte
		opts OpenOptions
		want error
	}{
		{"sequence differs from the payload's", resigned(t, good, f.station, func(m *Manifest) { m.Sequence = 5 }), f.hqOpen(), ErrHeaderMismatch},
		{"bundle id differs from the payload's", resigned(t, good, f.station, func(m *Manifest) { m.BundleID = "01975c1e-7a2b-7c3d-9e4f-0a1b2c3d4e5f" }), f.hqOpen(), ErrHeaderMismatch},
		{"receiver differs from the payload's", resigned(t, good, f.station, func(m *Manifest) { m.Receiver.Unit = "hq2" }), OpenOptions{Receiver: "hq2", Signers: f.signers()}, ErrHeaderMismatch},
		{"another registered unit re-signs a station's payload", resigned(t, good, f.other, func(m *Manifest) {
			pub := f.other.Public()
			m.Sender = Sender{Unit: "st02", KeyID: pub.KeyID(), Minisign: pub.Minisign(), Age: pub.Age()}
		}), f.hqOpen(), ErrHeaderMismatch},
		{"counts differ from the payload's", resigned(t, good, f.station, func(m *Manifest) {
			m.Counts = map[string]int64{"post": 6}
		}), f.hqOpen(), ErrPayloadMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "b.mdbundle")
			os.WriteFile(path, c.file, 0o644)
			before := snapshot(t, dir)
			n, err := openAndRead(path, f, c.opts)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if errors.Is(err, ErrHeaderMismatch) && n != 0 {
				t.Fatalf("%d records reached the caller before the header was checked", n)
			}
			if !reflect.DeepEqual(before, snapshot(t, dir)) {
				t.Fatal("the refused file changed")
			}
		})
	}
}

// TestChangedAfterOpen: the file changes between Open and Records.
func TestChangedAfterOpen(t *testing.T) {
	f := keysFixture(t)
	w := writeBundle(t, t.TempDir(), f.dataHeader(1), testRecords(5, ""), [][]byte{pseudoRandom(300_000, 10)}, WriteOptions{})
	b, err := Open(context.Background(), w.Paths[0], f.hqOpen())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	file, _ := os.ReadFile(w.Paths[0])
	_, _, pl := layoutOf(t, file)
	os.WriteFile(w.Paths[0], flip(file, int(pl.off+pl.size-100)), 0o644)
	if err := b.Records(context.Background(), f.hq, nil, nil); !errors.Is(err, ErrPayloadMismatch) {
		t.Fatalf("got %v", err)
	}
}

func TestPartRefusals(t *testing.T) {
	f := keysFixture(t)
	src := t.TempDir()
	w := writeBundle(t, src, f.dataHeader(2), testRecords(5, ""), [][]byte{pseudoRandom(250_000, 11)}, WriteOptions{PartSize: MinPartSize})
	if len(w.Paths) < 4 {
		t.Fatalf("only %d parts", len(w.Paths))
	}
	name := func(k int) string { return filepath.Base(PartPath(w.Paths[0], k)) }
	cases := []struct {
		name     string
		change   func(dir string)
		want     error
		wantFile string
	}{
		{"missing part", func(dir string) { os.Remove(filepath.Join(dir, name(3))) }, ErrMissingPart, name(1)},
		{"truncated part", func(dir string) { os.Truncate(filepath.Join(dir, name(2)), 1000) }, ErrTruncated, name(2)},
		{"longer part", func(dir string) {
			fh, _ := os.OpenFile(filepath.Join(dir, name(2)), os.O_APPEND|os.O_WRONLY, 0)
			fh.Write([]byte{0})
			fh.Close()
		}, ErrDamaged, name(2)},
		{"flipped byte in a part", func(dir string) {
			p := filepath.Join(dir, name(3))
			b, _ := os.ReadFile(p)
			os.WriteFile(p, flip(b, 777), 0o644)
		}, ErrDamaged, name(3)},
		{"parts swapped", func(dir string) {
			a, b := filepath.Join(dir, name(2)), filepath.Join(dir, name(3))
			os.Rename(a, a+".x")
			os.Rename(b, a)
			os.Rename(a+".x", b)
		}, ErrDamaged, name(2)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for k := range w.Paths {
				copyFile(t, w.Paths[k], filepath.Join(dir, name(k+1)))
			}
			c.change(dir)
			before := snapshot(t, dir)
			_, err := openAndRead(filepath.Join(dir, name(1)), f, f.hqOpen())
			var r *Error
			if !errors.Is(err, c.want) || !errors.As(err, &r) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if c.want != ErrMissingPart && r.File != c.wantFile {
				t.Fatalf("refusal names %q, want %q", r.File, c.wantFile)
			}
			if !reflect.DeepEqual(before, snapshot(t, dir)) {
				t.Fatal("the refused files changed")
			}
		})
	}
	// A leftover part beyond the manifest's count is ignored.
	dir := t.TempDir()
	for k := range w.Paths {
		copyFile(t, w.Paths[k], filepath.Join(dir, name(k+1)))
	}
	os.WriteFile(filepath.Join(dir, name(len(w.Paths)+1)), []byte("old"), 0o644)
	if n, err := openAndRead(filepath.Join(dir, name(1)), f, f.hqOpen()); err != nil || n != 6 {
		t.Fatalf("with a leftover part: %d, %v", n, err)
	}
}

// TestLostStick: whoever finds the stick reads no record or attachment.
func TestLostStick(t *testing.T) {
	f := keysFixture(t)
	dir := t.TempDir()
	canaries := []string{"CANARY-RECORD-7f3a", "金丝雀机密记录", "CANARY-ATTACHMENT-91bc"}
	recs := testRecords(20, canaries[0]+" "+canaries[1])
	att := bytes.Repeat([]byte(canaries[2]+" "), 5000)
	reg := f.dataHeader(0)
	reg.Kind = KindRegistration
	var files []string
	for _, w := range []*Written{
		writeBundle(t, dir, f.dataHeader(1), recs, [][]byte{att}, WriteOptions{}),
		writeBundle(t, dir, f.dataHeader(2), recs, [][]byte{att}, WriteOptions{PartSize: MinPartSize}),
		writeBundle(t, dir, reg, recs, [][]byte{att}, WriteOptions{}),
	} {
		files = append(files, w.Paths...)
	}
	for _, p := range files {
		b, _ := os.ReadFile(p)
		for _, c := range canaries {
			if bytes.Contains(b, []byte(c)) {
				t.Fatalf("%s contains canary %q", filepath.Base(p), c)
			}
		}
	}
	// The canaries are there for the receiver.
	got, gotAtts := readAll(t, f, files[0])
	if !bytes.Contains(got[0].Data, []byte(canaries[0])) || len(gotAtts) != 1 {
		t.Fatal("the receiver does not see the content")
	}
}
