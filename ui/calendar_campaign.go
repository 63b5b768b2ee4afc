package ui

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// campaignForm is the form of 新建活动 and 编辑活动: name, kind, first and
// last day, description. The app checks it; its messages show at the
// fields.
type campaignForm struct {
	form             *form
	title            *widget.Entry
	kind             *widget.RadioGroup
	startsOn, endsOn *dateField
	description      *widget.Entry
	dlg              *formDialog
}

func newCampaignForm(d *desk, c *app.Campaign) *campaignForm {
	f := &campaignForm{form: newForm(d), title: widget.NewEntry(), startsOn: newDateField(d), endsOn: newDateField(d),
		description: multiLine(4)}
	f.title.SetPlaceHolder(i18n.L("calendar.form.title.placeholder"))
	var kinds []string
	for _, k := range app.CampaignKinds {
		kinds = append(kinds, entryKindLabel(k))
	}
	f.kind = widget.NewRadioGroup(kinds, nil)
	f.kind.Horizontal = true
	f.kind.SetSelected(kinds[0])
	if c != nil {
		f.title.SetText(c.Title)
		f.kind.SetSelected(entryKindLabel(c.Kind))
		f.startsOn.entry.SetText(c.StartsOn)
		f.endsOn.entry.SetText(c.EndsOn)
		f.description.SetText(c.Description)
	} else {
		f.startsOn.set(d.now())
	}
	f.form.add("title", i18n.L("calendar.form.title"), f.title)
	f.form.add("kind", i18n.L("calendar.form.kind"), f.kind)
	f.form.add("starts_on", i18n.L("calendar.form.starts_on"), f.startsOn.content)
	f.form.add("ends_on", i18n.L("calendar.form.ends_on"), f.endsOn.content)
	f.form.add("description", i18n.L("calendar.form.description"), f.description)
	return f
}

// value reads the form; a date that cannot be read is an error at its
// field.
func (f *campaignForm) value(id string) (app.CampaignForm, error) {
	out := app.CampaignForm{ID: id, Title: f.title.Text, Description: f.description.Text}
	if i := slices.Index(f.kind.Options, f.kind.Selected); i >= 0 {
		out.Kind = app.CampaignKinds[i]
	}
	var err error
	if out.StartsOn, _, err = f.startsOn.date(); err != nil {
		return out, &app.FieldError{Field: "starts_on", Msg: i18n.L("date.invalid")}
	}
	if out.EndsOn, _, err = f.endsOn.date(); err != nil {
		return out, &app.FieldError{Field: "ends_on", Msg: i18n.L("date.invalid")}
	}
	return out, nil
}

// openForm opens 新建活动, or 编辑活动 of c.
func (v *calendarView) openForm(c *app.Campaign) {
	f := newCampaignForm(v.d, c)
	title, id := i18n.L("calendar.new"), ""
	if c != nil {
		title, id = i18n.L("calendar.form.edit"), c.ID
	}
	s := v.d.session
	var saved app.Campaign
	v.form = f
	f.dlg = v.d.showFormDialog(title, i18n.L("calendar.form.intro"), i18n.L("button.save"), f.form,
		func() (func() error, error) {
			cf, err := f.value(id)
			if err != nil {
				return nil, err
			}
			return func() (werr error) { saved, werr = s.SaveCampaign(cf); return werr }, nil
		}, func() {
			v.say(i18n.L("calendar.saved", map[string]any{"Title": saved.Title}), widget.SuccessImportance)
			if start, err := time.ParseInLocation(time.DateOnly, saved.StartsOn, time.Local); err == nil {
				v.anchor = start // show the campaign
			}
			v.reload()
		}, func() { v.form = nil })
	v.d.win.Canvas().Focus(f.title)
}

// campaignDetail shows a campaign in a dialog: its kind and days, its
// description, the posts linked to it (each opens in 稿件, 移出 takes it
// out), a choice of recent posts to link (关联稿件; published ones too),
// and 编辑活动 for those who may change it.
type campaignDetail struct {
	v        *calendarView
	id       string
	body     *fyne.Container
	msg      *widget.Label
	dlg      *dialog.CustomDialog
	pick     *widget.Select // recent posts to link
	linkable []app.Post     // the posts of pick's options
	cd       app.CampaignDetail
}

// recentPosts is how many recently changed posts 关联稿件 offers.
const recentPosts = 50

// showCampaign opens the detail of campaign id.
func (v *calendarView) showCampaign(id string) {
	cd := &campaignDetail{v: v, id: id, body: container.NewVBox(), msg: errorLabel()}
	content := container.NewBorder(nil, cd.msg, nil, nil, container.NewVScroll(cd.body))
	cd.dlg = dialog.NewCustom(i18n.L("calendar.detail.title"), i18n.L("button.close"), v.d.withCatcher(content), v.d.win)
	cd.dlg.SetOnClosed(func() { v.detail = nil })
	cd.dlg.Resize(fyne.NewSize(640, 520))
	v.detail = cd
	cd.load()
	cd.dlg.Show()
}

// say shows the result of an action in the detail.
func (cd *campaignDetail) say(text string, imp widget.Importance) {
	cd.msg.Importance = imp
	setMessage(cd.msg, text)
}

