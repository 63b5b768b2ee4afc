package ui

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mediadesk/app"
)

// testCounty is an HQ install and stations joined to it through real
// enrollment files and registration bundles; between steps no session
// holds any of them open, so a desk can sign in to any.
type testCounty struct {
	t        *testing.T
	hq       app.Config
	stations []app.Config // each with admin "admin", officer "zhang" and shift leader "li"
	stick    string
}

// stationNames are the names the county's stations are enrolled with.
var stationNames = []string{"城关派出所", "北关派出所"}

// setUpCounty makes HQ (admin "admin") and n stations st1 … stn.
func setUpCounty(t *testing.T, n int) *testCounty {
	t.Helper()
	c := &testCounty{t: t, hq: testConfig(t), stick: t.TempDir()}
	hq, _, err := app.Setup(c.hq, app.SetupRequest{Kind: app.HQ, UnitName: "汤阴县公安局宣传科", AdminName: "admin",
		AdminDisplayName: "赵科长", Password: adminPassword})
	if err != nil {
		t.Fatal(err)
	}
	defer hq.Close()
	for i := range n {
		st := setUpStationWithStaff(t)
		enroll, err := hq.EnrollUnit(fmt.Sprintf("st%d", i+1), stationNames[i], c.stick)
		if err != nil {
			t.Fatal(err)
		}
		c.as(st, "admin", adminPassword, func(s *app.Session) error {
			reg, err := s.Join(context.Background(), enroll, c.stick)
			if err != nil {
				return err
			}
			keys, err := s.Keys()
			if err != nil {
				return err
			}
			_, err = hq.RegisterUnit(context.Background(), reg, keys.Fingerprint)
			return err
		})
		c.stations = append(c.stations, st)
	}
	return c
}

// as signs in to the install at cfg, runs f and signs out.
func (c *testCounty) as(cfg app.Config, name, password string, f func(*app.Session) error) {
	c.t.Helper()
	s, err := app.SignIn(cfg, name, password)
	if err != nil {
		c.t.Fatal(err)
	}
	defer s.Close()
	if err := f(s); err != nil {
		c.t.Fatal(err)
	}
}

// syncToHQ carries a bundle from the station at cfg to HQ and imports it.
func (c *testCounty) syncToHQ(cfg app.Config) {
	c.t.Helper()
	dir, err := os.MkdirTemp(c.stick, "out-")
	if err != nil {
		c.t.Fatal(err)
	}
	var files []string
	c.as(cfg, "admin", adminPassword, func(s *app.Session) error {
		files, err = s.ExportBundles(context.Background(), dir, "", nil)
		return err
	})
	c.as(c.hq, "admin", adminPassword, func(s *app.Session) error {
		for _, r := range s.ImportBundles(context.Background(), files, nil) {
			if r.Result != app.Imported {
				return fmt.Errorf("import %s: %s %v", r.File, r.Result, r.Err)
			}
		}
		return nil
	})
}

// sensitivePost drafts (officer), submits and approves (shift leader) a
// post that must go to HQ.
func (c *testCounty) sensitivePost(cfg app.Config, title string) {
	c.t.Helper()
	var p app.Post
	c.as(cfg, "zhang", officerPassword, func(s *app.Session) (err error) {
		p, err = s.SaveDraft(app.PostDraft{Title: title, Body: "我局破获一起命案，嫌疑人已到案。", Category: "警情通报",
			Targets: []string{"weibo"}, Flags: []string{"art20.major_sensitive"}})
		if err == nil {
			p, err = s.Submit(p.ID)
		}
		return err
	})
	c.as(cfg, "li", leaderPassword, func(s *app.Session) (err error) {
		_, err = s.Approve(p.ID, p.ContentHash, "请宣传科审批")
		return err
	})
}

