package ui

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// Smoke mode timing: the capture waits for the window to render; the
// window then stays up a little so an outside screenshot of the screen
// (scripts/smoke.sh) can catch it.
const (
	smokeRenderWait = 2 * time.Second
	smokeHold       = 3 * time.Second
)

// smokeSignIn signs in for smoke mode with MEDIADESK_PASSWORD, as name or
// as the first admin whose password it is.
func smokeSignIn(cfg app.Config, name string) (*app.Session, error) {
	if !app.IsSetUp(cfg.Dir) {
		return nil, fmt.Errorf("%s 中没有数据，请先运行 mediadesk init / no store in %s: run mediadesk init first", cfg.Dir, cfg.Dir)
	}
	pw := os.Getenv("MEDIADESK_PASSWORD")
	if pw == "" {
		return nil, errors.New("请在 MEDIADESK_PASSWORD 中给出密码 / set the password in MEDIADESK_PASSWORD")
	}
	if name == "" {
		return app.SignInFirstAdmin(cfg, pw)
	}
	return app.SignIn(cfg, name, pw)
}

// smokeShot waits for the window to render, captures it to path and
// quits. It runs on its own goroutine.
func (d *desk) smokeShot(path string) {
	time.Sleep(smokeRenderWait)
	fyne.Do(func() {
		if err := writePNG(path, d.win.Canvas().Capture()); err != nil {
			fmt.Fprintf(os.Stderr, "mediadesk: smoke: %s\n", oneLine(err.Error()))
			d.exitCode = 1
			d.quit()
			return
		}
		go func() {
			time.Sleep(smokeHold)
			fyne.Do(d.quit)
		}()
	})
}

// errBlankCapture: OpenGL gave back no picture. Mesa's llvmpipe driver
// does so on Xvfb when the front buffer is read; softpipe does not.
var errBlankCapture = errors.New("窗口截图全黑（OpenGL 读不回画面）；在 Xvfb 下请设置 GALLIUM_DRIVER=softpipe / the window capture is blank (OpenGL read back nothing): under Xvfb set GALLIUM_DRIVER=softpipe")

// opaque is a window capture with every pixel opaque: a window's
// framebuffer may have no alpha channel, and some drivers then read its
// alpha as 0. It fails when every pixel is black, which no window is.
func opaque(img image.Image) (*image.NRGBA, error) {
	if img == nil || img.Bounds().Empty() {
		return nil, errors.New("窗口截图为空 / the window capture is empty")
	}
	b := img.Bounds()
	out := image.NewNRGBA(b)
	blank := true
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: 0xff}
			if c.R|c.G|c.B != 0 {
				blank = false
			}
			out.SetNRGBA(x, y, c)
		}
	}
	if blank {
		return nil, errBlankCapture
	}
	return out, nil
}

// writePNG writes a window capture to path.
func writePNG(path string, capture image.Image) error {
	img, err := opaque(capture)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	err = png.Encode(f, img)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// Screenshot mode (make screenshots, scripts/screenshots.sh): with
// MEDIADESK_SMOKE_AREAS="KEY=FILE,KEY+ACTION=FILE,…" set, Main opens each
// KEY in turn, takes its ACTIONs, waits smokeRenderWait after each step
// for the window to render, captures the window to FILE in the folder
// MEDIADESK_SMOKE_DIR (default: the current one), and quits after the
// last; exit code 0 only when every PNG was written. It signs in as smoke
// mode does.
//
// A KEY is an area of the navigation by its translation key (nav.home,
// nav.posts, …), smokeEditor (稿件 with a new draft holding smokeDraft) or
// smokeLogin (the login before signing in; first only). An ACTION is
// pick=N (select the N-th row of the first list of the area, to show its
// detail), tap=KEY (tap the button labelled with that translation key) or
// previous (choose the period before the current one, where a period is
// chosen: the assessment).
const (
	smokeAreasVar = "MEDIADESK_SMOKE_AREAS"
	smokeDirVar   = "MEDIADESK_SMOKE_DIR"
	smokeLogin    = "login"
	smokeEditor   = "editor"
)

// smokeDraft is the text the editor shot shows being written: a mobile
// number in it shows the checker at work.
var smokeDraft = app.PostDraft{Title: "警惕冒充客服退款诈骗", Category: "防范提示", Targets: []string{"weibo", "wechat"},
	Body: "近日，城关镇居民王女士接到自称“快递客服”的电话，对方以丢件理赔为由，诱导她下载会议软件并开启屏幕共享。" +
		"民警提醒：凡是要求屏幕共享、转账验证的都是诈骗！如有疑问请拨打110，或联系社区民警13803720001。"}

// smokeTarget is one capture of screenshot mode.
type smokeTarget struct {
	key     string   // an area's translation key, smokeEditor or smokeLogin
	actions []string // what to do in it before the capture
	path    string   // the PNG to write
}

// parseSmokeAreas reads MEDIADESK_SMOKE_AREAS: KEY[+ACTION…]=FILE items
// separated by commas, FILE a plain name written into dir.
func parseSmokeAreas(spec, dir string) ([]smokeTarget, error) {
	var out []smokeTarget
	for i, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		eq := strings.LastIndex(item, "=")
		if eq < 0 {
			eq = len(item)
		}
		parts, file := strings.Split(item[:eq], "+"), item[min(eq+1, len(item)):]
		if parts[0] == "" || file == "" || filepath.Base(file) != file {
			return nil, fmt.Errorf("%s 的第 %d 项应为 区域=文件名.png / item %d of %s must be AREA=NAME.png", smokeAreasVar, i+1, i+1, smokeAreasVar)
		}
		if parts[0] == smokeLogin && i > 0 {
			return nil, fmt.Errorf("%s 只能排在第一项 / %s must come first", smokeLogin, smokeLogin)
		}
		t := smokeTarget{key: parts[0], path: filepath.Join(dir, file)}
		if len(parts) > 1 {
			t.actions = parts[1:]
		}
		out = append(out, t)
	}
	return out, nil
}

