package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"mediadesk/ui/i18n"
)

// menuItem finds the item labelled item in the main menu labelled menu,
// or nil.
func (h *harness) menuItem(menu, item string) *fyne.MenuItem {
	h.t.Helper()
	main := h.w.MainMenu()
	if main == nil {
		h.t.Fatal("no main menu")
	}
	for _, m := range main.Items {
		if m.Label != menu {
			continue
		}
		for _, it := range m.Items {
			if it.Label == item {
				return it
			}
		}
	}
	return nil
}

// wantShortcut checks that the menu item menu ＞ item exists with the
// shortcut Ctrl+key, which the menu shows beside it.
func (h *harness) wantShortcut(menu, item string, key fyne.KeyName) {
	h.t.Helper()
	it := h.menuItem(menu, item)
	if it == nil {
		h.t.Errorf("no menu item %s ＞ %s", menu, item)
		return
	}
	sc, ok := it.Shortcut.(*desktop.CustomShortcut)
	if !ok || sc.KeyName != key || sc.Modifier != fyne.KeyModifierShortcutDefault {
		h.t.Errorf("%s ＞ %s: shortcut %#v, want Ctrl+%s", menu, item, it.Shortcut, key)
	}
}

// shortcutRows opens 帮助 ＞ 快捷键 and returns the key column of its list.
func (h *harness) shortcutRows() map[string]bool {
	h.t.Helper()
	it := h.menuItem(i18n.L("menu.help"), i18n.L("menu.shortcuts"))
	if it == nil {
		h.t.Fatal("no 帮助 ＞ 快捷键")
	}
	it.Action()
	keys := map[string]bool{}
	walk(h.topOverlay(), func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && l.TextStyle.Bold {
			keys[l.Text] = true
		}
		return false
	})
	return keys
}

func TestStationMenusShowShortcuts(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)

	file, posts := i18n.L("menu.file"), i18n.L("nav.posts")
	h.wantShortcut(file, i18n.L("menu.lock"), fyne.KeyL)
	h.wantShortcut(posts, i18n.L("menu.new_post"), fyne.KeyN)
	h.wantShortcut(posts, i18n.L("menu.save_post"), fyne.KeyS)
	h.wantShortcut(posts, i18n.L("menu.search_posts"), fyne.KeyF)
	if h.menuItem(i18n.L("menu.help"), i18n.L("menu.about")) == nil {
		t.Error("no 帮助 ＞ 关于")
	}

	keys := h.shortcutRows()
	for _, k := range []string{"Ctrl+L", "Ctrl+N", "Ctrl+S", "Ctrl+F", "Alt", "Tab / Shift+Tab"} {
		if !keys[k] {
			t.Errorf("快捷键 does not list %s; it lists %v", k, keys)
		}
	}
}

func TestHQShortcutsLeaveOutPosts(t *testing.T) {
	h := newHarness(t, setUpHQInstall(t))
	h.signIn("admin", hqPassword)

	h.wantShortcut(i18n.L("menu.file"), i18n.L("menu.lock"), fyne.KeyL)
	if h.menuItem(i18n.L("nav.posts"), i18n.L("menu.new_post")) != nil {
		t.Error("HQ has a 稿件 menu")
	}
	keys := h.shortcutRows()
	if !keys["Ctrl+L"] {
		t.Errorf("快捷键 does not list Ctrl+L; it lists %v", keys)
	}
	for _, k := range []string{"Ctrl+N", "Ctrl+S", "Ctrl+F"} {
		if keys[k] {
			t.Errorf("快捷键 lists %s at HQ, which has no 稿件 menu", k)
		}
	}
}