// fileAccount files (shift leader) a unit account on a platform.
func (c *testCounty) fileAccount(cfg app.Config, platform, name, platformID string) {
	c.t.Helper()
	c.as(cfg, "li", leaderPassword, func(s *app.Session) error {
		a, err := s.SaveAccountFiling(app.AccountForm{Action: "open", Platform: platform, Name: name, PlatformID: platformID,
			Kind: app.UnitAccount, Department: "城关派出所", Responsible: "李所长", Contact: "0372-5500000", FiledOn: sessionNow(cfg)})
		if err == nil {
			_, err = s.FileAccount(a.ID)
		}
		return err
	})
}

// filingQueue opens 审批 › 账号报备 and returns its queue.
func (h *harness) filingQueue() *filingQueueView {
	h.t.Helper()
	v := h.approvals()
	v.tabs.SelectIndex(1)
	return v.filings
}

// approvals opens 审批 and returns its view.
func (h *harness) approvals() *approvalsView {
	h.t.Helper()
	v, ok := h.area("nav.approvals").(*approvalsView)
	if !ok {
		h.t.Fatal("审批 is not the approvals view")
	}
	return v
}

// selectQueued selects the post titled title in the post queue.
func (h *harness) selectQueued(v *postQueueView, title string) {
	h.t.Helper()
	for i, p := range v.items {
		if p.Title == title {
			v.list.Select(i)
			if v.shown.Post.Title != title {
				h.t.Fatalf("detail shows %q, want %q", v.shown.Post.Title, title)
			}
			return
		}
	}
	h.t.Fatalf("no post %q in the queue", title)
}

// decided counts the queued posts HQ has decided on.
func decided(t *testing.T, s *app.Session) int {
	t.Helper()
	q, err := s.PostQueue()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range q {
		if p.Decided {
			n++
		}
	}
	return n
}

func TestApprovalQueuePosts(t *testing.T) {
	c := setUpCounty(t, 1)
	c.sensitivePost(c.stations[0], "重大警情通报")
	c.sensitivePost(c.stations[0], "涉外案件通报")
	c.syncToHQ(c.stations[0])

	h := newHarness(t, c.hq)
	h.signIn("admin", adminPassword)
	pq := h.approvals().posts
	if len(pq.items) != 2 || pq.items[0].Station != "城关派出所" || pq.items[0].Author != "张警官" {
		t.Fatalf("queue %+v", pq.items)
	}
	h.selectQueued(pq, "重大警情通报")
	if len(pq.shown.Events) != 2 || len(pq.shown.Findings) == 0 {
		t.Errorf("detail: %d trail events, %d findings", len(pq.shown.Events), len(pq.shown.Findings))
	}

	// Return in the comment adds a line and decides nothing.
	test.Type(pq.comment, "请核实案情")
	pq.comment.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.r.settle(t)
	if !strings.Contains(pq.comment.Text, "\n") || decided(t, h.d.session) != 0 {
		t.Fatalf("Return in the comment: %q, %d decided", pq.comment.Text, decided(t, h.d.session))
	}

	// Returning without a comment is refused at the field.
	pq.comment.SetText("")
	test.Tap(pq.sendBak)
	h.r.settle(t)
	wantMessage(t, "return without a comment", fieldMessage(t, pq.form, "comment"), "修改意见")
	if decided(t, h.d.session) != 0 {
		t.Fatal("a return without a comment was recorded")
	}
	test.Type(pq.comment, "请删去嫌疑人姓名后再报")
	test.Tap(pq.sendBak)
	h.r.settle(t)
	wantMessage(t, "returned", pq.msg, "已退回修改")
	if pq.shown.Decision == nil || pq.shown.Decision.Comment != "请删去嫌疑人姓名后再报" || pq.approve != nil {
		t.Fatalf("after returning: decision %+v, form still offered %v", pq.shown.Decision, pq.approve != nil)
	}

	h.selectQueued(pq, "涉外案件通报")
	test.Tap(pq.approve)
	h.r.settle(t)
	wantMessage(t, "approved", pq.msg, "已同意发布")
	if n := decided(t, h.d.session); n != 2 {
		t.Fatalf("%d posts decided, want 2", n)
	}
	// Both stay listed, marked decided, until the station answers.
	if len(pq.items) != 2 || !pq.items[0].Decided || !pq.items[1].Decided {
		t.Errorf("queue after deciding: %+v", pq.items)
	}
}

