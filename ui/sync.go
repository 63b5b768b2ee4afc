package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/app/drives"
	"mediadesk/ui/i18n"
)

// syncView is 同步. A station that has not joined HQ yet sees the steps
// of joining: its admin imports HQ's enrollment file, compares HQ's
// fingerprint by phone, writes the registration bundle to a USB stick or a
// folder, and reads the station's own fingerprint out to HQ. Once joined,
// and at HQ, it shows the exchange with each peer (bundles sent,
// acknowledged and received, changes waiting, last import and export),
// 导出同步包 (HQ: to every station, or one from its row) and 导入同步包 (one
// file, several, or folders), both off the UI goroutine with progress and
// 取消, the outcome of the last export or import, and the ledger of recent
// bundles below.
type syncView struct {
	s       *shell
	d       *desk
	content *fyne.Container // the join page or the exchange page

	msg     *widget.Label     // what the last action did, or why it failed
	results *fyne.Container   // the outcome of the last export or import, a line each
	room    *container.Scroll // results, scrolling beyond a few lines

	// the exchange page
	peers      []app.PeerStatus
	peerList   *widget.List
	ledger     []app.LedgerEntry
	people     app.People // who exported and imported
	ledgerList *widget.List
	names      map[string]string // unit names by id
	ownKey     *fyne.Container   // a station's own fingerprint
	joinStart  *widget.Button    // 导入登记文件, for a station admin

	// open dialogs, for the tests
	enrollment *dialog.CustomDialog // HQ's fingerprint to compare before joining
	target     *targetDialog
	progress   *progressDialog
	importer   *importDialog
}

// ledgerLength is how many ledger rows the screen shows.
const ledgerLength = 200

// resultRoom is the most height the results take before they scroll.
const resultRoom = 140

func newSyncView(s *shell) *syncView {
	v := &syncView{s: s, d: s.d, content: container.NewStack(), msg: errorLabel(), results: container.NewVBox()}
	v.room = container.NewVScroll(v.results)
	v.room.Hide()
	v.build()
	return v
}

// build shows the join page at a station that has not joined, else the
// exchange page.
func (v *syncView) build() {
	peers, err := v.d.session.SyncStatus()
	if err == nil && len(peers) == 0 && v.d.session.Unit().Kind == app.Station {
		v.content.Objects = []fyne.CanvasObject{v.joinPage()}
	} else {
		v.content.Objects = []fyne.CanvasObject{v.exchangePage()}
		v.reload()
	}
	if err != nil {
		v.say(v.d.errText(err), widget.DangerImportance)
	}
	v.content.Refresh()
}

// say shows a message at the top of the page.
func (v *syncView) say(text string, imp widget.Importance) {
	v.msg.Importance = imp
	setMessage(v.msg, text)
}

// showResults shows lines, each in its importance, as the outcome of the
// last export or import.
func (v *syncView) showResults(lines []resultLine) {
	v.results.Objects = nil
	for _, l := range lines {
		lbl := v.d.para(l.text)
		lbl.Importance = l.imp
		v.results.Add(lbl)
	}
	v.results.Refresh()
	v.room.SetMinSize(fyne.NewSize(0, min(v.results.MinSize().Height, resultRoom)))
	v.room.Show()
	v.room.Refresh()
}

// resultLine is one line of the results.
type resultLine struct {
	text string
	imp  widget.Importance
}

// joinPage explains joining HQ; the station admin can start it.
func (v *syncView) joinPage() fyne.CanvasObject {
	var start *widget.Button
	if v.d.session.User().Role == app.StationAdmin {
		start = v.newJoinStart()
		start.Importance = widget.HighImportance
	}
	steps := container.NewVBox(
		step(1, i18n.L("sync.join.step1"), nil),
		step(2, i18n.L("sync.join.step2"), start),
		step(3, i18n.L("sync.join.step3"), nil),
		step(4, i18n.L("sync.join.step4"), nil))
	body := container.NewVBox(heading(i18n.L("sync.join.title")), v.d.para(i18n.L("sync.join.intro")), steps, v.msg)
	if start == nil {
		body.Add(v.d.para(i18n.L("sync.join.admin_only")))
	}
	return scrollColumn(body)
}

