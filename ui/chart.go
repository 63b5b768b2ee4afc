package ui

import (
	"image/color"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Charts drawn with canvas shapes (no chart library): a horizontal bar
// chart (a label, a bar and its value per row) and a line chart (series
// over a few labelled points, a legend below). Both redraw themselves
// from their data on Refresh and fit the size they are given.

// chartBar is one bar: its label and value (negative values draw as 0).
type chartBar struct {
	Label string
	Value float64
}

// barChart draws bars left to right, one row each, scaled to the largest
// value (or to Max when it is larger).
type barChart struct {
	widget.BaseWidget
	bars []chartBar
	Max  float64
}

func newBarChart() *barChart {
	c := &barChart{}
	c.ExtendBaseWidget(c)
	return c
}

// setBars shows bars.
func (c *barChart) setBars(bars []chartBar) {
	c.bars = bars
	c.Refresh()
}

// CreateRenderer draws the bars.
func (c *barChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barRenderer{c: c}
	r.build()
	return r
}

// chartText is caption-size text in the foreground colour.
func chartText(s string, align fyne.TextAlign) *canvas.Text {
	t := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	t.TextSize = theme.CaptionTextSize()
	t.Alignment = align
	return t
}

// chartNumber shows a chart value with at most two decimals.
func chartNumber(f float64) string { return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64) }

// barRow is the height of one bar's row.
const barRow = 24

type barRenderer struct {
	c       *barChart
	labels  []*canvas.Text
	rects   []*canvas.Rectangle
	values  []*canvas.Text
	objects []fyne.CanvasObject
}

// build makes one label, bar and value per bar.
func (r *barRenderer) build() {
	r.labels, r.rects, r.values, r.objects = nil, nil, nil, nil
	fill := theme.Color(theme.ColorNamePrimary)
	for _, b := range r.c.bars {
		l := chartText(b.Label, fyne.TextAlignTrailing)
		rect := canvas.NewRectangle(fill)
		v := chartText(chartNumber(b.Value), fyne.TextAlignLeading)
		r.labels, r.rects, r.values = append(r.labels, l), append(r.rects, rect), append(r.values, v)
		r.objects = append(r.objects, l, rect, v)
	}
}

// labelWidth is the width of the widest label.
func (r *barRenderer) labelWidth() float32 {
	w := float32(0)
	for _, l := range r.labels {
		w = max(w, fyne.MeasureText(l.Text, l.TextSize, l.TextStyle).Width)
	}
	return w
}

func (r *barRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	lw := min(r.labelWidth(), size.Width/3)
	vw := fyne.MeasureText("100.00", theme.CaptionTextSize(), fyne.TextStyle{}).Width
	room := max(0, size.Width-lw-vw-3*pad)
	top := r.c.Max
	for _, b := range r.c.bars {
		top = max(top, b.Value)
	}
	for i, b := range r.c.bars {
		y := float32(i) * barRow
		r.labels[i].Move(fyne.NewPos(0, y))
		r.labels[i].Resize(fyne.NewSize(lw, barRow))
		w := float32(0)
		if top > 0 {
			w = room * float32(max(b.Value, 0)/top)
		}
		r.rects[i].Move(fyne.NewPos(lw+pad, y+4))
		r.rects[i].Resize(fyne.NewSize(w, barRow-8))
		r.values[i].Move(fyne.NewPos(lw+2*pad+w, y))
		r.values[i].Resize(fyne.NewSize(vw, barRow))
	}
}

func (r *barRenderer) MinSize() fyne.Size {
	return fyne.NewSize(200, float32(len(r.c.bars))*barRow)
}

func (r *barRenderer) Refresh() {
	r.build()
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *barRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *barRenderer) Destroy()                     {}

// chartSeries is one line: its name and a value per label (NaN: none).
type chartSeries struct {
	Name   string
	Values []float64
}

// lineChart draws series over labelled points from 0 to Max (or the
// largest value), with grid lines and a legend under the plot.
type lineChart struct {
	widget.BaseWidget
	labels []string
	series []chartSeries
	Max    float64
}

func newLineChart() *lineChart {
	c := &lineChart{}
	c.ExtendBaseWidget(c)
	return c
}

// setData shows series over labels.
func (c *lineChart) setData(labels []string, series []chartSeries) {
	c.labels, c.series = labels, series
	c.Refresh()
}

// CreateRenderer draws the chart.
func (c *lineChart) CreateRenderer() fyne.WidgetRenderer {
	r := &lineRenderer{c: c}
	r.Layout(c.Size())
	return r
}

