package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	"mediadesk/app/checker"
)

// The rules below are the ones screens ask app/ instead of deciding them
// themselves.

func TestMayManageAccount(t *testing.T) {
	st := newStation(t)
	unit := st.admin.Unit().ID
	unitAccount := Account{OwnerUnit: unit, Kind: UnitAccount}
	personal := Account{OwnerUnit: unit, Kind: PersonalAccount}
	other := Account{OwnerUnit: "another-unit", Kind: PersonalAccount}
	for _, c := range []struct {
		who  string
		s    *Session
		a    Account
		want bool
	}{
		{"admin, unit account", st.admin, unitAccount, true},
		{"shift leader, unit account", st.leader, unitAccount, true},
		{"officer, unit account", st.officer, unitAccount, false},
		{"officer, personal account", st.officer, personal, true},
		{"shift leader, another unit's account", st.leader, other, false},
	} {
		if got := c.s.MayManageAccount(c.a); got != c.want {
			t.Errorf("%s: %v, want %v", c.who, got, c.want)
		}
	}
	// The rule is the one the steps enforce.
	a, err := st.leader.SaveAccountFiling(unitFiling(st.cfg.now()))
	if err != nil {
		t.Fatal(err)
	}
	if st.officer.MayManageAccount(a) {
		t.Fatal("an officer may manage a unit account")
	}
	if _, err := st.officer.FileAccount(a.ID); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("an officer filed a unit account: %v", err)
	}
}

func TestMayEditRoster(t *testing.T) {
	st := newStation(t)
	hq := setupHQ(t)
	for who, c := range map[string]struct {
		s    *Session
		want bool
	}{"admin": {st.admin, true}, "shift leader": {st.leader, true}, "officer": {st.officer, false}, "HQ admin": {hq, false}} {
		if got := c.s.MayEditRoster(); got != c.want {
			t.Errorf("%s: %v, want %v", who, got, c.want)
		}
	}
	_, err := st.officer.SaveOfficer(OfficerForm{Name: "赵民警", PoliceNo: "100001", Department: "社区中队", Active: true})
	if !errors.Is(err, ErrNotAllowed) {
		t.Errorf("an officer edited the roster: %v", err)
	}
}

func TestTemplateActionsFor(t *testing.T) {
	hq := setupHQ(t)
	staff := hqStaffSession(t, hq)
	type acts = TemplateActions
	for _, c := range []struct {
		status      string
		staff, hqAd acts
	}{
		{"", acts{Save: true}, acts{Save: true}}, // a new one
		{TemplateDraft, acts{Save: true, Submit: true, Retire: true}, acts{Save: true, Submit: true, Approve: true, Retire: true}},
		{TemplateReview, acts{Save: true, Retire: true}, acts{Save: true, Approve: true, Retire: true}},
		{TemplateApproved, acts{Save: true, Publish: true, Retire: true}, acts{Save: true, Publish: true, Retire: true}},
		{TemplatePublished, acts{Save: true, Retire: true}, acts{Save: true, Retire: true}},
		{TemplateRetired, acts{}, acts{}},
	} {
		tp := ReplyTemplate{ID: "t1", Status: c.status}
		if c.status == "" {
			tp.ID = ""
		}
		if got := staff.TemplateActionsFor(tp); got != c.staff {
			t.Errorf("staff, %q: %+v, want %+v", c.status, got, c.staff)
		}
		if got := hq.TemplateActionsFor(tp); got != c.hqAd {
			t.Errorf("section chief, %q: %+v, want %+v", c.status, got, c.hqAd)
		}
	}
	st := newStation(t)
	if got := st.admin.TemplateActionsFor(ReplyTemplate{ID: "t1", Status: TemplateDraft}); got != (acts{}) {
		t.Errorf("a station may act on HQ's library: %+v", got)
	}

	// What is offered works: each step along the way.
	tp, err := staff.SaveLibraryTemplate(TemplateForm{Category: "咨询答复", Title: "一般咨询", Body: "{网民}您好！"})
	for _, step := range []struct {
		offered func(TemplateActions) bool
		do      func(string, int64) (ReplyTemplate, error)
	}{
		{func(a TemplateActions) bool { return a.Submit }, staff.SubmitTemplate},
		{func(a TemplateActions) bool { return a.Approve }, hq.ApproveTemplate},
		{func(a TemplateActions) bool { return a.Publish }, staff.PublishTemplate},
		{func(a TemplateActions) bool { return a.Retire }, staff.RetireTemplate},
	} {
		if err != nil {
			t.Fatal(err)
		}
		if !step.offered(hq.TemplateActionsFor(tp)) {
			t.Fatalf("the step after %q is not offered", tp.Status)
		}
		tp, err = step.do(tp.ID, tp.Version)
	}
	if err != nil || tp.Status != TemplateRetired {
		t.Fatalf("retired %+v %v", tp, err)
	}
}

