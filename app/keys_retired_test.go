package app

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"

	"mediadesk/data"
	"mediadesk/sync/bundle"
)

// receivedFrom returns the newest bundle number s applied from unit.
func receivedFrom(t *testing.T, s *Session, unit string) int64 {
	t.Helper()
	p, err := data.PeerByID(s.store.Reader(), unit)
	if err != nil {
		t.Fatal(err)
	}
	return p.ReceivedContiguous
}

// harmless imports file into s and checks it is reported as already
// imported (with the reason want, nil for the very same bundle) and
// changes nothing.
func harmless(t *testing.T, what string, s *Session, file string, want error) {
	t.Helper()
	dump, peers := canonicalDump(t, s), peerStates(t, s)
	res := s.ImportBundles(context.Background(), []string{file}, nil)
	if len(res) != 1 || res[0].Result != AlreadyImported || !errors.Is(res[0].Err, want) || (want == nil && res[0].Err != nil) {
		t.Fatalf("%s: %+v, want already imported (%v)", what, res, want)
	}
	if canonicalDump(t, s) != dump || !reflect.DeepEqual(peerStates(t, s), peers) {
		t.Errorf("%s: changed the state", what)
	}
}

// TestReplacedKeyRefused: once HQ has imported the bundle carrying a
// station's rotation, nothing signed with the station's old key is applied
// (the old key may be why it rotated). The station's own bundles from
// before are harmless replays; one it exported with the old key after the
// rotation reached HQ is refused, and its content comes with the next
// bundle, signed with the new key.
func TestReplacedKeyRefused(t *testing.T) {
	ctx := context.Background()
	c := newCounty(t, 1)
	st := c.stations[0]
	hqID := c.hq.Unit().ID
	stationDay(t, st, 1)
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	leaked, err := st.admin.signingKeys(st.admin.store.Reader())
	if err != nil {
		t.Fatal(err)
	}
	lost := c.send(st.admin, "") // a stick that turns up later
	laterClock(st.admin)
	nk, err := st.admin.RotateKeys()
	if err != nil {
		t.Fatal(err)
	}
	rot := c.send(st.admin, "") // signed with the old key, carries the new one
	c.receive(c.hq, Imported, rot...)
	q := c.hq.store.Reader()
	if k, err := data.UnitKeyByID(q, leaked.Public().KeyID()); err != nil || k.RetiredAt == 0 || k.RevokedAt != 0 {
		t.Fatalf("HQ did not retire the old key: %+v %v", k, err)
	}
	if k, err := data.UnitKeyByID(q, nk.KeyID); err != nil || k.RetiredAt != 0 {
		t.Fatalf("HQ's copy of the new key: %+v %v", k, err)
	}
	n := receivedFrom(t, c.hq, "st1")

	// Whoever holds the old key signs bundles with any number: refused.
	stationDay(t, st, 2)
	recs := ownRecords(t, st.admin, hqID)
	forged := forge(t, "st1", leaked, c.hq, n+1, recs)
	refused(t, "signed with the replaced key", c.hq, forged, refusedFor(ErrReplacedSigner))
	refused(t, "replaced key, the rotation's number", c.hq, forge(t, "st1", leaked, c.hq, n, recs), refusedFor(ErrReplacedSigner))
	refused(t, "replaced key, an old number", c.hq, forge(t, "st1", leaked, c.hq, 1, recs), refusedFor(ErrReplacedSigner))
	if _, err := VerifyBundle(ctx, forged, c.hq); !errors.Is(err, ErrReplacedSigner) {
		t.Fatalf("verify a bundle signed with the replaced key: %v", err)
	}

	// The station's own bundles from before: harmless, as ever.
	harmless(t, "the rotation again", c.hq, rot[0], nil)
	harmless(t, "from before the rotation", c.hq, lost[0], ErrReplayed)
	if _, err := VerifyBundle(ctx, rot[0], c.hq); err != nil {
		t.Fatalf("verify the rotation's bundle: %v", err)
	}

	// The station exports again before HQ's answer: still the old key.
	late := c.send(st.admin, "")
	if m, _ := bundle.ReadManifest(late[0]); m.Sender.KeyID != leaked.Public().KeyID() {
		t.Fatalf("the station signed with %s before HQ's acknowledgement", m.Sender.KeyID)
	}
	refused(t, "exported with the old key after the rotation reached HQ", c.hq, late[0], refusedFor(ErrReplacedSigner))

	// HQ's answer switches the station over; the next bundle brings it all.
	back := c.send(c.hq, "st1")
	if m, err := bundle.ReadManifest(back[0]); err != nil || m.Receiver.Age != nk.Age {
		t.Fatalf("HQ encrypted to %v (%v), want the new key", m.Receiver.Age, err)
	}
	c.receive(st.admin, Imported, back...)
	next := c.send(st.admin, "")
	if m, _ := bundle.ReadManifest(next[0]); m.Sender.KeyID != nk.KeyID {
		t.Fatalf("after HQ's acknowledgement the station signed with %s", m.Sender.KeyID)
	}
	c.receive(c.hq, Imported, next...)
	for _, r := range recs {
		if r.Type != "post" {
			continue
		}
		if _, err := data.PostByID(q, r.ID); err != nil {
			t.Fatalf("post %s of the refused bundle did not come with the next: %v", r.ID, err)
		}
	}
	refused(t, "the old key after the new one signed", c.hq, forge(t, "st1", leaked, c.hq, receivedFrom(t, c.hq, "st1")+1, nil), refusedFor(ErrReplacedSigner))
}

