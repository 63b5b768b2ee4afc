package ui

import (
	"image"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/app/checker"
	"mediadesk/ui/i18n"
)

// editor writes a post: title, body, category, target platforms (each
// with its character counts against the platform's limits and a 预览 of
// how the text shows there), 个人工作账号, the sensitive categories the
// author marks (Art. 20 and 21), and images (添加图片… or dropped on the
// window). Beside the form, the checker's findings and the 标注视图 follow
// the typing: the checker runs once typing pauses for checkDelay, off the
// UI goroutine, and a result older than the last run started is dropped.
// 定位 on a finding selects its text in the title or body.
//
// While there are changes, a working copy is autosaved (app.Session.Autosave)
// once typing pauses for autosaveDelay. 保存草稿 (Ctrl+S) saves the draft
// and shows any error at its field; 送审 saves, then submits, and shows the
// app's refusal (a BLOCK finding, say) above the form. Store writes of the
// editor, and dropping the working copy, run one at a time in order on the
// posts view's queue (postsView.writes). Once the editor is closed, work
// still under way (an image being attached, a check) ends without
// touching it or scheduling an autosave. No field has an OnSubmitted:
// Return never saves or sends (design.md §8).
type editor struct {
	v  *postsView
	d  *desk
	id string // the post, empty until first saved

	title, body *widget.Entry
	category    *widget.Select
	personal    *widget.Check
	flags       *widget.CheckGroup
	flagCodes   map[string]string // check label → category code
	platforms   []*platformRow
	images      []string // attachment IDs, in order
	thumbs      *fyne.Container
	imagesField *field
	plan        *planFields // 所属活动 and 计划发布时间 (calendar_plan.go)

	form                         *form
	msg                          *widget.Label // the form's own message, shown above it
	heading                      *widget.Label // 新建稿件, or 编辑稿件 once saved
	saved                        *widget.Label // 已保存 / 已自动保存 with the time
	sensitive                    *widget.Label // 敏感：需报宣传科审批
	saveBtn, submitBtn, closeBtn *widget.Button
	addImage                     *widget.Button
	busy                         *busy
	findingsInfo                 *widget.Label
	findingList                  *fyne.Container
	annotated                    *widget.RichText
	findings                     []checker.Finding
	checkedText                  string // the text the findings are of
	checkGen                     int
	checkDeb, autoDeb            *debouncer
	writes                       *serial // the posts view's write queue
	changes                      int     // counts edits; a save clears dirty only if none came after it
	dirty                        bool
	closed                       bool                  // the editor has left the screen
	discard                      *dialog.ConfirmDialog // the close confirmation, while it shows
	content                      fyne.CanvasObject
}

// platformRow is one target platform: its check, the character counts
// and its 预览 button.
type platformRow struct {
	p                 app.Platform
	check             *widget.Check
	titleNum, bodyNum *widget.Label
	preview           *widget.Button
}