// newJoinStart makes the 导入登记文件 button: joining, or joining again
// after HQ enrolled the station anew.
func (v *syncView) newJoinStart() *widget.Button {
	v.joinStart = widget.NewButtonWithIcon(i18n.L("sync.join.import"), theme.FileIcon(), v.chooseEnrollment)
	return v.joinStart
}

// chooseEnrollment asks for HQ's enrollment file (*.mdenroll).
func (v *syncView) chooseEnrollment() {
	pickFile(v.d, []string{".mdenroll"}, v.openEnrollment, func(err error) { v.say(v.d.errText(err), widget.DangerImportance) })
}

// pickFile asks for an existing file with one of the extensions and hands
// its path to chosen; nothing happens when the user cancels.
func pickFile(d *desk, exts []string, chosen func(path string), failed func(error)) {
	dlg := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		switch {
		case err != nil:
			failed(err)
		case r != nil:
			path := r.URI().Path()
			_ = r.Close()
			chosen(path)
		}
	}, d.win)
	dlg.SetFilter(storage.NewExtensionFileFilter(exts))
	dlg.Resize(fyne.NewSize(960, 600))
	dlg.Show()
}

// pickFolder asks for a folder and hands its path to chosen; nothing
// happens when the user cancels.
func pickFolder(d *desk, chosen func(path string), failed func(error)) {
	dlg := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		switch {
		case err != nil:
			failed(err)
		case u != nil:
			chosen(u.Path())
		}
	}, d.win)
	dlg.Resize(fyne.NewSize(960, 600))
	dlg.Show()
}

// enrollmentSummary is what the station compares before joining: who
// sent the enrollment file, the unit it is for, and HQ's fingerprint.
type enrollmentSummary struct {
	hqName, unit, unitName, fingerprint string
}

// openEnrollment reads HQ's enrollment file at path and shows HQ's
// fingerprint, to compare by phone before joining.
func (v *syncView) openEnrollment(path string) {
	v.say("", widget.MediumImportance)
	var (
		sum enrollmentSummary
		err error
	)
	v.d.run(func() {
		e, rerr := app.ReadEnrollment(path)
		if err = rerr; err == nil {
			sum = enrollmentSummary{hqName: e.HQName, unit: e.Unit, unitName: e.UnitName, fingerprint: e.HQ.Fingerprint()}
		}
	}, func() {
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.confirmEnrollment(path, sum)
	})
}

