package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// runWizard sets up the new install of h through the first-run wizard,
// kind being the install choice as shown (派出所/所队 or 宣传科), and opens
// the shell as its admin "admin".
func (h *harness) runWizard(kind, unitName, displayName, password string) {
	h.t.Helper()
	h.d.start("")
	w := h.d.wizard
	if w == nil {
		h.t.Fatal("a new install does not open the wizard")
	}
	w.kind.SetSelected(kind)
	test.Type(w.unitName, unitName)
	test.Tap(w.next)
	test.Type(w.adminName, "admin")
	test.Type(w.displayName, displayName)
	test.Type(w.pw.password, password)
	test.Type(w.pw.confirm, password)
	test.Tap(w.create)
	h.r.settle(h.t)
	if w.key == nil {
		h.t.Fatalf("no recovery key shown: %q", w.step2.msg.Text)
	}
	test.Tap(w.key.confirm)
	test.Tap(w.key.done)
	if h.d.shell == nil || h.w.Content() != h.d.shell.content {
		h.t.Fatal("the shell did not open after the wizard")
	}
	if got := h.d.shell.unit.Text; !strings.Contains(got, unitName) {
		h.t.Errorf("status bar unit %q, want %q", got, unitName)
	}
}

// inputUnder is the input a form shows under the field label text, found
// the way a user finds it: by its label.
func inputUnder(t *testing.T, root fyne.CanvasObject, text string) fyne.CanvasObject {
	t.Helper()
	var input fyne.CanvasObject
	walk(root, func(o fyne.CanvasObject) bool {
		box, ok := o.(*fyne.Container)
		if !ok || len(box.Objects) < 2 {
			return false
		}
		if l, ok := box.Objects[0].(*widget.Label); ok && l.Text == text && l.TextStyle.Bold {
			input = box.Objects[1]
		}
		return input != nil
	})
	if input == nil {
		t.Fatalf("no field labelled %q", text)
	}
	return input
}

// checkBox finds the visible check box labelled text (or starting so) inside
// root.
func checkBox(t *testing.T, root fyne.CanvasObject, text string) *widget.Check {
	t.Helper()
	var found *widget.Check
	walk(root, func(o fyne.CanvasObject) bool {
		if c, ok := o.(*widget.Check); ok && c.Visible() && strings.HasPrefix(c.Text, text) {
			found = c
		}
		return found != nil
	})
	if found == nil {
		t.Fatalf("no check box %q", text)
	}
	return found
}

// importFolder imports every bundle in dir through 同步 › 导入同步包.
func (h *harness) importFolder(dir string) *syncView {
	h.t.Helper()
	v := h.syncScreen()
	test.Tap(button(h.t, v.content, "导入同步包"))
	if v.importer == nil {
		h.t.Fatal("no import dialog")
	}
	v.importer.add(dir) // what 选择文件夹 hands back
	test.Tap(v.importer.start)
	h.r.settle(h.t)
	return v
}

// exportTo writes the next bundles through 同步's export button (text) into
// a new folder, and returns the one file written.
func (h *harness) exportTo(text string) string {
	h.t.Helper()
	dir := h.t.TempDir()
	v := h.syncScreen()
	test.Tap(button(h.t, v.content, text))
	if v.target == nil {
		h.t.Fatal("no target dialog for the export")
	}
	v.target.picker.pick(dir) // what 选择文件夹 hands back
	h.r.settle(h.t)
	wantResult(h.t, v, "导出完成", widget.SuccessImportance)
	files, _ := filepath.Glob(filepath.Join(dir, "*.mdbundle"))
	if len(files) != 1 {
		h.t.Fatalf("exported %v", files)
	}
	return files[0]
}