func newEditor(v *postsView, draft app.PostDraft, status app.PostStatus) *editor {
	d := v.d
	e := &editor{v: v, d: d, id: draft.ID, images: slices.Clone(draft.Images),
		checkDeb: newDebouncer(d, checkDelay),
		autoDeb:  newDebouncer(d, autosaveDelay), writes: v.writes}

	e.title = widget.NewEntry()
	e.title.SetPlaceHolder(i18n.L("editor.title.placeholder"))
	e.title.SetText(draft.Title)
	e.body = widget.NewMultiLineEntry()
	e.body.Wrapping = fyne.TextWrapWord
	e.body.SetMinRowsVisible(10)
	e.body.SetPlaceHolder(i18n.L("editor.body.placeholder"))
	e.body.SetText(draft.Body)

	categories := d.session.PostCategories()
	if draft.Category != "" && !slices.Contains(categories, draft.Category) {
		categories = append(categories, draft.Category) // a category since removed from the list
	}
	e.category = widget.NewSelect(categories, nil)
	e.category.PlaceHolder = i18n.L("editor.category.placeholder")
	if draft.Category != "" {
		e.category.SetSelected(draft.Category)
	}
	e.personal = widget.NewCheck(i18n.L("editor.personal"), nil)
	e.personal.SetChecked(draft.Personal)

	platforms := container.NewVBox()
	for _, p := range app.Platforms {
		r := &platformRow{p: p, check: widget.NewCheck(platformName(d, p), nil),
			titleNum: widget.NewLabel(""), bodyNum: widget.NewLabel("")}
		r.check.SetChecked(slices.Contains(draft.Targets, p.Code))
		r.preview = widget.NewButtonWithIcon(i18n.L("editor.preview"), theme.VisibilityIcon(), func() { e.showPreview(r.p) })
		r.preview.Importance = widget.LowImportance
		e.platforms = append(e.platforms, r)
		counts := container.NewGridWithColumns(2, r.titleNum, r.bodyNum)
		platforms.Add(container.NewBorder(nil, nil, column(130, r.check), r.preview, counts))
	}

	e.flagCodes = map[string]string{}
	var flagLabels, checked []string
	for _, c := range checker.Categories() {
		if !strings.HasPrefix(c.Code, "art20.") && !strings.HasPrefix(c.Code, "art21.") {
			continue
		}
		label, article := d.categoryText(c.Code)
		l := label + "（" + article + "）"
		flagLabels = append(flagLabels, l)
		e.flagCodes[l] = c.Code
		if slices.Contains(draft.Flags, c.Code) {
			checked = append(checked, l)
		}
	}
	e.flags = widget.NewCheckGroup(flagLabels, nil)
	e.flags.SetSelected(checked)

	e.addImage = widget.NewButtonWithIcon(i18n.L("editor.images.add"), theme.FileImageIcon(), e.chooseImage)
	e.thumbs = container.NewGridWrap(fyne.NewSize(130, 150))

	e.form = newForm(d)
	e.form.add("title", i18n.L("editor.title"), e.title)
	e.form.add("body", i18n.L("editor.body"), e.body)
	e.form.add("category", i18n.L("editor.category"), e.category)
	e.plan = addPlanFields(d, e.form, draft, e.changed)
	e.form.add("targets", i18n.L("editor.targets"), platforms, e.personal)
	e.form.add("flags", i18n.L("editor.flags"), d.para(i18n.L("editor.flags.hint")), e.flags)
	e.imagesField = e.form.add("images", i18n.L("editor.images"),
		container.NewHBox(e.addImage, widget.NewLabel(i18n.L("editor.images.drop"))), e.thumbs)
	e.msg = e.form.msg

	e.saved = widget.NewLabel("")
	e.saved.SizeName = theme.SizeNameCaptionText
	e.sensitive = widget.NewLabelWithStyle(i18n.L("finding.sensitive"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.sensitive.Importance = widget.WarningImportance
	e.sensitive.Hide()
	e.saveBtn = widget.NewButtonWithIcon(i18n.L("editor.save"), theme.DocumentSaveIcon(), e.save)
	e.submitBtn = widget.NewButtonWithIcon(i18n.L("editor.submit"), theme.MailSendIcon(), e.submit)
	e.submitBtn.Importance = widget.HighImportance
	e.closeBtn = widget.NewButtonWithIcon(i18n.L("button.close"), theme.CancelIcon(), e.close)
	e.busy = newBusy(e.saveBtn, e.submitBtn)

	e.heading = widget.NewLabelWithStyle(i18n.L("editor.new"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.heading.SizeName = theme.SizeNameSubHeadingText
	if e.id != "" {
		e.heading.SetText(i18n.L("editor.edit"))
	}
	bar := container.NewBorder(nil, nil, e.heading,
		container.NewHBox(e.saved, e.saveBtn, e.submitBtn, e.closeBtn))
	top := container.NewVBox(bar, e.msg, e.sensitive, e.busy.bar)
	if status != "" && status != app.Draft && status != app.Returned {
		l := d.para(i18n.L("editor.voids_review", map[string]any{"Status": statusLabel(status)}))
		l.Importance = widget.WarningImportance
		top.Add(l)
	}

	e.findingsInfo = widget.NewLabel(i18n.L("finding.checking"))
	e.findingList = container.NewVBox()
	e.annotated = annotatedView()
	legend := widget.NewRichText(
		legendSegment(i18n.L("finding.legend.block"), 3), legendSegment("  ", 0),
		legendSegment(i18n.L("finding.legend.approval"), 2), legendSegment("  ", 0),
		legendSegment(i18n.L("finding.legend.warn"), 1))
	findingsPane := container.NewBorder(
		container.NewVBox(sectionTitle(i18n.L("editor.findings")), e.findingsInfo), nil, nil, nil,
		container.NewVScroll(e.findingList))
	annotatedPane := container.NewBorder(
		container.NewVBox(sectionTitle(i18n.L("editor.annotated")), legend), nil, nil, nil,
		container.NewVScroll(e.annotated))
	side := container.NewVSplit(findingsPane, annotatedPane)
	side.Offset = 0.45
	main := container.NewHSplit(container.NewVScroll(container.NewPadded(e.form.box)), container.NewPadded(side))
	main.Offset = 0.58
	e.content = container.NewBorder(container.NewPadded(top), nil, nil, nil, main)

	// Changes mark the draft dirty; text changes also rerun the checker.
	e.title.OnChanged = func(string) { e.textChanged() }
	e.body.OnChanged = func(string) { e.textChanged() }
	e.category.OnChanged = func(string) { e.changed() }
	e.personal.OnChanged = func(bool) { e.changed() }
	e.flags.OnChanged = func([]string) { e.changed(); e.showSensitive() }
	for _, r := range e.platforms {
		r.check.OnChanged = func(bool) { e.changed() }
	}

	e.updateCounts()
	e.check()
	for _, id := range e.images {
		e.addThumb(id)
	}
	if draft.ID == "" && (draft.Title != "" || draft.Body != "") {
		e.dirty = true // a restored working copy is not saved yet
	}
	return e
}

// sectionTitle is the bold title of a part of the editor or the detail.
func sectionTitle(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// legendSegment is one entry of the 标注视图's legend, in the colour of
// severity sev.
func legendSegment(text string, sev int) widget.RichTextSegment {
	style := widget.RichTextStyleInline
	style.ColorName = severityColour(sev)
	style.TextStyle.Bold = sev > 0
	style.SizeName = theme.SizeNameCaptionText
	return &widget.TextSegment{Text: text, Style: style}
}

// draft is what the form holds now.
func (e *editor) draft() app.PostDraft {
	d := app.PostDraft{ID: e.id, Title: e.title.Text, Body: e.body.Text, Category: e.category.Selected,
		Personal: e.personal.Checked, Images: slices.Clone(e.images)}
	for _, r := range e.platforms {
		if r.check.Checked {
			d.Targets = append(d.Targets, r.p.Code)
		}
	}
	for _, l := range e.flags.Selected {
		d.Flags = append(d.Flags, e.flagCodes[l])
	}
	d.CampaignID = e.plan.campaignID()
	d.PlannedAt, _ = e.plan.plannedAt() // an unreadable time is none in the working copy; saving says so
	return d
}

// changed marks the draft dirty and schedules the autosave.
func (e *editor) changed() {
	if e.closed {
		return
	}
	e.changes++
	e.dirty = true
	e.autoDeb.trigger(e.autosave)
}

// textChanged also updates the counts and schedules the checker.
func (e *editor) textChanged() {
	e.changed()
	e.updateCounts()
	e.checkDeb.trigger(e.check)
}

// updateCounts shows each platform's title and body length against its
// limits, in red when over.
func (e *editor) updateCounts() {
	t, b := utf8.RuneCountInString(e.title.Text), utf8.RuneCountInString(e.body.Text)
	for _, r := range e.platforms {
		if r.p.TitleMax == 0 {
			r.titleNum.Importance = widget.LowImportance
			r.titleNum.SetText(i18n.L("editor.count.no_title"))
		} else {
			r.titleNum.Importance = countImportance(t, r.p.TitleMax)
			r.titleNum.SetText(i18n.L("editor.count.title", map[string]any{"Count": t, "Max": r.p.TitleMax}))
		}
		r.bodyNum.Importance = countImportance(b, r.p.BodyMax)
		r.bodyNum.SetText(i18n.L("editor.count.body", map[string]any{"Count": b, "Max": r.p.BodyMax}))
	}
}

// countImportance is red for a count over its limit.
func countImportance(n, limit int) widget.Importance {
	if n > limit {
		return widget.DangerImportance
	}
	return widget.MediumImportance
}

// check screens the text off the UI goroutine; a result that arrives
// after a newer check started is dropped.
func (e *editor) check() {
	text := app.PostText(e.title.Text, e.body.Text)
	e.checkGen++
	gen, s := e.checkGen, e.d.session
	var fs []checker.Finding
	e.d.run(func() {
		fs = s.CheckText(text)
	}, func() {
		if gen == e.checkGen && !e.closed {
			e.showFindings(text, fs)
		}
	})
}

// showFindings lists the findings of text and marks them in the 标注视图.
func (e *editor) showFindings(text string, fs []checker.Finding) {
	e.findings, e.checkedText = fs, text
	e.findingsInfo.SetText(findingSummary(fs))
	e.findingsInfo.Importance = widget.MediumImportance
	if len(fs) > 0 {
		worst := slices.MaxFunc(fs, func(a, b checker.Finding) int { return severity(a.Action) - severity(b.Action) })
		e.findingsInfo.Importance = actionImportance(worst.Action)
	}
	rows := make([]fyne.CanvasObject, 0, min(len(fs), maxFindingRows))
	for i, f := range fs[:min(len(fs), maxFindingRows)] {
		locate := widget.NewButtonWithIcon(i18n.L("finding.locate"), theme.SearchIcon(), func() { e.locate(f) })
		locate.Importance = widget.LowImportance
		rows = append(rows, e.d.findingRow(i+1, f, locate))
	}
	e.findingList.Objects = rows
	e.findingList.Refresh()
	e.annotated.Segments = annotate(text, fs)
	e.annotated.Refresh()
	e.showSensitive()
}

// showSensitive shows 敏感：需报宣传科审批 when a finding or a marked
// category makes the post sensitive (app.SensitiveDraft).
func (e *editor) showSensitive() {
	if app.SensitiveDraft(e.draft(), e.findings) {
		e.sensitive.Show()
	} else {
		e.sensitive.Hide()
	}
}

// locate selects the text of finding f in the title or the body, when
// the text has not changed since it was checked.
func (e *editor) locate(f checker.Finding) {
	text := app.PostText(e.title.Text, e.body.Text)
	if text != e.checkedText {
		return // the check of the new text is due shortly
	}
	c := e.d.win.Canvas()
	t := utf8.RuneCountInString(e.title.Text)
	if f.Start < t {
		selectRunes(c, e.title, f.Start, min(f.End, t))
	} else {
		selectRunes(c, e.body, f.Start-t-1, f.End-t-1)
	}
}

// autosave keeps the working copy while there are unsaved changes.
func (e *editor) autosave() {
	if !e.dirty {
		return
	}
	draft, s := e.draft(), e.d.session
	var err error
	e.writes.do(func() {
		err = s.Autosave(draft)
	}, func() {
		if e.closed {
			return
		}
		if err != nil {
			e.saved.Importance = widget.DangerImportance
			e.saved.SetText(i18n.L("editor.autosave_failed", map[string]any{"Error": e.d.errText(err)}))
			return
		}
		e.saved.Importance = widget.MediumImportance
		e.saved.SetText(i18n.L("editor.autosaved", map[string]any{"Time": time.Now().Format("15:04:05")}))
	})
}

// save saves the draft (保存草稿, Ctrl+S).
func (e *editor) save() {
	e.saveThen(func(app.Post) {
		e.form.done(i18n.L("editor.saved.message"))
	})
}

// saveThen saves the draft and then calls next with the saved post;
// errors show at their fields, or above the form.
func (e *editor) saveThen(next func(app.Post)) {
	if !e.busy.start() {
		return
	}
	e.form.clear()
	if _, err := e.plan.plannedAt(); err != nil {
		e.busy.stop()
		e.saveFailed(err)
		return
	}
	e.autoDeb.stop()
	draft, s, changes := e.draft(), e.d.session, e.changes
	var (
		p   app.Post
		err error
	)
	e.writes.do(func() {
		p, err = s.SaveDraft(draft)
	}, func() {
		e.busy.stop()
		if e.closed { // closed meanwhile: the list shows what was saved, nothing follows
			e.v.reload()
			return
		}
		if err != nil {
			e.saveFailed(err)
			return
		}
		e.id = p.ID
		e.heading.SetText(i18n.L("editor.edit"))
		if e.changes == changes {
			e.dirty = false
		}
		e.saved.Importance = widget.MediumImportance
		e.saved.SetText(i18n.L("editor.saved", map[string]any{"Time": p.UpdatedAt.Format("15:04:05")}))
		e.v.reload()
		next(p)
	})
}

// saveFailed shows why a save failed: at its field, with a word above
// the form to fix the fields, or above the form.
func (e *editor) saveFailed(err error) {
	if e.form.fail(err) {
		e.msg.Importance = widget.DangerImportance
		setMessage(e.msg, i18n.L("editor.fix_fields"))
	}
}

// submit saves the draft and sends it for review (送审); on success the
// editor closes and the post shows in the detail.
func (e *editor) submit() {
	e.saveThen(func(p app.Post) {
		if !e.busy.start() {
			return
		}
		s := e.d.session
		var err error
		e.writes.do(func() {
			_, err = s.Submit(p.ID)
		}, func() {
			e.busy.stop()
			if err != nil {
				e.form.fail(err)
				return
			}
			e.finish()
			e.v.showPost(p.ID)
			e.v.detail.say(i18n.L("detail.submitted"), widget.SuccessImportance)
		})
	})
}

// close leaves the editor; unsaved changes are discarded only after a
// confirmation.
func (e *editor) close() {
	if !e.dirty {
		e.finish()
		return
	}
	e.discard = e.d.confirmDiscard(i18n.L("editor.discard.confirm"), func() {
		e.discard = nil
		e.finish()
		e.v.discardAutosave() // queued behind any autosave of the text dropped
	}, func() { e.discard = nil })
}

// finish stops the editor's timers and gives the area back to the list;
// from then on the editor's callbacks do nothing.
func (e *editor) finish() {
	if e.closed {
		return
	}
	e.closed = true
	e.checkDeb.stop()
	e.autoDeb.stop()
	if e.v.editor == e {
		e.v.closeEditor()
	}
}

// showPreview shows how the post reads on platform p: the title cut at
// the platform's limit, the body with what goes over its limit in red,
// and on a platform whose feed folds a long post (Weibo) its first
// p.FoldAt characters followed by …全文.
func (e *editor) showPreview(p app.Platform) {
	title, body := []rune(e.title.Text), []rune(e.body.Text)
	var segs []widget.RichTextSegment
	plain := func(text string, style widget.RichTextStyle) {
		segs = append(segs, &widget.TextSegment{Text: text, Style: style})
	}
	over := func(text string) {
		st := widget.RichTextStyleInline
		st.ColorName = theme.ColorNameError
		st.TextStyle.Bold = true
		plain(text, st)
	}
	heading := widget.RichTextStyleInline
	heading.TextStyle.Bold = true
	heading.SizeName = theme.SizeNameSubHeadingText
	if p.TitleMax > 0 {
		// Each line break ends a segment (see annotate).
		if len(title) > p.TitleMax {
			plain(string(title[:p.TitleMax]), heading)
			over(string(title[p.TitleMax:]) + "\n")
		} else {
			plain(string(title)+"\n", heading)
		}
	}
	var notes []string
	folded := p.Folds(len(body))
	if folded {
		plain(string(body[:p.FoldAt]), widget.RichTextStyleInline)
		link := widget.RichTextStyleInline
		link.ColorName = theme.ColorNameHyperlink
		plain(i18n.L("preview.weibo.more"), link)
		notes = append(notes, i18n.L("preview.weibo.folded", map[string]any{"Count": p.FoldAt}))
	} else {
		plain(string(body[:min(len(body), p.BodyMax)]), widget.RichTextStyleInline)
	}
	if len(body) > p.BodyMax {
		if !folded { // a folded body shows no more than FoldAt
			over(string(body[p.BodyMax:]))
		}
		notes = append(notes, i18n.L("preview.body_over", map[string]any{"Count": len(body) - p.BodyMax, "Max": p.BodyMax}))
	}
	if p.TitleMax == 0 {
		notes = append(notes, i18n.L("preview.no_title"))
	} else if len(title) > p.TitleMax {
		notes = append(notes, i18n.L("preview.title_over", map[string]any{"Count": len(title) - p.TitleMax, "Max": p.TitleMax}))
	}
	rt := widget.NewRichText(segs...)
	rt.Wrapping = cjkWrap
	info := container.NewVBox()
	for _, n := range notes {
		l := e.d.para(n)
		l.Importance = widget.WarningImportance
		info.Add(l)
	}
	info.Add(e.d.para(i18n.L("preview.source", map[string]any{"Source": p.Source})))
	phone := container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)), container.NewPadded(rt))
	body2 := container.NewBorder(info, nil, nil, nil, container.NewVScroll(phone))
	dlg := dialog.NewCustom(i18n.L("preview.title", map[string]any{"Platform": platformName(e.d, p)}), i18n.L("button.close"), body2, e.d.win)
	dlg.Resize(fyne.NewSize(460, 560))
	dlg.Show()
}

// chooseImage asks for image files to attach (添加图片…).
func (e *editor) chooseImage() {
	dlg := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			e.imagesField.setError(e.d.errText(err))
			return
		}
		if r == nil {
			return // cancelled
		}
		e.attach(func() (io.ReadCloser, error) { return r, nil }, r.URI().Name())
	}, e.d.win)
	dlg.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".gif", ".PNG", ".JPG", ".JPEG", ".GIF"}))
	dlg.Resize(fyne.NewSize(900, 600))
	dlg.Show()
}

