package ui

import (
	"image"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/app/checker"
	"mediadesk/ui/i18n"
)

// detailView is the right side of 稿件: the selected post with its
// status, facts and content (the 标注视图 of its findings), the findings,
// the review trail, the comments (发表 sends; Return in the comment only
// adds a line), and for a published post where it went and its numbers.
//
// Above them are the actions its state and the user's role suggest: to
// the author 编辑 and 送审; to a shift leader, on a post waiting for
// review, 通过 (approving the version shown, by its content hash), 退回修改
// (with the required comment) and 说明理由放行 on each open warning; on a
// ready post 登记发布; on a published one 录入数据 and, to a shift leader or
// the admin, 撤下… (posts_takedown.go). The app decides what is
// allowed: the detail offers, and shows the app's refusal when there is one.
type detailView struct {
	v       *postsView
	d       *desk
	content fyne.CanvasObject
	page    *fyne.Container // the shown post, or the empty state
	msg     *widget.Label   // the last action's result

	id  string // the post shown (or being read), empty for none
	gen int    // counts reads; an older read's result is dropped
	pd  app.PostDetail

	actions   *fyne.Container
	annotated *widget.RichText
	thumbs    *fyne.Container
	comment   *widget.Entry
	send      *widget.Button
	comments  *form
	dialog    *formDialog           // the open action dialog
	confirm   *dialog.ConfirmDialog // the open confirmation
}

func newDetailView(v *postsView) *detailView {
	dv := &detailView{v: v, d: v.d, msg: errorLabel(), page: container.NewStack()}
	dv.content = container.NewBorder(container.NewPadded(dv.msg), nil, nil, nil, dv.page)
	dv.showEmpty()
	return dv
}

// showEmpty says what to do when no post is selected.
func (dv *detailView) showEmpty() {
	body := container.NewVBox(sectionTitle(i18n.L("detail.none")), dv.d.para(i18n.L("detail.none.hint")))
	dv.page.Objects = []fyne.CanvasObject{container.NewPadded(body)}
	dv.page.Refresh()
}

// say shows the result of an action above the post.
func (dv *detailView) say(text string, imp widget.Importance) {
	dv.msg.Importance = imp
	setMessage(dv.msg, text)
}

// show reads post id and shows it; another post's message is cleared.
func (dv *detailView) show(id string) {
	if id != dv.id {
		dv.say("", widget.MediumImportance)
	}
	dv.id = id
	dv.gen++
	gen, s := dv.gen, dv.d.session
	var (
		pd  app.PostDetail
		err error
	)
	dv.d.run(func() {
		pd, err = s.Post(id)
	}, func() {
		if gen != dv.gen {
			return
		}
		if err != nil {
			dv.say(dv.d.errText(err), widget.DangerImportance)
			return
		}
		typed := "" // a comment being typed on this post survives the rebuild
		if dv.comment != nil && dv.pd.Post.ID == pd.Post.ID {
			typed = dv.comment.Text
		}
		dv.pd = pd
		dv.page.Objects = []fyne.CanvasObject{dv.build(pd)}
		dv.page.Refresh()
		if typed != "" {
			dv.comment.SetText(typed)
		}
	})
}

// refresh reads the shown post again, keeping the message, and the list.
func (dv *detailView) refresh() {
	dv.show(dv.id)
	dv.v.reload()
}

// authorName is the author's name as far as the user may know it: their
// display name when known, else the user name that sent the post for
// review, else nothing.
func (dv *detailView) authorName(pd app.PostDetail) string {
	if n := dv.v.names[pd.Post.AuthorID]; n != "" {
		return n
	}
	for _, e := range pd.Events {
		if e.Kind == "submit" {
			return pd.People.Name(e.Actor)
		}
	}
	return ""
}

