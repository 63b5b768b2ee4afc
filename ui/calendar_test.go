package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

// calendarClock is the app's clock in the calendar tests: the harness's
// Wednesday, 2026-11-25 09:00.
func calendarClock() time.Time { return time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local) }

// calendarHarness is a station with staff whose app clock is
// calendarClock, signed in as officer zhang.
func calendarHarness(t *testing.T) *harness {
	t.Helper()
	cfg := setUpStationWithStaff(t)
	cfg.Now = calendarClock
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	return h
}

// calendar opens 宣传日历 and waits for it to read its days.
func (h *harness) calendar() *calendarView {
	h.t.Helper()
	h.d.shell.showArea("nav.calendar")
	h.r.settle(h.t)
	for i, a := range h.d.shell.areas {
		if a.key == "nav.calendar" {
			if v, ok := h.d.shell.built[i].(*calendarView); ok {
				return v
			}
		}
	}
	h.t.Fatal("宣传日历 not built")
	return nil
}

// chipsIn lists the calendar entries inside root, each as its lines
// joined by " | ".
func chipsIn(root fyne.CanvasObject) (texts []string, chips []*calendarChip) {
	walk(root, func(o fyne.CanvasObject) bool {
		if c, ok := o.(*calendarChip); ok {
			texts = append(texts, strings.Join(c.lines, " | "))
			chips = append(chips, c)
		}
		return false
	})
	return texts, chips
}

// dayCell is the cell or column of day (YYYY-MM-DD) in the calendar
// shown: the cells are the grid's objects in the order of v.days.
func dayCell(t *testing.T, v *calendarView, day string) fyne.CanvasObject {
	t.Helper()
	i := -1
	for j, d := range v.days {
		if d.Date.Format(time.DateOnly) == day {
			i = j
		}
	}
	var cell fyne.CanvasObject
	walk(v.grid, func(o fyne.CanvasObject) bool {
		if c, ok := o.(*fyne.Container); ok && i >= 0 && len(c.Objects) == len(v.days) {
			cell = c.Objects[i]
		}
		return cell != nil
	})
	if cell == nil {
		t.Fatalf("no cell for %s", day)
	}
	return cell
}

// tapChip taps the entry whose lines contain text.
func tapChip(t *testing.T, root fyne.CanvasObject, text string) {
	t.Helper()
	texts, chips := chipsIn(root)
	for i, s := range texts {
		if strings.Contains(s, text) {
			test.Tap(chips[i])
			return
		}
	}
	t.Fatalf("no entry %q among %q", text, texts)
}

