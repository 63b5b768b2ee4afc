package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// calendarChip is one compact entry of the calendar: a bar and a tint in
// its kind's colour (none for 还有 k 项) and lines of caption-size text,
// each cut with … to the chip's width. Tapping it, or Space or Return
// while it has the keyboard focus (Tab reaches it), opens what it shows.
type calendarChip struct {
	widget.BaseWidget
	lines   []string
	colour  color.Color // nil: no bar, no tint
	onTap   func()
	focused bool
	hovered bool
}

func newCalendarChip(lines []string, colour color.Color, onTap func()) *calendarChip {
	c := &calendarChip{lines: lines, colour: colour, onTap: onTap}
	c.ExtendBaseWidget(c)
	return c
}

// Tapped opens the entry.
func (c *calendarChip) Tapped(*fyne.PointEvent) { c.onTap() }

// FocusGained outlines the chip.
func (c *calendarChip) FocusGained() {
	c.focused = true
	c.Refresh()
}

// FocusLost removes the outline.
func (c *calendarChip) FocusLost() {
	c.focused = false
	c.Refresh()
}

// TypedRune ignores typing.
func (c *calendarChip) TypedRune(rune) {}

// TypedKey opens the entry on Space or Return.
func (c *calendarChip) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeySpace, fyne.KeyReturn, fyne.KeyEnter:
		c.onTap()
	}
}

// MouseIn deepens the tint under the mouse.
func (c *calendarChip) MouseIn(*desktop.MouseEvent) {
	c.hovered = true
	c.Refresh()
}

// MouseMoved does nothing more.
func (c *calendarChip) MouseMoved(*desktop.MouseEvent) {}

// MouseOut gives the tint back.
func (c *calendarChip) MouseOut() {
	c.hovered = false
	c.Refresh()
}

// Cursor is the pointing hand: the chip opens something.
func (c *calendarChip) Cursor() desktop.Cursor { return desktop.PointerCursor }

// CreateRenderer draws the tint, the bar, the lines and the focus outline.
func (c *calendarChip) CreateRenderer() fyne.WidgetRenderer {
	r := &chipRenderer{c: c, bg: canvas.NewRectangle(color.Transparent), bar: canvas.NewRectangle(color.Transparent),
		outline: canvas.NewRectangle(color.Transparent)}
	r.outline.StrokeWidth = 1
	for range c.lines {
		t := canvas.NewText("", theme.Color(theme.ColorNameForeground))
		t.TextSize = theme.CaptionTextSize()
		r.texts = append(r.texts, t)
	}
	r.Refresh()
	return r
}

// chipRenderer draws a calendarChip.
type chipRenderer struct {
	c                *calendarChip
	bg, bar, outline *canvas.Rectangle
	texts            []*canvas.Text
}

// chipBar and chipPad are the width of the coloured bar and the space
// around the text.
const (
	chipBar = 3
	chipPad = 2
)

func (r *chipRenderer) lineHeight() float32 {
	return fyne.MeasureText("国", theme.CaptionTextSize(), fyne.TextStyle{}).Height
}

func (r *chipRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.outline.Resize(size)
	r.bar.Resize(fyne.NewSize(chipBar, size.Height))
	h := r.lineHeight()
	x := float32(chipBar + 2*chipPad)
	for i, t := range r.texts {
		t.Text = fitText(r.c.lines[i], size.Width-x-chipPad, t.TextSize, t.TextStyle)
		t.Move(fyne.NewPos(x, chipPad+float32(i)*h))
		t.Resize(fyne.NewSize(size.Width-x-chipPad, h))
		t.Refresh()
	}
}

func (r *chipRenderer) MinSize() fyne.Size {
	return fyne.NewSize(chipBar+4*chipPad+r.lineHeight(), 2*chipPad+float32(len(r.texts))*r.lineHeight())
}

func (r *chipRenderer) Refresh() {
	alpha := uint8(0x30)
	if r.c.hovered {
		alpha = 0x60
	}
	r.bar.FillColor, r.bg.FillColor = color.Transparent, color.Transparent
	if r.c.colour != nil {
		r.bar.FillColor = r.c.colour
		r.bg.FillColor = tint(r.c.colour, alpha)
	} else if r.c.hovered {
		r.bg.FillColor = theme.Color(theme.ColorNameHover)
	}
	r.outline.StrokeColor = color.Transparent
	if r.c.focused {
		r.outline.StrokeColor = theme.Color(theme.ColorNamePrimary)
	}
	for _, t := range r.texts {
		t.Color = theme.Color(theme.ColorNameForeground)
	}
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *chipRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg, r.bar}
	for _, t := range r.texts {
		objs = append(objs, t)
	}
	return append(objs, r.outline)
}

func (r *chipRenderer) Destroy() {}

// tint is c with alpha a.
func tint(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// fitText is text cut with … so that it fits width at size and style.
func fitText(text string, width, size float32, style fyne.TextStyle) string {
	if fyne.MeasureText(text, size, style).Width <= width {
		return text
	}
	rs := []rune(text)
	lo, hi := 0, len(rs) // the longest prefix that fits with … is rs[:lo]
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(rs[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(rs[:lo]) + "…"
}
