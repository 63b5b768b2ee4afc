package ui

import (
	"errors"
	"fmt"
	"image"
	"image/color"
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
