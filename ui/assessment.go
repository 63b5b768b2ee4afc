package ui

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// assessmentView is 绩效考核 at HQ (Art. 28): a period picker (月度, 季度
// or 年度, and which one) above four tabs. 考核结果: 计算 scores every
// registered station off the UI goroutine and shows the ranking table, a
// bar chart of the scores and the trend of the last periods; 发布结果
// (after a confirmation) writes each unit's result for its next bundle;
// 导出通报 XLSX… saves the circular. 考核方案: the weights and rules, edited
// into a draft version and activated by an HQ admin. 稿件评分: the
// period's published posts, each rated 1 to 5 for content quality. 单位评分
// (unitRatingsPanel): each station's monthly ratings on 网络舆论引导 and
// 协作联动.
type assessmentView struct {
	d       *desk
	content fyne.CanvasObject
	kind    *widget.Select
	period  *widget.Select
	keys    map[string]string // period option ＞ period key
	tabs    *container.AppTabs

	compute, publish, export *widget.Button
	busy                     *busy
	msg                      *widget.Label
	table                    *widget.Table
	bars                     *barChart
	trend                    *lineChart
	trendUnit                *widget.Select
	shown                    app.Assessment // the assessment shown; its Period.Key is "" before 计算
	history                  []app.Assessment
	confirm                  *dialog.ConfirmDialog // the open confirmation, for tests

	scheme  *schemeEditor
	ratings *ratingsPanel
	units   *unitRatingsPanel
}

// trendPeriods is how many periods the trend chart shows.
const trendPeriods = 6

// periodChoices is how many periods of each kind the picker offers.
var periodChoices = map[app.PeriodKind]int{app.MonthPeriod: 24, app.QuarterPeriod: 8, app.YearPeriod: 5}

var periodKinds = []app.PeriodKind{app.MonthPeriod, app.QuarterPeriod, app.YearPeriod}

func newAssessmentView(d *desk) *assessmentView {
	v := &assessmentView{d: d, msg: errorLabel(), bars: newBarChart(), trend: newLineChart()}
	v.trend.Max = 100
	v.bars.Max = 100
	var kinds []string
	for _, k := range periodKinds {
		kinds = append(kinds, i18n.L("assessment.kind."+string(k)))
	}
	v.period = widget.NewSelect(nil, func(string) { v.periodChanged() })
	v.kind = widget.NewSelect(kinds, func(s string) {
		for i, k := range kinds {
			if k == s {
				v.setKind(periodKinds[i])
			}
		}
	})
	v.compute = widget.NewButtonWithIcon(i18n.L("assessment.compute"), theme.ViewRefreshIcon(), v.run)
	v.compute.Importance = widget.HighImportance
	v.publish = widget.NewButtonWithIcon(i18n.L("assessment.publish"), theme.MailSendIcon(), v.askPublish)
	v.export = widget.NewButtonWithIcon(i18n.L("assessment.export"), theme.DocumentSaveIcon(), v.chooseFile)
	v.publish.Disable()
	v.export.Disable()
	v.busy = newBusy(v.compute, v.publish, v.export)
	v.table = v.newTable()
	v.trendUnit = widget.NewSelect(nil, func(string) { v.showTrend() })
	v.trendUnit.PlaceHolder = i18n.L("assessment.trend.all") // not Fyne's English "(Select one)" before the first computation

	picker := container.NewHBox(labelled(i18n.L("assessment.kind"), v.kind), labelled(i18n.L("assessment.period"), v.period))
	v.scheme = newSchemeEditor(v)
	v.ratings = newRatingsPanel(v)
	v.units = newUnitRatingsPanel(v)
	charts := container.NewHSplit(
		container.NewBorder(sectionTitle(i18n.L("assessment.chart.scores")), nil, nil, nil, container.NewVScroll(v.bars)),
		container.NewBorder(container.NewBorder(nil, nil, sectionTitle(i18n.L("assessment.chart.trend", map[string]any{"N": trendPeriods})),
			nil, v.trendUnit), nil, nil, nil, v.trend))
	charts.Offset = 0.45
	split := container.NewVSplit(v.table, charts)
	split.Offset = 0.4
	results := container.NewBorder(container.NewVBox(container.NewHBox(v.compute, v.publish, v.export), v.busy.bar, v.msg), nil, nil, nil, split)
	v.tabs = container.NewAppTabs(
		container.NewTabItem(i18n.L("assessment.tab.results"), container.NewPadded(results)),
		container.NewTabItem(i18n.L("assessment.tab.scheme"), v.scheme.content),
		container.NewTabItem(i18n.L("assessment.tab.ratings"), v.ratings.content),
		container.NewTabItem(i18n.L("assessment.tab.units"), v.units.content))
	v.tabs.OnSelected = func(t *container.TabItem) {
		switch t.Content {
		case v.ratings.content:
			if !v.ratings.edited() { // newly published posts, unless a rating is being typed
				v.ratings.reload()
			}
		case v.scheme.content:
			v.scheme.reload()
		case v.units.content:
			v.units.reload()
		}
	}
	v.kind.SetSelected(kinds[0])
	v.content = container.NewBorder(container.NewPadded(picker), nil, nil, nil, v.tabs)
	return v
}

