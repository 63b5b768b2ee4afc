package bundle

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"filippo.io/age"
)

// fixture is two units and their keys: a station "st01" and "hq".
type fixture struct {
	station, hq, other *Keys
}

// fixedIdentities make the test keys the same in every process (fuzz
// workers share inputs, so a seed bundle must verify in all of them).
var fixedIdentities = []string{
	"AGE-SECRET-KEY-1DQZFHTP6SLP6XR4RL90G7RV859X9KQHJ0GXL9ZF6WNMVHE7MUVEQK838DU",
	"AGE-SECRET-KEY-13NPTEYCY5TYK4VVWHW85G5WCHXGTU3UWHG8T3NZ5KP6USKT6TCSQ02QKM5",
	"AGE-SECRET-KEY-14L8LMZD3KGF2A28YKZJR4XDMLUFTYDAXX9SPK0KEJ0M2R7T4RD9QXNXTG3",
}

// keysFixture returns fixed test keys.
func keysFixture(t testing.TB) *fixture {
	t.Helper()
	var keys [3]*Keys
	for i := range keys {
		id, err := age.ParseX25519Identity(fixedIdentities[i])
		if err != nil {
			t.Fatal(err)
		}
		var seed [32]byte
		seed[0] = byte(i + 1)
		if keys[i], err = newKeys(seed, id); err != nil {
			t.Fatal(err)
		}
	}
	return &fixture{station: keys[0], hq: keys[1], other: keys[2]}
}

// ackedBundle is the id of the HQ bundle a fixture's data header
// acknowledges.
const ackedBundle = "01975c1e-7a2b-7c3d-9e4f-0a1b2c3d4e5f"

// dataHeader is a station → HQ data header with sequence seq.
func (f *fixture) dataHeader(seq int64) Header {
	return Header{Kind: KindData, SenderUnit: "st01", Sender: f.station, ReceiverUnit: "hq", Receiver: f.hq.Public(),
		Sequence: seq, Ack: Ack{Contiguous: 3, Later: []int64{5, 9}, BundleID: ackedBundle}, Created: time.Date(2025, 6, 1, 8, 30, 0, 0, time.UTC)}
}

// signers knows the station's key (and "st02" with the other key).
func (f *fixture) signers() SignerLookup {
	return func(unit, keyID string) (PublicKeys, bool, bool) {
		switch {
		case unit == "st01" && keyID == f.station.Public().KeyID():
			return f.station.Public(), false, true
		case unit == "st02" && keyID == f.other.Public().KeyID():
			return f.other.Public(), false, true
		}
		return PublicKeys{}, false, false
	}
}

// hqOpen is what HQ passes to Open.
func (f *fixture) hqOpen() OpenOptions { return OpenOptions{Receiver: "hq", Signers: f.signers()} }

// testRecords returns n records of three types, each holding text.
func testRecords(n int, text string) []Record {
	types := []string{"post", "comment", "training"}
	out := make([]Record, n)
	for i := range out {
		data, _ := json.Marshal(map[string]any{"title": fmt.Sprintf("第%d条 %s", i, text), "n": i})
		out[i] = Record{Type: types[i%3], ID: fmt.Sprintf("0197-%06d", i), Owner: "st01", Version: int64(1 + i%4), Data: data}
	}
	return out
}

// source streams records.
func source(recs []Record) RecordSource {
	return func(emit func(Record) error) error {
		for _, r := range recs {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	}
}

// memAttachment is an attachment held in memory.
func memAttachment(b []byte) Attachment {
	return Attachment{SHA256: sha256.Sum256(b), Size: int64(len(b)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(b)), nil
	}}
}

// pseudoRandom returns n deterministic bytes.
func pseudoRandom(n int, seed byte) []byte {
	b := make([]byte, n)
	x := uint32(seed) + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// writeBundle writes a small bundle and returns its first path.
func writeBundle(t testing.TB, dir string, h Header, recs []Record, atts [][]byte, opts WriteOptions) *Written {
	t.Helper()
	var as []Attachment
	for _, a := range atts {
		as = append(as, memAttachment(a))
	}
	w, err := Write(context.Background(), dir, h, source(recs), as, opts)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	return w
}

// readAll opens path as HQ and returns what it holds.
func readAll(t testing.TB, f *fixture, path string) ([]Record, map[Hash][]byte) {
	t.Helper()
	b, err := Open(context.Background(), path, f.hqOpen())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer b.Close()
	var recs []Record
	atts := map[Hash][]byte{}
	err = b.Records(context.Background(), f.hq, func(r Record) error {
		recs = append(recs, r)
		return nil
	}, func(sum Hash, size int64, r io.Reader) error {
		data, err := io.ReadAll(r)
		atts[sum] = data
		return err
	})
	if err != nil {
		t.Fatalf("Records: %v", err)
	}
	return recs, atts
}

// listDir returns the names in dir, sorted.
func listDir(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

// copyFile copies src to dst.
func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// inDir returns dir/name.
func inDir(dir, name string) string { return filepath.Join(dir, name) }

// flip returns a copy of b with byte i changed.
func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x01
	return c
}

func jsonUnmarshal(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