func TestSensitiveDraft(t *testing.T) {
	approval := checker.Finding{Rule: "terror", Category: "art20.major_sensitive", Action: checker.NeedsApproval}
	warn := checker.Finding{Rule: "x", Category: "art18.11", Action: checker.Warn}
	for name, c := range map[string]struct {
		d    PostDraft
		fs   []checker.Finding
		want bool
	}{
		"plain":              {plainDraft(), nil, false},
		"a warning only":     {plainDraft(), []checker.Finding{warn}, false},
		"needs approval":     {plainDraft(), []checker.Finding{warn, approval}, true},
		"a marked category":  {PostDraft{Flags: []string{"art21.major_vicious_case"}}, nil, true},
		"marked and flagged": {PostDraft{Flags: []string{"art20.major_sensitive"}}, []checker.Finding{approval}, true},
	} {
		if got := SensitiveDraft(c.d, c.fs); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}

func TestPlatformFolds(t *testing.T) {
	weibo, _ := PlatformByCode("weibo")
	wechat, _ := PlatformByCode("wechat")
	if weibo.FoldAt != 140 || weibo.Folds(140) || !weibo.Folds(141) {
		t.Errorf("Weibo folds after %d: 140 %v, 141 %v", weibo.FoldAt, weibo.Folds(140), weibo.Folds(141))
	}
	if wechat.Folds(wechat.BodyMax + 1) {
		t.Error("WeChat folds a post")
	}
}

func TestStationHomeNoticeLate(t *testing.T) {
	asOf := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	h := StationHome{asOf: asOf}
	for _, c := range []struct {
		n    NoticeHead
		want bool
	}{
		{NoticeHead{DueOn: "2026-11-24", Status: string(NoticeOpen)}, true},
		{NoticeHead{DueOn: "2026-11-24", Status: string(NoticeReopened)}, true},
		{NoticeHead{DueOn: "2026-11-25", Status: string(NoticeOpen)}, false}, // its last day
		{NoticeHead{DueOn: "2026-11-24", Status: string(NoticeClosed)}, false},
	} {
		if got := h.NoticeLate(c.n); got != c.want {
			t.Errorf("%+v: %v, want %v", c.n, got, c.want)
		}
	}
	// StationHome judges as of its own clock.
	st := newStation(t)
	got, err := withClock(st.leader, func() time.Time { return asOf }).StationHome()
	if err != nil {
		t.Fatal(err)
	}
	if !got.NoticeLate(NoticeHead{DueOn: "2026-11-24", Status: string(NoticeOpen)}) ||
		got.NoticeLate(NoticeHead{DueOn: "2026-11-25", Status: string(NoticeOpen)}) {
		t.Error("the home does not judge notices as of when it was read")
	}
}

// TestPublishThisMinuteMeansNow: a time typed to the minute that is the
// current minute records the moment itself, not the minute's start (which
// would precede a draft begun in it).
func TestPublishThisMinuteMeansNow(t *testing.T) {
	st := newStation(t)
	now := time.Date(2026, 11, 25, 9, 30, 42, 0, time.Local)
	clock := func() time.Time { return now }
	st.cfg.Now = clock
	st.officer, st.leader = withClock(st.officer, clock), withClock(st.leader, clock)
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	acc := liveAccount(t, st, "weibo", "pa_tangyin")
	p = mustPost(t)(st.officer.Publish(p.ID, "weibo", acc.ID, "https://weibo.example/1", now.Truncate(time.Minute)))
	if !p.PublishedAt.Equal(now) {
		t.Errorf("published at %v, want %v", p.PublishedAt, now)
	}
}

// TestErrorsSayWhatToDo: these errors say what to do next, in both
// languages.
func TestErrorsSayWhatToDo(t *testing.T) {
	for _, c := range []struct {
		err    error
		zh, en string
	}{
		{ErrNoKeys, "登记文件", "enrollment file"},
		{ErrTransition, "刷新", "refresh"},
		{ErrLastAdmin, "添加另一位管理员", "add another admin"},
	} {
		zh, en, ok := strings.Cut(c.err.Error(), " / ")
		if !ok || !strings.Contains(zh, c.zh) || !strings.Contains(en, c.en) {
			t.Errorf("%q does not say what to do (%q / %q)", c.err, c.zh, c.en)
		}
	}
}

// TestMayEditAndReview: the author edits until publication; a shift
// leader other than the author reviews a submitted post.
func TestMayEditAndReview(t *testing.T) {
	st := newStation(t)
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	if !st.officer.MayEdit(p) || st.leader.MayEdit(p) || st.leader.MayReview(p) {
		t.Fatal("a draft: only its author edits it, nobody reviews it yet")
	}
	p = mustPost(t)(st.officer.Submit(p.ID))
	if !st.officer.MayEdit(p) || st.officer.MayReview(p) || !st.leader.MayReview(p) {
		t.Fatal("submitted: the author may still edit; the leader, not the author, reviews")
	}
	own := mustPost(t)(st.leader.SaveDraft(plainDraft()))
	own = mustPost(t)(st.leader.Submit(own.ID))
	if st.leader.MayReview(own) {
		t.Fatal("a leader may review his own post")
	}
	p.Status = Published
	if st.officer.MayEdit(p) {
		t.Fatal("a published post is editable")
	}
}
