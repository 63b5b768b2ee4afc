package ui

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// messagesView is 网民留言 (Art. 23, 24), at a station: on the left the
// list of messages with its filters (办理中, 已超期, 已办结 or 全部; type;
// platform; a search in the content and the netizen's name), the counts
// of open and overdue messages, and the one primary button 登记留言; on
// the right the selected message (messageDetail). Overdue rows are in the
// error colour with a 超期 badge, and every row shows its due date.
// Admins also get 期限设置: the deadline of each type and the holiday
// table.
//
// The list reads pages of messagePageSize rows by the app's cursor;
// 加载更多 reads the next.
type messagesView struct {
	d       *desk
	content fyne.CanvasObject

	add, rulesButton     *widget.Button // 登记留言; 期限设置 (admins only, else nil)
	search               *widget.Entry
	searchWait           *debouncer
	state, typ, platform *widget.Select
	counts, listInfo     *widget.Label
	listMsg              *widget.Label // errors, and the result of 期限设置
	list                 *widget.List
	more                 *widget.Button

	rows  []app.Message
	gen   int  // counts reloads; a page of an older one is dropped
	quiet bool // selecting a row again after a reload: keep the detail

	detail  *messageDetail
	logForm *messageForm // the 登记留言 dialog while it shows
	rules   *rulesForm   // the 期限设置 dialog while it shows
}

// messagePageSize is how many messages a page of the list holds.
const messagePageSize = 100

// messageStates are the state filter's options, in order.
var messageStates = []string{app.MessagesOpen, app.MessagesOverdue, app.MessagesClosed, app.MessagesAll}

// buildMessages builds 网民留言 for the navigation.
func (s *shell) buildMessages() fyne.CanvasObject { return newMessagesView(s.d).content }

func newMessagesView(d *desk) *messagesView {
	v := &messagesView{d: d}
	v.add = widget.NewButtonWithIcon(i18n.L("message.new"), theme.ContentAddIcon(), v.openLogForm)
	v.add.Importance = widget.HighImportance
	buttons := container.NewHBox(v.add)
	if d.session.User().Role.IsAdmin() {
		v.rulesButton = widget.NewButtonWithIcon(i18n.L("message.rules"), theme.SettingsIcon(), v.openRules)
		buttons.Add(v.rulesButton)
	}
	// The search runs once typing pauses; Return does nothing more.
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder(i18n.L("message.search.placeholder"))
	v.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	v.searchWait = newDebouncer(d, searchDelay)
	v.search.OnChanged = func(string) { v.searchWait.trigger(v.reload) }

	stateOpts := []string{i18n.L("message.filter.open"), i18n.L("message.filter.overdue"), i18n.L("message.filter.closed"),
		i18n.L("message.filter.all")}
	typeOpts := []string{i18n.L("message.filter.all_types")}
	for _, t := range app.MessageTypes {
		typeOpts = append(typeOpts, messageTypeLabel(t))
	}
	platformOpts := []string{i18n.L("message.filter.all_platforms")}
	for _, p := range app.Platforms {
		platformOpts = append(platformOpts, platformName(d, p))
	}
	selectOf := func(opts []string) *widget.Select {
		sel := widget.NewSelect(opts, nil)
		sel.SetSelectedIndex(0)
		sel.OnChanged = func(string) { v.reload() }
		return sel
	}
	v.state, v.typ, v.platform = selectOf(stateOpts), selectOf(typeOpts), selectOf(platformOpts)
	v.counts = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.listInfo = widget.NewLabel("")
	v.listInfo.SizeName = theme.SizeNameCaptionText
	v.listMsg = errorLabel()

	v.list = widget.NewList(func() int { return len(v.rows) },
		func() fyne.CanvasObject { return newMessageRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.rows) {
				o.(*messageRow).set(d, v.rows[i], time.Now())
			}
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if !v.quiet && i < len(v.rows) {
			v.detail.show(v.rows[i].ID)
		}
	}
	v.more = widget.NewButtonWithIcon(i18n.L("message.list.more"), theme.MoreVerticalIcon(), v.loadMore)
	v.more.Hide()

	filters := container.NewVBox(
		container.NewBorder(nil, nil, buttons, nil, v.search),
		container.NewGridWithColumns(3, v.state, v.typ, v.platform),
		v.counts, v.listMsg, v.listInfo, widget.NewSeparator())
	left := container.NewBorder(filters, v.more, nil, nil, v.list)
	v.detail = newMessageDetail(v)
	split := container.NewHSplit(container.NewPadded(left), v.detail.content)
	split.Offset = 0.42
	v.content = split
	v.reload()
	return v
}