// load reads the campaign, its posts and the recent posts, and shows them.
func (cd *campaignDetail) load() {
	s := cd.v.d.session
	var (
		detail app.CampaignDetail
		recent []app.Post
		err    error
	)
	cd.v.d.run(func() {
		if detail, err = s.Campaign(cd.id); err == nil {
			recent, err = s.Posts(app.PostQuery{Limit: recentPosts})
		}
	}, func() {
		if err != nil {
			cd.say(cd.v.d.errText(err), widget.DangerImportance)
			return
		}
		cd.cd = detail
		cd.build(recent)
	})
}

// build lays out the detail.
func (cd *campaignDetail) build(recent []app.Post) {
	d, c := cd.v.d, cd.cd.Campaign
	kind := widget.NewLabelWithStyle(i18n.L("calendar.detail.dates", map[string]any{"Kind": entryKindLabel(c.Kind),
		"From": c.StartsOn, "To": c.EndsOn}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	objs := []fyne.CanvasObject{heading(c.Title), kind}
	if cd.cd.CanEdit {
		edit := widget.NewButtonWithIcon(i18n.L("calendar.form.edit"), theme.DocumentCreateIcon(), func() {
			cd.dlg.Hide()
			cd.v.openForm(&c)
		})
		objs[1] = container.NewBorder(nil, nil, nil, edit, kind)
	}
	if strings.TrimSpace(c.Description) != "" {
		objs = append(objs, userText(c.Description))
	}
	objs = append(objs, widget.NewSeparator(),
		sectionTitle(i18n.L("calendar.detail.posts", map[string]any{"Count": len(cd.cd.Posts)})))
	if len(cd.cd.Posts) == 0 {
		objs = append(objs, d.para(i18n.L("calendar.detail.no_posts")))
	}
	for _, p := range cd.cd.Posts {
		objs = append(objs, cd.postRow(p))
	}
	cd.pick = widget.NewSelect(nil, nil)
	cd.pick.PlaceHolder = i18n.L("calendar.detail.link.placeholder")
	cd.linkable = nil
	for _, p := range recent {
		if p.CampaignID != c.ID {
			cd.pick.Options = append(cd.pick.Options, p.Title+"（"+statusLabel(p.Status)+"）")
			cd.linkable = append(cd.linkable, p)
		}
	}
	link := widget.NewButtonWithIcon(i18n.L("calendar.detail.link"), theme.ContentAddIcon(), cd.link)
	objs = append(objs, widget.NewSeparator(), container.NewBorder(nil, nil, nil, link, cd.pick))
	cd.body.Objects = objs
	cd.body.Refresh()
}

// postRow is a linked post: its title (opens it in 稿件), its status and
// time, and 移出.
func (cd *campaignDetail) postRow(p app.CalendarPost) fyne.CanvasObject {
	title := widget.NewHyperlink(p.Title, nil)
	title.Truncation = fyne.TextTruncateEllipsis
	title.OnTapped = func() {
		cd.dlg.Hide()
		cd.v.openPost(p.ID)
	}
	st := app.PostStatus(p.Status)
	status := widget.NewLabelWithStyle(statusLabel(st), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	status.Importance = statusImportance(st)
	at := widget.NewLabel(i18n.L("calendar.detail.not_planned"))
	switch {
	case p.PublishedAt != 0:
		at.SetText(i18n.L("calendar.detail.published", map[string]any{"Time": when(time.UnixMilli(p.PublishedAt))}))
	case p.PlannedAt != 0:
		at.SetText(i18n.L("calendar.detail.planned", map[string]any{"Time": when(time.UnixMilli(p.PlannedAt))}))
	}
	at.SizeName = theme.SizeNameCaptionText
	unlink := widget.NewButtonWithIcon(i18n.L("calendar.detail.unlink"), theme.ContentRemoveIcon(), func() {
		cd.act(func(s *app.Session) error { return s.UnlinkPost(p.ID) }, i18n.L("calendar.detail.unlinked", map[string]any{"Title": p.Title}))
	})
	unlink.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, status, container.NewHBox(at, unlink), title)
}

// link links the post chosen in pick (关联稿件).
func (cd *campaignDetail) link() {
	i := cd.pick.SelectedIndex()
	if i < 0 {
		cd.say(i18n.L("calendar.detail.link.placeholder"), widget.DangerImportance)
		return
	}
	p, campaign := cd.linkable[i], cd.id
	cd.act(func(s *app.Session) error { return s.LinkPost(p.ID, campaign) }, i18n.L("calendar.detail.linked", map[string]any{"Title": p.Title}))
}

// act runs work off the UI goroutine, then says success (or the error)
// and shows the detail and the calendar again.
func (cd *campaignDetail) act(work func(*app.Session) error, success string) {
	s := cd.v.d.session
	var err error
	cd.v.d.run(func() { err = work(s) }, func() {
		if err != nil {
			cd.say(cd.v.d.errText(err), widget.DangerImportance)
			return
		}
		cd.say(success, widget.SuccessImportance)
		cd.load()
		cd.v.reload()
	})
}
