package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// matrixView is 账号总览 (HQ, Art. 3, 5): every account of every unit as the
// stations last sent them, filtered by unit, platform, kind and status,
// with a count of what the filter shows; each row has the 僵尸/睡眠 badge
// (HQ's activity rule), and a filing waiting for HQ is marked 待审. The
// selected account shows every field of its filing and HQ's decisions;
// one HQ may act on opens in 审批. The county bureau's own accounts (县局)
// head the list; 登记县局账号 records one (matrix_bureau.go).
type matrixView struct {
	widget.BaseWidget
	*queuePane
	s                            *shell
	unit, platform, kind, status *widget.Select
	units                        []app.UnitRecord
	entries                      []app.CountyAccount
	summary                      *widget.Label
	shown                        string // the account shown, empty for none
	record                       *widget.Button
	form                         *bureauForm           // while the bureau form is open
	discard                      *dialog.ConfirmDialog // the question before unsaved changes are dropped, while it shows
	dialog                       *formDialog           // the closing dialog, while it shows
}

// accountKinds are the kind filter's options after 全部类型.
var accountKinds = []string{app.UnitAccount, app.PersonalAccount}

func newMatrixView(s *shell) *matrixView {
	d := s.d
	v := &matrixView{s: s, summary: widget.NewLabel("")}
	v.summary.Wrapping = fyne.TextWrapWord
	unitOpts := []string{i18n.L("matrix.filter.all_units"), i18n.L("matrix.bureau.filter")}
	units, err := d.session.MatrixUnits()
	for _, u := range units {
		unitOpts = append(unitOpts, u.Name)
	}
	v.units = units
	platformOpts := []string{i18n.L("posts.filter.all_platforms")}
	for _, p := range app.Platforms {
		platformOpts = append(platformOpts, platformName(d, p))
	}
	kindOpts := []string{i18n.L("matrix.filter.all_kinds")}
	for _, k := range accountKinds {
		kindOpts = append(kindOpts, i18n.L("accounts.kind."+k))
	}
	statusOpts := []string{i18n.L("accounts.filter.all_status")}
	for _, st := range filingStatuses {
		statusOpts = append(statusOpts, filingStatusLabel(st))
	}
	v.unit, v.platform = widget.NewSelect(unitOpts, nil), widget.NewSelect(platformOpts, nil)
	v.kind, v.status = widget.NewSelect(kindOpts, nil), widget.NewSelect(statusOpts, nil)
	for _, sel := range []*widget.Select{v.unit, v.platform, v.kind, v.status} {
		sel.SetSelectedIndex(0)
		sel.OnChanged = func(string) { v.reload() }
	}
	list := widget.NewList(func() int { return len(v.entries) },
		func() fyne.CanvasObject { return newAccountRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r, c := o.(*accountRow), v.entries[i]
			setCountyRow(d, r, c)
			if c.Bureau {
				r.name.SetText(i18n.L("matrix.bureau") + " · " + c.Name)
			}
		})
	list.OnSelected = func(i widget.ListItemID) {
		if i < len(v.entries) {
			id := v.entries[i].ID
			v.leaveForm(func() { v.showAccount(id) })
		}
	}
	v.record = widget.NewButtonWithIcon(i18n.L("matrix.bureau.new"), theme.ContentAddIcon(), func() {
		v.leaveForm(func() { v.openBureauForm(app.BureauAccountForm{}) })
	})
	v.record.Importance = widget.HighImportance
	v.queuePane = newQueuePane(d, i18n.L("nav.matrix"), list, v.refresh,
		container.NewHBox(v.record), container.NewGridWithColumns(2, v.unit, v.platform, v.kind, v.status), v.summary)
	v.showEmpty("matrix.none_selected")
	if err != nil {
		v.listed(0, err, "")
	} else {
		v.reload()
	}
	s.reopen["nav.matrix"] = v.refresh
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer shows the matrix and the account beside it.
func (v *matrixView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

// filter is the filter the selectors set.
func (v *matrixView) filter() app.AccountFilter {
	var f app.AccountFilter
	switch i := v.unit.SelectedIndex(); {
	case i == 1:
		f.Unit = v.s.d.session.Unit().ID // 县局: the bureau's own accounts
	case i > 1:
		f.Unit = v.units[i-2].ID
	}
	if i := v.platform.SelectedIndex(); i > 0 {
		f.Platform = app.Platforms[i-1].Code
	}
	if i := v.kind.SelectedIndex(); i > 0 {
		f.Kind = accountKinds[i-1]
	}
	if i := v.status.SelectedIndex(); i > 0 {
		f.Status = filingStatuses[i-1]
	}
	return f
}

// reload reads the matrix as the filters select it and counts what it
// shows.
func (v *matrixView) reload() {
	entries, err := v.s.d.session.Matrix(v.filter())
	v.listed(len(entries), err, "matrix.empty")
	if err != nil {
		return
	}
	var zombie, sleeping, waiting int
	for _, e := range entries {
		switch {
		case e.Activity == app.Zombie:
			zombie++
		case e.Activity == app.Sleeping:
			sleeping++
		case e.Waiting():
			waiting++
		}
	}
	v.summary.SetText(i18n.L("matrix.summary", map[string]any{"Total": len(entries), "Zombie": zombie, "Sleeping": sleeping, "Waiting": waiting}))
	v.entries = entries
	v.list.UnselectAll()
	v.list.Refresh()
}

// refresh reads the matrix and the shown account again; an open bureau
// form stays as it is.
func (v *matrixView) refresh() {
	v.reload()
	if v.shown != "" && v.form == nil {
		v.showAccount(v.shown)
	}
}

// showAccount reads account id and shows it, with 去审批 when HQ may act
// on its filing.
func (v *matrixView) showAccount(id string) {
	if id != v.shown {
		v.say("", widget.MediumImportance)
	}
	if v.isBureau(id) {
		ad, err := v.s.d.session.BureauAccount(id)
		if err != nil {
			v.say(v.s.d.errText(err), widget.DangerImportance)
			return
		}
		v.shown = id
		v.showBureau(ad)
		return
	}
	r, err := v.s.d.session.FilingForReview(id)
	if err != nil {
		v.say(v.s.d.errText(err), widget.DangerImportance)
		return
	}
	v.shown = id
	actions := container.NewHBox()
	stage := app.FilingStage("")
	switch {
	case r.Waiting():
		stage = app.FilingsToDecide
	case r.Effective == app.FilingAccepted:
		stage = app.FilingsToVerify
	}
	if stage != "" {
		open := widget.NewButtonWithIcon(i18n.L("matrix.open_approvals."+string(stage)), theme.ConfirmIcon(), func() {
			if a := v.s.openApprovals(); a != nil {
				a.showFilings(stage, id)
			}
		})
		open.Importance = widget.HighImportance
		actions.Add(open)
	}
	v.show(container.NewVScroll(container.NewPadded(filingDetail(v.s.d, r, actions))))
}

// isBureau reports whether account id is one of the county bureau's own:
// as the list has it, or, when the filters hide it, as HQ holds it.
func (v *matrixView) isBureau(id string) bool {
	for _, e := range v.entries {
		if e.ID == id {
			return e.Bureau
		}
	}
	ad, err := v.s.d.session.Account(id)
	return err == nil && v.s.d.session.IsBureauAccount(ad.Account)
}
