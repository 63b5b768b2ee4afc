package bundle

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	f := keysFixture(t)
	dir := t.TempDir()
	recs := testRecords(50, "你好")
	atts := [][]byte{pseudoRandom(200_000, 1), pseudoRandom(10, 2), {}, pseudoRandom(10, 2)}
	w := writeBundle(t, dir, f.dataHeader(42), recs, atts, WriteOptions{})
	if want := []string{inDir(dir, "st01-to-hq-000042.mdbundle")}; !reflect.DeepEqual(w.Paths, want) {
		t.Fatalf("paths %v, want %v", w.Paths, want)
	}
	if got := listDir(t, dir); !reflect.DeepEqual(got, []string{"st01-to-hq-000042.mdbundle"}) {
		t.Fatalf("dir holds %v", got)
	}
	m := w.Manifest
	if m.Sequence != 42 || m.Sender.Unit != "st01" || m.Receiver.Unit != "hq" || m.Kind != KindData ||
		m.Payload.Records != 50 || m.Payload.Attachments != 3 || m.Counts["post"] != 17 || len(m.Parts) != 1 ||
		!reflect.DeepEqual(m.Ack, Ack{Contiguous: 3, Later: []int64{5, 9}, BundleID: ackedBundle}) || m.Sender.KeyID != f.station.Public().KeyID() {
		t.Fatalf("manifest %+v", m)
	}
	got, gotAtts := readAll(t, f, w.Paths[0])
	if len(got) != len(recs) {
		t.Fatalf("%d records back, want %d", len(got), len(recs))
	}
	for i := range recs {
		if got[i].Type != recs[i].Type || got[i].ID != recs[i].ID || got[i].Owner != recs[i].Owner ||
			got[i].Version != recs[i].Version || !bytes.Equal(got[i].Data, recs[i].Data) {
			t.Fatalf("record %d: %+v, want %+v", i, got[i], recs[i])
		}
	}
	if len(gotAtts) != 3 {
		t.Fatalf("%d attachments back, want 3 (one duplicate)", len(gotAtts))
	}
	for _, a := range atts {
		if !bytes.Equal(gotAtts[memAttachment(a).SHA256], a) {
			t.Fatalf("attachment of %d bytes differs", len(a))
		}
	}
	rm, err := ReadManifest(w.Paths[0])
	if err != nil || rm.BundleID != m.BundleID || rm.Payload != m.Payload {
		t.Fatalf("ReadManifest: %v %+v", err, rm)
	}
}

