package ui

import (
	"maps"
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

// postsView is 稿件, at a station: on the left the list of posts with
// its filters (status, author, category, platform, updated between two
// dates, order) and the search box above it, and the one primary button
// 新建稿件 (Ctrl+N); on the right the selected post (detailView). The
// editor takes the whole area while it is open and gives the list back
// when it closes.
//
// When the posts area first opens and the signed-in user has an
// autosaved working copy (the editor keeps one while typing, so a crash
// or power cut loses at most a few seconds), a dialog offers to restore
// it or to discard it.
type postsView struct {
	d       *desk
	content *fyne.Container // the browse view, or the editor while it is open
	browse  fyne.CanvasObject

	newPost                                   *widget.Button
	search                                    *widget.Entry
	status, author, category, platform, order *widget.Select
	from, to                                  *dateField
	filterMsg, listInfo                       *widget.Label

	statuses   []app.PostStatus // the status filter's options after 全部
	authorIDs  []string         // the author filter's options after 全部
	categories []string
	platforms  []string // codes
	orders     []string // app.PostQuery.OrderBy values

	pages *postPages
	list  *widget.List
	quiet bool // selecting a row again after a reload: keep the detail as it is

	// Search: while the box holds a query, hitList shows its ranked hits
	// in place of the paged list.
	searchWait *debouncer
	searchGen  int    // counts searches; an older search's result is dropped
	searched   string // the query of the hits shown, empty when none
	result     app.SearchResult
	hitList    *widget.List

	names  map[string]string // user ID → display name, as far as the user may know them
	detail *detailView
	editor *editor // while open
	// writes runs the editors' store writes (autosaves, saves, 送审) and
	// dropping the working copy one at a time, in the order queued: an
	// autosave queued before a discard cannot land after it.
	writes *serial

	restore *dialog.ConfirmDialog // the offer of an autosaved working copy, while it shows
}

func newPostsView(d *desk) *postsView {
	v := &postsView{d: d, names: map[string]string{}, writes: &serial{d: d}}
	s := d.session
	me := s.User()
	v.names[me.ID] = me.DisplayName

	v.newPost = widget.NewButtonWithIcon(i18n.L("posts.new"), theme.ContentAddIcon(), func() { v.openEditor(app.PostDraft{}, "") })
	v.newPost.Importance = widget.HighImportance
	// The search box (Ctrl+F): a pause in typing (searchDelay) shows the
	// ranked hits of Session.SearchPosts within the filters, with their
	// highlights, in place of the paged list; emptying it gives the list
	// back. Return does nothing: a pinyin input method sends it while
	// composing (forms.go).
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder(i18n.L("posts.search.placeholder"))
	v.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	v.searchWait = newDebouncer(d, searchDelay)
	v.search.OnChanged = func(string) { v.searchChanged() }

	statusOpts := []string{i18n.L("posts.filter.all_status")}
	for _, st := range []app.PostStatus{app.Draft, app.Submitted, app.Returned, app.AwaitingHQ, app.Ready, app.Published, app.TakenDown} {
		v.statuses = append(v.statuses, st)
		statusOpts = append(statusOpts, statusLabel(st))
	}
	authorOpts := []string{i18n.L("posts.filter.all_authors"), i18n.L("posts.filter.mine")}
	v.authorIDs = []string{me.ID}
	if me.Role.IsAdmin() {
		if users, err := s.Users(); err == nil {
			for _, u := range users {
				v.names[u.ID] = u.DisplayName
				authorOpts = append(authorOpts, i18n.L("users.display_login", map[string]any{"Name": u.DisplayName, "Login": u.Name}))
				v.authorIDs = append(v.authorIDs, u.ID)
			}
		}
	}
	v.categories = s.PostCategories()
	categoryOpts := append([]string{i18n.L("posts.filter.all_categories")}, v.categories...)
	platformOpts := []string{i18n.L("posts.filter.all_platforms")}
	for _, p := range app.Platforms {
		v.platforms = append(v.platforms, p.Code)
		platformOpts = append(platformOpts, platformName(d, p))
	}
	v.orders = []string{"updated", "created", "title"}
	orderOpts := []string{i18n.L("posts.order.updated"), i18n.L("posts.order.created"), i18n.L("posts.order.title")}

	selectOf := func(opts []string) *widget.Select {
		sel := widget.NewSelect(opts, nil)
		sel.SetSelectedIndex(0)
		sel.OnChanged = func(string) { v.reload() }
		return sel
	}
	v.status, v.author, v.category = selectOf(statusOpts), selectOf(authorOpts), selectOf(categoryOpts)
	v.platform, v.order = selectOf(platformOpts), selectOf(orderOpts)
	v.from, v.to = newDateField(d), newDateField(d)
	v.from.changed, v.to.changed = v.datesChanged, v.datesChanged
	v.filterMsg = errorLabel()
	v.listInfo = widget.NewLabel("")
	v.listInfo.SizeName = theme.SizeNameCaptionText

	v.pages = &postPages{run: d.run, fetch: s.Posts, counter: s.CountPosts, changed: v.pagesChanged, failed: func(err error) {
		v.filterMsg.Importance = widget.DangerImportance
		setMessage(v.filterMsg, d.errText(err))
	}}
	v.list = widget.NewList(v.pages.length,
		func() fyne.CanvasObject { return newPostRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := o.(*postRow)
			if p, ok := v.pages.row(i); ok {
				r.set(p, v.names[p.AuthorID])
			} else {
				r.setLoading()
			}
		})
	v.list.OnSelected = v.selected
	v.hitList = widget.NewList(func() int { return len(v.result.Hits) },
		func() fyne.CanvasObject { return newHitRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.result.Hits) {
				h := v.result.Hits[i]
				p := app.Post{PostDraft: app.PostDraft{ID: h.Post.ID, Title: h.Post.Title, Category: h.Post.Category},
					AuthorID: h.Post.AuthorID, Status: app.PostStatus(h.Post.Status), UpdatedAt: time.UnixMilli(h.Post.UpdatedAt)}
				o.(*hitRow).set(p, v.names[p.AuthorID], toSpans(h.TitleRanges), h.Snippet, toSpans(h.SnippetRanges))
			}
		})
	v.hitList.OnSelected = v.hitSelected
	v.hitList.Hide()

	dates := container.NewBorder(nil, nil, widget.NewLabel(i18n.L("posts.filter.updated")), nil,
		container.NewGridWithColumns(2, v.from.content, v.to.content))
	filters := container.NewVBox(
		container.NewBorder(nil, nil, v.newPost, nil, v.search),
		container.NewGridWithColumns(3, v.status, v.author, v.category),
		container.NewGridWithColumns(2, v.platform, v.order),
		dates, v.filterMsg, v.listInfo, widget.NewSeparator())
	left := container.NewBorder(filters, nil, nil, nil, container.NewStack(v.list, v.hitList))

	v.detail = newDetailView(v)
	split := container.NewHSplit(container.NewPadded(left), v.detail.content)
	split.Offset = 0.4
	v.browse = split
	v.content = container.NewStack(v.browse)
	d.win.SetOnDropped(v.dropped)
	v.reload()
	v.offerAutosave()
	return v
}

