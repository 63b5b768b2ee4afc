package ui

import (
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/app/checker"
	"mediadesk/ui/i18n"
)

// lexiconTab is 敏感词库: the version in use and whether the working list
// has changes not yet published; the search, 显示已停用 and the terms
// (term, category, action, state) with 添加词条, and 编辑 and 停用 for the
// selected one; 导入… (TXT or XLSX, previewed before anything changes) and
// 发布新版本 (with a note); beside the terms, every published version.
type lexiconTab struct {
	d       *desk
	content fyne.CanvasObject

	inUse, skipped *widget.Label
	search         *widget.Entry
	retired        *widget.Check
	msg            *widget.Label
	list           *widget.List
	terms          []app.LexiconTerm
	selected       int // index into terms, -1 for none
	gen            int // counts reloads; an older one's rows are dropped

	add, edit, retire, importFile, publish *widget.Button

	history  *widget.List
	versions []app.LexiconVersion
	people   app.People // who published the versions

	editor   *termEditor    // the term dialog while it shows
	preview  *importPreview // the import preview while it shows
	notes    *formDialog    // the 发布新版本 dialog while it shows
	noteText *widget.Entry  // its note
	confirm  *dialog.ConfirmDialog
}

func newLexiconTab(d *desk) *lexiconTab {
	v := &lexiconTab{d: d, selected: -1, msg: errorLabel(), inUse: widget.NewLabel(""), skipped: errorLabel()}
	v.inUse.Wrapping = fyne.TextWrapWord
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder(i18n.L("library.lexicon.search"))
	v.search.OnChanged = func(string) { v.reload() }
	v.retired = widget.NewCheck(i18n.L("library.show_retired"), func(bool) { v.reload() })
	v.add = widget.NewButtonWithIcon(i18n.L("library.lexicon.add"), theme.ContentAddIcon(), func() { v.openEditor(app.LexiconTerm{}) })
	v.add.Importance = widget.HighImportance
	v.edit = widget.NewButtonWithIcon(i18n.L("library.lexicon.edit"), theme.DocumentCreateIcon(), func() { v.openEditor(v.terms[v.selected]) })
	v.retire = widget.NewButtonWithIcon(i18n.L("library.lexicon.retire"), theme.DeleteIcon(), v.confirmRetire)
	v.importFile = widget.NewButtonWithIcon(i18n.L("library.lexicon.import"), theme.FolderOpenIcon(), v.chooseFile)
	v.publish = widget.NewButtonWithIcon(i18n.L("library.lexicon.publish"), theme.UploadIcon(), v.openPublish)
	v.list = widget.NewList(func() int { return len(v.terms) },
		func() fyne.CanvasObject {
			row := container.NewGridWithColumns(4)
			for range 4 {
				l := widget.NewLabel("")
				l.Truncation = fyne.TextTruncateEllipsis
				row.Add(l)
			}
			return row
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.terms) {
				v.setTermRow(o.(*fyne.Container), v.terms[i])
			}
		})
	v.list.OnSelected = func(i widget.ListItemID) { v.selected = i; v.enableRowButtons() }
	v.list.OnUnselected = func(widget.ListItemID) { v.selected = -1; v.enableRowButtons() }
	v.history = widget.NewList(func() int { return len(v.versions) },
		func() fyne.CanvasObject {
			title, meta := widget.NewLabel(""), widget.NewLabel("")
			title.TextStyle, meta.Truncation = fyne.TextStyle{Bold: true}, fyne.TextTruncateEllipsis
			return container.NewVBox(title, meta)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(v.versions) {
				return
			}
			ver, box := v.versions[i], o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(i18n.L("library.lexicon.version", map[string]any{"Number": ver.Number, "Name": app.LexiconVersionName(ver.Number)}))
			box.Objects[1].(*widget.Label).SetText(i18n.L("library.lexicon.version.meta", map[string]any{"Time": when(time.UnixMilli(ver.CreatedAt)),
				"Count": ver.TermCount, "By": v.people.Name(ver.CreatedBy), "Note": ver.Note}))
		})

	header := container.NewGridWithColumns(4)
	for _, key := range []string{"library.lexicon.term", "library.lexicon.category", "library.lexicon.action", "library.lexicon.state"} {
		header.Add(widget.NewLabelWithStyle(i18n.L(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(v.importFile, v.publish), v.inUse),
		v.skipped,
		container.NewBorder(nil, nil, nil, container.NewHBox(v.retired, v.add, v.edit, v.retire), v.search),
		v.msg, header, widget.NewSeparator())
	terms := container.NewBorder(top, nil, nil, nil, v.list)
	versions := container.NewBorder(container.NewVBox(widget.NewLabelWithStyle(i18n.L("library.lexicon.history"), fyne.TextAlignLeading,
		fyne.TextStyle{Bold: true}), widget.NewSeparator()), nil, nil, nil, v.history)
	split := container.NewHSplit(container.NewPadded(terms), container.NewPadded(versions))
	split.Offset = 0.7
	v.content = split
	v.enableRowButtons()
	v.reload()
	return v
}

// setTermRow shows term t in a row of the list.
func (v *lexiconTab) setTermRow(row *fyne.Container, t app.LexiconTerm) {
	cells := row.Objects
	cells[0].(*widget.Label).SetText(t.Term)
	label, article := v.d.categoryText(t.Category)
	cells[1].(*widget.Label).SetText(article + " " + label)
	action := cells[2].(*widget.Label)
	action.Importance = actionImportance(checker.Action(t.Action))
	action.SetText(actionLabel(checker.Action(t.Action)))
	state := cells[3].(*widget.Label)
	state.Importance = widget.MediumImportance
	state.SetText(i18n.L("library.lexicon.state.active"))
	if t.Retired {
		state.Importance = widget.LowImportance
		state.SetText(i18n.L("library.lexicon.state.retired"))
	}
}

// enableRowButtons enables 编辑 and 停用 for a selected active term.
func (v *lexiconTab) enableRowButtons() {
	for _, b := range []*widget.Button{v.edit, v.retire} {
		if v.selected >= 0 && v.selected < len(v.terms) && !v.terms[v.selected].Retired {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// say shows a message above the terms (empty hides it).
func (v *lexiconTab) say(text string, imp widget.Importance) {
	v.msg.Importance = imp
	setMessage(v.msg, text)
}

// reload reads the terms and the lexicon's state again off the UI
// goroutine.
func (v *lexiconTab) reload() {
	v.gen++
	gen, s, query, retired := v.gen, v.d.session, v.search.Text, v.retired.Checked
	var (
		terms []app.LexiconTerm
		state app.LexiconState
		err   error
	)
	v.d.run(func() {
		if terms, err = s.LexiconTerms(query, retired); err == nil {
			state, err = s.LexiconState()
		}
	}, func() {
		if gen != v.gen {
			return
		}
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.terms, v.versions, v.people, v.selected = terms, state.History, state.People, -1
		v.list.UnselectAll()
		v.list.Refresh()
		v.history.Refresh()
		v.enableRowButtons()
		key := "library.lexicon.in_use"
		if state.Unpublished {
			key = "library.lexicon.in_use.unpublished"
		}
		v.inUse.SetText(i18n.L(key, map[string]any{"Version": state.InUse.Version, "Count": state.InUse.Terms, "Active": state.ActiveTerms}))
		var skipped []string
		for _, sk := range state.InUse.Skipped {
			skipped = append(skipped, v.d.errText(sk.Err))
		}
		setMessage(v.skipped, strings.Join(skipped, "\n"))
		if len(terms) == 0 {
			v.say(i18n.L("library.lexicon.none"), widget.MediumImportance)
		}
	})
}

// termEditor is the 添加词条 / 编辑词条 dialog.
type termEditor struct {
	term, note *widget.Entry
	category   *widget.Select
	action     *widget.RadioGroup
	dialog     *formDialog
}

// categoryOptions are the lexicon categories as the category select
// lists them (article, then name), in regulation order.
func (v *lexiconTab) categoryOptions() (codes, labels []string) {
	for _, c := range checker.Categories() {
		label, article := v.d.categoryText(c.Code)
		codes, labels = append(codes, c.Code), append(labels, article+" "+label)
	}
	return codes, labels
}

// actionOptions are the actions as words, strongest first.
func actionOptions() []string {
	var out []string
	for _, a := range app.LexiconActions {
		out = append(out, actionLabel(a))
	}
	return out
}

// chosenAction is the action chosen among actionOptions, or "".
func chosenAction(label string) checker.Action {
	for _, a := range app.LexiconActions {
		if actionLabel(a) == label {
			return a
		}
	}
	return ""
}

// chosenCategory is the code of the option chosen in sel, or "".
func chosenCategory(sel *widget.Select, codes []string) string {
	if i := sel.SelectedIndex(); i >= 0 && i < len(codes) {
		return codes[i]
	}
	return ""
}

// openEditor shows the term dialog for t (a new term when t.ID is empty).
func (v *lexiconTab) openEditor(t app.LexiconTerm) {
	codes, labels := v.categoryOptions()
	e := &termEditor{term: widget.NewEntry(), note: widget.NewEntry(), category: widget.NewSelect(labels, nil),
		action: widget.NewRadioGroup(actionOptions(), nil)}
	e.action.Horizontal = true
	e.term.SetText(t.Term)
	e.note.SetText(t.Note)
	e.note.SetPlaceHolder(i18n.L("library.lexicon.note.placeholder"))
	for i, c := range codes {
		if c == t.Category {
			e.category.SetSelectedIndex(i)
		}
	}
	e.category.PlaceHolder = i18n.L("library.lexicon.category.placeholder")
	if t.ID != "" {
		e.action.SetSelected(actionLabel(checker.Action(t.Action)))
	}
	f := newForm(v.d)
	f.add("term", i18n.L("library.lexicon.term"), e.term, note(i18n.L("library.lexicon.term.hint")))
	f.add("category", i18n.L("library.lexicon.category"), e.category)
	f.add("action", i18n.L("library.lexicon.action"), e.action)
	f.add("note", i18n.L("library.lexicon.note"), e.note)
	title, submit := i18n.L("library.lexicon.add"), i18n.L("library.lexicon.add.submit")
	if t.ID != "" {
		title, submit = i18n.L("library.lexicon.edit.title", map[string]any{"Term": t.Term}), i18n.L("button.save")
	}
	s := v.d.session
	var saved app.LexiconTerm
	v.editor = e
	e.dialog = v.d.showFormDialog(title, i18n.L("library.lexicon.editor.intro"), submit, f, func() (func() error, error) {
		form := app.TermForm{ID: t.ID, Term: e.term.Text, Category: chosenCategory(e.category, codes),
			Action: chosenAction(e.action.Selected), Note: e.note.Text}
		return func() (err error) { saved, err = s.SaveTerm(form); return err }, nil
	}, func() {
		v.reload()
		v.say(i18n.L("library.lexicon.saved", map[string]any{"Term": saved.Term}), widget.SuccessImportance)
	}, func() { v.editor = nil })
	v.d.win.Canvas().Focus(e.term)
}

// confirmRetire asks before retiring the selected term.
func (v *lexiconTab) confirmRetire() {
	t := v.terms[v.selected]
	v.confirm = dialog.NewConfirm(i18n.L("library.lexicon.retire"), i18n.L("library.lexicon.retire.confirm", map[string]any{"Term": t.Term}), func(ok bool) {
		v.confirm = nil
		if !ok {
			return
		}
		s := v.d.session
		var err error
		v.d.run(func() { err = s.RetireTerm(t.ID) }, func() {
			if err != nil {
				v.say(v.d.errText(err), widget.DangerImportance)
				return
			}
			v.reload()
			v.say(i18n.L("library.lexicon.retired", map[string]any{"Term": t.Term}), widget.SuccessImportance)
		})
	}, v.d.win)
	v.confirm.SetConfirmText(i18n.L("library.lexicon.retire"))
	v.confirm.SetDismissText(i18n.L("button.cancel"))
	v.confirm.SetConfirmImportance(widget.DangerImportance)
	v.confirm.Show()
}

// openPublish asks for the note of a new version and publishes it.
func (v *lexiconTab) openPublish() {
	entry := widget.NewEntry()
	entry.SetPlaceHolder(i18n.L("library.lexicon.publish.placeholder"))
	v.noteText = entry
	f := newForm(v.d)
	f.add("note", i18n.L("library.lexicon.publish.note"), entry)
	s := v.d.session
	var ver app.LexiconVersion
	v.notes = v.d.showFormDialog(i18n.L("library.lexicon.publish"), i18n.L("library.lexicon.publish.intro"), i18n.L("library.lexicon.publish.submit"), f,
		func() (func() error, error) {
			text := entry.Text
			return func() (err error) { ver, err = s.PublishLexicon(text); return err }, nil
		}, func() {
			v.reload()
			v.say(i18n.L("library.lexicon.published", map[string]any{"Number": ver.Number, "Count": ver.TermCount}), widget.SuccessImportance)
		}, func() { v.notes, v.noteText = nil, nil })
	v.d.win.Canvas().Focus(entry)
}

// chooseFile asks for a TXT or XLSX term list and previews it.
func (v *lexiconTab) chooseFile() {
	dlg := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		if r == nil {
			return // cancelled
		}
		name := r.URI().Name()
		var b []byte
		v.d.run(func() {
			b, err = io.ReadAll(io.LimitReader(r, app.MaxTermFileBytes+1)) // a longer file is refused whole
			_ = r.Close()
		}, func() {
			if err != nil {
				v.say(v.d.errText(err), widget.DangerImportance)
				return
			}
			v.openPreview(name, b)
		})
	}, v.d.win)
	dlg.SetFilter(storage.NewExtensionFileFilter([]string{".txt", ".xlsx", ".TXT", ".XLSX"}))
	dlg.Resize(fyne.NewSize(900, 600))
	dlg.Show()
}

// openPreview reads a term list (by its name's extension) off the UI
// goroutine and shows what importing it would do.
func (v *lexiconTab) openPreview(name string, b []byte) {
	var (
		file app.TermFile
		err  error
	)
	v.d.run(func() {
		if strings.EqualFold(filepath.Ext(name), ".xlsx") {
			file, err = app.ParseTermsXLSX(b)
		} else {
			file, err = app.ParseTermsTXT(b)
		}
	}, func() {
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.preview = newImportPreview(v, name, file)
	})
}

// importPreview is the 导入预览 dialog: the file and its encoding, the
// default category and action for lines that name none, the counts
// (新增, 已有, 错误), every line with what importing does with it (errors
// in red with their reason), and 导入 — disabled while any line has an
// error, since a list is imported whole or not at all.
type importPreview struct {
	v               *lexiconTab
	file            app.TermFile
	imp             app.TermImport
	codes           []string
	defCategory     *widget.Select
	defAction       *widget.RadioGroup
	body            *fyne.Container // the file, the defaults, the counts above the lines
	counts, blocked *widget.Label
	form            *form
	rows            *widget.List
	apply, cancel   *widget.Button
	dlg             *dialog.CustomDialog
	gen             int
}

func newImportPreview(v *lexiconTab, name string, file app.TermFile) *importPreview {
	p := &importPreview{v: v, file: file, counts: widget.NewLabel(""), blocked: errorLabel(), form: newForm(v.d)}
	codes, labels := v.categoryOptions()
	p.codes = codes
	p.defCategory = widget.NewSelect(labels, nil)
	p.defCategory.SetSelectedIndex(slices.Index(codes, "art18.12")) // 法律法规禁止的其他内容
	p.defAction = widget.NewRadioGroup(actionOptions(), nil)
	p.defAction.Horizontal = true
	p.defAction.SetSelected(actionLabel(checker.Warn))
	p.defCategory.OnChanged = func(string) { p.refresh() }
	p.defAction.OnChanged = func(string) { p.refresh() }
	p.form.add("default_category", i18n.L("library.import.default_category"), p.defCategory)
	p.form.add("default_action", i18n.L("library.import.default_action"), p.defAction)
	p.rows = widget.NewList(func() int { return len(p.imp.Rows) },
		func() fyne.CanvasObject {
			// the widest line number a list may have, so that the columns line up
			line := widget.NewLabel(i18n.L("library.import.line", map[string]any{"Line": 200000}))
			term, what := widget.NewLabel(""), widget.NewLabel("")
			term.Truncation, what.Truncation = fyne.TextTruncateEllipsis, fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, line, nil, container.NewGridWithColumns(2, term, what))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.imp.Rows) {
				p.setRow(o.(*fyne.Container), p.imp.Rows[i])
			}
		})
	source := i18n.L("library.import.file", map[string]any{"Name": name, "Format": file.Format})
	if file.Encoding != "" {
		source = i18n.L("library.import.file.encoding", map[string]any{"Name": name, "Format": file.Format, "Encoding": file.Encoding})
	}
	if file.Encoding == app.EncodingGB18030 {
		source += "\n" + i18n.L("library.import.gb18030")
	}
	p.apply = widget.NewButtonWithIcon(i18n.L("library.import.apply"), theme.ConfirmIcon(), p.applyImport)
	p.apply.Importance = widget.HighImportance
	p.apply.Disable()
	p.cancel = widget.NewButtonWithIcon(i18n.L("button.cancel"), theme.CancelIcon(), nil)
	top := container.NewVBox(v.d.para(source), p.form.object(), p.counts, p.blocked, widget.NewSeparator())
	p.body = container.NewBorder(top, nil, nil, nil, p.rows)
	p.dlg = dialog.NewCustomWithoutButtons(i18n.L("library.import.title"), v.d.withCatcher(p.body), v.d.win)
	p.dlg.SetButtons([]fyne.CanvasObject{p.cancel, p.apply})
	p.dlg.SetOnClosed(func() { v.preview = nil })
	p.cancel.OnTapped = p.dlg.Hide
	p.dlg.Resize(fyne.NewSize(760, 600))
	p.dlg.Show()
	p.refresh()
	return p
}

