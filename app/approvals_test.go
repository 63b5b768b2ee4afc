package app

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"mediadesk/app/checker"
)

// queueIDs lists the ids of a post queue, in order.
func queueIDs(q []QueuedPost) []string {
	var ids []string
	for _, p := range q {
		ids = append(ids, p.ID)
	}
	return ids
}

// wantQueueField fails unless err is a FieldError of field.
func wantQueueField(t *testing.T, what string, err error, field string) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != field {
		t.Fatalf("%s: %v, want a field error at %q", what, err, field)
	}
}

func TestPostQueueDecisions(t *testing.T) {
	c := newCounty(t, 2)
	st1, st2 := c.stations[0], c.stations[1]
	major := sensitivePost(t, st1, "重大警情通报")
	d := plainDraft()
	d.Title, d.Body, d.Flags = "命案侦破通报", "我局成功侦破一起命案，嫌疑人已到案。", []string{"art21.major_vicious_case"}
	vicious := mustPost(t)(st1.officer.SaveDraft(d))
	vicious = mustPost(t)(st1.officer.Submit(vicious.ID))
	vicious = mustPost(t)(st1.leader.Approve(vicious.ID, vicious.ContentHash, "请宣传科审批"))
	foreign := sensitivePost(t, st2, "涉外案件通报")
	c.receive(c.hq, Imported, append(c.send(st1.admin, ""), c.send(st2.admin, "")...)...)

	q, err := c.hq.PostQueue()
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 3 {
		t.Fatalf("queue %+v, want 3 posts", q)
	}
	for i, p := range q {
		if i > 0 && p.SentAt.Before(q[i-1].SentAt) {
			t.Errorf("queue not oldest first: %v", queueIDs(q))
		}
		if p.Decided {
			t.Errorf("%s decided before HQ decided", p.Title)
		}
	}
	first := q[slices.Index(queueIDs(q), vicious.ID)]
	if first.Station != "派出所st1" || first.Author != "李警官" || first.ContentHash != vicious.ContentHash {
		t.Errorf("queued post %+v", first)
	}

	// The detail: findings re-run at HQ, the station's trail.
	a, err := c.hq.PostForApproval(vicious.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Decidable() || a.Decision != nil || a.Queued.Station != "派出所st1" {
		t.Errorf("approval %+v", a.Queued)
	}
	if !slices.ContainsFunc(a.Findings, func(f checker.Finding) bool { return f.Text == "命案" && f.Action == checker.NeedsApproval }) {
		t.Errorf("findings at HQ %+v, want 命案 needing approval", a.Findings)
	}
	var kinds []string
	for _, e := range a.Events {
		kinds = append(kinds, e.Kind)
	}
	if !slices.Equal(kinds, []string{"submit", "approve"}) || a.Events[1].Comment != "请宣传科审批" {
		t.Errorf("review trail %v", a.Events)
	}

	// The station edits a post after sending it: HQ's older hash is refused.
	stale := major.ContentHash
	d = plainDraft()
	d.ID, d.Title, d.Body, d.Flags = major.ID, "重大警情通报（更正）", "更正后的通报。", []string{"art20.major_sensitive"}
	major = mustPost(t)(st1.officer.SaveDraft(d))
	major = mustPost(t)(st1.officer.Submit(major.ID))
	major = mustPost(t)(st1.leader.Approve(major.ID, major.ContentHash, ""))
	c.receive(c.hq, Imported, c.send(st1.admin, "")...)
	if _, err := c.hq.DecidePost(major.ID, stale, true, ""); !errors.Is(err, ErrChanged) {
		t.Fatalf("approving a changed post: %v, want ErrChanged", err)
	}

	// Approve one; a second decision on the same version is refused.
	if _, err := c.hq.DecidePost(vicious.ID, vicious.ContentHash, true, "同意发布"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.hq.DecidePost(vicious.ID, vicious.ContentHash, false, "再议"); !errors.Is(err, ErrAlreadyDecided) {
		t.Fatalf("deciding twice: %v, want ErrAlreadyDecided", err)
	}
	// Return one: the comment is required.
	_, err = c.hq.DecidePost(foreign.ID, foreign.ContentHash, false, "  ")
	wantQueueField(t, "return without a comment", err, "comment")
	if _, err := c.hq.DecidePost(foreign.ID, foreign.ContentHash, false, "涉外内容请删去当事人国籍"); err != nil {
		t.Fatal(err)
	}

	// Decided posts stay, marked and after the waiting one, until the
	// stations' newer versions arrive.
	q, _ = c.hq.PostQueue()
	if len(q) != 3 || q[0].ID != major.ID || q[0].Decided || !q[1].Decided || !q[2].Decided {
		t.Fatalf("queue after deciding: %+v", q)
	}
	a, _ = c.hq.PostForApproval(vicious.ID)
	if a.Decidable() || a.Decision == nil || a.Decision.Decision != DecisionApprove || a.Decision.Comment != "同意发布" {
		t.Errorf("decided approval: decidable %v, decision %+v", a.Decidable(), a.Decision)
	}
	if h, _ := c.hq.HQHome(); h.PostsWaiting != 1 {
		t.Errorf("home counts %d posts waiting, want 1", h.PostsWaiting)
	}

	// The decisions go out; the stations apply them and send their posts back.
	c.receive(st1.admin, Imported, c.send(c.hq, "st1")...)
	c.receive(st2.admin, Imported, c.send(c.hq, "st2")...)
	if p, _ := st1.officer.Post(vicious.ID); p.Post.Status != Ready {
		t.Errorf("approved post at the station is %s", p.Post.Status)
	}
	if p, _ := st2.officer.Post(foreign.ID); p.Post.Status != Returned {
		t.Errorf("returned post at the station is %s", p.Post.Status)
	}
	c.receive(c.hq, Imported, append(c.send(st1.admin, ""), c.send(st2.admin, "")...)...)
	if q, _ = c.hq.PostQueue(); !slices.Equal(queueIDs(q), []string{major.ID}) {
		t.Errorf("queue once the stations answered: %+v", q)
	}
}

func TestPostQueueIsHQs(t *testing.T) {
	st := newStation(t)
	if _, err := st.leader.PostQueue(); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a station read the HQ queue: %v", err)
	}
	if _, err := st.admin.FilingQueue(FilingsToDecide); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a station read the filing queue: %v", err)
	}
}

