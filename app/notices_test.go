package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	"mediadesk/data"
)

// noticeNow is the start of the notice tests' clock: Wednesday 2026-11-25.
var noticeNow = time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)

// setClock makes every session of the county read *now.
func (c *county) setClock(now *time.Time) {
	clock := func() time.Time { return *now }
	c.hq.cfg.Now = clock
	for _, st := range c.stations {
		for _, s := range []*Session{st.admin, st.officer, st.leader} {
			s.cfg.Now = clock
		}
	}
}

// goodNotice is a valid notice to st1 due on 2026-12-05.
func goodNotice() NoticeForm {
	return NoticeForm{UnitID: "st1", Title: "微博账号更新不及时", Body: "城关派出所官方微博 14 天未更新，请恢复日常发布并说明原因。",
		Article: "第二十六条", DueOn: "2026-12-05"}
}

func mustNotice(t *testing.T) func(Notice, error) Notice {
	return func(n Notice, err error) Notice {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
}

func TestNoticeArticles(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range NoticeArticles {
		if seen[a.Code] || !strings.HasPrefix(a.Code, "第") || !strings.HasSuffix(a.Code, "条") || a.Name == "" || a.NameEN == "" {
			t.Errorf("article %+v", a)
		}
		seen[a.Code] = true
	}
	for _, code := range []string{"第一条", "第十条", "第二十五条", "第二十七条", "第二十九条", "18"} {
		if _, ok := NoticeArticleByCode(code); ok {
			t.Errorf("%s is offered, but no station can fall short of it", code)
		}
	}
	if a, ok := NoticeArticleByCode("第十八条"); !ok || a.Label() != "第十八条 禁止发布的内容" {
		t.Errorf("第十八条: %+v %v", a, ok)
	}
	items := NoticeItems("第十八条")
	if len(items) != 12 || items[0] != "第（一）项：违反宪法确定的基本原则" || items[10] != "第（十一）项：涉及个人隐私和商业秘密" {
		t.Errorf("items of 第十八条: %q", items)
	}
	if items := NoticeItems("第十一条"); len(items) != 0 {
		t.Errorf("items of 第十一条: %q", items)
	}
}

func TestNoticeRules(t *testing.T) {
	due := "2026-12-05"
	for _, c := range []struct {
		now  time.Time
		want bool
	}{{time.Date(2026, 12, 5, 23, 59, 0, 0, time.Local), false}, {time.Date(2026, 12, 6, 0, 0, 0, 0, time.Local), true}} {
		if got := NoticeOverdue(due, false, c.now); got != c.want {
			t.Errorf("open at %v: overdue %v", c.now, got)
		}
		if NoticeOverdue(due, true, c.now) {
			t.Errorf("closed at %v counted overdue", c.now)
		}
		if got := NoticeClosedLate(due, c.now); got != c.want {
			t.Errorf("closed at %v: late %v", c.now, got)
		}
	}
}

func TestIssueNoticeValidation(t *testing.T) {
	c := newCounty(t, 1)
	now := noticeNow
	c.setClock(&now)
	if _, err := c.hq.EnrollUnit("st9", "未登记派出所", c.stick); err != nil {
		t.Fatal(err)
	}
	units, err := c.hq.NoticeUnits()
	if err != nil || len(units) != 1 || units[0].ID != "st1" {
		t.Fatalf("units offered: %+v %v", units, err)
	}
	long := strings.Repeat("改", MaxNoticeTitle+1)
	for _, tc := range []struct {
		what  string
		edit  func(*NoticeForm)
		field string
	}{
		{"no unit", func(f *NoticeForm) { f.UnitID = "" }, "unit"},
		{"unknown unit", func(f *NoticeForm) { f.UnitID = "st7" }, "unit"},
		{"enrolled, not registered", func(f *NoticeForm) { f.UnitID = "st9" }, "unit"},
		{"HQ itself", func(f *NoticeForm) { f.UnitID = c.hq.Unit().ID }, "unit"},
		{"no title", func(f *NoticeForm) { f.Title = "  " }, "title"},
		{"long title", func(f *NoticeForm) { f.Title = long }, "title"},
		{"title with a line break", func(f *NoticeForm) { f.Title = "第一行\n第二行" }, "title"},
		{"no body", func(f *NoticeForm) { f.Body = "" }, "body"},
		{"long body", func(f *NoticeForm) { f.Body = strings.Repeat("改", MaxNoticeBody+1) }, "body"},
		{"no article", func(f *NoticeForm) { f.Article = "" }, "article"},
		{"HQ's own article", func(f *NoticeForm) { f.Article = "第二十五条" }, "article"},
		{"long item", func(f *NoticeForm) { f.Item = long }, "item"},
		{"no deadline", func(f *NoticeForm) { f.DueOn = "" }, "due"},
		{"bad deadline", func(f *NoticeForm) { f.DueOn = "12/05/2026" }, "due"},
		{"yesterday", func(f *NoticeForm) { f.DueOn = "2026-11-24" }, "due"},
		{"too far", func(f *NoticeForm) { f.DueOn = "2027-02-24" }, "due"},
	} {
		f := goodNotice()
		tc.edit(&f)
		_, err := c.hq.IssueNotice(f)
		wantCampaignField(t, tc.what, err, tc.field)
	}
	if list, _ := c.hq.Notices(NoticeQuery{}); len(list) != 0 {
		t.Fatalf("refused forms saved %d notices", len(list))
	}

	// Today and 90 days ahead are both allowed.
	f := goodNotice()
	f.DueOn, f.Item, f.Article = "2026-11-25", " 第（二）项：危害国家安全，泄露国家秘密和工作秘密 ", "第十八条"
	n := mustNotice(t)(c.hq.IssueNotice(f))
	if n.Status != NoticeOpen || n.UnitName != "派出所st1" || n.Item != "第（二）项：危害国家安全，泄露国家秘密和工作秘密" || n.Overdue || n.Answered() || n.Version != 1 {
		t.Fatalf("issued: %+v", n)
	}
	f.DueOn = "2027-02-23"
	mustNotice(t)(c.hq.IssueNotice(f))

	// Only HQ issues.
	if _, err := c.stations[0].admin.IssueNotice(goodNotice()); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("a station issued a notice: %v", err)
	}
	if _, err := c.stations[0].admin.NoticeUnits(); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("a station listed the units: %v", err)
	}
	// A revoked station gets no more notices.
	if err := c.hq.RevokeUnit("st1"); err != nil {
		t.Fatal(err)
	}
	_, err = c.hq.IssueNotice(goodNotice())
	wantCampaignField(t, "revoked unit", err, "unit")
}