// confirmEnrollment shows who sent the enrollment file and HQ's
// fingerprint; only when the user confirms they match is the registration
// written.
func (v *syncView) confirmEnrollment(path string, e enrollmentSummary) {
	warn := v.d.para(i18n.L("sync.join.compare"))
	warn.Importance = widget.WarningImportance
	body := container.NewVBox(
		v.d.para(i18n.L("sync.join.from", map[string]any{"HQ": e.hqName})),
		v.d.para(i18n.L("sync.join.as", map[string]any{"Name": e.unitName, "Unit": e.unit})),
		widget.NewLabelWithStyle(i18n.L("sync.join.hq_fingerprint"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		fingerprintLabel(e.fingerprint),
		warn)
	cancel := widget.NewButtonWithIcon(i18n.L("button.cancel"), theme.CancelIcon(), nil)
	ok := widget.NewButtonWithIcon(i18n.L("sync.join.match"), theme.ConfirmIcon(), nil)
	ok.Importance = widget.HighImportance
	dlg := dialog.NewCustomWithoutButtons(i18n.L("sync.join.check"), v.d.withCatcher(column(520, body)), v.d.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, ok})
	dlg.SetOnClosed(func() { v.enrollment = nil })
	cancel.OnTapped = dlg.Hide
	ok.OnTapped = func() {
		dlg.Hide()
		v.target = showTarget(v.d, i18n.L("sync.join.target"), i18n.L("sync.join.target.intro"), func(dir string) { v.join(path, dir) })
	}
	v.enrollment = dlg
	dlg.Show()
}

// join joins HQ with the enrollment file at path and writes the
// registration bundle into dir; then the exchange page shows where it went
// and the station's fingerprint to read out to HQ.
func (v *syncView) join(path, dir string) {
	s := v.d.session
	var (
		written string
		err     error
	)
	v.say(i18n.L("sync.join.busy"), widget.MediumImportance)
	v.joinStart.Disable()
	v.d.run(func() {
		written, err = s.Join(context.Background(), path, dir)
	}, func() {
		v.joinStart.Enable()
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.say("", widget.MediumImportance)
		v.build() // the exchange page, with the station's fingerprint
		v.showResults([]resultLine{
			{i18n.L("sync.join.done", map[string]any{"Path": written}), widget.SuccessImportance},
			{i18n.L("sync.join.read_out"), widget.WarningImportance},
		})
	})
}

// exchangePage is the exchange with each peer, the actions and the ledger.
func (v *syncView) exchangePage() fyne.CanvasObject {
	hq := v.d.session.Unit().Kind == app.HQ
	actions := container.NewHBox()
	if v.d.session.MayCarryBundles() {
		exportKey := "sync.export"
		if hq {
			exportKey = "sync.export.all"
		}
		export := widget.NewButtonWithIcon(i18n.L(exportKey), theme.UploadIcon(), func() { v.askExport("all") })
		export.Importance = widget.HighImportance
		actions.Add(export)
		actions.Add(widget.NewButtonWithIcon(i18n.L("sync.import"), theme.DownloadIcon(), v.openImport))
	}
	if !hq && v.d.session.User().Role == app.StationAdmin {
		actions.Add(v.newJoinStart()) // joining again, after HQ enrolled the station anew
	}
	title := heading(i18n.L("nav.sync"))
	title.Wrapping = fyne.TextWrapOff
	v.ownKey = container.NewVBox()
	top := container.NewVBox(container.NewBorder(nil, nil, nil, actions, title), v.msg, v.room, v.ownKey)
	if !hq {
		if k, err := v.d.session.Keys(); err == nil {
			v.showOwnKey(k)
		}
	}

	v.peerList = widget.NewList(
		func() int { return len(v.peers) },
		func() fyne.CanvasObject { return newPeerRow(v) },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*peerRow).set(v.peers[i]) })
	v.ledgerList = widget.NewList(
		func() int { return len(v.ledger) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.Importance = ledgerImportance(v.ledger[i])
			l.SetText(v.ledgerText(v.ledger[i]))
		})
	subheading := func(key string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(i18n.L(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	split := container.NewVSplit(
		container.NewBorder(subheading("sync.peers"), nil, nil, nil, v.peerList),
		container.NewBorder(subheading("sync.ledger"), nil, nil, nil, v.ledgerList))
	split.Offset = 0.45
	return container.NewPadded(container.NewBorder(top, nil, nil, nil, split))
}

// showOwnKey shows a station's fingerprint, the one HQ compares.
func (v *syncView) showOwnKey(k app.KeyInfo) {
	v.ownKey.Objects = []fyne.CanvasObject{
		widget.NewLabel(i18n.L("sync.own_fingerprint")),
		fingerprintLabel(k.Fingerprint),
	}
	v.ownKey.Refresh()
}

// reload reads the exchange state and the ledger again (nothing to read
// on the join page).
func (v *syncView) reload() {
	if v.peerList == nil {
		return
	}
	s := v.d.session
	peers, err := s.SyncStatus()
	if err == nil {
		v.ledger, err = s.Ledger(ledgerLength)
	}
	if err == nil {
		v.people, err = s.People()
	}
	if err != nil {
		v.say(v.d.errText(err), widget.DangerImportance)
		return
	}
	v.peers = peers
	v.names = map[string]string{}
	for _, p := range peers {
		v.names[p.Unit.ID] = p.Unit.Name
	}
	v.peerList.Refresh()
	v.ledgerList.Refresh()
}

// peerRow is one peer of the exchange: its name and state, the numbers,
// and at HQ 导出 for a registered station.
type peerRow struct {
	widget.BaseWidget
	name, numbers, times *widget.Label
	export               *widget.Button
	unit                 string
}

func newPeerRow(v *syncView) *peerRow {
	r := &peerRow{name: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		numbers: widget.NewLabel(""), times: widget.NewLabel("")}
	for _, l := range []*widget.Label{r.name, r.numbers, r.times} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	r.export = widget.NewButtonWithIcon(i18n.L("sync.export.one"), theme.UploadIcon(), func() { v.askExport(r.unit) })
	r.export.Hide()
	r.ExtendBaseWidget(r)
	return r
}

// set shows p; 导出 shows for a registered station (at HQ).
func (r *peerRow) set(p app.PeerStatus) {
	r.unit = p.Unit.ID
	name := unitLabel(p.Unit)
	if p.Unit.State != app.UnitRegistered {
		name += "  " + unitStateLabel(p.Unit.State)
	}
	r.name.SetText(name)
	r.numbers.SetText(i18n.L("sync.peer.numbers", map[string]any{"Sent": seqText("sync.peer.sent", p.SentSeq),
		"Acked": seqText("sync.peer.acked", p.AckedSeq), "Received": seqText("sync.peer.received", p.Received), "Pending": p.Pending}))
	times := i18n.L("sync.peer.times", map[string]any{"In": msWhen(p.LastIn), "Out": msWhen(p.LastOut)})
	if p.AskingResend {
		times += i18n.L("sync.peer.resend")
	}
	r.times.SetText(times)
	if p.Unit.Kind == string(app.Station) && p.Unit.State == app.UnitRegistered {
		r.export.Show()
	} else {
		r.export.Hide()
	}
}

// CreateRenderer lays the lines out beside the button.
func (r *peerRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, container.NewCenter(r.export),
		container.NewVBox(r.name, r.numbers, r.times)))
}

