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

// messages shows a new 网民留言 view in the window and waits for its list.
func (h *harness) messages() *messagesView {
	h.t.Helper()
	v := newMessagesView(h.d)
	h.w.SetContent(v.content)
	h.r.settle(h.t)
	return v
}

// fieldMessage is the error message shown at a form's field.
func fieldMessage(t *testing.T, f *form, key string) *widget.Label {
	t.Helper()
	fl := f.fields[key]
	if fl == nil {
		t.Fatalf("no field %q", key)
	}
	return fl.msg
}

// submit presses a form dialog's button and waits for the work.
func (h *harness) submit(fd *formDialog) {
	h.t.Helper()
	test.Tap(fd.submit)
	h.r.settle(h.t)
}

// messageRowOf finds the list row showing the netizen handle.
func messageRowOf(t *testing.T, v *messagesView, handle string) *messageRow {
	t.Helper()
	var found *messageRow
	walk(v.list, func(o fyne.CanvasObject) bool {
		if r, ok := o.(*messageRow); ok && r.Visible() && strings.Contains(r.title.Text, "] "+handle+"：") {
			found = r
		}
		return found != nil
	})
	if found == nil {
		t.Fatalf("no row for %q", handle)
	}
	return found
}

// step opens the detail's action labelled action and returns its dialog.
func (h *harness) step(v *messagesView, action string) *moveDialog {
	h.t.Helper()
	test.Tap(button(h.t, v.detail.page, action))
	h.r.settle(h.t)
	if v.detail.move == nil {
		h.t.Fatalf("%s opened no dialog", action)
	}
	return v.detail.move
}

func TestMessagesAreaInNavigation(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	h.d.shell.showArea("nav.messages")
	h.r.settle(t)
	button(t, h.d.shell.work, "登记留言")
	button(t, h.d.shell.work, "期限设置")
}

func TestLogAndHandleMessage(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	v := h.messages()

	test.Tap(v.add)
	mf := v.logForm
	if mf == nil {
		t.Fatal("登记留言 opened no form")
	}
	mf.platform.SetSelectedIndex(0)
	h.r.settle(t)
	test.Type(mf.handle, "汤阴网友")
	mf.typ.SetSelected("咨询")
	h.submit(mf.fd)
	wantMessage(t, "empty content", fieldMessage(t, mf.form, "content"), "必填")

	test.Type(mf.content, "请问身份证丢了在哪里补办？")
	mf.date.set(time.Now().AddDate(0, 0, 1))
	h.submit(mf.fd)
	wantMessage(t, "tomorrow", fieldMessage(t, mf.form, "received_at"), "不能晚于现在")
	wantNoMessage(t, "content once typed", fieldMessage(t, mf.form, "content"))

	mf.clock.SetText("25:99")
	h.submit(mf.fd)
	wantMessage(t, "bad time", fieldMessage(t, mf.form, "received_at"), "09:30")
	if list, _ := h.d.session.Messages(app.MessageQuery{}); len(list) != 0 {
		t.Fatalf("refused forms saved %d messages", len(list))
	}

	received := time.Now().Add(-time.Hour)
	mf.date.set(received)
	mf.clock.SetText(received.Format("15:04"))
	h.submit(mf.fd)
	if v.logForm != nil {
		t.Fatalf("the form stayed open: %q", mf.form.msg.Text)
	}
	wantMessage(t, "saved", v.detail.msg, "已登记")
	if len(v.rows) != 1 || v.detail.md.Message.Handle != "汤阴网友" || v.detail.md.Message.Status != app.MsgAccepted {
		t.Fatalf("rows %d, detail %+v", len(v.rows), v.detail.md.Message)
	}
	messageRowOf(t, v, "汤阴网友")

	// 流转 needs the department.
	md := h.step(v, "流转…")
	h.submit(md.fd)
	wantMessage(t, "no department", fieldMessage(t, md.form, "department"), "必填")
	test.Type(md.department, "户籍室")
	h.submit(md.fd)
	if got := v.detail.md.Message; got.Status != app.MsgTransferred || got.Department != "户籍室" {
		t.Fatalf("after 流转: %+v", got)
	}
	md = h.step(v, "处置…")
	test.Type(md.note, "户籍室答复了补办流程")
	h.submit(md.fd)

	// 反馈 with a reply template: the 咨询 template is chosen; inserted,
	// it names the netizen; its （请填写…） part must be written first.
	md = h.step(v, "反馈…")
	if md.picker.SelectedIndex() < 0 || !strings.HasPrefix(md.picker.Selected, "咨询答复") {
		t.Fatalf("template chosen: %q of %v", md.picker.Selected, md.picker.Options)
	}
	test.Tap(md.insert)
	if !strings.HasPrefix(md.reply.Text, "汤阴网友您好！") || !strings.Contains(md.reply.Text, "城关派出所") {
		t.Fatalf("inserted: %q", md.reply.Text)
	}
	h.submit(md.fd)
	wantMessage(t, "unfilled template", fieldMessage(t, md.form, "reply"), "请填写")
	md.reply.SetText(strings.Replace(md.reply.Text, "（请填写答复内容）", "请带户口簿到户籍室补办", 1))
	h.submit(md.fd)
	if got := v.detail.md.Message; got.Status != app.MsgFeedback || !strings.Contains(got.Reply, "请带户口簿") {
		t.Fatalf("after 反馈: %+v", got)
	}

	md = h.step(v, "办结…")
	h.submit(md.fd)
	got := v.detail.md.Message
	if got.Status != app.MsgClosed || !got.Closed() {
		t.Fatalf("after 办结: %+v", got)
	}
	if len(v.detail.md.Steps) != 5 {
		t.Fatalf("%d steps", len(v.detail.md.Steps))
	}
	var onTime bool
	walk(v.detail.page, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		onTime = ok && strings.HasPrefix(l.Text, "按期办结") && l.Importance == widget.SuccessImportance
		return onTime
	})
	if !onTime {
		t.Fatal("the detail does not say 按期办结")
	}
	// The list shows 办理中 by default: the closed message left it.
	if len(v.rows) != 0 {
		t.Fatalf("%d open rows after 办结", len(v.rows))
	}
	v.state.SetSelectedIndex(2) // 已办结
	h.r.settle(t)
	if len(v.rows) != 1 {
		t.Fatalf("%d closed rows", len(v.rows))
	}
}