func TestCalendarCampaignForm(t *testing.T) {
	h := calendarHarness(t)
	v := h.calendar()
	if v.title.Text != "2026年11月" || len(v.days) != 42 || v.days[0].Date.Format(time.DateOnly) != "2026-10-26" {
		t.Fatalf("month %q with %d days", v.title.Text, len(v.days))
	}
	test.Tap(v.newButton)
	f := v.form
	if f == nil || f.startsOn.entry.Text != "2026-11-25" {
		t.Fatal("新建活动 did not open the form on today")
	}

	// An empty name, then a last day before the first, then a bad date: each at its field.
	f.endsOn.entry.SetText("2026-11-24")
	test.Tap(f.dlg.submit)
	h.r.settle(t)
	wantMessage(t, "empty title", f.form.fields["title"].msg, "此项必填")
	test.Type(f.title, "冬季防火宣传月")
	test.Tap(f.dlg.submit)
	h.r.settle(t)
	wantNoMessage(t, "title filled", f.form.fields["title"].msg)
	wantMessage(t, "end before start", f.form.fields["ends_on"].msg, "结束日期不能早于开始日期")
	f.endsOn.entry.SetText("2026-11-31")
	test.Tap(f.dlg.submit)
	h.r.settle(t)
	wantMessage(t, "bad date", f.form.fields["ends_on"].msg, "2026-01-31")
	if got, _ := h.d.session.Campaigns(calendarClock().AddDate(-1, 0, 0), calendarClock().AddDate(1, 0, 0)); len(got) != 0 {
		t.Fatalf("a refused form saved %d campaigns", len(got))
	}

	// Fixed, it saves, closes and shows on each of its days.
	f.startsOn.entry.SetText("2026-11-20")
	f.endsOn.entry.SetText("2026-11-27")
	f.kind.SetSelected("网上互动活动")
	test.Type(f.description, "网上警民恳谈")
	test.Tap(f.dlg.submit)
	h.r.settle(t)
	if v.form != nil {
		t.Fatal("the form stayed open")
	}
	wantMessage(t, "saved", v.msg, "已保存活动“冬季防火宣传月”")
	got, _ := h.d.session.Campaigns(calendarClock(), calendarClock())
	if len(got) != 1 || got[0].Kind != app.InteractionActivity || got[0].StartsOn != "2026-11-20" || got[0].Description != "网上警民恳谈" {
		t.Fatalf("saved %+v", got)
	}
	for _, day := range []string{"2026-11-20", "2026-11-27"} {
		if texts, _ := chipsIn(dayCell(t, v, day)); len(texts) != 1 || texts[0] != "冬季防火宣传月" {
			t.Errorf("%s: %q", day, texts)
		}
	}
	if texts, _ := chipsIn(dayCell(t, v, "2026-11-28")); len(texts) != 0 {
		t.Errorf("after the campaign: %q", texts)
	}

	// Its detail edits it.
	tapChip(t, dayCell(t, v, "2026-11-23"), "冬季防火宣传月")
	h.r.settle(t)
	if v.detail == nil || !labelWith(v.detail.body, "网上互动活动 · 2026-11-20 至 2026-11-27") {
		t.Fatal("the detail does not show the kind and days")
	}
	test.Tap(button(t, v.detail.body, "编辑活动"))
	if v.form == nil || v.form.title.Text != "冬季防火宣传月" || v.form.endsOn.entry.Text != "2026-11-27" {
		t.Fatal("编辑活动 did not open the filled form")
	}
	v.form.endsOn.entry.SetText("2026-11-28")
	test.Tap(v.form.dlg.submit)
	h.r.settle(t)
	if texts, _ := chipsIn(dayCell(t, v, "2026-11-28")); len(texts) != 1 {
		t.Errorf("the edited campaign does not reach the 28th: %q", texts)
	}
}

