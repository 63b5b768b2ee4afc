package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"mediadesk/app"
)

// TestQuitKeepsWorkingCopyAndAsksWhileBusy: quitting keeps what was typed
// in the editor (before its autosave came due), and asks first while
// work runs in the background.
func TestQuitKeepsWorkingCopyAndAsksWhileBusy(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.d.run = h.d.counted(h.r.run)
	h.signIn("zhang", officerPassword)
	e := h.newPost()
	test.Type(e.title, "刚输入、尚未自动保存的标题")
	h.d.requestQuit()
	if h.d.quitAsk != nil {
		t.Fatal("asked before quitting with nothing running")
	}
	d, _, ok, err := h.d.session.AutosavedDraft()
	if err != nil || !ok || d.Title != "刚输入、尚未自动保存的标题" {
		t.Fatalf("working copy at quit: %q %v %v", d.Title, ok, err)
	}

	// An export under way: quitting asks; 取消 keeps the window.
	h.d.run(func() {}, func() {})
	if h.d.pending != 1 {
		t.Fatalf("%d pieces of work counted, want 1", h.d.pending)
	}
	h.d.requestQuit()
	if h.d.quitAsk == nil || !labelWith(h.topOverlay(), "仍有操作在进行") {
		t.Fatal("no question before quitting while work runs")
	}
	test.Tap(button(t, h.topOverlay(), "取消"))
	if h.d.quitAsk != nil {
		t.Fatal("the question stayed after 取消")
	}
	h.r.settle(t)
	if h.d.pending != 0 {
		t.Fatalf("%d pieces of work still counted after they ended", h.d.pending)
	}
}

// TestQuitWatchdogClosesAndExits: when Fyne's Run does not return after
// quitting (a hang at exit in Fyne 2.7.1), the watchdog closes the store,
// so its folder is not left locked, and ends the process with the exit
// code.
func TestQuitWatchdogClosesAndExits(t *testing.T) {
	defer func(g time.Duration) { quitGrace = g }(quitGrace)
	quitGrace = 20 * time.Millisecond
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	exited := make(chan int, 1)
	h.d.exit = func(code int) { exited <- code }
	h.d.exitCode = 3
	h.d.quit()
	select {
	case code := <-exited:
		if code != 3 {
			t.Fatalf("exit code %d, want 3", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the watchdog did not end the process")
	}
	// The store is closed: the folder opens again.
	s, err := app.SignIn(cfg, "admin", adminPassword)
	if err != nil {
		t.Fatalf("the data folder after the watchdog: %v", err)
	}
	s.Close()
}
