package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
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