// TestEarlierJoinKeyNotTrusted: a station whose first registration was
// lost joins again before HQ registered it; its first bundle carries the
// key of the abandoned join too. HQ keeps it retired: the registered key
// keeps signing and the old one signs nothing.
func TestEarlierJoinKeyNotTrusted(t *testing.T) {
	ctx := context.Background()
	hq := setupHQ(t)
	st := newStation(t)
	stick := t.TempDir()
	first, err := hq.EnrollUnit("st1", "派出所st1", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.admin.Join(ctx, first, t.TempDir()); err != nil { // the registration is lost
		t.Fatal(err)
	}
	abandoned, err := st.admin.signingKeys(st.admin.store.Reader())
	if err != nil {
		t.Fatal(err)
	}
	laterClock(st.admin)
	again, err := hq.EnrollUnit("st1", "派出所st1", stick)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := st.admin.Join(ctx, again, stick)
	if err != nil {
		t.Fatal(err)
	}
	st.officer.unit, st.leader.unit = st.admin.unit, st.admin.unit
	keys, _ := st.admin.Keys()
	if _, err := hq.RegisterUnit(ctx, reg, keys.Fingerprint); err != nil {
		t.Fatal(err)
	}
	c := &county{t: t, hq: hq, stick: stick, stations: []station{st}}
	stationDay(t, st, 1)
	out := c.send(st.admin, "")
	if m, _ := bundle.ReadManifest(out[0]); m.Counts["unit_key"] != 2 {
		t.Fatalf("the first bundle carries %d keys, want both joins'", m.Counts["unit_key"])
	}
	c.receive(hq, Imported, out...)
	q := hq.store.Reader()
	if k, err := data.UnitKeyByID(q, abandoned.Public().KeyID()); err != nil || k.RetiredAt == 0 {
		t.Fatalf("the abandoned join's key at HQ: %+v %v", k, err)
	}
	if k, err := data.UnitKeyByID(q, keys.KeyID); err != nil || k.RetiredAt != 0 || k.RevokedAt != 0 {
		t.Fatalf("the registered key at HQ: %+v %v", k, err)
	}
	refused(t, "signed with the abandoned join's key", hq, forge(t, "st1", abandoned, hq, receivedFrom(t, hq, "st1")+1, nil), refusedFor(ErrReplacedSigner))
	c.receive(st.admin, Imported, c.send(hq, "st1")...)
	stationDay(t, st, 2)
	c.receive(hq, Imported, c.send(st.admin, "")...)
}

// TestRotationSurvivesStationRestore: a station restored from a key
// backup taken during a rotation sends its keys in the order they were
// made, so HQ retires the old one, not the new.
func TestRotationSurvivesStationRestore(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	old, _ := st.admin.Keys()
	laterClock(st.admin)
	nk, err := st.admin.RotateKeys()
	if err != nil {
		t.Fatal(err)
	}
	file := backupOf(t, st.admin)
	s, _, err := Setup(testConfig(t), SetupRequest{Kind: Station, UnitName: "新电脑", AdminName: "admin2", Password: "station-pass-2"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.RestoreKeys(bytes.NewReader(file), backupPass); err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(s, "")...)
	q := c.hq.store.Reader()
	if k, err := data.UnitKeyByID(q, old.KeyID); err != nil || k.RetiredAt == 0 {
		t.Fatalf("the old key at HQ: %+v %v", k, err)
	}
	if k, err := data.UnitKeyByID(q, nk.KeyID); err != nil || k.RetiredAt != 0 {
		t.Fatalf("the new key at HQ: %+v %v", k, err)
	}
	c.receive(s, Imported, c.send(c.hq, "st1")...)
	if k, _ := s.Keys(); k.KeyID != nk.KeyID {
		t.Fatalf("the restored station signs with %s, want %s", k.KeyID, nk.KeyID)
	}
	c.receive(c.hq, Imported, c.send(s, "")...)
}

// TestResendKeepsTheRotatedKey: a station rotated its keys and HQ took the
// new one; then HQ's PC is restored from a copy made after that and asks
// the station to send everything again. The station goes on signing with
// its new key (HQ refuses the old one), and HQ gets everything.
func TestResendKeepsTheRotatedKey(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	laterClock(st.admin)
	nk, err := st.admin.RotateKeys()
	if err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	backup := copyData(t, c.hq)
	since := sensitivePost(t, st, "备份后的稿件")
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)

	restored := openCopy(t, c.hq, backup, hqAdminPassword)
	c.receive(restored, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(restored, "st1")...) // asks for everything
	everything := c.send(st.admin, "")
	if m, err := bundle.ReadManifest(everything[0]); err != nil || m.Sender.KeyID != nk.KeyID {
		t.Fatalf("the station's bundle after the request is signed by %v, want its new key %s (%v)", m.Sender.KeyID, nk.KeyID, err)
	}
	c.receive(restored, Imported, everything...)
	if _, err := restored.Post(since.ID); err != nil {
		t.Fatalf("the post HQ lost is not back: %v", err)
	}
}

// TestRestoredHQFromBeforeARotation: HQ's PC is restored from a copy made
// before it took a station's rotated key. The station, told by HQ's
// refused bundles which of its keys HQ encrypts to, signs with the old key
// again until HQ has the new one; after a few rounds HQ holds every
// station record and the station signs with its new key.
func TestRestoredHQFromBeforeARotation(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	stationDay(t, st, 1)
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	backup := copyData(t, c.hq)
	laterClock(st.admin)
	nk, err := st.admin.RotateKeys()
	if err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	stationDay(t, st, 2)
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)

	restored := openCopy(t, c.hq, backup, hqAdminPassword)
	var last []ImportResult
	for round := range 4 {
		for _, r := range st.admin.ImportBundles(context.Background(), c.send(restored, "st1"), nil) {
			t.Logf("round %d, station: %s %v", round, r.Result, r.Err)
		}
		last = restored.ImportBundles(context.Background(), c.send(st.admin, ""), nil)
		t.Logf("round %d, HQ: %s %v", round, last[0].Result, last[0].Err)
	}
	c.receive(st.admin, Imported, c.send(restored, "st1")...)
	final := c.send(st.admin, "")
	if m, err := bundle.ReadManifest(final[0]); err != nil || m.Sender.KeyID != nk.KeyID {
		t.Fatalf("the station signs with %v, want its new key %s (%v)", m.Sender.KeyID, nk.KeyID, err)
	}
	c.receive(restored, Imported, final...)
	scope := data.DumpScope{Owner: "st1", Side: data.StationSide}
	if want, got := ownedDump(t, st.admin, scope), ownedDump(t, restored, scope); got != want {
		t.Fatalf("the restored HQ does not hold the station's records:\n%s", firstDifference(want, got))
	}
}