func TestOutOfScopeNeedsChannel(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	m, err := h.d.session.ReceiveMessage(app.MessageForm{Platform: "douyin", Handle: "抖音网友", ReceivedAt: time.Now().Add(-time.Hour),
		Type: app.Complaint, Content: "小区物业乱收费"})
	if err != nil {
		t.Fatal(err)
	}
	v := h.messages()
	v.detail.show(m.ID)
	h.r.settle(t)
	md := h.step(v, "非本机关职权…")
	if !strings.HasPrefix(md.picker.Selected, "非本机关职权引导") {
		t.Fatalf("template chosen: %q", md.picker.Selected)
	}
	test.Type(md.reply, "请向有关部门反映。")
	h.submit(md.fd)
	wantMessage(t, "no channel", fieldMessage(t, md.form, "channel"), "必填")
	test.Type(md.channel, "县住建局物业科")
	h.submit(md.fd)
	wantMessage(t, "reply without the channel", fieldMessage(t, md.form, "reply"), "县住建局物业科")
	md.reply.SetText("")
	test.Tap(md.insert)
	h.submit(md.fd)
	if got := v.detail.md.Message; got.Status != app.MsgOutOfScope || got.Channel != "县住建局物业科" || !got.Closed() {
		t.Fatalf("after 非本机关职权: %+v (%q)", got, md.reply.Text)
	}
}

func TestOverdueMessageHighlighted(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	s := h.d.session
	for _, f := range []app.MessageForm{
		{Platform: "weibo", Handle: "老留言", ReceivedAt: time.Now().AddDate(0, 0, -25), Type: app.Report, Content: "有人在河边电鱼"},
		{Platform: "weibo", Handle: "新留言", ReceivedAt: time.Now().Add(-time.Minute), Type: app.Inquiry, Content: "办证时间？"},
	} {
		if _, err := s.ReceiveMessage(f); err != nil {
			t.Fatal(err)
		}
	}
	v := h.messages()
	old, fresh := messageRowOf(t, v, "老留言"), messageRowOf(t, v, "新留言")
	if !old.overdue.Visible() || old.title.Importance != widget.DangerImportance || old.status.Importance != widget.DangerImportance {
		t.Fatal("the overdue row is not highlighted")
	}
	if fresh.overdue.Visible() || fresh.title.Importance == widget.DangerImportance {
		t.Fatal("a row in time is highlighted")
	}
	if !strings.Contains(old.meta.Text, "期限 ") || !strings.Contains(v.counts.Text, "其中已超期 1 件") || v.counts.Importance != widget.DangerImportance {
		t.Fatalf("due date %q, counts %q", old.meta.Text, v.counts.Text)
	}
	v.state.SetSelectedIndex(1) // 已超期
	h.r.settle(t)
	if len(v.rows) != 1 || v.rows[0].Handle != "老留言" {
		t.Fatalf("overdue filter: %+v", v.rows)
	}
	v.list.Select(0)
	h.r.settle(t)
	var said bool
	walk(v.detail.page, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		said = ok && strings.HasPrefix(l.Text, "已超期") && l.Importance == widget.DangerImportance
		return said
	})
	if !said {
		t.Fatal("the detail does not say 已超期")
	}
	test.Type(v.search, "电鱼")
	h.settleTimers()
	v.state.SetSelectedIndex(3) // 全部
	h.r.settle(t)
	if len(v.rows) != 1 || v.rows[0].Handle != "老留言" {
		t.Fatalf("search: %+v", v.rows)
	}
}