// smokeAreas runs screenshot mode on its own goroutine, with the login
// showing; signIn signs in after the login shot (or at once without one).
func (d *desk) smokeAreas(targets []smokeTarget, signIn func() (*app.Session, error)) {
	fail := func(err error) {
		fmt.Fprintf(os.Stderr, "mediadesk: smoke: %s\n", oneLine(err.Error()))
		fyne.Do(func() {
			d.exitCode = 1
			d.quit()
		})
	}
	signedIn := false
	for i, t := range targets {
		if t.key != smokeLogin && !signedIn {
			s, err := signIn()
			if err != nil {
				fail(err)
				return
			}
			fyne.DoAndWait(func() { d.signedIn(s) })
			signedIn = true
		}
		var err error
		fyne.DoAndWait(func() { err = d.openSmokeTarget(t.key) })
		for _, a := range t.actions {
			if err != nil {
				break
			}
			time.Sleep(smokeRenderWait)
			fyne.DoAndWait(func() { err = d.smokeAction(a) })
		}
		if err == nil {
			time.Sleep(smokeRenderWait)
			fyne.DoAndWait(func() { err = writePNG(t.path, d.win.Canvas().Capture()) })
		}
		if err != nil {
			fail(fmt.Errorf("%d %s: %w", i+1, t.key, err))
			return
		}
	}
	fyne.Do(d.quit)
}

// openSmokeTarget shows what a screenshot-mode key names.
func (d *desk) openSmokeTarget(key string) error {
	switch key {
	case smokeLogin:
		return nil // the login shows already
	case smokeEditor:
		v := d.postsReady()
		if v == nil || d.session.Unit().Kind != app.Station {
			return errors.New("只有所队有稿件编辑 / only a station has the post editor")
		}
		v.openEditor(smokeDraft, "")
		return nil
	}
	for _, a := range d.shell.areas {
		if a.key == key {
			d.shell.showArea(key)
			return nil
		}
	}
	return fmt.Errorf("这个安装没有 %s 区域 / this install has no area %s", key, key)
}

// smokeAction takes one screenshot-mode action in the open area.
func (d *desk) smokeAction(action string) error {
	name, arg, _ := strings.Cut(action, "=")
	var found fyne.CanvasObject
	find := func(match func(fyne.CanvasObject) bool) bool {
		return smokeWalk(d.shell.work, func(o fyne.CanvasObject) bool {
			if match(o) {
				found = o
				return true
			}
			return false
		})
	}
	switch name {
	case "pick":
		n, err := strconv.Atoi(arg)
		if err == nil && find(func(o fyne.CanvasObject) bool { _, ok := o.(*widget.List); return ok }) {
			if l := found.(*widget.List); n >= 1 && n <= l.Length() {
				l.Select(n - 1)
				return nil
			}
		}
		return fmt.Errorf("没有第 %s 行可选 / no row %s to pick", arg, arg)
	case "tap":
		label := i18n.L(arg)
		if find(func(o fyne.CanvasObject) bool {
			b, ok := o.(*widget.Button)
			return ok && b.Text == label && !b.Disabled()
		}) {
			found.(*widget.Button).OnTapped()
			return nil
		}
		return fmt.Errorf("没有可点的“%s”按钮 / no button %q to tap", label, label)
	case "previous":
		now := app.PeriodOf(app.MonthPeriod, d.now())
		current, before := d.periodText(now), d.periodText(now.Previous())
		if find(func(o fyne.CanvasObject) bool {
			s, ok := o.(*widget.Select)
			return ok && (s.Selected == current || s.Selected == before)
		}) {
			found.(*widget.Select).SetSelected(before)
			return nil
		}
		return errors.New("这里没有可选的考核周期 / no period to choose here")
	}
	return fmt.Errorf("未知的操作 %s / unknown action %s", action, action)
}

// smokeWalk calls f on o and on the visible objects inside it
// (containers, splits, scrolls, the open tab, the areas that are widgets),
// depth first, until f returns true.
func smokeWalk(o fyne.CanvasObject, f func(fyne.CanvasObject) bool) bool {
	if o == nil || !o.Visible() {
		return false
	}
	if f(o) {
		return true
	}
	var inside []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		inside = x.Objects
	case *container.Split:
		inside = []fyne.CanvasObject{x.Leading, x.Trailing}
	case *container.Scroll:
		inside = []fyne.CanvasObject{x.Content}
	case *container.AppTabs:
		if t := x.Selected(); t != nil {
			inside = []fyne.CanvasObject{t.Content}
		}
	// The areas that are widgets show one object (their renderer is
	// widget.NewSimpleRenderer of it).
	case *accountsView:
		inside = []fyne.CanvasObject{x.content}
	case *calendarView:
		inside = []fyne.CanvasObject{x.content}
	case *matrixView:
		inside = []fyne.CanvasObject{x.content}
	case *rosterView:
		inside = []fyne.CanvasObject{x.content}
	case *approvalsView:
		inside = []fyne.CanvasObject{x.tabs}
	case *libraryView:
		inside = []fyne.CanvasObject{x.tabs}
	}
	for _, c := range inside {
		if smokeWalk(c, f) {
			return true
		}
	}
	return false
}
