package ui

import (
	"image/color"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// calendarView is 宣传日历 (Art. 22): the campaigns and online
// interaction activities, and the posts planned or published, by month
// (a Monday-first grid of the month's weeks, each day with at most
// monthItemsPerDay entries and 还有 k 项 for the rest, which opens the
// day's week) or by week (seven columns listing each day's entries).
// 月视图/周视图 switch the view; 上个月/下个月 (上一周/下一周) and 今天 move
// it. Each entry is coloured by its kind, as the legend below says:
// 宣传活动, 网上互动活动, 计划发布, 已发布. A post opens in 稿件; a campaign
// opens its detail (its linked posts, 编辑活动). 新建活动 is the primary
// action.
//
// The area reads the calendar again whenever the shell shows it (it
// refreshes the area), so posts planned meanwhile in the editor appear.
type calendarView struct {
	widget.BaseWidget
	s *shell
	d *desk

	anchor time.Time // a day of the month or week shown
	week   bool      // the week view, else the month view
	gen    int       // counts reads; an older read's result is dropped
	days   []app.CalendarDay

	mode             *widget.RadioGroup
	prev, next       *widget.Button
	today, newButton *widget.Button
	title            *widget.Label
	msg              *widget.Label
	grid             *fyne.Container // the month or week grid
	content          fyne.CanvasObject

	detail *campaignDetail // the open campaign detail, nil when none
	form   *campaignForm   // the open campaign form, nil when none
}

// monthItemsPerDay is how many lines of entries a day of the month view
// has: all its entries when they fit, else one line fewer and 还有 k 项.
const monthItemsPerDay = 3

func newCalendarView(s *shell) *calendarView {
	d := s.d
	v := &calendarView{s: s, d: d, anchor: midnight(d.now())}
	v.mode = widget.NewRadioGroup([]string{i18n.L("calendar.view.month"), i18n.L("calendar.view.week")}, nil)
	v.mode.Horizontal = true
	v.mode.Required = true
	v.mode.SetSelected(i18n.L("calendar.view.month"))
	v.mode.OnChanged = func(string) {
		v.week = v.mode.Selected == i18n.L("calendar.view.week")
		v.reload()
	}
	v.prev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { v.move(-1) })
	v.next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { v.move(1) })
	v.next.IconPlacement = widget.ButtonIconTrailingText
	v.today = widget.NewButton(i18n.L("calendar.today"), func() {
		v.anchor = midnight(d.now())
		v.reload()
	})
	v.newButton = widget.NewButtonWithIcon(i18n.L("calendar.new"), theme.ContentAddIcon(), func() { v.openForm(nil) })
	v.newButton.Importance = widget.HighImportance
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.SizeName = theme.SizeNameSubHeadingText
	v.msg = errorLabel()
	v.grid = container.NewStack()

	top := container.NewBorder(nil, nil, container.NewHBox(v.prev, v.today, v.next, v.title),
		container.NewHBox(v.mode, v.newButton))
	legend := container.NewHBox()
	for _, k := range []string{app.PublicityCampaign, app.InteractionActivity, string(app.ItemPlanned), string(app.ItemPublished)} {
		legend.Add(legendEntry(entryKindColour(k), entryKindLabel(k)))
	}
	bottom := container.NewBorder(nil, nil, nil, legend, v.msg)
	v.content = container.NewBorder(top, bottom, nil, nil, v.grid)
	v.ExtendBaseWidget(v)
	v.reload()
	return v
}

// CreateRenderer shows the calendar with some padding.
func (v *calendarView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(v.content))
}

// Refresh redraws the area and reads the calendar again: the shell
// refreshes an area each time it shows it.
func (v *calendarView) Refresh() {
	v.BaseWidget.Refresh()
	v.reload()
}

// say shows the result of the last action below the calendar.
func (v *calendarView) say(text string, imp widget.Importance) {
	v.msg.Importance = imp
	setMessage(v.msg, text)
}

// midnight is the start of t's day, local time.
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.Local)
}

