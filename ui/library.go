package ui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// libraryView is HQ's 口径词库 in two tabs: 回复口径 (the reply-template
// library, Art. 23: templatesTab) and 敏感词库 (the lexicon the checker
// screens with: lexiconTab).
type libraryView struct {
	widget.BaseWidget
	tabs      *container.AppTabs
	templates *templatesTab
	lexicon   *lexiconTab
}

func newLibraryView(d *desk) *libraryView {
	v := &libraryView{templates: newTemplatesTab(d), lexicon: newLexiconTab(d)}
	v.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(i18n.L("library.tab.templates"), theme.MailReplyIcon(), v.templates.content),
		container.NewTabItemWithIcon(i18n.L("library.tab.lexicon"), theme.WarningIcon(), v.lexicon.content))
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer shows the tabs.
func (v *libraryView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.tabs) }

// templateStatusLabel is a template status in words.
func templateStatusLabel(status string) string { return i18n.L("library.template.status." + status) }

// templateStatusImportance is the colour of a template status.
func templateStatusImportance(status string) widget.Importance {
	switch status {
	case app.TemplatePublished:
		return widget.SuccessImportance
	case app.TemplateReview, app.TemplateApproved:
		return widget.HighImportance
	case app.TemplateRetired:
		return widget.LowImportance
	}
	return widget.WarningImportance
}

// templatesTab is 回复口径: on the left 新建口径, the category filter and
// 显示已停用, and the templates by category (title; category, status and
// version); on the right the editor of the selected or new template
// (category, title, text) with 保存 and the steps its status and the
// user's role allow: 送审 for a draft, 审核通过 for the section chief
// (HQ admin) on a draft or one sent for review, 发布 for an approved one,
// 停用 for any not retired.
type templatesTab struct {
	d       *desk
	content fyne.CanvasObject

	add      *widget.Button
	category *widget.Select // 全部类别, then app.TemplateCategories
	retired  *widget.Check
	listMsg  *widget.Label
	list     *widget.List
	rows     []app.ReplyTemplate
	quiet    bool // selecting the shown template after a reload

	shown                                  app.ReplyTemplate // ID empty while writing a new one
	editor                                 *fyne.Container
	heading                                *widget.Label
	state                                  *widget.Label
	form                                   *form
	cat                                    *widget.SelectEntry
	title, body                            *widget.Entry
	save, submit, approve, publish, retire *widget.Button
	confirm                                *dialog.ConfirmDialog
	discard                                *dialog.ConfirmDialog // the question before unsaved text is dropped, while it shows
}

