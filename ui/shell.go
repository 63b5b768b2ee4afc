package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// shell is the main screen of a signed-in session: the navigation list
// on the left (icons and words; a station's areas or HQ's), the chosen area
// on the right, and a status bar at the bottom with the signed-in user and
// role, the unit, the sync state and the 锁定 button. An area is built the
// first time it is opened and kept, so switching areas loses nothing.
type shell struct {
	d        *desk
	areas    []area
	nav      *widget.List
	work     *fyne.Container // holds the open area
	built    map[int]fyne.CanvasObject
	open     int // index of the open area
	home     *homeView
	posts    *postsView        // nil until 稿件 is first opened
	settings *settingsView     // nil until settings is first opened
	reopen   map[string]func() // by area key: what an area reads again when shown again
	syncView *syncView         // nil until 同步 is first opened
	stations *stationsView     // HQ: nil until 所队 is first opened

	user, unit, sync *widget.Label
	lock             *widget.Button
	catcher          *catcher
	content          fyne.CanvasObject // the whole shell
}

// area is one entry of the navigation.
type area struct {
	key   string // translation key of its name, e.g. "nav.posts"
	icon  fyne.Resource
	build func() fyne.CanvasObject
}

func newShell(d *desk) *shell {
	s := &shell{d: d, built: map[int]fyne.CanvasObject{}, open: -1, reopen: map[string]func(){}}
	s.areas = s.areasFor(d.session.Unit().Kind)

	longest := ""
	for _, a := range s.areas {
		if t := i18n.L(a.key); len([]rune(t)) > len([]rune(longest)) {
			longest = t
		}
	}
	s.nav = widget.NewList(
		func() int { return len(s.areas) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.HomeIcon()), widget.NewLabel(longest))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(s.areas[i].icon)
			row.Objects[1].(*widget.Label).SetText(i18n.L(s.areas[i].key))
		})
	s.nav.OnSelected = s.show
	s.work = container.NewStack()

	u := d.session.User()
	s.user = widget.NewLabel(i18n.L("status.user_role", map[string]any{"Name": u.DisplayName, "Role": roleLabel(u.Role)}))
	s.unit = widget.NewLabel(i18n.L("status.unit", map[string]any{"Unit": d.session.Unit().Name}))
	s.sync = widget.NewLabel("")
	s.lock = widget.NewButtonWithIcon(i18n.L("status.lock"), lockIcon, d.lockNow)
	status := container.NewVBox(widget.NewSeparator(), container.NewHBox(
		widget.NewIcon(theme.AccountIcon()), s.user, widget.NewSeparator(),
		widget.NewIcon(theme.HomeIcon()), s.unit, widget.NewSeparator(),
		widget.NewIcon(theme.ViewRefreshIcon()), s.sync,
		layout.NewSpacer(), s.lock))

	left := container.NewBorder(nil, nil, nil, widget.NewSeparator(), s.nav)
	s.catcher = newCatcher(d)
	s.content = container.NewStack(s.catcher, container.NewBorder(nil, status, left, nil, s.work))
	s.nav.Select(0)
	return s
}

// areasFor lists the navigation of an install of kind k.
func (s *shell) areasFor(k app.Kind) []area {
	home := area{"nav.home", theme.HomeIcon(), s.buildHome}
	settings := area{"nav.settings", theme.SettingsIcon(), s.buildSettings}
	if k == app.HQ {
		sync := area{"nav.sync", theme.ViewRefreshIcon(), s.buildSync}
		return []area{home,
			{"nav.stations", theme.ListIcon(), s.buildStations},
			{"nav.approvals", theme.ConfirmIcon(), func() fyne.CanvasObject { return newApprovalsView(s) }},
			{"nav.matrix", theme.GridIcon(), func() fyne.CanvasObject { return newMatrixView(s) }},
			{"nav.notices", theme.WarningIcon(), s.buildNotices},
			{"nav.assessment", theme.MediaRecordIcon(), func() fyne.CanvasObject { return newAssessmentView(s.d).content }},
			{"nav.library", theme.FolderIcon(), func() fyne.CanvasObject { return newLibraryView(s.d) }},
			sync, settings}
	}
	sync := area{"nav.sync", theme.ViewRefreshIcon(), s.buildSync}
	return []area{home,
		{"nav.posts", theme.DocumentCreateIcon(), s.buildPosts},
		{"nav.calendar", theme.CalendarIcon(), func() fyne.CanvasObject { return newCalendarView(s) }},
		{"nav.accounts", theme.AccountIcon(), func() fyne.CanvasObject { return newAccountsView(s.d) }},
		{"nav.roster", theme.ListIcon(), func() fyne.CanvasObject { return newRosterView(s.d) }},
		{"nav.training", theme.FileTextIcon(), func() fyne.CanvasObject { return newTrainingView(s.d).content }},
		{"nav.messages", theme.MailReplyIcon(), s.buildMessages},
		{"nav.notices", theme.WarningIcon(), s.buildNotices},
		sync, settings}
}

// show opens area i in the work area.
func (s *shell) show(i widget.ListItemID) {
	if i == s.open {
		return
	}
	obj, ok := s.built[i]
	if !ok {
		obj = s.areas[i].build()
		s.built[i] = obj
	}
	if ok && s.areas[i].key == "nav.home" {
		s.home.reload() // what needs the user may have changed meanwhile
	}
	if f := s.reopen[s.areas[i].key]; ok && f != nil {
		f()
	}
	s.refreshSync()
	s.open = i
	s.work.Objects = []fyne.CanvasObject{obj}
	s.work.Refresh()
}

// showArea opens the area with the translation key key.
func (s *shell) showArea(key string) {
	for i, a := range s.areas {
		if a.key == key {
			s.nav.Select(i)
			return
		}
	}
}

