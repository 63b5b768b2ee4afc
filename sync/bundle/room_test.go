package bundle

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"mediadesk/sync/internal/frames"
	"mediadesk/sync/internal/splitfile"
)

// TestLargestManifestFitsTheRoom: the largest manifest the §4 limits allow
// (64-byte unit ids, 64 record types of 32 letters, 64 parts with their
// hashes, every number at its largest) fits the header room this writer
// keeps before payload.age — with ack.later empty, as this writer leaves
// it (docs/bundle-format.md §3.2).
func TestLargestManifestFitsTheRoom(t *testing.T) {
	k, err := GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	unit := func(c string) string { return strings.Repeat(c, frames.MaxUnitIDLen) }
	hash := strings.Repeat("f", 64)
	m := &Manifest{Format: bundleFormat, Version: FormatVersion, MinReaderVersion: ReaderVersion,
		BundleID: "0197f0c2-0000-7000-8000-000000000000", Kind: KindData,
		Sender:   Sender{Unit: unit("a"), KeyID: k.Public().KeyID(), Minisign: k.Public().Minisign(), Age: k.Public().Age()},
		Receiver: Receiver{Unit: unit("b"), Age: k.Public().Age()},
		Sequence: math.MaxInt64, Created: time.Date(2099, 12, 31, 23, 59, 59, 0, time.UTC),
		Ack:     Ack{Contiguous: math.MaxInt64, BundleID: "0197f0c2-0000-7000-8000-000000000001"},
		Payload: PayloadInfo{Size: MaxPayload, SHA256: hash, Records: math.MaxInt64, Attachments: math.MaxInt64, AttachmentBytes: math.MaxInt64},
		Counts:  map[string]int64{},
	}
	for i := range frames.MaxTypes {
		m.Counts[fmt.Sprintf("t%031d", i)] = math.MaxInt64
	}
	for i := range splitfile.MaxParts {
		p := PartInfo{Size: math.MaxInt64}
		if i > 0 {
			p.SHA256 = hash
		}
		m.Parts = append(m.Parts, p)
	}
	head, err := m.head(k)
	if err != nil {
		t.Fatalf("the largest manifest does not fit: %v", err)
	}
	if len(head) != headerRoom {
		t.Fatalf("head is %d bytes, want %d", len(head), headerRoom)
	}
}
