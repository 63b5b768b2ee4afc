// Package ui is Media Desk's window: the first-run wizard, the login,
// the shell with its navigation and status bar, the lock screen and
// auto-lock, 稿件 at a station (the post list, the editor with the content
// checker, the detail with review, publication and numbers), the settings
// with the user admin and the audit trail. It shows and asks; what is
// allowed and valid is decided by package app.
package ui

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver"
	fynetheme "fyne.io/fyne/v2/theme"

	"mediadesk/app"
	"mediadesk/icons"
	"mediadesk/ui/i18n"
	mdtheme "mediadesk/ui/theme"
)

// appID is the Fyne application ID (FyneApp.toml has the same).
const appID = "cn.tangyin.police.mediadesk"

// windowSize is the window's first size, without its title bar: it fits
// the work area of a 1366×768 screen (768 less a Windows task bar of 40 to
// 48 and a title bar of about 31 leaves 689 to 697) with room to spare.
var windowSize = fyne.NewSize(1280, 660)

// Keys of the UI preferences, kept by Fyne per user (not in the store:
// they are needed before sign-in).
const (
	prefLanguage = "ui.language" // "zh" or "en"
	prefTheme    = "ui.theme"    // "system", "light" or "dark"
)

// languagePref is the language chosen in the settings (default Chinese).
func languagePref(p fyne.Preferences) i18n.Language {
	if i18n.Language(p.String(prefLanguage)) == i18n.English {
		return i18n.English
	}
	return i18n.Chinese
}

// themePref is the appearance chosen in the settings (default: follow the
// system).
func themePref(p fyne.Preferences) mdtheme.Variant {
	switch v := mdtheme.Variant(p.String(prefTheme)); v {
	case mdtheme.Light, mdtheme.Dark:
		return v
	}
	return mdtheme.System
}

// Main opens the window and returns the process exit code when it
// closes. args are the process arguments after the program name:
//
//	--data DIR   the data directory (default app.DefaultDataDir())
//	--as NAME    the user name: filled into the login, and the user
//	             signed in in smoke mode
//
// Smoke mode (make smoke): with MEDIADESK_SMOKE_SHOT=/path.png set, Main
// signs in as --as (or the first admin whose password it is) with the
// password in MEDIADESK_PASSWORD, shows the shell, captures the window to
// the PNG once it has rendered, and quits; exit code 0 only when the PNG
// was written, else 1 with a one-line message on stderr.
//
// Screenshot mode (make screenshots): with MEDIADESK_SMOKE_AREAS set,
// Main shows each area it names in turn and captures each to a PNG, then
// quits (smoke.go).
//
// IME check mode (make ime-check): with MEDIADESK_IME_CHECK=/path.txt set,
// Main signs in the same way, opens a new draft in 稿件 and writes what
// the focused entry holds to the file every half second (imecheck.go).
func Main(args []string) int {
	// GLFW reads the locale when it starts; without a UTF-8 locale X input
	// methods (XIM) swallow keys.
	if os.Getenv("LANG") == "" {
		_ = os.Setenv("LANG", "C.UTF-8")
	}
	fs := flag.NewFlagSet("mediadesk", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dir := fs.String("data", "", "")
	as := fs.String("as", "", "")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(os.Stderr, "mediadesk: %v；运行 mediadesk help 查看用法 / run mediadesk help for usage\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "mediadesk: 多余的参数 %q；运行 mediadesk help 查看用法 / unexpected argument %q: run mediadesk help for usage\n", fs.Arg(0), fs.Arg(0))
		return 2
	}
	if *dir == "" {
		d, err := app.DefaultDataDir()
		if err != nil {
			fmt.Fprintf(os.Stderr, "mediadesk: %s\n", oneLine(err.Error()))
			return 1
		}
		*dir = d
	}
	cfg := app.Config{Dir: *dir}
	a := fyneapp.NewWithID(appID)
	if os.Getenv("GOGC") == "" {
		tuneCollector(a)
	}
	a.SetIcon(fyne.NewStaticResource("mediadesk-144.png", icons.Icon144PNG))
	lang := languagePref(a.Preferences())
	if err := i18n.Use(lang); err != nil {
		fmt.Fprintf(os.Stderr, "mediadesk: %s\n", oneLine(err.Error()))
	}
	a.Settings().SetTheme(mdtheme.New(themePref(a.Preferences())))

	shot := os.Getenv("MEDIADESK_SMOKE_SHOT")
	imeOut := os.Getenv("MEDIADESK_IME_CHECK")
	var areas []smokeTarget
	if spec := os.Getenv(smokeAreasVar); spec != "" {
		t, err := parseSmokeAreas(spec, os.Getenv(smokeDirVar))
		if err != nil {
			fmt.Fprintf(os.Stderr, "mediadesk: smoke: %s\n", oneLine(err.Error()))
			return 2
		}
		areas = t
	}
	var session *app.Session
	if shot != "" || imeOut != "" {
		s, err := smokeSignIn(cfg, *as)
		if err != nil {
			fmt.Fprintf(os.Stderr, "mediadesk: smoke: %s\n", oneLine(err.Error()))
			return 1
		}
		session = s
	}

	w, err := openWindow(a, i18n.L("app.name"))
	if err != nil {
		reportStartupError(err)
		return 1
	}
	w.SetMaster()
	w.Resize(windowSize)
	// Creating the OpenGL window is the slowest step of the start, and it
	// mostly waits for the X server and the graphics driver; the fonts load
	// beside it on the other cores. They start only now: beside NewWindow,
	// which is all CPU on the main goroutine, they slowed it by about 30 ms
	// on a two-core machine. Nothing is drawn before the content is set and
	// the loop runs.
	fontsLoaded := preloadFonts()
	w.Show()
	if !windowOpened(w) {
		reportStartupError(errNoOpenGL)
		return 1
	}
	<-fontsLoaded
	d := newDesk(a, w, cfg, lang)
	if session != nil {
		d.signedIn(session)
		if imeOut != "" {
			go d.imeCheck(imeOut)
		} else {
			go d.smokeShot(shot)
		}
	} else {
		d.start(*as)
		if areas != nil {
			go d.smokeAreas(areas, func() (*app.Session, error) { return smokeSignIn(cfg, *as) })
		}
	}
	stop := make(chan struct{})
	d.startIdleTicker(stop, idleCheckEvery)
	a.Run()
	close(stop)
	d.finish()
	return d.exitCode
}

// openWindow creates the main window. Where no graphics session can be
// reached (started over SSH, the X server gone), Fyne's driver panics
// with a stack trace; this says instead what happened and what to do.
func openWindow(a fyne.App, title string) (w fyne.Window, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("无法打开窗口（%v）：请在桌面会话中启动；命令行子命令不需要窗口（mediadesk help）"+
				" / cannot open the window (%v): start it in a desktop session; the commands need no window (mediadesk help)", r, r)
		}
	}()
	return a.NewWindow(title), nil
}

