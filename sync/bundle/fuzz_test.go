package bundle

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"testing"

	"mediadesk/sync/internal/splitfile"
)

// openBytes opens a single-part bundle held in memory as HQ.
func openBytes(f *fixture, in []byte) (*Bundle, error) {
	part := splitfile.Part{Name: "fuzz.mdbundle", Size: int64(len(in)), R: bytes.NewReader(in)}
	return openParts(context.Background(), part, func(int) (splitfile.Part, error) {
		return splitfile.Part{}, errors.New("fuzz input has one part")
	}, f.hqOpen())
}

// FuzzOpenBundle: the container and manifest reader never panics, and
// whatever it accepts reads through Records without panicking either.
// Seeds are valid bundles (data and registration) and damaged copies.
func FuzzOpenBundle(f *testing.F) {
	fx := keysFixture(f)
	dir := f.TempDir()
	reg := fx.dataHeader(0)
	reg.Kind = KindRegistration
	for _, w := range []*Written{
		writeBundle(f, dir, fx.dataHeader(1), testRecords(4, "种子"), [][]byte{pseudoRandom(3000, 1)}, WriteOptions{}),
		writeBundle(f, dir, fx.dataHeader(2), nil, nil, WriteOptions{}),
		writeBundle(f, dir, reg, testRecords(1, ""), nil, WriteOptions{}),
	} {
		b, err := os.ReadFile(w.Paths[0])
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:headerRoom])
		f.Add(flip(b, 600))
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		b, err := openBytes(fx, in)
		if err != nil {
			var r *Error
			if !errors.As(err, &r) {
				t.Fatalf("a refusal that is not an *Error: %v", err)
			}
			return
		}
		defer b.Close()
		b.Records(context.Background(), fx.hq, func(Record) error { return nil },
			func(_ Hash, _ int64, r io.Reader) error { _, err := io.Copy(io.Discard, r); return err })
	})
}

// FuzzReadEnrollment: the enrollment reader never panics and anything it
// accepts has valid fields.
func FuzzReadEnrollment(f *testing.F) {
	fx := keysFixture(f)
	b, err := os.ReadFile(writeTestEnrollment(f, f.TempDir(), fx))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:700])
	f.Add(flip(b, 100))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		e, err := ParseEnrollment(in)
		if err != nil {
			var r *Error
			if !errors.As(err, &r) {
				t.Fatalf("a refusal that is not an *Error: %v", err)
			}
			return
		}
		if !ValidUnitID(e.Unit) || !ValidUnitID(e.HQUnit) || e.HQ.IsZero() {
			t.Fatalf("accepted an enrollment with bad fields: %+v", e)
		}
	})
}
