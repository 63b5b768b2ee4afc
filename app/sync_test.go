package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"mediadesk/data"
	"mediadesk/sync/bundle"
)

// county is HQ and stations joined to it through real enrollment files
// and registration bundles, in temporary folders (the "USB stick").
type county struct {
	t        *testing.T
	hq       *Session
	stations []station
	stick    string
}

func setupHQ(t *testing.T) *Session {
	t.Helper()
	cfg := testConfig(t)
	s, _, err := Setup(cfg, SetupRequest{Kind: HQ, UnitName: "汤阴县公安局宣传科", AdminName: "admin", AdminDisplayName: "赵科长", Password: "hq-admin-pass-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newCounty enrolls and registers n stations st1 … stn.
func newCounty(t *testing.T, n int) *county {
	t.Helper()
	c := &county{t: t, hq: setupHQ(t), stick: t.TempDir()}
	for i := range n {
		st := newStation(t)
		unit := "st" + string(rune('1'+i))
		enroll, err := c.hq.EnrollUnit(unit, "派出所"+unit, c.stick)
		if err != nil {
			t.Fatal(err)
		}
		reg, err := st.admin.Join(context.Background(), enroll, c.stick)
		if err != nil {
			t.Fatal(err)
		}
		st.officer.unit, st.leader.unit = st.admin.unit, st.admin.unit
		keys, err := st.admin.Keys()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.hq.RegisterUnit(context.Background(), reg, keys.Fingerprint); err != nil {
			t.Fatal(err)
		}
		c.stations = append(c.stations, st)
	}
	return c
}

// send exports from s to its peers (unit: "" for all) and returns the files.
func (c *county) send(s *Session, unit string) []string {
	c.t.Helper()
	dir, err := os.MkdirTemp(c.stick, "out-")
	if err != nil {
		c.t.Fatal(err)
	}
	paths, err := s.ExportBundles(context.Background(), dir, unit, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return paths
}

// receive imports files into s and fails unless each has the wanted result.
func (c *county) receive(s *Session, want string, paths ...string) []ImportResult {
	c.t.Helper()
	res := s.ImportBundles(context.Background(), paths, nil)
	for _, r := range res {
		if r.Result != want {
			c.t.Fatalf("import %s: %s (%v), want %s", filepath.Base(r.File), r.Result, r.Err, want)
		}
	}
	return res
}

// sensitivePost drafts, submits and approves (shift leader) a post that
// must go to HQ.
func sensitivePost(t *testing.T, st station, title string) Post {
	t.Helper()
	d := plainDraft()
	d.Title, d.Flags = title, []string{"art20.major_sensitive"}
	p := mustPost(t)(st.officer.SaveDraft(d))
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	if p.Status != AwaitingHQ {
		t.Fatalf("post is %s, want awaiting HQ", p.Status)
	}
	return p
}

func TestEnrollRegisterAndRoundTrip(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	if c.hq.Unit().ID != HQUnitID {
		t.Fatalf("HQ's unit id is %q, want %q", c.hq.Unit().ID, HQUnitID)
	}
	var fe *FieldError
	if _, err := c.hq.EnrollUnit(HQUnitID, "冒名派出所", c.stick); !errors.As(err, &fe) || fe.Field != "unit_id" || !strings.Contains(fe.Msg, "宣传科自己的编号") {
		t.Fatalf("enrolling a station under HQ's own id: %v", err)
	}
	if st.admin.Unit().ID != "st1" {
		t.Fatalf("station unit %q after joining, want st1", st.admin.Unit().ID)
	}
	hqKeys, _ := c.hq.Keys()
	units, _ := st.admin.Units()
	if len(units) != 1 || units[0].ID != c.hq.Unit().ID {
		t.Fatalf("station knows %v", units)
	}

	p := sensitivePost(t, st, "重大警情通报")
	draft := mustPost(t)(st.officer.SaveDraft(PostDraft{Title: "私人草稿 canary", Body: "不外传", Category: "防范提示", Targets: []string{"weibo"}}))
	files := c.send(st.admin, "")
	if len(files) != 1 || !strings.HasPrefix(filepath.Base(files[0]), "st1-to-hq-") {
		t.Fatalf("exported %v", files)
	}
	c.receive(c.hq, Imported, files...)
	hqPost, err := c.hq.Post(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if hqPost.Post.Status != AwaitingHQ {
		t.Fatalf("at HQ the post is %s", hqPost.Post.Status)
	}
	if _, err := c.hq.Post(draft.ID); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("the private draft reached HQ: %v", err)
	}
	// The same file again changes nothing.
	before, _ := data.CanonicalDump(c.hq.store.Reader())
	c.receive(c.hq, AlreadyImported, files...)
	if after, _ := data.CanonicalDump(c.hq.store.Reader()); after != before {
		t.Error("importing a bundle twice changed HQ")
	}

	// HQ decides; a stale hash is refused; the decision reaches the station.
	if _, err := c.hq.DecidePost(p.ID, strings.Repeat("00", 32), true, ""); !errors.Is(err, ErrChanged) {
		t.Fatalf("decision on a stale hash: %v", err)
	}
	if _, err := c.hq.DecidePost(p.ID, p.ContentHash, true, "同意发布"); err != nil {
		t.Fatal(err)
	}
	back := c.send(c.hq, "st1")
	c.receive(st.admin, Imported, back...)
	got, err := st.officer.Post(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Post.Status != Ready || !got.Post.HQApproved {
		t.Fatalf("after HQ's decision the post is %s", got.Post.Status)
	}

	// The station's next bundle acknowledges HQ's, and carries only what
	// changed since HQ acknowledged the first (the approved post).
	again := c.send(st.admin, "")
	m, err := VerifyBundle(context.Background(), again[0], c.hq)
	if err != nil {
		t.Fatal(err)
	}
	if m.Ack.Contiguous != 1 || m.Sequence != 2 {
		t.Fatalf("second bundle: seq %d ack %+v", m.Sequence, m.Ack)
	}
	c.receive(c.hq, Imported, again...)
	if hp, _ := c.hq.Post(p.ID); hp.Post.Status != Ready {
		t.Fatalf("HQ's copy is %s after the station applied the decision", hp.Post.Status)
	}
	status, err := st.admin.SyncStatus()
	if err != nil || len(status) != 1 || status[0].SentSeq != 2 || status[0].Received != 1 {
		t.Fatalf("station sync status %+v %v", status, err)
	}
	_ = hqKeys
}

func TestRegistrationChecks(t *testing.T) {
	hq := setupHQ(t)
	stick := t.TempDir()
	st := newStation(t)
	if _, err := hq.EnrollUnit("ST 1", "x", stick); err == nil {
		t.Fatal("a bad unit id was accepted")
	}
	enroll, err := hq.EnrollUnit("st1", "城关派出所", stick)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.officer.Join(context.Background(), enroll, stick); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("an officer joined: %v", err)
	}
	reg, err := st.admin.Join(context.Background(), enroll, stick)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hq.RegisterUnit(context.Background(), reg, "0000 0000 0000 0000 0000 0000"); !errors.Is(err, ErrFingerprint) {
		t.Fatalf("wrong fingerprint: %v", err)
	}
	if _, err := hq.RegisterUnit(context.Background(), reg, " "); !errors.Is(err, ErrNoFingerprint) {
		t.Fatalf("no fingerprint: %v", err)
	}
	keys, err := st.admin.Keys()
	if err != nil {
		t.Fatal(err)
	}
	r, err := hq.RegisterUnit(context.Background(), reg, keys.Fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hq.RegisterUnit(context.Background(), reg, r.Fingerprint); !errors.Is(err, ErrNotEnrolling) {
		t.Fatalf("registered twice: %v", err)
	}

	// A revoked station's bundles are refused until it enrolls again.
	files, err := st.admin.ExportBundles(context.Background(), t.TempDir(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := hq.RevokeUnit("st1"); err != nil {
		t.Fatal(err)
	}
	res := hq.ImportBundles(context.Background(), files, nil)
	if res[0].Result != Refused || !errors.Is(res[0].Err, bundle.ErrRevokedSigner) {
		t.Fatalf("revoked signer: %s %v", res[0].Result, res[0].Err)
	}
	if _, err := hq.EnrollUnit("st1", "城关派出所", stick); err != nil {
		t.Fatalf("re-enrolling a revoked unit: %v", err)
	}
}

// TestLostLaptopReEnrollment: HQ revokes a station whose laptop was lost,
// enrolls it again, and a fresh install (same user names, new ids) takes
// over: bundles flow both ways from sequence 1 again.
func TestLostLaptopReEnrollment(t *testing.T) {
	c := newCounty(t, 1)
	old := c.stations[0]
	sensitivePost(t, old, "旧电脑上的稿件")
	c.receive(c.hq, Imported, c.send(old.admin, "")...)
	c.receive(old.admin, Imported, c.send(c.hq, "st1")...)

	if err := c.hq.RevokeUnit("st1"); err != nil {
		t.Fatal(err)
	}
	enroll, err := c.hq.EnrollUnit("st1", "派出所st1", c.stick)
	if err != nil {
		t.Fatal(err)
	}
	fresh := newStation(t)
	reg, err := fresh.admin.Join(context.Background(), enroll, c.stick)
	if err != nil {
		t.Fatal(err)
	}
	fresh.officer.unit, fresh.leader.unit = fresh.admin.unit, fresh.admin.unit
	keys, _ := fresh.admin.Keys()
	if _, err := c.hq.RegisterUnit(context.Background(), reg, keys.Fingerprint); err != nil {
		t.Fatal(err)
	}
	p := sensitivePost(t, fresh, "新电脑上的稿件")
	files := c.send(fresh.admin, "")
	if m, _ := VerifyBundle(context.Background(), files[0], c.hq); m.Sequence != 1 {
		t.Fatalf("the new install's first bundle is %d", m.Sequence)
	}
	c.receive(c.hq, Imported, files...)
	if _, err := c.hq.DecidePost(p.ID, p.ContentHash, true, "同意"); err != nil {
		t.Fatal(err)
	}
	c.receive(fresh.admin, Imported, c.send(c.hq, "st1")...)
	if got, _ := fresh.officer.Post(p.ID); got.Post.Status != Ready {
		t.Fatalf("after HQ's decision the new install's post is %s", got.Post.Status)
	}
	// The old laptop's bundles stay refused.
	res := c.hq.ImportBundles(context.Background(), c.send(old.admin, ""), nil)
	if res[0].Result != Refused {
		t.Fatalf("the lost laptop's bundle: %s", res[0].Result)
	}
}

// TestLostBundleLeavesNoGap: after a lost bundle, every later one counts
// as received all the way (it carried what the lost one did), so the
// acknowledgement stays one number however many follow. Earlier builds
// listed each later bundle in the ack until, after 128, every export to
// that station failed; a store that still holds such a list folds it.
func TestLostBundleLeavesNoGap(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0].admin
	c.send(st, "") // lost
	for range 3 {
		c.receive(c.hq, Imported, c.send(st, "")...)
	}
	peer, err := data.PeerByID(c.hq.store.Reader(), "st1")
	if err != nil || peer.ReceivedContiguous != 4 {
		t.Fatalf("HQ's record of st1: %+v, %v; want received 4", peer, err)
	}
	// A store written by an earlier build, with 200 bundles above a gap.
	later := make([]string, 200)
	for i := range later {
		later[i] = strconv.Itoa(10 + i)
	}
	if err := c.hq.store.Write(func(tx *data.Tx) error {
		_, err := tx.Exec("UPDATE sync_peers SET received_contiguous = 3, received_later = ? WHERE unit_id = 'st1'", "["+strings.Join(later, ",")+"]")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	paths := c.send(c.hq, "st1")
	m, err := VerifyBundle(context.Background(), paths[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Ack.Contiguous != 209 || len(m.Ack.Later) != 0 {
		t.Fatalf("HQ's ack: %+v, want 209 and no list", m.Ack)
	}
	c.receive(st, Imported, paths...)
}

// TestLockedDeskAndRolesCannotCarryOrDecide: a locked desk neither
// decides for HQ, enrolls, registers, revokes nor carries bundles, and an
// officer carries none.
func TestLockedDeskAndRolesCannotCarryOrDecide(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	p := sensitivePost(t, st, "命案通报")
	up := c.send(st.admin, "")
	c.receive(c.hq, Imported, up...)
	if err := c.hq.Lock(); err != nil {
		t.Fatal(err)
	}
	locked := map[string]error{}
	_, locked["decide post"] = c.hq.DecidePost(p.ID, p.ContentHash, true, "")
	_, locked["enroll"] = c.hq.EnrollUnit("st9", "派出所st9", c.stick)
	_, locked["register"] = c.hq.RegisterUnit(context.Background(), up[0], "1234")
	locked["revoke"] = c.hq.RevokeUnit("st1")
	_, locked["export"] = c.hq.ExportBundles(context.Background(), t.TempDir(), "all", nil)
	locked["import"] = c.hq.ImportBundles(context.Background(), up, nil)[0].Err
	for what, err := range locked {
		if !errors.Is(err, ErrLocked) {
			t.Errorf("locked HQ desk, %s: %v", what, err)
		}
	}
	if err := c.hq.Unlock(hqAdminPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := c.hq.DecidePost(p.ID, p.ContentHash, true, ""); err != nil {
		t.Fatal(err)
	}
	down := c.send(c.hq, "st1")
	if r := st.officer.ImportBundles(context.Background(), down, nil); r[0].Result != Refused || !errors.Is(r[0].Err, ErrNotAllowed) {
		t.Fatalf("an officer imported: %s %v", r[0].Result, r[0].Err)
	}
	st.admin.Lock()
	if r := st.admin.ImportBundles(context.Background(), down, nil); !errors.Is(r[0].Err, ErrLocked) {
		t.Fatalf("a locked station desk imported: %s %v", r[0].Result, r[0].Err)
	}
	if err := st.admin.Unlock(stationAdminPassword); err != nil {
		t.Fatal(err)
	}
	c.receive(st.admin, Imported, down...)
}

// TestImportFolderTakesOnlyBundlesForThisUnit: one stick carries both
// directions; importing its folder takes the bundles sent to this unit
// and passes over its own outgoing ones, other stations' and
// registrations, writing no refusals for them.
func TestImportFolderTakesOnlyBundlesForThisUnit(t *testing.T) {
	c := newCounty(t, 2)
	stick := t.TempDir()
	move := func(paths []string) {
		for _, p := range paths {
			if err := os.Rename(p, filepath.Join(stick, filepath.Base(p))); err != nil {
				t.Fatal(err)
			}
		}
	}
	move(c.send(c.stations[0].admin, ""))
	move(c.send(c.stations[1].admin, ""))
	move(c.send(c.hq, "all"))
	enroll, err := c.hq.EnrollUnit("st3", "派出所st3", c.stick)
	if err != nil {
		t.Fatal(err)
	}
	newcomer := newStation(t)
	reg, err := newcomer.admin.Join(context.Background(), enroll, stick)
	if err != nil || filepath.Dir(reg) != stick {
		t.Fatalf("join: %s %v", reg, err)
	}
	res := c.stations[0].admin.ImportBundles(context.Background(), []string{stick}, nil)
	if len(res) != 1 || res[0].Result != Imported || res[0].Peer != "hq" {
		t.Fatalf("station st1 imported %+v, want HQ's one bundle to it", res)
	}
	res = c.hq.ImportBundles(context.Background(), []string{stick}, nil)
	if len(res) != 2 || res[0].Result != Imported || res[1].Result != Imported {
		t.Fatalf("HQ imported %+v, want the two stations' bundles", res)
	}
	ledger, err := data.ListLedger(c.hq.store.Reader(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ledger {
		if e.Result == Refused {
			t.Errorf("HQ's ledger has a refusal: %+v", e)
		}
	}
}

// TestResubmittedUnchangedAfterHQReturn: HQ returns a post, the author
// resubmits the very same text and the shift leader approves it again;
// HQ must be able to decide on this new round (the earlier decision was
// applied at the station), not see it as decided forever.
func TestResubmittedUnchangedAfterHQReturn(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	p := sensitivePost(t, st, "命案通报")
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	if _, err := c.hq.DecidePost(p.ID, p.ContentHash, false, "暂缓发布，待案件侦结"); err != nil {
		t.Fatal(err)
	}
	// Before the decision reaches the station, it stands.
	if _, err := c.hq.DecidePost(p.ID, p.ContentHash, true, ""); !errors.Is(err, ErrAlreadyDecided) {
		t.Fatalf("second decision on the same round: %v", err)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	if p.Status != AwaitingHQ {
		t.Fatalf("resubmitted post is %s", p.Status)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	a, err := c.hq.PostForApproval(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Decidable() {
		t.Fatalf("the resubmitted post is not decidable at HQ (decision %+v)", a.Decision)
	}
	if _, err := c.hq.DecidePost(p.ID, p.ContentHash, true, ""); err != nil {
		t.Fatal(err)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	pd, err := st.admin.Post(p.ID)
	if err != nil || pd.Post.Status != Ready {
		t.Fatalf("after HQ's approval the post is %s, %v", pd.Post.Status, err)
	}
}

// TestJoinOtherUnitsEnrollment: a station that joined as one unit, given
// the enrollment file of another, is told so (it used to fail on a raw
// database constraint).
func TestJoinOtherUnitsEnrollment(t *testing.T) {
	c := newCounty(t, 1)
	other, err := c.hq.EnrollUnit("st9", "派出所st9", c.stick)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.stations[0].admin.Join(context.Background(), other, c.stick)
	if err == nil || !strings.Contains(err.Error(), "已以编号 st1 加入") {
		t.Fatalf("joining another unit's enrollment: %v", err)
	}
}

// TestOlderBundleReplayedOrRestored: a bundle numbered below what HQ
// applied is refused either way, but says what it is: a lost one found
// later (written before the newest, which carried it) needs nothing; one
// from a station restored from an earlier backup (written after it) needs
// the station registered again.
func TestOlderBundleReplayedOrRestored(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	backup := copyData(t, st.admin)
	lost := c.send(st.admin, "") // bundle 2, lost on the way
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	if r := c.hq.ImportBundles(context.Background(), lost, nil); r[0].Result != AlreadyImported || !errors.Is(r[0].Err, ErrReplayed) {
		t.Fatalf("the lost bundle found later: %s %v", r[0].Result, r[0].Err)
	}
	// The station's PC is restored from the backup taken after bundle 1:
	// it numbers its next bundle 2 again, written after HQ's newest.
	restored := openCopy(t, st.admin, backup, stationAdminPassword)
	if r := c.hq.ImportBundles(context.Background(), c.send(restored, ""), nil); r[0].Result != Refused || !errors.Is(r[0].Err, ErrRestored) {
		t.Fatalf("the restored station's bundle: %s %v", r[0].Result, r[0].Err)
	}
	// As the refusal says: the station imports HQ's newest bundle, whose
	// ack shows it was restored, and exports again, numbered above.
	c.receive(restored, Imported, c.send(c.hq, "st1")...)
	again := c.send(restored, "")
	if m, err := bundle.ReadManifest(again[0]); err != nil || m.Sequence != 4 || !m.Ack.Resend {
		t.Fatalf("the restored station's bundle after importing HQ's: %+v %v", m, err)
	}
	c.receive(c.hq, Imported, again...)
}

// TestRestoredHQExportsBeforeImporting: HQ's PC is restored from a data
// backup and exports before it imports anything. Its bundles reuse
// numbers the station applied from the old PC, so the station refuses
// them; the station's next ack names that number. HQ must not take it
// for an ack of its own bundle: the notice it issued after the restore
// still reaches the station.
func TestRestoredHQExportsBeforeImporting(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	backup := copyData(t, c.hq)
	// The old PC goes on: bundles 2 and 3 reach the station.
	mustNotice(t)(c.hq.IssueNotice(goodNotice()))
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)

	restored := openCopy(t, c.hq, backup, hqAdminPassword)
	f := goodNotice()
	f.Title = "恢复后下发的通知"
	after := mustNotice(t)(restored.IssueNotice(f))
	// Its bundles 2 and 3 are not the ones the station applied.
	for range 2 {
		r := st.admin.ImportBundles(context.Background(), c.send(restored, "st1"), nil)
		if r[0].Result != Refused || !errors.Is(r[0].Err, ErrReused) {
			t.Fatalf("the restored HQ's reused number: %s %v", r[0].Result, r[0].Err)
		}
	}
	// The station acknowledges the old PC's bundle 3.
	c.receive(restored, Imported, c.send(st.admin, "")...)
	back := c.send(restored, "st1")
	if m, err := bundle.ReadManifest(back[0]); err != nil || m.Sequence != 4 {
		t.Fatalf("the restored HQ's next bundle: %+v %v", m, err)
	}
	c.receive(st.admin, Imported, back...)
	if _, err := st.admin.Notice(after.ID); err != nil {
		t.Fatalf("the notice issued after the restore never reached the station: %v", err)
	}
}

// copyData copies s's data folder, as a backup made while the app runs,
// and returns the copy's folder.
func copyData(t *testing.T, s *Session) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(s.cfg.Dir)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openCopy opens the copy of s's data folder in dir (copyData) as s's PC
// restored from it, signed in as admin with password.
func openCopy(t *testing.T, s *Session, dir, password string) *Session {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, "LOCK")); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	cfg := s.cfg
	cfg.Dir = dir
	restored, err := SignIn(cfg, "admin", password)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { restored.Close() })
	return restored
}

// TestRestoredHQAsksForEverythingAgain: HQ's PC is restored from a copy
// made before it imported a station's post and a new officer's user; the
// station counts both as delivered. Imported first, the station's next
// bundle is refused (its new post is the new officer's), but its ack shows
// HQ it was restored: HQ's next bundle asks the station to send everything
// again, and then HQ has every record.
func TestRestoredHQAsksForEverythingAgain(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	before := sensitivePost(t, st, "备份前的稿件")
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	backup := copyData(t, c.hq)
	since := sensitivePost(t, st, "备份后的稿件")
	if _, err := st.admin.AddUser(NewUser{Name: "zhao", DisplayName: "赵警官", Role: Officer, Password: "officer-pass2"}); err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)

	restored := openCopy(t, c.hq, backup, hqAdminPassword)
	u, err := data.UserByName(st.admin.store.Reader(), "zhao")
	if err != nil {
		t.Fatal(err)
	}
	zhao := &Session{cfg: st.cfg, store: st.admin.store, unit: st.admin.unit, user: userFrom(u)}
	after := mustPost(t)(zhao.SaveDraft(plainDraft()))
	after = mustPost(t)(zhao.Submit(after.ID))
	r := restored.ImportBundles(context.Background(), c.send(st.admin, ""), nil)
	var conflict *data.ImportConflictError
	if r[0].Result != Refused || !errors.As(r[0].Err, &conflict) {
		t.Fatalf("the station's bundle at the restored HQ: %s %v", r[0].Result, r[0].Err)
	}
	if p, _ := data.PeerByID(restored.store.Reader(), "st1"); p.ResendFrom != 3 || p.SentSeq != 2 {
		t.Fatalf("after the refused bundle HQ's exchange with st1 is %+v, want bundles up to 2 taken and 3 asking for everything", p)
	}
	if stats, err := restored.SyncStats(); err != nil || len(stats.Peers) != 1 || !stats.Peers[0].AskingResend {
		t.Fatalf("stats do not say HQ asks st1 for everything: %+v %v", stats.Peers, err)
	}
	ask := c.send(restored, "st1")
	if m, err := bundle.ReadManifest(ask[0]); err != nil || m.Sequence != 3 || !m.Ack.Resend {
		t.Fatalf("the restored HQ's bundle: %+v %v", m, err)
	}
	c.receive(st.admin, Imported, ask...)
	everything := c.send(st.admin, "")
	if m, err := bundle.ReadManifest(everything[0]); err != nil || m.Counts["post"] != 3 || m.Counts["user"] < 3 {
		t.Fatalf("the station's bundle after HQ asked for everything: %v %v", m.Counts, err)
	}
	c.receive(restored, Imported, everything...)
	for _, p := range []Post{before, since, after} {
		if _, err := restored.Post(p.ID); err != nil {
			t.Fatalf("%s is not at the restored HQ: %v", p.Title, err)
		}
	}
	if p, _ := data.PeerByID(restored.store.Reader(), "st1"); p.ResendFrom != 0 {
		t.Fatalf("HQ still asks for everything after the station sent it: %+v", p)
	}
	if stats, _ := restored.SyncStats(); stats.Peers[0].AskingResend {
		t.Fatal("stats say HQ still asks st1 for everything")
	}
	next := c.send(restored, "st1")
	if m, err := bundle.ReadManifest(next[0]); err != nil || m.Ack.Resend {
		t.Fatalf("the restored HQ's bundle after: %+v %v", m, err)
	}
	c.receive(st.admin, Imported, next...)
	// Asked once, the station is back to sending only what changed.
	settled := c.send(st.admin, "")
	if m, err := bundle.ReadManifest(settled[0]); err != nil || m.Counts["post"] != 0 || m.Counts["user"] != 0 {
		t.Fatalf("the station sends everything again after the exchange settled: %v %v", m.Counts, err)
	}
	c.receive(restored, Imported, settled...)
}

// TestRestoredStationAsksForEverythingAgain: a station's PC is restored
// from a copy made before HQ approved its post; the old PC had acknowledged
// HQ's decision, so HQ no longer sends it. Importing HQ's bundle first, the
// restored station learns from its ack that it was restored, numbers on
// above what HQ has, and asks HQ for everything again: the decision comes
// back and the post is approved here again.
func TestRestoredStationAsksForEverythingAgain(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	p := sensitivePost(t, st, "重大警情通报")
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	backup := copyData(t, st.admin)
	if _, err := c.hq.DecidePost(p.ID, p.ContentHash, true, "同意"); err != nil {
		t.Fatal(err)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	c.receive(c.hq, Imported, c.send(st.admin, "")...) // acknowledges the decision

	restored := openCopy(t, st.admin, backup, stationAdminPassword)
	c.receive(restored, Imported, c.send(c.hq, "st1")...)
	if got, _ := restored.Post(p.ID); got.Post.HQApproved {
		t.Fatal("HQ sent the acknowledged decision again unasked")
	}
	ask := c.send(restored, "")
	if m, err := bundle.ReadManifest(ask[0]); err != nil || m.Sequence != 3 || !m.Ack.Resend {
		t.Fatalf("the restored station's bundle: %+v %v", m, err)
	}
	c.receive(c.hq, Imported, ask...)
	c.receive(restored, Imported, c.send(c.hq, "st1")...)
	if got, err := restored.Post(p.ID); err != nil || !got.Post.HQApproved {
		t.Fatalf("HQ's decision did not come back to the restored station: %+v %v", got.Post, err)
	}
}

// TestWorkOfTheOtherInstall: HQ's work on a station's install and a
// station's on HQ's are refused as not allowed, saying it is the install.
func TestWorkOfTheOtherInstall(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	if err := st.admin.RevokeUnit("st1"); !errors.Is(err, ErrNotAllowed) || !errors.Is(err, ErrHQOnly) {
		t.Fatalf("HQ's work at a station: %v", err)
	}
	if _, err := c.hq.SaveDraft(plainDraft()); !errors.Is(err, ErrNotAllowed) || err.Error() != ErrStationOnly.Error() {
		t.Fatalf("a station's work at HQ: %v", err)
	}
}

// TestExportToRevokedUnit: an export to a station that cannot take
// bundles says why (revoked), not that there is no such unit.
func TestExportToRevokedUnit(t *testing.T) {
	c := newCounty(t, 1)
	if err := c.hq.RevokeUnit("st1"); err != nil {
		t.Fatal(err)
	}
	_, err := c.hq.ExportBundles(context.Background(), t.TempDir(), "st1", nil)
	if err == nil || !strings.Contains(err.Error(), "revoked") || errors.Is(err, ErrUnknownUnit) {
		t.Fatalf("export to a revoked station: %v", err)
	}
}
