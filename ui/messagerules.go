package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// rulesForm is the 期限设置 dialog (admins): the deadline of each type in
// working days, the days off and the weekend days worked. At HQ it sets
// the county's rules, which travel to every station; at a station its
// own, until the county's arrive.
type rulesForm struct {
	days               []*widget.Entry // in app.MessageTypes order
	holidays, workdays *widget.Entry
	fd                 *formDialog
}

// showMessageRules opens the 期限设置 dialog on rules r; saved runs after
// they were saved, closed when the dialog goes.
func (d *desk) showMessageRules(r app.MessageRules, saved, closed func()) *rulesForm {
	s := d.session
	rf := &rulesForm{holidays: multiLine(4), workdays: multiLine(2)}
	grid := container.NewGridWithColumns(len(app.MessageTypes))
	for _, t := range app.MessageTypes {
		e := widget.NewEntry()
		e.SetText(strconv.Itoa(r.Deadlines[t]))
		rf.days = append(rf.days, e)
		grid.Add(container.NewVBox(widget.NewLabel(messageTypeLabel(t)), e))
	}
	rf.holidays.SetText(strings.Join(r.Holidays, "\n"))
	rf.workdays.SetText(strings.Join(r.Workdays, "\n"))
	f := newForm(d)
	f.add("deadlines", i18n.L("message.rules.deadlines"), grid)
	f.add("holidays", i18n.L("message.rules.holidays"), rf.holidays, note(i18n.L("message.rules.holidays.hint")))
	f.add("workdays", i18n.L("message.rules.workdays"), rf.workdays, note(i18n.L("message.rules.workdays.hint")))
	intro := i18n.L("message.rules.intro")
	if s.Unit().Kind == app.HQ {
		intro += i18n.L("message.rules.intro.county")
	}
	rf.fd = d.showFormDialog(i18n.L("message.rules.title"), intro, i18n.L("button.save"), f,
		func() (func() error, error) {
			rules := app.MessageRules{Deadlines: map[app.MessageType]int{},
				Holidays: messageDates(rf.holidays.Text), Workdays: messageDates(rf.workdays.Text)}
			for i, t := range app.MessageTypes {
				n, err := strconv.Atoi(strings.TrimSpace(rf.days[i].Text))
				if err != nil {
					return nil, &app.FieldError{Field: "deadlines", Msg: i18n.L("message.rules.days.invalid")}
				}
				rules.Deadlines[t] = n
			}
			return func() error { return s.SetMessageRules(rules) }, nil
		}, saved, closed)
	return rf
}

// showCountyRules shows, at a station, the county's rules that HQ set:
// they are read, not changed, here.
func (d *desk) showCountyRules(r app.MessageRules) {
	var days []string
	for _, t := range app.MessageTypes {
		days = append(days, i18n.L("message.rules.county.days", map[string]any{"Type": messageTypeLabel(t), "Days": r.Deadlines[t]}))
	}
	none := i18n.L("message.rules.county.none")
	list := func(dates []string) string {
		if len(dates) == 0 {
			return none
		}
		return strings.Join(dates, "、")
	}
	body := container.NewVBox(
		d.para(i18n.L("message.rules.county", map[string]any{"By": r.SetBy, "At": r.SetAt.Format("2006-01-02 15:04")})),
		d.para(i18n.L("message.rules.county.deadlines", map[string]any{"Days": strings.Join(days, "；")})),
		d.para(i18n.L("message.rules.county.holidays", map[string]any{"Dates": list(r.Holidays)})),
		d.para(i18n.L("message.rules.county.workdays", map[string]any{"Dates": list(r.Workdays)})))
	dialog.NewCustom(i18n.L("message.rules.title"), i18n.L("button.close"), d.withCatcher(column(520, body)), d.win).Show()
}
