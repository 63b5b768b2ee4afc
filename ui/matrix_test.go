package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

// filePersonal files (officer zhang) a personal work account for a new
// roster officer.
func (c *testCounty) filePersonal(cfg app.Config, officer, platformID string) {
	c.t.Helper()
	var o app.RosterEntry
	c.as(cfg, "li", leaderPassword, func(s *app.Session) (err error) {
		o, err = s.SaveOfficer(app.OfficerForm{Name: officer, PoliceNo: "100201", Department: "社区中队", Active: true})
		return err
	})
	c.as(cfg, "zhang", officerPassword, func(s *app.Session) error {
		a, err := s.SaveAccountFiling(app.AccountForm{Action: "open", Platform: "douyin", Name: "民警" + officer, PlatformID: platformID,
			Kind: app.PersonalAccount, Department: "社区中队", OfficerID: o.ID, Responsible: officer, Contact: "13800000000",
			FiledOn: sessionNow(cfg), Declarations: app.Art13Declarations})
		if err == nil {
			_, err = s.FileAccount(a.ID)
		}
		return err
	})
}

// matrixNames lists the names the matrix shows, in order.
func matrixNames(v *matrixView) []string {
	var out []string
	for _, e := range v.entries {
		out = append(out, e.Name)
	}
	return out
}

// choose selects the option text of a filter.
func choose(t *testing.T, sel *widget.Select, text string) {
	t.Helper()
	i := slices.Index(sel.Options, text)
	if i < 0 {
		t.Fatalf("no option %q in %v", text, sel.Options)
	}
	sel.SetSelectedIndex(i)
}

func TestMatrixFilters(t *testing.T) {
	c := setUpCounty(t, 2)
	c.fileAccount(c.stations[0], "weibo", "平安城关微博", "pa_cg_wb")
	c.fileAccount(c.stations[0], "wechat", "平安城关微信", "pa_cg_wx")
	c.filePersonal(c.stations[1], "王五", "wangwu_dy")
	c.syncToHQ(c.stations[0])
	c.syncToHQ(c.stations[1])

	h := newHarness(t, c.hq)
	h.signIn("admin", adminPassword)
	v, ok := h.area("nav.matrix").(*matrixView)
	if !ok {
		t.Fatal("账号总览 is not the matrix")
	}
	if got := matrixNames(v); !slices.Equal(got, []string{"民警王五", "平安城关微信", "平安城关微博"}) {
		t.Fatalf("matrix %v, want 北关's account, then 城关's", got)
	}
	if !strings.Contains(v.summary.Text, "共 3 个账号") || !strings.Contains(v.summary.Text, "待审核报备 3") {
		t.Errorf("summary %q", v.summary.Text)
	}

	choose(t, v.unit, "城关派出所")
	if got := matrixNames(v); !slices.Equal(got, []string{"平安城关微信", "平安城关微博"}) {
		t.Errorf("unit 城关派出所: %v", got)
	}
	choose(t, v.platform, "微博")
	if got := matrixNames(v); !slices.Equal(got, []string{"平安城关微博"}) {
		t.Errorf("城关派出所 on Weibo: %v", got)
	}
	v.unit.SetSelectedIndex(0)
	v.platform.SetSelectedIndex(0)
	choose(t, v.kind, "民警个人工作账号")
	if got := matrixNames(v); !slices.Equal(got, []string{"民警王五"}) {
		t.Errorf("personal work accounts: %v", got)
	}
	v.kind.SetSelectedIndex(0)
	choose(t, v.status, "已备案")
	if len(v.entries) != 0 {
		t.Errorf("accepted accounts: %v", matrixNames(v))
	}
	wantMessage(t, "empty matrix", v.listMsg, "没有符合条件的账号")
	choose(t, v.status, "已报备")
	if len(v.entries) != 3 {
		t.Fatalf("filed accounts: %v", matrixNames(v))
	}

	// A waiting filing is marked, and opens in 审批.
	v.list.Select(0)
	if !v.entries[0].Waiting() {
		t.Fatal("a filed account is not waiting for HQ")
	}
	id := v.entries[0].ID
	test.Tap(button(t, v.pane, "去审核报备"))
	a, ok := h.d.shell.built[h.d.shell.open].(*approvalsView)
	if !ok || a.tabs.SelectedIndex() != 1 || a.filings.shown.ID != id {
		t.Fatalf("去审核报备 did not open the filing in 审批 (%v)", ok)
	}
}
