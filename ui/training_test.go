package ui

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"mediadesk/app"
)

// trainingDesk is a station with 张伟, 李娜 and 王强 on the roster, its
// clock at 2026-11-25, signed in as the admin with 培训 open.
func trainingDesk(t *testing.T) (*harness, *trainingView, map[string]string) {
	t.Helper()
	cfg, _ := setUpStation(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	cfg.Now = func() time.Time { now = now.Add(time.Second); return now }
	s, err := app.SignIn(cfg, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for i, name := range []string{"张伟", "李娜", "王强"} {
		o, err := s.SaveOfficer(app.OfficerForm{Name: name, PoliceNo: "41052" + string(rune('1'+i)), Department: "社区中队", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = o.ID
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	v := newTrainingView(h.d)
	h.w.SetContent(v.content)
	h.r.settle(t)
	return h, v, ids
}

// openTrainingForm presses 登记培训 and waits for the roster.
func openTrainingForm(t *testing.T, h *harness, v *trainingView) *trainingForm {
	t.Helper()
	test.Tap(v.add)
	h.r.settle(t)
	if v.form == nil {
		t.Fatal("the form did not open")
	}
	return v.form
}

// attendee ticks the officer named name in the form's list.
func attendee(t *testing.T, f *trainingForm, name string) {
	t.Helper()
	var found *widget.Check
	walk(f.attendeeList, func(o fyne.CanvasObject) bool {
		if c, ok := o.(*widget.Check); ok && strings.HasPrefix(c.Text, name+" ") {
			found = c
		}
		return found != nil
	})
	if found == nil {
		t.Fatalf("no check for %s among %d shown", name, len(f.shown))
	}
	test.Tap(found)
}

// fillTraining fills a valid lecture for 张伟 on 2026-11-20.
func fillTraining(t *testing.T, f *trainingForm) {
	t.Helper()
	f.heldOn.entry.SetText("2026-11-20")
	test.Type(f.hours, "1.5")
	f.kind.SetSelected("专家授课")
	f.topics.SetSelected([]string{"保密观念", "网络运用"})
	test.Type(f.trainer, "县局宣传科 李科长")
	test.Type(f.place, "所内会议室")
	test.Type(f.summary, "网络发布保密要求。")
	test.Type(f.search, "张")
	if len(f.shown) != 1 {
		t.Fatalf("search 张 shows %d officers", len(f.shown))
	}
	attendee(t, f, "张伟")
	f.search.SetText("")
}

func TestTrainingFormSave(t *testing.T) {
	h, v, ids := trainingDesk(t)
	f := openTrainingForm(t, h, v)
	if f.heldOn.entry.Text != "2026-11-25" || f.otherBox.Visible() {
		t.Fatalf("new form: date %q, other shown %v", f.heldOn.entry.Text, f.otherBox.Visible())
	}
	fillTraining(t, f)
	attendee(t, f, "李娜")
	if f.attendeeCount.Text != "已选 2 人" {
		t.Errorf("count %q", f.attendeeCount.Text)
	}
	f.attach(io.NopCloser(strings.NewReader("%PDF-1.4 slides")), "/tmp/课件.pdf")
	h.r.settle(t)
	f.attach(io.NopCloser(strings.NewReader("MZ")), "病毒.exe")
	h.r.settle(t)
	wantMessage(t, "exe", f.materialsField.msg, "不能作为培训材料")
	if len(f.materials) != 1 || f.materials[0].Name != "课件.pdf" {
		t.Fatalf("materials %+v", f.materials)
	}
	test.Tap(f.save)
	h.r.settle(t)
	if v.form != nil {
		t.Fatalf("form still open: %q", f.form.msg.Text)
	}
	list, err := h.d.session.Trainings(app.TrainingQuery{})
	if err != nil || len(list) != 1 {
		t.Fatalf("saved: %+v %v", list, err)
	}
	tr := list[0]
	if tr.HeldOn != "2026-11-20" || tr.Minutes != 90 || tr.Form != "lecture" || tr.Topics != "secrecy,network" || tr.Attendees != 2 {
		t.Fatalf("saved %+v", tr)
	}
	wantMessage(t, "saved", v.detailMsg, "已保存")
	if len(v.rows) != 1 || v.shown != tr.ID {
		t.Fatalf("list %d rows, shown %q", len(v.rows), v.shown)
	}
	button(t, v.detail, "打开…")
	if !walk(v.detail, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.Contains(l.Text, "张伟") && strings.Contains(l.Text, "李娜")
	}) {
		t.Error("detail does not name the attendees")
	}

	// 修改: the form comes back filled; a correction bumps the version.
	test.Tap(v.edit)
	h.r.settle(t)
	f = v.form
	if f == nil || f.hours.Text != "1.5" || f.kind.Selected != "专家授课" || len(f.topics.Selected) != 2 || len(f.chosen) != 2 || len(f.materials) != 1 {
		t.Fatalf("edit form not filled: %+v", f)
	}
	f.hours.SetText("2")
	attendee(t, f, "李娜") // untick
	test.Tap(f.save)
	h.r.settle(t)
	d, err := h.d.session.Training(tr.ID)
	if err != nil || d.Version != 2 || d.Minutes != 120 || len(d.Attendees) != 1 || d.Attendees[0].ID != ids["张伟"] || len(d.Materials) != 1 {
		t.Fatalf("corrected: %+v %v", d, err)
	}

	// The navigation opens 培训 in the shell.
	h.w.SetContent(h.d.shell.content)
	h.d.shell.showArea("nav.training")
	h.r.settle(t)
	button(t, h.d.shell.work, "登记培训")
}

func TestTrainingFormValidation(t *testing.T) {
	h, v, _ := trainingDesk(t)
	f := openTrainingForm(t, h, v)
	fillTraining(t, f)
	cases := []struct {
		field, want string
		set, undo   func()
	}{
		{"hours", "学时必须大于 0", func() { f.hours.SetText("-1") }, func() { f.hours.SetText("1.5") }},
		{"hours", "应为数字", func() { f.hours.SetText("一个半") }, func() { f.hours.SetText("1.5") }},
		{"held_on", "不能晚于今天", func() { f.heldOn.entry.SetText("2026-11-27") }, func() { f.heldOn.entry.SetText("2026-11-20") }},
		{"held_on", "日期请按", func() { f.heldOn.entry.SetText("2026-13-01") }, func() { f.heldOn.entry.SetText("2026-11-20") }},
		{"form_other", "写明培训形式", func() { f.kind.SetSelected("其他") }, func() { f.kind.SetSelected("案例教学") }},
		{"topics", "至少选择一项", func() { f.topics.SetSelected(nil) }, func() { f.topics.SetSelected([]string{"业务知识"}) }},
		{"trainer", "必填", func() { f.trainer.SetText("") }, func() { f.trainer.SetText("张教官") }},
		{"attendees", "至少选择一名", func() { test.Tap(button(t, f.content, "清空")) }, func() { attendee(t, f, "王强") }},
	}
	for _, c := range cases {
		c.set()
		test.Tap(f.save)
		h.r.settle(t)
		if v.form == nil {
			t.Fatalf("%s: saved", c.field)
		}
		wantMessage(t, c.field, f.form.fields[c.field].msg, c.want)
		for key, fl := range f.form.fields {
			if key != c.field {
				wantNoMessage(t, c.field+" leaves "+key, fl.msg)
			}
		}
		c.undo()
	}
	if f.kind.SetSelected("其他"); !f.otherBox.Visible() {
		t.Fatal("其他 does not ask for its words")
	}
	f.kind.SetSelected("案例教学")
	if list, _ := h.d.session.Trainings(app.TrainingQuery{}); len(list) != 0 {
		t.Fatalf("saved half-way: %+v", list)
	}
	test.Tap(f.save)
	h.r.settle(t)
	if v.form != nil {
		t.Fatalf("the corrected form does not save: %q", f.form.msg.Text)
	}
	if list, _ := h.d.session.Trainings(app.TrainingQuery{}); len(list) != 1 || list[0].Form != "case" || list[0].Trainer != "张教官" {
		t.Fatalf("after corrections: %+v", list)
	}
}

func TestTrainingHoursView(t *testing.T) {
	h, v, ids := trainingDesk(t)
	s := h.d.session
	for _, tf := range []app.TrainingForm{
		{HeldOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local), Hours: "2", Attendees: []string{ids["张伟"], ids["李娜"]}},
		{HeldOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.Local), Hours: "0.5", Attendees: []string{ids["张伟"]}},
		{HeldOn: time.Date(2025, 12, 31, 0, 0, 0, 0, time.Local), Hours: "8", Attendees: []string{ids["王强"]}},
	} {
		tf.Form, tf.Topics, tf.Trainer, tf.Place = "exchange", []string{"writing"}, "李科长", "会议室"
		if _, err := s.SaveTraining(tf); err != nil {
			t.Fatal(err)
		}
	}
	hv := v.hours
	v.tabs.SelectIndex(1)
	if hv.from.entry.Text != "2026-01-01" || hv.to.entry.Text != "2026-11-25" || !hv.export.Disabled() {
		t.Fatalf("defaults: %q to %q, export enabled %v", hv.from.entry.Text, hv.to.entry.Text, !hv.export.Disabled())
	}
	test.Tap(hv.run)
	h.r.settle(t)
	var got []string
	for r := range hv.report.Rows {
		got = append(got, hv.cell(r, 1)+" "+hv.cell(r, 4)+" "+hv.cell(r, 5))
	}
	// By department, then name (code point order); 王强 trained only
	// before the period: 0.
	if strings.Join(got, "|") != "张伟 2 2.5|李娜 1 2|王强 0 0" {
		t.Fatalf("rows %q", got)
	}
	wantMessage(t, "total", hv.total, "参训 3 人次，共 4.5 学时；期间培训 2 次")
	if !walk(hv.table, func(o fyne.CanvasObject) bool { l, ok := o.(*widget.Label); return ok && l.Text == "2.5" }) {
		t.Error("the table does not show 2.5")
	}
	if hv.export.Disabled() {
		t.Fatal("export disabled after a report")
	}

	// 导出 XLSX writes what the table shows.
	path := filepath.Join(t.TempDir(), "学时.xlsx")
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	hv.exportTo(w)
	h.r.settle(t)
	wantMessage(t, "exported", hv.msg, "已导出")
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows(app.HoursSheet)
	if len(rows) != 7 || strings.Join(rows[3], "|") != "1|张伟|410521|社区中队|2|2.5" || strings.Join(rows[6], "|") != "合计||||3|4.5" {
		t.Fatalf("workbook rows %q", rows)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}

	// A period that ends before it starts is refused at the field.
	hv.to.entry.SetText("2025-12-01")
	test.Tap(hv.run)
	h.r.settle(t)
	wantMessage(t, "reversed", hv.form.fields["to"].msg, "不能早于开始日期")
	if !hv.export.Disabled() {
		t.Error("export stays enabled without a report")
	}
}

// TestTrainingFormCancelAsks: 取消 closes an untouched form at once, but
// asks before it drops what was typed or ticked; 取消 in the question
// keeps the form as it was.
func TestTrainingFormCancelAsks(t *testing.T) {
	h, v, _ := trainingDesk(t)
	f := openTrainingForm(t, h, v)
	test.Tap(f.cancel)
	if v.form != nil || f.discard != nil {
		t.Fatal("an untouched form did not close at once")
	}
	f = openTrainingForm(t, h, v)
	attendee(t, f, "张伟")
	test.Tap(f.cancel)
	if f.discard == nil {
		t.Fatal("取消 with an attendee ticked did not ask")
	}
	h.answerDiscard(false)
	if v.form != f || len(f.chosen) != 1 {
		t.Fatal("keeping the edits did not keep the form")
	}
	test.Type(f.summary, "保密教育")
	test.Tap(f.cancel)
	h.answerDiscard(true)
	if v.form != nil {
		t.Fatal("放弃修改 did not close the form")
	}
}