// unitLabel names a unit: a station with its id, HQ by its name.
func unitLabel(u app.UnitRecord) string {
	if u.Kind != string(app.Station) {
		return u.Name
	}
	return i18n.L("sync.peer.name", map[string]any{"Name": u.Name, "Unit": u.ID})
}

// seqText is text key with bundle number seq, or key.none when it is 0.
func seqText(key string, seq int64) string {
	if seq == 0 {
		return i18n.L(key + ".none")
	}
	return i18n.L(key, map[string]any{"Seq": seq})
}

// msWhen is a Unix ms time for the lists, 无 for 0.
func msWhen(ms int64) string {
	if ms == 0 {
		return i18n.L("sync.never")
	}
	return when(time.UnixMilli(ms))
}

// unitStateLabel is a unit's state in words: 登记中, 已登记, 已吊销.
func unitStateLabel(state string) string { return i18n.L("unit.state." + state) }

// ledgerText is one ledger row in words.
func (v *syncView) ledgerText(e app.LedgerEntry) string {
	peer := v.names[e.Peer]
	if peer == "" {
		peer = e.Peer
	}
	dir := i18n.L("sync.ledger.out")
	if e.Direction == "in" {
		dir = i18n.L("sync.ledger.in")
	}
	result := i18n.L("sync.result."+e.Result, map[string]any{"Records": e.Records})
	if e.Message != "" {
		result += i18n.L("sync.ledger.reason", map[string]any{"Reason": v.d.langPart(e.Message)})
	}
	seq := ""
	if e.Seq > 0 {
		seq = i18n.L("sync.ledger.seq", map[string]any{"Seq": e.Seq})
	}
	return i18n.L("sync.ledger.row", map[string]any{"At": msWhen(e.At), "Direction": dir, "Peer": peer, "Seq": seq,
		"Result": result, "File": e.File, "Actor": v.people.Name(e.Actor)})
}