// mondayOf is the Monday that starts t's week.
func mondayOf(t time.Time) time.Time {
	t = midnight(t)
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// span is the first and last day the view shows: the Monday-to-Sunday
// weeks that hold the anchor's month, or the anchor's week.
func (v *calendarView) span() (first, last time.Time) {
	if v.week {
		first = mondayOf(v.anchor)
		return first, first.AddDate(0, 0, 6)
	}
	start := time.Date(v.anchor.Year(), v.anchor.Month(), 1, 0, 0, 0, 0, time.Local)
	end := start.AddDate(0, 1, -1)
	return mondayOf(start), mondayOf(end).AddDate(0, 0, 6)
}

// move shows the month or week step steps away.
func (v *calendarView) move(step int) {
	if v.week {
		v.anchor = v.anchor.AddDate(0, 0, 7*step)
	} else {
		first := time.Date(v.anchor.Year(), v.anchor.Month(), 1, 0, 0, 0, 0, time.Local)
		v.anchor = first.AddDate(0, step, 0)
	}
	v.reload()
}

// showWeek opens the week view at day.
func (v *calendarView) showWeek(day time.Time) {
	v.anchor = midnight(day)
	v.mode.SetSelected(i18n.L("calendar.view.week")) // reloads
}

// reload reads the days shown off the UI goroutine and draws them.
func (v *calendarView) reload() {
	if v.mode == nil {
		return // Refresh during construction
	}
	unit := "month"
	if v.week {
		unit = "week"
	}
	v.prev.SetText(i18n.L("calendar.prev." + unit))
	v.next.SetText(i18n.L("calendar.next." + unit))
	first, last := v.span()
	if v.week {
		v.title.SetText(i18n.L("calendar.week_title", map[string]any{"From": first.Format(time.DateOnly), "To": last.Format(time.DateOnly)}))
	} else {
		v.title.SetText(i18n.L("calendar.month_title", map[string]any{"Year": v.anchor.Year(), "Month": int(v.anchor.Month())}))
	}
	v.gen++
	gen, s := v.gen, v.d.session
	var (
		days []app.CalendarDay
		err  error
	)
	v.d.run(func() { days, err = s.CalendarItems(first, last) }, func() {
		if gen != v.gen {
			return
		}
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.days = days
		if v.week {
			v.grid.Objects = []fyne.CanvasObject{v.weekGrid()}
		} else {
			v.grid.Objects = []fyne.CanvasObject{v.monthGrid()}
		}
		v.grid.Refresh()
	})
}

// monthGrid is the weekday headers over the weeks of the month.
func (v *calendarView) monthGrid() fyne.CanvasObject {
	today := midnight(v.d.now())
	heads := container.NewGridWithColumns(7)
	for i := 1; i <= 7; i++ {
		t := canvas.NewText(i18n.L("calendar.weekday."+strconv.Itoa(i)), theme.Color(theme.ColorNameForeground))
		t.TextStyle.Bold = true
		t.Alignment = fyne.TextAlignCenter
		heads.Add(t)
	}
	cells := container.NewGridWithColumns(7)
	for _, day := range v.days {
		cells.Add(v.monthCell(day, today))
	}
	return container.NewBorder(heads, nil, nil, nil, cells)
}

// monthCell is one day of the month view: its number (in the primary
// colour on a tint when it is today, faint outside the month) and its
// entries, at most monthItemsPerDay lines with 还有 k 项 for the rest.
func (v *calendarView) monthCell(day app.CalendarDay, today time.Time) fyne.CanvasObject {
	num := canvas.NewText(strconv.Itoa(day.Date.Day()), theme.Color(theme.ColorNameForeground))
	num.TextSize = theme.CaptionTextSize() + 1
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	bg.StrokeWidth = 1
	switch {
	case day.Date.Equal(today):
		num.Color, num.TextStyle.Bold = theme.Color(theme.ColorNamePrimary), true
		bg.FillColor = todayFill()
	case day.Date.Month() != v.anchor.Month():
		num.Color = theme.Color(theme.ColorNameDisabled)
	}
	rows := []fyne.CanvasObject{num}
	shown := day.Items
	if len(shown) > monthItemsPerDay {
		shown = shown[:monthItemsPerDay-1]
	}
	for _, it := range shown {
		rows = append(rows, v.chip(it, false))
	}
	if k := len(day.Items) - len(shown); k > 0 {
		rows = append(rows, newCalendarChip([]string{i18n.L("calendar.more", map[string]any{"Count": k})}, nil,
			func() { v.showWeek(day.Date) }))
	}
	return container.NewStack(bg, container.New(calendarRows{inset: 3}, rows...))
}

// weekGrid is seven columns, Monday first, each listing its day's
// entries under the weekday and date.
func (v *calendarView) weekGrid() fyne.CanvasObject {
	today := midnight(v.d.now())
	cols := container.NewGridWithColumns(7)
	for i, day := range v.days {
		head := canvas.NewText(i18n.L("calendar.weekday."+strconv.Itoa(i+1))+" "+day.Date.Format("01-02"), theme.Color(theme.ColorNameForeground))
		head.TextStyle.Bold = true
		bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
		bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
		bg.StrokeWidth = 1
		if day.Date.Equal(today) {
			head.Color = theme.Color(theme.ColorNamePrimary)
			bg.FillColor = todayFill()
		}
		items := make([]fyne.CanvasObject, 0, len(day.Items))
		for _, it := range day.Items {
			items = append(items, v.chip(it, true))
		}
		list := container.NewVScroll(container.New(calendarRows{inset: 3}, items...))
		cols.Add(container.NewStack(bg, container.NewBorder(container.New(calendarRows{inset: 3}, head), nil, nil, nil, list)))
	}
	return cols
}

// chip is the entry of item it: in the month view its time (posts) and
// title on one line; in the week view the kind and time or the
// campaign's days over the title.
func (v *calendarView) chip(it app.CalendarItem, week bool) *calendarChip {
	var lines []string
	kind := string(it.Kind)
	open := func() { v.openPost(it.ID) }
	switch it.Kind {
	case app.ItemCampaign:
		kind = it.CampaignKind
		open = func() { v.showCampaign(it.ID) }
		lines = []string{it.Title}
		if week {
			lines = []string{entryKindLabel(kind) + " " + dayRange(it.StartsOn, it.EndsOn), it.Title}
		}
	default:
		lines = []string{it.At.Format("15:04") + " " + it.Title}
		if week {
			lines = []string{it.At.Format("15:04") + " " + entryKindLabel(kind), it.Title}
		}
	}
	return newCalendarChip(lines, entryKindColour(kind), open)
}

// dayRange is a campaign's first and last day (YYYY-MM-DD) as month and
// day: 11-20至11-27.
func dayRange(from, to string) string {
	return i18n.L("calendar.range", map[string]any{"From": from[5:], "To": to[5:]})
}

// openPost shows post id in 稿件.
func (v *calendarView) openPost(id string) {
	if p := v.s.openPosts(); p != nil {
		p.showPost(id)
	}
}

// activityPurple marks interaction activities in the calendar: the purple
// of Fyne's palette, the same in light and dark mode.
var activityPurple = color.NRGBA{R: 0x9c, G: 0x27, B: 0xb0, A: 0xff}

// entryKindColour is the colour of an entry kind: a campaign kind, or
// app.ItemPlanned or app.ItemPublished.
func entryKindColour(kind string) color.Color {
	switch kind {
	case app.PublicityCampaign:
		return theme.Color(theme.ColorNamePrimary)
	case app.InteractionActivity:
		return activityPurple
	case string(app.ItemPlanned):
		return theme.Color(theme.ColorNameWarning)
	}
	return theme.Color(theme.ColorNameSuccess)
}

// entryKindLabel names an entry kind (as entryKindColour) in the UI language.
func entryKindLabel(kind string) string {
	switch kind {
	case app.PublicityCampaign, app.InteractionActivity:
		return i18n.L("calendar.kind." + kind)
	}
	return i18n.L("calendar.item." + kind)
}

// todayFill is the light tint of today's cell or column.
func todayFill() color.Color { return tint(theme.Color(theme.ColorNamePrimary), 0x1c) }

// legendEntry is a swatch of colour c and its label.
func legendEntry(c color.Color, label string) fyne.CanvasObject {
	swatch := canvas.NewRectangle(c)
	swatch.SetMinSize(fyne.NewSquareSize(theme.CaptionTextSize()))
	text := canvas.NewText(label, theme.Color(theme.ColorNameForeground))
	text.TextSize = theme.CaptionTextSize()
	return container.NewHBox(container.NewCenter(swatch), container.NewCenter(text))
}

// calendarRows stacks its objects top to bottom at their minimum
// heights, one pixel apart, inset from the edges: the compact rows of a
// calendar day.
type calendarRows struct{ inset float32 }

func (l calendarRows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := l.inset
	for _, o := range objs {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(l.inset, y))
		o.Resize(fyne.NewSize(max(0, size.Width-2*l.inset), h))
		y += h + 1
	}
}

func (l calendarRows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(0, 2*l.inset)
	for _, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width+2*l.inset)
		s.Height += m.Height + 1
	}
	return s
}