// messageTypeLabel is a message type in words.
func messageTypeLabel(t app.MessageType) string { return i18n.L("message.type." + string(t)) }

// messageStatusLabel is a message status in words.
func messageStatusLabel(s app.MessageStatus) string { return i18n.L("message.status." + string(s)) }

// messageStatusImportance is the colour of a message's status: waiting
// for a first step stands out, finished is green, overdue is red.
func messageStatusImportance(m app.Message, now time.Time) widget.Importance {
	switch {
	case m.Overdue(now):
		return widget.DangerImportance
	case m.Closed():
		return widget.SuccessImportance
	case m.Status == app.MsgAccepted:
		return widget.WarningImportance
	}
	return widget.HighImportance
}

// query is the list's query as the filters set it.
func (v *messagesView) query() app.MessageQuery {
	q := app.MessageQuery{State: messageStates[max(v.state.SelectedIndex(), 0)], Text: v.search.Text, Limit: messagePageSize}
	if i := v.typ.SelectedIndex(); i > 0 {
		q.Type = string(app.MessageTypes[i-1])
	}
	if i := v.platform.SelectedIndex(); i > 0 {
		q.Platform = app.Platforms[i-1].Code
	}
	return q
}

// reload reads the list again from the top, and the counts.
func (v *messagesView) reload() {
	v.gen++
	v.rows = nil
	v.more.Hide()
	v.quiet = true
	v.list.UnselectAll()
	v.quiet = false
	v.list.Refresh()
	v.fetch(v.query())
	v.loadCounts()
}

// loadMore reads the page after the last row.
func (v *messagesView) loadMore() {
	if len(v.rows) == 0 {
		return
	}
	q := v.query()
	q.After = v.rows[len(v.rows)-1].Cursor()
	v.fetch(q)
}

// fetch reads the page of q off the UI goroutine and adds its rows.
func (v *messagesView) fetch(q app.MessageQuery) {
	gen, s := v.gen, v.d.session
	var (
		rows []app.Message
		err  error
	)
	v.more.Disable()
	v.d.run(func() { rows, err = s.Messages(q) }, func() {
		if gen != v.gen {
			return
		}
		v.more.Enable()
		if err != nil {
			v.listMsg.Importance = widget.DangerImportance
			setMessage(v.listMsg, v.d.errText(err))
			return
		}
		v.rows = append(v.rows, rows...)
		if len(rows) == q.Limit {
			v.more.Show()
		} else {
			v.more.Hide()
		}
		if len(v.rows) == 0 {
			v.listInfo.SetText(i18n.L("message.list.empty"))
		} else {
			v.listInfo.SetText(i18n.L("message.list.loaded", map[string]any{"Count": len(v.rows)}))
		}
		v.list.Refresh()
		v.selectShown()
	})
}

// selectShown selects the row of the message in the detail, if listed.
func (v *messagesView) selectShown() {
	for i, m := range v.rows {
		if m.ID == v.detail.id {
			v.quiet = true
			v.list.Select(i)
			v.quiet = false
			return
		}
	}
}

// loadCounts shows how many messages are open and overdue.
func (v *messagesView) loadCounts() {
	s := v.d.session
	var (
		open, overdue int
		err           error
	)
	v.d.run(func() { open, overdue, err = s.MessageCounts(time.Now()) }, func() {
		if err != nil {
			v.counts.SetText("")
			return
		}
		v.counts.Importance = widget.MediumImportance
		if overdue > 0 {
			v.counts.Importance = widget.DangerImportance
		}
		v.counts.SetText(i18n.L("message.counts", map[string]any{"Open": open, "Overdue": overdue}))
	})
}

// messageRow is one message in the list: its type, the netizen and the
// start of the text; then its status, a 超期 badge when overdue, and its
// due date, platform and when it came.
type messageRow struct {
	widget.BaseWidget
	title, status, overdue, meta *widget.Label
}

func newMessageRow() *messageRow {
	r := &messageRow{title: widget.NewLabel(""), status: widget.NewLabel(""), overdue: widget.NewLabel(i18n.L("message.overdue")),
		meta: widget.NewLabel("")}
	r.title.TextStyle = fyne.TextStyle{Bold: true}
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.meta.Truncation = fyne.TextTruncateEllipsis
	r.status.TextStyle = fyne.TextStyle{Bold: true}
	r.overdue.TextStyle = fyne.TextStyle{Bold: true}
	r.overdue.Importance = widget.DangerImportance
	r.overdue.Hide()
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer stacks the title over the status and the other facts.
func (r *messageRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(&tightRows{}, r.title,
		container.NewBorder(nil, nil, container.NewHBox(r.status, r.overdue), nil, r.meta)))
}