// build lays out post pd.
func (dv *detailView) build(pd app.PostDetail) fyne.CanvasObject {
	d, p := dv.d, pd.Post
	status := widget.NewLabelWithStyle(statusLabel(p.Status), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	status.Importance = statusImportance(p.Status)
	facts := []string{p.Category}
	if a := dv.authorName(pd); a != "" {
		facts = append(facts, i18n.L("detail.author", map[string]any{"Name": a}))
	}
	facts = append(facts, i18n.L("detail.updated", map[string]any{"Time": when(p.UpdatedAt)}))
	var targets []string
	for _, t := range p.Targets {
		targets = append(targets, platformNameOf(d, t))
	}
	target := i18n.L("detail.targets", map[string]any{"Platforms": d.joinList(targets)})
	if p.Personal {
		target += i18n.L("detail.personal")
	}
	head := container.NewVBox(heading(p.Title),
		container.NewBorder(nil, nil, status, nil, widget.NewLabel(strings.Join(facts, " · "))),
		d.para(target))
	if p.Sensitive {
		sens := widget.NewLabelWithStyle(i18n.L("finding.sensitive"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		sens.Importance = widget.WarningImportance
		if p.HQApproved {
			sens.SetText(i18n.L("detail.hq_approved"))
			sens.Importance = widget.SuccessImportance
		}
		head.Add(sens)
	}
	if p.ApprovedBy != "" {
		head.Add(widget.NewLabel(i18n.L("detail.approved_by", map[string]any{"Name": pd.People.Name(p.ApprovedBy)})))
	}
	version := widget.NewLabel(i18n.L("detail.version", map[string]any{"Hash": shortHash(p.ContentHash)}))
	version.SizeName = theme.SizeNameCaptionText
	head.Add(version)

	dv.actions = dv.actionsFor(pd)
	dv.annotated = annotatedView()
	dv.annotated.Segments = annotate(app.PostText(p.Title, p.Body), pd.Findings)
	body := container.NewVBox(head, dv.actions, widget.NewSeparator(),
		sectionTitle(i18n.L("detail.content")), dv.annotated)
	if len(p.Images) > 0 {
		dv.thumbs = container.NewGridWrap(fyne.NewSize(130, 100))
		body.Add(dv.thumbs)
		dv.loadThumbs(p.Images)
	}
	body.Add(widget.NewSeparator())
	body.Add(dv.findingsPart(pd))
	if p.Status == app.Published || p.Status == app.TakenDown {
		body.Add(widget.NewSeparator())
		body.Add(dv.publishedPart(pd))
	}
	if pd.TakeDown != nil {
		body.Add(widget.NewSeparator())
		body.Add(dv.takenDownPart(pd))
	}
	body.Add(widget.NewSeparator())
	body.Add(dv.trailPart(pd))
	body.Add(widget.NewSeparator())
	body.Add(dv.commentsPart(pd))
	return container.NewVScroll(container.NewPadded(body))
}

// joinList joins names as a list reads in the UI language.
func (d *desk) joinList(names []string) string {
	if d.lang == i18n.English {
		return strings.Join(names, ", ")
	}
	return strings.Join(names, "、")
}

// shortHash is the first 12 hex digits of a content hash: enough to tell
// versions apart on screen.
func shortHash(h string) string { return h[:min(len(h), 12)] }

// actionsFor is the row of actions post pd's state and the user's role
// suggest, and 刷新.
func (dv *detailView) actionsFor(pd app.PostDetail) *fyne.Container {
	p := pd.Post
	row := container.NewHBox()
	add := func(text string, icon fyne.Resource, imp widget.Importance, f func()) {
		b := widget.NewButtonWithIcon(text, icon, f)
		b.Importance = imp
		row.Add(b)
	}
	editable := dv.d.session.MayEdit(p)
	switch {
	case editable && (p.Status == app.Draft || p.Status == app.Returned):
		add(i18n.L("detail.edit"), theme.DocumentCreateIcon(), widget.MediumImportance, dv.edit)
		add(i18n.L("editor.submit"), theme.MailSendIcon(), widget.HighImportance, dv.submit)
	case editable:
		add(i18n.L("detail.edit"), theme.DocumentCreateIcon(), widget.MediumImportance, dv.confirmEdit)
	}
	if dv.d.session.MayReview(p) {
		add(i18n.L("detail.approve"), theme.ConfirmIcon(), widget.HighImportance, dv.approve)
	}
	if dv.d.session.MayReturn(p) {
		add(i18n.L("detail.return"), theme.ContentUndoIcon(), widget.DangerImportance, dv.sendBack)
	}
	if p.Status == app.Ready {
		add(i18n.L("detail.publish"), theme.UploadIcon(), widget.HighImportance, dv.publish)
	}
	if p.Status == app.Published {
		add(i18n.L("detail.metrics.add"), theme.ContentAddIcon(), widget.HighImportance, dv.addMetrics)
	}
	if dv.d.session.MayTakeDown(p) {
		add(i18n.L("detail.take_down"), theme.DeleteIcon(), widget.DangerImportance, dv.takeDown)
	}
	add(i18n.L("detail.refresh"), theme.ViewRefreshIcon(), widget.LowImportance, dv.refresh)
	return row
}

// loadThumbs shows the post's images, decoded off the UI goroutine.
func (dv *detailView) loadThumbs(ids []string) {
	s, gen, box := dv.d.session, dv.gen, dv.thumbs
	thumbs := make([]image.Image, len(ids))
	errs := make([]error, len(ids))
	dv.d.run(func() {
		for i, id := range ids {
			thumbs[i], errs[i] = loadThumbnail(s, id)
		}
	}, func() {
		if gen != dv.gen {
			return
		}
		for i, t := range thumbs {
			if t == nil {
				box.Add(noThumb(errs[i]))
				continue
			}
			img := canvas.NewImageFromImage(t)
			img.FillMode = canvas.ImageFillContain
			box.Add(img)
		}
	})
}

// findingsPart lists the findings; to a shift leader reviewing the post,
// each open warning has 说明理由放行.
func (dv *detailView) findingsPart(pd app.PostDetail) fyne.CanvasObject {
	info := widget.NewLabel(findingSummary(pd.Findings))
	box := container.NewVBox(sectionTitle(i18n.L("editor.findings")), info)
	review := dv.d.session.MayReview(pd.Post)
	for i, f := range pd.Findings[:min(len(pd.Findings), maxFindingRows)] {
		var buttons []fyne.CanvasObject
		if isOpen(pd.Open, f) {
			if review {
				b := widget.NewButtonWithIcon(i18n.L("detail.override"), theme.ConfirmIcon(), func() { dv.override(f) })
				buttons = append(buttons, b)
			} else {
				l := widget.NewLabel(i18n.L("detail.override.open"))
				l.SizeName = theme.SizeNameCaptionText
				buttons = append(buttons, l)
			}
		}
		box.Add(dv.d.findingRow(i+1, f, buttons...))
	}
	return box
}

// isOpen reports whether warning f is among the open ones.
func isOpen(open []checker.Finding, f checker.Finding) bool {
	for _, o := range open {
		if o.Rule == f.Rule && o.Start == f.Start {
			return true
		}
	}
	return false
}

// trailPart is the review trail, oldest first: when, who, what, the
// resulting status and any comment.
func (dv *detailView) trailPart(pd app.PostDetail) fyne.CanvasObject {
	box := container.NewVBox(sectionTitle(i18n.L("detail.trail")))
	if len(pd.Events) == 0 {
		box.Add(widget.NewLabel(i18n.L("detail.trail.none")))
	}
	for _, e := range pd.Events {
		what := i18n.L("detail.event", map[string]any{"Time": when(time.UnixMilli(e.At)), "Actor": pd.People.Name(e.Actor),
			"What": eventLabel(e.Kind), "Status": statusLabel(app.PostStatus(e.ToStatus))})
		line := widget.NewLabel(what)
		line.Wrapping = fyne.TextWrapWord
		box.Add(line)
		if c := strings.TrimSpace(e.Comment); c != "" && e.Kind == app.EventTakeDown {
			box.Add(quote(c)) // the reason as typed
		} else if c != "" {
			box.Add(quote(dv.d.langPart(c)))
		}
	}
	return box
}

// eventLabel is a kind of review step in words.
func eventLabel(kind string) string {
	switch kind {
	case "submit", "approve", "return", "edit", "unit_consent", "hq_approve", "hq_return", "publish", "take_down":
		return i18n.L("post.event." + kind)
	}
	return kind
}

// quote is an indented, wrapping paragraph: a comment or a reason.
func quote(text string) fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewLabel(" "), nil, userText(text))
}

// commentsPart is the comment thread with the entry for a new comment
// and 发表.
func (dv *detailView) commentsPart(pd app.PostDetail) fyne.CanvasObject {
	box := container.NewVBox(sectionTitle(i18n.L("detail.comments")))
	if len(pd.Comments) == 0 {
		box.Add(widget.NewLabel(i18n.L("detail.comments.none")))
	}
	for _, c := range pd.Comments {
		head := widget.NewLabelWithStyle(i18n.L("detail.comment.head", map[string]any{"Actor": pd.People.Name(c.Author), "Time": when(time.UnixMilli(c.At))}),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.SizeName = theme.SizeNameCaptionText
		item := container.NewVBox(head, userText(c.Body))
		if c.ParentID != "" {
			box.Add(container.NewBorder(nil, nil, widget.NewLabel("  "), nil, item))
		} else {
			box.Add(item)
		}
	}
	dv.comment = multiLine(3)
	dv.comment.SetPlaceHolder(i18n.L("detail.comment.placeholder"))
	dv.comments = newForm(dv.d)
	dv.comments.add("comment", i18n.L("detail.comment.new"), dv.comment)
	dv.send = widget.NewButtonWithIcon(i18n.L("detail.comment.send"), theme.MailSendIcon(), dv.sendComment)
	box.Add(dv.comments.object())
	box.Add(container.NewHBox(dv.send))
	return box
}

// publishedPart says where and when the post went out and lists its
// numbers by day.
func (dv *detailView) publishedPart(pd app.PostDetail) fyne.CanvasObject {
	p := pd.Post
	box := container.NewVBox(sectionTitle(i18n.L("detail.published")),
		widget.NewLabel(i18n.L("detail.published.where", map[string]any{"Platform": platformNameOf(dv.d, p.PublishedOn),
			"Time": when(p.PublishedAt), "Name": pd.People.Name(p.PublishedBy)})))
	if u, err := url.Parse(p.PublishedURL); err == nil {
		link := widget.NewHyperlink(p.PublishedURL, u)
		link.Truncation = fyne.TextTruncateEllipsis
		box.Add(link)
	}
	if len(pd.Metrics) == 0 {
		box.Add(widget.NewLabel(i18n.L("detail.metrics.none")))
		return box
	}
	grid := container.NewGridWithColumns(5)
	for _, k := range []string{"detail.metrics.day", "detail.metrics.reads", "detail.metrics.likes", "detail.metrics.comments", "detail.metrics.reposts"} {
		grid.Add(widget.NewLabelWithStyle(i18n.L(k), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for _, m := range pd.Metrics {
		grid.Add(widget.NewLabel(m.Day))
		for _, n := range []int64{m.Reads, m.Likes, m.Comments, m.Reposts} {
			grid.Add(widget.NewLabel(strconv.FormatInt(n, 10)))
		}
	}
	box.Add(grid)
	return box
}

// act runs an action on the shown post off the UI goroutine, then shows
// the app's answer and reads the post again.
func (dv *detailView) act(work func() error, success string) {
	var err error
	dv.d.run(func() { err = work() }, func() {
		if err != nil {
			dv.say(dv.d.errText(err), widget.DangerImportance)
		} else {
			dv.say(success, widget.SuccessImportance)
		}
		dv.refresh()
	})
}

// edit opens the post in the editor.
func (dv *detailView) edit() {
	dv.v.openEditor(dv.pd.Post.PostDraft, dv.pd.Post.Status)
}

// confirmEdit warns that editing a post under review or approved sends
// it back to draft, then opens the editor.
func (dv *detailView) confirmEdit() {
	dv.confirm = dialog.NewConfirm(i18n.L("detail.edit"),
		i18n.L("editor.voids_review", map[string]any{"Status": statusLabel(dv.pd.Post.Status)}), func(ok bool) {
			dv.confirm = nil
			if ok {
				dv.edit()
			}
		}, dv.d.win)
	dv.confirm.SetConfirmText(i18n.L("detail.edit"))
	dv.confirm.SetDismissText(i18n.L("button.cancel"))
	dv.confirm.Show()
}

// submit sends the shown draft for review (送审).
func (dv *detailView) submit() {
	s, id := dv.d.session, dv.id
	dv.act(func() error { _, err := s.Submit(id); return err }, i18n.L("detail.submitted"))
}

// reviewIntro names the version a shift leader decides on.
func (dv *detailView) reviewIntro(key string) string {
	p := dv.pd.Post
	return i18n.L(key, map[string]any{"Hash": shortHash(p.ContentHash), "Time": when(p.UpdatedAt)})
}

// approve asks for an optional comment and approves the version shown
// (通过).
func (dv *detailView) approve() {
	s, id, hash := dv.d.session, dv.id, dv.pd.Post.ContentHash
	f := newForm(dv.d)
	comment := multiLine(3)
	f.add("comment", i18n.L("detail.approve.comment"), comment)
	var p app.Post
	dv.dialog = dv.d.showFormDialog(i18n.L("detail.approve"), dv.reviewIntro("detail.approve.intro"), i18n.L("detail.approve"), f,
		func() (func() error, error) {
			text := comment.Text
			return func() (err error) { p, err = s.Approve(id, hash, text); return err }, nil
		}, func() {
			dv.say(i18n.L("detail.approved", map[string]any{"Status": statusLabel(p.Status)}), widget.SuccessImportance)
			dv.refresh()
		}, dv.dialogClosed)
}

// sendBack asks for the changes wanted and returns the post (退回修改).
func (dv *detailView) sendBack() {
	s, id, hash := dv.d.session, dv.id, dv.pd.Post.ContentHash
	f := newForm(dv.d)
	comment := multiLine(4)
	comment.SetPlaceHolder(i18n.L("detail.return.placeholder"))
	f.add("comment", i18n.L("detail.return.comment"), comment)
	dv.dialog = dv.d.showFormDialog(i18n.L("detail.return"), dv.reviewIntro("detail.return.intro"), i18n.L("detail.return"), f,
		func() (func() error, error) {
			text := comment.Text
			return func() error { _, err := s.Return(id, hash, text); return err }, nil
		}, func() {
			dv.say(i18n.L("detail.returned"), widget.SuccessImportance)
			dv.refresh()
		}, dv.dialogClosed)
}

// override asks for the reason to let warning f pass (说明理由放行).
func (dv *detailView) override(f checker.Finding) {
	s, id, hash := dv.d.session, dv.id, dv.pd.Post.ContentHash
	fm := newForm(dv.d)
	reason := multiLine(3)
	fm.add("reason", i18n.L("detail.override.reason"), reason)
	label, _ := dv.d.categoryText(f.Category)
	intro := i18n.L("detail.override.intro", map[string]any{"Text": f.Text, "Category": label})
	dv.dialog = dv.d.showFormDialog(i18n.L("detail.override"), intro, i18n.L("detail.override"), fm,
		func() (func() error, error) {
			text := reason.Text
			return func() error { return s.OverrideWarning(id, hash, f, text) }, nil
		}, func() {
			dv.say(i18n.L("detail.overridden", map[string]any{"Text": f.Text}), widget.SuccessImportance)
			dv.refresh()
		}, dv.dialogClosed)
}

// publish records where and when the post went out (登记发布).
func (dv *detailView) publish() {
	s, id := dv.d.session, dv.id
	targets := dv.pd.Post.Targets
	var names []string
	for _, t := range targets {
		names = append(names, platformNameOf(dv.d, t))
	}
	platform := widget.NewSelect(names, nil)
	// the unit's live accounts on the chosen platform
	account := widget.NewSelect(nil, nil)
	var accounts []app.Account
	platform.OnChanged = func(string) {
		accounts = nil
		if i := platform.SelectedIndex(); i >= 0 {
			accounts, _ = s.PublishAccounts(targets[i]) // none listed on error: Publish then names the field
		}
		var opts []string
		for _, a := range accounts {
			opts = append(opts, a.Name+"（"+a.PlatformID+"）")
		}
		account.PlaceHolder = i18n.L("accounts.publish.none")
		if len(opts) > 0 {
			account.PlaceHolder = ""
		}
		account.ClearSelected()
		account.SetOptions(opts)
		if len(opts) == 1 {
			account.SetSelectedIndex(0)
		}
	}
	if len(names) == 1 {
		platform.SetSelectedIndex(0)
	}
	link := widget.NewEntry()
	link.SetPlaceHolder("https://")
	at := newMinuteEntry()
	f := newForm(dv.d)
	f.add("platform", i18n.L("detail.publish.platform"), platform)
	f.add("account", i18n.L("accounts.publish.account"), account)
	f.add("url", i18n.L("detail.publish.url"), link)
	f.add("at", i18n.L("detail.publish.at"), at)
	dv.dialog = dv.d.showFormDialog(i18n.L("detail.publish"), i18n.L("detail.publish.intro"), i18n.L("detail.publish"), f,
		func() (func() error, error) {
			t, err := readMinute(at, "at")
			if err != nil {
				return nil, err
			}
			code := ""
			if i := platform.SelectedIndex(); i >= 0 {
				code = targets[i]
			}
			accountID := ""
			if i := account.SelectedIndex(); i >= 0 {
				accountID = accounts[i].ID
			}
			u := link.Text
			return func() error { _, err := s.Publish(id, code, accountID, u, t); return err }, nil
		}, func() {
			dv.say(i18n.L("detail.published.done"), widget.SuccessImportance)
			dv.refresh()
		}, dv.dialogClosed)
}

// addMetrics enters a day's numbers of the published post (录入数据).
func (dv *detailView) addMetrics() {
	s, id := dv.d.session, dv.id
	day := newDateField(dv.d)
	day.set(time.Now())
	f := newForm(dv.d)
	f.add("day", i18n.L("detail.metrics.day"), day.content)
	nums := make([]*widget.Entry, 4)
	grid := container.NewGridWithColumns(4)
	for i, k := range []string{"detail.metrics.reads", "detail.metrics.likes", "detail.metrics.comments", "detail.metrics.reposts"} {
		nums[i] = widget.NewEntry()
		nums[i].SetPlaceHolder("0")
		grid.Add(container.NewVBox(widget.NewLabel(i18n.L(k)), nums[i]))
	}
	f.add("metrics", i18n.L("detail.metrics.numbers"), grid)
	dv.dialog = dv.d.showFormDialog(i18n.L("detail.metrics.add"), "", i18n.L("button.save"), f,
		func() (func() error, error) {
			t, ok, err := day.date()
			if err != nil || !ok {
				return nil, &app.FieldError{Field: "day", Msg: i18n.L("date.invalid")}
			}
			var n [4]int64
			for i, e := range nums {
				text := strings.TrimSpace(e.Text)
				if text == "" {
					continue
				}
				if n[i], err = strconv.ParseInt(text, 10, 64); err != nil {
					return nil, &app.FieldError{Field: "metrics", Msg: i18n.L("detail.metrics.invalid")}
				}
			}
			m := app.Metrics{Day: t, Reads: n[0], Likes: n[1], Comments: n[2], Reposts: n[3]}
			return func() error { return s.RecordMetrics(id, m) }, nil
		}, func() {
			dv.say(i18n.L("detail.metrics.saved"), widget.SuccessImportance)
			dv.refresh()
		}, dv.dialogClosed)
}

// dialogClosed forgets the closed action dialog.
func (dv *detailView) dialogClosed() { dv.dialog = nil }

// sendComment adds the typed comment (发表).
func (dv *detailView) sendComment() {
	dv.comments.clear()
	s, id, text := dv.d.session, dv.id, dv.comment.Text
	var err error
	dv.send.Disable()
	dv.d.run(func() { err = s.Comment(id, "", text) }, func() {
		dv.send.Enable()
		if err != nil {
			dv.comments.fail(err)
			return
		}
		dv.comment.SetText("")
		dv.show(id)
	})
}
