package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// demoNow is the "now" of the demo county the tests build.
var demoNow = time.Date(2026, 11, 26, 10, 0, 0, 0, time.Local)

// openDemo signs in to an install of the demo county as name, with the
// demo password, on the demo's clock.
func openDemo(t *testing.T, dir, name string) *Session {
	t.Helper()
	s, err := SignIn(Config{Dir: dir, Store: cheap, Now: func() time.Time { return demoNow }}, name, DemoPassword)
	if err != nil {
		t.Fatalf("sign in to %s as %s: %v", dir, name, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// count is the length of a list, or -1 when reading it failed.
func count[T any](list []T, err error) int {
	if err != nil {
		return -1
	}
	return len(list)
}

func TestDemoCounty(t *testing.T) {
	dir := t.TempDir()
	county, err := BuildDemo(DemoRequest{Dir: dir, Units: 2, Store: cheap, Now: demoNow})
	if err != nil {
		t.Fatal(err)
	}
	if county.Period != "2026-10" || len(county.Stations) != 2 || county.HQ.Dir != filepath.Join(dir, "hq") ||
		county.Stations[1].Dir != filepath.Join(dir, "caiyuan") || len(county.Stations[0].Users) != 4 {
		t.Fatalf("county %+v", county)
	}

	for _, inst := range county.Stations {
		for _, u := range inst.Users { // every printed user signs in with the printed password
			s := openDemo(t, inst.Dir, u.Name)
			if s.User().Role != u.Role || s.Unit().ID != inst.UnitID {
				t.Errorf("%s/%s is %s of %s", inst.UnitID, u.Name, s.User().Role, s.Unit().ID)
			}
			s.Close()
		}
		st := openDemo(t, inst.Dir, "leader")
		want := map[PostStatus]int{Draft: 2, Submitted: 1, Returned: 1, AwaitingHQ: 1, Ready: 1}
		for status, n := range want {
			if got := count(st.Posts(PostQuery{Status: string(status)})); got != n {
				t.Errorf("%s: %d posts %s, want %d", inst.UnitID, got, status, n)
			}
		}
		published, err := st.Posts(PostQuery{Status: string(Published)})
		if err != nil || len(published) < 10 {
			t.Fatalf("%s: %d published posts (%v)", inst.UnitID, len(published), err)
		}
		withNumbers := 0
		for _, p := range published {
			d, err := st.Post(p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Metrics) > 0 {
				withNumbers++
			}
		}
		if withNumbers < len(published)-1 {
			t.Errorf("%s: %d of %d published posts have numbers", inst.UnitID, withNumbers, len(published))
		}

		statuses := map[FilingStatus]int{}
		accounts, err := st.Accounts()
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range accounts {
			statuses[FilingStatus(a.Status)]++
		}
		for status, n := range map[FilingStatus]int{FilingPlanned: 1, FilingFiled: 1, FilingAccepted: 2, FilingRejected: 1, FilingVerified: 2, FilingSuspended: 1} {
			if statuses[status] != n {
				t.Errorf("%s: %d accounts %s, want %d (%v)", inst.UnitID, statuses[status], status, n, statuses)
			}
		}
		home, err := st.StationHome()
		if err != nil {
			t.Fatal(err)
		}
		if len(home.Zombie) == 0 || home.OverdueMessages < 2 || len(home.ToReview) != 1 || !home.Synced || home.DaysSinceSync != 0 {
			t.Errorf("%s home: %d zombie accounts, %d overdue messages, %d to review, synced %v %d days ago",
				inst.UnitID, len(home.Zombie), home.OverdueMessages, len(home.ToReview), home.Synced, home.DaysSinceSync)
		}
		if n := count(st.Messages(MessageQuery{State: MessagesClosed})); n < 4 {
			t.Errorf("%s: %d closed messages", inst.UnitID, n)
		}
		if n := count(st.Trainings(TrainingQuery{})); n < 3 {
			t.Errorf("%s: %d trainings", inst.UnitID, n)
		}
		if n := count(st.Campaigns(demoNow.AddDate(0, 0, -60), demoNow.AddDate(0, 0, 10))); n != len(demoCampaigns) {
			t.Errorf("%s: %d campaigns", inst.UnitID, n)
		}
		if n := count(st.Templates("")); n < len(demoTemplates) {
			t.Errorf("%s: %d reply templates", inst.UnitID, n)
		}
		if lex := st.LexiconInUse(); lex.Number != 1 {
			t.Errorf("%s screens with lexicon %s, want HQ's update", inst.UnitID, lex.Version)
		}
		if n := count(st.NoticesForMe(NoticesOverdue)); n != 1 {
			t.Errorf("%s: %d overdue notices", inst.UnitID, n)
		}
		results, err := st.MyResults()
		if err != nil || len(results) != 1 || results[0].Period.Key != county.Period || results[0].Units != 2 {
			t.Errorf("%s: assessment results %+v (%v)", inst.UnitID, results, err)
		}
		ledger, err := st.Ledger(1000)
		if err != nil || len(ledger) < 2*len(demoSyncDays) {
			t.Errorf("%s: %d ledger entries (%v)", inst.UnitID, len(ledger), err)
		}
	}

	hq := openDemo(t, county.HQ.Dir, "staff")
	if n := count(hq.Posts(PostQuery{Status: string(AwaitingHQ)})); n != 2 {
		t.Errorf("HQ: %d posts awaiting it, want one per station", n)
	}
	home, err := hq.HQHome()
	if err != nil {
		t.Fatal(err)
	}
	if home.FilingsWaiting != 2 || home.Imported != 2 || home.Period != county.Period || len(home.Ranking) != 2 {
		t.Errorf("HQ home: %d filings waiting, %d bundles today, period %q ranking %v", home.FilingsWaiting, home.Imported, home.Period, home.Ranking)
	}
	if n := count(hq.Notices(NoticeQuery{State: NoticesClosed})); n != 1 {
		t.Errorf("HQ: %d closed notices", n)
	}
	if len(home.TakenDown) != 1 || home.TakenDown[0].Reason == "" {
		t.Errorf("HQ home: take-downs %+v, want the one of 城关派出所", home.TakenDown)
	}
	matrix, err := hq.Matrix(AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(matrix) < 5 || !matrix[3].Bureau || matrix[4].Bureau || matrix[0].Name != "平安汤阴" {
		t.Errorf("HQ matrix does not start with the bureau's four accounts: %+v", matrix[:min(5, len(matrix))])
	}
	if n := count(hq.Notices(NoticeQuery{State: NoticesAnswered})); n != 1 {
		t.Errorf("HQ: %d answered notices waiting to be closed", n)
	}
	ledger, err := hq.Ledger(1000)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]int{}
	for _, e := range ledger {
		if e.Direction == "in" && e.Result == Imported {
			in[e.Peer]++
		}
	}
	for _, inst := range county.Stations {
		if in[inst.UnitID] != len(demoSyncDays)+1 {
			t.Errorf("HQ imported %d bundles from %s, want %d", in[inst.UnitID], inst.UnitID, len(demoSyncDays)+1)
		}
	}
	files, _ := filepath.Glob(filepath.Join(county.Bundles, "*.mdbundle"))
	if len(files) < 4*(len(demoSyncDays)+1) {
		t.Errorf("%d bundles in %s", len(files), county.Bundles)
	}
}

func TestDemoRefuses(t *testing.T) {
	for _, n := range []int{0, MaxDemoUnits + 1} {
		_, err := BuildDemo(DemoRequest{Dir: t.TempDir(), Units: n, Store: cheap})
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "units" {
			t.Errorf("%d units: %v", n, err)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := BuildDemo(DemoRequest{Dir: dir, Units: 1, Store: cheap})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "data" {
		t.Errorf("a folder not empty: %v", err)
	}
}

// TestDemoNames: every unit and person of a full county has its own
// name, and every post the demo writes passes the checker without a
// block.
func TestDemoNames(t *testing.T) {
	seen := map[string]bool{}
	for n := range MaxDemoUnits * len(demoRoster) {
		name := demoPerson(n)
		if seen[name] {
			t.Fatalf("person %d is %s again", n, name)
		}
		seen[name] = true
	}
	st := newStation(t)
	posts := append([]demoContent{demoReturnedPost, demoSensitivePost, demoAwaitingPost, demoPersonalPost}, demoPlainPosts...)
	for _, info := range demoUnits {
		for _, c := range posts {
			u := &demoUnit{info: info}
			c = u.fillContent(c)
			if err := firstBlock(st.officer.CheckText(PostText(c.Title, c.Body))); err != nil {
				t.Errorf("%s %q: %v", info.ID, c.Title, err)
			}
		}
	}
}