// selectFiling selects the filing named name in the filing queue.
func (h *harness) selectFiling(v *filingQueueView, name string) {
	h.t.Helper()
	i := slices.IndexFunc(v.items, func(c app.CountyAccount) bool { return c.Name == name })
	if i < 0 {
		h.t.Fatalf("no filing %q in the queue", name)
	}
	v.list.Select(i)
	if v.shown.Name != name {
		h.t.Fatalf("detail shows %q, want %q", v.shown.Name, name)
	}
}

func TestApprovalQueueFilings(t *testing.T) {
	c := setUpCounty(t, 1)
	c.fileAccount(c.stations[0], "weibo", "平安城关微博", "pa_cg_wb")
	c.fileAccount(c.stations[0], "wechat", "平安城关微信", "pa_cg_wx")
	c.syncToHQ(c.stations[0])

	h := newHarness(t, c.hq)
	h.signIn("admin", adminPassword)
	fq := h.filingQueue()
	if len(fq.items) != 2 {
		t.Fatalf("filings to decide: %d, want 2", len(fq.items))
	}

	// Rejecting needs a reason, at the field.
	h.selectFiling(fq, "平安城关微博")
	test.Tap(fq.reject)
	h.r.settle(t)
	wantMessage(t, "reject without a reason", fieldMessage(t, fq.form, "reason"), "理由")
	if len(fq.items) != 2 {
		t.Fatal("a rejection without a reason was recorded")
	}
	test.Type(fq.reason, "账号名称应含“平安汤阴”")
	test.Tap(fq.reject)
	h.r.settle(t)
	wantMessage(t, "rejected", fq.msg, "已退回")
	if len(fq.items) != 1 || fq.items[0].Name != "平安城关微信" {
		t.Fatalf("filings to decide after rejecting: %+v", fq.items)
	}

	h.selectFiling(fq, "平安城关微信")
	test.Tap(fq.accept)
	h.r.settle(t)
	wantMessage(t, "accepted", fq.msg, "已同意")
	if len(fq.items) != 0 {
		t.Fatalf("filings to decide after accepting: %d", len(fq.items))
	}

	// The accepted one may be verified before the station has the news.
	fq.setStage(app.FilingsToVerify)
	if len(fq.items) != 1 {
		t.Fatalf("accounts to verify: %d, want 1", len(fq.items))
	}
	h.selectFiling(fq, "平安城关微信")
	test.Tap(fq.verify)
	h.r.settle(t)
	wantMessage(t, "verified", fq.msg, "已认证")
	if len(fq.items) != 0 {
		t.Fatalf("accounts to verify after verifying: %d", len(fq.items))
	}
}

// TestFilingReviewWarnsOfSamePlatformID: two stations filed one platform
// ID; HQ sees the other's filing named above the actions.
func TestFilingReviewWarnsOfSamePlatformID(t *testing.T) {
	c := setUpCounty(t, 2)
	c.fileAccount(c.stations[0], "weibo", "平安城关微博", "pa_same")
	c.fileAccount(c.stations[1], "weibo", "平安二所微博", "pa_same")
	c.fileAccount(c.stations[1], "wechat", "平安二所微信", "pa_own")
	c.syncToHQ(c.stations[0])
	c.syncToHQ(c.stations[1])

	h := newHarness(t, c.hq)
	h.signIn("admin", adminPassword)
	fq := h.filingQueue()
	h.selectFiling(fq, "平安城关微博")
	if !showsText(fq.pane, "也报备了这个平台账号 ID（“平安二所微博”，已报备）") {
		t.Error("the other station's filing of the same ID is not named")
	}
	h.selectFiling(fq, "平安二所微信")
	if showsText(fq.pane, "也报备了这个平台账号 ID") {
		t.Error("a filing whose ID no one else has is warned about")
	}
}
