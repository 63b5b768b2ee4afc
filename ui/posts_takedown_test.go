package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

// publishThroughApp drafts, approves and publishes a post at the station
// at cfg through the app, as the officer and the shift leader would.
func publishThroughApp(t *testing.T, cfg app.Config, acc app.Account, title string) app.Post {
	t.Helper()
	as := func(name, password string, f func(s *app.Session) (app.Post, error)) app.Post {
		t.Helper()
		s, err := app.SignIn(cfg, name, password)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		p, err := f(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := as("zhang", officerPassword, func(s *app.Session) (app.Post, error) {
		p, err := s.SaveDraft(app.PostDraft{Title: title, Body: "天干物燥，请注意用火安全。", Category: "防范提示", Targets: []string{"weibo"}})
		if err != nil {
			return p, err
		}
		return s.Submit(p.ID)
	})
	as("li", leaderPassword, func(s *app.Session) (app.Post, error) { return s.Approve(p.ID, p.ContentHash, "") })
	return as("zhang", officerPassword, func(s *app.Session) (app.Post, error) {
		return s.Publish(p.ID, "weibo", acc.ID, "https://weibo.example/tangyin/1", time.Now())
	})
}

func hasButton(root fyne.CanvasObject, text string) bool {
	return walk(root, func(o fyne.CanvasObject) bool { b, ok := o.(*widget.Button); return ok && b.Text == text })
}

// TestTakeDownDialog: a shift leader takes a published post down from its
// detail; the officer is not offered it; the reason is required and
// Return in it never records; the time cannot precede publication; the
// post then shows 已撤下 with the reason, offers nothing more, and the
// status filter finds it.
func TestTakeDownDialog(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	acc := addLiveAccount(t, cfg, "weibo", "pa_tangyin")
	p := publishThroughApp(t, cfg, acc, "冬季防火提示")
	h := newHarness(t, cfg)

	// The officer sees the published post without 撤下….
	h.signIn("zhang", officerPassword)
	v := h.posts()
	dv := h.selectPost(v, "冬季防火提示")
	wantStatus(t, dv, app.Published)
	if hasButton(dv.actions, "撤下…") {
		t.Fatal("an officer is offered 撤下…")
	}

	h.switchUser("li", leaderPassword)
	v = h.posts()
	dv = h.selectPost(v, "冬季防火提示")
	test.Tap(button(t, dv.actions, "撤下…"))
	fd := dv.dialog
	if fd == nil || !labelWith(h.topOverlay(), "不能撤销") {
		t.Fatal("no 撤下 dialog saying it is final")
	}
	// No reason: refused at the reason, the dialog stays.
	test.Tap(fd.submit)
	h.r.settle(t)
	if dv.dialog == nil || !labelWith(h.topOverlay(), "请写明撤下原因") {
		t.Fatal("a take-down without a reason was not refused at the reason")
	}
	es := entries(h.topOverlay())
	if len(es) < 2 {
		t.Fatalf("%d entries in the dialog, want the reason and the time", len(es))
	}
	reason, at := es[0], es[1]
	if at.Text == "" {
		t.Error("the time is not filled in")
	}
	// Return while typing the reason (an input method sends it) only adds
	// a line.
	test.Type(reason, "按整改通知要求删除")
	reason.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Type(reason, "已另发更正")
	h.r.settle(t)
	if dv.dialog == nil || dv.pd.Post.Status != app.Published {
		t.Fatal("Return in the reason recorded the take-down")
	}
	// A time before publication is refused at the time.
	at.SetText(p.PublishedAt.Add(-time.Hour).Format("2006-01-02 15:04"))
	test.Tap(fd.submit)
	h.r.settle(t)
	if dv.dialog == nil || !labelWith(h.topOverlay(), "撤下时间不能早于发布时间") {
		t.Fatal("a time before publication was not refused at the time")
	}
	at.SetText("昨天")
	test.Tap(fd.submit)
	h.r.settle(t)
	if dv.dialog == nil || !labelWith(h.topOverlay(), "2026-01-31 09:30") {
		t.Fatal("an unreadable time was not refused at the time")
	}
	at.SetText(time.Now().Format("2006-01-02 15:04"))
	test.Tap(fd.submit)
	h.r.settle(t)
	wantStatus(t, dv, app.TakenDown)
	wantMessage(t, "taken down", dv.msg, "已登记撤下")
	if dv.pd.TakeDown == nil || dv.pd.TakeDown.Comment != "按整改通知要求删除\n已另发更正" {
		t.Fatalf("take-down step %+v", dv.pd.TakeDown)
	}
	if !labelWith(dv.page, "从平台撤下") || !labelWith(dv.page, "已另发更正") || !labelWith(dv.page, "发布于微博") {
		t.Error("the detail does not show the take-down with its reason and the publication")
	}
	for _, text := range []string{"撤下…", "录入数据", "编辑"} {
		if hasButton(dv.actions, text) {
			t.Errorf("a taken-down post offers %s", text)
		}
	}

	// The status filter lists it under 已撤下, not under 已发布.
	v.status.SetSelected("已发布")
	h.r.settle(t)
	if v.pages.count != 0 {
		t.Errorf("%d posts listed as published", v.pages.count)
	}
	v.status.SetSelected("已撤下")
	h.r.settle(t)
	if v.pages.count != 1 {
		t.Fatalf("%d posts listed as taken down, want 1", v.pages.count)
	}
}