func newTemplatesTab(d *desk) *templatesTab {
	v := &templatesTab{d: d, listMsg: errorLabel()}
	v.add = widget.NewButtonWithIcon(i18n.L("library.template.add"), theme.ContentAddIcon(), func() {
		v.leave(func() {
			v.list.UnselectAll()
			v.show(app.ReplyTemplate{})
		})
	})
	v.add.Importance = widget.HighImportance
	v.category = widget.NewSelect(append([]string{i18n.L("library.template.all_categories")}, app.TemplateCategories...), nil)
	v.category.SetSelectedIndex(0)
	v.category.OnChanged = func(string) { v.reload() }
	v.retired = widget.NewCheck(i18n.L("library.show_retired"), func(bool) { v.reload() })
	v.list = widget.NewList(func() int { return len(v.rows) },
		func() fyne.CanvasObject {
			title, meta := widget.NewLabel(""), widget.NewLabel("")
			title.TextStyle, title.Truncation, meta.Truncation = fyne.TextStyle{Bold: true}, fyne.TextTruncateEllipsis, fyne.TextTruncateEllipsis
			return container.NewVBox(title, meta)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(v.rows) {
				return
			}
			t, box := v.rows[i], o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(t.Title)
			meta := box.Objects[1].(*widget.Label)
			meta.Importance = templateStatusImportance(t.Status)
			meta.SetText(i18n.L("library.template.meta", map[string]any{"Category": t.Category, "Status": templateStatusLabel(t.Status), "Version": t.Version}))
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if !v.quiet && i < len(v.rows) && v.rows[i].ID != v.shown.ID {
			t := v.rows[i]
			v.leave(func() { v.show(t) })
		}
	}
	left := container.NewBorder(container.NewVBox(container.NewHBox(v.add), container.NewGridWithColumns(2, v.category, v.retired),
		v.listMsg, widget.NewSeparator()), nil, nil, nil, v.list)

	v.heading, v.state = heading(""), widget.NewLabel("")
	v.state.Wrapping = fyne.TextWrapWord
	v.form = newForm(d)
	v.cat = widget.NewSelectEntry(app.TemplateCategories)
	v.title = widget.NewEntry()
	v.body = multiLine(10)
	v.body.SetPlaceHolder(i18n.L("library.template.body.placeholder"))
	v.form.add("category", i18n.L("library.template.category"), v.cat)
	v.form.add("title", i18n.L("library.template.title"), v.title)
	v.form.add("body", i18n.L("library.template.body"), v.body, note(i18n.L("library.template.body.hint")))
	v.save = widget.NewButtonWithIcon(i18n.L("button.save"), theme.DocumentSaveIcon(), v.saveShown)
	v.save.Importance = widget.HighImportance
	v.submit = widget.NewButtonWithIcon(i18n.L("library.template.submit"), theme.MailSendIcon(), func() { v.step(v.d.session.SubmitTemplate, "library.template.submitted") })
	v.approve = widget.NewButtonWithIcon(i18n.L("library.template.approve"), theme.ConfirmIcon(), func() { v.step(v.d.session.ApproveTemplate, "library.template.approved") })
	v.publish = widget.NewButtonWithIcon(i18n.L("library.template.publish"), theme.UploadIcon(), func() { v.step(v.d.session.PublishTemplate, "library.template.published") })
	v.retire = widget.NewButtonWithIcon(i18n.L("library.template.retire"), theme.DeleteIcon(), v.confirmRetire)
	buttons := container.NewHBox(v.save, v.submit, v.approve, v.publish, v.retire)
	v.editor = container.NewVBox(v.heading, v.state, v.form.object(), buttons)
	split := container.NewHSplit(container.NewPadded(left), container.NewVScroll(container.NewPadded(v.editor)))
	split.Offset = 0.36
	v.content = split
	v.show(app.ReplyTemplate{})
	v.reload()
	return v
}

// reload reads the library again off the UI goroutine, keeping the shown
// template selected.
func (v *templatesTab) reload() {
	s, category, retired := v.d.session, "", v.retired.Checked
	if i := v.category.SelectedIndex(); i > 0 {
		category = app.TemplateCategories[i-1]
	}
	var (
		rows []app.ReplyTemplate
		err  error
	)
	v.d.run(func() { rows, err = s.LibraryTemplates(category, retired) }, func() {
		if err != nil {
			v.listMsg.Importance = widget.DangerImportance
			setMessage(v.listMsg, v.d.errText(err))
			return
		}
		setMessage(v.listMsg, "")
		if len(rows) == 0 {
			v.listMsg.Importance = widget.MediumImportance
			setMessage(v.listMsg, i18n.L("library.template.empty"))
		}
		v.rows = rows
		v.selectShown()
		v.list.Refresh()
	})
}

// selectShown selects the shown template in the list, quietly; none while
// a new one is written.
func (v *templatesTab) selectShown() {
	v.quiet = true
	v.list.UnselectAll()
	if i := slices.IndexFunc(v.rows, func(t app.ReplyTemplate) bool { return t.ID == v.shown.ID }); i >= 0 && v.shown.ID != "" {
		v.list.Select(i)
	}
	v.quiet = false
}

// leave runs next, which puts another template in the editor; while the
// editor holds text not saved, only after the user agrees to discard it.
// Keeping it leaves the editor and the list's selection as they were.
func (v *templatesTab) leave(next func()) {
	v.d.leaveIf(v.edited(), &v.discard, next, v.selectShown)
}

// show puts t into the editor (a new template when t.ID is empty) with the
// buttons its status and the user's role allow.
func (v *templatesTab) show(t app.ReplyTemplate) {
	v.shown = t
	acts := v.d.session.TemplateActionsFor(t)
	v.form.clear()
	v.cat.SetText(t.Category)
	v.title.SetText(t.Title)
	v.body.SetText(t.Body)
	if t.ID == "" {
		v.heading.SetText(i18n.L("library.template.add"))
		v.state.SetText(i18n.L("library.template.new_hint"))
	} else {
		v.heading.SetText(t.Title)
		state := i18n.L("library.template.state", map[string]any{"Status": templateStatusLabel(t.Status), "Version": t.Version,
			"Time": when(time.UnixMilli(t.UpdatedAt))})
		switch {
		case t.Status == app.TemplatePublished:
			state += "\n" + i18n.L("library.template.edit_hint")
		case t.Status == app.TemplateReview && !acts.Approve:
			state += "\n" + i18n.L("library.template.review_hint")
		}
		v.state.SetText(state)
	}
	showIf(v.save, acts.Save)
	showIf(v.submit, acts.Submit)
	showIf(v.approve, acts.Approve)
	showIf(v.publish, acts.Publish)
	showIf(v.retire, acts.Retire)
	for _, w := range []fyne.Disableable{v.cat, v.title, v.body} {
		if !acts.Save { // retired
			w.Disable()
		} else {
			w.Enable()
		}
	}
	v.editor.Refresh() // buttons and messages came and went
}

// showIf shows o when on, else hides it.
func showIf(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// say shows text below the editor's fields.
func (v *templatesTab) say(text string, imp widget.Importance) {
	v.form.msg.Importance = imp
	setMessage(v.form.msg, text)
	v.editor.Refresh()
}

// edited reports whether the editor holds text not saved yet.
func (v *templatesTab) edited() bool {
	return v.cat.Text != v.shown.Category || v.title.Text != v.shown.Title || v.body.Text != v.shown.Body
}

// saveShown saves the editor (a new draft, or an edit that sends the
// template back to draft).
func (v *templatesTab) saveShown() {
	v.form.clear()
	s := v.d.session
	f := app.TemplateForm{ID: v.shown.ID, Category: v.cat.Text, Title: v.title.Text, Body: v.body.Text}
	v.act(func() (app.ReplyTemplate, error) { return s.SaveLibraryTemplate(f) }, "library.template.saved")
}

// step takes one step on the shown template at the version shown; text
// not saved yet must be saved first.
func (v *templatesTab) step(do func(id string, version int64) (app.ReplyTemplate, error), doneKey string) {
	v.form.clear()
	if v.edited() {
		v.say(i18n.L("library.template.save_first"), widget.WarningImportance)
		return
	}
	id, version := v.shown.ID, v.shown.Version
	v.act(func() (app.ReplyTemplate, error) { return do(id, version) }, doneKey)
}

// confirmRetire asks before retiring the shown template.
func (v *templatesTab) confirmRetire() {
	id, version, title := v.shown.ID, v.shown.Version, v.shown.Title
	v.confirm = dialog.NewConfirm(i18n.L("library.template.retire"), i18n.L("library.template.retire.confirm", map[string]any{"Title": title}), func(ok bool) {
		v.confirm = nil
		if ok {
			s := v.d.session
			v.act(func() (app.ReplyTemplate, error) { return s.RetireTemplate(id, version) }, "library.template.retired")
		}
	}, v.d.win)
	v.confirm.SetConfirmText(i18n.L("library.template.retire"))
	v.confirm.SetDismissText(i18n.L("button.cancel"))
	v.confirm.SetConfirmImportance(widget.DangerImportance)
	v.confirm.Show()
}

// act runs work off the UI goroutine; on success it shows the template
// it returns and says doneKey, else shows the error at its field or
// below the form.
func (v *templatesTab) act(work func() (app.ReplyTemplate, error), doneKey string) {
	var (
		t   app.ReplyTemplate
		err error
	)
	v.d.run(func() { t, err = work() }, func() {
		if err != nil {
			v.form.fail(err)
			v.editor.Refresh()
			return
		}
		v.show(t)
		v.say(i18n.L(doneKey, map[string]any{"Title": t.Title}), widget.SuccessImportance)
		v.reload()
	})
}
