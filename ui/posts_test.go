package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

const (
	officerPassword = "officer-pass-1"
	leaderPassword  = "leader-pass-1"
)

// setUpStationWithStaff makes a station with admin "admin", officer
// "zhang" and shift leader "li".
func setUpStationWithStaff(t *testing.T) app.Config {
	t.Helper()
	cfg, _ := setUpStation(t)
	s, err := app.SignIn(cfg, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, u := range []app.NewUser{
		{Name: "zhang", DisplayName: "张警官", Role: app.Officer, Password: officerPassword},
		{Name: "li", DisplayName: "李所长", Role: app.ShiftLeader, Password: leaderPassword},
	} {
		if _, err := s.AddUser(u); err != nil {
			t.Fatal(err)
		}
	}
	return cfg
}

// switchUser signs the current user out and another in.
func (h *harness) switchUser(name, password string) {
	h.t.Helper()
	h.r.settle(h.t)
	h.d.close()
	h.d.shell = nil
	h.signIn(name, password)
}

// posts opens 稿件 and waits for its first page.
func (h *harness) posts() *postsView {
	h.t.Helper()
	v := h.d.shell.openPosts()
	if v == nil {
		h.t.Fatal("稿件 not built")
	}
	h.r.settle(h.t)
	return v
}

// newPost opens the editor with Ctrl+N's menu item.
func (h *harness) newPost() *editor {
	h.t.Helper()
	if h.d.menuNewPost == nil {
		h.t.Fatal("no 新建稿件 menu item")
	}
	h.d.menuNewPost.Action()
	h.r.settle(h.t)
	e := h.d.shell.posts.editor
	if e == nil {
		h.t.Fatal("the editor did not open")
	}
	return e
}

// typeDraft fills the editor: title, body, the first category and Weibo.
func (h *harness) typeDraft(e *editor, title, body string) {
	h.t.Helper()
	test.Type(e.title, title)
	test.Type(e.body, body)
	e.category.SetSelectedIndex(0)
	test.Tap(e.platforms[0].check)
}

// settleTimers lets every pending delay pass and the work it starts end.
func (h *harness) settleTimers() {
	h.t.Helper()
	h.timers.fire()
	h.r.settle(h.t)
}

// selectPost selects the post titled title in the list and waits for its
// detail.
func (h *harness) selectPost(v *postsView, title string) *detailView {
	h.t.Helper()
	for i := range v.pages.length() {
		if p, ok := v.pages.row(i); ok && p.Title == title {
			v.list.Select(i)
			h.r.settle(h.t)
			if v.detail.pd.Post.Title != title {
				h.t.Fatalf("detail shows %q, want %q", v.detail.pd.Post.Title, title)
			}
			return v.detail
		}
	}
	h.t.Fatalf("no post %q in the list", title)
	return nil
}

// entries lists the entries inside root, in order.
func entries(root fyne.CanvasObject) []*widget.Entry {
	var out []*widget.Entry
	walk(root, func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok {
			out = append(out, e)
		}
		return false
	})
	return out
}

// labelWith reports whether a visible label inside root contains text.
func labelWith(root fyne.CanvasObject, text string) bool {
	return walk(root, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && l.Visible() && strings.Contains(l.Text, text)
	})
}

// wantStatus checks the shown post's status.
func wantStatus(t *testing.T, dv *detailView, want app.PostStatus) {
	t.Helper()
	if got := dv.pd.Post.Status; got != want {
		t.Fatalf("status %s, want %s (message %q)", got, want, dv.msg.Text)
	}
	if !labelWith(dv.page, statusLabel(want)) {
		t.Errorf("the detail does not show %q", statusLabel(want))
	}
}