// platformName is a platform's name in the UI language.
func platformName(d *desk, p app.Platform) string {
	if d.lang == i18n.English {
		return p.NameEN
	}
	return p.Name
}

// platformNameOf is the name of the platform with the given code.
func platformNameOf(d *desk, code string) string {
	if p, ok := app.PlatformByCode(code); ok {
		return platformName(d, p)
	}
	return code
}

// statusLabel is a post status in words: 草稿, 带班领导审核, 退回修改,
// 报宣传科审批, 待发布, 已发布, 已撤下.
func statusLabel(s app.PostStatus) string { return i18n.L("post.status." + string(s)) }

// statusImportance is the colour of a status: what needs someone's
// attention stands out.
func statusImportance(s app.PostStatus) widget.Importance {
	switch s {
	case app.Submitted, app.AwaitingHQ:
		return widget.WarningImportance
	case app.Returned:
		return widget.DangerImportance
	case app.Ready:
		return widget.HighImportance
	case app.Published:
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}

// when formats a time for the lists and the detail.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04")
}

// query is the list's query as the filters set it; ok is false (and the
// problem shown) when a date cannot be read.
func (v *postsView) query() (app.PostQuery, bool) {
	var q app.PostQuery
	if i := v.status.SelectedIndex(); i > 0 {
		q.Status = string(v.statuses[i-1])
	}
	if i := v.author.SelectedIndex(); i > 0 {
		q.AuthorID = v.authorIDs[i-1]
	}
	if i := v.category.SelectedIndex(); i > 0 {
		q.Category = v.categories[i-1]
	}
	if i := v.platform.SelectedIndex(); i > 0 {
		q.Target = v.platforms[i-1]
	}
	if i := v.order.SelectedIndex(); i > 0 {
		q.OrderBy = v.orders[i]
	}
	from, okFrom, err1 := v.from.date()
	to, okTo, err2 := v.to.date()
	if err1 != nil || err2 != nil {
		v.filterMsg.Importance = widget.DangerImportance
		setMessage(v.filterMsg, i18n.L("date.invalid"))
		return q, false
	}
	if okFrom {
		q.From = from.UnixMilli()
	}
	if okTo {
		q.To = to.AddDate(0, 0, 1).UnixMilli() // the whole last day
	}
	setMessage(v.filterMsg, "")
	return q, true
}

