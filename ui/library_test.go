package ui

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"golang.org/x/text/encoding/simplifiedchinese"

	"mediadesk/app"
)

const hqStaffPassword = "hq-staff-pass-1"

// setUpHQWithStaff makes an HQ install with admin "admin" (the section
// chief) and staff member "zhou".
func setUpHQWithStaff(t *testing.T) app.Config {
	t.Helper()
	cfg := setUpHQInstall(t)
	s, err := app.SignIn(cfg, "admin", hqPassword)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.AddUser(app.NewUser{Name: "zhou", DisplayName: "周干事", Role: app.HQStaff, Password: hqStaffPassword}); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// library opens 口径词库 and waits for both tabs to read.
func (h *harness) library() *libraryView {
	h.t.Helper()
	v, ok := h.area("nav.library").(*libraryView)
	if !ok {
		h.t.Fatal("口径词库 is not the library")
	}
	h.r.settle(h.t)
	return v
}

func TestLibraryLexiconAddAndPublish(t *testing.T) {
	h := newHarness(t, setUpHQInstall(t))
	h.signIn("admin", hqPassword)
	lib := h.library()
	lib.tabs.SelectIndex(1)
	lv := lib.lexicon
	wantMessage(t, "in use", lv.inUse, "在用版本：builtin-1")
	if len(lv.terms) < 300 || len(lv.versions) != 0 {
		t.Fatalf("%d terms, %d versions", len(lv.terms), len(lv.versions))
	}
	if !lv.edit.Disabled() || !lv.retire.Disabled() {
		t.Error("编辑 and 停用 are enabled with no term selected")
	}

	// An empty term is refused at its field; then the term is added.
	test.Tap(lv.add)
	e := lv.editor
	if e == nil {
		t.Fatal("no term dialog")
	}
	h.submit(e.dialog)
	wantMessage(t, "empty term", fieldMessage(t, e.dialog.form, "term"), "请填写词条")
	test.Type(e.term, "夜巡路线")
	h.submit(e.dialog)
	wantMessage(t, "no category", fieldMessage(t, e.dialog.form, "category"), "请选择类别")
	codes, _ := lv.categoryOptions()
	e.category.SetSelectedIndex(slices.Index(codes, "art18.2"))
	e.action.SetSelected("需审批")
	h.submit(e.dialog)
	if lv.editor != nil {
		t.Fatalf("the dialog stayed open: %q", e.dialog.form.msg.Text)
	}
	wantMessage(t, "saved", lv.msg, "已保存：夜巡路线")
	wantMessage(t, "unpublished", lv.inUse, "有未发布的修改")

	// Found by search, shown with its category and action.
	test.Type(lv.search, "夜巡")
	h.r.settle(t)
	if len(lv.terms) != 1 || lv.terms[0].Term != "夜巡路线" || lv.terms[0].Action != "NEEDS_APPROVAL" {
		t.Fatalf("search found %+v", lv.terms)
	}
	if !labelWith(lv.list, "第十八条第（二）项") || !labelWith(lv.list, "需审批") {
		t.Error("the row does not show the category and action")
	}
	lv.list.Select(0)
	if lv.edit.Disabled() {
		t.Error("编辑 is disabled on a selected term")
	}

	// Publishing needs a note; then version 1 is in use.
	test.Tap(lv.publish)
	pd := lv.notes
	h.submit(pd)
	wantMessage(t, "no note", fieldMessage(t, pd.form, "note"), "本版改动")
	test.Type(lv.noteText, "新增夜巡路线")
	h.submit(pd)
	if lv.notes != nil {
		t.Fatalf("the publish dialog stayed open: %q", pd.form.msg.Text)
	}
	wantMessage(t, "published", lv.msg, "已发布第 1 版")
	wantMessage(t, "in use after publishing", lv.inUse, "在用版本：hq-1")
	if len(lv.versions) != 1 || !labelWith(lv.history, "第 1 版（hq-1）") || !labelWith(lv.history, "新增夜巡路线") {
		t.Fatalf("history %+v", lv.versions)
	}
	if fs := h.d.session.CheckText("今晚夜巡路线调整"); len(fs) != 1 || fs[0].LexiconVersion != "hq-1" {
		t.Errorf("HQ's checker after publishing: %+v", fs)
	}

	// Nothing changed: publishing again is refused in the dialog.
	test.Tap(lv.publish)
	pd = lv.notes
	test.Type(lv.noteText, "再发一次")
	h.submit(pd)
	wantMessage(t, "unchanged", pd.form.msg, "没有变化")
}

func TestLibraryImportPreview(t *testing.T) {
	h := newHarness(t, setUpHQInstall(t))
	h.signIn("admin", hqPassword)
	lib := h.library()
	lib.tabs.SelectIndex(1)
	lv := lib.lexicon
	before := len(lv.terms)

	// One bad line: the preview names it and 导入 stays disabled.
	lv.openPreview("补充词条.txt", []byte("夜巡路线\n卡口位置\tart18.2\t禁止\n布控名单\tart99\n涉密\n"))
	h.r.settle(t)
	p := lv.preview
	if p == nil {
		t.Fatal("no preview")
	}
	wantMessage(t, "counts", p.counts, "新增 2 条 · 已有 1 条 · 错误 1 行")
	wantMessage(t, "blocked", p.blocked, "整份清单不会导入")
	if !p.apply.Disabled() {
		t.Fatal("导入 is enabled although a line has an error")
	}
	top := h.topOverlay()
	if !labelWith(top, "第 3 行") || !labelWith(top, "类别“art99”无法识别") {
		t.Error("the preview does not show the bad line and its reason")
	}
	test.Tap(p.cancel)
	if lv.preview != nil {
		t.Fatal("the preview stayed open")
	}
	if terms, _ := h.d.session.LexiconTerms("", false); len(terms) != before {
		t.Fatal("a refused preview changed the working list")
	}

	// Fixed, and saved as GBK: read as GB18030, said so, and imported
	// with the default action chosen in the preview.
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("夜巡路线\n卡口位置\tart18.2\t禁止\n涉密\n"))
	if err != nil {
		t.Fatal(err)
	}
	lv.openPreview("补充词条.txt", gbk)
	h.r.settle(t)
	p = lv.preview
	if !labelWith(h.topOverlay(), "GB18030") {
		t.Error("the preview does not say the file was read as GB18030")
	}
	p.defAction.SetSelected("禁止")
	h.r.settle(t)
	if p.apply.Disabled() || p.apply.Text != "导入 2 条" {
		t.Fatalf("导入 is %q (disabled %v)", p.apply.Text, p.apply.Disabled())
	}
	test.Tap(p.apply)
	h.r.settle(t)
	if lv.preview != nil {
		t.Fatalf("the preview stayed open: %q", p.form.msg.Text)
	}
	wantMessage(t, "imported", lv.msg, "已导入 2 条")
	found, _ := h.d.session.LexiconTerms("夜巡路线", false)
	if len(found) != 1 || found[0].Action != "BLOCK" || found[0].Category != "art18.12" {
		t.Errorf("imported %+v", found)
	}
	if len(lv.terms) != before+2 {
		t.Errorf("the list shows %d terms, want %d", len(lv.terms), before+2)
	}
}

