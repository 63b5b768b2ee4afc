package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// stationsView is HQ's 所队: every station unit with its state (登记中,
// 已登记, 已吊销), key fingerprint, last bundle received and sent, and the
// days since it last sent one, in the warning colour past the limit. HQ
// admins enrol a new station (登记新所队: the enrollment file goes to a
// USB stick or a folder), register one from its registration bundle
// (导入注册包, typing the fingerprint the station read out by phone),
// revoke one (吊销, after a confirmation that says what it does), enrol a
// revoked one again (重新登记), and set the warning limit.
type stationsView struct {
	d        *desk
	list     []app.StationOverview
	rows     *widget.List
	msg      *widget.Label
	empty    *widget.Label // shown while no station is enrolled
	warnDays *widget.Entry // admins only
	warnForm *form
	content  fyne.CanvasObject

	// open dialogs, for the tests
	enroll   *enrollForm
	register *registerForm
	confirm  *dialog.ConfirmDialog
}

func newStationsView(d *desk) *stationsView {
	v := &stationsView{d: d, msg: errorLabel(), empty: d.para(i18n.L("stations.empty")), warnForm: newForm(d)}
	admin := d.session.User().Role == app.HQAdmin
	actions := container.NewHBox()
	if admin {
		enroll := widget.NewButtonWithIcon(i18n.L("stations.enroll"), theme.ContentAddIcon(), func() { v.openEnroll("", "") })
		enroll.Importance = widget.HighImportance
		actions.Add(enroll)
		actions.Add(widget.NewButtonWithIcon(i18n.L("stations.register"), theme.DownloadIcon(), func() {
			pickFile(d, []string{".mdbundle"}, v.openRegistration, func(err error) { v.say(d.errText(err), widget.DangerImportance) })
		}))
	}
	title := heading(i18n.L("nav.stations"))
	title.Wrapping = fyne.TextWrapOff
	limit := strconv.Itoa(d.session.SyncWarnDays())
	if admin {
		v.warnDays = widget.NewEntry()
		v.warnDays.SetText(limit)
		save := widget.NewButtonWithIcon(i18n.L("button.save"), theme.DocumentSaveIcon(), v.saveWarnDays)
		v.warnForm.add("sync_warn_days", i18n.L("stations.warn_days"),
			container.NewHBox(column(80, v.warnDays), widget.NewLabel(i18n.L("stations.warn_days.unit")), save))
	} else {
		v.warnForm.add("", i18n.L("stations.warn_days"), widget.NewLabel(i18n.L("stations.warn_days.value", map[string]any{"Days": limit})))
	}
	v.rows = widget.NewList(
		func() int { return len(v.list) },
		func() fyne.CanvasObject { return newStationRow(v, admin) },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*stationRow).set(v.list[i]) })
	top := container.NewVBox(container.NewBorder(nil, nil, nil, actions, title), v.msg, v.warnForm.object(), widget.NewSeparator(), v.empty)
	v.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, v.rows))
	v.reload()
	return v
}

// reload reads the register again.
func (v *stationsView) reload() {
	list, err := v.d.session.StationsOverview()
	if err != nil {
		v.say(v.d.errText(err), widget.DangerImportance)
		return
	}
	v.list = list
	if len(list) == 0 {
		v.empty.Show()
	} else {
		v.empty.Hide()
	}
	v.rows.Refresh()
}

// say shows a message above the list.
func (v *stationsView) say(text string, imp widget.Importance) {
	v.msg.Importance = imp
	setMessage(v.msg, text)
}

// saveWarnDays saves the warning limit; app/ checks the range (text that is
// no number is passed as 0 and refused there).
func (v *stationsView) saveWarnDays() {
	v.warnForm.clear()
	n, err := strconv.Atoi(strings.TrimSpace(v.warnDays.Text))
	if err != nil {
		n = 0
	}
	if err := v.d.session.SetSyncWarnDays(n); err != nil {
		v.warnForm.fail(err)
		return
	}
	v.reload()
	v.warnForm.done(i18n.L("settings.saved"))
}

// stationRow is one station: name and state, fingerprint, bundles both
// ways and days since it synced, and the admin's action.
type stationRow struct {
	widget.BaseWidget
	name, key, bundles, days *widget.Label
	revoke, again            *widget.Button
	admin                    bool
	station                  app.StationOverview
}

