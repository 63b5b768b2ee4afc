package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
	"fyne.io/fyne/v2/test"
)

// noDisplayApp is an app whose driver cannot open a window, as Fyne's
// GLFW driver panics when no X display can be reached.
type noDisplayApp struct{ fyne.App }

func (noDisplayApp) NewWindow(string) fyne.Window {
	panic("NotInitialized: The GLFW library is not initialized")
}

// TestOpenWindow: a window opens normally; when the driver cannot open
// one, openWindow returns an error that names the cause and says what to
// do instead of letting the panic end the program.
func TestOpenWindow(t *testing.T) {
	a := test.NewTempApp(t)
	w, err := openWindow(a, "平安汤阴")
	if err != nil || w == nil || w.Title() != "平安汤阴" {
		t.Fatalf("openWindow: %v, %v", w, err)
	}
	w.Close()
	w, err = openWindow(noDisplayApp{a}, "平安汤阴")
	if err == nil || w != nil {
		t.Fatalf("openWindow without a display: %v, %v; want an error", w, err)
	}
	for _, want := range []string{"无法打开窗口", "GLFW library is not initialized", "桌面会话", "mediadesk help", "cannot open the window"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// nativeWindow is a window whose driver reports the native handle given.
type nativeWindow struct {
	fyne.Window
	handle uintptr
}

func (w nativeWindow) RunNative(f func(any)) {
	f(driver.X11WindowContext{WindowHandle: w.handle})
}

// TestWindowOpened: a window the driver made has a native handle; one it
// could not make (no OpenGL 2.1: Fyne only logs that) has none, and the
// start must then stop with errNoOpenGL rather than run on unseen.
func TestWindowOpened(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("平安汤阴")
	defer w.Close()
	if !windowOpened(w) {
		t.Error("the test driver's window counts as not opened")
	}
	if !windowOpened(nativeWindow{w, 0x4200001}) {
		t.Error("a window with a native handle counts as not opened")
	}
	if windowOpened(nativeWindow{w, 0}) {
		t.Error("a window without a native handle counts as opened")
	}
	for _, want := range []string{"OpenGL 2.1", "显卡驱动", "3D", "mediadesk help"} {
		if !strings.Contains(errNoOpenGL.Error(), want) {
			t.Errorf("errNoOpenGL lacks %q", want)
		}
	}
}
