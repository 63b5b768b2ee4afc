package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// homeCount returns the number the home shows above the counter key.
func homeCount(t *testing.T, h *harness, key string) string {
	t.Helper()
	var n string
	walk(h.d.shell.home.today, func(o fyne.CanvasObject) bool {
		c, ok := o.(*fyne.Container)
		if !ok || len(c.Objects) != 2 {
			return false
		}
		num, ok1 := c.Objects[0].(*widget.Label)
		btn, ok2 := c.Objects[1].(*widget.Button)
		if ok1 && ok2 && btn.Text == i18n.L(key) {
			n = num.Text
			return true
		}
		return false
	})
	if n == "" {
		t.Fatalf("no home counter %s", key)
	}
	return n
}

func TestStationHomeShowsWhatNeedsMe(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	s, err := app.SignIn(cfg, "zhang", officerPassword)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.SaveDraft(app.PostDraft{Title: "冬季防火提示", Body: "请注意用火安全。", Category: app.DefaultPostCategories[0], Targets: []string{"weibo"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submit(p.ID); err != nil {
		t.Fatal(err)
	}
	s.Close()

	h := newHarness(t, cfg)
	h.signIn("li", leaderPassword)
	if got := homeCount(t, h, "home.count.to_review"); got != "1" {
		t.Fatalf("to review: %s, want 1", got)
	}
	if got := homeCount(t, h, "home.count.overdue"); got != "0" {
		t.Errorf("overdue: %s, want 0", got)
	}
	if !walk(h.d.shell.home.today, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && l.Text == i18n.L("home.sync.never")
	}) {
		t.Error("the home does not say the desk has never synced")
	}

	// 打开 opens the post in 稿件 for review.
	test.Tap(button(t, h.d.shell.home.today, i18n.L("home.open")))
	h.r.settle(t)
	if h.d.shell.openKey() != "nav.posts" || h.d.shell.posts.detail.id != p.ID {
		t.Fatalf("open went to %s, post %q", h.d.shell.openKey(), h.d.shell.posts.detail.id)
	}

	// Once reviewed, going home shows nothing left to review.
	detail, err := h.d.session.Post(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.d.session.Approve(p.ID, detail.Post.ContentHash, "同意"); err != nil {
		t.Fatal(err)
	}
	h.d.shell.showArea("nav.home")
	if got := homeCount(t, h, "home.count.to_review"); got != "0" {
		t.Errorf("after approving: to review %s, want 0", got)
	}
	if got := homeCount(t, h, "home.count.ready"); got != "1" {
		t.Errorf("after approving: ready %s, want 1", got)
	}
}