// datesChanged reloads once a date field holds a whole date or nothing.
func (v *postsView) datesChanged() {
	for _, f := range []*dateField{v.from, v.to} {
		if _, _, err := f.date(); err != nil && len([]rune(strings.TrimSpace(f.entry.Text))) < len(time.DateOnly) {
			return // still typing
		}
	}
	v.reload()
}

// reload reads the list again from the top, with the filters as they are.
func (v *postsView) reload() {
	q, ok := v.query()
	if !ok {
		return
	}
	v.quiet = true
	v.list.UnselectAll()
	v.quiet = false
	v.loadNames()
	v.pages.reset(q)
	v.pagesChanged()
	if v.searching() {
		v.runSearch()
	}
}

// loadNames reads the users' display names again, for the authors in the
// list and the detail.
func (v *postsView) loadNames() {
	s := v.d.session
	var (
		names map[string]string
		err   error
	)
	v.d.run(func() { names, err = s.UserNames() }, func() {
		if err != nil {
			return // the names known so far stay
		}
		maps.Copy(v.names, names)
		v.list.Refresh()
		v.hitList.Refresh()
	})
}

// pagesChanged shows new rows and how many are loaded, and selects the
// post in the detail again when it is among them.
func (v *postsView) pagesChanged() {
	if v.searching() {
		return // the line above the list tells of the search
	}
	n := v.pages.count
	if v.pages.counted {
		n = v.pages.length()
	}
	switch {
	case v.pages.counted && n == 0:
		v.listInfo.SetText(i18n.L("posts.list.empty"))
	case v.pages.counted:
		v.listInfo.SetText(i18n.L("posts.list.loaded", map[string]any{"Count": n}))
	case v.pages.more && n == 0:
		v.listInfo.SetText(i18n.L("posts.list.loading"))
	case v.pages.more:
		v.listInfo.SetText(i18n.L("posts.list.loaded_more", map[string]any{"Count": n}))
	case n == 0:
		v.listInfo.SetText(i18n.L("posts.list.empty"))
	default:
		v.listInfo.SetText(i18n.L("posts.list.loaded", map[string]any{"Count": n}))
	}
	v.list.Refresh()
	if id := v.detail.id; id != "" {
		if i := v.pages.index(id); i >= 0 {
			v.quiet = true
			v.list.Select(i)
			v.quiet = false
		}
	}
}

