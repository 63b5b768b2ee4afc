package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// takenDownCard is HQ's home card 近期撤下的稿件 (Art. 26): the stations'
// posts taken down in the last app.TakenDownDays days, the newest first,
// each as station · title · when it came down · the reason (cut short),
// over a caption with where and when it was published, who recorded the
// take-down and the rectification notice it answered. HQ has no post
// screen of its own (审批 lists only the posts awaiting HQ), so the lines
// open nothing. With none, the card says so.
func (h *homeView) takenDownCard(list []app.TakenDownPost) fyne.CanvasObject {
	d := h.s.d
	days := map[string]any{"Days": app.TakenDownDays}
	sub := i18n.L("hqhome.takedown.sub", days)
	if len(list) == 0 {
		return widget.NewCard(i18n.L("hqhome.takedown"), sub, widget.NewLabel(i18n.L("hqhome.takedown.none", days)))
	}
	rows := container.NewVBox()
	for _, t := range list {
		line := widget.NewLabel(i18n.L("hqhome.takedown.row", map[string]any{"Unit": t.Station, "Title": t.Title,
			"Time": when(t.TakenDownAt), "Reason": strings.Join(strings.Fields(t.Reason), " ")}))
		line.Truncation = fyne.TextTruncateEllipsis
		line.Importance = widget.DangerImportance
		meta := i18n.L("hqhome.takedown.meta", map[string]any{"Platform": platformNameOf(d, t.Platform),
			"Published": when(t.PublishedAt), "Name": t.RecordedBy})
		if t.Notice != "" {
			meta += i18n.L("hqhome.takedown.notice", map[string]any{"Title": t.Notice})
		}
		if t.URL != "" {
			meta += " · " + t.URL
		}
		facts := widget.NewLabel(meta)
		facts.Truncation = fyne.TextTruncateEllipsis
		facts.SizeName = theme.SizeNameCaptionText
		rows.Add(container.NewVBox(line, facts))
	}
	return widget.NewCard(i18n.L("hqhome.takedown"), sub, rows)
}
