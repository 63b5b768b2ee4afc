package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"mediadesk/app"
)

func TestAuditScreen(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	s := h.settings()
	if s.auditTab == nil {
		t.Fatal("no 审计记录 tab for an admin")
	}
	s.tabs.Select(s.auditTab)
	h.r.settle(t)
	v := s.audit
	if len(v.entries) < 4 {
		t.Fatalf("%d audit entries", len(v.entries))
	}
	if v.entries[0].Seq < v.entries[len(v.entries)-1].Seq {
		t.Error("not newest first")
	}
	row := newAuditRow()
	row.set(v.entries[len(v.entries)-1])
	if row.cols[2].Text != "初始化" {
		t.Errorf("oldest entry's action %q, want 初始化", row.cols[2].Text)
	}
	wantMessage(t, "count", v.info, "条")

	// Filter by user and action.
	v.actor.SetSelected("admin")
	v.action.SetSelected(actionName("user.add"))
	test.Tap(v.query)
	h.r.settle(t)
	wantNoMessage(t, "filter", v.msg)
	if len(v.entries) != 2 {
		t.Fatalf("%d user.add entries by admin, want 2", len(v.entries))
	}
	for _, e := range v.entries {
		if e.Actor != "admin" || e.Action != "user.add" {
			t.Errorf("entry %+v with filter admin, user.add", e)
		}
	}
	v.action.SetSelected(actionName("sign-in"))
	test.Tap(v.query)
	h.r.settle(t)
	if len(v.entries) != 2 {
		t.Fatalf("%d sign-ins by admin, want 2", len(v.entries))
	}
	v.list.Select(0)
	wantMessage(t, "entry", v.entry, "登录")

	// A date that is no date is refused before reading.
	test.Type(v.from.entry, "2026-13-01")
	test.Tap(v.query)
	wantMessage(t, "bad date", v.msg, "2026-01-31")
	v.from.entry.SetText("")

	// 校验审计链.
	test.Tap(v.verify)
	h.r.settle(t)
	wantMessage(t, "verify", v.verdict, "审计链完整（")
	if !strings.Contains(v.verdict.Text, "条）") {
		t.Errorf("verdict %q", v.verdict.Text)
	}
}

func TestAuditTabForLeadersOnly(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	if h.settings().auditTab != nil {
		t.Error("an officer has the 审计记录 tab")
	}
	h.switchUser("li", leaderPassword)
	s := h.settings()
	if s.auditTab == nil {
		t.Fatal("a shift leader has no 审计记录 tab")
	}
	s.tabs.Select(s.auditTab)
	h.r.settle(t)
	wantNoMessage(t, "leader", s.audit.msg)
	if len(s.audit.entries) == 0 {
		t.Error("a shift leader sees no entries")
	}
}

// TestLabelsTranslated checks that every action, status and review step
// the screens name has a text.
func TestLabelsTranslated(t *testing.T) {
	for _, a := range auditActions {
		if got := actionName(a); got == "" || strings.HasPrefix(got, "audit.action.") {
			t.Errorf("action %s has no text", a)
		}
	}
	for _, s := range []app.PostStatus{app.Draft, app.Submitted, app.Returned, app.AwaitingHQ, app.Ready, app.Published} {
		if got := statusLabel(s); strings.HasPrefix(got, "post.status.") {
			t.Errorf("status %s has no text", s)
		}
	}
	for _, k := range []string{"submit", "approve", "return", "edit", "unit_consent", "hq_approve", "hq_return", "publish"} {
		if got := eventLabel(k); strings.HasPrefix(got, "post.event.") || got == k {
			t.Errorf("step %s has no text", k)
		}
	}
}