// selected shows the post of row i in the detail.
func (v *postsView) selected(i widget.ListItemID) {
	if v.quiet {
		return
	}
	p, ok := v.pages.row(i)
	if !ok {
		v.list.Unselect(i)
		return
	}
	v.detail.show(p.ID)
}

// showPost shows post id in the detail (after the editor sent it for
// review, say) and reloads the list.
func (v *postsView) showPost(id string) {
	v.detail.show(id)
	v.reload()
}

// searching reports whether the search box holds a query.
func (v *postsView) searching() bool { return strings.TrimSpace(v.search.Text) != "" }

// searchChanged follows typing in the search box: the search runs once
// typing pauses; an empty box gives the paged list back at once.
func (v *postsView) searchChanged() {
	if v.searching() {
		v.searchWait.trigger(v.runSearch)
		return
	}
	v.searchWait.stop()
	v.searchGen++ // a search on its way is no longer wanted
	if v.searched == "" && v.hitList.Hidden {
		return
	}
	v.searched, v.result = "", app.SearchResult{}
	v.quiet = true
	v.hitList.UnselectAll()
	v.quiet = false
	v.hitList.Hide()
	v.list.Show()
	setMessage(v.filterMsg, "")
	v.pagesChanged()
}

// searchLimit is how many hits a search shows.
const searchLimit = 100

// runSearch searches for the box's query within the filters, off the UI
// goroutine, and shows the hits in place of the paged list.
func (v *postsView) runSearch() {
	text := strings.TrimSpace(v.search.Text)
	if text == "" {
		return
	}
	q, ok := v.query()
	if !ok {
		return
	}
	v.searchGen++
	gen, s := v.searchGen, v.d.session
	var (
		res app.SearchResult
		err error
	)
	v.d.run(func() { res, err = s.SearchPosts(text, q, searchLimit) }, func() {
		if gen != v.searchGen || !v.searching() {
			return
		}
		if err != nil {
			v.filterMsg.Importance = widget.DangerImportance
			setMessage(v.filterMsg, v.d.errText(err))
			res = app.SearchResult{}
		} else {
			setMessage(v.filterMsg, "")
		}
		v.searched, v.result = text, res
		v.showHits()
	})
}

// showHits puts the hits in place of the paged list, with how many match
// above them, and selects the post in the detail when it is among them.
func (v *postsView) showHits() {
	res := v.result
	var info string
	switch {
	case res.TotalCapped:
		info = i18n.L("posts.search.found_capped", map[string]any{"Count": res.Total})
	default:
		info = i18n.L("posts.search.found", map[string]any{"Count": res.Total})
	}
	if res.Partial {
		info += i18n.L("posts.search.partial")
	}
	if res.Unindexed > 0 {
		info += i18n.L("posts.search.unindexed", map[string]any{"Count": res.Unindexed})
	}
	v.listInfo.SetText(info)
	v.list.Hide()
	v.hitList.Show()
	v.quiet = true
	v.hitList.UnselectAll()
	v.hitList.Refresh()
	if id := v.detail.id; id != "" {
		for i, h := range res.Hits {
			if h.Post.ID == id {
				v.hitList.Select(i)
				break
			}
		}
	}
	v.quiet = false
}

// hitSelected shows the post of hit i in the detail.
func (v *postsView) hitSelected(i widget.ListItemID) {
	if v.quiet || i >= len(v.result.Hits) {
		return
	}
	v.detail.show(v.result.Hits[i].Post.ID)
}

// focusSearch puts the keyboard in the search box (Ctrl+F) when it can
// search.
func (v *postsView) focusSearch() {
	if v.editor == nil && !v.search.Disabled() {
		v.d.win.Canvas().Focus(v.search)
	}
}