// chartColours tell series apart; they repeat after ten.
var chartColours = []color.NRGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xd6, 0x27, 0x28, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0xff, 0x7f, 0x0e, 0xff},
	{0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff}, {0xe3, 0x77, 0xc2, 0xff}, {0x7f, 0x7f, 0x7f, 0xff},
	{0xbc, 0xbd, 0x22, 0xff}, {0x17, 0xbe, 0xcf, 0xff},
}

// legendItem is the width one legend entry takes.
const legendItem = 130

type lineRenderer struct {
	c       *lineChart
	objects []fyne.CanvasObject
}

// legendRows is how many rows the legend needs at width w.
func (r *lineRenderer) legendRows(w float32) int {
	per := max(1, int(w/legendItem))
	return (len(r.c.series) + per - 1) / per
}

// Layout draws everything anew for size: the objects depend on it.
func (r *lineRenderer) Layout(size fyne.Size) {
	c := r.c
	r.objects = nil
	fg := theme.Color(theme.ColorNameForeground)
	grid := theme.Color(theme.ColorNameSeparator)
	top := c.Max
	for _, s := range c.series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				top = max(top, v)
			}
		}
	}
	if top <= 0 {
		top = 1
	}
	left := fyne.MeasureText(chartNumber(top), theme.CaptionTextSize(), fyne.TextStyle{}).Width + 2*theme.Padding()
	legendH := float32(r.legendRows(size.Width)) * barRow
	bottom := size.Height - legendH - barRow
	plotW, plotH := size.Width-left-theme.Padding(), bottom-theme.Padding()
	if plotW <= 0 || plotH <= 0 {
		return
	}
	yOf := func(v float64) float32 { return bottom - plotH*float32(v/top) }
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		line := canvas.NewLine(grid)
		line.Position1, line.Position2 = fyne.NewPos(left, yOf(v)), fyne.NewPos(left+plotW, yOf(v))
		t := chartText(chartNumber(v), fyne.TextAlignTrailing)
		t.Move(fyne.NewPos(0, yOf(v)-barRow/2))
		t.Resize(fyne.NewSize(left-theme.Padding(), barRow))
		r.objects = append(r.objects, line, t)
	}
	axis := canvas.NewLine(fg)
	axis.Position1, axis.Position2 = fyne.NewPos(left, bottom), fyne.NewPos(left+plotW, bottom)
	r.objects = append(r.objects, axis)
	n := len(c.labels)
	slot := plotW / float32(max(n, 1)) // each point's share of the width, its label centred in it
	xOf := func(i int) float32 { return left + slot*(float32(i)+0.5) }
	for i, l := range c.labels {
		t := chartText(l, fyne.TextAlignCenter)
		t.Move(fyne.NewPos(xOf(i)-slot/2, bottom))
		t.Resize(fyne.NewSize(slot, barRow))
		r.objects = append(r.objects, t)
	}
	per := max(1, int(size.Width/legendItem))
	for si, s := range c.series {
		col := chartColours[si%len(chartColours)]
		prev := -1
		for i, v := range s.Values {
			if math.IsNaN(v) || i >= n {
				continue
			}
			dot := canvas.NewCircle(col)
			dot.Move(fyne.NewPos(xOf(i)-3, yOf(v)-3))
			dot.Resize(fyne.NewSize(6, 6))
			r.objects = append(r.objects, dot)
			if prev >= 0 {
				seg := canvas.NewLine(col)
				seg.StrokeWidth = 2
				seg.Position1, seg.Position2 = fyne.NewPos(xOf(prev), yOf(s.Values[prev])), fyne.NewPos(xOf(i), yOf(v))
				r.objects = append(r.objects, seg)
			}
			prev = i
		}
		x, y := float32(si%per)*legendItem, bottom+barRow+float32(si/per)*barRow
		swatch := canvas.NewRectangle(col)
		swatch.Move(fyne.NewPos(x, y+barRow/2-5))
		swatch.Resize(fyne.NewSize(10, 10))
		name := chartText(s.Name, fyne.TextAlignLeading)
		name.Move(fyne.NewPos(x+14, y))
		name.Resize(fyne.NewSize(legendItem-18, barRow))
		r.objects = append(r.objects, swatch, name)
	}
}

func (r *lineRenderer) MinSize() fyne.Size {
	return fyne.NewSize(240, 160+float32(r.legendRows(max(r.c.Size().Width, 480)))*barRow)
}

func (r *lineRenderer) Refresh() {
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *lineRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *lineRenderer) Destroy()                     {}
