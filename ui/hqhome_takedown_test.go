package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

// cardTitled finds the card titled title inside root.
func cardTitled(t *testing.T, root fyne.CanvasObject, title string) *widget.Card {
	t.Helper()
	var card *widget.Card
	walk(root, func(o fyne.CanvasObject) bool {
		if c, ok := o.(*widget.Card); ok && c.Title == title {
			card = c
		}
		return card != nil
	})
	if card == nil {
		t.Fatalf("no card %q", title)
	}
	return card
}

// liveCountyAccount files a unit account at the station at cfg, has HQ
// accept it and brings the decision back: the account may be published on.
func (c *testCounty) liveCountyAccount(cfg app.Config, platform, platformID string) app.Account {
	c.t.Helper()
	c.fileAccount(cfg, platform, "平安汤阴城关", platformID)
	c.syncToHQ(cfg)
	var down []string
	c.as(c.hq, "admin", adminPassword, func(s *app.Session) error {
		q, err := s.FilingQueue(app.FilingsToDecide)
		if err != nil || len(q) != 1 {
			return fmt.Errorf("filings to decide %+v %v", q, err)
		}
		if _, err := s.DecideFiling(q[0].ID, app.StepAccept, ""); err != nil {
			return err
		}
		down, err = s.ExportBundles(context.Background(), c.stick, "st1", nil)
		return err
	})
	var acc app.Account
	c.as(cfg, "admin", adminPassword, func(s *app.Session) error {
		for _, r := range s.ImportBundles(context.Background(), down, nil) {
			if r.Err != nil {
				return r.Err
			}
		}
		accs, err := s.Accounts()
		if err != nil || len(accs) != 1 {
			return fmt.Errorf("accounts %+v %v", accs, err)
		}
		acc = accs[0]
		return nil
	})
	return acc
}

// TestHQHomeTakenDown: HQ's home says when no post was taken down, and
// once a station's bundle brings a take-down lists it under 近期撤下的稿件
// with the station, title, time, reason, platform, who and the link.
func TestHQHomeTakenDown(t *testing.T) {
	c := setUpCounty(t, 1)
	st := c.stations[0]
	acc := c.liveCountyAccount(st, "weibo", "pa_chengguan")
	p := publishThroughApp(t, st, acc, "冬季防火提示")
	c.syncToHQ(st)

	h := newHarness(t, c.hq)
	h.signIn("admin", adminPassword)
	today := h.d.shell.home.today
	if card := cardTitled(t, today, "近期撤下的稿件"); !showsText(card, "近 30 天没有所队撤下稿件") {
		t.Error("the empty card does not say there are none")
	}

	at := time.Now()
	c.as(st, "li", leaderPassword, func(s *app.Session) error {
		_, err := s.TakeDown(p.ID, app.TakeDownForm{Reason: "电话号码有误\n已另发更正", At: at})
		return err
	})
	// HQ's desk holds its data directory: it imports the bundle itself.
	var files []string
	c.as(st, "admin", adminPassword, func(s *app.Session) (err error) {
		files, err = s.ExportBundles(context.Background(), t.TempDir(), "", nil)
		return err
	})
	for _, r := range h.d.session.ImportBundles(context.Background(), files, nil) {
		if r.Result != app.Imported {
			t.Fatalf("import %s: %s %v", r.File, r.Result, r.Err)
		}
	}
	h.d.shell.showArea("nav.matrix")
	h.d.shell.showArea("nav.home")
	card := cardTitled(t, today, "近期撤下的稿件")
	for _, want := range []string{"城关派出所 · 冬季防火提示 · " + at.Format("2006-01-02 15:04") + " 撤下 · 电话号码有误 已另发更正",
		"发布于微博", "登记撤下", "https://weibo.example/tangyin/1"} {
		if !showsText(card, want) {
			t.Errorf("the take-down card does not show %q", want)
		}
	}
	if showsText(card, "没有所队撤下稿件") {
		t.Error("the card still says there are none")
	}
}