// setKind offers the periods of kind k up to now, newest first, and picks
// the last finished one: results and the circular are for a finished
// period (the running one is offered first, to look at early).
func (v *assessmentView) setKind(k app.PeriodKind) {
	p := app.PeriodOf(k, v.d.now())
	v.keys = map[string]string{}
	var options []string
	for range periodChoices[k] {
		o := v.d.periodText(p)
		v.keys[o] = p.Key
		options = append(options, o)
		p = p.Previous()
	}
	v.period.Options = options
	v.period.SetSelected(options[min(1, len(options)-1)])
}

// periodText is a period as the UI shows it: 2026年11月 in Chinese, its
// key 2026-11 in English.
func (d *desk) periodText(p app.Period) string {
	if d.lang == i18n.English {
		return p.Key
	}
	return p.Label()
}

// key is the chosen period's key.
func (v *assessmentView) key() string { return v.keys[v.period.Selected] }

// periodChanged forgets what was shown for another period. A rating
// being typed for the period before is dropped only after asking; keeping
// it chooses that period again.
func (v *assessmentView) periodChanged() {
	p := v.ratings
	if p == nil || p.key == "" || p.key == v.key() {
		v.showPeriod()
		return
	}
	back := p.key
	v.d.leaveIf(p.edited(), &p.discard, v.showPeriod, func() {
		for option, key := range v.keys {
			if key == back {
				v.period.SetSelected(option) // back: nothing to reload
			}
		}
	})
}

// showPeriod shows the chosen period: results computed for another are
// dropped, and its posts to rate are listed.
func (v *assessmentView) showPeriod() {
	if v.shown.Period.Key != "" && v.shown.Period.Key != v.key() {
		v.shown, v.history = app.Assessment{}, nil
		v.showResults()
		setMessage(v.msg, "")
	}
	if v.ratings != nil && v.ratings.key != v.key() {
		v.ratings.reload()
	}
	if v.units != nil && v.units.month != v.key() {
		v.units.reload()
	}
}

// say shows text under the buttons of 考核结果.
func (v *assessmentView) say(text string, imp widget.Importance) {
	v.msg.Importance = imp
	setMessage(v.msg, text)
}

// run computes the chosen period and its trend off the UI goroutine.
func (v *assessmentView) run() {
	key := v.key()
	if !v.busy.start() {
		return
	}
	s := v.d.session
	var a app.Assessment
	var history []app.Assessment
	var err error
	v.d.run(func() {
		if a, err = s.Compute(key); err == nil {
			history, err = s.Trend(key, trendPeriods)
		}
	}, func() {
		v.busy.stop()
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.shown, v.history = a, history
		v.showResults()
		if len(a.Units) == 0 {
			v.say(v.d.errText(app.ErrNoUnits), widget.WarningImportance)
			return
		}
		v.say(i18n.L("assessment.computed", map[string]any{"Period": v.d.periodText(a.Period), "Units": len(a.Units),
			"Average": chartNumber(a.Average()), "Scheme": a.Scheme.Number}), widget.MediumImportance)
	})
}