func TestSplitIntoParts(t *testing.T) {
	f := keysFixture(t)
	dir := t.TempDir()
	atts := [][]byte{pseudoRandom(300_000, 3), pseudoRandom(100_000, 4)}
	w := writeBundle(t, dir, f.dataHeader(7), testRecords(20, "x"), atts, WriteOptions{PartSize: MinPartSize})
	want := []string{"st01-to-hq-000007.mdbundle", "st01-to-hq-000007.mdbundle.part2", "st01-to-hq-000007.mdbundle.part3",
		"st01-to-hq-000007.mdbundle.part4", "st01-to-hq-000007.mdbundle.part5", "st01-to-hq-000007.mdbundle.part6",
		"st01-to-hq-000007.mdbundle.part7"}
	if got := listDir(t, dir); !reflect.DeepEqual(got, want) {
		t.Fatalf("dir holds %v, want %v", got, want)
	}
	for k, p := range w.Manifest.Parts {
		st, err := os.Stat(w.Paths[k])
		if err != nil || st.Size() != p.Size || (k < len(want)-1 && p.Size != MinPartSize) {
			t.Fatalf("part %d: %v size %d, manifest %d", k+1, err, st.Size(), p.Size)
		}
	}
	recs, gotAtts := readAll(t, f, w.Paths[0])
	if len(recs) != 20 || !bytes.Equal(gotAtts[memAttachment(atts[0]).SHA256], atts[0]) {
		t.Fatal("split bundle did not read back")
	}
	// The whole archive lists with tar when its parts are joined.
	var joined []byte
	for _, p := range w.Paths {
		b, _ := os.ReadFile(p)
		joined = append(joined, b...)
	}
	if int64(len(joined)) != w.Manifest.Parts[0].Size*int64(len(w.Paths)-1)+w.Manifest.Parts[len(w.Paths)-1].Size {
		t.Fatal("parts do not join to the archive")
	}
	// A later part is not a bundle of its own.
	if _, err := Open(context.Background(), w.Paths[2], f.hqOpen()); !errors.Is(err, ErrNotBundle) || !strings.Contains(err.Error(), want[0]) {
		t.Fatalf("opening part 3: %v", err)
	}
	if first, ok := IsLaterPart(w.Paths[1]); !ok || first != w.Paths[0] {
		t.Fatalf("IsLaterPart(%s) = %s, %v", w.Paths[1], first, ok)
	}
	if _, ok := IsLaterPart(w.Paths[0]); ok {
		t.Fatal("part 1 taken for a later part")
	}
	// A re-export of the same sequence in fewer parts removes the old extra parts.
	writeBundle(t, dir, f.dataHeader(7), testRecords(20, "x"), nil, WriteOptions{PartSize: MinPartSize})
	if got := listDir(t, dir); !reflect.DeepEqual(got, want[:1]) {
		t.Fatalf("after re-export dir holds %v", got)
	}
}