func newStationRow(v *stationsView, admin bool) *stationRow {
	r := &stationRow{name: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		key: widget.NewLabel(""), bundles: widget.NewLabel(""), days: widget.NewLabel(""), admin: admin}
	for _, l := range []*widget.Label{r.name, r.key, r.bundles} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	r.revoke = widget.NewButtonWithIcon(i18n.L("stations.revoke"), theme.CancelIcon(), func() { v.confirmRevoke(r.station) })
	r.again = widget.NewButtonWithIcon(i18n.L("stations.enroll_again"), theme.ViewRefreshIcon(), func() {
		v.openEnroll(r.station.Unit.ID, r.station.Unit.Name)
	})
	r.revoke.Hide()
	r.again.Hide()
	r.ExtendBaseWidget(r)
	return r
}

// set shows o; an admin gets 吊销 for a registered station and 重新登记
// for the others.
func (r *stationRow) set(o app.StationOverview) {
	r.station = o
	u := o.Unit
	r.name.SetText(i18n.L("stations.row.name", map[string]any{"Name": unitLabel(u), "State": unitStateLabel(u.State)}))
	fp := o.Fingerprint
	if fp == "" {
		fp = i18n.L("stations.row.no_key")
	}
	r.key.SetText(i18n.L("stations.row.key", map[string]any{"Fingerprint": fp}))
	in, out := msWhen(o.LastIn), msWhen(o.LastOut)
	if o.LastIn > 0 {
		in = i18n.L("stations.row.seq", map[string]any{"When": in, "Seq": o.Received})
	}
	if o.LastOut > 0 {
		out = i18n.L("stations.row.seq", map[string]any{"When": out, "Seq": o.SentSeq})
	}
	r.bundles.SetText(i18n.L("stations.row.bundles", map[string]any{"In": in, "Out": out}))
	switch {
	case u.State != app.UnitRegistered:
		r.days.SetText("")
	case o.Synced && o.DaysSinceSync == 0:
		r.days.SetText(i18n.L("stations.row.today"))
	case o.Synced:
		r.days.SetText(i18n.L("stations.row.days", map[string]any{"Days": o.DaysSinceSync}))
	default:
		r.days.SetText(i18n.L("stations.row.never", map[string]any{"Days": o.DaysSinceSync}))
	}
	r.days.Importance = widget.MediumImportance
	if o.Late {
		r.days.Importance = widget.WarningImportance
	}
	r.days.Refresh()
	switch {
	case !r.admin:
	case u.State == app.UnitRegistered:
		r.revoke.Show()
		r.again.Hide()
	default:
		r.revoke.Hide()
		r.again.Show()
	}
}

// CreateRenderer lays the lines out beside the buttons; the exchange line
// takes the width the days-since-sync note leaves it.
func (r *stationRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, container.NewCenter(container.NewHBox(r.revoke, r.again)),
		container.NewVBox(r.name, r.key, container.NewBorder(nil, nil, nil, r.days, r.bundles))))
}

// enrollForm is the 登记新所队 dialog (and 重新登记, with the unit id
// fixed): the unit id and name, and where to write the enrollment file.
type enrollForm struct {
	id, name *widget.Entry
	dir      string
	where    *widget.Label
	picker   *targetPicker
	fd       *formDialog
}

// openEnroll shows the dialog; id and name are set to enrol a known unit
// again.
func (v *stationsView) openEnroll(id, name string) {
	f := &enrollForm{id: widget.NewEntry(), name: widget.NewEntry(), where: widget.NewLabel(i18n.L("stations.enroll.dir.none"))}
	f.where.Wrapping = fyne.TextWrapBreak
	f.id.SetPlaceHolder(i18n.L("stations.enroll.unit_id.placeholder"))
	f.name.SetPlaceHolder(i18n.L("stations.enroll.unit_name.placeholder"))
	title, intro := i18n.L("stations.enroll"), i18n.L("stations.enroll.intro")
	if id != "" {
		f.id.SetText(id)
		f.id.Disable()
		f.name.SetText(name)
		title, intro = i18n.L("stations.enroll_again.title", map[string]any{"Name": name}), i18n.L("stations.enroll_again.intro")
	}
	fm := newForm(v.d)
	fm.add("unit_id", i18n.L("stations.enroll.unit_id"), f.id, note(i18n.L("stations.enroll.unit_id.hint")))
	fm.add("unit_name", i18n.L("stations.enroll.unit_name"), f.name)
	f.picker = newTargetPicker(v.d, f.choose)
	fm.add("dir", i18n.L("stations.enroll.dir"), f.where, f.picker.content)
	s := v.d.session
	var path string
	f.fd = v.d.showFormDialog(title, intro, i18n.L("stations.enroll.submit"), fm, func() (func() error, error) {
		if f.dir == "" {
			return nil, &app.FieldError{Field: "dir", Msg: i18n.L("stations.enroll.dir.missing")}
		}
		id, name, dir := f.id.Text, f.name.Text, f.dir
		return func() error {
			var err error
			path, err = s.EnrollUnit(id, name, dir)
			return err
		}, nil
	}, func() {
		v.reload()
		msg := i18n.L("stations.enrolled", map[string]any{"Path": path})
		if k, err := s.Keys(); err == nil {
			msg += i18n.L("stations.enrolled.fingerprint", map[string]any{"Fingerprint": k.Fingerprint})
		}
		v.say(msg, widget.SuccessImportance)
	}, func() { v.enroll = nil })
	v.enroll = f
	if id == "" {
		v.d.win.Canvas().Focus(f.id)
	}
}

