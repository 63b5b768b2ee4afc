package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mediadesk/app"
)

// Typed text is dropped only after the user agrees: 放弃修改 drops it,
// 取消 keeps it where it was.

// answerDiscard answers the question before unsaved changes are dropped:
// 放弃修改 when discard is set, else 取消.
func (h *harness) answerDiscard(discard bool) {
	h.t.Helper()
	label := "取消"
	if discard {
		label = "放弃修改"
	}
	top := h.topOverlay()
	if !labelWith(top, "还没有保存") {
		h.t.Fatal("the dialog on top is not the question about unsaved changes")
	}
	test.Tap(button(h.t, top, label))
	h.r.settle(h.t)
}

func TestAccountFormAsksBeforeDiscarding(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	s, err := app.SignIn(cfg, "li", leaderPassword)
	if err != nil {
		t.Fatal(err)
	}
	f := unitFilingForm(time.Now())
	if _, err := s.SaveAccountFiling(f); err != nil {
		t.Fatal(err)
	}
	s.Close()
	h := newHarness(t, cfg)
	h.signIn("li", leaderPassword)
	v := h.accounts()

	// An untouched form gives way without a question.
	test.Tap(v.newFiling)
	v.list.Select(0)
	if v.discard != nil || v.filing != nil || v.shown.Name != f.Name {
		t.Fatal("an untouched form did not give way to the account")
	}

	// With text typed, choosing an account asks; 取消 keeps the form.
	test.Tap(v.newFiling)
	ff := v.filing
	test.Type(ff.name, "平安汤阴新号")
	v.list.Select(0)
	if v.discard == nil {
		t.Fatal("choosing an account over a filled form did not ask")
	}
	h.answerDiscard(false)
	if v.filing != ff || ff.name.Text != "平安汤阴新号" || !contains(v.pane, ff.content) {
		t.Fatal("取消 did not keep the form and its text")
	}
	// 新建报备 and the form's own 取消 ask too.
	test.Tap(v.newFiling)
	if v.discard == nil {
		t.Fatal("新建报备 over a filled form did not ask")
	}
	h.answerDiscard(false)
	if v.filing != ff || ff.name.Text != "平安汤阴新号" {
		t.Fatal("取消 did not keep the form after 新建报备")
	}
	// 刷新 reads the list again but leaves the form as it is.
	v.refresh()
	if v.filing != ff || ff.name.Text != "平安汤阴新号" {
		t.Fatal("刷新 replaced the form")
	}
	test.Tap(ff.cancel)
	if v.discard == nil {
		t.Fatal("the form's 取消 did not ask")
	}
	h.answerDiscard(true)
	if v.filing != nil {
		t.Fatal("放弃修改 did not close the form")
	}

	// Editing an account: choosing it again after 放弃修改 shows it.
	test.Tap(v.newFiling)
	test.Type(v.filing.contact, "0372")
	v.list.Select(0)
	h.answerDiscard(true)
	if v.filing != nil || v.shown.Name != f.Name {
		t.Fatal("放弃修改 did not show the account chosen")
	}
}

// unitFilingForm is a complete filing of a unit Weibo account.
func unitFilingForm(day time.Time) app.AccountForm {
	return app.AccountForm{Action: "open", Platform: "weibo", Name: "平安汤阴城关", PlatformID: "pa_tangyin_cg",
		Kind: app.UnitAccount, Department: "城关派出所", Responsible: "王所长", Contact: "0372-5500000", FiledOn: day}
}

