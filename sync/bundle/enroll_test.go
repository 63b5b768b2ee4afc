package bundle

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func testEnrollment() Enrollment {
	return Enrollment{Issued: time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC), HQUnit: "hq", HQName: "宣传科", Unit: "st01", UnitName: "城关派出所",
		Records: []Record{{Type: "reply_template", ID: "t1", Owner: "hq", Version: 2, Data: []byte(`{"text":"您好"}`)},
			{Type: "lexicon", ID: "v3", Owner: "hq", Version: 1, Data: []byte(`{"words":["诈骗"]}`)}}}
}

func writeTestEnrollment(t testing.TB, dir string, f *fixture) string {
	t.Helper()
	path, err := WriteEnrollment(dir, f.hq, testEnrollment())
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEnrollmentRoundTrip(t *testing.T) {
	f := keysFixture(t)
	dir := t.TempDir()
	path := writeTestEnrollment(t, dir, f)
	if got := listDir(t, dir); !reflect.DeepEqual(got, []string{"st01.mdenroll"}) {
		t.Fatalf("dir holds %v", got)
	}
	e, err := ReadEnrollment(path)
	if err != nil {
		t.Fatal(err)
	}
	want := testEnrollment()
	if e.HQUnit != "hq" || e.HQName != "宣传科" || e.Unit != "st01" || e.UnitName != "城关派出所" || !e.Issued.Equal(want.Issued) ||
		!e.HQ.Equal(f.hq.Public()) || e.HQ.Fingerprint() != f.hq.Public().Fingerprint() || !validUUIDv7(e.ID) {
		t.Fatalf("enrollment %+v", e)
	}
	if !reflect.DeepEqual(e.Records, want.Records) {
		t.Fatalf("records %+v", e.Records)
	}
}

func TestEnrollmentWriteChecks(t *testing.T) {
	f := keysFixture(t)
	for name, change := range map[string]func(*Enrollment){
		"record not owned by HQ": func(e *Enrollment) { e.Records[0].Owner = "st01" },
		"empty unit name":        func(e *Enrollment) { e.UnitName = "" },
		"control char in name":   func(e *Enrollment) { e.HQName = "宣传\n科" },
		"unit is HQ":             func(e *Enrollment) { e.Unit = "hq" },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			e := testEnrollment()
			change(&e)
			if _, err := WriteEnrollment(dir, f.hq, e); !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("got %v", err)
			}
			if got := listDir(t, dir); len(got) != 0 {
				t.Fatalf("left %v", got)
			}
		})
	}
}

func TestEnrollmentRefusals(t *testing.T) {
	f := keysFixture(t)
	good, err := os.ReadFile(writeTestEnrollment(t, t.TempDir(), f))
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Index(good, []byte(`"unit":{"id":"st01"`))
	issuedT := bytes.Index(good, []byte(`"issued":"2025-06-01T`)) + len(`"issued":"2025-06-01`)
	members, _, err := readHead(bytes.NewReader(good), int64(len(good)), []slot{{memberEnrollment, maxEnrollmentJSON, true}, {memberEnrollmentSig, maxSignature, true}})
	if err != nil {
		t.Fatal(err)
	}
	resign := func(k *Keys, json []byte) []byte {
		var j struct {
			ID   string `json:"enrollment_id"`
			Unit struct {
				ID string `json:"id"`
			} `json:"unit"`
		}
		jsonUnmarshal(t, json, &j)
		sig := sign(k, json, "mediadesk-enrollment v1 id:"+j.ID+" unit:"+j.Unit.ID, "x")
		out, _ := appendMember(nil, memberEnrollment, json, time.Unix(0, 0))
		out, _ = appendMember(out, memberEnrollmentSig, sig, time.Unix(0, 0))
		return append(out, make([]byte, trailerSize)...)
	}
	cases := []struct {
		name string
		file []byte
		want error
	}{
		{"flipped byte in the header", flip(good, 20), ErrDamaged},
		{"flipped byte in the JSON", flip(good, body+15), ErrBadSignature},
		{"flipped byte in the issued time", flip(good, issuedT), ErrBadSignature},
		{"flipped byte in the signature", flip(good, int(members[1].off)+120), ErrBadSignature},
		{"signed, with an issued time that is no time", resign(f.hq, bytes.Replace(members[0].data, []byte(`"issued":"2025-06-01T08:00:00Z"`), []byte(`"issued":"today"`), 1)), ErrBadManifest},
		{"truncated", good[:len(good)-600], ErrTruncated},
		{"bytes after the end", append(bytes.Clone(good), make([]byte, 512)...), ErrDamaged},
		{"signed by another key", resign(f.other, members[0].data), ErrBadSignature},
		{"not a tar", []byte("hello, this is not an enrollment file at all"), ErrNotBundle},
		{"empty (an interrupted copy)", nil, ErrTruncated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ParseEnrollment(c.file); !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
	// A bundle picked instead (both travel on the same stick) is named as
	// such, with where it belongs.
	w := writeBundle(t, t.TempDir(), f.dataHeader(1), nil, nil, WriteOptions{})
	_, err = ReadEnrollment(w.Paths[0])
	var r *Error
	if !errors.Is(err, ErrWrongKind) || !errors.As(err, &r) || r.File != "st01-to-hq-000001.mdbundle" || !strings.Contains(err.Error(), ".mdenroll") {
		t.Fatalf("a bundle read as an enrollment file: %v", err)
	}
	// Also one larger than an enrollment file can be (most bundles are).
	os.Truncate(w.Paths[0], 32<<20)
	if _, err := ReadEnrollment(w.Paths[0]); !errors.Is(err, ErrWrongKind) {
		t.Fatalf("a large bundle read as an enrollment file: %v", err)
	}
	// Anyone can make a self-consistent enrollment with their own key:
	// only the fingerprint tells it from HQ's.
	forged := bytes.ReplaceAll(members[0].data, []byte(f.hq.Public().Minisign()), []byte(f.other.Public().Minisign()))
	forged = bytes.ReplaceAll(forged, []byte(f.hq.Public().KeyID()), []byte(f.other.Public().KeyID()))
	e, err := ParseEnrollment(resign(f.other, forged))
	if err != nil {
		t.Fatal(err)
	}
	if e.HQ.Fingerprint() == f.hq.Public().Fingerprint() {
		t.Fatal("a forged HQ key shows HQ's fingerprint")
	}
}