// set shows m as of now.
func (r *messageRow) set(d *desk, m app.Message, now time.Time) {
	first, _, _ := strings.Cut(m.Content, "\n")
	colon := "："
	if d.lang == i18n.English {
		colon = ": "
	}
	r.title.SetText("[" + messageTypeLabel(m.Type) + "] " + m.Handle + colon + first)
	r.title.Importance = widget.MediumImportance
	overdue := m.Overdue(now)
	if overdue {
		r.title.Importance = widget.DangerImportance
		r.overdue.Show()
	} else {
		r.overdue.Hide()
	}
	r.title.Refresh()
	r.status.Importance = messageStatusImportance(m, now)
	r.status.SetText(messageStatusLabel(m.Status))
	r.meta.SetText(strings.Join([]string{i18n.L("message.due", map[string]any{"Date": m.DueOn}),
		platformNameOf(d, m.Platform), i18n.L("message.received", map[string]any{"Time": when(m.ReceivedAt)})}, " · "))
	r.Refresh() // lay the second line out again: the status and the badge change width
}

// messageDetail is the right side of 网民留言: the selected message with
// its facts and due date, the actions its state allows (a button for each
// next state, each asking in a dialog for what the step needs), the
// content, the answer and the handling record.
type messageDetail struct {
	v       *messagesView
	d       *desk
	content fyne.CanvasObject
	page    *fyne.Container
	msg     *widget.Label // the last action's result

	id  string // the message shown (or being read), empty for none
	gen int    // counts reads; an older read's result is dropped
	md  app.MessageDetail

	actions *fyne.Container
	move    *moveDialog // the open action dialog
}

func newMessageDetail(v *messagesView) *messageDetail {
	dv := &messageDetail{v: v, d: v.d, msg: errorLabel(), page: container.NewStack()}
	dv.content = container.NewBorder(container.NewPadded(dv.msg), nil, nil, nil, dv.page)
	body := container.NewVBox(sectionTitle(i18n.L("message.detail.none")), v.d.para(i18n.L("message.detail.none.hint")))
	dv.page.Objects = []fyne.CanvasObject{container.NewPadded(body)}
	return dv
}

// say shows the result of an action above the message.
func (dv *messageDetail) say(text string, imp widget.Importance) {
	dv.msg.Importance = imp
	setMessage(dv.msg, text)
}

// show reads message id and shows it; another message's result is
// cleared.
func (dv *messageDetail) show(id string) {
	if id != dv.id {
		dv.say("", widget.MediumImportance)
	}
	dv.id = id
	dv.gen++
	gen, s := dv.gen, dv.d.session
	var (
		md  app.MessageDetail
		err error
	)
	dv.d.run(func() { md, err = s.Message(id) }, func() {
		if gen != dv.gen {
			return
		}
		if err != nil {
			dv.say(dv.d.errText(err), widget.DangerImportance)
			return
		}
		dv.md = md
		dv.page.Objects = []fyne.CanvasObject{dv.build(md, time.Now())}
		dv.page.Refresh()
	})
}

// refresh reads the shown message again, keeping the result, and the
// list.
func (dv *messageDetail) refresh() {
	dv.show(dv.id)
	dv.v.reload()
}

