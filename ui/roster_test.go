package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

// area opens the area with translation key key and returns what it built.
func (h *harness) area(key string) any {
	h.t.Helper()
	h.d.shell.showArea(key)
	return h.d.shell.built[h.d.shell.open]
}

// roster opens 民警名册 and returns its view.
func (h *harness) roster() *rosterView {
	h.t.Helper()
	v, ok := h.area("nav.roster").(*rosterView)
	if !ok {
		h.t.Fatal("民警名册 is not the roster")
	}
	return v
}

// fillOfficer types an officer into the open roster dialog.
func fillOfficer(e *officerEditor, name, no, department string) {
	for en, text := range map[*widget.Entry]string{e.name: name, e.policeNo: no, e.department: department} {
		en.SetText("")
		test.Type(en, text)
	}
}

func TestRosterForm(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("li", leaderPassword)
	v := h.roster()
	if v.add == nil || len(v.officers) != 0 {
		t.Fatalf("a shift leader cannot add, or the roster is not empty: %d", len(v.officers))
	}

	// Empty name: refused at the field, nothing saved.
	test.Tap(v.add)
	e := v.editor
	if e == nil {
		t.Fatal("no roster dialog")
	}
	fillOfficer(e, "", "410523", "城关派出所社区中队")
	test.Tap(e.dialog.submit)
	h.r.settle(t)
	wantMessage(t, "empty name", e.dialog.form.fields["name"].msg, "此项必填")
	if all, _ := h.d.session.Officers(true); len(all) != 0 {
		t.Fatal("an officer without a name was saved")
	}
	fillOfficer(e, "张伟", "410523", "城关派出所社区中队")
	test.Tap(e.spokesperson)
	test.Tap(e.dialog.submit)
	h.r.settle(t)
	if v.editor != nil || len(v.officers) != 1 || !v.officers[0].Spokesperson || !v.officers[0].Active {
		t.Fatalf("not saved: %+v", v.officers)
	}
	wantMessage(t, "saved", v.msg, "已保存：张伟")
	if !labelWith(v.list, "网络发言人") || !labelWith(v.list, "410523") {
		t.Error("the row does not show the police number and the flag")
	}

	// A police number belongs to one officer only.
	test.Tap(v.add)
	e = v.editor
	fillOfficer(e, "李强", "410523", "交警中队")
	test.Tap(e.dialog.submit)
	h.r.settle(t)
	wantMessage(t, "duplicate police number", e.dialog.form.fields["police_no"].msg, "这个警号已在名册中（张伟）")
	fillOfficer(e, "李强", "12ab", "交警中队")
	test.Tap(e.dialog.submit)
	h.r.settle(t)
	wantMessage(t, "police number with letters", e.dialog.form.fields["police_no"].msg, "4 到 12 位数字")
	wantNoMessage(t, "name after a good name", e.dialog.form.fields["name"].msg)
	e.dialog.dlg.Hide()

	// Editing: out of service, the entry leaves the list until asked for.
	v.openEditor(v.officers[0])
	e = v.editor
	if e.name.Text != "张伟" || !e.spokesperson.Checked {
		t.Fatal("the editor is not filled with the entry")
	}
	test.Tap(e.active)
	test.Tap(e.dialog.submit)
	h.r.settle(t)
	if len(v.officers) != 0 {
		t.Fatalf("an inactive officer is listed: %+v", v.officers)
	}
	v.inactive.SetChecked(true)
	if len(v.officers) != 1 || v.officers[0].Version != 2 || !labelWith(v.list, "已停用") {
		t.Fatalf("show inactive: %+v", v.officers)
	}

	// An officer reads the roster but cannot change it.
	h.switchUser("zhang", officerPassword)
	v = h.roster()
	v.inactive.SetChecked(true)
	if v.add != nil || len(v.officers) != 1 {
		t.Fatalf("officer's roster: add %v, %d entries", v.add != nil, len(v.officers))
	}
	wantMessage(t, "read-only", v.msg, "只能查看")
	if walk(v.list, func(o fyne.CanvasObject) bool { b, ok := o.(*widget.Button); return ok && b.Visible() }) {
		t.Error("an officer is offered 编辑")
	}
	if _, err := h.d.session.SaveOfficer(app.OfficerForm{Name: "x", PoliceNo: "1234", Department: "y"}); err == nil {
		t.Error("app lets an officer edit the roster")
	}
}