func TestCalendarMonthAndWeek(t *testing.T) {
	h := calendarHarness(t)
	s := h.d.session
	c, err := s.SaveCampaign(app.CampaignForm{Title: "冬季防火宣传月", Kind: app.PublicityCampaign,
		StartsOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.Local), EndsOn: time.Date(2026, 11, 27, 0, 0, 0, 0, time.Local)})
	if err != nil {
		t.Fatal(err)
	}
	draft := app.PostDraft{Title: "防火提示", Body: "注意用火安全。", Category: s.PostCategories()[0], Targets: []string{"weibo"},
		CampaignID: c.ID, PlannedAt: time.Date(2026, 11, 26, 10, 0, 0, 0, time.Local)}
	p, err := s.SaveDraft(draft)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range []string{"甲", "乙", "丙", "丁"} { // a busy day: four posts on the 30th
		draft.Title, draft.CampaignID, draft.PlannedAt = "月末稿"+n, "", time.Date(2026, 11, 30, 8+i, 0, 0, 0, time.Local)
		if _, err := s.SaveDraft(draft); err != nil {
			t.Fatal(err)
		}
	}

	v := h.calendar()
	if texts, _ := chipsIn(dayCell(t, v, "2026-11-26")); strings.Join(texts, ",") != "冬季防火宣传月,10:00 防火提示" {
		t.Errorf("the 26th: %q", texts)
	}
	if texts, _ := chipsIn(dayCell(t, v, "2026-11-25")); len(texts) != 1 {
		t.Errorf("the 25th: %q", texts)
	}
	if !cellToday(dayCell(t, v, "2026-11-25")) || cellToday(dayCell(t, v, "2026-11-26")) {
		t.Error("today is not the one day highlighted")
	}
	texts, _ := chipsIn(dayCell(t, v, "2026-11-30"))
	if len(texts) != monthItemsPerDay || texts[0] != "08:00 月末稿甲" || texts[monthItemsPerDay-1] != "还有 2 项" {
		t.Fatalf("the 30th: %q", texts)
	}

	// 还有 2 项 opens that week, where the day lists all its entries.
	tapChip(t, dayCell(t, v, "2026-11-30"), "还有 2 项")
	h.r.settle(t)
	if !v.week || v.title.Text != "2026-11-30 至 2026-12-06" || len(v.days) != 7 {
		t.Fatalf("week view: %v %q", v.week, v.title.Text)
	}
	if texts, _ := chipsIn(dayCell(t, v, "2026-11-30")); len(texts) != 4 || texts[3] != "11:00 计划发布 | 月末稿丁" {
		t.Errorf("the 30th in its week: %q", texts)
	}
	test.Tap(v.prev)
	h.r.settle(t)
	if v.title.Text != "2026-11-23 至 2026-11-29" || v.prev.Text != "上一周" {
		t.Fatalf("previous week: %q", v.title.Text)
	}
	if texts, _ := chipsIn(dayCell(t, v, "2026-11-26")); strings.Join(texts, ",") != "宣传活动 11-20至11-27 | 冬季防火宣传月,10:00 计划发布 | 防火提示" {
		t.Errorf("the 26th in its week: %q", texts)
	}

	// Back to the month; 下个月 and 今天 move it.
	v.mode.SetSelected("月视图")
	h.r.settle(t)
	test.Tap(v.next)
	h.r.settle(t)
	if v.title.Text != "2026年12月" || v.days[0].Date.Format(time.DateOnly) != "2026-11-30" || len(v.days) != 35 {
		t.Fatalf("next month: %q from %v", v.title.Text, v.days[0].Date)
	}
	test.Tap(v.today)
	h.r.settle(t)
	if v.title.Text != "2026年11月" {
		t.Fatalf("today: %q", v.title.Text)
	}

	// A post opens in 稿件.
	tapChip(t, dayCell(t, v, "2026-11-26"), "防火提示")
	h.r.settle(t)
	if h.d.shell.openKey() != "nav.posts" || h.d.shell.posts.detail.id != p.ID {
		t.Fatal("the post did not open in 稿件")
	}

	// The calendar fits the work area of a 1366×768 screen.
	h.d.shell.showArea("nav.calendar")
	h.r.settle(t)
	h.w.Resize(fyne.NewSize(1366, 768))
	if m := v.MinSize(); m.Width > 1100 || m.Height > 650 {
		t.Errorf("the month view needs %v", m)
	}
}

// cellToday reports whether a month cell shows its day as today (bold).
func cellToday(cell fyne.CanvasObject) bool {
	return walk(cell, func(o fyne.CanvasObject) bool {
		t, ok := o.(*canvas.Text)
		return ok && t.TextStyle.Bold
	})
}