// choose takes dir as where the enrollment file goes.
func (f *enrollForm) choose(dir string) {
	f.dir = dir
	f.where.SetText(dir)
}

// registerForm is the 导入注册包 dialog: the station and its fingerprint,
// and the fingerprint the station read out, typed.
type registerForm struct {
	typed *widget.Entry
	fd    *formDialog
}

// openRegistration reads the registration bundle at path and asks for the
// fingerprint the station read out.
func (v *stationsView) openRegistration(path string) {
	s := v.d.session
	var (
		reg app.Registration
		err error
	)
	v.say("", widget.MediumImportance)
	v.d.run(func() {
		reg, err = s.ReadRegistration(context.Background(), path)
	}, func() {
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.showRegistration(path, reg)
	})
}

// showRegistration shows the dialog for the registration at path.
func (v *stationsView) showRegistration(path string, reg app.Registration) {
	f := &registerForm{typed: widget.NewEntry()}
	f.typed.SetPlaceHolder(i18n.L("stations.register.typed.placeholder"))
	fm := newForm(v.d)
	fm.add("", i18n.L("stations.register.unit"), widget.NewLabel(i18n.L("sync.peer.name", map[string]any{"Name": reg.UnitName, "Unit": reg.Unit})))
	fm.add("", i18n.L("stations.register.fingerprint"), fingerprintLabel(reg.Fingerprint))
	fm.add("fingerprint", i18n.L("stations.register.typed"), f.typed, note(i18n.L("stations.register.typed.hint")))
	s := v.d.session
	f.fd = v.d.showFormDialog(i18n.L("stations.register.title"), i18n.L("stations.register.intro"), i18n.L("stations.register.submit"), fm,
		func() (func() error, error) {
			typed := f.typed.Text
			return func() error {
				_, err := s.RegisterStation(context.Background(), path, typed)
				return err
			}, nil
		}, func() {
			v.reload()
			v.say(i18n.L("stations.registered", map[string]any{"Name": reg.UnitName}), widget.SuccessImportance)
		}, func() { v.register = nil })
	v.register = f
	v.d.win.Canvas().Focus(f.typed)
}

// confirmRevoke asks before revoking station o, saying what it does.
func (v *stationsView) confirmRevoke(o app.StationOverview) {
	text := v.d.para(i18n.L("stations.revoke.confirm", map[string]any{"Name": unitLabel(o.Unit)}))
	v.confirm = dialog.NewCustomConfirm(i18n.L("stations.revoke.title", map[string]any{"Name": o.Unit.Name}),
		i18n.L("stations.revoke"), i18n.L("button.cancel"), v.d.withCatcher(column(480, text)), func(ok bool) {
			v.confirm = nil
			if ok {
				v.revoke(o.Unit.ID, o.Unit.Name)
			}
		}, v.d.win)
	v.confirm.SetConfirmImportance(widget.DangerImportance)
	v.confirm.Show()
}

// revoke revokes the keys of station id.
func (v *stationsView) revoke(id, name string) {
	if err := v.d.session.RevokeUnit(id); err != nil {
		v.say(v.d.errText(err), widget.DangerImportance)
		return
	}
	v.reload()
	v.say(i18n.L("stations.revoked", map[string]any{"Name": name}), widget.SuccessImportance)
}

func (s *shell) buildStations() fyne.CanvasObject {
	s.stations = newStationsView(s.d)
	s.reopen["nav.stations"] = s.stations.reload
	return s.stations.content
}
