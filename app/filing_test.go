package app

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"mediadesk/data"
)

// liveAccount files a unit account on platform and has HQ accept it.
func liveAccount(t *testing.T, st station, platform, platformID string) Account {
	t.Helper()
	f := unitFiling(st.cfg.now())
	f.Platform, f.PlatformID = platform, platformID
	a, err := st.leader.SaveAccountFiling(f)
	if err == nil {
		_, err = st.leader.FileAccount(a.ID)
	}
	if err == nil {
		a, err = st.leader.hqDecidesFiling(a.ID, StepAccept, "", "宣传科赵", st.cfg.now())
	}
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// withClock is s with another clock, sharing its store.
func withClock(s *Session, now func() time.Time) *Session {
	cfg := s.cfg
	cfg.Now = now
	return &Session{cfg: cfg, store: s.store, unit: s.unit, user: s.User()}
}

// accountIn makes a unit account in status want, reached through the
// app's own steps.
func accountIn(t *testing.T, st station, want FilingStatus, n int) Account {
	t.Helper()
	f := unitFiling(st.cfg.now())
	f.PlatformID = "acct_" + string(want) + "_" + strconv.Itoa(n)
	a, err := st.leader.SaveAccountFiling(f)
	path := map[FilingStatus][]FilingStep{
		FilingPlanned:   {},
		FilingFiled:     {StepFile},
		FilingRejected:  {StepFile, StepReject},
		FilingAccepted:  {StepFile, StepAccept},
		FilingVerified:  {StepFile, StepAccept, StepVerify},
		FilingSuspended: {StepFile, StepAccept, StepVerify, StepSuspend},
		FilingClosed:    {StepClose},
	}[want]
	for _, step := range path {
		if err != nil {
			break
		}
		a, err = doStep(st, a.ID, step)
	}
	if err != nil || a.Status != string(want) {
		t.Fatalf("account in %s: %+v %v", want, a, err)
	}
	return a
}

// doStep takes a filing step the way the app offers it: the station's
// through its actions, HQ's through hqDecidesFiling.
func doStep(st station, id string, step FilingStep) (Account, error) {
	s := st.leader
	switch step {
	case StepFile:
		return s.FileAccount(id)
	case StepSuspend:
		return s.SuspendAccount(id)
	case StepResume:
		return s.ResumeAccount(id)
	case StepClose:
		return s.CloseAccount(id, st.cfg.now())
	case StepReject:
		return s.hqDecidesFiling(id, step, "账号名称不规范", "宣传科赵", st.cfg.now())
	}
	return s.hqDecidesFiling(id, step, "", "宣传科赵", st.cfg.now())
}

func TestFilingLifecycleSteps(t *testing.T) {
	st := newStation(t)
	statuses := []FilingStatus{FilingPlanned, FilingFiled, FilingRejected, FilingAccepted, FilingVerified, FilingSuspended, FilingClosed}
	steps := []FilingStep{StepFile, StepAccept, StepReject, StepVerify, StepSuspend, StepResume, StepClose}
	n := 0
	for _, from := range statuses {
		for _, step := range steps {
			n++
			a := accountIn(t, st, from, n)
			want, allowed := filingMoves[from][step]
			got, err := doStep(st, a.ID, step)
			after, _ := data.AccountByID(st.leader.store.Reader(), a.ID)
			switch {
			case allowed && (err != nil || got.Status != string(want) || after.Status != string(want)):
				t.Errorf("%s --%s--> %s %v, want %s", from, step, after.Status, err, want)
			case !allowed && (!errors.Is(err, ErrTransition) || after.Status != string(from) || after.Version != a.Version):
				t.Errorf("%s --%s--> should be refused: %v, now %s v%d", from, step, err, after.Status, after.Version)
			}
		}
		// 变更: open and suspended accounts only; a new name goes back to
		// HQ (已报备).
		n++
		a := accountIn(t, st, from, n)
		f := FormOf(a)
		f.Name, f.FiledOn = "平安汤阴城关（更名）", st.cfg.now()
		got, err := st.leader.ChangeAccount(f)
		if from.changeable() {
			if err != nil || got.Status != string(FilingFiled) || got.Action != "change" || got.Name != f.Name || got.Version != a.Version+1 {
				t.Errorf("change of %s: %+v %v", from, got, err)
			}
		} else if !errors.Is(err, ErrTransition) {
			t.Errorf("change of %s should be refused: %v", from, err)
		}
	}
}

func TestFilingStepDetails(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	a := accountIn(t, st, FilingVerified, 1)

	// Closing: the date may not be in the future; it becomes a 注销 filing.
	var fe *FieldError
	if _, err := st.leader.CloseAccount(a.ID, now.AddDate(0, 0, 1)); !errors.As(err, &fe) || fe.Field != "closed_on" {
		t.Fatalf("future closing date: %v", err)
	}
	day := now.AddDate(0, 0, -1)
	c, err := st.leader.CloseAccount(a.ID, day)
	if err != nil || c.Status != string(FilingClosed) || c.Action != "close" || c.FiledOn != day.Format(time.DateOnly) {
		t.Fatalf("close: %+v %v", c, err)
	}

	// Resuming goes back to what the account was: 已备案 if HQ never
	// verified it, 已认证 if it did.
	acc := accountIn(t, st, FilingAccepted, 3)
	if _, err := st.leader.SuspendAccount(acc.ID); err != nil {
		t.Fatal(err)
	}
	if r, err := st.leader.ResumeAccount(acc.ID); err != nil || r.Status != string(FilingAccepted) {
		t.Fatalf("resume of an accepted account: %s %v", r.Status, err)
	}

	// A change is checked like a filing: Art. 14, the platform stays.
	b := accountIn(t, st, FilingAccepted, 2)
	f := FormOf(b)
	f.Department = "国保大队"
	if _, err := st.leader.ChangeAccount(f); !errors.As(err, &fe) || fe.Field != "department" || !strings.Contains(fe.Msg, "第十四条") {
		t.Errorf("change into 国保: %v", err)
	}
	f = FormOf(b)
	f.Platform = "douyin"
	if _, err := st.leader.ChangeAccount(f); !errors.As(err, &fe) || fe.Field != "platform" {
		t.Errorf("change of platform: %v", err)
	}

	// An officer does not manage the unit's accounts.
	for what, try := range map[string]func() error{
		"suspend": func() error { _, err := st.officer.SuspendAccount(b.ID); return err },
		"close":   func() error { _, err := st.officer.CloseAccount(b.ID, now); return err },
		"change":  func() error { _, err := st.officer.ChangeAccount(FormOf(b)); return err },
		"file":    func() error { _, err := st.officer.FileAccount(accountIn(t, st, FilingPlanned, 3).ID); return err },
	} {
		if err := try(); !errors.Is(err, ErrNotAllowed) {
			t.Errorf("officer %s: %v", what, err)
		}
	}
	if _, err := st.leader.SuspendAccount("no-such-id"); !errors.Is(err, ErrNoAccount) {
		t.Errorf("unknown account: %v", err)
	}

	// ... but an officer manages a personal work account.
	o, _ := st.leader.SaveOfficer(OfficerForm{Name: "孙", PoliceNo: "100003", Department: "社区中队", Active: true})
	pf := unitFiling(now)
	pf.Kind, pf.OfficerID, pf.Declarations, pf.PlatformID = PersonalAccount, o.ID, Art13Declarations, "sun_work"
	p, err := st.officer.SaveAccountFiling(pf)
	if err == nil {
		_, err = st.officer.FileAccount(p.ID)
	}
	if err == nil {
		_, err = st.officer.hqDecidesFiling(p.ID, StepAccept, "", "宣传科赵", now)
	}
	if err == nil {
		_, err = st.officer.SuspendAccount(p.ID)
	}
	if err != nil {
		t.Fatalf("officer's personal account: %v", err)
	}
}

func TestHQFilingDecision(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	a := accountIn(t, st, FilingFiled, 1)
	var fe *FieldError
	if _, err := st.leader.hqDecidesFiling(a.ID, StepReject, "  ", "宣传科赵", now); !errors.As(err, &fe) || fe.Field != "reason" {
		t.Fatalf("reject without reason: %v", err)
	}
	for _, step := range []FilingStep{StepFile, StepSuspend, StepResume, StepClose, "nonsense"} {
		if _, err := st.leader.hqDecidesFiling(a.ID, step, "x", "宣传科赵", now); !errors.Is(err, ErrTransition) {
			t.Errorf("HQ decision %q: %v", step, err)
		}
	}
	if _, err := st.leader.hqDecidesFiling(a.ID, StepAccept, "", "", now); !errors.As(err, &fe) || fe.Field != "by" {
		t.Errorf("decision by nobody: %v", err)
	}
	r, err := st.leader.hqDecidesFiling(a.ID, StepReject, "名称不规范，请改为“平安汤阴城关”", "宣传科赵", now)
	if err != nil || r.Status != string(FilingRejected) || !strings.Contains(r.Reason, "名称不规范") {
		t.Fatalf("reject: %+v %v", r, err)
	}
	if _, err := st.leader.hqDecidesFiling(a.ID, StepAccept, "", "宣传科赵", now); !errors.Is(err, ErrTransition) {
		t.Fatalf("accept a rejected filing: %v", err)
	}
	f := FormOf(r)
	f.Name = "平安汤阴城关"
	if _, err := st.leader.SaveAccountFiling(f); err != nil {
		t.Fatal(err)
	}
	if _, err := st.leader.FileAccount(a.ID); err != nil {
		t.Fatal(err)
	}
	// HQ decided hours before the station imported: the account changed
	// at the decision time, the station's audit entry is dated at import.
	decided := now.Add(-3 * time.Hour)
	ok, err := st.leader.hqDecidesFiling(a.ID, StepAccept, "", "宣传科赵", decided)
	if err != nil || ok.Status != string(FilingAccepted) || ok.Reason != "" {
		t.Fatalf("accept: %+v %v", ok, err)
	}
	if ok.UpdatedAt != decided.UnixMilli() {
		t.Errorf("accepted account updated at %v, want HQ's decision time %v", time.UnixMilli(ok.UpdatedAt), decided)
	}
	d, err := st.leader.Account(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := d.History[len(d.History)-1]; !last.At.After(now) {
		t.Errorf("acceptance recorded at %v, want the import time (after %v)", last.At, now)
	}
	var trail []string
	for _, e := range d.History {
		trail = append(trail, e.Action+"@"+e.Actor)
	}
	want := "account.save@wang account.file@wang account.reject@宣传科赵 account.save@wang account.file@wang account.accept@宣传科赵"
	if got := strings.Join(trail, " "); got != want {
		t.Fatalf("history %q, want %q", got, want)
	}
}

func TestAccountMetrics(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	a := accountIn(t, st, FilingAccepted, 1)
	var fe *FieldError
	for field, try := range map[string]func() error{
		"day":       func() error { return st.officer.RecordAccountMetrics(a.ID, now.AddDate(0, 0, 1), 1, 1) },
		"followers": func() error { return st.officer.RecordAccountMetrics(a.ID, now, -1, 1) },
		"posts":     func() error { return st.officer.RecordAccountMetrics(a.ID, now, 1, -5) },
	} {
		if err := try(); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	if err := st.officer.RecordAccountMetrics("nope", now, 1, 1); !errors.Is(err, ErrNoAccount) {
		t.Errorf("unknown account: %v", err)
	}
	if err := st.officer.RecordAccountMetrics(accountIn(t, st, FilingFiled, 2).ID, now, 1, 1); !errors.Is(err, ErrNotOpen) {
		t.Errorf("filing not accepted: %v", err)
	}
	yesterday := now.AddDate(0, 0, -1)
	for _, m := range []struct {
		day       time.Time
		followers int64
	}{{yesterday, 100}, {now, 120}, {yesterday, 105}} {
		if err := st.officer.RecordAccountMetrics(a.ID, m.day, m.followers, 7); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.officer.AccountMetrics(a.ID)
	if err != nil || len(got) != 2 || got[0].Followers != 120 || got[1].Followers != 105 || got[1].Day != yesterday.Format(time.DateOnly) || got[0].Actor != "li" {
		t.Fatalf("snapshots %+v %v", got, err)
	}
}

func TestAccountActivityFlags(t *testing.T) {
	st := newStation(t)
	t0 := st.cfg.now()
	posted := liveAccount(t, st, "weibo", "pa_posted")
	quiet := liveAccount(t, st, "wechat", "pa_quiet")
	suspended := accountIn(t, st, FilingSuspended, 1)
	closed := accountIn(t, st, FilingClosed, 2)
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	at := st.cfg.now()
	mustPost(t)(st.officer.Publish(p.ID, "weibo", posted.ID, "https://weibo.example/1", at))

	flags := func(now time.Time) map[string]AccountEntry {
		t.Helper()
		all, err := withClock(st.officer, func() time.Time { return now }).AccountRegistry(AccountFilter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]AccountEntry{}
		for _, e := range all {
			out[e.ID] = e
		}
		return out
	}
	e := flags(at.AddDate(0, 0, 1))
	if e[posted.ID].Activity != Active || !e[posted.ID].LastPost.Equal(time.UnixMilli(at.UnixMilli())) {
		t.Fatalf("fresh account %+v", e[posted.ID])
	}
	if e[suspended.ID].Activity != "" || e[closed.ID].Activity != "" {
		t.Fatal("a suspended or closed account is flagged")
	}
	if !e[quiet.ID].LastPost.IsZero() || !e[quiet.ID].Since.Equal(time.UnixMilli(quiet.UpdatedAt)) || e[quiet.ID].Activity != Active {
		t.Fatalf("never posted: %+v", e[quiet.ID])
	}
	e = flags(at.AddDate(0, 0, 14))
	if e[posted.ID].Activity != Zombie {
		t.Fatalf("14 days: %s", e[posted.ID].Activity)
	}
	if e[quiet.ID].Activity != Zombie { // counts from its acceptance, just before t0+14 days
		t.Fatalf("never posted after 14 days: %s", e[quiet.ID].Activity)
	}
	e = flags(t0.AddDate(0, 3, 1))
	if e[posted.ID].Activity != Sleeping || e[quiet.ID].Activity != Sleeping {
		t.Fatalf("3 months: %s %s", e[posted.ID].Activity, e[quiet.ID].Activity)
	}
	if e[suspended.ID].Activity != "" || e[closed.ID].Activity != "" {
		t.Fatal("a suspended or closed account is flagged after months")
	}

	// The thresholds are the admin's to set.
	if err := st.leader.SetActivityRule(ActivityRule{ZombieDays: 7, SleepingMonths: 1}); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("a shift leader sets the thresholds: %v", err)
	}
	var fe *FieldError
	for field, r := range map[string]ActivityRule{
		"zombie_days":     {ZombieDays: 0, SleepingMonths: 3},
		"sleeping_months": {ZombieDays: 14, SleepingMonths: 25},
	} {
		if err := st.admin.SetActivityRule(r); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	if err := st.admin.SetActivityRule(ActivityRule{ZombieDays: 30, SleepingMonths: 1}); !errors.As(err, &fe) || fe.Field != "zombie_days" {
		t.Errorf("zombie threshold past the sleeping one: %v", err)
	}
	if st.officer.ActivityRule() != DefaultActivityRule {
		t.Fatal("a refused rule was stored")
	}
	if err := st.admin.SetActivityRule(ActivityRule{ZombieDays: 7, SleepingMonths: 2}); err != nil {
		t.Fatal(err)
	}
	if r := st.officer.ActivityRule(); r != (ActivityRule{ZombieDays: 7, SleepingMonths: 2}) {
		t.Fatalf("rule %+v", r)
	}
	if e = flags(at.AddDate(0, 0, 8)); e[posted.ID].Activity != Zombie {
		t.Fatalf("configured 7 days: %s", e[posted.ID].Activity)
	}
	if e = flags(at.AddDate(0, 2, 0)); e[posted.ID].Activity != Sleeping {
		t.Fatalf("configured 2 months: %s", e[posted.ID].Activity)
	}
	only, _ := st.officer.AccountRegistry(AccountFilter{Status: FilingAccepted, Platform: "wechat"})
	if len(only) != 1 || only[0].ID != quiet.ID {
		t.Fatalf("filter: %+v", only)
	}
}

func TestPublishAccounts(t *testing.T) {
	st := newStation(t)
	weibo := liveAccount(t, st, "weibo", "pa_w")
	accountIn(t, st, FilingFiled, 1) // weibo, not live yet
	liveAccount(t, st, "wechat", "pa_c")
	got, err := st.officer.PublishAccounts("weibo")
	if err != nil || len(got) != 1 || got[0].ID != weibo.ID {
		t.Fatalf("publish accounts %+v %v", got, err)
	}
	if _, err := st.officer.SuspendAccount(weibo.ID); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("officer suspends a unit account: %v", err)
	}
	if _, err := st.leader.SuspendAccount(weibo.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.officer.PublishAccounts("weibo"); len(got) != 0 {
		t.Fatalf("a suspended account is offered: %+v", got)
	}
}