// setRow shows one line of the preview.
func (p *importPreview) setRow(row *fyne.Container, r app.ImportRow) {
	grid := row.Objects[0].(*fyne.Container)
	row.Objects[1].(*widget.Label).SetText(i18n.L("library.import.line", map[string]any{"Line": r.Line}))
	grid.Objects[0].(*widget.Label).SetText(r.Term)
	what := grid.Objects[1].(*widget.Label)
	switch r.Status {
	case app.ImportNew:
		label, article := p.v.d.categoryText(r.Category)
		what.Importance = widget.SuccessImportance
		what.SetText(i18n.L("library.import.new", map[string]any{"Category": article + " " + label, "Action": actionLabel(r.Action)}))
	case app.ImportPresent:
		what.Importance = widget.LowImportance
		what.SetText(p.v.d.langPart(r.Err))
	default:
		what.Importance = widget.DangerImportance
		what.SetText(p.v.d.langPart(r.Err))
	}
}

// refresh checks the file against the working list with the defaults
// chosen, off the UI goroutine.
func (p *importPreview) refresh() {
	p.gen++
	gen, s, file := p.gen, p.v.d.session, p.file
	def := app.TermDefaults{Category: chosenCategory(p.defCategory, p.codes), Action: chosenAction(p.defAction.Selected)}
	p.form.clear()
	p.apply.Disable()
	var (
		imp app.TermImport
		err error
	)
	p.v.d.run(func() { imp, err = s.PreviewTerms(file, def) }, func() {
		if gen != p.gen {
			return
		}
		if err != nil {
			p.form.fail(err)
			return
		}
		p.imp = imp
		p.counts.SetText(i18n.L("library.import.counts", map[string]any{"New": imp.New, "Present": imp.Present, "Invalid": imp.Invalid}))
		switch {
		case imp.Invalid > 0:
			setMessage(p.blocked, i18n.L("library.import.blocked", map[string]any{"Invalid": imp.Invalid}))
		case imp.New == 0:
			setMessage(p.blocked, i18n.L("library.import.nothing"))
		default:
			setMessage(p.blocked, "")
			p.apply.SetText(i18n.L("library.import.apply.count", map[string]any{"Count": imp.New}))
			p.apply.Enable()
		}
		p.body.Refresh() // the counts and the message changed height
	})
}

// applyImport adds the new terms and closes the preview.
func (p *importPreview) applyImport() {
	s, imp := p.v.d.session, p.imp
	p.apply.Disable()
	var (
		n   int
		err error
	)
	p.v.d.run(func() { n, err = s.ApplyTermImport(imp) }, func() {
		if err != nil {
			p.form.fail(err)
			return
		}
		p.dlg.Hide()
		p.v.reload()
		p.v.say(i18n.L("library.import.done", map[string]any{"Count": n}), widget.SuccessImportance)
	})
}