// build lays out message md as of now.
func (dv *messageDetail) build(md app.MessageDetail, now time.Time) fyne.CanvasObject {
	d, m := dv.d, md.Message
	status := widget.NewLabelWithStyle(messageStatusLabel(m.Status), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	status.Importance = messageStatusImportance(m, now)
	facts := []string{messageTypeLabel(m.Type), platformNameOf(d, m.Platform)}
	if md.Account != "" {
		facts = append(facts, i18n.L("message.detail.account", map[string]any{"Name": md.Account}))
	}
	facts = append(facts, i18n.L("message.received", map[string]any{"Time": when(m.ReceivedAt)}))
	due := widget.NewLabel("")
	due.TextStyle = fyne.TextStyle{Bold: true}
	switch {
	case m.Closed() && m.Late():
		due.SetText(i18n.L("message.closed.late", map[string]any{"Time": when(m.ClosedAt)}))
		due.Importance = widget.DangerImportance
	case m.Closed():
		due.SetText(i18n.L("message.closed.on_time", map[string]any{"Time": when(m.ClosedAt)}))
		due.Importance = widget.SuccessImportance
	case m.Overdue(now):
		due.SetText(i18n.L("message.overdue.since", map[string]any{"Date": m.DueOn}))
		due.Importance = widget.DangerImportance
	default:
		due.SetText(i18n.L("message.due.until", map[string]any{"Date": m.DueOn}))
	}
	logged := widget.NewLabel(i18n.L("message.detail.logged_by", map[string]any{"Name": md.People.Name(m.CreatedBy)}))
	logged.SizeName = theme.SizeNameCaptionText
	head := container.NewVBox(heading(m.Handle),
		container.NewBorder(nil, nil, status, nil, widget.NewLabel(strings.Join(facts, " · "))), due, logged)

	dv.actions = container.NewHBox()
	for i, next := range app.NextMessageStatuses(m.Status) {
		b := widget.NewButton(i18n.L("message.action."+string(next)), func() { dv.openMove(next) })
		if i == 0 {
			b.Importance = widget.HighImportance
		}
		dv.actions.Add(b)
	}
	refresh := widget.NewButtonWithIcon(i18n.L("message.detail.refresh"), theme.ViewRefreshIcon(), dv.refresh)
	refresh.Importance = widget.LowImportance
	dv.actions.Add(refresh)

	body := container.NewVBox(head, dv.actions, widget.NewSeparator(),
		sectionTitle(i18n.L("message.detail.content")), userText(m.Content))
	if m.Department != "" {
		body.Add(widget.NewLabel(i18n.L("message.detail.department", map[string]any{"Name": m.Department})))
	}
	if m.Channel != "" {
		body.Add(widget.NewLabel(i18n.L("message.detail.channel", map[string]any{"Channel": m.Channel})))
	}
	if m.Reply != "" {
		body.Add(widget.NewSeparator())
		body.Add(sectionTitle(i18n.L("message.detail.reply")))
		body.Add(userText(m.Reply))
	}
	body.Add(widget.NewSeparator())
	body.Add(sectionTitle(i18n.L("message.detail.steps")))
	for _, st := range md.Steps {
		what := messageStatusLabel(app.MessageStatus(st.ToStatus))
		if st.Department != "" {
			what += i18n.L("message.detail.step.department", map[string]any{"Name": st.Department})
		}
		line := widget.NewLabel(i18n.L("message.detail.step", map[string]any{"Time": when(time.UnixMilli(st.At)),
			"Actor": md.People.Name(st.Actor), "Status": what}))
		line.Wrapping = fyne.TextWrapWord
		body.Add(line)
		if n := strings.TrimSpace(st.Note); n != "" {
			body.Add(quote(n))
		}
	}
	return container.NewVScroll(container.NewPadded(body))
}

// moveDialog asks for what a step of the shown message needs: the
// department (流转), what was done (处置, 办结), the reply with the 插入口径
// picker (反馈), the proper channel and the reply (非本机关职权).
type moveDialog struct {
	to                  app.MessageStatus
	department, channel *widget.Entry
	note, reply         *widget.Entry
	picker              *widget.Select // the reply templates
	insert              *widget.Button // 插入口径
	templates           []app.ReplyTemplate
	form                *form
	fd                  *formDialog
}

// messageEntryText is the text of e, or "" when the dialog has no such entry.
func messageEntryText(e *widget.Entry) string {
	if e == nil {
		return ""
	}
	return e.Text
}

// openMove opens the dialog of the step to status to.
func (dv *messageDetail) openMove(to app.MessageStatus) {
	s, m := dv.d.session, dv.md.Message
	md := &moveDialog{to: to, form: newForm(dv.d)}
	f := md.form
	switch to {
	case app.MsgTransferred:
		md.department = widget.NewEntry()
		md.department.SetPlaceHolder(i18n.L("message.move.department.placeholder"))
		f.add("department", i18n.L("message.move.department"), md.department)
		md.note = multiLine(3)
		f.add("note", i18n.L("message.move.note"), md.note)
	case app.MsgFeedback, app.MsgOutOfScope:
		if to == app.MsgOutOfScope {
			md.channel = widget.NewEntry()
			md.channel.SetPlaceHolder(i18n.L("message.move.channel.placeholder"))
			f.add("channel", i18n.L("message.move.channel"), md.channel)
		}
		md.reply = multiLine(6)
		md.reply.SetPlaceHolder(i18n.L("message.move.reply.placeholder"))
		f.add("reply", i18n.L("message.move.reply"), md.reply, dv.templatePicker(md))
	case app.MsgHandled:
		md.note = multiLine(4)
		f.add("note", i18n.L("message.move.note.handled"), md.note)
	default:
		md.note = multiLine(3)
		f.add("note", i18n.L("message.move.note"), md.note)
	}
	dv.move = md
	name := messageStatusLabel(to)
	md.fd = dv.d.showFormDialog(name, i18n.L("message.move.intro."+string(to)), name, f,
		func() (func() error, error) {
			mv := app.MessageMove{To: to, Department: messageEntryText(md.department), Note: messageEntryText(md.note),
				Reply: messageEntryText(md.reply), Channel: messageEntryText(md.channel)}
			return func() error { _, err := s.MoveMessage(m.ID, mv); return err }, nil
		}, func() {
			dv.say(i18n.L("message.move.done", map[string]any{"Status": name}), widget.SuccessImportance)
			dv.refresh()
		}, func() { dv.move = nil })
}

// templatePicker is the 插入口径 row under the reply: the reply templates,
// read off the UI goroutine, with the first of the category that fits
// chosen; 插入口径 adds the chosen one, its placeholders filled, to the
// reply.
func (dv *messageDetail) templatePicker(md *moveDialog) fyne.CanvasObject {
	s, m := dv.d.session, dv.md.Message
	md.picker = widget.NewSelect(nil, nil)
	md.picker.PlaceHolder = i18n.L("message.move.template.placeholder")
	md.insert = widget.NewButtonWithIcon(i18n.L("message.move.template.insert"), theme.ContentPasteIcon(), func() {
		i := md.picker.SelectedIndex()
		if i < 0 || i >= len(md.templates) {
			md.form.fields["reply"].setError(i18n.L("message.move.template.choose"))
			return
		}
		md.form.fields["reply"].setError("")
		md.reply.SetText(s.InsertTemplate(md.reply.Text, md.templates[i], app.TemplateVars{Netizen: m.Handle, Channel: messageEntryText(md.channel)}))
	})
	var (
		list []app.ReplyTemplate
		err  error
	)
	dv.d.run(func() { list, err = s.Templates("") }, func() {
		if err != nil {
			md.form.fail(err)
			return
		}
		md.templates = list
		opts := make([]string, len(list))
		want, chosen := app.SuggestedTemplateCategory(md.to, m.Type), -1
		for i, t := range list {
			opts[i] = t.Category + " · " + t.Title
			if t.Source == app.TemplateHQ {
				opts[i] += i18n.L("library.template.from_hq")
			}
			if chosen < 0 && t.Category == want {
				chosen = i
			}
		}
		md.picker.SetOptions(opts)
		if chosen >= 0 {
			md.picker.SetSelectedIndex(chosen)
		}
	})
	return container.NewBorder(nil, nil, widget.NewLabel(i18n.L("message.move.template")), md.insert, md.picker)
}

// messageForm is the 登记留言 dialog: platform, the unit's account on it
// (optional), the netizen's name, when it came (date and time), the type
// and the content.
type messageForm struct {
	d        *desk
	form     *form
	platform *widget.Select
	account  *widget.Select
	accounts []app.Account // the account options after 不指定账号
	handle   *widget.Entry
	date     *dateField
	clock    *widget.Entry
	typ      *widget.RadioGroup
	content  *widget.Entry
	fd       *formDialog
}

// openLogForm opens the 登记留言 dialog.
func (v *messagesView) openLogForm() {
	d := v.d
	mf := &messageForm{d: d, form: newForm(d)}
	var platforms []string
	for _, p := range app.Platforms {
		platforms = append(platforms, platformName(d, p))
	}
	mf.platform = widget.NewSelect(platforms, func(string) { mf.platformChanged() })
	mf.platform.PlaceHolder = i18n.L("message.form.platform.placeholder")
	mf.account = widget.NewSelect([]string{i18n.L("message.form.account.none")}, nil)
	mf.account.SetSelectedIndex(0)
	mf.handle = widget.NewEntry()
	mf.handle.SetPlaceHolder(i18n.L("message.form.handle.placeholder"))
	now := time.Now()
	mf.date = newDateField(d)
	mf.date.set(now)
	mf.clock = widget.NewEntry()
	mf.clock.SetPlaceHolder(i18n.L("message.form.time.placeholder"))
	mf.clock.SetText(now.Format("15:04"))
	var types []string
	for _, t := range app.MessageTypes {
		types = append(types, messageTypeLabel(t))
	}
	mf.typ = widget.NewRadioGroup(types, nil)
	mf.typ.Horizontal = true
	mf.content = multiLine(4)
	mf.content.SetPlaceHolder(i18n.L("message.form.content.placeholder"))

	f := mf.form
	f.add("platform", i18n.L("message.form.platform"), mf.platform)
	f.add("account", i18n.L("message.form.account"), mf.account)
	f.add("handle", i18n.L("message.form.handle"), mf.handle)
	f.add("received_at", i18n.L("message.form.received"), container.NewGridWithColumns(2, mf.date.content, mf.clock))
	f.add("type", i18n.L("message.form.type"), mf.typ)
	f.add("content", i18n.L("message.form.content"), mf.content)
	v.logForm = mf
	s := d.session
	var saved app.Message
	mf.fd = d.showFormDialog(i18n.L("message.new"), i18n.L("message.form.intro"), i18n.L("button.save"), f,
		func() (func() error, error) {
			form, err := mf.read()
			if err != nil {
				return nil, err
			}
			return func() (err error) { saved, err = s.ReceiveMessage(form); return err }, nil
		}, func() {
			v.detail.show(saved.ID)
			v.detail.say(i18n.L("message.form.saved", map[string]any{"Date": saved.DueOn}), widget.SuccessImportance)
			v.reload()
		}, func() { v.logForm = nil })
}

// read is what the form holds; a date or time that cannot be read is an
// error at its field.
func (mf *messageForm) read() (app.MessageForm, error) {
	f := app.MessageForm{Handle: mf.handle.Text, Content: mf.content.Text}
	if i := mf.platform.SelectedIndex(); i >= 0 {
		f.Platform = app.Platforms[i].Code
	}
	if i := mf.account.SelectedIndex(); i > 0 && i <= len(mf.accounts) {
		f.AccountID = mf.accounts[i-1].ID
	}
	if i := slices.Index(mf.typ.Options, mf.typ.Selected); i >= 0 {
		f.Type = app.MessageTypes[i]
	}
	date, ok, err := mf.date.date()
	if err != nil {
		return f, &app.FieldError{Field: "received_at", Msg: i18n.L("date.invalid")}
	}
	if ok {
		clock, err := time.ParseInLocation("15:04", strings.TrimSpace(mf.clock.Text), time.Local)
		if err != nil {
			return f, &app.FieldError{Field: "received_at", Msg: i18n.L("message.form.time.invalid")}
		}
		f.ReceivedAt = time.Date(date.Year(), date.Month(), date.Day(), clock.Hour(), clock.Minute(), 0, 0, time.Local)
	}
	return f, nil
}

// platformChanged offers the unit's accounts on the chosen platform.
func (mf *messageForm) platformChanged() {
	mf.accounts = nil
	mf.account.SetOptions([]string{i18n.L("message.form.account.none")})
	mf.account.SetSelectedIndex(0)
	i := mf.platform.SelectedIndex()
	if i < 0 {
		return
	}
	code, s := app.Platforms[i].Code, mf.d.session
	var (
		list []app.Account
		err  error
	)
	mf.d.run(func() { list, err = s.MessageAccounts(code) }, func() {
		if err != nil {
			mf.form.fail(err)
			return
		}
		if j := mf.platform.SelectedIndex(); j < 0 || app.Platforms[j].Code != code {
			return // another platform was chosen meanwhile
		}
		mf.accounts = list
		opts := []string{i18n.L("message.form.account.none")}
		for _, a := range list {
			opts = append(opts, a.Name)
		}
		mf.account.SetOptions(opts)
		mf.account.SetSelectedIndex(0)
	})
}

// openRules reads the rules and opens the 期限设置 dialog, or, once the
// county's rules from HQ are in force, shows them.
func (v *messagesView) openRules() {
	s := v.d.session
	var r app.MessageRules
	v.d.run(func() { r = s.MessageRules() }, func() {
		if r.SetByHQ {
			v.d.showCountyRules(r)
			return
		}
		v.rules = v.d.showMessageRules(r, func() {
			v.listMsg.Importance = widget.SuccessImportance
			setMessage(v.listMsg, i18n.L("message.rules.saved"))
		}, func() { v.rules = nil })
	})
}

// messageDates splits a list of dates typed one a line (or separated by
// spaces, commas or 、).
func messageDates(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",，、;；", r)
	})
}
