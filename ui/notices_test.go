package ui

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

// noticeCounty makes an HQ install (admin "admin", hqPassword) and a
// station install (admin "admin", adminPassword) registered with it as
// unit st1, and returns their configs.
func noticeCounty(t *testing.T) (hqCfg, stCfg app.Config) {
	t.Helper()
	hqCfg = setUpHQInstall(t)
	stCfg, _ = setUpStation(t)
	hq, err := app.SignIn(hqCfg, "admin", hqPassword)
	if err != nil {
		t.Fatal(err)
	}
	defer hq.Close()
	st, err := app.SignIn(stCfg, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stick := t.TempDir()
	enroll, err := hq.EnrollUnit("st1", "城关派出所", stick)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := st.Join(context.Background(), enroll, stick)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := st.Keys()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hq.RegisterUnit(context.Background(), reg, keys.Fingerprint); err != nil {
		t.Fatal(err)
	}
	return hqCfg, stCfg
}

// carry exports from one signed-in desk to the other and imports there.
func carry(t *testing.T, from, to *harness) {
	t.Helper()
	files, err := from.d.session.ExportBundles(context.Background(), t.TempDir(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range to.d.session.ImportBundles(context.Background(), files, nil) {
		if r.Result != app.Imported {
			t.Fatalf("import %s: %s %v", r.File, r.Result, r.Err)
		}
	}
}

// notices shows a new 整改通知 view in the window and waits for its list.
func (h *harness) notices() *noticesView {
	h.t.Helper()
	v := newNoticesView(h.d)
	h.w.SetContent(v.content)
	h.r.settle(h.t)
	return v
}

// noticeRowOf finds the list row showing title.
func noticeRowOf(t *testing.T, v *noticesView, title string) *noticeRow {
	t.Helper()
	var found *noticeRow
	walk(v.list, func(o fyne.CanvasObject) bool {
		if r, ok := o.(*noticeRow); ok && r.Visible() && r.title.Text == title {
			found = r
		}
		return found != nil
	})
	if found == nil {
		t.Fatalf("no row for %q", title)
	}
	return found
}

// noticeStepOf taps the detail's button labelled action and returns the
// dialog it opened.
func (h *harness) noticeStepOf(v *noticesView, action string) *noticeStep {
	h.t.Helper()
	test.Tap(button(h.t, v.detail.page, action))
	h.r.settle(h.t)
	if v.detail.step == nil {
		h.t.Fatalf("%s opened no dialog", action)
	}
	return v.detail.step
}

func TestNoticesAreaInNavigation(t *testing.T) {
	h := newHarness(t, setUpHQInstall(t))
	h.signIn("admin", hqPassword)
	h.d.shell.showArea("nav.notices")
	h.r.settle(t)
	button(t, h.d.shell.work, "下发整改通知")

	cfg, _ := setUpStation(t)
	st := newHarness(t, cfg)
	st.signIn("admin", adminPassword)
	st.d.shell.showArea("nav.notices")
	st.r.settle(t)
	if hasText(st.d.shell.work, "下发整改通知") || !hasText(st.d.shell.work, "没有符合条件的整改通知") {
		t.Error("the station's notices area is not the station's")
	}
}

// TestNoticeIssueAnswerCloseReopen: HQ writes a notice through the form
// (field messages first), the station answers it after a sync round, HQ
// closes it and reopens it, and the station sees the reopening.
func TestNoticeIssueAnswerCloseReopen(t *testing.T) {
	hqCfg, stCfg := noticeCounty(t)
	hq := newHarness(t, hqCfg)
	hq.signIn("admin", hqPassword)
	v := hq.notices()
	if len(v.units) != 1 || v.unit.Options[1] != "城关派出所" {
		t.Fatalf("unit filter %q", v.unit.Options)
	}

	test.Tap(v.add)
	hq.r.settle(t)
	nf := v.issue
	if nf == nil {
		t.Fatal("下发整改通知 opened no form")
	}
	if m := hq.topOverlay().MinSize(); m.Height > 700 {
		t.Errorf("the form needs %v, more than a 1366×768 screen has", m)
	}
	if !slices.Equal(nf.unit.Options, []string{"城关派出所"}) {
		t.Fatalf("units offered: %q", nf.unit.Options)
	}
	hq.submit(nf.fd)
	wantMessage(t, "no unit", fieldMessage(t, nf.form, "unit"), "已登记的所队")
	nf.unit.SetSelectedIndex(0)
	test.Type(nf.body, "官方微博 14 天未更新。")
	hq.submit(nf.fd)
	wantMessage(t, "no title", fieldMessage(t, nf.form, "title"), "必填")
	wantNoMessage(t, "unit once chosen", fieldMessage(t, nf.form, "unit"))

	test.Type(nf.title, "微博更新不及时")
	hq.submit(nf.fd)
	wantMessage(t, "no article", fieldMessage(t, nf.form, "article"), "条款")
	nf.article.SetSelected("第十八条 禁止发布的内容")
	if len(nf.items) != 12 {
		t.Fatalf("items of 第十八条: %q", nf.items)
	}
	nf.item.SetText(nf.items[10])
	nf.due.entry.SetText("2020-01-01")
	hq.submit(nf.fd)
	wantMessage(t, "past deadline", fieldMessage(t, nf.form, "due"), "不能早于今天")
	nf.due.entry.SetText("明天")
	hq.submit(nf.fd)
	wantMessage(t, "no date", fieldMessage(t, nf.form, "due"), "2026-01-31")
	if list, _ := hq.d.session.Notices(app.NoticeQuery{}); len(list) != 0 {
		t.Fatalf("refused forms saved %d notices", len(list))
	}

	due := time.Now().AddDate(0, 0, 7).Format(time.DateOnly)
	nf.due.entry.SetText(due)
	hq.submit(nf.fd)
	if v.issue != nil {
		t.Fatalf("the form stayed open: %q", nf.form.msg.Text)
	}
	wantMessage(t, "issued", v.detail.msg, "已下发")
	n := v.detail.nd.Notice
	if len(v.rows) != 1 || n.Title != "微博更新不及时" || n.UnitID != "st1" || n.Item != "第（十一）项：涉及个人隐私和商业秘密" || n.DueOn != due {
		t.Fatalf("rows %d, detail %+v", len(v.rows), n)
	}
	row := noticeRowOf(t, v, "微博更新不及时")
	if row.status.Text != "待整改" || row.overdue.Visible() || row.answered.Visible() || !strings.Contains(row.meta.Text, "城关派出所") {
		t.Errorf("row: %q %q", row.status.Text, row.meta.Text)
	}
	if !button(t, v.detail.page, "办结").Disabled() || !button(t, v.detail.page, "重新打开…").Disabled() {
		t.Error("办结 or 重新打开 offered before the station answered")
	}

	// The station answers after HQ's bundle arrived.
	st := newHarness(t, stCfg)
	st.signIn("admin", adminPassword)
	carry(t, hq, st)
	// The home lists it; its row opens 整改通知.
	st.d.shell.home.reload() // the home is open since signing in
	if !hasText(st.d.shell.home.content, "微博更新不及时，整改期限 "+due) {
		t.Fatal("the station home does not list the notice")
	}
	test.Tap(button(t, st.d.shell.home.content, "打开"))
	st.r.settle(t)
	if st.d.shell.openKey() != "nav.notices" {
		t.Fatalf("the home's notice row opened %q", st.d.shell.openKey())
	}
	sv := st.notices()
	if len(sv.rows) != 1 {
		t.Fatalf("station list: %d rows", len(sv.rows))
	}
	sv.list.Select(0)
	st.r.settle(t)
	if !hasText(sv.detail.page, "官方微博 14 天未更新。") || !hasText(sv.detail.page, "所队尚未答复") {
		t.Error("the station's detail does not show the notice")
	}
	as := st.noticeStepOf(sv, "提交整改答复…")
	test.Type(as.text, "已恢复日常发布")
	as.text.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	st.r.settle(t)
	if sv.detail.step == nil || as.text.Text != "已恢复日常发布\n" {
		t.Fatalf("Return did more than add a line: %q", as.text.Text)
	}
	if d, _ := st.d.session.Notice(n.ID); len(d.Answers) != 0 {
		t.Fatal("Return saved the answer")
	}
	as.text.SetText(" \n ")
	st.submit(as.fd)
	wantMessage(t, "empty answer", fieldMessage(t, as.form, "body"), "必填")
	as.text.SetText("已恢复日常发布，指定专人每日更新。")
	st.submit(as.fd)
	if sv.detail.step != nil {
		t.Fatalf("the answer dialog stayed open: %q", as.form.msg.Text)
	}
	wantMessage(t, "answered", sv.detail.msg, "答复已保存")
	if !hasText(sv.detail.page, "指定专人每日更新") || !noticeRowOf(t, sv, "微博更新不及时").answered.Visible() {
		t.Error("the answer is not shown at the station")
	}

	// HQ reads the answer and closes the notice.
	carry(t, st, hq)
	v.refresh()
	hq.r.settle(t)
	if !hasText(v.detail.page, "指定专人每日更新") || !noticeRowOf(t, v, "微博更新不及时").answered.Visible() {
		t.Fatal("HQ does not show the answer")
	}
	test.Tap(button(t, v.detail.page, "办结"))
	if v.detail.confirm == nil {
		t.Fatal("办结 asked nothing")
	}
	v.detail.confirm.Confirm()
	hq.r.settle(t)
	wantMessage(t, "closed", v.detail.msg, "已办结")
	if got := v.detail.nd.Notice; got.Status != app.NoticeClosed || len(v.rows) != 0 {
		t.Fatalf("after 办结: %+v, %d rows not closed", got, len(v.rows))
	}

	// Reopen: a reason is required.
	rs := hq.noticeStepOf(v, "重新打开…")
	if rs.due.entry.Text != due {
		t.Errorf("the deadline starts as %q, want %q", rs.due.entry.Text, due)
	}
	hq.submit(rs.fd)
	wantMessage(t, "no reason", fieldMessage(t, rs.form, "reason"), "必填")
	test.Type(rs.text, "请说明专人的姓名和检查办法")
	hq.submit(rs.fd)
	if v.detail.step != nil {
		t.Fatalf("the reopen dialog stayed open: %q", rs.form.msg.Text)
	}
	if got := v.detail.nd.Notice; got.Status != app.NoticeReopened || !strings.Contains(got.Body, "请说明专人的姓名和检查办法") {
		t.Fatalf("after reopening: %+v", got)
	}
	if button(t, v.detail.page, "办结").Disabled() == false {
		t.Error("办结 offered again before a new answer")
	}

	// The station sees it reopened, with the reason.
	carry(t, hq, st)
	sv.refresh()
	st.r.settle(t)
	if r := noticeRowOf(t, sv, "微博更新不及时"); r.status.Text != "重新打开" || r.answered.Visible() {
		t.Errorf("station row after reopening: %q, answered %v", r.status.Text, r.answered.Visible())
	}
	if !hasText(sv.detail.page, "请说明专人的姓名和检查办法") {
		t.Error("the station does not see the reason")
	}
}

func TestNoticeRowOverdue(t *testing.T) {
	h := newHarness(t, setUpHQInstall(t))
	h.signIn("admin", hqPassword)
	v := h.notices()
	r := newNoticeRow()
	r.set(v, app.Notice{Title: "逾期通知", UnitName: "城关派出所", DueOn: "2026-11-20", Article: "第十一条", Status: app.NoticeOpen, Overdue: true})
	if r.title.Importance != widget.DangerImportance || !r.overdue.Visible() || r.status.Importance != widget.DangerImportance {
		t.Errorf("overdue row: title %v, badge %v", r.title.Importance, r.overdue.Visible())
	}
	r.set(v, app.Notice{Title: "按期通知", DueOn: "2026-12-20", Article: "第十一条", Status: app.NoticeOpen})
	if r.title.Importance == widget.DangerImportance || r.overdue.Visible() {
		t.Error("a row stays red after showing another notice")
	}
}

// exchange exports from the install at from (signed in as admin with
// fromPass) and imports into the one at to, and returns the results.
func exchange(t *testing.T, from app.Config, fromPass string, to app.Config, toPass string) []app.ImportResult {
	t.Helper()
	var files []string
	var res []app.ImportResult
	for _, step := range []struct {
		cfg  app.Config
		pass string
		f    func(*app.Session) error
	}{
		{from, fromPass, func(s *app.Session) (err error) {
			files, err = s.ExportBundles(context.Background(), t.TempDir(), "", nil)
			return err
		}},
		{to, toPass, func(s *app.Session) error {
			res = s.ImportBundles(context.Background(), files, nil)
			return nil
		}},
	} {
		s, err := app.SignIn(step.cfg, "admin", step.pass)
		if err != nil {
			t.Fatal(err)
		}
		err = step.f(s)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return res
}

// TestNoticesListAnswersToLostNotices: HQ rebuilt from a key backup gets a
// station's answer to a notice only the old PC had; 整改通知 offers it
// behind a button, and the dialog shows who answered and what.
func TestNoticesListAnswersToLostNotices(t *testing.T) {
	hqCfg, stCfg := noticeCounty(t)
	var backup bytes.Buffer
	func() {
		hq, err := app.SignIn(hqCfg, "admin", hqPassword)
		if err != nil {
			t.Fatal(err)
		}
		defer hq.Close()
		if _, err := hq.IssueNotice(app.NoticeForm{UnitID: "st1", Title: "微博账号更新不及时", Body: "请恢复日常发布。", Article: "第二十六条", DueOn: "2026-12-05"}); err != nil {
			t.Fatal(err)
		}
		if err := hq.BackupKeys(&backup, "Backup-pass-2026"); err != nil {
			t.Fatal(err)
		}
	}()
	exchange(t, hqCfg, hqPassword, stCfg, adminPassword)
	st, err := app.SignIn(stCfg, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	notices, err := st.NoticesForMe(app.NoticesAll)
	if err == nil && len(notices) == 1 {
		_, err = st.AnswerNotice(notices[0].ID, "已恢复每日发布，并指定专人值守。")
	}
	st.Close()
	if err != nil || len(notices) != 1 {
		t.Fatalf("answering the notice: %d notices, %v", len(notices), err)
	}

	rebuilt := setUpHQInstall(t)
	func() {
		hq, err := app.SignIn(rebuilt, "admin", hqPassword)
		if err != nil {
			t.Fatal(err)
		}
		defer hq.Close()
		if err := hq.RestoreKeys(&backup, "Backup-pass-2026"); err != nil {
			t.Fatal(err)
		}
	}()
	exchange(t, stCfg, adminPassword, rebuilt, hqPassword) // refused: the notice's author is not here
	exchange(t, rebuilt, hqPassword, stCfg, adminPassword) // asks for everything
	if r := exchange(t, stCfg, adminPassword, rebuilt, hqPassword); r[0].Result != app.Imported {
		t.Fatalf("the station's bundle with everything: %s %v", r[0].Result, r[0].Err)
	}

	h := newHarness(t, rebuilt)
	h.signIn("admin", hqPassword)
	v := h.notices()
	if !v.lost.Visible() || !strings.Contains(v.lost.Text, "另有 1 条") {
		t.Fatalf("the button to answers to lost notices: visible %v, %q", v.lost.Visible(), v.lost.Text)
	}
	test.Tap(v.lost)
	overlay := h.w.Canvas().Overlays().Top()
	if overlay == nil || !showsText(overlay, "已恢复每日发布") || !showsText(overlay, "城关派出所") {
		t.Fatal("the dialog does not show the station's answer")
	}
}