func TestPostWorkflow(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	acc := addLiveAccount(t, cfg, "weibo", "pa_tangyin")
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)

	// The officer drafts (Ctrl+N) and submits.
	v := h.posts()
	if v.pages.count != 0 || !strings.Contains(v.listInfo.Text, "没有") {
		t.Fatalf("a new station lists posts: %q", v.listInfo.Text)
	}
	e := h.newPost()
	h.typeDraft(e, "冬季防火提示", "天干物燥，请注意用火安全。")
	h.settleTimers()
	test.Tap(e.submitBtn)
	h.r.settle(t)
	if v.editor != nil {
		t.Fatalf("the editor stayed open: %q", e.msg.Text)
	}
	dv := v.detail
	wantStatus(t, dv, app.Submitted)
	wantMessage(t, "submitted", dv.msg, "已送审")
	if v.pages.count != 1 {
		t.Fatalf("the list has %d posts, want 1", v.pages.count)
	}

	// The shift leader returns it; the comment is required.
	h.switchUser("li", leaderPassword)
	v = h.posts()
	dv = h.selectPost(v, "冬季防火提示")
	test.Tap(button(t, dv.actions, "退回修改"))
	fd := dv.dialog
	if fd == nil {
		t.Fatal("no 退回修改 dialog")
	}
	test.Tap(fd.submit)
	h.r.settle(t)
	if dv.dialog == nil || !labelWith(h.topOverlay(), "退回时请写明修改意见") {
		t.Fatal("returning without a comment was not refused at the comment")
	}
	comment := entries(h.topOverlay())[0]
	test.Type(comment, "请补充报警电话。")
	comment.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Return adds a line, it does not send
	if dv.dialog == nil {
		t.Fatal("Return closed the dialog")
	}
	test.Tap(fd.submit)
	h.r.settle(t)
	wantStatus(t, dv, app.Returned)
	if !labelWith(dv.page, "请补充报警电话") {
		t.Error("the trail does not show the leader's comment")
	}

	// The officer edits and submits again.
	h.switchUser("zhang", officerPassword)
	v = h.posts()
	dv = h.selectPost(v, "冬季防火提示")
	test.Tap(button(t, dv.actions, "编辑"))
	e = v.editor
	if e == nil || e.title.Text != "冬季防火提示" {
		t.Fatal("编辑 did not open the post")
	}
	e.body.SetText(e.body.Text + "如遇火情请拨打119。")
	test.Tap(e.submitBtn)
	h.r.settle(t)
	wantStatus(t, dv, app.Submitted)
	if !strings.HasSuffix(dv.pd.Post.Body, "如遇火情请拨打119。") {
		t.Errorf("body %q", dv.pd.Post.Body)
	}

	// Editing a post under review warns first that its review is void.
	test.Tap(button(t, dv.actions, "编辑"))
	if dv.confirm == nil || !labelWith(h.topOverlay(), "此前的审核作废") {
		t.Fatal("no warning before editing a submitted post")
	}
	test.Tap(button(t, h.topOverlay(), "取消"))
	if v.editor != nil {
		t.Fatal("取消 opened the editor")
	}

	// A comment: Return in the entry does not send it, 发表 does.
	test.Type(dv.comment, "已补充。")
	dv.comment.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.r.settle(t)
	if len(dv.pd.Comments) != 0 {
		t.Fatal("Return sent the comment")
	}
	test.Tap(dv.send)
	h.r.settle(t)
	if len(dv.pd.Comments) != 1 || !labelWith(dv.page, "已补充") {
		t.Fatalf("comment not shown: %+v", dv.pd.Comments)
	}

	// The officer is offered no review actions.
	for _, text := range []string{"通过", "退回修改"} {
		if walk(dv.actions, func(o fyne.CanvasObject) bool { b, ok := o.(*widget.Button); return ok && b.Text == text }) {
			t.Errorf("an officer is offered %s", text)
		}
	}

	// The shift leader approves the version shown.
	h.switchUser("li", leaderPassword)
	v = h.posts()
	dv = h.selectPost(v, "冬季防火提示")
	test.Tap(button(t, dv.actions, "通过"))
	if !labelWith(h.topOverlay(), shortHash(dv.pd.Post.ContentHash)) {
		t.Error("the approve dialog does not name the version")
	}
	test.Tap(dv.dialog.submit)
	h.r.settle(t)
	wantStatus(t, dv, app.Ready)
	wantMessage(t, "approved", dv.msg, "已审核通过")

	// The officer records the publication, then numbers.
	h.switchUser("zhang", officerPassword)
	v = h.posts()
	dv = h.selectPost(v, "冬季防火提示")
	test.Tap(button(t, dv.actions, "登记发布"))
	fd = dv.dialog
	test.Tap(fd.submit)
	h.r.settle(t)
	if !labelWith(h.topOverlay(), "请填写发布后的网址") {
		t.Fatal("a missing URL was not refused at its field")
	}
	var url *widget.Entry
	for _, en := range entries(h.topOverlay()) {
		if en.PlaceHolder == "https://" {
			url = en
		}
	}
	test.Type(url, "https://weibo.example/tangyin/1")
	test.Tap(fd.submit)
	h.r.settle(t)
	wantStatus(t, dv, app.Published)
	if dv.pd.Post.PublishedOn != "weibo" || !labelWith(dv.page, "发布于微博") {
		t.Errorf("publication not shown: %+v", dv.pd.Post)
	}
	if ad, err := h.d.session.Account(acc.ID); err != nil || ad.LastPost.IsZero() {
		t.Errorf("the post is not on the account it went out on: %+v %v", ad.LastPost, err)
	}
	test.Tap(button(t, dv.actions, "录入数据"))
	nums := entries(h.topOverlay())
	test.Type(nums[1], "1200") // after the date: 阅读
	test.Type(nums[2], "35")
	test.Tap(dv.dialog.submit)
	h.r.settle(t)
	if len(dv.pd.Metrics) != 1 || dv.pd.Metrics[0].Reads != 1200 || !labelWith(dv.page, "1200") {
		t.Fatalf("metrics %+v", dv.pd.Metrics)
	}

	// The trail names every step.
	var kinds []string
	for _, ev := range dv.pd.Events {
		kinds = append(kinds, ev.Kind)
	}
	if got := strings.Join(kinds, " "); got != "submit return edit submit approve publish" {
		t.Errorf("trail %q", got)
	}
}