func (s *shell) buildHome() fyne.CanvasObject {
	s.home = newHomeView(s)
	return s.home.content
}

// openKey is the translation key of the open area's name.
func (s *shell) openKey() string {
	if s.open < 0 {
		return ""
	}
	return s.areas[s.open].key
}

func (s *shell) buildPosts() fyne.CanvasObject {
	s.posts = newPostsView(s.d)
	return s.posts.content
}

// openPosts opens 稿件 and returns its view.
func (s *shell) openPosts() *postsView {
	s.showArea("nav.posts")
	return s.posts
}

func (s *shell) buildSettings() fyne.CanvasObject {
	s.settings = newSettingsView(s.d)
	return s.settings.tabs
}

// setMenu installs the main menu: 文件 (锁定 Ctrl+L, 退出), at a
// station signed in also 稿件 (新建稿件 Ctrl+N, 保存草稿 Ctrl+S, 搜索稿件
// Ctrl+F), and 帮助 (快捷键, 关于). A menu shortcut works even while a
// text field has the keyboard focus.
func (d *desk) setMenu() {
	d.menuLock = fyne.NewMenuItem(i18n.L("menu.lock"), d.lockNow)
	d.menuLock.Icon = lockIcon
	d.menuLock.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}
	d.menuLock.Disabled = d.session == nil || d.lockScr != nil
	quit := fyne.NewMenuItem(i18n.L("menu.quit"), d.requestQuit)
	quit.IsQuit = true
	file := fyne.NewMenu(i18n.L("menu.file"), d.menuLock, fyne.NewMenuItemSeparator(), quit)
	help := fyne.NewMenu(i18n.L("menu.help"),
		fyne.NewMenuItem(i18n.L("menu.shortcuts"), d.showShortcuts),
		fyne.NewMenuItem(i18n.L("menu.about"), d.showAbout))
	menus := []*fyne.Menu{file}
	d.menuNewPost, d.menuSavePost, d.menuSearch = nil, nil, nil
	if d.shell != nil && d.session.Unit().Kind == app.Station {
		d.menuNewPost = postMenuItem("menu.new_post", theme.ContentAddIcon(), fyne.KeyN, func() {
			if v := d.postsReady(); v != nil {
				v.openEditor(app.PostDraft{}, "")
			}
		})
		d.menuSavePost = postMenuItem("menu.save_post", theme.DocumentSaveIcon(), fyne.KeyS, func() {
			if v := d.postsReady(); v != nil && v.editor != nil {
				v.editor.save()
			}
		})
		d.menuSearch = postMenuItem("menu.search_posts", theme.SearchIcon(), fyne.KeyF, func() {
			if v := d.postsReady(); v != nil {
				v.focusSearch()
			}
		})
		menus = append(menus, fyne.NewMenu(i18n.L("nav.posts"), d.menuNewPost, d.menuSavePost, d.menuSearch))
	}
	d.win.SetMainMenu(fyne.NewMainMenu(append(menus, help)...))
	d.setPostMenu()
}

// postMenuItem is an item of the 稿件 menu with shortcut Ctrl+key.
func postMenuItem(key string, icon fyne.Resource, name fyne.KeyName, action func()) *fyne.MenuItem {
	it := fyne.NewMenuItem(i18n.L(key), action)
	it.Icon = icon
	it.Shortcut = &desktop.CustomShortcut{KeyName: name, Modifier: fyne.KeyModifierShortcutDefault}
	return it
}

// postsReady opens 稿件 for a shortcut of the 稿件 menu, unless the
// desk is locked.
func (d *desk) postsReady() *postsView {
	if d.shell == nil || d.session == nil || d.lockScr != nil {
		return nil
	}
	return d.shell.openPosts()
}

// setPostMenu enables 保存草稿 while the editor is open.
func (d *desk) setPostMenu() {
	if d.menuSavePost == nil {
		return
	}
	d.menuSavePost.Disabled = d.shell.posts == nil || d.shell.posts.editor == nil
	d.refreshMenu()
}

// refreshMenu shows a change of the menu items.
func (d *desk) refreshMenu() {
	if m := d.win.MainMenu(); m != nil {
		m.Refresh()
	}
}

// showShortcuts lists the keyboard shortcuts; those of the 稿件 menu only
// while it is there (a station signed in).
func (d *desk) showShortcuts() {
	rows := container.New(layout.NewFormLayout())
	for _, k := range []struct {
		keys, what string
		post       bool // a shortcut of the 稿件 menu
	}{
		{"Ctrl+L", "lock", false},
		{"Ctrl+N", "new_post", true},
		{"Ctrl+S", "save_post", true},
		{"Ctrl+F", "search_posts", true},
		{"Alt", "menu", false},
		{"Tab / Shift+Tab", "tab", false},
		{i18n.L("shortcuts.space.keys"), "space", false},
		{"↑ ↓", "nav", false},
		{i18n.L("shortcuts.return.keys"), "return", false},
		{"Ctrl+C / X / V / A / Z / Y", "edit", false},
	} {
		if k.post && d.menuNewPost == nil {
			continue
		}
		rows.Add(widget.NewLabelWithStyle(k.keys, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		rows.Add(note(i18n.L("shortcuts." + k.what)))
	}
	dlg := dialog.NewCustom(i18n.L("menu.shortcuts"), i18n.L("button.close"), column(560, rows), d.win)
	dlg.Show()
}

// showAbout names the app and its data directory.
func (d *desk) showAbout() {
	body := container.NewVBox(brand(), note(i18n.L("about.text")),
		note(i18n.L("about.data_dir", map[string]any{"Dir": d.cfg.Dir})))
	dialog.NewCustom(i18n.L("menu.about"), i18n.L("button.close"), column(480, body), d.win).Show()
}
