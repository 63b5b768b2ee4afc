package ui

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
	mdtheme "mediadesk/ui/theme"
)

// cheap key derivation keeps the GUI tests fast.
var cheap = app.StoreOptions{KDF: app.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}}

const adminPassword = "station-pass-1"

func TestMain(m *testing.M) {
	if err := i18n.Use(i18n.Chinese); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// clock is a hand-moved clock for the idle timer.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// runner runs background work on real goroutines but hands the UI part
// back to the test goroutine, in settle.
type runner struct {
	pending int
	done    chan func()
}

func (r *runner) run(work, done func()) {
	r.pending++
	go func() {
		work()
		r.done <- done
	}()
}

// settle waits for all background work and runs its UI part.
func (r *runner) settle(t *testing.T) {
	t.Helper()
	for r.pending > 0 {
		select {
		case f := <-r.done:
			r.pending--
			f()
		case <-time.After(20 * time.Second):
			t.Fatal("background work did not finish")
		}
	}
}

// timers stand in for desk.after: nothing fires until the test calls
// fire.
type timers struct{ pending []*timer }

type timer struct {
	delay   time.Duration
	f       func()
	stopped bool
}

func (ts *timers) after(delay time.Duration, f func()) func() {
	t := &timer{delay: delay, f: f}
	ts.pending = append(ts.pending, t)
	return func() { t.stopped = true }
}

// fire runs every pending timer that was not stopped, as if its delay
// had passed.
func (ts *timers) fire() {
	pending := ts.pending
	ts.pending = nil
	for _, t := range pending {
		if !t.stopped {
			t.f()
		}
	}
}

// harness is a desk in a test window.
type harness struct {
	t      *testing.T
	d      *desk
	w      fyne.Window
	r      *runner
	clock  *clock
	timers *timers
}

func testConfig(t *testing.T) app.Config {
	return app.Config{Dir: t.TempDir(), Store: cheap}
}

func newHarness(t *testing.T, cfg app.Config) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(mdtheme.New(mdtheme.Light))
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(windowSize) // the window's first size
	h := &harness{t: t, w: w, r: &runner{done: make(chan func(), 16)},
		clock: &clock{t: time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)}, timers: &timers{}}
	h.d = newDesk(a, w, cfg, i18n.Chinese)
	h.d.exit = func(int) {} // quit's watchdog must not end the test binary
	h.d.now = h.clock.now
	h.d.run = h.r.run
	h.d.after = h.timers.after
	t.Cleanup(func() {
		h.r.settle(t)
		h.d.close()
	})
	return h
}

// setUpStation makes a station install with admin "admin" and returns its
// config and recovery key.
func setUpStation(t *testing.T) (app.Config, string) {
	t.Helper()
	cfg := testConfig(t)
	s, key, err := app.Setup(cfg, app.SetupRequest{Kind: app.Station, UnitName: "城关派出所", AdminName: "admin",
		AdminDisplayName: "王所长", Password: adminPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return cfg, key
}

// signIn starts the desk and signs in through the login screen.
func (h *harness) signIn(name, password string) {
	h.t.Helper()
	h.d.start("")
	l := h.d.login
	if l == nil {
		h.t.Fatal("no login screen")
	}
	test.Type(l.name, name)
	test.Type(l.password, password)
	test.Tap(l.submit)
	h.r.settle(h.t)
	if h.d.shell == nil {
		h.t.Fatalf("not signed in: %q", l.form.msg.Text)
	}
}

// settings opens 设置 and returns its view.
func (h *harness) settings() *settingsView {
	h.t.Helper()
	h.d.shell.showArea("nav.settings")
	if h.d.shell.settings == nil {
		h.t.Fatal("settings not built")
	}
	return h.d.shell.settings
}

// walk calls f on o and everything inside it, widgets' parts included,
// until f returns true.
func walk(o fyne.CanvasObject, f func(fyne.CanvasObject) bool) bool {
	if o == nil {
		return false
	}
	if f(o) {
		return true
	}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			if walk(c, f) {
				return true
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			if walk(c, f) {
				return true
			}
		}
	}
	return false
}

// contains reports whether obj is inside root.
func contains(root, obj fyne.CanvasObject) bool {
	return walk(root, func(o fyne.CanvasObject) bool { return o == obj })
}

// button finds the visible button labelled text inside root.
func button(t *testing.T, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(root, func(o fyne.CanvasObject) bool {
		b, ok := o.(*widget.Button)
		if ok && b.Text == text && b.Visible() {
			found = b
		}
		return found != nil
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

// topOverlay is the dialog on top, failing when none is open.
func (h *harness) topOverlay() fyne.CanvasObject {
	h.t.Helper()
	top := h.w.Canvas().Overlays().Top()
	if top == nil {
		h.t.Fatal("no dialog open")
	}
	return top
}

// wantMessage checks that l shows a message containing want.
func wantMessage(t *testing.T, what string, l *widget.Label, want string) {
	t.Helper()
	if !l.Visible() || !strings.Contains(l.Text, want) {
		t.Errorf("%s: message %q (visible %v), want it to contain %q", what, l.Text, l.Visible(), want)
	}
}

// wantNoMessage checks that l shows nothing.
func wantNoMessage(t *testing.T, what string, l *widget.Label) {
	t.Helper()
	if l.Visible() {
		t.Errorf("%s: unexpected message %q", what, l.Text)
	}
}
