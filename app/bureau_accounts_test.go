package app

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// bureauForm is the bureau's "平安汤阴" account on platform.
func bureauForm(now time.Time, platform, platformID string) BureauAccountForm {
	return BureauAccountForm{Platform: platform, Name: "平安汤阴", PlatformID: platformID, URL: "https://" + platform + ".example/" + platformID,
		Responsible: "赵科长", Contact: "0372-5511000", Admins: "周干事、吴干事", Purpose: "县局官方账号，发布警情通报和防范提示", OpenedOn: now}
}

func TestBureauAccountRecordEditClose(t *testing.T) {
	hq := setupHQ(t)
	now := hq.cfg.now()
	a, err := hq.SaveBureauAccount(bureauForm(now, "weibo", "pingantangyin"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != string(FilingAccepted) || a.Kind != UnitAccount || a.OwnerUnit != hq.Unit().ID || a.Action != "open" ||
		a.Department != BureauDepartment || a.FiledOn != now.Format(time.DateOnly) || a.Version != 1 || a.OfficerID != "" {
		t.Fatalf("recorded %+v, want a unit account of HQ, 已备案, run by 宣传科, opened today", a)
	}
	if !hq.IsBureauAccount(a) || !hq.MayKeepBureauAccount(a) {
		t.Error("HQ's admin may not keep the bureau's account")
	}

	// Edit: the record is corrected, the status stays.
	f := BureauFormOf(a)
	f.Contact, f.Department, f.OpenedOn = "0372-5511001", "宣传科新媒体组", now.AddDate(-3, 0, 0)
	e, err := hq.SaveBureauAccount(f)
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != a.ID || e.Status != string(FilingAccepted) || e.Contact != "0372-5511001" || e.Department != "宣传科新媒体组" ||
		e.FiledOn != now.AddDate(-3, 0, 0).Format(time.DateOnly) || e.Version != 2 || e.CreatedAt != a.CreatedAt {
		t.Fatalf("edited %+v", e)
	}

	// Refused at the field, as a station's filing is.
	for _, tc := range []struct {
		what  string
		edit  func(*BureauAccountForm)
		field string
	}{
		{"no name", func(f *BureauAccountForm) { f.Name = " " }, "name"},
		{"no platform", func(f *BureauAccountForm) { f.Platform = "myspace" }, "platform"},
		{"no platform ID", func(f *BureauAccountForm) { f.PlatformID = "" }, "platform_id"},
		{"bad address", func(f *BureauAccountForm) { f.URL = "weibo.com/x" }, "url"},
		{"no responsible person", func(f *BureauAccountForm) { f.Responsible = "" }, "responsible"},
		{"no contact", func(f *BureauAccountForm) { f.Contact = "" }, "contact"},
		{"opened tomorrow", func(f *BureauAccountForm) { f.OpenedOn = now.AddDate(0, 0, 1) }, "filed_on"},
		{"no date", func(f *BureauAccountForm) { f.OpenedOn = time.Time{} }, "filed_on"},
		{"run by 国保 (Art. 14)", func(f *BureauAccountForm) { f.Department = "国保大队" }, "department"},
		{"the ID of another bureau account", func(f *BureauAccountForm) {}, "platform_id"},
	} {
		f := bureauForm(now, "weibo", "pingantangyin")
		tc.edit(&f)
		_, err := hq.SaveBureauAccount(f)
		wantField(t, tc.what, err, tc.field)
		wantField(t, tc.what+" (check)", hq.CheckBureauAccountForm(f), tc.field)
	}
	if _, err := hq.SaveBureauAccount(bureauForm(now, "wechat", "pingantangyin")); err != nil {
		t.Errorf("the same ID on another platform: %v", err)
	}

	// Close: 已注销, on a day not after today; then it is kept no more.
	if _, err := hq.CloseBureauAccount(a.ID, now.AddDate(0, 0, 1)); err == nil {
		t.Error("closed tomorrow")
	} else {
		wantField(t, "closed tomorrow", err, "closed_on")
	}
	c, err := hq.CloseBureauAccount(a.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != string(FilingClosed) || c.Action != "close" || c.FiledOn != now.Format(time.DateOnly) || hq.MayKeepBureauAccount(c) {
		t.Fatalf("closed %+v", c)
	}
	if _, err := hq.CloseBureauAccount(a.ID, now); !errors.Is(err, ErrTransition) {
		t.Errorf("closed twice: %v", err)
	}
	if _, err := hq.SaveBureauAccount(BureauFormOf(c)); !errors.Is(err, ErrTransition) {
		t.Errorf("edited once closed: %v", err)
	}
	if _, err := hq.SaveBureauAccount(bureauForm(now, "weibo", "pingantangyin")); err != nil {
		t.Errorf("the ID of a closed account recorded again: %v", err)
	}

	d, err := hq.BureauAccount(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, h := range d.History {
		steps = append(steps, h.Action)
	}
	if !slices.Equal(steps, []string{"account.record", "account.edit", "account.close"}) || d.People.Name(d.History[0].Actor) != "赵科长" {
		t.Errorf("history %v (by %q)", steps, d.History[0].Actor)
	}
	if _, err := hq.DecideFiling(a.ID, StepVerify, ""); !errors.Is(err, ErrBureauAccount) {
		t.Errorf("HQ decides on its own account: %v", err)
	}
}

func TestBureauAccountRoles(t *testing.T) {
	hq := setupHQ(t)
	now := hq.cfg.now()
	// The publicity section's staff decide filings, and keep the bureau's
	// accounts as the admin does.
	staff := hqStaffSession(t, hq)
	a, err := staff.SaveBureauAccount(bureauForm(now, "douyin", "pingantangyin_dy"))
	if err != nil {
		t.Fatalf("HQ staff record an account: %v", err)
	}
	if _, err := staff.CloseBureauAccount(a.ID, now); err != nil {
		t.Fatalf("HQ staff close an account: %v", err)
	}

	// No personal work account is filed at HQ: the form has no kind, and
	// the stations' filing stays theirs.
	if _, err := hq.SaveAccountFiling(AccountForm{Action: "open", Platform: "weibo", Name: "民警张三", PlatformID: "zs",
		Kind: PersonalAccount, Department: "宣传科", Responsible: "张三", Contact: "138", FiledOn: now, Declarations: Art13Declarations}); !errors.Is(err, ErrStationOnly) {
		t.Errorf("HQ files a personal work account: %v", err)
	}

	// Stations keep their own accounts, not the bureau's.
	st := newStation(t)
	for _, s := range []*Session{st.admin, st.leader, st.officer} {
		if _, err := s.SaveBureauAccount(bureauForm(now, "weibo", "pingantangyin")); !errors.Is(err, ErrHQOnly) {
			t.Errorf("%s records a bureau account: %v", s.User().Role, err)
		}
		if err := s.CheckBureauAccountForm(bureauForm(now, "weibo", "pingantangyin")); !errors.Is(err, ErrHQOnly) {
			t.Errorf("%s checks a bureau account: %v", s.User().Role, err)
		}
	}
	own := liveAccount(t, st, "weibo", "pa_cg_wb")
	if _, err := st.admin.CloseBureauAccount(own.ID, now); !errors.Is(err, ErrHQOnly) {
		t.Errorf("station closes through the bureau's form: %v", err)
	}
	if _, err := st.admin.BureauAccount(own.ID); !errors.Is(err, ErrHQOnly) {
		t.Errorf("station reads a bureau account: %v", err)
	}
	if st.admin.IsBureauAccount(own) {
		t.Error("a station's own account is taken for the bureau's")
	}

	// A locked desk does nothing.
	hq.Lock()
	if _, err := hq.SaveBureauAccount(bureauForm(now, "weibo", "pingantangyin")); !errors.Is(err, ErrLocked) {
		t.Errorf("locked: %v", err)
	}
}

func TestMatrixBureauAccountsFirst(t *testing.T) {
	c := newCounty(t, 2)
	st1 := c.stations[0]
	station := liveAccount(t, st1, "weibo", "pa_cg_wb")
	c.receive(c.hq, Imported, c.send(st1.admin, "")...)
	now := c.hq.cfg.now()
	wb, err := c.hq.SaveBureauAccount(bureauForm(now, "weibo", "pingantangyin"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.hq.SaveBureauAccount(bureauForm(now, "toutiao", "pingantangyin_tt")); err != nil {
		t.Fatal(err)
	}
	// The same ID as a station's account: IDs are kept unique within a unit.
	if _, err := c.hq.SaveBureauAccount(bureauForm(now, "weibo", "pa_cg_wb")); err != nil {
		t.Errorf("the ID of a station's account: %v", err)
	}
	// HQ keeps the stations' accounts through their filings only.
	f := BureauFormOf(station)
	f.Name = "改名"
	if _, err := c.hq.SaveBureauAccount(f); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("HQ edits a station's account as its own: %v", err)
	}
	if _, err := c.hq.CloseBureauAccount(station.ID, now); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("HQ closes a station's account: %v", err)
	}

	hqName := c.hq.Unit().Name
	all := []string{hqName + " 平安汤阴", hqName + " 平安汤阴", hqName + " 平安汤阴", "派出所st1 平安汤阴城关"}
	for _, tc := range []struct {
		name string
		f    AccountFilter
		want []string
	}{
		{"all", AccountFilter{}, all},
		{"the bureau", AccountFilter{Unit: c.hq.Unit().ID}, all[:3]},
		{"a station", AccountFilter{Unit: "st1"}, all[3:]},
		{"weibo", AccountFilter{Platform: "weibo"}, []string{all[0], all[0], all[3]}},
	} {
		if got := matrixNames(t, c.hq, tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	later := withClock(c.hq, func() time.Time { return now.AddDate(0, 2, 0) })
	m, err := later.Matrix(AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range m {
		if e.Bureau != (i < 3) {
			t.Errorf("%d %s: bureau %v", i, e.Name, e.Bureau)
		}
		if e.Bureau && (e.Activity != "" || e.Waiting() || e.Effective != FilingAccepted || len(e.Pending) != 0) {
			t.Errorf("bureau account %+v: flagged or waiting", e)
		}
		if !e.Bureau && e.Activity != Zombie {
			t.Errorf("station account idle for two months: %q", e.Activity)
		}
	}
	// Nothing of the bureau's waits for HQ's own decision.
	for _, stage := range []FilingStage{FilingsToDecide, FilingsToVerify} {
		q, err := c.hq.FilingQueue(stage)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range q {
			if e.Bureau || e.ID == wb.ID {
				t.Errorf("%s queue holds the bureau's %s", stage, e.Name)
			}
		}
	}
}

// TestBureauAccountsStayAtHQ: HQ's bundles carry none of its own accounts
// (account records are the stations', to HQ), so a station's registry never
// holds them.
func TestBureauAccountsStayAtHQ(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	now := c.hq.cfg.now()
	a, err := c.hq.SaveBureauAccount(bureauForm(now, "weibo", "pingantangyin"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.hq.SaveBureauAccount(bureauForm(now, "wechat", "pingantangyin_wx")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.hq.CloseBureauAccount(a.ID, now); err != nil { // a change after the record too
		t.Fatal(err)
	}
	down := c.send(c.hq, "st1")
	if len(down) == 0 {
		t.Fatal("HQ wrote no bundle")
	}
	for _, p := range down {
		m, err := VerifyBundle(context.Background(), p, st.admin)
		if err != nil {
			t.Fatal(err)
		}
		if m.Counts["account"] != 0 {
			t.Errorf("HQ's bundle carries %d accounts", m.Counts["account"])
		}
	}
	c.receive(st.admin, Imported, down...)
	got, err := st.admin.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("the station holds %v", got)
	}
	// And the station's bundle back is as before: HQ's accounts stay HQ's.
	liveAccount(t, st, "weibo", "pingantangyin") // its own, with the ID of the bureau's
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	m, err := c.hq.Matrix(AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var bureau, stations int
	for _, e := range m {
		if e.Bureau {
			bureau++
		} else {
			stations++
		}
	}
	if bureau != 2 || stations != 1 {
		t.Errorf("HQ holds %d bureau and %d station accounts, want 2 and 1", bureau, stations)
	}
}
