package app

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"mediadesk/data"
)

func TestParseHours(t *testing.T) {
	good := map[string]int64{"1.5": 90, "2": 120, " 0.5 ": 30, "1.33": 80, "24": 1440, "１．５": 90, "0.01": 1, "+3": 180, ".5": 30, "2.": 120}
	for in, want := range good {
		if got, err := ParseHours(in); err != nil || got != want {
			t.Errorf("ParseHours(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":      "请填写学时",
		"-1":    "必须大于 0",
		"-0.5":  "必须大于 0",
		"0":     "必须大于 0",
		"0.00":  "必须大于 0",
		"abc":   "应为数字",
		"1,5":   "应为数字",
		"1e2":   "应为数字",
		"NaN":   "应为数字",
		"Inf":   "应为数字",
		"0x10":  "应为数字",
		"1.5h":  "应为数字",
		"1.255": "两位小数",
		"24.01": "不能超过 24",
		"25":    "不能超过 24",
		"999999999999999999999999999999999999999": "不能超过 24",
	}
	for in, want := range bad {
		_, err := ParseHours(in)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "hours" || !strings.Contains(fe.Msg, want) {
			t.Errorf("ParseHours(%q): %v, want a message at hours with %q", in, err, want)
		}
	}
	for minutes, want := range map[int64]string{90: "1.5", 80: "1.33", 120: "2", 1: "0.02", 1440: "24"} {
		if got := FormatHours(minutes); got != want {
			t.Errorf("FormatHours(%d) = %q, want %q", minutes, got, want)
		}
	}
}

// trainingRoster puts officers on the station's roster and returns their IDs.
func trainingRoster(t *testing.T, s *Session, names ...string) []string {
	t.Helper()
	var ids []string
	for i, n := range names {
		o, err := s.SaveOfficer(OfficerForm{Name: n, PoliceNo: "41052" + string(rune('0'+i)), Department: "社区中队", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	return ids
}

func trainingDay(s string) time.Time {
	d, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		panic(err)
	}
	return d
}

func lecture(on string, hours string, attendees ...string) TrainingForm {
	return TrainingForm{HeldOn: trainingDay(on), Hours: hours, Form: "lecture", Topics: []string{"secrecy", "political"},
		Trainer: "县局宣传科 李科长", Place: "所内会议室", Summary: "保密纪律与网络发布规范。", Attendees: attendees}
}

// trainingAudits counts the audit entries.
func trainingAudits(t *testing.T, s *Session) int {
	t.Helper()
	entries, err := s.Audit(AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func TestTrainingValidation(t *testing.T) {
	st := newStation(t)
	ids := trainingRoster(t, st.admin, "张伟", "李娜")
	// An officer of another unit (arrived in a bundle, say) is not on this
	// unit's roster.
	err := st.admin.store.Write(func(tx *data.Tx) error {
		return data.SaveOfficer(tx, data.Officer{ID: "other-unit-officer", OwnerUnit: "another-unit", Name: "外单位",
			PoliceNo: "999999", Department: "x", Active: true, Version: 1})
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.officer.AttachMaterial(strings.NewReader("%PDF-1.4 training slides"), "课件.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf := m.ID
	audits := trainingAudits(t, st.admin)
	base := lecture("2026-11-20", "1.5", ids...)
	cases := []struct {
		field, want string
		edit        func(f *TrainingForm)
	}{
		{"held_on", "请填写培训日期", func(f *TrainingForm) { f.HeldOn = time.Time{} }},
		{"held_on", "不能晚于今天", func(f *TrainingForm) { f.HeldOn = trainingDay("2026-11-26") }},
		{"held_on", "不能早于 2010", func(f *TrainingForm) { f.HeldOn = trainingDay("1926-11-20") }},
		{"hours", "必须大于 0", func(f *TrainingForm) { f.Hours = "-2" }},
		{"hours", "应为数字", func(f *TrainingForm) { f.Hours = "一个半" }},
		{"hours", "不能超过 24", func(f *TrainingForm) { f.Hours = "30" }},
		{"form", "请选择培训形式", func(f *TrainingForm) { f.Form = "" }},
		{"form", "请选择培训形式", func(f *TrainingForm) { f.Form = "party" }},
		{"form_other", "写明培训形式", func(f *TrainingForm) { f.Form, f.FormOther = TrainingFormOther, "  " }},
		{"topics", "至少选择一项", func(f *TrainingForm) { f.Topics = nil }},
		{"topics", "主题无效", func(f *TrainingForm) { f.Topics = []string{"secrecy", "gossip"} }},
		{"trainer", "必填", func(f *TrainingForm) { f.Trainer = " " }},
		{"place", "必填", func(f *TrainingForm) { f.Place = "" }},
		{"place", "换行", func(f *TrainingForm) { f.Place = "会议室\n二楼" }},
		{"summary", "不能超过 2000", func(f *TrainingForm) { f.Summary = strings.Repeat("字", 2001) }},
		{"attendees", "至少选择一名", func(f *TrainingForm) { f.Attendees = nil }},
		{"attendees", "民警名册", func(f *TrainingForm) { f.Attendees = append(f.Attendees, "no-such-officer") }},
		{"attendees", "民警名册", func(f *TrainingForm) { f.Attendees = []string{"other-unit-officer"} }},
		{"materials", "已不存在", func(f *TrainingForm) { f.Materials = []string{pdf, "no-such-file"} }},
	}
	for _, c := range cases {
		f := base
		f.Materials = []string{pdf}
		c.edit(&f)
		_, err := st.officer.SaveTraining(f)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(fe.Msg, c.want) {
			t.Errorf("%s %q: %v", c.field, c.want, err)
		}
	}
	// Nothing was saved half-way: no training, no attendee, no material
	// row, no audit entry.
	list, err := st.officer.Trainings(TrainingQuery{})
	if err != nil || len(list) != 0 {
		t.Fatalf("after refusals: %v %v", list, err)
	}
	var rows int
	if err := st.admin.store.Reader().QueryRow("SELECT (SELECT COUNT(*) FROM training_attendees) + (SELECT COUNT(*) FROM training_materials)").Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("rows left behind: %d %v", rows, err)
	}
	if n := trainingAudits(t, st.admin); n != audits {
		t.Fatalf("audit grew from %d to %d on refused saves", audits, n)
	}

	// 其他 with its words, today, and a duplicate attendee.
	f := base
	f.Form, f.FormOther, f.HeldOn = TrainingFormOther, "网上直播", trainingDay("2026-11-25")
	f.Attendees = append(f.Attendees, ids[0])
	saved, err := st.officer.SaveTraining(f)
	if err != nil {
		t.Fatal(err)
	}
	if saved.FormOther != "网上直播" || saved.Topics != "political,secrecy" || saved.Minutes != 90 {
		t.Fatalf("saved %+v", saved)
	}
	if TrainingFormName(saved) != "其他（网上直播）" || TrainingTopicNames(saved) != "政治素质、保密观念" {
		t.Fatalf("names %q %q", TrainingFormName(saved), TrainingTopicNames(saved))
	}
	d, err := st.officer.Training(saved.ID)
	if err != nil || len(d.Attendees) != 2 {
		t.Fatalf("attendees %+v %v", d.Attendees, err)
	}
}

func TestTrainingEditAndPermissions(t *testing.T) {
	st := newStation(t)
	ids := trainingRoster(t, st.admin, "张伟", "李娜", "王强")
	f := lecture("2026-11-02", "2", ids[0], ids[1])
	tr, err := st.leader.SaveTraining(f)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Version != 1 || tr.CreatedBy != st.leader.User().ID {
		t.Fatalf("new training %+v", tr)
	}
	// An officer may not correct a shift leader's entry; the admin may.
	f.ID, f.Hours = tr.ID, "2.5"
	if _, err := st.officer.SaveTraining(f); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("officer edits the leader's training: %v", err)
	}
	if st.officer.MayEditTraining(tr) || !st.admin.MayEditTraining(tr) {
		t.Fatal("MayEditTraining disagrees with SaveTraining")
	}
	tr, err = st.admin.SaveTraining(f)
	if err != nil || tr.Version != 2 || tr.Minutes != 150 || tr.CreatedBy != st.leader.User().ID {
		t.Fatalf("edited %+v %v", tr, err)
	}
	// The officer's own entry is theirs to correct.
	mine, err := st.officer.SaveTraining(lecture("2026-11-03", "1", ids[2]))
	if err != nil {
		t.Fatal(err)
	}
	g := lecture("2026-11-03", "1", ids[2], ids[0])
	g.ID = mine.ID
	if mine, err = st.officer.SaveTraining(g); err != nil || mine.Version != 2 {
		t.Fatalf("officer corrects own training: %+v %v", mine, err)
	}

	// 王强 leaves: he stays on the training he attended, and that training
	// can still be corrected, but he cannot be added to another.
	o, _ := data.OfficerByID(st.admin.store.Reader(), ids[2])
	if _, err := st.admin.SaveOfficer(OfficerForm{ID: o.ID, Name: o.Name, PoliceNo: o.PoliceNo, Department: o.Department}); err != nil {
		t.Fatal(err)
	}
	g.Hours = "1.25"
	if _, err := st.officer.SaveTraining(g); err != nil {
		t.Fatalf("correcting a training of an officer who left: %v", err)
	}
	f.Attendees = append(f.Attendees, ids[2])
	var fe *FieldError
	if _, err := st.admin.SaveTraining(f); !errors.As(err, &fe) || fe.Field != "attendees" || !strings.Contains(fe.Msg, "王强") {
		t.Fatalf("adding an officer who left: %v", err)
	}

	// HQ keeps no training log of its own.
	hq, _, err := Setup(testConfig(t), SetupRequest{Kind: HQ, UnitName: "宣传科", AdminName: "hq", Password: "hq-password-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer hq.Close()
	if _, err := hq.SaveTraining(lecture("2026-11-02", "1", "x")); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("HQ logs a training: %v", err)
	}

	// Every write is in the audit trail.
	entries, err := st.admin.Audit(AuditQuery{Action: "training.edit"})
	if err != nil || len(entries) != 3 || entries[0].Target != mine.ID || !strings.Contains(entries[0].Detail, "1.25学时") {
		t.Fatalf("audit %+v %v", entries, err)
	}
	if added, _ := st.admin.Audit(AuditQuery{Action: "training.add"}); len(added) != 2 {
		t.Fatalf("audit of additions: %+v", added)
	}
}

func TestTrainingMaterials(t *testing.T) {
	st := newStation(t)
	ids := trainingRoster(t, st.admin, "张伟")
	content := "%PDF-1.7\n" + strings.Repeat("课件内容", 5000)
	m, err := st.officer.AttachMaterial(strings.NewReader(content), "/home/li/保密培训.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf := m.ID
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 64)
	var pic, docx string
	for name, body := range map[string]string{"现场.PNG": png, "讲稿.docx": "PK\x03\x04 word document"} {
		m, err := st.officer.AttachMaterial(strings.NewReader(body), name)
		if err != nil || m.Name != name || m.Size != int64(len(body)) {
			t.Fatalf("%s: %+v %v", name, m, err)
		}
		if name == "讲稿.docx" {
			docx = m.ID
		} else {
			pic = m.ID
		}
	}
	refused := map[string]string{
		"setup.exe":    "MZ\x90\x00",
		"假的.pdf":       "MZ\x90\x00 not a pdf",
		"空.pdf":        "",
		"讲稿.doc":       "PK\x03\x04 a docx renamed",
		"no-extension": "%PDF-1.4",
	}
	for name, body := range refused {
		_, err := st.officer.AttachMaterial(strings.NewReader(body), name)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "materials" || !strings.Contains(fe.Msg, name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	var fe *FieldError
	if _, err := st.officer.attachMaterial(strings.NewReader("%PDF-"+strings.Repeat("x", 2000)), "大.pdf", 1024); !errors.As(err, &fe) || !strings.Contains(fe.Msg, "不能超过") {
		t.Fatalf("oversized: %v", err)
	}

	f := lecture("2026-11-20", "1", ids...)
	f.Materials = []string{docx, pdf, pic}
	tr, err := st.officer.SaveTraining(f)
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.officer.Training(tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range d.Materials {
		names = append(names, m.Name+" "+m.MIME)
	}
	want := "讲稿.docx application/vnd.openxmlformats-officedocument.wordprocessingml.document|保密培训.pdf application/pdf|现场.PNG image/png"
	if strings.Join(names, "|") != want {
		t.Fatalf("materials %q", strings.Join(names, "|"))
	}
	r, err := st.officer.OpenMaterial(tr.ID, pdf)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || string(got) != content {
		t.Fatalf("material read back: %d bytes, %v", len(got), err)
	}
	other, err := st.officer.AttachImage(strings.NewReader(png+"x"), "其他.png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.officer.OpenMaterial(tr.ID, other); !errors.Is(err, ErrNotMaterial) {
		t.Fatalf("opening an attachment that is no material of the training: %v", err)
	}
	// Dropping a material on correction keeps the order of the rest.
	f.ID, f.Materials = tr.ID, []string{pic, docx}
	if _, err := st.officer.SaveTraining(f); err != nil {
		t.Fatal(err)
	}
	if d, _ = st.officer.Training(tr.ID); len(d.Materials) != 2 || d.Materials[0].ID != pic {
		t.Fatalf("after correction: %+v", d.Materials)
	}
}

// reportFixture logs trainings across a period for 张伟, 李娜, 王强 and
// 赵敏 (who trains nothing) and 陈刚 (left before the period).
func reportFixture(t *testing.T) (station, []string) {
	t.Helper()
	st := newStation(t)
	ids := trainingRoster(t, st.admin, "张伟", "李娜", "王强", "赵敏", "陈刚")
	for _, f := range []TrainingForm{
		lecture("2026-09-30", "8", ids...), // before the period
		lecture("2026-10-01", "1.5", ids[0], ids[1], ids[2]),
		lecture("2026-10-15", "2", ids[0], ids[2]),
		lecture("2026-11-20", "0.75", ids[0]),
		lecture("2026-11-25", "3", ids[1]), // after the period
	} {
		if _, err := st.officer.SaveTraining(f); err != nil {
			t.Fatal(err)
		}
	}
	for _, i := range []int{2, 4} { // 王强 and 陈刚 leave
		o, _ := data.OfficerByID(st.admin.store.Reader(), ids[i])
		if _, err := st.admin.SaveOfficer(OfficerForm{ID: o.ID, Name: o.Name, PoliceNo: o.PoliceNo, Department: o.Department}); err != nil {
			t.Fatal(err)
		}
	}
	return st, ids
}

func TestHoursReport(t *testing.T) {
	st, _ := reportFixture(t)
	r, err := st.officer.HoursReport(trainingDay("2026-10-01"), trainingDay("2026-11-24"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range r.Rows {
		got = append(got, row.Name+" "+FormatHours(row.Minutes)+" "+string(rune('0'+row.Sessions)))
	}
	// 王强 left but trained in the period; 陈刚 left and did not; 赵敏 is
	// active and untrained.
	want := "张伟 4.25 3|李娜 1.5 1|王强 3.5 2|赵敏 0 0"
	if strings.Join(got, "|") != want {
		t.Fatalf("rows %q, want %q", strings.Join(got, "|"), want)
	}
	if r.Minutes != 555 || r.Sessions != 6 || len(r.Trainings) != 3 || r.Unit != "城关派出所" {
		t.Fatalf("totals: %d minutes, %d sessions, %d trainings, unit %q", r.Minutes, r.Sessions, len(r.Trainings), r.Unit)
	}
	var fe *FieldError
	if _, err := st.officer.HoursReport(trainingDay("2026-11-01"), trainingDay("2026-10-01")); !errors.As(err, &fe) || fe.Field != "to" {
		t.Fatalf("reversed period: %v", err)
	}
	if _, err := st.officer.HoursReport(time.Time{}, trainingDay("2026-10-01")); !errors.As(err, &fe) || fe.Field != "from" {
		t.Fatalf("no first day: %v", err)
	}
	list, err := st.officer.Trainings(TrainingQuery{From: trainingDay("2026-10-01"), To: trainingDay("2026-10-31")})
	if err != nil || len(list) != 2 || list[0].HeldOn != "2026-10-15" || list[1].Attendees != 3 {
		t.Fatalf("October: %+v %v", list, err)
	}
	page, err := st.officer.Trainings(TrainingQuery{Limit: 2, Offset: 2})
	if err != nil || len(page) != 2 || page[0].HeldOn != "2026-10-15" {
		t.Fatalf("page 2: %+v %v", page, err)
	}
}

func TestHoursXLSX(t *testing.T) {
	st, _ := reportFixture(t)
	r, err := st.officer.HoursReport(trainingDay("2026-10-01"), trainingDay("2026-11-24"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := st.officer.ExportHoursXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if names := f.GetSheetList(); strings.Join(names, ",") != HoursSheet+","+SessionsSheet {
		t.Fatalf("sheets %v", names)
	}
	rows, err := f.GetRows(HoursSheet)
	if err != nil {
		t.Fatal(err)
	}
	wantRows := [][]string{
		{"城关派出所 民警培训学时统计"},
		{"统计期间：2026-10-01 至 2026-11-24　　培训 3 次"},
		{"序号", "姓名", "警号", "部门", "参训次数", "学时"},
		{"1", "张伟", "410520", "社区中队", "3", "4.25"},
		{"2", "李娜", "410521", "社区中队", "1", "1.5"},
		{"3", "王强（已不在岗）", "410522", "社区中队", "2", "3.5"},
		{"4", "赵敏", "410523", "社区中队", "0", "0.0"},
		{"合计", "", "", "", "6", "9.25"},
	}
	if len(rows) != len(wantRows) {
		t.Fatalf("%d rows: %q", len(rows), rows)
	}
	for i, want := range wantRows {
		if strings.Join(rows[i], "|") != strings.Join(want, "|") {
			t.Errorf("row %d: %q, want %q", i+1, rows[i], want)
		}
	}
	// The totals are formulas, and they add up when calculated.
	for cell, want := range map[string]string{"E8": "6", "F8": "9.25"} {
		formula, err := f.GetCellFormula(HoursSheet, cell)
		if err != nil || !strings.HasPrefix(formula, "SUM(") {
			t.Errorf("%s formula %q %v", cell, formula, err)
		}
		if v, err := f.CalcCellValue(HoursSheet, cell); err != nil || v != want {
			t.Errorf("%s calculates to %q %v, want %s", cell, v, err, want)
		}
	}

	sessions, err := f.GetRows(SessionsSheet)
	if err != nil {
		t.Fatal(err)
	}
	wantSessions := []string{
		"日期|形式|主题|授课人|地点|学时|参训人数",
		"2026-10-01|专家授课|政治素质、保密观念|县局宣传科 李科长|所内会议室|1.5|3",
		"2026-10-15|专家授课|政治素质、保密观念|县局宣传科 李科长|所内会议室|2.0|2",
		"2026-11-20|专家授课|政治素质、保密观念|县局宣传科 李科长|所内会议室|0.75|1",
		"合计|||||4.25|6",
	}
	if len(sessions) != 6 {
		t.Fatalf("sessions sheet: %q", sessions)
	}
	for i, want := range wantSessions {
		if got := strings.Join(sessions[i+1], "|"); got != want {
			t.Errorf("sessions row %d: %q, want %q", i+2, got, want)
		}
	}
	if v, err := f.CalcCellValue(SessionsSheet, "G6"); err != nil || v != "6" {
		t.Errorf("attendees total calculates to %q %v", v, err)
	}
	if e, _ := st.admin.Audit(AuditQuery{Action: "training.export"}); len(e) != 1 || e[0].Target != "2026-10-01..2026-11-24" {
		t.Fatalf("export audit %+v", e)
	}
}
