package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

// fillBureau types the bureau's 平安汤阴 account on Weibo into form bf.
func fillBureau(t *testing.T, bf *bureauForm, platformID string) {
	t.Helper()
	choose(t, bf.platform, "微博")
	for e, text := range map[*widget.Entry]string{bf.name: "平安汤阴", bf.platformID: platformID,
		bf.url: "https://weibo.example/" + platformID, bf.responsible: "赵科长", bf.contact: "0372-5511000",
		bf.admins: "周干事、吴干事", bf.purpose: "县局官方微博"} {
		e.SetText("")
		test.Type(e, text)
	}
}

// TestMatrixBureauAccountForm: HQ's admin records the county bureau's own
// account in 账号总览 with 登记县局账号 (refused at the field as a station's
// filing is), sees it at the head of the matrix marked 县局 and 已备案,
// edits it and closes it.
func TestMatrixBureauAccountForm(t *testing.T) {
	c := setUpCounty(t, 1)
	c.fileAccount(c.stations[0], "weibo", "平安城关微博", "pa_cg_wb")
	c.syncToHQ(c.stations[0])

	h := newHarness(t, c.hq)
	h.signIn("admin", adminPassword)
	v, ok := h.area("nav.matrix").(*matrixView)
	if !ok {
		t.Fatal("账号总览 is not the matrix")
	}
	if v.record.Text != "登记县局账号" || v.record.Importance != widget.HighImportance {
		t.Errorf("record button %q", v.record.Text)
	}

	test.Tap(v.record)
	bf := v.form
	if bf == nil || !labelWith(v.pane, "不需报备审核") {
		t.Fatal("登记县局账号 did not open the form")
	}
	if bf.opened.entry.Text != h.clock.now().Format(time.DateOnly) {
		t.Errorf("opened on %q, want today", bf.opened.entry.Text)
	}
	test.Tap(bf.save)
	h.r.settle(t)
	wantMessage(t, "no platform", bf.form.fields["platform"].msg, "请选择平台")
	fillBureau(t, bf, "pingantangyin")
	bf.url.SetText("weibo.com/pingantangyin")
	test.Tap(bf.save)
	h.r.settle(t)
	wantMessage(t, "bad address", bf.form.fields["url"].msg, "http")
	bf.url.SetText("https://weibo.example/pingantangyin")
	test.Tap(bf.save)
	h.r.settle(t)
	if v.form != nil {
		t.Fatalf("the form stays open: %q", bf.form.msg.Text)
	}
	wantMessage(t, "recorded", v.msg, "已登记县局账号“平安汤阴”")
	if got := matrixNames(v); !slices.Equal(got, []string{"平安汤阴", "平安城关微博"}) {
		t.Fatalf("matrix %v, want the bureau's account first", got)
	}
	first := v.entries[0]
	if !first.Bureau || first.Status != string(app.FilingAccepted) || first.Department != app.BureauDepartment || v.shown != first.ID {
		t.Fatalf("recorded %+v (shown %q)", first, v.shown)
	}
	row := newAccountRow()
	v.list.UpdateItem(0, row)
	if row.name.Text != "县局 · 平安汤阴" || row.status.Text != "已备案" {
		t.Errorf("row %q %q, want 已备案 县局 · 平安汤阴", row.status.Text, row.name.Text)
	}
	if !labelWith(v.pane, "县局 · 微博") || !labelWith(v.pane, "宣传科登记") || labelWith(v.pane, "待审") {
		t.Error("the detail does not show the bureau's account as recorded")
	}

	// 修改: the same form, filled; the status stays.
	test.Tap(button(t, v.pane, "修改"))
	bf = v.form
	if bf == nil || bf.name.Text != "平安汤阴" || bf.platform.Selected != "微博" {
		t.Fatal("修改 did not open the filled form")
	}
	bf.contact.SetText("0372-5511001")
	test.Tap(bf.save)
	h.r.settle(t)
	wantMessage(t, "edited", v.msg, "已修改县局账号")
	if e := v.entries[0]; e.Contact != "0372-5511001" || e.Status != string(app.FilingAccepted) {
		t.Errorf("edited %+v", e.Account)
	}

	// A second account with the same ID on the platform is refused at the
	// ID; leaving the typed form asks first.
	test.Tap(v.record)
	bf = v.form
	fillBureau(t, bf, "pingantangyin")
	test.Tap(bf.save)
	h.r.settle(t)
	wantMessage(t, "same ID", bf.form.fields["platform_id"].msg, "已登记为本单位的另一个账号")
	test.Tap(bf.cancel)
	if v.discard == nil {
		t.Fatal("取消 drops a typed form without asking")
	}
	v.discard.Confirm()
	if v.form != nil {
		t.Fatal("the form stays after 放弃修改")
	}

	// Filters: 县局自有账号 shows the bureau's alone.
	choose(t, v.unit, "县局自有账号")
	if got := matrixNames(v); !slices.Equal(got, []string{"平安汤阴"}) {
		t.Errorf("the bureau's accounts: %v", got)
	}
	choose(t, v.unit, "城关派出所")
	if got := matrixNames(v); !slices.Equal(got, []string{"平安城关微博"}) {
		t.Errorf("城关派出所: %v", got)
	}
	v.unit.SetSelectedIndex(0)

	// 注销 asks for the day, not after today.
	v.list.Select(0)
	test.Tap(button(t, v.pane, "注销"))
	fd := v.dialog
	day := entries(h.topOverlay())[0]
	day.SetText(time.Now().AddDate(0, 0, 3).Format(time.DateOnly))
	test.Tap(fd.submit)
	h.r.settle(t)
	wantMessage(t, "future closing", fd.form.fields["closed_on"].msg, "不能晚于今天")
	day.SetText(time.Now().Format(time.DateOnly))
	test.Tap(fd.submit)
	h.r.settle(t)
	wantMessage(t, "closed", v.msg, "已注销县局账号")
	if e := v.entries[0]; !e.Bureau || e.Status != string(app.FilingClosed) {
		t.Errorf("closed %+v", e.Account)
	}
	if walk(v.pane, func(o fyne.CanvasObject) bool {
		b, ok := o.(*widget.Button)
		return ok && (b.Text == "修改" || b.Text == "注销")
	}) {
		t.Error("a closed bureau account offers 修改 or 注销")
	}

	// The bureau's accounts wait for no decision in 审批.
	a := h.approvals()
	for _, stage := range filingStages {
		a.filings.setStage(stage)
		for _, e := range a.filings.items {
			if e.Bureau || strings.HasPrefix(e.Name, "平安汤阴") {
				t.Errorf("审批 (%s) lists the bureau's %s", stage, e.Name)
			}
		}
	}
}