// attachURIs attaches files dropped on the window.
func (e *editor) attachURIs(uris []fyne.URI) {
	for _, u := range uris {
		e.attach(func() (io.ReadCloser, error) { return storage.Reader(u) }, u.Name())
	}
}

// attach seals an image into the store and adds it with its thumbnail;
// reading, sealing and decoding run off the UI goroutine.
func (e *editor) attach(open func() (io.ReadCloser, error), name string) {
	s := e.d.session
	e.imagesField.setError("")
	var (
		id       string
		thumb    image.Image
		err      error
		thumbErr error
	)
	e.d.run(func() {
		var r io.ReadCloser
		if r, err = open(); err != nil {
			return
		}
		id, err = s.AttachImage(r, name)
		_ = r.Close()
		if err == nil {
			thumb, thumbErr = loadThumbnail(s, id) // no thumbnail is no reason to refuse the image
		}
	}, func() {
		if e.closed {
			return // the editor is gone: nothing to show, no autosave to schedule
		}
		if err != nil {
			e.imagesField.setError(e.d.errText(err))
			return
		}
		e.images = append(e.images, id)
		e.showThumb(id, name, thumb, thumbErr)
		e.changed()
	})
}

// addThumb shows an image the draft already has, its thumbnail and name
// read off the UI goroutine.
func (e *editor) addThumb(id string) {
	s := e.d.session
	var (
		thumb    image.Image
		thumbErr error
		name     string
	)
	e.d.run(func() {
		thumb, thumbErr = loadThumbnail(s, id)
		name, _ = s.AttachmentName(id)
	}, func() {
		if !e.closed && slices.Contains(e.images, id) {
			e.showThumb(id, name, thumb, thumbErr)
		}
	})
}

// showThumb adds the card of image id: its thumbnail (or, when thumbErr
// kept it from being made, noThumb), its name and 移除.
func (e *editor) showThumb(id, name string, thumb image.Image, thumbErr error) {
	var pic fyne.CanvasObject
	if thumb != nil {
		img := canvas.NewImageFromImage(thumb)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(120, 80))
		pic = img
	} else {
		pic = noThumb(thumbErr)
	}
	label := widget.NewLabel(name)
	label.Truncation = fyne.TextTruncateEllipsis
	label.SizeName = theme.SizeNameCaptionText
	var card fyne.CanvasObject
	remove := widget.NewButtonWithIcon(i18n.L("editor.images.remove"), theme.DeleteIcon(), func() {
		e.images = slices.DeleteFunc(e.images, func(x string) bool { return x == id })
		e.thumbs.Remove(card)
		e.changed()
	})
	remove.Importance = widget.LowImportance
	card = container.NewBorder(nil, container.NewVBox(label, remove), nil, nil, pic)
	e.thumbs.Add(card)
}
