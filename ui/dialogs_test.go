package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestFormDialogFitsWindow: in a window the size of a 1366×768 screen's
// work area, a long form dialog (登记留言 with its field errors shown)
// scrolls its body and keeps its buttons in the window, below the body.
func TestFormDialogFitsWindow(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	v := h.messages()
	h.w.Resize(fyne.NewSize(1366, 680))
	test.Tap(v.add)
	mf := v.logForm
	mf.platform.SetSelectedIndex(0)
	h.r.settle(t)
	test.Type(mf.handle, "汤阴网友")
	mf.typ.SetSelected("咨询")
	h.submit(mf.fd)
	wantMessage(t, "empty content", fieldMessage(t, mf.form, "content"), "必填")

	top, c := h.topOverlay(), h.w.Canvas()
	if m := top.MinSize(); m.Height > c.Size().Height {
		t.Errorf("the dialog needs %v, more than the window's %v", m, c.Size())
	}
	var scroll *container.Scroll
	walk(top, func(o fyne.CanvasObject) bool {
		if s, ok := o.(*container.Scroll); ok && contains(s.Content, mf.content) {
			scroll = s
		}
		return scroll != nil
	})
	if scroll == nil {
		t.Fatal("the form does not scroll")
	}
	d := fyne.CurrentApp().Driver()
	bodyEnd := d.AbsolutePositionForObject(scroll).Y + scroll.Size().Height
	for _, b := range []*widget.Button{mf.fd.submit, button(t, top, "取消")} {
		p := d.AbsolutePositionForObject(b)
		if p.Y < bodyEnd || p.Y+b.Size().Height > c.Size().Height {
			t.Errorf("%s at %v (height %v): the body ends at %v, the window at %v", b.Text, p, b.Size().Height, bodyEnd, c.Size().Height)
		}
	}
}