func TestLibraryTemplateAsksBeforeDiscarding(t *testing.T) {
	cfg := setUpHQWithStaff(t)
	s, err := app.SignIn(cfg, "zhou", hqStaffPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"户口迁移咨询", "身份证补办咨询"} {
		if _, err := s.SaveLibraryTemplate(app.TemplateForm{Category: "咨询答复", Title: title, Body: "{网民}您好！"}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	h := newHarness(t, cfg)
	h.signIn("zhou", hqStaffPassword)
	tv := h.library().templates
	if len(tv.rows) != 2 {
		t.Fatalf("%d templates listed", len(tv.rows))
	}
	tv.list.Select(0)
	first := tv.rows[0]
	if tv.shown.ID != first.ID || tv.discard != nil {
		t.Fatal("choosing a template with nothing typed asked or did not show it")
	}

	// Another template over an edit asks; 取消 keeps the edit.
	tv.body.SetText("{网民}您好！请携带身份证到{单位}户籍窗口办理。")
	tv.list.Select(1)
	if tv.discard == nil {
		t.Fatal("choosing another template over an edit did not ask")
	}
	h.answerDiscard(false)
	if tv.shown.ID != first.ID || tv.body.Text != "{网民}您好！请携带身份证到{单位}户籍窗口办理。" {
		t.Fatalf("取消 did not keep the edit: shown %q, text %q", tv.shown.Title, tv.body.Text)
	}
	// 新建口径 asks too; 放弃修改 gives an empty editor.
	test.Tap(tv.add)
	if tv.discard == nil {
		t.Fatal("新建口径 over an edit did not ask")
	}
	h.answerDiscard(true)
	if tv.shown.ID != "" || tv.body.Text != "" {
		t.Fatalf("放弃修改 did not start a new template: %+v", tv.shown)
	}
	// A new template being written is kept the same way.
	test.Type(tv.title, "新口径")
	tv.list.Select(1)
	h.answerDiscard(false)
	if tv.shown.ID != "" || tv.title.Text != "新口径" {
		t.Fatal("取消 did not keep the new template")
	}
	tv.list.Select(1)
	h.answerDiscard(true)
	if tv.shown.ID != tv.rows[1].ID || tv.title.Text != tv.rows[1].Title {
		t.Fatal("放弃修改 did not show the template chosen")
	}
}

func TestRatingNoteAsksBeforeDiscarding(t *testing.T) {
	h := newHarness(t, setUpHQInstall(t))
	h.signIn("admin", hqPassword)
	v := newAssessmentView(h.d)
	h.w.SetContent(v.content)
	p := v.ratings
	published := time.Date(2026, 10, 12, 9, 0, 0, 0, time.Local)
	p.posts = []app.PostToRate{
		{ID: "p1", UnitName: "城关派出所", Title: "冬季防火提示", PublishedAt: published, Rating: 4, Note: "贴近群众"},
		{ID: "p2", UnitName: "菜园派出所", Title: "反诈宣传进校园", PublishedAt: published},
	}
	p.list.Refresh()
	p.list.Select(0)
	if p.note.Text != "贴近群众" || p.score.Selected != "4" {
		t.Fatalf("the first post's rating is not shown: %q %q", p.score.Selected, p.note.Text)
	}

	// Another post over a note being typed asks; 取消 keeps the note.
	p.note.SetText(p.note.Text + "，图文并茂")
	p.list.Select(1)
	if p.discard == nil {
		t.Fatal("choosing another post over a note being typed did not ask")
	}
	h.answerDiscard(false)
	if p.chosen != 0 || p.note.Text != "贴近群众，图文并茂" {
		t.Fatalf("取消 did not keep the note: post %d, note %q", p.chosen, p.note.Text)
	}
	p.list.Select(1)
	h.answerDiscard(true)
	if p.chosen != 1 || p.note.Text != "" || p.score.Selected != "" {
		t.Fatalf("放弃修改 did not show the other post: post %d, note %q", p.chosen, p.note.Text)
	}
	// With nothing changed, choosing a post asks nothing.
	p.list.Select(0)
	if p.discard != nil || p.chosen != 0 {
		t.Fatal("an unchanged rating asked before another post")
	}

	// Another period over a note being typed asks too; 取消 chooses the
	// period again and keeps the note, 放弃修改 lists the other period.
	period := v.period.Selected
	p.note.SetText("换期前写的评语")
	v.period.SetSelected(v.period.Options[0])
	if p.discard == nil {
		t.Fatal("choosing another period over a note being typed did not ask")
	}
	h.answerDiscard(false)
	if v.period.Selected != period || p.chosen != 0 || p.note.Text != "换期前写的评语" {
		t.Fatalf("取消 did not keep the period and the note: %q, post %d, note %q", v.period.Selected, p.chosen, p.note.Text)
	}
	v.period.SetSelected(v.period.Options[0])
	h.answerDiscard(true)
	if p.key != v.key() || p.chosen != -1 || p.note.Text != "" {
		t.Fatalf("放弃修改 did not list the other period: %q for %q, post %d", p.key, v.key(), p.chosen)
	}
}

// TestDetailKeepsTypedComment: a comment being typed survives the detail
// being read again (刷新, or an action on the post).
func TestDetailKeepsTypedComment(t *testing.T) {
	h, v, e := officerDrafting(t, "冬季防火提示", "天干物燥，请注意用火安全。")
	test.Tap(e.saveBtn)
	h.r.settle(t)
	test.Tap(e.closeBtn)
	dv := h.selectPost(v, "冬季防火提示")

	test.Type(dv.comment, "请李所长把关")
	test.Tap(button(t, dv.actions, "刷新"))
	h.r.settle(t)
	if dv.comment.Text != "请李所长把关" {
		t.Fatalf("刷新 lost the comment: %q", dv.comment.Text)
	}
	test.Tap(button(t, dv.actions, "送审"))
	h.r.settle(t)
	wantStatus(t, dv, app.Submitted)
	if dv.comment.Text != "请李所长把关" {
		t.Fatalf("送审 lost the comment: %q", dv.comment.Text)
	}
	// Sent, it leaves the entry.
	test.Tap(dv.send)
	h.r.settle(t)
	if dv.comment.Text != "" || len(dv.pd.Comments) != 1 {
		t.Fatalf("after 发表: entry %q, %d comments", dv.comment.Text, len(dv.pd.Comments))
	}
}

// TestEditorDiscardAfterQueuedAutosave: 放弃修改 while autosaves of the
// text are still queued drops the working copy after them, so it is not
// offered again.
func TestEditorDiscardAfterQueuedAutosave(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	h.posts()
	e := h.newPost()
	test.Type(e.body, "第一段")
	h.timers.fire() // an autosave starts
	test.Type(e.body, "，第二段")
	h.timers.fire() // the next waits behind it
	test.Tap(e.closeBtn)
	test.Tap(button(t, h.topOverlay(), "放弃修改"))
	h.r.settle(t)
	if d, _, ok, _ := h.d.session.AutosavedDraft(); ok {
		t.Fatalf("the discarded text is still autosaved: %q", d.Body)
	}
}

// TestEditorClosedIgnoresLateImage: an image that finishes attaching after
// the editor closed schedules no autosave.
func TestEditorClosedIgnoresLateImage(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	v := h.posts()
	e := h.newPost()
	v.dropped(fyne.Position{}, []fyne.URI{writePNGFile(t, t.TempDir(), "late.png", 8, 8)})
	test.Tap(e.closeBtn) // nothing changed yet: it closes at once
	if v.editor != nil {
		t.Fatal("the untouched editor did not close")
	}
	h.r.settle(t) // the image is attached now
	h.settleTimers()
	if d, _, ok, _ := h.d.session.AutosavedDraft(); ok {
		t.Fatalf("a closed editor autosaved a working copy: %+v", d)
	}
	if e.dirty || len(e.images) != 0 {
		t.Error("the closed editor took the image")
	}
}
