package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// counterCell is one counter of a home: the number, in red when alert
// and not zero, over a flat button with its label that opens where it is
// counted.
func counterCell(label string, n int, alert bool, open func()) fyne.CanvasObject {
	num := widget.NewLabelWithStyle(fmt.Sprint(n), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	if alert && n > 0 {
		num.Importance = widget.DangerImportance
	}
	btn := widget.NewButton(label, open)
	btn.Importance = widget.LowImportance
	return container.NewVBox(num, btn)
}

// hqCards are HQ's home: counters of what arrived today and what waits,
// then today's bundles, the overdue notices, the stations silent too
// long, the newest ranking and the recent take-downs (takenDownCard).
func (h *homeView) hqCards(hh app.HQHome) []fyne.CanvasObject {
	s := h.s
	goTo := func(area string) func() { return func() { s.showArea(area) } }
	counters := container.NewGridWithColumns(3,
		counterCell(i18n.L("hqhome.count.imported"), hh.Imported, false, goTo("nav.sync")),
		counterCell(i18n.L("hqhome.count.posts"), hh.PostsWaiting, true, func() {
			if v := s.openApprovals(); v != nil {
				v.showPosts()
			}
		}),
		counterCell(i18n.L("hqhome.count.filings"), hh.FilingsWaiting, true, func() {
			if v := s.openApprovals(); v != nil {
				v.showFilings(app.FilingsToDecide, "")
			}
		}),
		counterCell(i18n.L("hqhome.count.overdue_notices"), hh.OverdueNotices, true, goTo("nav.notices")),
		counterCell(i18n.L("hqhome.count.late_stations"), len(hh.Late), true, goTo("nav.stations")),
		counterCell(i18n.L("hqhome.count.refused"), hh.Refused, true, goTo("nav.sync")))
	out := []fyne.CanvasObject{widget.NewCard(i18n.L("home.now"), "", counters)}

	if len(hh.Today) > 0 {
		rows := container.NewVBox()
		for _, b := range hh.Today {
			key := "hqhome.bundle.row"
			if b.Result == "registered" {
				key = "hqhome.bundle.registered"
			}
			l := widget.NewLabel(i18n.L(key, map[string]any{"Time": time.UnixMilli(b.At).Format("15:04"),
				"Unit": b.PeerName, "Seq": b.Seq, "Result": i18n.L("hqhome.result." + b.Result), "Records": b.Records}))
			if b.Result == app.Refused {
				l.Importance = widget.DangerImportance
			}
			rows.Add(l)
		}
		out = append(out, widget.NewCard(i18n.L("hqhome.today"), "", rows))
	}
	if len(hh.Overdue) > 0 {
		rows := container.NewVBox()
		for _, n := range hh.Overdue {
			l := widget.NewLabel(i18n.L("hqhome.notice.row", map[string]any{"Unit": n.UnitName, "Title": n.Title, "Due": n.DueOn}))
			l.Importance = widget.DangerImportance
			l.Wrapping = fyne.TextWrapWord
			rows.Add(l)
		}
		rows.Add(container.NewHBox(widget.NewButton(i18n.L("hqhome.notices.open"), goTo("nav.notices"))))
		out = append(out, widget.NewCard(i18n.L("hqhome.notices"), i18n.L("hqhome.notices.sub", map[string]any{"Count": hh.OverdueNotices}), rows))
	}
	if len(hh.Late) > 0 {
		rows := container.NewVBox()
		for _, st := range hh.Late {
			key := "hqhome.late.row"
			if st.LastIn.IsZero() {
				key = "hqhome.late.never"
			}
			rows.Add(widget.NewLabel(i18n.L(key, map[string]any{"Unit": st.Name, "Days": st.Days})))
		}
		rows.Add(container.NewHBox(widget.NewButton(i18n.L("hqhome.late.open"), goTo("nav.stations"))))
		out = append(out, widget.NewCard(i18n.L("hqhome.late"), i18n.L("hqhome.late.sub", map[string]any{"Days": hh.SyncWarnDays}), rows))
	}
	if len(hh.Ranking) > 0 {
		rows := container.NewVBox()
		for _, r := range hh.Ranking {
			rows.Add(widget.NewLabel(i18n.L("hqhome.rank.row", map[string]any{"Rank": r.Rank, "Units": r.Units,
				"Unit": r.UnitName, "Score": fmt.Sprintf("%.1f", r.Score)})))
		}
		rows.Add(container.NewHBox(widget.NewButtonWithIcon(i18n.L("hqhome.rank.open"), theme.NavigateNextIcon(), goTo("nav.assessment"))))
		out = append(out, widget.NewCard(i18n.L("hqhome.rank"), i18n.L("hqhome.rank.sub", map[string]any{"Period": hh.Period}), rows))
	}
	return append(out, h.takenDownCard(hh.TakenDown))
}