// ledgerImportance colours refused bundles.
func ledgerImportance(e app.LedgerEntry) widget.Importance {
	if e.Result == app.Refused {
		return widget.DangerImportance
	}
	return widget.MediumImportance
}

// askExport asks where to write the bundles to unit ("all": every peer).
func (v *syncView) askExport(unit string) {
	v.target = showTarget(v.d, i18n.L("sync.export.target"), i18n.L("sync.export.target.intro"), func(dir string) { v.export(dir, unit) })
}

// export writes the next bundle to unit ("all": every peer) into dir, off
// the UI goroutine, with progress and 取消; it is done when
// app.ExportBundles has written, read back and verified every file.
func (v *syncView) export(dir, unit string) {
	s := v.d.session
	p, ctx := showProgress(v.d, i18n.L("sync.export.progress"))
	v.progress = p
	var (
		paths []string
		err   error
	)
	v.say("", widget.MediumImportance)
	v.d.run(func() {
		paths, err = s.ExportBundles(ctx, dir, unit, p.report)
	}, func() {
		p.close()
		v.progress = nil
		v.reload()
		v.s.refreshSync()
		var lines []resultLine
		switch {
		case errors.Is(err, context.Canceled):
			lines = append(lines, resultLine{i18n.L("sync.export.cancelled"), widget.WarningImportance})
		case err != nil:
			lines = append(lines, resultLine{v.d.errText(err), widget.DangerImportance})
		case len(paths) == 0:
			lines = append(lines, resultLine{i18n.L("sync.export.nobody"), widget.WarningImportance})
		default:
			lines = append(lines, resultLine{i18n.L("sync.export.done", map[string]any{"Count": len(paths)}), widget.SuccessImportance})
		}
		for _, path := range paths {
			lines = append(lines, resultLine{path, widget.MediumImportance})
		}
		if err == nil && len(paths) > 0 {
			lines = append(lines, resultLine{i18n.L("sync.export.eject"), widget.MediumImportance})
		}
		v.showResults(lines)
	})
}

// openImport shows the dialog that collects the files and folders to
// import.
func (v *syncView) openImport() {
	v.importer = newImportDialog(v)
}

// importFiles imports the files and folders (every bundle in them) off
// the UI goroutine, with progress and 取消, and shows a line per file.
func (v *syncView) importFiles(paths []string) {
	s := v.d.session
	p, ctx := showProgress(v.d, i18n.L("sync.import.progress"))
	v.progress = p
	var res []app.ImportResult
	v.say("", widget.MediumImportance)
	v.d.run(func() {
		res = s.ImportBundles(ctx, paths, p.report)
	}, func() {
		p.close()
		v.progress = nil
		v.reload()
		v.s.refreshSync()
		lines := make([]resultLine, 0, len(res))
		for _, r := range res {
			lines = append(lines, v.importLine(r))
		}
		if len(lines) == 0 {
			lines = append(lines, resultLine{i18n.L("sync.import.none"), widget.WarningImportance})
		}
		v.showResults(lines)
	})
}

// importLine is the result of one imported file: 已导入 N 条, 已导入过,
// or 已拒绝 with the reason, in red.
func (v *syncView) importLine(r app.ImportResult) resultLine {
	file := filepath.Base(r.File)
	switch {
	case r.Result == app.Imported:
		return resultLine{i18n.L("sync.import.imported", map[string]any{"File": file, "Records": r.Records}), widget.SuccessImportance}
	case r.Result == app.AlreadyImported:
		return resultLine{i18n.L("sync.import.duplicate", map[string]any{"File": file}), widget.MediumImportance}
	case errors.Is(r.Err, context.Canceled):
		return resultLine{i18n.L("sync.import.cancelled", map[string]any{"File": file}), widget.WarningImportance}
	}
	reason := i18n.L("sync.import.unknown")
	if r.Err != nil {
		// the message may name the file too
		reason = strings.TrimPrefix(strings.TrimPrefix(v.d.errText(r.Err), file+"："), file+": ")
	}
	return resultLine{i18n.L("sync.import.refused", map[string]any{"File": file, "Reason": reason}), widget.DangerImportance}
}