func TestLibraryTemplateReviewAndPublish(t *testing.T) {
	h := newHarness(t, setUpHQWithStaff(t))
	h.signIn("zhou", hqStaffPassword)
	tv := h.library().templates
	if !labelWith(tv.listMsg, "还没有回复口径") {
		t.Error("the empty library says nothing")
	}

	// A misspelt placeholder is refused at the text.
	test.Tap(tv.add)
	tv.cat.SetText("咨询答复")
	test.Type(tv.title, "户口迁移咨询")
	test.Type(tv.body, "{网友}您好")
	test.Tap(tv.save)
	h.r.settle(t)
	wantMessage(t, "placeholder", fieldMessage(t, tv.form, "body"), "{网民}")
	tv.body.SetText("{网民}您好！户口迁移请到{单位}户籍窗口办理。")
	test.Tap(tv.save)
	h.r.settle(t)
	if tv.shown.Status != app.TemplateDraft || tv.shown.Version != 1 || len(tv.rows) != 1 {
		t.Fatalf("saved %+v, %d rows", tv.shown, len(tv.rows))
	}
	wantMessage(t, "saved", tv.form.msg, "已保存为草稿")
	if !labelWith(tv.list, "咨询答复 · 草稿 · 版本 1") {
		t.Error("the row does not show category, status and version")
	}
	// Staff send it for review but cannot approve it.
	if tv.approve.Visible() || !tv.submit.Visible() || tv.publish.Visible() {
		t.Fatal("a staff member's buttons on a draft are wrong")
	}
	tv.title.SetText("户口迁移咨询答复")
	test.Tap(tv.submit)
	wantMessage(t, "unsaved", tv.form.msg, "请先保存")
	tv.title.SetText("户口迁移咨询")
	test.Tap(tv.submit)
	h.r.settle(t)
	if tv.shown.Status != app.TemplateReview || tv.approve.Visible() || tv.submit.Visible() {
		t.Fatalf("after 送审 %+v (approve shown %v)", tv.shown, tv.approve.Visible())
	}
	wantMessage(t, "review hint", tv.state, "等待科长审核")
	if _, err := h.d.session.ApproveTemplate(tv.shown.ID, tv.shown.Version); err == nil {
		t.Fatal("a staff member approved a template")
	}

	// The section chief approves; then it is published.
	h.switchUser("admin", hqPassword)
	tv = h.library().templates
	tv.list.Select(0)
	if tv.shown.Status != app.TemplateReview || !tv.approve.Visible() {
		t.Fatalf("the chief sees %+v (approve shown %v)", tv.shown, tv.approve.Visible())
	}
	test.Tap(tv.approve)
	h.r.settle(t)
	if tv.shown.Status != app.TemplateApproved || !tv.publish.Visible() {
		t.Fatalf("after approval %+v", tv.shown)
	}
	test.Tap(tv.publish)
	h.r.settle(t)
	if tv.shown.Status != app.TemplatePublished || tv.shown.Version != 4 {
		t.Fatalf("after publishing %+v", tv.shown)
	}
	wantMessage(t, "published", tv.form.msg, "已发布：户口迁移咨询")
	wantMessage(t, "edit hint", tv.state, "各所队继续使用上次发布的文本")

	// Retiring asks first.
	test.Tap(tv.retire)
	if tv.confirm == nil {
		t.Fatal("停用 did not ask")
	}
	tv.confirm.Confirm()
	h.r.settle(t)
	if tv.shown.Status != app.TemplateRetired || tv.save.Visible() || len(tv.rows) != 0 {
		t.Fatalf("after retiring %+v, %d rows", tv.shown, len(tv.rows))
	}
}