// showResults fills the table and the charts with what is shown.
func (v *assessmentView) showResults() {
	has := len(v.shown.Units) > 0
	v.export.Disable()
	v.publish.Disable()
	if has {
		v.export.Enable()
		if v.d.session.User().Role == app.HQAdmin {
			v.publish.Enable()
		}
	}
	v.table.Refresh()
	bars := make([]chartBar, len(v.shown.Units))
	units := []string{i18n.L("assessment.trend.all")}
	for i, u := range v.shown.Units {
		bars[i] = chartBar{Label: u.Name, Value: u.Total}
		units = append(units, u.Name)
	}
	v.bars.setBars(bars)
	v.trendUnit.Options = units
	v.trendUnit.SetSelected(units[0])
	v.showTrend()
}

// showTrend draws the history of every unit, or of the unit chosen.
func (v *assessmentView) showTrend() {
	var labels []string
	for _, a := range v.history {
		labels = append(labels, a.Period.Key)
	}
	var series []chartSeries
	for _, u := range v.shown.Units {
		if v.trendUnit.SelectedIndex() > 0 && u.Name != v.trendUnit.Selected {
			continue
		}
		s := chartSeries{Name: u.Name}
		for _, a := range v.history {
			val := math.NaN()
			for _, x := range a.Units {
				if x.Unit == u.Unit {
					val = x.Total
				}
			}
			s.Values = append(s.Values, val)
		}
		series = append(series, s)
	}
	v.trend.setData(labels, series)
}

// newTable is the ranking: 名次 单位 总分 and each indicator's points.
func (v *assessmentView) newTable() *widget.Table {
	t := widget.NewTable(func() (int, int) { return len(v.shown.Units), 3 + len(v.rules()) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(v.cell(id.Row, id.Col)) })
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(v.header(id.Col))
		}
	}
	for i, w := range []float32{60, 150, 80} {
		t.SetColumnWidth(i, w)
	}
	for i := range app.Indicators {
		t.SetColumnWidth(3+i, 110)
	}
	return t
}

// rules are the shown scheme's rules.
func (v *assessmentView) rules() []app.IndicatorRule { return v.shown.Scheme.Definition.Indicators }

// header is column c's title.
func (v *assessmentView) header(c int) string {
	switch c {
	case 0:
		return i18n.L("assessment.col.rank")
	case 1:
		return i18n.L("assessment.col.unit")
	case 2:
		return i18n.L("assessment.col.total")
	}
	if r := v.rules(); c-3 < len(r) {
		return indicatorLabel(r[c-3].Indicator)
	}
	return ""
}

// cell is the text of row r, column c of the ranking.
func (v *assessmentView) cell(r, c int) string {
	if r >= len(v.shown.Units) {
		return ""
	}
	u := v.shown.Units[r]
	switch c {
	case 0:
		return strconv.Itoa(u.Rank)
	case 1:
		return u.Name
	case 2:
		return chartNumber(u.Total)
	}
	if rules := v.rules(); c-3 < len(rules) {
		return chartNumber(u.Points[rules[c-3].Indicator])
	}
	return ""
}

// indicatorLabel is an indicator's name in the UI language.
func indicatorLabel(i app.Indicator) string { return i18n.L("assessment.ind." + string(i)) }

// askPublish asks before publishing the shown period's results.
func (v *assessmentView) askPublish() {
	key, label := v.shown.Period.Key, v.d.periodText(v.shown.Period)
	v.confirm = dialog.NewConfirm(i18n.L("assessment.publish.title"), i18n.L("assessment.publish.confirm", map[string]any{"Period": label}),
		func(ok bool) {
			v.confirm = nil
			if ok {
				v.publishNow(key, label)
			}
		}, v.d.win)
	v.confirm.SetConfirmText(i18n.L("assessment.publish.ok"))
	v.confirm.Show()
}

// publishNow publishes period key off the UI goroutine.
func (v *assessmentView) publishNow(key, label string) {
	if !v.busy.start() {
		return
	}
	s := v.d.session
	var a app.Assessment
	var err error
	v.d.run(func() { a, err = s.PublishResults(key) }, func() {
		v.busy.stop()
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.shown = a
		v.showResults()
		v.say(i18n.L("assessment.published", map[string]any{"Period": label, "Units": len(a.Units)}), widget.SuccessImportance)
	})
}