func TestRegistrationKind(t *testing.T) {
	f := keysFixture(t)
	dir := t.TempDir()
	h := f.dataHeader(0)
	h.Kind = KindRegistration
	w := writeBundle(t, dir, h, testRecords(1, "unit"), nil, WriteOptions{})
	if got := listDir(t, dir); !reflect.DeepEqual(got, []string{"st01-to-hq-registration.mdbundle"}) {
		t.Fatalf("dir holds %v", got)
	}
	path := w.Paths[0]
	// HQ does not know this key yet; a registration is opened as such.
	b, err := Open(context.Background(), path, OpenOptions{Receiver: "hq", Registration: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	m := b.Manifest()
	pub, err := ParsePublicKeys(m.Sender.Minisign, m.Sender.Age)
	if err != nil || pub.Fingerprint() != f.station.Public().Fingerprint() {
		t.Fatalf("carried key: %v", err)
	}
	if err := b.Records(context.Background(), f.hq, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), path, f.hqOpen()); !errors.Is(err, ErrWrongKind) {
		t.Fatalf("registration through ordinary import: %v", err)
	}
	data := writeBundle(t, dir, f.dataHeader(1), nil, nil, WriteOptions{})
	if _, err := Open(context.Background(), data.Paths[0], OpenOptions{Registration: true}); !errors.Is(err, ErrWrongKind) {
		t.Fatalf("data bundle as registration: %v", err)
	}
}

// TestWriteRefusesOversizedEarly: attachments known to exceed the
// payload limit are refused before anything is read or written.
func TestWriteRefusesOversizedEarly(t *testing.T) {
	f := keysFixture(t)
	dir := t.TempDir()
	half := Attachment{SHA256: Hash{1}, Size: MaxPayload/2 + 1, Open: func() (io.ReadCloser, error) {
		t.Error("an attachment was opened")
		return nil, errors.New("not here")
	}}
	other := half
	other.SHA256 = Hash{2}
	records := func(func(Record) error) error {
		t.Error("the records were read")
		return nil
	}
	if _, err := Write(context.Background(), dir, f.dataHeader(1), records, []Attachment{half, other}, WriteOptions{}); !errors.Is(err, ErrOversized) {
		t.Fatalf("got %v, want an oversized refusal", err)
	}
	if left := listDir(t, dir); len(left) != 0 {
		t.Fatalf("left %v", left)
	}
	// One attachment listed twice is sent once: not too big, so it is
	// opened (and fails here).
	opened := errors.New("opened")
	half.Open = func() (io.ReadCloser, error) { return nil, opened }
	if _, err := Write(context.Background(), dir, f.dataHeader(1), nil, []Attachment{half, half}, WriteOptions{}); !errors.Is(err, opened) {
		t.Fatalf("an attachment listed twice: %v", err)
	}
}

func TestRecordsNeedsCheckedSender(t *testing.T) {
	f := keysFixture(t)
	w := writeBundle(t, t.TempDir(), f.dataHeader(1), testRecords(3, ""), nil, WriteOptions{})
	b, err := Open(context.Background(), w.Paths[0], OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Records(context.Background(), f.hq, nil, nil); !errors.Is(err, ErrNotVerified) {
		t.Fatalf("Records without a signer check: %v", err)
	}
	b2, _ := Open(context.Background(), w.Paths[0], f.hqOpen())
	defer b2.Close()
	if err := b2.Records(context.Background(), f.other, nil, nil); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("Records with another key: %v", err)
	}
	stop := errors.New("caller stops")
	err = b2.Records(context.Background(), f.hq, func(Record) error { return stop }, nil)
	if !errors.Is(err, stop) || errors.As(err, new(*Error)) || !strings.HasPrefix(err.Error(), "st01-to-hq-000001.mdbundle: ") {
		t.Fatalf("a callback's error must come back as the caller's, naming the file: %v", err)
	}
}

func TestWriteCancelLeavesNothing(t *testing.T) {
	f := keysFixture(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	big := pseudoRandom(4<<20, 5)
	att := memAttachment(big)
	open := att.Open
	att.Open = func() (io.ReadCloser, error) {
		rc, _ := open()
		return struct {
			io.Reader
			io.Closer
		}{io.MultiReader(io.LimitReader(rc, 1<<20), readerFunc(func([]byte) (int, error) { cancel(); return 0, nil }), rc), rc}, nil
	}
	_, err := Write(ctx, dir, f.dataHeader(1), source(testRecords(10, "")), []Attachment{att}, WriteOptions{PartSize: MinPartSize})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Write after cancel: %v", err)
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Fatalf("cancelled write left %v", got)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

func TestWriteBadInputLeavesNothing(t *testing.T) {
	f := keysFixture(t)
	bad := testRecords(3, "")
	bad[2].Data = []byte(`[1,2]`)
	wrong := memAttachment([]byte("content"))
	wrong.Size = 3
	wrongAuth := wrong
	wrongAuth.Authenticated = true
	lies := memAttachment([]byte("content"))
	lies.Open = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("CONTENT")), nil }
	srcErr := errors.New("database gone")
	cases := []struct {
		name string
		h    func(*Header)
		recs RecordSource
		atts []Attachment
		want error
	}{
		{"record data not an object", nil, source(bad), nil, ErrBadRecord},
		{"bad record type", nil, source([]Record{{Type: "Post", ID: "1", Owner: "st01", Version: 1, Data: []byte("{}")}}), nil, ErrBadRecord},
		{"attachment size lies", nil, nil, []Attachment{wrong}, ErrInvalidInput},
		{"authenticated attachment size lies", nil, nil, []Attachment{wrongAuth}, ErrInvalidInput},
		{"attachment content lies", nil, nil, []Attachment{lies}, ErrInvalidInput},
		{"source fails", nil, func(func(Record) error) error { return srcErr }, nil, srcErr},
		{"sequence 0 for data", func(h *Header) { h.Sequence = 0 }, nil, nil, ErrInvalidInput},
		{"sender is receiver", func(h *Header) { h.ReceiverUnit = "st01" }, nil, nil, ErrInvalidInput},
		{"upper-case unit", func(h *Header) { h.SenderUnit = "ST01" }, nil, nil, ErrInvalidInput},
		{"ack later not increasing", func(h *Header) { h.Ack.Later = []int64{9, 5} }, nil, nil, ErrInvalidInput},
		{"ack names a bundle before any", func(h *Header) { h.Ack.Contiguous, h.Ack.Later = 0, nil }, nil, nil, ErrInvalidInput},
		{"ack names no UUIDv7", func(h *Header) { h.Ack.BundleID = "01975c1e-7a2b-4c3d-9e4f-0a1b2c3d4e5f" }, nil, nil, ErrInvalidInput},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			h := f.dataHeader(1)
			if c.h != nil {
				c.h(&h)
			}
			_, err := Write(context.Background(), dir, h, c.recs, c.atts, WriteOptions{})
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if got := listDir(t, dir); len(got) != 0 {
				t.Fatalf("failed write left %v", got)
			}
		})
	}
}

