package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// counterOf finds the home counter labelled label and returns its number
// and its button.
func counterOf(t *testing.T, root fyne.CanvasObject, label string) (string, *widget.Button) {
	t.Helper()
	var num *widget.Label
	var btn *widget.Button
	walk(root, func(o fyne.CanvasObject) bool {
		c, ok := o.(*fyne.Container)
		if !ok || len(c.Objects) != 2 {
			return false
		}
		n, isNum := c.Objects[0].(*widget.Label)
		b, isBtn := c.Objects[1].(*widget.Button)
		if isNum && isBtn && b.Text == label {
			num, btn = n, b
		}
		return btn != nil
	})
	if btn == nil {
		t.Fatalf("no counter %q", label)
	}
	return num.Text, btn
}

// showsText reports whether a label inside root contains text.
func showsText(root fyne.CanvasObject, text string) bool {
	return walk(root, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.Contains(l.Text, text)
	})
}

func TestHQHomeCounters(t *testing.T) {
	c := setUpCounty(t, 1)
	c.sensitivePost(c.stations[0], "重大警情通报")
	c.fileAccount(c.stations[0], "weibo", "平安城关微博", "pa_cg_wb")
	c.syncToHQ(c.stations[0])

	h := newHarness(t, c.hq)
	h.signIn("admin", adminPassword)
	today := h.d.shell.home.today
	for label, want := range map[string]string{"今日导入同步包": "1", "待审批稿件": "1", "待审核报备": "1", "超期整改通知": "0",
		"久未同步的所队": "0", "今日拒收同步包": "0"} {
		if got, _ := counterOf(t, today, label); got != want {
			t.Errorf("%s: %s, want %s", label, got, want)
		}
	}
	if !showsText(today, "城关派出所　第 1 号　已导入") {
		t.Error("today's bundle from 城关派出所 is not listed")
	}

	// A decision empties its counter when the home is shown again.
	q, err := h.d.session.PostQueue()
	if err != nil || len(q) != 1 {
		t.Fatalf("queue %+v %v", q, err)
	}
	if _, err := h.d.session.DecidePost(q[0].ID, q[0].ContentHash, true, ""); err != nil {
		t.Fatal(err)
	}
	h.d.shell.showArea("nav.matrix")
	h.d.shell.showArea("nav.home")
	if got, _ := counterOf(t, today, "待审批稿件"); got != "0" {
		t.Errorf("posts to approve after deciding: %s", got)
	}

	// The filings counter opens 审批 at its filings.
	_, open := counterOf(t, today, "待审核报备")
	test.Tap(open)
	v, ok := h.d.shell.built[h.d.shell.open].(*approvalsView)
	if !ok || v.tabs.SelectedIndex() != 1 || len(v.filings.items) != 1 {
		t.Fatalf("待审核报备 did not open the filings to decide (%v)", ok)
	}
}