// openEditor opens the editor on draft (empty for a new post); status is
// the post's status when it exists.
func (v *postsView) openEditor(draft app.PostDraft, status app.PostStatus) {
	if v.editor != nil {
		return // one editor at a time; it is on screen already
	}
	v.editor = newEditor(v, draft, status)
	v.content.Objects = []fyne.CanvasObject{v.editor.content}
	v.content.Refresh()
	v.d.setPostMenu()
	v.d.win.Canvas().Focus(v.editor.title)
}

// closeEditor gives the area back to the list.
func (v *postsView) closeEditor() {
	v.editor = nil
	v.content.Objects = []fyne.CanvasObject{v.browse}
	v.content.Refresh()
	v.d.setPostMenu()
}

// dropped attaches files dropped on the window to the open editor's
// images; with no editor open (or another area shown) a drop does
// nothing.
func (v *postsView) dropped(_ fyne.Position, uris []fyne.URI) {
	if v.editor == nil || v.d.lockScr != nil || v.d.shell == nil || v.d.shell.openKey() != "nav.posts" {
		return
	}
	v.editor.attachURIs(uris)
}

// offerAutosave asks whether to restore the user's autosaved working
// copy, if there is one.
func (v *postsView) offerAutosave() {
	s := v.d.session
	var (
		draft app.PostDraft
		at    time.Time
		ok    bool
		err   error
	)
	v.d.run(func() {
		draft, at, ok, err = s.AutosavedDraft()
	}, func() {
		if err != nil {
			v.filterMsg.Importance = widget.DangerImportance
			setMessage(v.filterMsg, v.d.errText(err))
			return
		}
		if !ok {
			return
		}
		title := strings.TrimSpace(draft.Title)
		if title == "" {
			title = i18n.L("posts.untitled")
		}
		v.restore = dialog.NewConfirm(i18n.L("posts.autosave.title"),
			i18n.L("posts.autosave.found", map[string]any{"Title": title, "Time": when(at)}),
			func(restore bool) {
				v.restore = nil
				if restore {
					if e := v.editor; e != nil && !e.dirty {
						e.finish() // a new post opened (Ctrl+N) while the question was on its way
					}
					v.openEditor(draft, "")
				} else {
					v.discardAutosave()
				}
			}, v.d.win)
		v.restore.SetConfirmText(i18n.L("posts.autosave.restore", map[string]any{"Time": at.Format("01-02 15:04")}))
		v.restore.SetDismissText(i18n.L("posts.autosave.discard"))
		v.restore.Show()
	})
}

// discardAutosave drops the autosaved working copy, on the editors' write
// queue: after any autosave queued before it. An editor open with changes
// of its own keeps them: its working copy is autosaved again after.
func (v *postsView) discardAutosave() {
	s := v.d.session
	var err error
	v.writes.do(func() { err = s.DiscardAutosave() }, func() {
		if err != nil {
			v.filterMsg.Importance = widget.DangerImportance
			setMessage(v.filterMsg, v.d.errText(err))
			return
		}
		if e := v.editor; e != nil && e.dirty {
			e.autosave()
		}
	})
}

// postRow is one post in the list: its title, then its status, category,
// author and when it last changed.
type postRow struct {
	widget.BaseWidget
	title, status, meta *widget.Label
}

func newPostRow() *postRow {
	r := &postRow{title: widget.NewLabel(""), status: widget.NewLabel(""), meta: widget.NewLabel("")}
	r.title.TextStyle = fyne.TextStyle{Bold: true}
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.meta.Truncation = fyne.TextTruncateEllipsis
	r.status.TextStyle = fyne.TextStyle{Bold: true}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer stacks the title over the status and the other facts.
func (r *postRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(&tightRows{}, r.title, container.NewBorder(nil, nil, r.status, nil, r.meta)))
}

