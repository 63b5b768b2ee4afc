package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// unitRatingsPanel is 单位评分: HQ's monthly ratings (1 to 5, with a note)
// of each station on the Art. 28 indicators no record counts, 网络舆论引导
// and 协作联动 (app.RatedIndicators). The stations of the chosen month on
// the left with their ratings, the chosen one's on the right. A quarter or
// a year is rated through its months: choosing one says so.
type unitRatingsPanel struct {
	v       *assessmentView
	content fyne.CanvasObject
	rows    []app.UnitRatingRow
	list    *widget.List
	info    *widget.Label
	title   *widget.Label
	scores  []*widget.RadioGroup // in app.RatedIndicators order
	notes   []*widget.Entry
	save    *widget.Button
	form    *form
	chosen  int    // index into rows, -1 for none
	month   string // the month listed, "" when the period is no month
}

func newUnitRatingsPanel(v *assessmentView) *unitRatingsPanel {
	p := &unitRatingsPanel{v: v, info: widget.NewLabel(""), title: widget.NewLabel(i18n.L("assessment.units.pick")), form: newForm(v.d), chosen: -1}
	p.info.Wrapping = fyne.TextWrapWord
	p.title.TextStyle.Bold = true
	p.list = textList(func() int { return len(p.rows) }, p.row)
	p.list.OnSelected = p.show
	for _, ind := range app.RatedIndicators {
		score, note := ratingChoice(), multiLine(2)
		p.scores, p.notes = append(p.scores, score), append(p.notes, note)
		p.form.add("rating."+string(ind), i18n.L("assessment.units.score", map[string]any{"Indicator": indicatorLabel(ind)}), score)
		p.form.add("note."+string(ind), i18n.L("assessment.rate.note"), note)
	}
	p.save = widget.NewButtonWithIcon(i18n.L("assessment.rate.save"), theme.DocumentSaveIcon(), p.rate)
	p.save.Importance = widget.HighImportance
	p.save.Disable()
	detail := container.NewVBox(p.title, p.form.object(), container.NewHBox(p.save), note(i18n.L("assessment.units.hint")))
	split := container.NewHSplit(container.NewBorder(p.info, nil, nil, nil, p.list), container.NewVScroll(container.NewPadded(detail)))
	split.Offset = 0.45
	p.content = container.NewPadded(split)
	return p
}

// row is station i as the list shows it: its name and both ratings.
func (p *unitRatingsPanel) row(i int) string {
	if i >= len(p.rows) {
		return ""
	}
	r := p.rows[i]
	parts := []string{r.UnitName}
	for _, ind := range app.RatedIndicators {
		parts = append(parts, fmt.Sprintf("%s：%s", indicatorLabel(ind), ratingText(r.Ratings[ind])))
	}
	return strings.Join(parts, "  ")
}

// reload lists the stations of the chosen month with their ratings.
func (p *unitRatingsPanel) reload() {
	p.rows, p.chosen, p.month = nil, -1, ""
	p.list.UnselectAll()
	p.clearForm()
	key := p.v.key()
	if period, err := app.ParsePeriod(key, p.v.d.now().Location()); err != nil || period.Kind != app.MonthPeriod {
		p.info.SetText(i18n.L("assessment.units.month_only"))
		p.list.Refresh()
		return
	}
	rows, err := p.v.d.session.UnitRatings(key)
	if err != nil {
		p.form.fail(err)
		p.list.Refresh()
		return
	}
	p.rows, p.month = rows, key
	if len(rows) == 0 {
		p.info.SetText(i18n.L("assessment.units.none"))
	} else {
		p.info.SetText(i18n.L("assessment.units.count", map[string]any{"Count": len(rows)}))
	}
	p.list.Refresh()
}

// clearForm empties the right side.
func (p *unitRatingsPanel) clearForm() {
	p.form.clear()
	for i := range p.scores {
		p.scores[i].SetSelected("")
		p.notes[i].SetText("")
	}
	p.save.Disable()
	p.title.SetText(i18n.L("assessment.units.pick"))
}

// show puts station i's ratings in the form.
func (p *unitRatingsPanel) show(i widget.ListItemID) {
	if i >= len(p.rows) {
		return
	}
	p.clearForm()
	p.chosen = i
	r := p.rows[i]
	p.title.SetText(r.UnitName)
	for k, ind := range app.RatedIndicators {
		if n := r.Ratings[ind]; n > 0 {
			p.scores[k].SetSelected(strconv.Itoa(n))
		}
		p.notes[k].SetText(r.Notes[ind])
	}
	p.save.Enable()
}

// rate saves the chosen station's ratings: each indicator given a score.
func (p *unitRatingsPanel) rate() {
	if p.chosen < 0 {
		return
	}
	p.form.clear()
	r := &p.rows[p.chosen]
	saved := 0
	for k, ind := range app.RatedIndicators {
		if p.scores[k].Selected == "" {
			continue
		}
		n, _ := strconv.Atoi(p.scores[k].Selected)
		if err := p.v.d.session.RateUnit(r.UnitID, p.month, ind, n, p.notes[k].Text); err != nil {
			var fe *app.FieldError
			if errors.As(err, &fe) {
				fe.Field += "." + string(ind)
			}
			p.form.fail(err)
			return
		}
		r.Ratings[ind], r.Notes[ind] = n, strings.TrimSpace(p.notes[k].Text)
		saved++
	}
	if saved == 0 {
		p.form.fail(&app.FieldError{Field: "rating." + string(app.RatedIndicators[0]), Msg: i18n.L("assessment.units.no_score")})
		return
	}
	p.list.RefreshItem(p.chosen)
	p.form.done(i18n.L("assessment.rate.saved"))
}