// TestWalkthrough does what a new county does first, only through the
// screens: install HQ and a station with the wizard, enroll and register
// the station, add its users, draft a sensitive post, submit and approve
// it, file an account, put an officer on the roster and log a training,
// carry a bundle to HQ, approve the post and accept the filing there, and
// carry HQ's answer back.
func TestWalkthrough(t *testing.T) {
	const (
		title       = "城关派出所追回被盗电动车"
		accountName = "平安汤阴城关"
	)
	stick := t.TempDir()

	// 1. Both installs through the wizard.
	hq := newHarness(t, testConfig(t))
	hq.runWizard("宣传科", "汤阴县公安局宣传科", "赵科长", hqPassword)
	st := newHarness(t, testConfig(t))
	st.runWizard("派出所/所队", "城关派出所", "王所长", adminPassword)
	if hq.d.session.Unit().Kind != app.HQ || st.d.session.Unit().Kind != app.Station {
		t.Fatalf("kinds %s and %s", hq.d.session.Unit().Kind, st.d.session.Unit().Kind)
	}

	// 2. HQ enrolls the station into a folder; the station joins with the
	// file; HQ registers it with the fingerprint the station's screen
	// shows.
	sv := hq.stationsScreen()
	test.Tap(button(t, sv.content, "登记新所队"))
	ef := sv.enroll
	if ef == nil {
		t.Fatal("no 登记新所队 dialog")
	}
	test.Type(ef.id, "chengguan")
	test.Type(ef.name, "城关派出所")
	ef.picker.pick(stick)
	test.Tap(ef.fd.submit)
	hq.r.settle(t)
	enrollment := filepath.Join(stick, "chengguan.mdenroll")
	wantMessage(t, "enrolled", sv.msg, enrollment)
	if o := stationOf(t, sv, "chengguan"); o.Unit.State != app.UnitEnrolled {
		t.Fatalf("after enrolling: %+v", o)
	}

	jv := st.syncScreen()
	button(t, jv.content, "导入登记文件")
	jv.openEnrollment(enrollment) // what the file dialog hands back
	st.r.settle(t)
	if jv.enrollment == nil {
		t.Fatalf("no fingerprint to compare: %q", jv.msg.Text)
	}
	test.Tap(button(t, st.topOverlay(), "指纹一致，继续"))
	jv.target.picker.pick(stick)
	st.r.settle(t)
	if st.d.session.Unit().ID != "chengguan" {
		t.Fatalf("the station did not join: %q", jv.msg.Text)
	}
	registration := filepath.Join(stick, "chengguan-to-"+hq.d.session.Unit().ID+"-registration.mdbundle")
	wantResult(t, jv, registration, widget.SuccessImportance)
	if len(jv.ownKey.Objects) != 2 {
		t.Fatal("the station's fingerprint is not shown")
	}
	readOut := jv.ownKey.Objects[1].(*widget.Label).Text

	sv.openRegistration(registration) // what the file dialog hands back
	hq.r.settle(t)
	if sv.register == nil {
		t.Fatalf("no registration dialog: %q", sv.msg.Text)
	}
	test.Type(sv.register.typed, readOut)
	test.Tap(sv.register.fd.submit)
	hq.r.settle(t)
	wantMessage(t, "registered", sv.msg, "已登记 城关派出所")
	if o := stationOf(t, sv, "chengguan"); o.Unit.State != app.UnitRegistered || o.Fingerprint != readOut {
		t.Fatalf("after registering: %+v", o)
	}

	// 3. The admin adds an officer and a shift leader in 设置 › 用户管理.
	set := st.settings()
	set.tabs.Select(set.usersTab)
	uv := set.users
	for _, u := range []struct{ name, display, role, password string }{
		{"zhang", "张警官", "民警", officerPassword},
		{"li", "李所长", "带班领导", leaderPassword},
	} {
		test.Tap(uv.add)
		f := uv.addForm
		if f == nil {
			t.Fatal("no 添加用户 dialog")
		}
		test.Type(f.name, u.name)
		test.Type(f.display, u.display)
		f.role.SetSelected(u.role)
		test.Type(f.pw.password, u.password)
		test.Type(f.pw.confirm, u.password)
		test.Tap(f.submit)
		st.r.settle(t)
		wantMessage(t, "user added", uv.msg, "已添加用户 "+u.name)
	}
	if user(t, st, "zhang").Role != app.Officer || user(t, st, "li").Role != app.ShiftLeader {
		t.Fatal("the users do not have the roles chosen")
	}

	// The officer drafts a post, marks it sensitive and submits it.
	st.switchUser("zhang", officerPassword)
	pv := st.posts()
	e := st.newPost()
	st.typeDraft(e, title, "近日，城关派出所民警连续工作，追回被盗电动车三辆，已发还失主。")
	major, _ := st.d.categoryText("art20.major_sensitive")
	test.Tap(checkBox(t, e.flags, major))
	if !e.sensitive.Visible() {
		t.Error("a flagged draft does not say it goes to HQ")
	}
	st.settleTimers()
	test.Tap(e.submitBtn)
	st.r.settle(t)
	if pv.editor != nil {
		t.Fatalf("the editor stayed open: %q", e.msg.Text)
	}
	wantStatus(t, pv.detail, app.Submitted)

	// The shift leader approves it, which sends it to HQ.
	st.switchUser("li", leaderPassword)
	dv := st.selectPost(st.posts(), title)
	test.Tap(button(t, dv.actions, "通过"))
	test.Type(entries(st.topOverlay())[0], "请宣传科审批")
	test.Tap(dv.dialog.submit)
	st.r.settle(t)
	wantStatus(t, dv, app.AwaitingHQ)

	// 4. The shift leader files the station's Weibo account (报备).
	av := st.accounts()
	test.Tap(av.newFiling)
	if av.filing == nil {
		t.Fatal("no filing form")
	}
	fillUnitFiling(av.filing, accountName, "pa_tangyin_cg", "https://weibo.example/pa_tangyin_cg", st.clock.now())
	test.Tap(av.filing.file)
	st.r.settle(t)
	if av.filing != nil || av.shown.Status != string(app.FilingFiled) {
		t.Fatalf("not filed: %+v", av.shown.Account)
	}
	wantMessage(t, "filed", av.msg, "已报备")

	// 5. An officer goes on the roster, then a training is logged.
	rv := st.roster()
	test.Tap(rv.add)
	if rv.editor == nil {
		t.Fatal("no roster dialog")
	}
	fillOfficer(rv.editor, "张伟", "410521", "城关派出所社区中队")
	test.Tap(rv.editor.dialog.submit)
	st.r.settle(t)
	wantMessage(t, "officer saved", rv.msg, "已保存：张伟")

	st.d.shell.showArea("nav.training")
	st.r.settle(t)
	work := st.d.shell.work
	test.Tap(button(t, work, "登记培训"))
	st.r.settle(t)
	test.Type(inputUnder(t, work, i18n.L("training.field.hours")).(*widget.Entry), "2")
	inputUnder(t, work, i18n.L("training.field.form")).(*widget.Select).SetSelected("专家授课")
	test.Tap(checkBox(t, inputUnder(t, work, i18n.L("training.field.topics")), "保密观念"))
	test.Type(inputUnder(t, work, i18n.L("training.field.trainer")).(*widget.Entry), "县局宣传科 李科长")
	test.Type(inputUnder(t, work, i18n.L("training.field.place")).(*widget.Entry), "所内会议室")
	test.Tap(checkBox(t, work, "张伟 "))
	test.Tap(button(t, work, "保存"))
	st.r.settle(t)
	if !labelWith(work, "培训记录已保存") {
		t.Error("the saved training is not confirmed")
	}
	if list, err := st.d.session.Trainings(app.TrainingQuery{}); err != nil || len(list) != 1 || list[0].Attendees != 1 || list[0].Minutes != 120 {
		t.Fatalf("trainings %+v (%v)", list, err)
	}

	// 6. The station exports a bundle.
	toHQ := st.exportTo("导出同步包")

	// 7. HQ imports it, approves the post and accepts the filing, and
	// answers.
	hv := hq.importFolder(filepath.Dir(toHQ))
	wantResult(t, hv, filepath.Base(toHQ)+"：已导入", widget.SuccessImportance)
	apv := hq.approvals()
	hq.selectQueued(apv.posts, title)
	if apv.posts.shown.Post.Status != app.AwaitingHQ {
		t.Errorf("queued post status %s", apv.posts.shown.Post.Status)
	}
	test.Tap(apv.posts.approve)
	hq.r.settle(t)
	wantMessage(t, "HQ approved", apv.posts.msg, "已同意发布")
	apv.tabs.SelectIndex(1)
	hq.selectFiling(apv.filings, accountName)
	test.Tap(apv.filings.accept)
	hq.r.settle(t)
	wantMessage(t, "HQ accepted", apv.filings.msg, "已同意")
	toStation := hq.exportTo("导出给全部所队")
	if !strings.Contains(filepath.Base(toStation), "-to-chengguan-") {
		t.Errorf("HQ's bundle %s is not for the station", toStation)
	}

	// The station imports HQ's answer: the post may go out, the account
	// is on record.
	st.switchUser("admin", adminPassword)
	iv := st.importFolder(filepath.Dir(toStation))
	wantResult(t, iv, filepath.Base(toStation)+"：已导入", widget.SuccessImportance)
	dv = st.selectPost(st.posts(), title)
	wantStatus(t, dv, app.Ready)
	if !dv.pd.Post.HQApproved {
		t.Error("the post does not carry HQ's approval")
	}
	av = st.accounts()
	st.selectAccount(av, accountName)
	if av.shown.Status != string(app.FilingAccepted) || !labelWith(av.pane, "已备案") {
		t.Errorf("account %s after HQ's answer", av.shown.Status)
	}
}