// chooseFile asks where to save the circular of the shown period.
func (v *assessmentView) chooseFile() {
	a := v.shown
	askSaveFile(v.d, i18n.L("assessment.file_name")+"_"+a.Period.Key+".xlsx", func(w fyne.URIWriteCloser) {
		if !v.busy.start() {
			// Other work started while the dialog was open: leave no
			// empty file behind.
			w.Close()
			storage.Delete(w.URI())
			return
		}
		s := v.d.session
		writeFile(v.d, w, func(w io.Writer) error { return s.ExportAssessmentXLSX(w, a) }, func(u fyne.URI, err error) {
			v.busy.stop()
			v.exported(u, err)
		})
	}, func(err error) { v.exported(nil, err) })
}

// exported says where the circular went, or why it did not.
func (v *assessmentView) exported(u fyne.URI, err error) {
	if err != nil {
		v.say(v.d.errText(err), widget.DangerImportance)
		return
	}
	v.say(i18n.L("assessment.exported", map[string]any{"Path": u.Path()}), widget.SuccessImportance)
}

// schemeRow is the inputs of one indicator in the scheme editor.
type schemeRow struct {
	ind                 app.Indicator
	weight, target, per *widget.Entry
	cap                 *widget.Entry
	rule                *widget.Select
	rules               []app.Rule // what rule offers, in order
	msg                 *widget.Label
}

// schemeEditor is 考核方案: the versions, and a grid of every indicator's
// weight, rule and its numbers, loaded from the open draft (or else the
// scheme in force); 保存为草稿 saves it as the draft version, 启用草稿 (HQ
// admins) puts the draft in force.
type schemeEditor struct {
	v        *assessmentView
	content  fyne.CanvasObject
	versions *widget.Label
	rows     []*schemeRow
	sum      *widget.Label
	note     *widget.Entry
	form     *form
	save     *widget.Button
	activate *widget.Button
	draftID  string // the open draft, "" for none
}