// TestNoticeThroughSync: HQ issues, the station answers, HQ closes late,
// reopens, the station answers again (with its clock behind HQ's), HQ
// closes on time; every refused step on the way; overdue on both sides.
func TestNoticeThroughSync(t *testing.T) {
	c := newCounty(t, 2)
	now := noticeNow
	c.setClock(&now)
	hq, st, other := c.hq, c.stations[0], c.stations[1]

	n := mustNotice(t)(hq.IssueNotice(goodNotice()))
	f2 := goodNotice()
	f2.UnitID, f2.Title = "st2", "给二所的通知"
	n2 := mustNotice(t)(hq.IssueNotice(f2))

	// Nothing to close or reopen before an answer.
	if _, err := hq.CloseNotice(n.ID); !errors.Is(err, ErrNoticeUnanswered) {
		t.Fatalf("closed unanswered: %v", err)
	}
	if _, err := hq.ReopenNotice(n.ID, "再改", ""); !errors.Is(err, ErrNoticeWaiting) {
		t.Fatalf("reopened a notice waiting for the station: %v", err)
	}
	_, err := hq.ReopenNotice(n.ID, " ", "")
	wantCampaignField(t, "reopen without a reason", err, "reason")
	if _, err := st.officer.AnswerNotice(n.ID, "已整改"); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("answered a notice not yet imported: %v", err)
	}

	// The notice reaches its station only.
	c.receive(st.admin, Imported, c.send(hq, "st1")...)
	mine, err := st.officer.NoticesForMe(NoticesAll)
	if err != nil || len(mine) != 1 || mine[0].ID != n.ID || mine[0].Status != NoticeOpen || mine[0].Body != n.Body {
		t.Fatalf("station notices: %+v %v", mine, err)
	}
	// HQ's users do not travel: the notice names its issuer by display name.
	if mine[0].CreatedBy != hq.User().DisplayName || mine[0].CreatedBy == hq.User().Name {
		t.Errorf("the station sees the notice issued by %q, want %q", mine[0].CreatedBy, hq.User().DisplayName)
	}
	if _, err := st.officer.Notice(n2.ID); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("st1 reads st2's notice: %v", err)
	}
	if h, _ := st.officer.StationHome(); h.OpenNotices != 1 || h.LateNotices != 0 || len(h.Notices) != 1 {
		t.Fatalf("station home: %d open, %d late", h.OpenNotices, h.LateNotices)
	}

	// Sides: a station cannot act as HQ, nor HQ as a station.
	for what, err := range map[string]error{
		"close":  func() error { _, err := st.admin.CloseNotice(n.ID); return err }(),
		"reopen": func() error { _, err := st.admin.ReopenNotice(n.ID, "x", ""); return err }(),
		"list":   func() error { _, err := st.admin.Notices(NoticeQuery{}); return err }(),
		"answer": func() error { _, err := hq.AnswerNotice(n.ID, "x"); return err }(),
		"mine":   func() error { _, err := hq.NoticesForMe(""); return err }(),
	} {
		if !errors.Is(err, ErrNotAllowed) {
			t.Errorf("%s on the wrong side: %v", what, err)
		}
	}
	// A notice addressed to another unit (impossible through bundles) is
	// refused all the same.
	if err := other.admin.store.Write(func(tx *data.Tx) error {
		row, _ := data.NoticeByID(hq.store.Reader(), n.ID)
		return data.InsertNotice(tx, row)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.officer.AnswerNotice(n.ID, "不是我们的"); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("st2 answered st1's notice: %v", err)
	}
	if _, err := other.officer.Notice(n.ID); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("st2 read st1's notice: %v", err)
	}

	// The station answers; an empty answer is refused.
	_, err = st.officer.AnswerNotice(n.ID, "  ")
	wantCampaignField(t, "empty answer", err, "body")
	a := func() data.NoticeAnswer {
		a, err := st.officer.AnswerNotice(n.ID, "已恢复每日发布，指定专人负责。")
		if err != nil {
			t.Fatal(err)
		}
		return a
	}()
	if a.OwnerUnit != "st1" || a.Actor != "李警官" {
		t.Fatalf("answer %+v", a)
	}
	if d, _ := st.officer.Notice(n.ID); len(d.Answers) != 1 || !d.Notice.Answered() {
		t.Fatalf("station's detail: %+v", d)
	}

	// Past the deadline both sides flag it overdue.
	now = time.Date(2026, 12, 6, 9, 0, 0, 0, time.Local)
	if late, _ := st.officer.NoticesForMe(NoticesOverdue); len(late) != 1 || !late[0].Overdue {
		t.Fatalf("station's overdue list: %+v", late)
	}
	if h, _ := st.officer.StationHome(); h.LateNotices != 1 {
		t.Fatalf("station home late: %d", h.LateNotices)
	}
	if late, _ := hq.Notices(NoticeQuery{State: NoticesOverdue}); len(late) != 2 {
		t.Fatalf("HQ's overdue list: %d", len(late))
	}
	if late, _ := hq.Notices(NoticeQuery{State: NoticesOverdue, UnitID: "st2"}); len(late) != 1 || late[0].ID != n2.ID {
		t.Fatalf("HQ's overdue list for st2: %+v", late)
	}

	// The answer reaches HQ, which closes the notice (late).
	c.receive(hq, Imported, c.send(st.admin, "")...)
	d, err := hq.Notice(n.ID)
	if err != nil || len(d.Answers) != 1 || d.Answers[0].Body != "已恢复每日发布，指定专人负责。" || !d.Notice.Answered() {
		t.Fatalf("HQ's detail: %+v %v", d, err)
	}
	if answered, _ := hq.Notices(NoticeQuery{State: NoticesAnswered}); len(answered) != 1 || answered[0].ID != n.ID {
		t.Fatalf("answered list: %+v", answered)
	}
	closed := mustNotice(t)(hq.CloseNotice(n.ID))
	if closed.Status != NoticeClosed || !closed.ClosedLate() || closed.Overdue || closed.Version != 2 {
		t.Fatalf("closed: %+v", closed)
	}
	if _, err := hq.CloseNotice(n.ID); !errors.Is(err, ErrNoticeClosed) {
		t.Fatalf("closed twice: %v", err)
	}
	if list, _ := hq.Notices(NoticeQuery{State: NoticesClosed}); len(list) != 1 || list[0].ID != n.ID {
		t.Fatalf("closed list: %+v", list)
	}

	// The station sees it closed and can answer no more.
	c.receive(st.admin, Imported, c.send(hq, "st1")...)
	if d, _ := st.officer.Notice(n.ID); d.Notice.Status != NoticeClosed || !d.Notice.ClosedLate() {
		t.Fatalf("station's copy after closing: %+v", d.Notice)
	}
	if _, err := st.officer.AnswerNotice(n.ID, "补充"); !errors.Is(err, ErrNoticeClosed) {
		t.Fatalf("answered a closed notice: %v", err)
	}
	if h, _ := st.officer.StationHome(); h.OpenNotices != 0 || h.LateNotices != 0 {
		t.Fatalf("station home after closing: %d open, %d late", h.OpenNotices, h.LateNotices)
	}

	// HQ reopens: its deadline has passed, so a new one is needed.
	_, err = hq.ReopenNotice(n.ID, "仍有两天未更新", "")
	wantCampaignField(t, "reopen past the deadline", err, "due")
	_, err = hq.ReopenNotice(n.ID, "仍有两天未更新", "2026-12-01")
	wantCampaignField(t, "reopen with a past deadline", err, "due")
	re := mustNotice(t)(hq.ReopenNotice(n.ID, "仍有两天未更新", "2026-12-15"))
	if re.Status != NoticeReopened || !re.ClosedAt.IsZero() || re.DueOn != "2026-12-15" || re.Answered() || re.Version != 3 ||
		!strings.Contains(re.Body, "【2026-12-06 宣传科重新打开】仍有两天未更新（整改期限由 2026-12-05 改为 2026-12-15）") ||
		!strings.HasPrefix(re.Body, n.Body) {
		t.Fatalf("reopened: %+v", re)
	}
	if _, err := hq.CloseNotice(n.ID); !errors.Is(err, ErrNoticeUnanswered) {
		t.Fatalf("closed a reopened notice on its old answer: %v", err)
	}

	// The station's clock runs a day behind HQ's: its new answer still
	// counts as given after the reopening.
	c.receive(st.admin, Imported, c.send(hq, "st1")...)
	stNow := now.AddDate(0, 0, -1)
	st.officer.cfg.Now = func() time.Time { return stNow }
	if d, _ := st.officer.Notice(n.ID); d.Notice.Status != NoticeReopened || d.Notice.Body != re.Body || d.Notice.Overdue {
		t.Fatalf("station's copy after reopening: %+v", d.Notice)
	}
	a2, err := st.officer.AnswerNotice(n.ID, "已补发，并建立每日检查。")
	if err != nil || a2.AnsweredAt != re.OpenedAt.UnixMilli() {
		t.Fatalf("second answer %+v (reopened at %v): %v", a2, re.OpenedAt, err)
	}
	c.receive(hq, Imported, c.send(st.admin, "")...)
	done := mustNotice(t)(hq.CloseNotice(n.ID))
	if done.ClosedLate() || done.Answers != 2 {
		t.Fatalf("closed again: %+v", done)
	}
	c.receive(st.admin, Imported, c.send(hq, "st1")...)
	if d, _ := st.officer.Notice(n.ID); d.Notice.Status != NoticeClosed || d.Notice.ClosedLate() || len(d.Answers) != 2 {
		t.Fatalf("station's copy at the end: %+v", d)
	}
}