// errNoOpenGL is why the window did not open when the driver could not
// make it: on the PCs this app runs on, a graphics driver without OpenGL
// 2.1 (Windows' basic display driver, a virtual machine without 3D).
var errNoOpenGL = errors.New("无法创建窗口：显卡驱动不支持 OpenGL 2.1。请安装显卡厂商的驱动（虚拟机请开启 3D 加速）后再启动；" +
	"命令行子命令不需要窗口（mediadesk help） / cannot create the window: the graphics driver lacks OpenGL 2.1. " +
	"Install the graphics card maker's driver (in a virtual machine, turn on 3D acceleration) and start again; " +
	"the commands need no window (mediadesk help)")

// windowOpened tells whether the driver made a native window for w. When
// it cannot (no OpenGL 2.1), Fyne only logs it and would run on with no
// window at all: a program that neither shows nor ends.
func windowOpened(w fyne.Window) bool {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return true // a driver without native windows (the test driver)
	}
	opened := true
	nw.RunNative(func(ctx any) {
		switch c := ctx.(type) {
		case driver.X11WindowContext:
			opened = c.WindowHandle != 0
		case driver.WindowsWindowContext:
			opened = c.HWND != 0
		case driver.WaylandWindowContext:
			opened = c.WaylandSurface != 0
		case driver.MacWindowContext:
			opened = c.NSWindow != 0
		}
	})
	return opened
}

// startupMemoryLimit bounds the heap while collection is off at start.
const startupMemoryLimit = 512 << 20

// tuneCollector sets how the garbage collector runs. What the start
// allocates (the parsed fonts, the window, the login) is long-lived, so
// collecting during it only costs time: about 70 ms of a one-second
// start on a two-core machine. Collection is therefore off until a second
// after the event loop starts (the heap bounded by startupMemoryLimit
// meanwhile), then runs at half again the live heap instead of twice it:
// that costs little time, most of the heap being long-lived, and keeps
// ~40 MB less resident.
func tuneCollector(a fyne.App) {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(startupMemoryLimit)
	a.Lifecycle().SetOnStarted(func() {
		time.AfterFunc(time.Second, func() {
			debug.SetGCPercent(50)
			debug.SetMemoryLimit(math.MaxInt64)
		})
	})
}

// preloadFonts parses the embedded CJK font off the main goroutine, in
// the two styles every screen uses (regular and bold: Fyne parses a font
// once per style), each on its own goroutine, so that they overlap the
// creation of the window. The channel is closed when both are cached.
func preloadFonts() <-chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
		wg.Go(func() { fyne.MeasureText("汤阴", fynetheme.TextSize(), style) })
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	return done
}

// oneLine folds a message onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