func newSchemeEditor(v *assessmentView) *schemeEditor {
	e := &schemeEditor{v: v, versions: widget.NewLabel(""), sum: widget.NewLabel(""), note: widget.NewEntry(), form: newForm(v.d)}
	e.versions.Wrapping = fyne.TextWrapWord
	grid := container.New(layout.NewGridLayoutWithColumns(6))
	for _, k := range []string{"indicator", "weight", "rule", "target", "per", "cap"} {
		grid.Add(widget.NewLabelWithStyle(i18n.L("assessment.scheme.col."+k), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	rows := container.NewVBox(grid)
	for _, ind := range app.Indicators {
		r := &schemeRow{ind: ind, weight: widget.NewEntry(), target: widget.NewEntry(), per: widget.NewEntry(), cap: widget.NewEntry(), msg: errorLabel()}
		r.rules = []app.Rule{app.RuleRelative, app.RuleTarget}
		if ind.Penalty() {
			r.rules = []app.Rule{app.RuleDeduct}
		}
		var names []string
		for _, rl := range r.rules {
			names = append(names, i18n.L("assessment.rule."+string(rl)))
		}
		r.rule = widget.NewSelect(names, func(string) { r.enable() })
		r.weight.OnChanged = func(string) { e.showSum() }
		for _, k := range []string{"weight", "rule", "target", "per", "cap"} {
			e.form.fields[k+"."+string(ind)] = &field{msg: r.msg}
		}
		line := container.New(layout.NewGridLayoutWithColumns(6), widget.NewLabel(indicatorLabel(ind)), r.weight, r.rule, r.target, r.per, r.cap)
		rows.Add(container.NewVBox(line, r.msg))
		e.rows = append(e.rows, r)
	}
	sumMsg := errorLabel()
	e.form.fields["weights"] = &field{msg: sumMsg}
	e.form.fields["indicators"] = &field{msg: sumMsg}
	e.form.add("note", i18n.L("assessment.scheme.note"), e.note)
	e.save = widget.NewButtonWithIcon(i18n.L("assessment.scheme.save"), theme.DocumentSaveIcon(), e.saveDraft)
	e.save.Importance = widget.HighImportance
	e.activate = widget.NewButtonWithIcon(i18n.L("assessment.scheme.activate"), theme.ConfirmIcon(), e.askActivate)
	hint := v.d.para(i18n.L("assessment.scheme.hint"))
	body := container.NewVBox(e.versions, hint, widget.NewSeparator(), rows, e.sum, sumMsg, e.form.object(),
		container.NewHBox(e.save, e.activate))
	e.content = container.NewVScroll(container.NewPadded(body))
	return e
}

// enable turns on the numbers the chosen rule uses.
func (r *schemeRow) enable() {
	rule := r.chosen()
	for _, x := range []struct {
		e  *widget.Entry
		on bool
	}{{r.target, rule == app.RuleTarget}, {r.per, rule == app.RuleDeduct}, {r.cap, rule == app.RuleDeduct}} {
		if x.on {
			x.e.Enable()
		} else {
			x.e.Disable()
		}
	}
}

// chosen is the rule selected.
func (r *schemeRow) chosen() app.Rule {
	if i := r.rule.SelectedIndex(); i >= 0 {
		return r.rules[i]
	}
	return ""
}

// numberText shows a scheme number, empty for 0.
func numberText(f float64) string {
	if f == 0 {
		return ""
	}
	return chartNumber(f)
}

// reload reads the versions and fills the grid from the draft, or else
// from the scheme in force.
func (e *schemeEditor) reload() {
	s := e.v.d.session
	list, err := s.Schemes()
	if err != nil {
		e.form.fail(err)
		return
	}
	e.draftID = ""
	var shown app.Scheme
	var lines []string
	for _, sc := range list {
		switch sc.Status {
		case app.SchemeDraft:
			e.draftID, shown = sc.ID, sc
			lines = append(lines, i18n.L("assessment.scheme.draft", map[string]any{"Number": sc.Number}))
		case app.SchemeActive:
			if shown.ID == "" {
				shown = sc
			}
			lines = append(lines, i18n.L("assessment.scheme.current", map[string]any{"Number": sc.Number,
				"Time": sc.UpdatedAt.In(time.Local).Format("2006-01-02 15:04")}))
		}
	}
	e.versions.SetText(strings.Join(lines, "\n"))
	for _, r := range e.rows {
		rule, _ := shown.Rule(r.ind)
		r.weight.SetText(chartNumber(rule.Weight))
		r.target.SetText(numberText(rule.Target))
		r.per.SetText(numberText(rule.Per))
		r.cap.SetText(numberText(rule.Cap))
		r.rule.SetSelectedIndex(0)
		for i, rl := range r.rules {
			if rl == rule.Rule {
				r.rule.SetSelectedIndex(i)
			}
		}
		r.enable()
	}
	e.note.SetText("") // a new version's note
	if shown.Status == app.SchemeDraft {
		e.note.SetText(shown.Note)
	}
	e.form.clear()
	e.showSum()
	if e.draftID != "" && s.User().Role == app.HQAdmin {
		e.activate.Enable()
	} else {
		e.activate.Disable()
	}
}

// showSum adds up the weights typed so far.
func (e *schemeEditor) showSum() {
	sum := 0.0
	for _, r := range e.rows {
		if f, err := strconv.ParseFloat(strings.TrimSpace(r.weight.Text), 64); err == nil {
			sum += f
		}
	}
	e.sum.SetText(i18n.L("assessment.scheme.sum", map[string]any{"Sum": chartNumber(sum)}))
}

// definition reads the grid; a number that cannot be read is an error at
// its indicator.
func (e *schemeEditor) definition() (app.SchemeDefinition, error) {
	var d app.SchemeDefinition
	for _, r := range e.rows {
		rule := app.IndicatorRule{Indicator: r.ind, Rule: r.chosen()}
		for _, x := range []struct {
			key string
			e   *widget.Entry
			dst *float64
			use bool
		}{{"weight", r.weight, &rule.Weight, true}, {"target", r.target, &rule.Target, rule.Rule == app.RuleTarget},
			{"per", r.per, &rule.Per, rule.Rule == app.RuleDeduct}, {"cap", r.cap, &rule.Cap, rule.Rule == app.RuleDeduct}} {
			if !x.use {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(x.e.Text), 64)
			if err != nil {
				return d, &app.FieldError{Field: x.key + "." + string(r.ind), Msg: i18n.L("assessment.scheme.not_number",
					map[string]any{"What": i18n.L("assessment.scheme.col." + x.key)})}
			}
			*x.dst = f
		}
		d.Indicators = append(d.Indicators, rule)
	}
	return d, nil
}

// saveDraft saves the grid as the draft version.
func (e *schemeEditor) saveDraft() {
	e.form.clear()
	d, err := e.definition()
	if err == nil {
		var sc app.Scheme
		if sc, err = e.v.d.session.SaveSchemeDraft(d, e.note.Text); err == nil {
			e.reload()
			e.form.done(i18n.L("assessment.scheme.saved", map[string]any{"Number": sc.Number}))
			return
		}
	}
	e.form.fail(err)
}

// askActivate asks before putting the draft in force.
func (e *schemeEditor) askActivate() {
	id := e.draftID
	e.v.confirm = dialog.NewConfirm(i18n.L("assessment.scheme.activate"), i18n.L("assessment.scheme.activate.confirm"), func(ok bool) {
		e.v.confirm = nil
		if !ok {
			return
		}
		sc, err := e.v.d.session.ActivateScheme(id)
		if err != nil {
			e.form.fail(err)
			return
		}
		e.reload()
		e.form.done(i18n.L("assessment.scheme.activated", map[string]any{"Number": sc.Number}))
	}, e.v.d.win)
	e.v.confirm.SetConfirmText(i18n.L("assessment.scheme.activate.ok"))
	e.v.confirm.Show()
}

// ratingsPanel is 稿件评分: the chosen period's published posts on the
// left (unit, time, title, rating), the chosen one's rating on the right.
type ratingsPanel struct {
	v       *assessmentView
	content fyne.CanvasObject
	posts   []app.PostToRate
	list    *widget.List
	count   *widget.Label
	title   *widget.Label
	score   *widget.RadioGroup
	note    *widget.Entry
	save    *widget.Button
	form    *form
	chosen  int                   // index into posts, -1 for none
	key     string                // the period whose posts are listed
	discard *dialog.ConfirmDialog // the question before an unsaved rating is dropped, while it shows
}

func newRatingsPanel(v *assessmentView) *ratingsPanel {
	p := &ratingsPanel{v: v, count: widget.NewLabel(""), title: widget.NewLabel(i18n.L("assessment.rate.pick")), note: multiLine(3),
		form: newForm(v.d), chosen: -1}
	p.title.Wrapping = fyne.TextWrapWord
	p.title.TextStyle.Bold = true
	p.score = ratingChoice()
	p.list = textList(func() int { return len(p.posts) }, p.row)
	p.list.OnSelected = p.pick
	p.form.add("rating", i18n.L("assessment.rate.score"), p.score)
	p.form.add("note", i18n.L("assessment.rate.note"), p.note)
	p.save = widget.NewButtonWithIcon(i18n.L("assessment.rate.save"), theme.DocumentSaveIcon(), p.rate)
	p.save.Importance = widget.HighImportance
	p.save.Disable()
	detail := container.NewVBox(p.title, p.form.object(), container.NewHBox(p.save))
	split := container.NewHSplit(container.NewBorder(p.count, nil, nil, nil, p.list), container.NewPadded(detail))
	split.Offset = 0.6
	p.content = container.NewPadded(split)
	return p
}

// row is post i as the list shows it.
func (p *ratingsPanel) row(i int) string {
	if i >= len(p.posts) {
		return ""
	}
	x := p.posts[i]
	return fmt.Sprintf("%s  %s  %s  ［%s］", x.UnitName, x.PublishedAt.In(time.Local).Format("01-02 15:04"), x.Title, ratingText(x.Rating))
}

// ratingChoice is a row of the ratings 1 to 5 to choose from.
func ratingChoice() *widget.RadioGroup {
	r := widget.NewRadioGroup([]string{"1", "2", "3", "4", "5"}, nil)
	r.Horizontal = true
	return r
}

// ratingText is a rating as lists show it: "4 分", or 未评分 for 0.
func ratingText(n int) string {
	if n == 0 {
		return i18n.L("assessment.rate.unrated")
	}
	return i18n.L("assessment.rate.stars", map[string]any{"N": n})
}

// textList is a list of one-line labels, cut off with an ellipsis where
// too long: item i reads text(i).
func textList(length func() int, text func(int) string) *widget.List {
	return widget.NewList(length,
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(text(i)) })
}

// reload reads the chosen period's posts.
func (p *ratingsPanel) reload() {
	p.key = p.v.key()
	posts, err := p.v.d.session.PostsToRate(p.key)
	p.posts, p.chosen = nil, -1
	p.list.UnselectAll()
	p.form.clear()
	p.score.SetSelected("")
	p.note.SetText("")
	p.save.Disable()
	p.title.SetText(i18n.L("assessment.rate.pick"))
	if err != nil {
		p.form.fail(err)
		p.list.Refresh()
		return
	}
	p.posts = posts
	rated := 0
	for _, x := range posts {
		if x.Rating > 0 {
			rated++
		}
	}
	if len(posts) == 0 {
		p.count.SetText(i18n.L("assessment.rate.none"))
	} else {
		p.count.SetText(i18n.L("assessment.rate.count", map[string]any{"Count": len(posts), "Rated": rated}))
	}
	p.list.Refresh()
}

// edited reports whether the chosen post's rating or note was changed
// and not saved.
func (p *ratingsPanel) edited() bool {
	if p.chosen < 0 || p.chosen >= len(p.posts) {
		return false
	}
	x := p.posts[p.chosen]
	rating := ""
	if x.Rating > 0 {
		rating = strconv.Itoa(x.Rating)
	}
	return p.score.Selected != rating || strings.TrimSpace(p.note.Text) != x.Note
}

// pick shows post i's rating for editing; a rating being typed for
// another post is dropped only after asking, and keeping it selects that
// post again.
func (p *ratingsPanel) pick(i widget.ListItemID) {
	if i >= len(p.posts) || i == p.chosen {
		return
	}
	p.v.d.leaveIf(p.edited(), &p.discard, func() { p.show(i) }, func() {
		p.list.Select(p.chosen) // pick does nothing for the chosen post
	})
}

// show puts post i's rating in the form.
func (p *ratingsPanel) show(i int) {
	p.chosen = i
	x := p.posts[i]
	p.form.clear()
	p.title.SetText(x.UnitName + "：" + x.Title)
	p.score.SetSelected("")
	if x.Rating > 0 {
		p.score.SetSelected(strconv.Itoa(x.Rating))
	}
	p.note.SetText(x.Note)
	p.save.Enable()
}

// rate saves the chosen post's rating.
func (p *ratingsPanel) rate() {
	if p.chosen < 0 {
		return
	}
	p.form.clear()
	n, _ := strconv.Atoi(p.score.Selected)
	x := &p.posts[p.chosen]
	if err := p.v.d.session.RatePost(x.ID, n, p.note.Text); err != nil {
		p.form.fail(err)
		return
	}
	x.Rating, x.Note = n, strings.TrimSpace(p.note.Text)
	p.list.RefreshItem(p.chosen)
	p.form.done(i18n.L("assessment.rate.saved"))
}

// latestResultCard is the station home's card with the unit's newest
// published result (score, rank of how many, period), or nil when HQ has
// published none.
func latestResultCard(d *desk) fyne.CanvasObject {
	results, err := d.session.MyResults()
	if err != nil || len(results) == 0 {
		return nil
	}
	r := results[0]
	text := widget.NewLabel(i18n.L("assessment.home.result", map[string]any{"Score": chartNumber(r.Score), "Rank": r.Rank, "Units": r.Units}))
	text.TextStyle.Bold = true
	return widget.NewCard(i18n.L("assessment.home.title"), d.periodText(r.Period), text)
}