// set shows p, whose author is called author (empty when unknown).
func (r *postRow) set(p app.Post, author string) {
	r.title.SetText(p.Title)
	r.status.Importance = statusImportance(p.Status)
	r.status.SetText(statusLabel(p.Status))
	facts := []string{p.Category}
	if author != "" {
		facts = append(facts, author)
	}
	facts = append(facts, when(p.UpdatedAt))
	r.meta.SetText(strings.Join(facts, " · "))
}

// setLoading shows that the row's page is being read.
func (r *postRow) setLoading() {
	r.title.SetText(i18n.L("posts.list.loading"))
	r.status.SetText("")
	r.meta.SetText("")
}

// tightRows stacks its objects with their own padding only, a little
// overlapped, so that a two-line list row stays compact.
type tightRows struct{}

// rowOverlap is how far each row after the first moves up over the one
// before (labels carry inner padding top and bottom).
const rowOverlap = 10

func (tightRows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - rowOverlap
	}
}

func (tightRows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height - rowOverlap
	}
	return fyne.NewSize(s.Width, s.Height+rowOverlap)
}

// span is a highlighted stretch of a text, in runes (a search hit's range).
type span struct{ Start, End int }

// toSpans converts a search hit's ranges.
func toSpans[R ~struct{ Start, End int }](rs []R) []span {
	out := make([]span, len(rs))
	for i, r := range rs {
		out[i] = span(r)
	}
	return out
}

// highlightSegments is text as rich-text segments in style, with the runes
// in spans bold and in the primary colour.
func highlightSegments(text string, spans []span, style widget.RichTextStyle) []widget.RichTextSegment {
	rs := []rune(text)
	hit := style
	hit.TextStyle.Bold = true
	hit.ColorName = theme.ColorNamePrimary
	var segs []widget.RichTextSegment
	add := func(from, to int, st widget.RichTextStyle) {
		if from < to {
			segs = append(segs, &widget.TextSegment{Text: string(rs[from:to]), Style: st})
		}
	}
	at := 0
	for _, sp := range spans {
		start, end := max(at, min(sp.Start, len(rs))), max(at, min(sp.End, len(rs)))
		add(at, start, style)
		add(start, end, hit)
		at = end
	}
	add(at, len(rs), style)
	if len(segs) == 0 {
		segs = append(segs, &widget.TextSegment{Style: style})
	}
	return segs
}

// hitRow is one search hit: its title and an excerpt of its text, each
// with the query's matches highlighted, then its status and facts.
type hitRow struct {
	widget.BaseWidget
	title, snippet *widget.RichText
	status, meta   *widget.Label
}

func newHitRow() *hitRow {
	r := &hitRow{title: widget.NewRichText(), snippet: widget.NewRichText(),
		status: widget.NewLabel(""), meta: widget.NewLabel("")}
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.snippet.Truncation = fyne.TextTruncateEllipsis
	r.meta.Truncation = fyne.TextTruncateEllipsis
	r.status.TextStyle = fyne.TextStyle{Bold: true}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer stacks the title, the excerpt and the facts.
func (r *hitRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(&tightRows{}, r.title, r.snippet,
		container.NewBorder(nil, nil, r.status, nil, r.meta)))
}

// set shows post p, whose author is called author, with the hits in its
// title and the excerpt.
func (r *hitRow) set(p app.Post, author string, titleHits []span, snippet string, snippetHits []span) {
	title := widget.RichTextStyleInline
	title.TextStyle.Bold = true
	r.title.Segments = highlightSegments(p.Title, titleHits, title)
	r.title.Refresh()
	r.snippet.Segments = highlightSegments(snippet, snippetHits, widget.RichTextStyleInline)
	r.snippet.Refresh()
	r.status.Importance = statusImportance(p.Status)
	r.status.SetText(statusLabel(p.Status))
	facts := []string{p.Category}
	if author != "" {
		facts = append(facts, author)
	}
	facts = append(facts, when(p.UpdatedAt))
	r.meta.SetText(strings.Join(facts, " · "))
}