func TestCalendarLinkFromEditor(t *testing.T) {
	h := calendarHarness(t)
	s := h.d.session
	c, err := s.SaveCampaign(app.CampaignForm{Title: "网上警民恳谈", Kind: app.InteractionActivity,
		StartsOn: time.Date(2026, 11, 26, 0, 0, 0, 0, time.Local), EndsOn: time.Date(2026, 11, 26, 0, 0, 0, 0, time.Local)})
	if err != nil {
		t.Fatal(err)
	}
	h.posts()
	e := h.newPost()
	if len(e.plan.campaign.Options) != 2 || e.plan.campaign.SelectedIndex() != 0 {
		t.Fatalf("campaign choices %q", e.plan.campaign.Options)
	}
	h.typeDraft(e, "恳谈预告", "欢迎网友参加。")
	e.plan.campaign.SetSelectedIndex(1)

	// A time that cannot be read, a date without a time, a time past: each at the field.
	e.plan.date.entry.SetText("2026-11-26")
	test.Type(e.plan.clock, "25:99")
	test.Tap(e.saveBtn)
	h.r.settle(t)
	plannedMsg := e.form.fields["planned_at"].msg
	wantMessage(t, "bad time", plannedMsg, "09:30")
	e.plan.clock.SetText("")
	test.Tap(e.saveBtn)
	h.r.settle(t)
	wantMessage(t, "no time", plannedMsg, "请填写计划发布的时间")
	e.plan.date.entry.SetText("2026-11-24")
	e.plan.clock.SetText("10：00") // the full-width colon of a Chinese input method
	test.Tap(e.saveBtn)
	h.r.settle(t)
	wantMessage(t, "past", plannedMsg, "计划发布时间不能早于现在")
	if e.id != "" {
		t.Fatal("a refused draft was saved")
	}
	e.plan.date.entry.SetText("2026-11-26")
	test.Tap(e.saveBtn)
	h.r.settle(t)
	wantNoMessage(t, "saved", plannedMsg)
	pd, err := s.Post(e.id)
	if err != nil || pd.Post.CampaignID != c.ID || !pd.Post.PlannedAt.Equal(time.Date(2026, 11, 26, 10, 0, 0, 0, time.Local)) {
		t.Fatalf("saved plan %q %v (%v)", pd.Post.CampaignID, pd.Post.PlannedAt, err)
	}
	test.Tap(e.closeBtn)

	// The campaign's detail lists it; another post is linked there and one taken out.
	other, err := s.SaveDraft(app.PostDraft{Title: "另一稿", Body: "正文", Category: s.PostCategories()[0], Targets: []string{"weibo"}})
	if err != nil {
		t.Fatal(err)
	}
	v := h.calendar()
	tapChip(t, dayCell(t, v, "2026-11-26"), "网上警民恳谈")
	h.r.settle(t)
	cd := v.detail
	if cd == nil || !hyperlinkWith(cd.body, "恳谈预告") || !labelWith(cd.body, "关联稿件（1）") {
		t.Fatal("the detail does not list the linked post")
	}
	if len(cd.pick.Options) != 1 || !strings.HasPrefix(cd.pick.Options[0], "另一稿") {
		t.Fatalf("posts to link: %q", cd.pick.Options)
	}
	cd.pick.SetSelectedIndex(0)
	test.Tap(button(t, cd.body, "关联稿件"))
	h.r.settle(t)
	wantMessage(t, "linked", cd.msg, "已关联稿件“另一稿”")
	if !hyperlinkWith(cd.body, "另一稿") || !labelWith(cd.body, "关联稿件（2）") {
		t.Fatal("the linked post is not listed")
	}
	if pd, _ := s.Post(other.ID); pd.Post.CampaignID != c.ID {
		t.Fatal("the post was not linked")
	}
	test.Tap(button(t, cd.body, "移出")) // the first listed, 恳谈预告 (planned) before 另一稿 (not planned)
	h.r.settle(t)
	if hyperlinkWith(cd.body, "恳谈预告") || !labelWith(cd.body, "关联稿件（1）") {
		t.Fatal("移出 did not take the post out")
	}

	// The title of a linked post opens it in 稿件.
	walk(cd.body, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Hyperlink); ok && l.Text == "另一稿" {
			l.OnTapped()
			return true
		}
		return false
	})
	h.r.settle(t)
	if h.d.shell.openKey() != "nav.posts" || h.d.shell.posts.detail.id != other.ID {
		t.Fatal("the linked post did not open")
	}
}

// hyperlinkWith reports whether root holds a hyperlink reading text.
func hyperlinkWith(root fyne.CanvasObject, text string) bool {
	return walk(root, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Hyperlink)
		return ok && l.Text == text
	})
}