func TestCheckerHighlightsFinding(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	h.posts()
	e := h.newPost()
	h.settleTimers()
	if len(e.findings) != 0 || highlighted(e.annotated) != 0 {
		t.Fatal("findings in an empty draft")
	}

	test.Type(e.title, "通报")
	test.Type(e.body, "这份材料涉密，请勿外传。")
	if len(e.findings) != 0 {
		t.Fatal("the checker ran before the pause")
	}
	for _, tm := range h.timers.pending {
		if !tm.stopped && tm.delay != checkDelay && tm.delay != autosaveDelay {
			t.Errorf("unexpected delay %v", tm.delay)
		}
	}
	h.settleTimers()
	if len(e.findings) != 1 || e.findings[0].Text != "涉密" {
		t.Fatalf("findings %+v", e.findings)
	}
	if !labelWith(e.findingList, "禁止") || !labelWith(e.findingList, "「涉密」") || !labelWith(e.findingList, "第十八条第（二）项") {
		t.Error("the finding row lacks its action, text or article")
	}
	wantMessage(t, "summary", e.findingsInfo, "禁止 1 处")
	var seg *widget.TextSegment
	for _, s := range e.annotated.Segments {
		if ts, ok := s.(*widget.TextSegment); ok && ts.Text == "涉密" {
			seg = ts
		}
	}
	if seg == nil || seg.Style.ColorName != theme.ColorNameError || !seg.Style.TextStyle.Bold {
		t.Fatalf("涉密 is not highlighted in the 标注视图: %+v", seg)
	}

	// 定位 selects the finding in the body.
	test.Tap(button(t, e.findingList, "定位"))
	if got := e.body.SelectedText(); got != "涉密" {
		t.Errorf("定位 selected %q", got)
	}
	if h.w.Canvas().Focused() != e.body {
		t.Error("定位 did not focus the body")
	}

	// A stale result is dropped: a check started before the last one
	// does not replace its findings.
	e.check()
	test.Type(e.body, "另")
	e.check()
	h.r.settle(t)
	if e.checkedText != app.PostText(e.title.Text, e.body.Text) {
		t.Error("an older check's result replaced a newer one")
	}

	// A NEEDS_APPROVAL finding marks the draft sensitive.
	e.body.SetText("关于一起重大案件的通报。")
	h.settleTimers()
	if !e.sensitive.Visible() || !labelWith(e.findingList, "敏感：需报宣传科审批") || !labelWith(e.findingList, "需审批") {
		t.Error("a NEEDS_APPROVAL finding does not say 敏感：需报宣传科审批")
	}
}

// highlighted counts the segments of rt drawn in a finding's colour
// (numbers aside).
func highlighted(rt *widget.RichText) int {
	n := 0
	for _, s := range rt.Segments {
		if t, ok := s.(*widget.TextSegment); ok && t.Style.ColorName != theme.ColorNameForeground && t.Style.SizeName != theme.SizeNameCaptionText {
			n++
		}
	}
	return n
}

// officerDrafting signs the officer zhang in to a station with staff and
// types a draft of title and body into a new editor.
func officerDrafting(t *testing.T, title, body string) (*harness, *postsView, *editor) {
	t.Helper()
	h := newHarness(t, setUpStationWithStaff(t))
	h.signIn("zhang", officerPassword)
	v := h.posts()
	e := h.newPost()
	h.typeDraft(e, title, body)
	return h, v, e
}