func TestWriteProgress(t *testing.T) {
	f := keysFixture(t)
	var calls [][2]int64
	writeBundle(t, t.TempDir(), f.dataHeader(1), testRecords(10, ""), [][]byte{pseudoRandom(5<<20, 6)},
		WriteOptions{Progress: func(done, total int64) { calls = append(calls, [2]int64{done, total}) }})
	if len(calls) < 3 {
		t.Fatalf("only %d progress calls", len(calls))
	}
	for i, c := range calls {
		if c[0] > c[1] || (i > 0 && c[0] < calls[i-1][0]) {
			t.Fatalf("progress not monotone or over total: %v", calls)
		}
	}
	if last := calls[len(calls)-1]; last[0] != last[1] {
		t.Fatalf("last progress %v is not done", last)
	}
}

func TestKeys(t *testing.T) {
	f := keysFixture(t)
	k2, err := ParseKeys(f.station.MarshalSecret())
	if err != nil || !k2.Public().Equal(f.station.Public()) {
		t.Fatalf("secret round trip: %v", err)
	}
	pub := f.station.Public()
	p2, err := ParsePublicKeys(pub.MinisignFile(), pub.Age())
	if err != nil || !p2.Equal(pub) || p2.Fingerprint() != pub.Fingerprint() {
		t.Fatalf("public round trip: %v", err)
	}
	fp := pub.Fingerprint()
	if len(fp) != 29 || strings.Count(fp, " ") != 5 || strings.Trim(fp, "0123456789 ") != "" {
		t.Fatalf("fingerprint %q is not 6 groups of 4 digits", fp)
	}
	if fp == f.hq.Public().Fingerprint() || pub.KeyID() == f.hq.Public().KeyID() || len(pub.KeyID()) != 16 {
		t.Fatal("two keys share a fingerprint or key id")
	}
	if _, err := ParsePublicKeys(pub.Minisign(), strings.ToUpper(pub.Age())); !errors.Is(err, ErrBadKey) {
		t.Fatalf("upper-case recipient: %v", err)
	}
	// A minisign key whose id is not derived from it.
	raw := []byte(pub.Minisign())
	raw[5] ^= 1
	if _, err := ParsePublicKeys(string(raw), pub.Age()); !errors.Is(err, ErrBadKey) {
		t.Fatalf("foreign key id: %v", err)
	}
	if _, err := ParseKeys([]byte(`{"format":"mediadesk-keys","version":1,"ed25519_seed":"AAAA","age_identity":"x"}`)); !errors.Is(err, ErrDamaged) {
		t.Fatalf("bad secret: %v", err)
	}
}

func TestErrorMessages(t *testing.T) {
	e := &Error{Code: "wrong-receiver", File: "a.mdbundle", Zh: "接收单位是 st02", En: "addressed to st02"}
	want := "a.mdbundle：这个文件不是发给本单位的（接收单位是 st02） / a.mdbundle: this bundle is addressed to another unit (addressed to st02)"
	if e.Error() != want {
		t.Fatalf("got %q", e.Error())
	}
	if !errors.Is(e, ErrWrongReceiver) || errors.Is(e, ErrDamaged) {
		t.Fatal("errors.Is does not follow the code")
	}
}
