package app

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mediadesk/data"
)

// Passwords of the admins newCounty sets up.
const (
	hqAdminPassword      = "hq-admin-pass-1"
	stationAdminPassword = "station-pass-1"
)

// installCopies closes s and returns a function that opens a new copy of
// its data directory, signed in as user. Every copy's clock stands still
// at the same instant, so copies that import the same bundles in another
// order can be compared record by record.
func installCopies(t *testing.T, s *Session, user, password string) func() *Session {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	frozen := s.cfg.now()
	src := s.cfg.Dir
	return func() *Session {
		t.Helper()
		dir := filepath.Join(t.TempDir(), "copy")
		if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
		c, err := SignIn(Config{Dir: dir, Store: cheap, Now: func() time.Time { return frozen }}, user, password)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
}

// canonicalDump is the dump of every record s holds that travels.
func canonicalDump(t *testing.T, s *Session) string {
	t.Helper()
	d, err := data.CanonicalDump(s.store.Reader())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// ownedDump is the dump of the records one unit owns, as s holds them.
func ownedDump(t *testing.T, s *Session, scope data.DumpScope) string {
	t.Helper()
	d, err := data.OwnedDump(s.store.Reader(), scope)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// dayWork is what stationDay made.
type dayWork struct {
	day      int
	post     Post    // a sensitive post awaiting HQ
	account  Account // an account filed with HQ
	officer  RosterEntry
	training TrainingForm // as saved, with its ID
	message  Message      // handled, not yet answered
}

// stationDay does a day of work at a station: a sensitive post approved
// by the shift leader (it awaits HQ), a plain post submitted, approved and
// commented on, an account filed with HQ, a roster entry and a training,
// and a netizen message taken and handled.
func stationDay(t *testing.T, st station, day int) dayWork {
	t.Helper()
	unit := st.admin.Unit().ID
	w := dayWork{day: day}
	w.post = sensitivePost(t, st, fmt.Sprintf("%s 第%d天重大警情通报", unit, day))

	d := plainDraft()
	d.Title = fmt.Sprintf("%s 第%d天防范提示", unit, day)
	p := mustPost(t)(st.officer.SaveDraft(d))
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, "同意"))
	if err := st.officer.Comment(p.ID, "", fmt.Sprintf("第%d天：已核对配图", day)); err != nil {
		t.Fatal(err)
	}

	f := unitFiling(st.cfg.now())
	f.Name, f.PlatformID = fmt.Sprintf("平安%s%d", unit, day), fmt.Sprintf("pa_%s_%d", unit, day)
	f.URL = "https://weibo.example/" + f.PlatformID
	a, err := st.leader.SaveAccountFiling(f)
	if err == nil {
		a, err = st.leader.FileAccount(a.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	w.account = a

	w.officer, err = st.leader.SaveOfficer(OfficerForm{Name: fmt.Sprintf("民警%d", day), PoliceNo: fmt.Sprintf("4105%02d", day), Department: "社区中队", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	w.training = lecture(fmt.Sprintf("2026-11-%02d", 1+day%20), "1.5", w.officer.ID)
	tr, err := st.leader.SaveTraining(w.training)
	if err != nil {
		t.Fatal(err)
	}
	w.training.ID = tr.ID

	m := mustMessage(t)(st.officer.ReceiveMessage(inquiry(st.cfg.now().Add(-time.Hour))))
	w.message = mustMessage(t)(st.officer.MoveMessage(m.ID, MessageMove{To: MsgHandled, Note: fmt.Sprintf("第%d天已电话答复", day)}))
	return w
}

// followUp changes what an earlier day made, so that a later bundle
// carries newer versions of records an earlier one had: the message is
// answered, the training corrected, the roster entry moved.
func followUp(t *testing.T, st station, w dayWork) {
	t.Helper()
	mustMessage(t)(st.officer.MoveMessage(w.message.ID, MessageMove{To: MsgFeedback, Reply: fmt.Sprintf("您好，第%d天的留言已为您办理。", w.day)}))
	w.training.Summary, w.training.Hours = "补记：保密纪律与网络发布规范（更正）。", "2"
	if _, err := st.leader.SaveTraining(w.training); err != nil {
		t.Fatal(err)
	}
	_, err := st.leader.SaveOfficer(OfficerForm{ID: w.officer.ID, Name: w.officer.Name, PoliceNo: w.officer.PoliceNo, Department: "治安中队", Active: true})
	if err != nil {
		t.Fatal(err)
	}
}

// shuffledWithRepeats returns files in a random order, some of them twice.
func shuffledWithRepeats(rng *rand.Rand, files []string) []string {
	out := append([]string(nil), files...)
	for range rng.IntN(len(files)/2 + 1) {
		out = append(out, files[rng.IntN(len(files))])
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// importAnyOrder imports files into s and fails on any result other than
// imported, already imported, or refused as older than one applied.
func importAnyOrder(t *testing.T, s *Session, files []string) (imported, duplicates, replays int) {
	t.Helper()
	for _, r := range s.ImportBundles(context.Background(), files, nil) {
		switch {
		case r.Result == Imported:
			imported++
		case r.Result == AlreadyImported && errors.Is(r.Err, ErrReplayed):
			replays++
		case r.Result == AlreadyImported:
			duplicates++
		default:
			t.Fatalf("import %s: %s %v", filepath.Base(r.File), r.Result, r.Err)
		}
	}
	return imported, duplicates, replays
}

// propertySeeds is how many random orders each property test tries
// (fewer with -short).
func propertySeeds() int {
	if testing.Short() {
		return 6
	}
	return 30
}

// TestSyncPropertyStationsToHQ: three stations' bundles, each carrying new
// records and newer versions of earlier ones, imported into copies of HQ
// in random orders with repeats, always give the same HQ.
func TestSyncPropertyStationsToHQ(t *testing.T) {
	c := newCounty(t, 3)
	var files []string
	yesterday := make([]dayWork, len(c.stations))
	for round := range 3 {
		for i, st := range c.stations {
			if round > 0 {
				followUp(t, st, yesterday[i])
			}
			yesterday[i] = stationDay(t, st, 10*round+i)
			files = append(files, c.send(st.admin, "")...)
		}
	}
	if len(files) != 9 {
		t.Fatalf("exported %d bundles, want 9", len(files))
	}
	owned := make([]string, len(c.stations))
	for i, st := range c.stations {
		owned[i] = ownedDump(t, st.admin, data.DumpScope{Owner: st.admin.Unit().ID, Side: data.StationSide})
	}
	hqCopy := installCopies(t, c.hq, "admin", hqAdminPassword)

	// In export order every bundle applies.
	hq := hqCopy()
	if n, _, _ := importAnyOrder(t, hq, files); n != len(files) {
		t.Fatalf("in order, %d of %d bundles applied", n, len(files))
	}
	want := canonicalDump(t, hq)
	for i, st := range c.stations {
		if got := ownedDump(t, hq, data.DumpScope{Owner: st.admin.Unit().ID, Side: data.StationSide}); got != owned[i] {
			t.Fatalf("HQ does not hold %s's records as the station does:\n%s", st.admin.Unit().ID, firstDifference(owned[i], got))
		}
	}

	checkEveryOrder(t, "HQ", 5, files, hqCopy, want)
}

// TestSyncPropertyHQToStation: HQ's bundles to a station (post and filing
// decisions, a template published, retired, another published) imported
// into copies of the station in random orders with repeats always give
// the same station.
func TestSyncPropertyHQToStation(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	unit := st.admin.Unit().ID
	var work []dayWork
	for day := range 3 {
		work = append(work, stationDay(t, st, day+1))
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)

	// Three HQ bundles, each re-sending what came before (the station
	// acknowledges none of them meanwhile).
	publish := func(id, title, status string, version int64) {
		t.Helper()
		err := c.hq.store.Write(func(tx *data.Tx) error {
			now := c.hq.now()
			return data.SaveTemplate(tx, ReplyTemplate{ID: id, OwnerUnit: c.hq.Unit().ID, Category: "咨询答复", Title: title,
				Body: "您好！感谢您的关注。", Status: status, Source: "hq", CreatedAt: now, UpdatedAt: now, Version: version})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	decidePost := func(w dayWork, approve bool, comment string) {
		t.Helper()
		if _, err := c.hq.DecidePost(w.post.ID, w.post.ContentHash, approve, comment); err != nil {
			t.Fatal(err)
		}
	}
	decideFiling := func(w dayWork, step FilingStep, reason string) {
		t.Helper()
		if _, err := c.hq.DecideFiling(w.account.ID, step, reason); err != nil {
			t.Fatal(err)
		}
	}
	var files []string
	decidePost(work[0], true, "同意发布")
	decideFiling(work[0], StepAccept, "")
	publish("tpl-1", "一般咨询答复（宣传科）", "published", 1)
	files = append(files, c.send(c.hq, unit)...)
	decidePost(work[1], false, "请删去当事人姓名")
	decideFiling(work[0], StepVerify, "")
	decideFiling(work[1], StepReject, "账号名称不规范")
	publish("tpl-1", "一般咨询答复（宣传科）", "retired", 2)
	files = append(files, c.send(c.hq, unit)...)
	decidePost(work[2], true, "")
	decideFiling(work[2], StepAccept, "")
	publish("tpl-2", "投诉受理（宣传科）", "published", 1)
	files = append(files, c.send(c.hq, unit)...)
	theirs := ownedDump(t, c.hq, data.DumpScope{Owner: c.hq.Unit().ID, Side: data.HQSide, To: unit})

	stCopy := installCopies(t, st.admin, "admin", stationAdminPassword)
	s := stCopy()
	if n, _, _ := importAnyOrder(t, s, files); n != len(files) {
		t.Fatalf("in order, %d of %d bundles applied", n, len(files))
	}
	want := canonicalDump(t, s)
	if got := ownedDump(t, s, data.DumpScope{Owner: c.hq.Unit().ID, Side: data.HQSide, To: unit}); got != theirs {
		t.Fatalf("the station does not hold HQ's records as HQ does:\n%s", firstDifference(theirs, got))
	}
	wantStatus := []struct {
		post    PostStatus
		account FilingStatus
	}{{Ready, FilingVerified}, {Returned, FilingRejected}, {Ready, FilingAccepted}}
	for i, w := range work {
		p, err := s.Post(w.post.ID)
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.Account(w.account.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Post.Status != wantStatus[i].post || FilingStatus(a.Status) != wantStatus[i].account {
			t.Errorf("day %d: post %s, account %s; want %s, %s", i+1, p.Post.Status, a.Account.Status, wantStatus[i].post, wantStatus[i].account)
		}
	}
	s.Close()

	checkEveryOrder(t, "station", 7, files, stCopy, want)
}

// checkEveryOrder imports files, shuffled with repeats for each property
// seed (stream picks the random sequence), into a fresh copy of the
// receiver (fresh) and fails unless every order gives the state want;
// the orders tried must have had a duplicate and a late older bundle.
func checkEveryOrder(t *testing.T, receiver string, stream uint64, files []string, fresh func() *Session, want string) {
	t.Helper()
	var replays, duplicates int
	for seed := range propertySeeds() {
		rng := rand.New(rand.NewPCG(uint64(seed), stream))
		order := shuffledWithRepeats(rng, files)
		s := fresh()
		_, d, r := importAnyOrder(t, s, order)
		duplicates, replays = duplicates+d, replays+r
		if got := canonicalDump(t, s); got != want {
			t.Fatalf("seed %d: order %v gives another %s state:\n%s", seed, baseNames(order), receiver, firstDifference(want, got))
		}
		s.Close()
	}
	t.Logf("%d orders: %d duplicates found already imported, %d older bundles refused as replays", propertySeeds(), duplicates, replays)
	if replays == 0 || duplicates == 0 {
		t.Fatal("the orders tried never had a duplicate or a late older bundle")
	}
}

// baseNames returns the file names of paths.
func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}

// firstDifference shows the first line where two dumps differ.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d\nwant: %s\ngot:  %s", i+1, a, b)
		}
	}
	return "(no difference)"
}

// TestSyncPropertyRestoredHQCatchesUp: HQ's PC is restored from a copy of
// its data folder taken at a random round of a county's exchange, and
// then either exports or imports first. After a few ordinary rounds (some
// bundles refused along the way, as reused numbers or for records that
// refer to what the restored HQ lacks), the restored HQ holds every
// station's records exactly as the station does.
func TestSyncPropertyRestoredHQCatchesUp(t *testing.T) {
	for seed := range min(propertySeeds(), 4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(seed), 11))
			c := newCounty(t, 2)
			backupAt, rounds := rng.IntN(4), 5
			var backup string
			var yesterday [2]dayWork
			for round := range rounds {
				if round == backupAt {
					backup = copyData(t, c.hq)
				}
				for i, st := range c.stations {
					if round > 0 && rng.IntN(2) == 0 {
						followUp(t, st, yesterday[i])
					}
					yesterday[i] = stationDay(t, st, 10*round+i)
					importAnyOrder(t, c.hq, c.send(st.admin, ""))
				}
				for _, st := range c.stations {
					c.receive(st.admin, Imported, c.send(c.hq, st.admin.Unit().ID)...)
				}
			}
			hq := openCopy(t, c.hq, backup, hqAdminPassword)
			exportFirst := rng.IntN(2) == 0
			for round := range 3 {
				for _, st := range c.stations {
					unit := st.admin.Unit().ID
					toHQ := func() { settleImport(t, hq, c.send(st.admin, ""), "HQ") }
					toStation := func() { settleImport(t, st.admin, c.send(hq, unit), unit) }
					if exportFirst && round == 0 {
						toStation()
						toHQ()
					} else {
						toHQ()
						toStation()
					}
				}
			}
			for _, st := range c.stations {
				// The station's last import left an audit entry to send.
				settleImport(t, hq, c.send(st.admin, ""), "HQ")
				scope := data.DumpScope{Owner: st.admin.Unit().ID, Side: data.StationSide}
				if want, got := ownedDump(t, st.admin, scope), ownedDump(t, hq, scope); got != want {
					t.Fatalf("backup at round %d, export first %v: the restored HQ does not hold %s's records as the station does:\n%s",
						backupAt, exportFirst, scope.Owner, firstDifference(want, got))
				}
			}
		})
	}
}

// settleImport imports files into s, where a restored install's peer may
// refuse a bundle as a reused number and the restored install one whose
// records refer to what it lacks; anything else fails the test.
func settleImport(t *testing.T, s *Session, files []string, who string) {
	t.Helper()
	for _, r := range s.ImportBundles(context.Background(), files, nil) {
		var conflict *data.ImportConflictError
		if r.Result == Imported || errors.Is(r.Err, ErrReused) || errors.As(r.Err, &conflict) {
			continue
		}
		t.Fatalf("%s: import %s: %s %v", who, filepath.Base(r.File), r.Result, r.Err)
	}
}

// TestSyncPropertyRestoredStationCatchesUp: a station's PC is restored
// from a copy of its data folder taken at a random round, and then either
// exports or imports first. After a few ordinary rounds (its first bundle
// refused, if it exported first, as a reused or restored number), the
// station holds every record HQ has for it — decisions, notices,
// templates — exactly as HQ does, the ones the old PC had acknowledged
// too.
func TestSyncPropertyRestoredStationCatchesUp(t *testing.T) {
	for seed := range min(propertySeeds(), 4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(seed), 13))
			c := newCounty(t, 1)
			st := c.stations[0]
			unit := st.admin.Unit().ID
			backupAt := rng.IntN(4)
			var backup string
			for round := range 5 {
				if round == backupAt {
					backup = copyData(t, st.admin)
				}
				stationDay(t, st, round)
				c.receive(c.hq, Imported, c.send(st.admin, "")...)
				hqDecides(t, c.hq)
				hqAnswers(t, c.hq, round)
				n := goodNotice()
				n.Title = fmt.Sprintf("第%d轮整改通知", round)
				mustNotice(t)(c.hq.IssueNotice(n))
				c.receive(st.admin, Imported, c.send(c.hq, unit)...)
			}
			restored := openCopy(t, st.admin, backup, stationAdminPassword)
			exportFirst := rng.IntN(2) == 0
			for round := range 3 {
				toHQ := func() {
					for _, r := range c.hq.ImportBundles(context.Background(), c.send(restored, ""), nil) {
						if r.Result != Imported && !errors.Is(r.Err, ErrReused) && !errors.Is(r.Err, ErrRestored) {
							t.Fatalf("HQ: import %s: %s %v", filepath.Base(r.File), r.Result, r.Err)
						}
					}
				}
				toStation := func() { c.receive(restored, Imported, c.send(c.hq, unit)...) }
				if exportFirst && round == 0 {
					toHQ()
					toStation()
				} else {
					toStation()
					toHQ()
				}
			}
			c.receive(restored, Imported, c.send(c.hq, unit)...)
			scope := data.DumpScope{Owner: c.hq.Unit().ID, Side: data.HQSide, To: unit}
			if want, got := ownedDump(t, c.hq, scope), ownedDump(t, restored, scope); got != want {
				t.Fatalf("backup at round %d, export first %v: the restored station does not hold HQ's records as HQ does:\n%s",
					backupAt, exportFirst, firstDifference(want, got))
			}
		})
	}
}