func TestBlockedSubmitRefused(t *testing.T) {
	h, v, e := officerDrafting(t, "内部通报", "这是涉密内容。")
	test.Tap(e.submitBtn)
	h.r.settle(t)
	if v.editor != e {
		t.Fatal("the editor closed although submitting was refused")
	}
	wantMessage(t, "blocked", e.msg, "禁止发布的内容")
	p, err := h.d.session.Post(e.id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Post.Status != app.Draft {
		t.Errorf("status %s after a refused submit", p.Post.Status)
	}
}

func TestEditorFieldErrors(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	h.posts()
	e := h.newPost()

	test.Tap(e.saveBtn)
	h.r.settle(t)
	wantMessage(t, "title", e.form.fields["title"].msg, "此项必填")
	wantMessage(t, "top", e.msg, "标红")

	test.Type(e.title, "寻物招领")
	test.Tap(e.saveBtn)
	h.r.settle(t)
	wantNoMessage(t, "title", e.form.fields["title"].msg)
	wantMessage(t, "category", e.form.fields["category"].msg, "请选择稿件类别")

	e.category.SetSelected("寻人/招领")
	test.Tap(e.saveBtn)
	h.r.settle(t)
	wantMessage(t, "targets", e.form.fields["targets"].msg, "请至少选择一个发布平台")

	// Counts follow the typing; over a limit they turn red.
	test.Tap(e.platforms[5].check) // 快手: 500 characters
	e.body.SetText(strings.Repeat("字", 501))
	if r := e.platforms[5]; r.bodyNum.Importance != widget.DangerImportance || !strings.Contains(r.bodyNum.Text, "501/500") {
		t.Errorf("快手 count %q (importance %v)", r.bodyNum.Text, r.bodyNum.Importance)
	}
	if r := e.platforms[0]; r.bodyNum.Importance == widget.DangerImportance {
		t.Error("Weibo's count is red under its limit")
	}

	// Ctrl+S saves.
	e.body.SetText("在城关镇拾到钱包一个，请失主联系。")
	h.d.menuSavePost.Action()
	h.r.settle(t)
	if e.id == "" || e.dirty {
		t.Fatalf("Ctrl+S did not save: %q", e.msg.Text)
	}
	wantMessage(t, "saved", e.msg, "草稿已保存")
}

func TestPlatformPreview(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	h.posts()
	e := h.newPost()
	test.Type(e.title, "标题")
	e.body.SetText(strings.Repeat("汤", 150))
	test.Tap(e.platforms[0].preview) // 微博
	top := h.topOverlay()
	var rt *widget.RichText
	walk(top, func(o fyne.CanvasObject) bool { rt, _ = o.(*widget.RichText); return rt != nil })
	if rt == nil || !strings.HasSuffix(rt.String(), strings.Repeat("汤", 10)+"…全文") {
		t.Fatalf("Weibo preview does not fold at 140 characters: %v", rt)
	}
	if !labelWith(top, "只显示前 140 字") {
		t.Error("the preview does not explain the fold")
	}
}

func TestAutosaveRestore(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	h.posts()
	e := h.newPost()
	test.Type(e.title, "未保存的标题")
	test.Type(e.body, "写了一半")
	h.settleTimers()
	if !strings.Contains(e.saved.Text, "已自动保存") {
		t.Fatalf("no autosave: %q", e.saved.Text)
	}

	// Next time 稿件 opens, it offers the working copy.
	h.switchUser("zhang", officerPassword)
	v := h.posts()
	if v.restore == nil {
		t.Fatal("no offer to restore the autosaved draft")
	}
	test.Tap(button(t, h.topOverlay(), "丢弃"))
	h.r.settle(t)
	if _, _, ok, _ := h.d.session.AutosavedDraft(); ok {
		t.Fatal("丢弃 kept the working copy")
	}

	// Restoring brings the text back into the editor.
	e = h.newPost()
	test.Type(e.title, "又一篇")
	h.settleTimers()
	h.switchUser("zhang", officerPassword)
	v = h.posts()
	var restore *widget.Button
	walk(h.topOverlay(), func(o fyne.CanvasObject) bool {
		b, ok := o.(*widget.Button)
		if ok && strings.HasPrefix(b.Text, "恢复未保存的草稿（") {
			restore = b
		}
		return restore != nil
	})
	if restore == nil {
		t.Fatal("no 恢复未保存的草稿（时间） button")
	}
	test.Tap(restore)
	h.r.settle(t)
	if v.editor == nil || v.editor.title.Text != "又一篇" || !v.editor.dirty {
		t.Fatal("the working copy was not restored")
	}
}

func TestEditorCloseAsksBeforeDiscarding(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	v := h.posts()
	if !h.d.menuSavePost.Disabled {
		t.Error("保存草稿 (Ctrl+S) is enabled without an editor")
	}
	e := h.newPost()
	if h.d.menuSavePost.Disabled {
		t.Error("保存草稿 (Ctrl+S) is disabled in the editor")
	}
	test.Tap(e.closeBtn)
	if v.editor != nil || !h.d.menuSavePost.Disabled {
		t.Fatal("an untouched editor did not close")
	}
	e = h.newPost()
	test.Type(e.body, "半截")
	h.settleTimers()
	test.Tap(e.closeBtn)
	if e.discard == nil || v.editor != e {
		t.Fatal("closing with changes did not ask")
	}
	test.Tap(button(t, h.topOverlay(), "放弃修改"))
	h.r.settle(t)
	if v.editor != nil {
		t.Fatal("放弃修改 did not close the editor")
	}
	if _, _, ok, _ := h.d.session.AutosavedDraft(); ok {
		t.Error("the discarded changes are still autosaved")
	}
}

func TestLeaderOverridesWarning(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	h.posts()
	e := h.newPost()
	h.typeDraft(e, "工作动态", "根据内部文件精神，开展夜间巡逻。")
	test.Tap(e.submitBtn)
	h.r.settle(t)

	h.switchUser("li", leaderPassword)
	v := h.posts()
	dv := h.selectPost(v, "工作动态")
	if len(dv.pd.Open) != 1 {
		t.Fatalf("open warnings %+v", dv.pd.Open)
	}
	// Approving with an open warning is refused by the app, shown as is.
	test.Tap(button(t, dv.actions, "通过"))
	test.Tap(dv.dialog.submit)
	h.r.settle(t)
	if dv.dialog == nil || !labelWith(h.topOverlay(), "还有未说明理由的提醒") {
		t.Fatal("approving with an open warning was not refused")
	}
	dv.dialog.dlg.Hide()

	test.Tap(button(t, dv.page, "说明理由放行"))
	reason := entries(h.topOverlay())[0]
	test.Type(reason, "已公开")
	test.Tap(dv.dialog.submit)
	h.r.settle(t)
	if !labelWith(h.topOverlay(), "至少 4 个字") {
		t.Fatal("a short reason was not refused at its field")
	}
	test.Type(reason, "的文件")
	test.Tap(dv.dialog.submit)
	h.r.settle(t)
	if len(dv.pd.Open) != 0 {
		t.Fatalf("the warning is still open: %q", dv.msg.Text)
	}
	test.Tap(button(t, dv.actions, "通过"))
	test.Tap(dv.dialog.submit)
	h.r.settle(t)
	wantStatus(t, dv, app.Ready)

	// Ready, it can still be taken back: 退回修改, not 通过.
	if walk(dv.actions, func(o fyne.CanvasObject) bool { b, ok := o.(*widget.Button); return ok && b.Text == "通过" }) {
		t.Error("a ready post offers 通过")
	}
	test.Tap(button(t, dv.actions, "退回修改"))
	test.Type(entries(h.topOverlay())[0], "情况有变，暂缓发布。")
	test.Tap(dv.dialog.submit)
	h.r.settle(t)
	wantStatus(t, dv, app.Returned)
}

// TestOwnPostNotReviewable: a shift leader's own submitted post offers
// him no review actions (nobody approves their own draft, Art. 19); the
// app refuses it too (app's TestReview).
func TestOwnPostNotReviewable(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("li", leaderPassword)
	v := h.posts()
	e := h.newPost()
	h.typeDraft(e, "领导自己的稿件", "警民同心。")
	test.Tap(e.submitBtn)
	h.r.settle(t)
	wantStatus(t, v.detail, app.Submitted)
	for _, text := range []string{"通过", "退回修改", "说明理由放行"} {
		if walk(v.detail.content, func(o fyne.CanvasObject) bool {
			b, ok := o.(*widget.Button)
			return ok && strings.Contains(b.Text, text)
		}) {
			t.Errorf("the leader's own post offers %s", text)
		}
	}
}