// personalFiling files a personal work account for a new roster officer.
func personalFiling(t *testing.T, st station, name, platformID string) Account {
	t.Helper()
	o, err := st.leader.SaveOfficer(OfficerForm{Name: name, PoliceNo: "100101", Department: "社区中队", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	f := unitFiling(st.cfg.now())
	f.Kind, f.OfficerID, f.Declarations, f.PlatformID, f.Name = PersonalAccount, o.ID, Art13Declarations, platformID, "民警"+name
	return filedAccount(t, st.officer, f)
}

// filedAccount saves filing f as s and files it with HQ (已报备).
func filedAccount(t *testing.T, s *Session, f AccountForm) Account {
	t.Helper()
	a, err := s.SaveAccountFiling(f)
	if err == nil {
		a, err = s.FileAccount(a.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// filingIDs lists the ids of a filing queue, in order.
func filingIDs(q []CountyAccount, err error) []string {
	ids := []string{}
	for _, c := range q {
		ids = append(ids, c.ID)
	}
	if err != nil {
		ids = append(ids, err.Error())
	}
	return ids
}

func TestFilingQueueDecisions(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	unit, err := st.leader.SaveAccountFiling(unitFiling(st.cfg.now()))
	if err == nil {
		unit, err = st.leader.FileAccount(unit.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	personal := personalFiling(t, st, "张三", "zhangsan_wb")
	c.receive(c.hq, Imported, c.send(st.admin, "")...)

	if got := filingIDs(c.hq.FilingQueue(FilingsToDecide)); !slices.Equal(got, []string{unit.ID, personal.ID}) {
		t.Fatalf("filings to decide %v, want the unit account, then the personal one", got)
	}
	if got := filingIDs(c.hq.FilingQueue(FilingsToVerify)); len(got) != 0 {
		t.Fatalf("filings to verify %v before any was accepted", got)
	}
	r, err := c.hq.FilingForReview(personal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Station != "派出所st1" || r.Officer == nil || r.Officer.Name != "张三" || !r.Waiting() || len(r.Declarations) != len(Art13Declarations) {
		t.Fatalf("filing review %+v", r)
	}
	for _, d := range r.Declarations {
		if !d.Confirmed {
			t.Errorf("declaration %q not confirmed", d.Text)
		}
	}

	// Refusals: verify before acceptance, reject without a reason.
	if _, err := c.hq.DecideFiling(unit.ID, StepVerify, ""); !errors.Is(err, ErrTransition) {
		t.Fatalf("verifying a filing not accepted: %v", err)
	}
	_, err = c.hq.DecideFiling(personal.ID, StepReject, " ")
	wantQueueField(t, "reject without a reason", err, "reason")
	if _, err := st.leader.DecideFiling(unit.ID, StepAccept, ""); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("a station decided a filing: %v", err)
	}

	// Reject one, accept the other: both leave the decision list; the
	// accepted one may be verified at once, before the station applied it.
	if _, err := c.hq.DecideFiling(personal.ID, StepReject, "账号名称不符合规范"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.hq.DecideFiling(unit.ID, StepAccept, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.hq.DecideFiling(unit.ID, StepAccept, ""); !errors.Is(err, ErrTransition) {
		t.Fatalf("accepting twice: %v", err)
	}
	if got := filingIDs(c.hq.FilingQueue(FilingsToDecide)); len(got) != 0 {
		t.Fatalf("filings to decide after deciding: %v", got)
	}
	if got := filingIDs(c.hq.FilingQueue(FilingsToVerify)); !slices.Equal(got, []string{unit.ID}) {
		t.Fatalf("filings to verify %v, want the accepted one", got)
	}
	r, _ = c.hq.FilingForReview(personal.ID)
	if r.Effective != FilingRejected || len(r.Pending) != 1 || r.Status != string(FilingFiled) || r.Waiting() {
		t.Fatalf("rejected filing before delivery: effective %s, pending %d, status %s", r.Effective, len(r.Pending), r.Status)
	}
	if _, err := c.hq.DecideFiling(unit.ID, StepVerify, ""); err != nil {
		t.Fatal(err)
	}
	if got := filingIDs(c.hq.FilingQueue(FilingsToVerify)); len(got) != 0 {
		t.Fatalf("filings to verify after verifying: %v", got)
	}

	// Delivery and the station's answer: nothing is pending any more.
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	if a, _ := st.leader.Account(unit.ID); a.Status != string(FilingVerified) {
		t.Fatalf("unit account at the station is %s", a.Status)
	}
	if a, _ := st.officer.Account(personal.ID); a.Status != string(FilingRejected) || a.Reason != "账号名称不符合规范" {
		t.Fatalf("personal account at the station is %s (%q)", a.Status, a.Reason)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	r, _ = c.hq.FilingForReview(personal.ID)
	if r.Status != string(FilingRejected) || len(r.Pending) != 0 || len(r.Decisions) != 1 {
		t.Fatalf("rejected filing back at HQ: %s, %d pending, %d decisions", r.Status, len(r.Pending), len(r.Decisions))
	}

	// The station fixes and files it again: it waits for HQ once more.
	f := FormOf(personal)
	f.Name = "汤阴民警张三"
	if _, err := st.officer.SaveAccountFiling(f); err != nil {
		t.Fatal(err)
	}
	if _, err := st.officer.FileAccount(personal.ID); err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	if got := filingIDs(c.hq.FilingQueue(FilingsToDecide)); !slices.Equal(got, []string{personal.ID}) {
		t.Fatalf("filings to decide after filing again: %v", got)
	}
	// The earlier rejection was delivered: the new filing can be accepted.
	if _, err := c.hq.DecideFiling(personal.ID, StepAccept, ""); err != nil {
		t.Fatalf("accepting a filing filed again: %v", err)
	}
}

// TestFilingReviewNamesSamePlatformID: HQ reviewing a filing sees the
// other units' filings and the bureau's own account with the same
// platform ID, but not a closed one, and not the filing's own unit.
func TestFilingReviewNamesSamePlatformID(t *testing.T) {
	c := newCounty(t, 3)
	file := func(st station, name, pid string) Account {
		t.Helper()
		f := unitFiling(st.cfg.now())
		f.Name, f.PlatformID = name, pid
		return filedAccount(t, st.leader, f)
	}
	mine := file(c.stations[0], "平安城关", "shared_id")
	file(c.stations[1], "平安城关二", "shared_id")
	closed := file(c.stations[2], "旧账号", "shared_id")
	file(c.stations[2], "另一个账号", "other_id")
	for _, st := range c.stations {
		c.receive(c.hq, Imported, c.send(st.admin, "")...)
	}
	if _, err := c.hq.SaveBureauAccount(bureauForm(c.hq.cfg.now(), "weibo", "shared_id")); err != nil {
		t.Fatal(err)
	}
	// Station 3 withdraws its filing once HQ returns it, then closes it.
	if _, err := c.hq.DecideFiling(closed.ID, StepReject, "账号 ID 与派出所st1 重复"); err != nil {
		t.Fatal(err)
	}
	c.receive(c.stations[2].admin, Imported, c.send(c.hq, "st3")...)
	if _, err := c.stations[2].leader.CloseAccount(closed.ID, c.stations[2].cfg.now()); err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(c.stations[2].admin, "")...)

	r, err := c.hq.FilingForReview(mine.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []SamePlatformID{
		{Station: "派出所st2", Name: "平安城关二", Status: FilingFiled},
		{Station: c.hq.Unit().Name, Name: "平安汤阴", Status: FilingAccepted},
	}
	slices.SortFunc(r.SameID, func(a, b SamePlatformID) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(want, func(a, b SamePlatformID) int { return strings.Compare(a.Name, b.Name) })
	if !slices.Equal(r.SameID, want) {
		t.Fatalf("same platform ID: %+v, want %+v", r.SameID, want)
	}
	other, err := c.hq.FilingQueue(FilingsToDecide)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range other {
		if o.PlatformID == "other_id" {
			if r, err := c.hq.FilingForReview(o.ID); err != nil || len(r.SameID) != 0 {
				t.Fatalf("a filing whose ID no one else has: %+v %v", r.SameID, err)
			}
		}
	}
}
