package ui

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"time"

	"fyne.io/fyne/v2"

	"mediadesk/app"
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
			d.fyneApp.Quit()
			return
		}
		go func() {
			time.Sleep(smokeHold)
			fyne.Do(d.fyneApp.Quit)
		}()
	})
}

// writePNG writes img to path, refusing an empty capture.
func writePNG(path string, img image.Image) error {
	if img == nil || img.Bounds().Empty() {
		return errors.New("窗口截图为空 / the window capture is empty")
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