// TestStationPickerOffersHQTemplates: a template HQ published reaches the
// station and shows in the reply editor's 插入口径, marked as HQ's.
func TestStationPickerOffersHQTemplates(t *testing.T) {
	c := setUpCounty(t, 1)
	body := "{网民}您好！交通违法请向{渠道}举报，感谢支持。"
	c.as(c.hq, "admin", adminPassword, func(s *app.Session) error {
		tp, err := s.SaveLibraryTemplate(app.TemplateForm{Category: "非本机关职权引导", Title: "交通违法举报渠道", Body: body})
		if err == nil {
			tp, err = s.ApproveTemplate(tp.ID, tp.Version)
		}
		if err == nil {
			_, err = s.PublishTemplate(tp.ID, tp.Version)
		}
		return err
	})
	dir, err := os.MkdirTemp(c.stick, "hq-")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	c.as(c.hq, "admin", adminPassword, func(s *app.Session) (err error) {
		files, err = s.ExportBundles(context.Background(), dir, "st1", nil)
		return err
	})
	c.as(c.stations[0], "admin", adminPassword, func(s *app.Session) error {
		for _, r := range s.ImportBundles(context.Background(), files, nil) {
			if r.Result != app.Imported {
				return r.Err
			}
		}
		return nil
	})

	h := newHarness(t, c.stations[0])
	h.signIn("zhang", officerPassword)
	m, err := h.d.session.ReceiveMessage(app.MessageForm{Platform: "douyin", Handle: "抖音网友", ReceivedAt: time.Now().Add(-time.Hour),
		Type: app.Report, Content: "路口有车辆闯红灯"})
	if err != nil {
		t.Fatal(err)
	}
	v := h.messages()
	v.detail.show(m.ID)
	h.r.settle(t)
	md := h.step(v, "非本机关职权…")
	want := "非本机关职权引导 · 交通违法举报渠道（宣传科）"
	i := slices.Index(md.picker.Options, want)
	if i < 0 {
		t.Fatalf("the picker offers %v", md.picker.Options)
	}
	test.Type(md.channel, "交警大队")
	md.picker.SetSelectedIndex(i)
	test.Tap(md.insert)
	if !strings.Contains(md.reply.Text, "抖音网友您好！交通违法请向交警大队举报") {
		t.Errorf("inserted %q", md.reply.Text)
	}
}