func TestMessageRulesDialog(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	v := h.messages()
	test.Tap(v.rulesButton)
	h.r.settle(t)
	rf := v.rules
	if rf == nil {
		t.Fatal("期限设置 opened no dialog")
	}
	if rf.days[1].Text != "7" {
		t.Fatalf("complaints: %q", rf.days[1].Text)
	}
	rf.days[1].SetText("16")
	h.submit(rf.fd)
	f := rf.fd.form
	wantMessage(t, "16 days", fieldMessage(t, f, "deadlines"), "1 到 15")
	rf.days[1].SetText("七")
	h.submit(rf.fd)
	wantMessage(t, "not a number", fieldMessage(t, f, "deadlines"), "整数")
	rf.days[1].SetText("10")
	rf.workdays.SetText("2026-12-04") // a Friday
	h.submit(rf.fd)
	wantMessage(t, "a weekday worked", fieldMessage(t, f, "workdays"), "周六或周日")
	if got := h.d.session.MessageRules(); got.Deadlines[app.Complaint] != 7 {
		t.Fatal("a refused table was saved")
	}
	rf.holidays.SetText("2026-12-31，2027-01-01")
	rf.workdays.SetText("")
	h.submit(rf.fd)
	if v.rules != nil {
		t.Fatalf("the dialog stayed open: %q", f.msg.Text)
	}
	wantMessage(t, "saved", v.listMsg, "已保存")
	got := h.d.session.MessageRules()
	if got.Deadlines[app.Complaint] != 10 || strings.Join(got.Holidays, ",") != "2026-12-31,2027-01-01" {
		t.Fatalf("saved %+v", got)
	}

	h.switchUser("zhang", officerPassword)
	if v := h.messages(); v.rulesButton != nil {
		t.Fatal("an officer gets 期限设置")
	}
}

// TestCountyMessageRulesScreens: HQ's admin sets the county's deadlines
// under 设置; after the bundle, a station's 期限设置 shows them, read only.
func TestCountyMessageRulesScreens(t *testing.T) {
	cfg, _ := setUpStation(t)
	st, err := app.SignIn(cfg, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	hqCfg := linkedHQ(t, cfg, st)
	st.Close()

	hq := newHarness(t, hqCfg)
	hq.signIn("admin", hqPassword)
	v := hq.settings()
	if v.rulesOpen == nil {
		t.Fatal("HQ's admin gets no 留言办理期限")
	}
	test.Tap(v.rulesOpen)
	hq.r.settle(t)
	rf := v.rules
	if rf == nil || !strings.Contains(overlayText(hq), "全县统一") {
		t.Fatal("the county's 期限设置 did not open")
	}
	rf.days[0].SetText("3")
	rf.holidays.SetText("2027-01-01")
	hq.submit(rf.fd)
	if v.rules != nil {
		t.Fatalf("the dialog stayed open: %q", rf.fd.form.msg.Text)
	}
	wantMessage(t, "saved", v.idleForm.msg, "已保存")
	stick := t.TempDir()
	paths, err := hq.d.session.ExportBundles(context.Background(), stick, "st1", nil)
	if err != nil {
		t.Fatal(err)
	}
	hq.d.session.Close()

	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	if res := h.d.session.ImportBundles(context.Background(), paths, nil); res[0].Result != app.Imported {
		t.Fatalf("import: %+v", res[0])
	}
	m := h.messages()
	test.Tap(m.rulesButton)
	h.r.settle(t)
	if m.rules != nil {
		t.Fatal("a station may edit the county's rules")
	}
	if all := overlayText(h); !strings.Contains(all, "由宣传科统一设定") || !strings.Contains(all, "3 个工作日") || !strings.Contains(all, "2027-01-01") {
		t.Fatalf("the county's rules shown: %q", all)
	}
}

// overlayText is the text of every label in the dialog on top.
func overlayText(h *harness) string {
	var text []string
	walk(h.topOverlay(), func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok {
			text = append(text, l.Text)
		}
		return false
	})
	return strings.Join(text, "\n")
}
