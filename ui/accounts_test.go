package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

// sessionNow is the clock of an install's sessions.
func sessionNow(cfg app.Config) time.Time {
	if cfg.Now != nil {
		return cfg.Now()
	}
	return time.Now()
}

// addLiveAccount files a unit account on platform as the admin and has HQ
// accept it, as it really happens: the filing goes to HQ in a bundle, HQ
// accepts it and its decision comes back in one (the first call links the
// station to an HQ install of its own). Call it while no desk has the
// install open.
func addLiveAccount(t *testing.T, cfg app.Config, platform, platformID string) app.Account {
	t.Helper()
	s, err := app.SignIn(cfg, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hqCfg := linkedHQ(t, cfg, s)
	a, err := s.SaveAccountFiling(app.AccountForm{Action: "open", Platform: platform, Name: "平安汤阴城关", PlatformID: platformID,
		Kind: app.UnitAccount, Department: "城关派出所", Responsible: "王所长", Contact: "0372-5500000", FiledOn: sessionNow(cfg)})
	if err == nil {
		_, err = s.FileAccount(a.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	up, err := s.ExportBundles(ctx, t.TempDir(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	hq, err := app.SignIn(hqCfg, "admin", hqPassword)
	if err != nil {
		t.Fatal(err)
	}
	defer hq.Close()
	var down []string
	if r := hq.ImportBundles(ctx, up, nil); r[0].Err != nil {
		err = r[0].Err
	}
	if err == nil {
		_, err = hq.DecideFiling(a.ID, app.StepAccept, "")
	}
	if err == nil {
		down, err = hq.ExportBundles(ctx, t.TempDir(), s.Unit().ID, nil)
	}
	if err == nil {
		if r := s.ImportBundles(ctx, down, nil); r[0].Err != nil {
			err = r[0].Err
		}
	}
	var d app.AccountDetail
	if err == nil {
		d, err = s.Account(a.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return d.Account
}

// hqOfStation is the HQ install each station install (by folder) joined.
var hqOfStation = map[string]app.Config{}

// linkedHQ returns the HQ install the station at cfg joined (s is its
// admin's session), setting one up and registering the station the first
// time.
func linkedHQ(t *testing.T, cfg app.Config, s *app.Session) app.Config {
	t.Helper()
	if hq, ok := hqOfStation[cfg.Dir]; ok {
		return hq
	}
	hqCfg := setUpHQInstall(t)
	hqCfg.Now = cfg.Now // one county, one clock
	hq, err := app.SignIn(hqCfg, "admin", hqPassword)
	if err != nil {
		t.Fatal(err)
	}
	defer hq.Close()
	ctx, stick := context.Background(), t.TempDir()
	enroll, err := hq.EnrollUnit("st1", "城关派出所", stick)
	var reg string
	if err == nil {
		reg, err = s.Join(ctx, enroll, stick)
	}
	var keys app.KeyInfo
	if err == nil {
		keys, err = s.Keys()
	}
	if err == nil {
		_, err = hq.RegisterUnit(ctx, reg, keys.Fingerprint)
	}
	if err != nil {
		t.Fatal(err)
	}
	hqOfStation[cfg.Dir] = hqCfg
	return hqCfg
}

// accounts opens 账号 and returns its view.
func (h *harness) accounts() *accountsView {
	h.t.Helper()
	v, ok := h.area("nav.accounts").(*accountsView)
	if !ok {
		h.t.Fatal("账号 is not the account registry")
	}
	return v
}

// selectAccount selects the account named name in the registry.
func (h *harness) selectAccount(v *accountsView, name string) {
	h.t.Helper()
	for i, e := range v.entries {
		if e.Name == name {
			v.list.Select(i)
			if v.shown.Name != name {
				h.t.Fatalf("detail shows %q, want %q", v.shown.Name, name)
			}
			return
		}
	}
	h.t.Fatalf("no account %q in the registry", name)
}

// fieldMsg is the message under the filing form's field key.
func (ff *filingForm) fieldMsg(key string) *widget.Label { return ff.form.fields[key].msg }

// fillUnitFiling fills the filing form for a unit Weibo account.
func fillUnitFiling(ff *filingForm, name, platformID, url string, day time.Time) {
	ff.platform.SetSelectedIndex(0) // 微博
	ff.kind.SetSelectedIndex(0)     // unit
	for e, text := range map[*widget.Entry]string{ff.name: name, ff.platformID: platformID, ff.url: url,
		ff.department: "城关派出所", ff.responsible: "王所长", ff.contact: "0372-5500000"} {
		e.SetText("")
		test.Type(e, text)
	}
	ff.date.set(day)
}

func TestAccountFilingForm(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	s, err := app.SignIn(cfg, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []app.OfficerForm{
		{Name: "赵反恐", PoliceNo: "100001", Department: "反恐大队", Active: true},
		{Name: "钱涉密", PoliceNo: "100002", Department: "指挥中心", KeyClassified: true, Active: true},
		{Name: "孙社区", PoliceNo: "100003", Department: "城关派出所社区中队", Active: true},
	} {
		if _, err := s.SaveOfficer(o); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	h := newHarness(t, cfg)
	h.signIn("li", leaderPassword)
	v := h.accounts()
	if len(v.entries) != 0 || !v.listMsg.Visible() {
		t.Fatal("a new station lists accounts")
	}
	today := time.Now()

	// A URL that is not a URL and a future date are refused at the field.
	test.Tap(v.newFiling)
	ff := v.filing
	if ff == nil {
		t.Fatal("no filing form")
	}
	if ff.declarationsField.Visible() || ff.officerField.Visible() {
		t.Error("a unit account asks for an officer or the Art. 13 declarations")
	}
	fillUnitFiling(ff, "平安汤阴城关", "pa_tangyin_cg", "weibo dot com", today)
	test.Tap(ff.save)
	h.r.settle(t)
	wantMessage(t, "bad url", ff.fieldMsg("url"), "http://")
	fillUnitFiling(ff, "平安汤阴城关", "pa_tangyin_cg", "https://weibo.example/pa_tangyin_cg", today.AddDate(0, 0, 2))
	test.Tap(ff.save)
	h.r.settle(t)
	wantMessage(t, "future date", ff.fieldMsg("filed_on"), "不能晚于今天")
	wantNoMessage(t, "url after fixing", ff.fieldMsg("url"))
	if all, _ := h.d.session.Accounts(); len(all) != 0 {
		t.Fatal("a refused filing was saved")
	}

	// 保存 keeps it as 拟开设.
	ff.date.set(today)
	test.Tap(ff.save)
	h.r.settle(t)
	if v.filing != nil || len(v.entries) != 1 || v.shown.Status != string(app.FilingPlanned) {
		t.Fatalf("not saved: %+v (%q)", v.entries, ff.form.msg.Text)
	}
	wantMessage(t, "saved", v.msg, "拟开设")
	if !labelWith(v.list, "拟开设") || !labelWith(v.pane, "pa_tangyin_cg") || !labelWith(v.pane, "城关派出所") {
		t.Error("the row or the detail lacks the filing")
	}

	// The same platform ID on the same platform is refused.
	test.Tap(v.newFiling)
	ff = v.filing
	fillUnitFiling(ff, "平安汤阴城关二", "pa_tangyin_cg", "", today)
	test.Tap(ff.file)
	h.r.settle(t)
	wantMessage(t, "duplicate platform ID", ff.fieldMsg("platform_id"), "已登记")

	// Art. 14 shows at the field as soon as the department is typed.
	test.Type(ff.department, "国保大队")
	wantMessage(t, "国保 department", ff.fieldMsg("department"), "第十四条")
	ff.department.SetText("城关派出所")
	wantNoMessage(t, "department fixed", ff.fieldMsg("department"))
	// ... and as soon as the officer is chosen for a personal account.
	ff.kind.SetSelectedIndex(1)
	if !ff.declarationsField.Visible() || !ff.officerField.Visible() {
		t.Fatal("a personal account does not ask for the officer and the declarations")
	}
	for i, o := range ff.officers {
		ff.officer.SetSelectedIndex(i)
		if o.Name == "孙社区" {
			wantNoMessage(t, "ordinary officer", ff.fieldMsg("officer"))
		} else {
			wantMessage(t, o.Name, ff.fieldMsg("officer"), "第十四条")
		}
	}
	for i, o := range ff.officers {
		if o.Name == "孙社区" {
			ff.officer.SetSelectedIndex(i)
		}
	}
	// Without every Art. 13 declaration a personal account is refused.
	ff.platformID.SetText("sun_work")
	test.Tap(ff.save)
	h.r.settle(t)
	wantMessage(t, "declarations", ff.fieldMsg("declarations"), "第十三条")
	ff.declarations.SetSelected(app.Art13Declarations)

	// 报备 saves and sends it to HQ at once.
	test.Tap(ff.file)
	h.r.settle(t)
	if v.filing != nil || v.shown.Status != string(app.FilingFiled) || v.shown.Kind != app.PersonalAccount {
		t.Fatalf("not filed: %+v (%q)", v.shown.Account, ff.form.msg.Text)
	}
	wantMessage(t, "filed", v.msg, "已报备")
	if !labelWith(v.pane, "等待宣传科审核") || !labelWith(v.pane, "孙社区") {
		t.Error("the filed account does not say it waits, or lacks its officer")
	}

	// The planned one is filed from its detail.
	h.selectAccount(v, "平安汤阴城关")
	test.Tap(button(t, v.actions, "报备"))
	h.r.settle(t)
	if v.shown.Status != string(app.FilingFiled) || !labelWith(v.list, "已报备") {
		t.Fatalf("filing from the detail: %s", v.shown.Status)
	}
	if !strings.Contains(strings.Join(historyActions(v.shown), " "), "account.file") {
		t.Error("the history lacks the filing")
	}
}

// historyActions lists the audit actions of an account's history.
func historyActions(ad app.AccountDetail) []string {
	var out []string
	for _, e := range ad.History {
		out = append(out, e.Action)
	}
	return out
}

func TestAccountMetricsAndZombieFlag(t *testing.T) {
	t0 := time.Date(2026, 9, 1, 10, 0, 0, 0, time.Local)
	now := t0
	cfg := setUpStationWithStaff(t)
	cfg.Now = func() time.Time { now = now.Add(time.Second); return now }
	acc := addLiveAccount(t, cfg, "weibo", "pa_tangyin")
	addLiveAccount(t, cfg, "wechat", "pa_quiet") // never posted on: counts from its acceptance
	// A post goes out on the Weibo account at t0.
	var p app.Post
	as := func(name, pw string, f func(s *app.Session) (app.Post, error)) {
		t.Helper()
		s, err := app.SignIn(cfg, name, pw)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if p, err = f(s); err != nil {
			t.Fatal(err)
		}
	}
	as("zhang", officerPassword, func(s *app.Session) (app.Post, error) {
		d, err := s.SaveDraft(app.PostDraft{Title: "冬季防火提示", Body: "注意用火安全。", Category: "防范提示", Targets: []string{"weibo"}})
		if err == nil {
			d, err = s.Submit(d.ID)
		}
		return d, err
	})
	as("li", leaderPassword, func(s *app.Session) (app.Post, error) { return s.Approve(p.ID, p.ContentHash, "") })
	as("zhang", officerPassword, func(s *app.Session) (app.Post, error) {
		return s.Publish(p.ID, "weibo", acc.ID, "https://weibo.example/1", now)
	})

	// Twenty days later the Weibo account is a zombie.
	now = t0.AddDate(0, 0, 20)
	h := newHarness(t, cfg)
	h.clock.t = now
	h.signIn("admin", adminPassword)
	v := h.accounts()
	if len(v.entries) != 2 {
		t.Fatalf("%d accounts listed", len(v.entries))
	}
	for i, e := range v.entries {
		v.list.Select(i)
		if e.Activity != app.Zombie {
			t.Errorf("%s: activity %q, want zombie", e.PlatformID, e.Activity)
		}
		if !labelWith(v.pane, "僵尸账号") {
			t.Errorf("%s: the detail does not say it is a zombie", e.PlatformID)
		}
	}
	if !labelWith(v.list, "僵尸") {
		t.Error("no 僵尸 badge in the registry")
	}
	for _, e := range v.entries {
		if e.ID == acc.ID && e.LastPost.Format(time.DateOnly) != "2026-09-01" {
			t.Errorf("last post %v", e.LastPost)
		}
	}

	// Numbers: a negative one is refused at its field, good ones listed.
	v.list.Select(0)
	if v.shown.ID != acc.ID {
		v.list.Select(1)
	}
	m := v.metrics
	if m == nil {
		t.Fatal("no numbers form for an open account")
	}
	test.Type(m.followers, "-5")
	test.Type(m.posts, "12")
	test.Tap(m.save)
	h.r.settle(t)
	wantMessage(t, "negative followers", m.form.fields["followers"].msg, "不能为负")
	if len(v.shown.Snapshots) != 0 {
		t.Fatal("negative numbers were saved")
	}
	m.followers.SetText("1520")
	test.Tap(m.save)
	h.r.settle(t)
	if len(v.shown.Snapshots) != 1 || v.shown.Snapshots[0].Followers != 1520 || !labelWith(v.pane, "1520") {
		t.Fatalf("snapshots %+v", v.shown.Snapshots)
	}
	wantMessage(t, "metrics saved", v.msg, "已录入")

	// The admin sets the thresholds: 30 days, so nothing is a zombie.
	test.Tap(v.rules)
	fd := v.dialog
	days := entries(h.topOverlay())[0]
	days.SetText("abc")
	test.Tap(fd.submit)
	h.r.settle(t)
	wantMessage(t, "days not a number", fd.form.fields["zombie_days"].msg, "天数")
	days.SetText("30")
	test.Tap(fd.submit)
	h.r.settle(t)
	if r := h.d.session.ActivityRule(); r.ZombieDays != 30 {
		t.Fatalf("rule %+v", r)
	}
	if labelWith(v.list, "僵尸") {
		t.Error("a 僵尸 badge under a 30-day threshold")
	}
}

func TestAccountLifecycleActions(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	a := addLiveAccount(t, cfg, "douyin", "pa_douyin")
	h := newHarness(t, cfg)
	h.signIn("li", leaderPassword)
	v := h.accounts()
	h.selectAccount(v, a.Name)

	// 变更: the form comes filled, on the same platform; Art. 14 applies.
	test.Tap(button(t, v.actions, "变更"))
	ff := v.filing
	if ff == nil || !ff.change || ff.name.Text != a.Name || !ff.platform.Disabled() {
		t.Fatal("no change form filled with the account")
	}
	ff.department.SetText("反恐大队")
	wantMessage(t, "change into 反恐", ff.fieldMsg("department"), "第十四条")
	test.Tap(ff.file)
	h.r.settle(t)
	if v.filing == nil {
		t.Fatal("a refused change left the form")
	}
	// A new contact number keeps the account on the air (a new name
	// would file it afresh: app's TestChangeGoesBackToHQ).
	ff.department.SetText("城关派出所")
	ff.contact.SetText("0372-5500001")
	test.Tap(ff.file)
	h.r.settle(t)
	if v.filing != nil || v.shown.Action != "change" || v.shown.Contact != "0372-5500001" || v.shown.Status != string(app.FilingAccepted) {
		t.Fatalf("change: %+v", v.shown.Account)
	}

	// 停用 after a confirmation, then 恢复.
	test.Tap(button(t, v.actions, "停用"))
	v.confirm.Confirm()
	h.r.settle(t)
	if v.shown.Status != string(app.FilingSuspended) || !labelWith(v.list, "停用") {
		t.Fatalf("suspend: %s", v.shown.Status)
	}
	test.Tap(button(t, v.actions, "恢复"))
	v.confirm.Confirm()
	h.r.settle(t)
	if v.shown.Status != string(app.FilingAccepted) { // HQ never verified it
		t.Fatalf("resume: %s", v.shown.Status)
	}

	// 注销 asks for a date, which cannot be in the future.
	test.Tap(button(t, v.actions, "注销"))
	fd := v.dialog
	day := entries(h.topOverlay())[0]
	day.SetText(time.Now().AddDate(0, 0, 3).Format(time.DateOnly))
	test.Tap(fd.submit)
	h.r.settle(t)
	wantMessage(t, "future closing", fd.form.fields["closed_on"].msg, "不能晚于今天")
	day.SetText(time.Now().Format(time.DateOnly))
	test.Tap(fd.submit)
	h.r.settle(t)
	if v.shown.Status != string(app.FilingClosed) || v.shown.Action != "close" {
		t.Fatalf("close: %+v", v.shown.Account)
	}
	if walk(v.actions, func(o fyne.CanvasObject) bool { b, ok := o.(*widget.Button); return ok && b.Text == "变更" }) {
		t.Error("a closed account offers 变更")
	}
	want := "account.save account.file account.accept account.change account.suspend account.resume account.close"
	if got := strings.Join(historyActions(v.shown), " "); got != want {
		t.Errorf("history %q, want %q", got, want)
	}
	if !labelWith(v.pane, "宣传科备案") || !labelWith(v.pane, "停用") {
		t.Error("the history is not shown in words")
	}

	// An officer sees a unit account without its actions.
	h.switchUser("zhang", officerPassword)
	v = h.accounts()
	h.selectAccount(v, a.Name)
	if len(v.actions.Objects) != 1 {
		t.Errorf("an officer is offered %d actions on a unit account", len(v.actions.Objects)-1)
	}
}
