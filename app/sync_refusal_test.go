package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"mediadesk/data"
	"mediadesk/sync/bundle"
)

// openStation signs in to a station's install again: its admin, and the
// officer and shift leader newStation added, on the one store.
func openStation(t *testing.T, cfg Config) station {
	t.Helper()
	admin, err := SignIn(cfg, "admin", stationAdminPassword)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	as := func(name string) *Session {
		u, err := data.UserByName(admin.store.Reader(), name)
		if err != nil {
			t.Fatal(err)
		}
		return &Session{cfg: cfg, store: admin.store, unit: admin.unit, user: userFrom(u)}
	}
	return station{admin: admin, officer: as("li"), leader: as("wang"), cfg: cfg}
}

// ownRecords returns every record a station would send HQ now.
func ownRecords(t *testing.T, s *Session, hq string) []data.SyncRecord {
	t.Helper()
	var out []data.SyncRecord
	_, err := data.ChangedRecords(s.store.Reader(), data.ExportScope{Self: s.unit.ID, Side: data.StationSide, Peer: hq}, func(r data.SyncRecord, _ []data.AttachmentRef) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// forge writes a bundle from sender (unit id senderUnit, signed with
// keys) to s carrying recs, outside the app's export, and returns its path.
func forge(t *testing.T, senderUnit string, keys *bundle.Keys, s *Session, seq int64, recs []data.SyncRecord) string {
	t.Helper()
	recv, err := s.signingKeys(s.store.Reader())
	if err != nil {
		t.Fatal(err)
	}
	w, err := bundle.Write(context.Background(), t.TempDir(), bundle.Header{Kind: bundle.KindData, SenderUnit: senderUnit, Sender: keys,
		ReceiverUnit: s.unit.ID, Receiver: recv.Public(), Sequence: seq}, func(emit func(bundle.Record) error) error {
		for _, r := range recs {
			if err := emit(bundle.Record(r)); err != nil {
				return err
			}
		}
		return nil
	}, nil, bundle.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return w.Paths[0]
}

// payloadHeader returns the offset of payload.age's tar header in a bundle.
func payloadHeader(t *testing.T, b []byte) int {
	t.Helper()
	for off := 0; off+512 <= len(b); off += 512 {
		if bytes.HasPrefix(b[off:], []byte("payload.age\x00")) {
			return off
		}
	}
	t.Fatal("no payload.age member")
	return 0
}

// writeBundleBytes writes b to a new file named name and returns its path.
func writeBundleBytes(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// bundleBytes reads a bundle file.
func bundleBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// peerStates returns s's exchange state with every unit it knows.
func peerStates(t *testing.T, s *Session) []data.SyncPeer {
	t.Helper()
	units, err := s.Units()
	if err != nil {
		t.Fatal(err)
	}
	var out []data.SyncPeer
	for _, u := range units {
		p, err := data.PeerByID(s.store.Reader(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// countRefused counts the refused rows in s's ledger.
func countRefused(t *testing.T, s *Session) int {
	t.Helper()
	entries, err := s.Ledger(-1)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Result == Refused {
			n++
		}
	}
	return n
}

// refused imports file into s and checks it is refused with an error
// that is wants, in both languages, leaving every record and the
// exchange state as they were and a refused row in the ledger.
func refused(t *testing.T, what string, s *Session, file string, wants func(error) bool) {
	t.Helper()
	dump, peers, ledger := canonicalDump(t, s), peerStates(t, s), countRefused(t, s)
	res := s.ImportBundles(context.Background(), []string{file}, nil)
	if len(res) != 1 || res[0].Result != Refused || res[0].Err == nil {
		t.Fatalf("%s: %+v, want refused", what, res)
	}
	err := res[0].Err
	t.Logf("%s: %v", what, err)
	if !wants(err) {
		t.Errorf("%s: refused for another reason: %v", what, err)
	}
	if msg := err.Error(); !strings.Contains(msg, " / ") {
		t.Errorf("%s: the message is not in Chinese and English: %q", what, msg)
	}
	if canonicalDump(t, s) != dump {
		t.Errorf("%s: the refused bundle changed records", what)
	}
	if !reflect.DeepEqual(peerStates(t, s), peers) {
		t.Errorf("%s: the refused bundle changed the exchange state", what)
	}
	if countRefused(t, s) != ledger+1 {
		t.Errorf("%s: no refused row in the ledger", what)
	}
	if last, _ := s.Ledger(1); len(last) != 1 || last[0].Message != err.Error() || last[0].File != filepath.Base(file) {
		t.Errorf("%s: the ledger row %+v does not say why", what, last)
	}
}

// refusedFor returns a check that an error is target.
func refusedFor(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

// isRecordError says whether an error is a record the sender may not write.
func isRecordError(err error) bool {
	var re *data.RecordError
	return errors.As(err, &re)
}

// TestSyncRefusalsLeaveStateUnchanged: every kind of bad bundle the app
// level decides on is refused with its own error, changes no record and
// no exchange state, and leaves a refused row in the ledger.
func TestSyncRefusalsLeaveStateUnchanged(t *testing.T) {
	c := newCounty(t, 2)
	st1, st2 := c.stations[0], c.stations[1]
	hqID := c.hq.Unit().ID
	stationDay(t, st1, 1)
	stationDay(t, st2, 2)
	first := c.send(st1.admin, "")[0]
	second := c.send(st1.admin, "")[0] // the same records, unacknowledged

	// Damaged on the way.
	b := bundleBytes(t, first)
	refused(t, "truncated", c.hq, writeBundleBytes(t, filepath.Base(first), b[:len(b)*2/3]), refusedFor(bundle.ErrTruncated))

	// The payload of one valid bundle under the other's signed manifest
	// (same size: the same records with another header).
	m1, err := bundle.ReadManifest(first)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := bundle.ReadManifest(second)
	if err != nil {
		t.Fatal(err)
	}
	if m1.Payload.Size != m2.Payload.Size {
		t.Fatalf("payload sizes %d and %d: cannot swap", m1.Payload.Size, m2.Payload.Size)
	}
	b2 := bundleBytes(t, second)
	cut := payloadHeader(t, b2)
	swapped := append(bytes.Clone(b2[:cut]), b[payloadHeader(t, b):]...)
	refused(t, "payloads swapped", c.hq, writeBundleBytes(t, filepath.Base(second), swapped), func(err error) bool {
		return errors.Is(err, bundle.ErrPayloadMismatch) || errors.Is(err, bundle.ErrHeaderMismatch)
	})

	// st1's records under a manifest signed by st2, another enrolled unit.
	k2, err := st2.admin.signingKeys(st2.admin.store.Reader())
	if err != nil {
		t.Fatal(err)
	}
	k1, err := st1.admin.signingKeys(st1.admin.store.Reader())
	if err != nil {
		t.Fatal(err)
	}
	recs := ownRecords(t, st1.admin, hqID)
	refused(t, "signed by another station", c.hq, forge(t, "st1", k2, c.hq, 3, recs), refusedFor(bundle.ErrUnknownSigner))
	// … and st2 sending them as its own.
	refused(t, "another station's records", c.hq, forge(t, "st2", k2, c.hq, 1, recs), isRecordError)

	// A station's record claiming HQ ownership, signed by the station: a
	// post of HQ's, and a decision (a type only HQ writes).
	var post data.SyncRecord
	for _, r := range recs {
		if r.Type == "post" {
			post = r
		}
	}
	post.Owner = hqID
	post.Data = []byte(strings.ReplaceAll(string(post.Data), `"owner_unit":"st1"`, `"owner_unit":"`+hqID+`"`))
	refused(t, "a post claiming HQ ownership", c.hq, forge(t, "st1", k1, c.hq, 3, []data.SyncRecord{post}), isRecordError)
	decision := data.SyncRecord{Type: "decision", ID: "0197a1b2-c3d4-7e5f-8a9b-000000000001", Owner: hqID, Version: 1,
		Data: []byte(`{"row":{"id":"0197a1b2-c3d4-7e5f-8a9b-000000000001","owner_unit":"` + hqID + `","unit_id":"st1","subject_kind":"post","subject_id":"` + post.ID +
			`","decision":"approve","content_hash":null,"comment":"","decided_by":"st1","decided_at":1,"created_at":1,"updated_at":1,"version":1}}`)}
	refused(t, "a decision from a station", c.hq, forge(t, "st1", k1, c.hq, 3, []data.SyncRecord{decision}), isRecordError)

	// HQ's bundle for st2 given to st1.
	toSt2 := c.send(c.hq, "st2")
	refused(t, "for another receiver", st1.admin, toSt2[0], refusedFor(bundle.ErrWrongReceiver))

	// Bundle 2 applied, then bundle 1 arrives: nothing in it is news.
	c.receive(c.hq, Imported, second)
	dump, peers := canonicalDump(t, c.hq), peerStates(t, c.hq)
	if r := c.hq.ImportBundles(context.Background(), []string{first}, nil); r[0].Result != AlreadyImported || !errors.Is(r[0].Err, ErrReplayed) ||
		canonicalDump(t, c.hq) != dump || !reflect.DeepEqual(peerStates(t, c.hq), peers) {
		t.Errorf("older after newer: %s %v", r[0].Result, r[0].Err)
	}

	// st1 is restored from a copy made before its third export, does
	// other work and exports "bundle 3" again.
	if err := st1.admin.Close(); err != nil {
		t.Fatal(err)
	}
	backup := st1.cfg
	backup.Dir = filepath.Join(t.TempDir(), "backup")
	if err := os.CopyFS(backup.Dir, os.DirFS(st1.cfg.Dir)); err != nil {
		t.Fatal(err)
	}
	st1 = openStation(t, st1.cfg)
	stationDay(t, st1, 3)
	third := c.send(st1.admin, "")
	c.receive(c.hq, Imported, third...)
	restored := openStation(t, backup)
	stationDay(t, restored, 4)
	again := c.send(restored.admin, "")
	if filepath.Base(again[0]) != filepath.Base(third[0]) {
		t.Fatalf("the restored station wrote %s, want a second %s", filepath.Base(again[0]), filepath.Base(third[0]))
	}
	refused(t, "sequence reused with other content", c.hq, again[0], refusedFor(ErrReused))

	// st1 rotates its keys and HQ imports the rotation; then a bundle
	// signed with st1's old key (leaked, say) arrives.
	laterClock(st1.admin)
	if _, err := st1.admin.RotateKeys(); err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(st1.admin, "")...)
	next := receivedFrom(t, c.hq, "st1") + 1
	refused(t, "signed with a replaced key", c.hq, forge(t, "st1", k1, c.hq, next, ownRecords(t, st1.admin, hqID)), refusedFor(ErrReplacedSigner))

	// st2's laptop is lost: HQ revokes it, then a bundle it wrote arrives.
	fromSt2 := c.send(st2.admin, "")
	if err := c.hq.RevokeUnit("st2"); err != nil {
		t.Fatal(err)
	}
	refused(t, "revoked signer", c.hq, fromSt2[0], refusedFor(bundle.ErrRevokedSigner))
}
