package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"mediadesk/sync/bundle"
)

// exchangeState is what s holds that travels, and its bundle numbers.
func exchangeState(t *testing.T, s *Session) string {
	t.Helper()
	return canonicalDump(t, s) + fmt.Sprint(peerStates(t, s))
}

// TestJoinAgainRefused: a station registered and exchanging bundles is
// refused joining again with the enrollment file it used (the demo stick
// keeps it), or with an older one; its keys and numbers stay. Once HQ has
// revoked it and enrolled it anew, the new file is taken.
func TestJoinAgainRefused(t *testing.T) {
	hq := setupHQ(t)
	st := newStation(t)
	stick, older := t.TempDir(), t.TempDir()
	first, err := hq.EnrollUnit("st1", "派出所st1", older)
	if err != nil {
		t.Fatal(err)
	}
	enroll, err := hq.EnrollUnit("st1", "派出所st1", stick)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := st.admin.Join(context.Background(), enroll, stick)
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := st.admin.Keys()
	if _, err := hq.RegisterUnit(context.Background(), reg, keys.Fingerprint); err != nil {
		t.Fatal(err)
	}
	c := &county{t: t, hq: hq, stick: stick, stations: []station{st}}
	c.receive(hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(hq, "st1")...)

	before := exchangeState(t, st.admin)
	if _, err := st.admin.Join(context.Background(), enroll, t.TempDir()); !errors.Is(err, ErrEnrollmentUsed) {
		t.Fatalf("the same enrollment again: %v", err)
	}
	if _, err := st.admin.Join(context.Background(), first, t.TempDir()); !errors.Is(err, ErrRejoin) {
		t.Fatalf("an older enrollment: %v", err)
	}
	if after, _ := st.admin.Keys(); after.Fingerprint != keys.Fingerprint || exchangeState(t, st.admin) != before {
		t.Fatal("a refused join changed the station")
	}
	// Still in business both ways.
	c.receive(hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(hq, "st1")...)

	// Revoked and enrolled anew: the new file is taken.
	if err := hq.RevokeUnit("st1"); err != nil {
		t.Fatal(err)
	}
	again, err := hq.EnrollUnit("st1", "派出所st1", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	reg, err = st.admin.Join(context.Background(), again, t.TempDir())
	if err != nil {
		t.Fatalf("a new enrollment after revocation: %v", err)
	}
	keys, _ = st.admin.Keys()
	if _, err := hq.RegisterUnit(context.Background(), reg, keys.Fingerprint); err != nil {
		t.Fatal(err)
	}
	c.receive(hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(hq, "st1")...)
}

// TestBundlesFromBeforeRejoin: HQ's bundles to a station's earlier
// registration, still on the stick after it registered again (a lost
// laptop restored from a data backup), are passed over as harmless and
// change nothing, before or after HQ's new ones; HQ's new bundles import.
func TestBundlesFromBeforeRejoin(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	stale := append(c.send(c.hq, "st1"), c.send(c.hq, "st1")...) // 2 and 3, never imported

	if err := c.hq.RevokeUnit("st1"); err != nil {
		t.Fatal(err)
	}
	enroll, err := c.hq.EnrollUnit("st1", "派出所st1", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	reg, err := st.admin.Join(context.Background(), enroll, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := st.admin.Keys()
	if _, err := c.hq.RegisterUnit(context.Background(), reg, keys.Fingerprint); err != nil {
		t.Fatal(err)
	}
	passedOver := func() {
		t.Helper()
		before, ledger := exchangeState(t, st.admin), countRefused(t, st.admin)
		for _, r := range st.admin.ImportBundles(context.Background(), stale, nil) {
			if r.Result != AlreadyImported || !errors.Is(r.Err, ErrBeforeJoin) {
				t.Fatalf("%s from before the new registration: %s %v", filepath.Base(r.File), r.Result, r.Err)
			}
		}
		if exchangeState(t, st.admin) != before || countRefused(t, st.admin) != ledger {
			t.Fatal("a bundle from before the new registration changed the station")
		}
	}
	passedOver()
	fresh := c.send(c.hq, "st1")
	if m, _ := bundle.ReadManifest(fresh[0]); m.Sequence != 1 {
		t.Fatalf("HQ's first bundle after the new registration is %d", m.Sequence)
	}
	c.receive(st.admin, Imported, fresh...)
	passedOver()
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	c.receive(st.admin, AlreadyImported, fresh...)
}

// TestOldKeyBackupCatchesUp: HQ restored from a key backup made before
// bundles 2 and 3 went out learns from the station's acknowledgement that
// they did, and numbers its next bundle 4: the station imports it (it was
// refused as a reused number, "可能是伪造").
func TestOldKeyBackupCatchesUp(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	file := backupOf(t, c.hq)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)

	hq := setupHQ(t)
	if err := hq.RestoreKeys(bytes.NewReader(file), backupPass); err != nil {
		t.Fatal(err)
	}
	c.receive(hq, Imported, c.send(st.admin, "")...)
	back := c.send(hq, "st1")
	if m, err := bundle.ReadManifest(back[0]); err != nil || m.Sequence != 4 {
		t.Fatalf("the restored HQ's first bundle: %+v %v", m, err)
	}
	c.receive(st.admin, Imported, back...)
	c.receive(hq, Imported, c.send(st.admin, "")...)
	peers := peerStates(t, hq)
	if want := 4; len(peers) != 1 || peers[0].SentSeq != int64(want) || peers[0].AckedSeq != int64(want) {
		t.Fatalf("the restored HQ's exchange: %+v", peers)
	}
	if p := peerStates(t, st.admin); p[0].ReceivedContiguous != 4 {
		t.Fatalf("the station's exchange: %+v", peerStates(t, st.admin))
	}
}