// TestReopenAnsweredNotice: HQ may send an open notice back when the
// answer does not do, keeping its deadline while it has not passed.
func TestReopenAnsweredNotice(t *testing.T) {
	c := newCounty(t, 1)
	now := noticeNow
	c.setClock(&now)
	st := c.stations[0]
	n := mustNotice(t)(c.hq.IssueNotice(goodNotice()))
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	if _, err := st.leader.AnswerNotice(n.ID, "已整改"); err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	now = now.Add(time.Hour)
	re := mustNotice(t)(c.hq.ReopenNotice(n.ID, "请说明具体措施", ""))
	if re.Status != NoticeReopened || re.DueOn != n.DueOn || re.Answered() || strings.Contains(re.Body, "整改期限由") {
		t.Fatalf("reopened: %+v", re)
	}
	if open, _ := c.hq.Notices(NoticeQuery{State: NoticesOpen}); len(open) != 1 {
		t.Fatalf("open list: %+v", open)
	}
	if answered, _ := c.hq.Notices(NoticeQuery{State: NoticesAnswered}); len(answered) != 0 {
		t.Fatalf("answered list after reopening: %+v", answered)
	}
}

// TestReopenWithStationClockAhead: an answer dated ahead of HQ's clock
// (the station's clock runs two days fast) does not answer the reopening
// that asks to redo it; the station's next answer does.
func TestReopenWithStationClockAhead(t *testing.T) {
	c := newCounty(t, 1)
	now := noticeNow
	c.setClock(&now)
	st := c.stations[0]
	fast := withClock(st.leader, func() time.Time { return now.Add(48 * time.Hour) })
	n := mustNotice(t)(c.hq.IssueNotice(goodNotice()))
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	if _, err := fast.AnswerNotice(n.ID, "已整改"); err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	now = now.Add(time.Hour)
	re := mustNotice(t)(c.hq.ReopenNotice(n.ID, "请说明具体措施", ""))
	if re.Answered() {
		t.Fatal("the answer the reopening asks to redo counts as answering it")
	}
	if _, err := c.hq.CloseNotice(n.ID); !errors.Is(err, ErrNoticeUnanswered) {
		t.Fatalf("closed without a new answer: %v", err)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	if _, err := fast.AnswerNotice(n.ID, "已制定具体措施"); err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	if got, _ := c.hq.Notice(n.ID); !got.Notice.Answered() {
		t.Fatalf("the new answer does not count: %+v", got)
	}
	if _, err := c.hq.CloseNotice(n.ID); err != nil {
		t.Fatal(err)
	}
}