// importDialog collects the files and folders to import: 选择文件 adds
// one file each time, 选择文件夹 a folder (every bundle in it).
type importDialog struct {
	v     *syncView
	paths []string
	list  *fyne.Container
	start *widget.Button
	dlg   *dialog.CustomDialog
}

func newImportDialog(v *syncView) *importDialog {
	f := &importDialog{v: v, list: container.NewVBox()}
	fail := func(err error) { v.say(v.d.errText(err), widget.DangerImportance) }
	addFile := widget.NewButtonWithIcon(i18n.L("sync.import.add_file"), theme.FileIcon(), func() {
		pickFile(v.d, []string{".mdbundle"}, f.add, fail)
	})
	addFolder := widget.NewButtonWithIcon(i18n.L("sync.import.add_folder"), theme.FolderOpenIcon(), func() {
		pickFolder(v.d, f.add, fail)
	})
	clear := widget.NewButtonWithIcon(i18n.L("sync.import.clear"), theme.ContentClearIcon(), func() {
		f.paths = nil
		f.show()
	})
	cancel := widget.NewButtonWithIcon(i18n.L("button.cancel"), theme.CancelIcon(), nil)
	f.start = widget.NewButtonWithIcon(i18n.L("sync.import.start"), theme.ConfirmIcon(), func() {
		f.dlg.Hide()
		v.importFiles(f.paths)
	})
	f.start.Importance = widget.HighImportance
	body := container.NewVBox(v.d.para(i18n.L("sync.import.intro")), container.NewHBox(addFile, addFolder, clear),
		widget.NewSeparator(), container.NewGridWrap(fyne.NewSize(600, 160), container.NewVScroll(f.list)))
	f.dlg = dialog.NewCustomWithoutButtons(i18n.L("sync.import"), v.d.withCatcher(column(600, body)), v.d.win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.start})
	f.dlg.SetOnClosed(func() { v.importer = nil })
	cancel.OnTapped = f.dlg.Hide
	f.show()
	f.dlg.Show()
	return f
}

// add puts a file or folder on the list, once.
func (f *importDialog) add(path string) {
	for _, p := range f.paths {
		if p == path {
			return
		}
	}
	f.paths = append(f.paths, path)
	f.show()
}

// show lists the chosen paths; 开始导入 needs at least one.
func (f *importDialog) show() {
	f.list.Objects = nil
	for _, p := range f.paths {
		f.list.Add(widget.NewLabel(p))
	}
	if len(f.paths) == 0 {
		f.list.Add(widget.NewLabel(i18n.L("sync.import.empty")))
		f.start.Disable()
	} else {
		f.start.Enable()
	}
	f.list.Refresh()
}

// targetDialog asks where to write: a button for each removable drive
// found, 重新检测, and 选择文件夹.
type targetDialog struct {
	picker *targetPicker
	dlg    *dialog.CustomDialog
}

// showTarget shows the dialog; chosen runs with the folder picked.
func showTarget(d *desk, title, intro string, chosen func(dir string)) *targetDialog {
	t := &targetDialog{}
	t.picker = newTargetPicker(d, func(dir string) {
		t.dlg.Hide()
		chosen(dir)
	})
	body := container.NewVBox(d.para(intro), t.picker.content)
	t.dlg = dialog.NewCustom(title, i18n.L("button.cancel"), d.withCatcher(column(520, body)), d.win)
	t.dlg.Show()
	return t
}

// targetPicker offers the removable drives as buttons, and a folder
// picker; picked runs with the folder chosen.
type targetPicker struct {
	d       *desk
	picked  func(dir string)
	drives  *fyne.Container
	msg     *widget.Label
	content fyne.CanvasObject
}

