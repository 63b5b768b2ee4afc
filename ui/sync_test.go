package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

const hqPassword = "hq-admin-pass-1"

// setUpHQInstall makes an HQ install with admin "admin".
func setUpHQInstall(t *testing.T) app.Config {
	t.Helper()
	cfg := testConfig(t)
	s, _, err := app.Setup(cfg, app.SetupRequest{Kind: app.HQ, UnitName: "汤阴县公安局宣传科", AdminName: "admin",
		AdminDisplayName: "赵科长", Password: hqPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// syncScreen opens 同步 and returns its view.
func (h *harness) syncScreen() *syncView {
	h.t.Helper()
	h.d.shell.showArea("nav.sync")
	if h.d.shell.syncView == nil {
		h.t.Fatal("sync screen not built")
	}
	return h.d.shell.syncView
}

// stationsScreen opens 所队 and returns its view.
func (h *harness) stationsScreen() *stationsView {
	h.t.Helper()
	h.d.shell.showArea("nav.stations")
	if h.d.shell.stations == nil {
		h.t.Fatal("stations screen not built")
	}
	return h.d.shell.stations
}

// hasText reports whether a label inside root shows text containing want.
func hasText(root fyne.CanvasObject, want string) bool {
	return walk(root, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && l.Visible() && strings.Contains(l.Text, want)
	})
}

// resultLines are the lines the sync screen shows as the last outcome.
func resultLines(v *syncView) []*widget.Label {
	var out []*widget.Label
	for _, o := range v.results.Objects {
		out = append(out, o.(*widget.Label))
	}
	return out
}

// wantResult checks that a result line contains want, in importance imp.
func wantResult(t *testing.T, v *syncView, want string, imp widget.Importance) {
	t.Helper()
	for _, l := range resultLines(v) {
		if strings.Contains(l.Text, want) {
			if l.Importance != imp {
				t.Errorf("result %q in importance %v, want %v", l.Text, l.Importance, imp)
			}
			return
		}
	}
	var texts []string
	for _, l := range resultLines(v) {
		texts = append(texts, l.Text)
	}
	t.Errorf("no result line with %q in %q", want, texts)
}

// stationOf is the row of HQ's register for unit.
func stationOf(t *testing.T, v *stationsView, unit string) app.StationOverview {
	t.Helper()
	for _, o := range v.list {
		if o.Unit.ID == unit {
			return o
		}
	}
	t.Fatalf("no station %q in the register", unit)
	return app.StationOverview{}
}

// TestSyncJoinRegisterAndExchange runs the whole way through the screens:
// HQ enrolls a station, the station joins and writes its registration, HQ
// registers it (a wrong fingerprint first), the station exports and HQ
// imports, a damaged file is refused with its reason.
func TestSyncJoinRegisterAndExchange(t *testing.T) {
	stick := t.TempDir()
	hq := newHarness(t, setUpHQInstall(t))
	hq.signIn("admin", hqPassword)
	if got := hq.d.shell.sync.Text; got != "尚未同步" {
		t.Errorf("HQ status bar %q before any bundle", got)
	}

	// HQ: 登记新所队, with field checks.
	sv := hq.stationsScreen()
	if !sv.empty.Visible() {
		t.Error("no hint on an empty register")
	}
	test.Tap(button(t, sv.content, "登记新所队"))
	f := sv.enroll
	if f == nil {
		t.Fatal("enroll dialog not shown")
	}
	test.Tap(f.fd.submit)
	hq.r.settle(t)
	wantMessage(t, "no folder", f.fd.form.fields["dir"].msg, "请选择U盘或文件夹")
	f.picker.pick(stick)
	if f.where.Text != stick {
		t.Errorf("chosen folder shows %q", f.where.Text)
	}
	test.Type(f.id, "Cheng Guan")
	test.Type(f.name, "城关派出所")
	test.Tap(f.fd.submit)
	hq.r.settle(t)
	wantMessage(t, "bad unit id", f.fd.form.fields["unit_id"].msg, "小写字母")
	f.id.SetText("chengguan")
	test.Tap(f.fd.submit)
	hq.r.settle(t)
	if sv.enroll != nil {
		t.Fatalf("enroll dialog still open: %q", f.fd.form.msg.Text)
	}
	enrollPath := filepath.Join(stick, "chengguan.mdenroll")
	hqKeys, err := hq.d.session.Keys()
	if err != nil {
		t.Fatal(err)
	}
	wantMessage(t, "enrolled", sv.msg, enrollPath)
	wantMessage(t, "enrolled", sv.msg, hqKeys.Fingerprint)
	if o := stationOf(t, sv, "chengguan"); o.Unit.State != app.UnitEnrolled || sv.empty.Visible() {
		t.Errorf("after enrolling: %+v", o)
	}

	// Station: the join page, HQ's fingerprint, then the registration.
	cfg, _ := setUpStation(t)
	st := newHarness(t, cfg)
	st.signIn("admin", adminPassword)
	jv := st.syncScreen()
	button(t, jv.content, "导入登记文件")
	jv.openEnrollment(filepath.Join(stick, "missing.mdenroll"))
	st.r.settle(t)
	if !jv.msg.Visible() || jv.enrollment != nil {
		t.Errorf("a missing enrollment file: message %q", jv.msg.Text)
	}
	jv.openEnrollment(enrollPath)
	st.r.settle(t)
	if jv.enrollment == nil {
		t.Fatalf("no fingerprint dialog: %q", jv.msg.Text)
	}
	check := st.topOverlay()
	for _, want := range []string{hqKeys.Fingerprint, "请与宣传科电话核对指纹", "汤阴县公安局宣传科", "chengguan"} {
		if !hasText(check, want) {
			t.Errorf("fingerprint dialog does not show %q", want)
		}
	}
	test.Tap(button(t, check, "指纹一致，继续"))
	if jv.target == nil {
		t.Fatal("no target dialog after confirming")
	}
	jv.target.picker.pick(stick)
	st.r.settle(t)
	if st.d.session.Unit().ID != "chengguan" {
		t.Fatalf("station unit %q after joining: %q", st.d.session.Unit().ID, jv.msg.Text)
	}
	regPath := filepath.Join(stick, "chengguan-to-"+hq.d.session.Unit().ID+"-registration.mdbundle")
	wantResult(t, jv, regPath, widget.SuccessImportance)
	stKeys, err := st.d.session.Keys()
	if err != nil {
		t.Fatal(err)
	}
	if !hasText(jv.ownKey, stKeys.Fingerprint) {
		t.Error("the station's fingerprint is not shown after joining")
	}
	button(t, jv.content, "导出同步包")

	// HQ: 导入注册包, a wrong fingerprint, then the right one.
	sv.openRegistration(regPath)
	hq.r.settle(t)
	rf := sv.register
	if rf == nil {
		t.Fatalf("no registration dialog: %q", sv.msg.Text)
	}
	if !hasText(hq.topOverlay(), stKeys.Fingerprint) {
		t.Error("registration dialog does not show the fingerprint")
	}
	test.Tap(rf.fd.submit)
	hq.r.settle(t)
	wantMessage(t, "no fingerprint", rf.fd.form.fields["fingerprint"].msg, "请输入所队电话读出的指纹")
	test.Type(rf.typed, "1111 2222 3333 4444 5555 6666")
	test.Tap(rf.fd.submit)
	hq.r.settle(t)
	wantMessage(t, "wrong fingerprint", rf.fd.form.fields["fingerprint"].msg, "指纹不一致")
	if o := stationOf(t, sv, "chengguan"); o.Unit.State != app.UnitEnrolled {
		t.Fatalf("registered with a wrong fingerprint: %+v", o)
	}
	rf.typed.SetText(strings.ReplaceAll(stKeys.Fingerprint, " ", ""))
	test.Tap(rf.fd.submit)
	hq.r.settle(t)
	if sv.register != nil {
		t.Fatalf("registration dialog still open: %q", rf.fd.form.fields["fingerprint"].msg.Text)
	}
	wantMessage(t, "registered", sv.msg, "已登记 城关派出所")
	if o := stationOf(t, sv, "chengguan"); o.Unit.State != app.UnitRegistered || o.Fingerprint != stKeys.Fingerprint || o.Synced {
		t.Errorf("after registering: %+v", o)
	}

	// Station: 导出同步包 to the stick.
	out := filepath.Join(stick, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	test.Tap(button(t, jv.content, "导出同步包"))
	if jv.target == nil {
		t.Fatal("no target dialog for the export")
	}
	jv.target.picker.pick(out)
	if jv.progress == nil {
		t.Error("no progress while exporting")
	}
	st.r.settle(t)
	wantResult(t, jv, "导出完成", widget.SuccessImportance)
	files, _ := filepath.Glob(filepath.Join(out, "*.mdbundle"))
	if len(files) != 1 {
		t.Fatalf("exported %v: %q", files, jv.msg.Text)
	}
	wantResult(t, jv, files[0], widget.MediumImportance)
	if len(jv.peers) != 1 || jv.peers[0].SentSeq != 1 || jv.peers[0].Pending == 0 {
		t.Errorf("station status after export: %+v", jv.peers)
	}
	if got := st.d.shell.sync.Text; got != "今天已同步" {
		t.Errorf("station status bar %q after export", got)
	}
	if len(jv.ledger) == 0 || !strings.Contains(jv.ledgerText(jv.ledger[0]), "已导出") {
		t.Errorf("ledger after export: %+v", jv.ledger)
	}

	// HQ: 导入同步包 from the folder, and a damaged copy.
	broken := filepath.Join(t.TempDir(), "broken.mdbundle")
	whole, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(broken, whole[:len(whole)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	hv := hq.syncScreen()
	test.Tap(button(t, hv.content, "导入同步包"))
	im := hv.importer
	if im == nil || !im.start.Disabled() {
		t.Fatal("import dialog not shown, or 开始导入 enabled with nothing chosen")
	}
	im.add(out)
	im.add(broken)
	im.add(out)
	if len(im.paths) != 2 || im.start.Disabled() {
		t.Fatalf("chosen %v", im.paths)
	}
	test.Tap(im.start)
	hq.r.settle(t)
	if hv.importer != nil {
		t.Error("import dialog still open")
	}
	wantResult(t, hv, filepath.Base(files[0])+"：已导入", widget.SuccessImportance)
	wantResult(t, hv, "broken.mdbundle：已拒绝：", widget.DangerImportance)
	var peer app.PeerStatus
	for _, p := range hv.peers {
		if p.Unit.ID == "chengguan" {
			peer = p
		}
	}
	if peer.Received != 1 || peer.LastIn == 0 {
		t.Errorf("HQ status after import: %+v", peer)
	}
	if !strings.Contains(hv.ledgerText(hv.ledger[0]), "已拒绝") || ledgerImportance(hv.ledger[0]) != widget.DangerImportance {
		t.Errorf("ledger after a refusal: %q", hv.ledgerText(hv.ledger[0]))
	}
	if got := hq.d.shell.sync.Text; got != "今天已同步" {
		t.Errorf("HQ status bar %q after import", got)
	}

	// The same file again is 已导入过; the register shows the bundle.
	hv.importFiles(files)
	hq.r.settle(t)
	wantResult(t, hv, "已导入过", widget.MediumImportance)
	sv = hq.stationsScreen()
	if o := stationOf(t, sv, "chengguan"); !o.Synced || o.Received != 1 || o.DaysSinceSync != 0 || o.Late {
		t.Errorf("register after the import: %+v", o)
	}

	// HQ answers the one station from its row.
	back := t.TempDir()
	hv = hq.syncScreen()
	hv.askExport("chengguan")
	hv.target.picker.pick(back)
	hq.r.settle(t)
	wantResult(t, hv, "导出完成", widget.SuccessImportance)
	if got, _ := filepath.Glob(filepath.Join(back, "*-to-chengguan-*.mdbundle")); len(got) != 1 {
		t.Errorf("HQ exported %v", got)
	}
}

func TestStationsRevokeAndWarnLimit(t *testing.T) {
	stick := t.TempDir()
	hq := newHarness(t, setUpHQInstall(t))
	hq.signIn("admin", hqPassword)
	// A station joins and is registered outside the screens.
	path, err := hq.d.session.EnrollUnit("dongcheng", "东城派出所", stick)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := setUpStation(t)
	st, err := app.SignIn(cfg, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reg, err := st.Join(t.Context(), path, stick)
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := st.Keys()
	if _, err := hq.d.session.RegisterStation(t.Context(), reg, keys.Fingerprint); err != nil {
		t.Fatal(err)
	}

	v := hq.stationsScreen()
	if o := stationOf(t, v, "dongcheng"); o.Unit.State != app.UnitRegistered {
		t.Fatalf("station %+v", o)
	}
	// The warning limit: refused out of range, at its field; then saved.
	v.warnDays.SetText("0")
	test.Tap(button(t, v.content, "保存"))
	wantMessage(t, "limit 0", v.warnForm.fields["sync_warn_days"].msg, "1 到 90")
	v.warnDays.SetText("30")
	test.Tap(button(t, v.content, "保存"))
	wantNoMessage(t, "limit 30", v.warnForm.fields["sync_warn_days"].msg)
	if got := hq.d.session.SyncWarnDays(); got != 30 {
		t.Errorf("limit %d after saving 30", got)
	}

	// 吊销 asks first, naming the unit; cancelling changes nothing.
	test.Tap(button(t, v.rows, "吊销"))
	if v.confirm == nil || !hasText(hq.topOverlay(), "东城派出所") {
		t.Fatal("no confirmation naming the unit")
	}
	test.Tap(button(t, hq.topOverlay(), "取消"))
	if o := stationOf(t, v, "dongcheng"); o.Unit.State != app.UnitRegistered {
		t.Fatalf("revoked after cancelling: %+v", o)
	}
	test.Tap(button(t, v.rows, "吊销"))
	test.Tap(button(t, hq.topOverlay(), "吊销"))
	if o := stationOf(t, v, "dongcheng"); o.Unit.State != app.UnitRevoked {
		t.Fatalf("not revoked: %+v", o)
	}
	wantMessage(t, "revoked", v.msg, "已吊销 东城派出所")

	// 重新登记 opens the form with the unit fixed.
	test.Tap(button(t, v.rows, "重新登记"))
	f := v.enroll
	if f == nil || f.id.Text != "dongcheng" || !f.id.Disabled() || f.name.Text != "东城派出所" {
		t.Fatal("enroll-again form not filled")
	}
	f.picker.pick(stick)
	test.Tap(f.fd.submit)
	hq.r.settle(t)
	if o := stationOf(t, v, "dongcheng"); o.Unit.State != app.UnitEnrolled || o.Fingerprint != "" {
		t.Errorf("after enrolling again: %+v", o)
	}
}

func TestSyncScreenForOthers(t *testing.T) {
	// An officer of a station not joined sees the steps, not the button.
	cfg, _ := setUpStation(t)
	s, err := app.SignIn(cfg, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(app.NewUser{Name: "li", DisplayName: "李警官", Role: app.Officer, Password: "officer-pass"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	h := newHarness(t, cfg)
	h.signIn("li", "officer-pass")
	v := h.syncScreen()
	if !hasText(v.content, "只有所队管理员可以加入宣传科") {
		t.Error("no note that only the admin joins")
	}
	walk(v.content, func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "导入登记文件" && b.Visible() {
			t.Error("an officer is offered to join")
		}
		return false
	})
}

func TestProgressCancel(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	p, ctx := showProgress(h.d, "导出")
	p.report(1<<20, 4<<20)
	if p.bar.Value != 0.25 || !strings.Contains(p.bytes.Text, "1.0 MB") {
		t.Errorf("progress %v %q", p.bar.Value, p.bytes.Text)
	}
	test.Tap(p.cancel)
	if ctx.Err() == nil || !p.cancel.Disabled() {
		t.Error("取消 did not cancel the work")
	}
	p.close()
}

// TestPeerRowSaysResendAsked: a peer that this install (restored from a
// backup) has asked to send everything again says so on its row.
func TestPeerRowSaysResendAsked(t *testing.T) {
	test.NewTempApp(t)
	r := newPeerRow(&syncView{})
	p := app.PeerStatus{Unit: app.UnitRecord{ID: "chengguan", Name: "城关派出所", Kind: string(app.Station), State: app.UnitRegistered}, SentSeq: 3}
	r.set(p)
	if strings.Contains(r.times.Text, "重新发送") {
		t.Fatalf("a peer not asked says it was: %q", r.times.Text)
	}
	p.AskingResend = true
	r.set(p)
	if !strings.Contains(r.times.Text, "已请对方重新发送全部记录") {
		t.Fatalf("a peer asked to send everything again does not say so: %q", r.times.Text)
	}
}
