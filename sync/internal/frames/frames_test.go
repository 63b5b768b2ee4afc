package frames

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"mediadesk/sync/internal/refuse"
)

var testHeader = Header{BundleID: "b", Kind: "data", Sender: "st01", Receiver: "hq", Sequence: 3}

// payload writes a small valid payload.
func payload(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, testHeader)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Record{
		{Type: "post", ID: "p1", Owner: "st01", Version: 1, Data: []byte(`{"title":"标题"}`)},
		{Type: "post", ID: "p2", Owner: "st01", Version: 2, Data: []byte("{\n  \"indented\": true\n}")},
		{Type: "comment", ID: "c1", Owner: "st01", Version: 1, Data: []byte(`{}`)},
	} {
		if err := w.Record(r); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []string{"hello\nworld", ""} {
		if _, err := w.Attachment(sha256.Sum256([]byte(a)), int64(len(a)), Hashing(strings.NewReader(a))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.End(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	p := payload(t)
	var recs []Record
	var atts []string
	sum, err := Read(bytes.NewReader(p), Handler{
		Header: func(h Header) error {
			if h.Sequence != 3 || h.Sender != "st01" || h.Type != TypeHeader {
				t.Fatalf("header %+v", h)
			}
			return nil
		},
		Record: func(r Record) error { recs = append(recs, r); return nil },
		Attachment: func(_ [32]byte, _ int64, r io.Reader) error {
			b, err := io.ReadAll(r)
			atts = append(atts, string(b))
			return err
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || string(recs[1].Data) != `{"indented":true}` || len(atts) != 2 || atts[0] != "hello\nworld" {
		t.Fatalf("records %+v attachments %q", recs, atts)
	}
	if sum.Records != 3 || sum.Attachments != 2 || sum.AttachmentBytes != 11 || sum.Counts["post"] != 2 {
		t.Fatalf("summary %+v", sum)
	}
}

func TestReadRefusals(t *testing.T) {
	p := payload(t)
	lines := bytes.SplitAfter(p, []byte("\n"))
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	header, rec, end := lines[0], lines[1], lines[len(lines)-2]
	hello := sha256.Sum256([]byte("hello"))
	attLine := func(size string) []byte {
		return []byte(`{"type":"@attachment","sha256":"` + hexOf(hello) + `","size":` + size + "}\n")
	}
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, io.ErrUnexpectedEOF},
		{"no header", join(rec, end), refuse.Sentinel(refuse.BadRecord)},
		{"no end", join(header, rec), io.ErrUnexpectedEOF},
		{"cut inside a line", p[:len(p)-5], io.ErrUnexpectedEOF},
		{"content after the end", append(bytes.Clone(p), 'x'), refuse.Sentinel(refuse.BadRecord)},
		{"end counts wrong", join(header, rec, end), refuse.Sentinel(refuse.BadRecord)},
		{"record not JSON", join(header, []byte("{nope\n"), end), refuse.Sentinel(refuse.BadRecord)},
		{"record without version", join(header, []byte(`{"type":"post","id":"x","owner":"st01","data":{}}`+"\n"), end), refuse.Sentinel(refuse.BadRecord)},
		{"record with bad owner", join(header, []byte(`{"type":"post","id":"x","owner":"../hq","version":1,"data":{}}`+"\n"), end), refuse.Sentinel(refuse.BadRecord)},
		{"unknown frame", join(header, []byte(`{"type":"@what"}`+"\n"), end), refuse.Sentinel(refuse.BadRecord)},
		{"attachment bytes differ", join(header, attLine("5"), []byte("hellO\n"), end), refuse.Sentinel(refuse.BadRecord)},
		{"attachment cut short", join(header, attLine("5"), []byte("hel")), io.ErrUnexpectedEOF},
		{"attachment without line break", join(header, attLine("5"), []byte("hello"), end), refuse.Sentinel(refuse.BadRecord)},
		{"attachment twice", join(header, attLine("5"), []byte("hello\n"), attLine("5"), []byte("hello\n"), end), refuse.Sentinel(refuse.BadRecord)},
		{"negative attachment size", join(header, attLine("-1"), end), refuse.Sentinel(refuse.BadRecord)},
		{"record after an attachment", join(header, attLine("5"), []byte("hello\n"), rec, end), refuse.Sentinel(refuse.BadRecord)},
		{"line too long", join(header, []byte(`{"type":"post","data":"`+strings.Repeat("x", MaxRecordLine)+`"}`+"\n")), refuse.Sentinel(refuse.BadRecord)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(c.in), Handler{Attachment: func(_ [32]byte, _ int64, r io.Reader) error {
				_, err := io.Copy(io.Discard, r)
				return err
			}})
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

func TestWriterChecks(t *testing.T) {
	w, _ := NewWriter(io.Discard, testHeader)
	if _, err := w.Attachment(sha256.Sum256([]byte("abc")), 3, Hashing(strings.NewReader("abd"))); err == nil {
		t.Fatal("an attachment that does not match its hash was written")
	}
	if _, err := w.Attachment(sha256.Sum256([]byte("abc")), 3, Hashing(strings.NewReader("abcd"))); err == nil {
		t.Fatal("an attachment longer than its size was written")
	}
	if err := w.Record(Record{Type: "post", ID: "x", Owner: "st01", Version: 1, Data: []byte("{}")}); err == nil {
		t.Fatal("a record after attachments was written")
	}
	for _, id := range []string{"", "a b", `a"b`, strings.Repeat("x", MaxIDLen+1), "中文"} {
		if ValidID(id) {
			t.Fatalf("ValidID(%q)", id)
		}
	}
	for _, u := range []string{"", "-a", "A", "a/b", "a.b", strings.Repeat("a", 65)} {
		if ValidUnitID(u) {
			t.Fatalf("ValidUnitID(%q)", u)
		}
	}
}

// TestWellFormedRecord checks that a record whose JSON is not re-read
// still has its fields checked, and that its line reads back as Record's.
func TestWellFormedRecord(t *testing.T) {
	var plain, trusted bytes.Buffer
	pw, _ := NewWriter(&plain, testHeader)
	tw, _ := NewWriter(&trusted, testHeader)
	r := Record{Type: "post", ID: "p1", Owner: "st01", Version: 2, Data: []byte(` {"row":{"title":"平安汤阴\n"}} `)}
	if err := pw.Record(r); err != nil {
		t.Fatal(err)
	}
	if err := tw.WellFormedRecord(r); err != nil {
		t.Fatal(err)
	}
	if plain.String() != trusted.String() {
		t.Fatalf("lines differ:\n%s%s", plain.String(), trusted.String())
	}
	for name, bad := range map[string]Record{
		"bad type":   {Type: "", ID: "p1", Owner: "st01", Version: 1, Data: []byte("{}")},
		"bad id":     {Type: "post", ID: "a b", Owner: "st01", Version: 1, Data: []byte("{}")},
		"bad owner":  {Type: "post", ID: "p1", Owner: "A", Version: 1, Data: []byte("{}")},
		"version 0":  {Type: "post", ID: "p1", Owner: "st01", Data: []byte("{}")},
		"not object": {Type: "post", ID: "p1", Owner: "st01", Version: 1, Data: []byte("[1]")},
		"line break": {Type: "post", ID: "p1", Owner: "st01", Version: 1, Data: []byte("{\n}")},
		"empty data": {Type: "post", ID: "p1", Owner: "st01", Version: 1},
	} {
		if err := tw.WellFormedRecord(bad); err == nil {
			t.Errorf("%s: written", name)
		}
	}
}

func hexOf(h [32]byte) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 64)
	for i, c := range h {
		b[2*i], b[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(b)
}

// FuzzRead: the payload reader never panics and never hands out more
// bytes than an attachment declares.
func FuzzRead(f *testing.F) {
	f.Add(payload(f))
	f.Add([]byte(`{"type":"@header","format":"mediadesk-payload","version":1}` + "\n" + `{"type":"@end","counts":{}}` + "\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		Read(bytes.NewReader(in), Handler{
			Record: func(r Record) error {
				if _, err := CheckRecord(r); err != nil {
					t.Fatalf("an invalid record was handed out: %v", err)
				}
				return nil
			},
			Attachment: func(_ [32]byte, size int64, r io.Reader) error {
				n, err := io.Copy(io.Discard, r)
				if n > size {
					t.Fatalf("attachment of %d bytes yielded %d", size, n)
				}
				return err
			},
		})
	})
}

// TestRecordLineAgreesWithJSON checks the reflection-free decoding of
// record lines against encoding/json: the same fields where it takes a
// line, and encoding/json left to decide every other line.
func TestRecordLineAgreesWithJSON(t *testing.T) {
	taken := []string{
		`{"type":"post","id":"p1","owner":"st01","version":1,"data":{"title":"标题"}}`,
		`{"type":"post","id":"0190a-b_c.d","owner":"st-1","version":123456789012,"data":{"row":{"a":[1,{"b":null}]},"children":{}}}`,
		`{"type":"post","id":"p1","owner":"st01","version":0,"data":{}}`,
	}
	left := []string{
		`{"type":"@end","id":"p1","owner":"st01","version":1,"data":{}}`,
		`{"type":"@attachment","id":"p1","owner":"st01","version":1,"data":{}}`,
		`{"type":"post","id":"p\u0031","owner":"st01","version":1,"data":{}}`,
		`{"type":"post", "id":"p1","owner":"st01","version":1,"data":{}}`,
		`{"id":"p1","type":"post","owner":"st01","version":1,"data":{}}`,
		`{"type":"post","id":"p1","owner":"st01","version":01,"data":{}}`,
		`{"type":"post","id":"p1","owner":"st01","version":-1,"data":{}}`,
		`{"type":"post","id":"p1","owner":"st01","version":1.5,"data":{}}`,
		`{"type":"post","id":"p1","owner":"st01","version":1,"data":{"a":}}`,
		`{"type":"post","id":"p1","owner":"st01","version":1,"data":{} }`,
		`{"type":"post","id":"p1","owner":"st01","version":1,"data":[]}`,
		`{"type":"post","id":"p1","owner":"st01","version":1,"data":{}},"x":1}`,
		`{"type":"post","id":"p1","owner":"st01","version":1,"data":{}`,
		`{"type":"post","id":"p1","owner":"st01","version":1}`,
	}
	for _, raw := range taken {
		got, ok := recordLine([]byte(raw))
		var want line
		if err := json.Unmarshal([]byte(raw), &want); err != nil || !ok {
			t.Fatalf("%s: taken %v, encoding/json %v", raw, ok, err)
		}
		if got.Type != want.Type || got.ID != want.ID || got.Owner != want.Owner || got.Version != want.Version || !bytes.Equal(got.Data, want.Data) {
			t.Errorf("%s: decoded %+v, encoding/json %+v", raw, got, want)
		}
	}
	for _, raw := range left {
		if l, ok := recordLine([]byte(raw)); ok {
			t.Errorf("%s: taken as %+v", raw, l)
		}
	}
}