func newTargetPicker(d *desk, picked func(dir string)) *targetPicker {
	p := &targetPicker{d: d, picked: picked, drives: container.NewVBox(), msg: errorLabel()}
	again := widget.NewButtonWithIcon(i18n.L("sync.target.rescan"), theme.ViewRefreshIcon(), p.scan)
	folder := widget.NewButtonWithIcon(i18n.L("sync.target.folder"), theme.FolderOpenIcon(), func() {
		pickFolder(d, p.pick, func(err error) { setMessage(p.msg, d.errText(err)) })
	})
	p.content = container.NewVBox(p.drives, container.NewHBox(again, folder), p.msg)
	p.scan()
	return p
}

// scan lists the removable drives mounted now.
func (p *targetPicker) scan() {
	p.drives.Objects = nil
	for _, dr := range drives.List() {
		label := dr.Label
		if dr.Free >= 0 {
			label = i18n.L("sync.target.drive", map[string]any{"Label": dr.Label, "Free": byteSize(dr.Free)})
		}
		path := dr.Path
		btn := widget.NewButtonWithIcon(label, theme.StorageIcon(), func() { p.pick(path) })
		btn.Alignment = widget.ButtonAlignLeading
		p.drives.Add(btn)
	}
	if len(p.drives.Objects) == 0 {
		p.drives.Add(p.d.para(i18n.L("sync.target.none")))
	}
	p.drives.Refresh()
}

// pick chooses dir.
func (p *targetPicker) pick(dir string) {
	setMessage(p.msg, "")
	p.picked(dir)
}

// progressDialog shows long work: a bar, the bytes done, and 取消, which
// cancels the work's context.
type progressDialog struct {
	bar    *widget.ProgressBar
	bytes  *widget.Label
	cancel *widget.Button
	dlg    *dialog.CustomDialog
	stop   context.CancelFunc
}

// showProgress shows the dialog and returns it with the context the work
// runs in.
func showProgress(d *desk, title string) (*progressDialog, context.Context) {
	ctx, stop := context.WithCancel(context.Background())
	p := &progressDialog{bar: widget.NewProgressBar(), bytes: widget.NewLabel(i18n.L("sync.progress.start")), stop: stop}
	p.cancel = widget.NewButtonWithIcon(i18n.L("button.cancel"), theme.CancelIcon(), func() {
		p.stop()
		p.cancel.Disable()
		p.bytes.SetText(i18n.L("sync.progress.cancelling"))
	})
	body := container.NewVBox(p.bar, p.bytes)
	p.dlg = dialog.NewCustomWithoutButtons(title, d.withCatcher(column(440, body)), d.win)
	p.dlg.SetButtons([]fyne.CanvasObject{p.cancel})
	p.dlg.Show()
	return p, ctx
}

// report shows done out of total bytes; it may be called from any
// goroutine.
func (p *progressDialog) report(done, total int64) {
	fyne.Do(func() {
		if total > 0 {
			p.bar.SetValue(float64(done) / float64(total))
		}
		if !p.cancel.Disabled() {
			p.bytes.SetText(i18n.L("sync.progress.bytes", map[string]any{"Done": byteSize(done), "Total": byteSize(total)}))
		}
	})
}

// close ends the work's context and hides the dialog.
func (p *progressDialog) close() {
	p.stop()
	p.dlg.Hide()
}

// fingerprintLabel shows a fingerprint large, to read out and compare.
func fingerprintLabel(fp string) *widget.Label {
	l := widget.NewLabelWithStyle(fp, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	return l
}

// refreshSync shows in the status bar how long ago the last bundle went
// out or came in.
func (s *shell) refreshSync() {
	days, synced, err := s.d.session.SinceLastSync()
	switch {
	case err != nil:
		s.sync.SetText(s.d.errText(err))
	case !synced:
		s.sync.SetText(i18n.L("status.never_synced"))
	case days == 0:
		s.sync.SetText(i18n.L("status.synced_today"))
	default:
		s.sync.SetText(i18n.L("status.synced_days", map[string]any{"Days": fmt.Sprint(days)}))
	}
}

func (s *shell) buildSync() fyne.CanvasObject {
	s.syncView = newSyncView(s)
	s.reopen["nav.sync"] = s.syncView.reload
	return s.syncView.content
}
