package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"mediadesk/app/checker"
	"mediadesk/data"
)

// scenarioTerm is the term HQ adds to the lexicon in the scenario: a
// warning (Art. 18 item 2) the built-in lexicon does not have.
const scenarioTerm = "卡口位置"

// hasTerm reports whether findings hold a hit on scenarioTerm and, if so,
// the lexicon version that found it.
func hasTerm(findings []checker.Finding) (string, bool) {
	for _, f := range findings {
		if f.Text == scenarioTerm {
			return f.LexiconVersion, true
		}
	}
	return "", false
}

// publishPost publishes a ready post on account at the clock's time and
// records its numbers for that day.
func publishPost(t *testing.T, st station, p Post, account string, reads int64) Post {
	t.Helper()
	at := st.officer.cfg.now()
	p = mustPost(t)(st.officer.Publish(p.ID, "weibo", account, "https://weibo.example/"+p.ID, at))
	if err := st.officer.RecordMetrics(p.ID, Metrics{Day: at, Reads: reads, Likes: reads / 10, Comments: reads / 20, Reposts: reads / 50}); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestScenarioCountyMonth runs HQ and three stations through bundles from
// enrollment to a published assessment for November 2026: the stations
// file accounts, log messages and trainings and draft posts (st1 a
// sensitive one); HQ approves the post and accepts the filings from its
// queues, publishes a lexicon update the stations then screen with, and
// issues a notice st2 answers and HQ closes; the stations publish, HQ
// rates the posts, and once the month is over publishes the results, of
// which each station receives its own only.
func TestScenarioCountyMonth(t *testing.T) {
	c := newCounty(t, 3)
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.Local) // a Thursday
	c.setClock(&now)
	hq := c.hq
	st1, st2 := c.stations[0], c.stations[1]
	exchangeUp := func() {
		t.Helper()
		for _, st := range c.stations {
			c.receive(hq, Imported, c.send(st.admin, "")...)
		}
	}
	exchangeDown := func() {
		t.Helper()
		for _, st := range c.stations {
			c.receive(st.admin, Imported, c.send(hq, st.admin.Unit().ID)...)
		}
	}
	termText := "近期将在城区" + scenarioTerm + "开展交通安全宣传"

	// Day 1, the stations: each files an account and takes a netizen
	// message to 办结; st1 keeps a roster with a training, drafts a
	// sensitive post; each has a plain post approved by its shift leader.
	accounts := make([]Account, len(c.stations))
	ready := make([]Post, len(c.stations))
	for i, st := range c.stations {
		unit := st.admin.Unit().ID
		if _, found := hasTerm(st.officer.CheckText(termText)); found {
			t.Fatalf("%s: the built-in lexicon already flags %s", unit, scenarioTerm)
		}
		f := unitFiling(now)
		f.Name, f.PlatformID = "平安"+unit, "pa_"+unit
		f.URL = "https://weibo.example/" + f.PlatformID
		a, err := st.leader.SaveAccountFiling(f)
		if err == nil {
			a, err = st.leader.FileAccount(a.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		accounts[i] = a
		for range 2 - min(i, 1) { // st1 two messages, the others one
			moveTo(t, st.officer, MsgClosed)
		}
		d := plainDraft()
		d.Title = unit + " 冬季防火提示"
		p := mustPost(t)(st.officer.SaveDraft(d))
		p = mustPost(t)(st.officer.Submit(p.ID))
		ready[i] = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, "同意"))
		if ready[i].Status != Ready {
			t.Fatalf("%s's plain post is %s after approval", unit, ready[i].Status)
		}
	}
	roster := trainingRoster(t, st1.leader, "张警官", "刘警官")
	if _, err := st1.leader.SaveTraining(lecture("2026-11-26", "2", roster...)); err != nil {
		t.Fatal(err)
	}
	sensitive := sensitivePost(t, st1, "城关辖区重大警情通报")
	exchangeUp()

	// Day 1, HQ: the sensitive post and the three filings wait in its
	// queues; it approves the post and accepts the filings.
	now = now.Add(5 * time.Hour)
	queue, err := hq.PostQueue()
	if err != nil || len(queue) != 1 || queue[0].ID != sensitive.ID || queue[0].Decided || queue[0].ContentHash != sensitive.ContentHash {
		t.Fatalf("HQ's post queue %+v %v", queue, err)
	}
	review, err := hq.PostForApproval(sensitive.ID)
	if err != nil || !review.Decidable() || review.Queued.Station != "派出所st1" {
		t.Fatalf("HQ's review of the sensitive post: %+v %v", review.Queued, err)
	}
	if _, err := hq.DecidePost(sensitive.ID, review.Post.ContentHash, true, "同意发布"); err != nil {
		t.Fatal(err)
	}
	if queue, _ := hq.PostQueue(); len(queue) != 1 || !queue[0].Decided {
		t.Fatalf("after the decision HQ's queue is %+v", queue)
	}
	filings, err := hq.FilingQueue(FilingsToDecide)
	if err != nil || len(filings) != 3 {
		t.Fatalf("HQ's filing queue %v %v", filingIDs(filings, err), err)
	}
	for _, a := range filings {
		if _, err := hq.DecideFiling(a.ID, StepAccept, ""); err != nil {
			t.Fatal(err)
		}
	}
	if left, err := hq.FilingQueue(FilingsToDecide); err != nil || len(left) != 0 {
		t.Fatalf("filings still to decide after accepting all: %v", filingIDs(left, err))
	}

	// HQ adds a term to the lexicon and publishes version 1, and sends st2
	// a rectification notice.
	if _, err := hq.SaveTerm(TermForm{Term: scenarioTerm, Category: "art18.2", Action: checker.Warn, Note: "勤务部署"}); err != nil {
		t.Fatal(err)
	}
	lexicon, err := hq.PublishLexicon("新增“" + scenarioTerm + "”")
	if err != nil || lexicon.Number != 1 {
		t.Fatalf("lexicon published: %+v %v", lexicon, err)
	}
	notice := mustNotice(t)(hq.IssueNotice(NoticeForm{UnitID: "st2", Title: "微博账号更新不及时",
		Body: "官方微博一周未更新，请恢复日常发布。", Article: "第二十六条", DueOn: "2026-12-05"}))
	exchangeDown()

	// Day 2, the stations: HQ's decisions have arrived, and so has the
	// lexicon, which screens their new drafts.
	now = time.Date(2026, 11, 27, 9, 0, 0, 0, time.Local)
	for i, st := range c.stations {
		unit := st.admin.Unit().ID
		a, err := st.leader.Account(accounts[i].ID)
		if err != nil || FilingStatus(a.Status) != FilingAccepted {
			t.Fatalf("%s's account after HQ's decision: %s %v", unit, a.Account.Status, err)
		}
		if in := st.officer.LexiconInUse(); in.Version != "hq-1" {
			t.Fatalf("%s screens with %s, want hq-1", unit, in.Version)
		}
		d := plainDraft()
		d.Title, d.Body, d.Targets = unit+" 交通安全宣传预告", termText, []string{"weibo"}
		draft := mustPost(t)(st.officer.SaveDraft(d))
		detail, err := st.officer.Post(draft.ID)
		if err != nil {
			t.Fatal(err)
		}
		if version, found := hasTerm(detail.Findings); !found || version != "hq-1" || draft.LexiconVersion != "hq-1" {
			t.Fatalf("%s's draft: term found %v by %q, post screened by %q", unit, found, version, draft.LexiconVersion)
		}
		if i == 2 { // st3 takes it through: the leader accepts the warning
			p := mustPost(t)(st.officer.Submit(draft.ID))
			open, err := st.leader.OpenWarnings(p.ID)
			if err != nil || len(open) != 1 {
				t.Fatalf("st3's open warnings %+v %v", open, err)
			}
			if err := st.leader.OverrideWarning(p.ID, p.ContentHash, open[0], "活动地点已公开，可以发布"); err != nil {
				t.Fatal(err)
			}
			p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
			publishPost(t, st, p, accounts[i].ID, 300)
		}
		publishPost(t, st, ready[i], accounts[i].ID, 1000-300*int64(i))
		if err := st.leader.RecordAccountMetrics(accounts[i].ID, now, 1500-200*int64(i), 2); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st1.officer.Post(sensitive.ID)
	if err != nil || got.Post.Status != Ready || !got.Post.HQApproved {
		t.Fatalf("st1's sensitive post after HQ's approval: %s %v", got.Post.Status, err)
	}
	publishPost(t, st1, got.Post, accounts[0].ID, 2000)

	// Only st2 has the notice; it answers.
	if mine, err := st1.admin.NoticesForMe(NoticesAll); err != nil || len(mine) != 0 {
		t.Fatalf("st1 holds notices %+v %v", mine, err)
	}
	if mine, err := st2.admin.NoticesForMe(NoticesOpen); err != nil || len(mine) != 1 || mine[0].ID != notice.ID {
		t.Fatalf("st2's open notices %+v %v", mine, err)
	}
	if _, err := st2.leader.AnswerNotice(notice.ID, "已恢复日常发布，本周发布防火提示一篇。"); err != nil {
		t.Fatal(err)
	}
	exchangeUp()

	// Day 2, HQ: it closes the answered notice and rates the posts; the
	// month is not over, so its results cannot be published yet.
	now = now.Add(6 * time.Hour)
	if hp, err := hq.Post(sensitive.ID); err != nil || hp.Post.Status != Published || !hp.Post.HQApproved {
		t.Fatalf("HQ's copy of the sensitive post: %s %v", hp.Post.Status, err)
	}
	if open, err := hq.FilingQueue(FilingsToVerify); err != nil || len(open) != 3 || open[0].Status != string(FilingAccepted) {
		t.Fatalf("HQ's accounts to verify (the accepted ones): %v", filingIDs(open, err))
	}
	if answered, err := hq.Notices(NoticeQuery{State: NoticesAnswered}); err != nil || len(answered) != 1 || answered[0].ID != notice.ID {
		t.Fatalf("HQ's answered notices %+v %v", answered, err)
	}
	if closed := mustNotice(t)(hq.CloseNotice(notice.ID)); !closed.Closed() || closed.ClosedLate() {
		t.Fatalf("closed notice %+v", closed)
	}
	toRate, err := hq.PostsToRate("2026-11")
	if err != nil || len(toRate) != 5 {
		t.Fatalf("HQ has %d posts to rate, want 5: %v", len(toRate), err)
	}
	ratings := map[string][]int{"st1": {5, 4}, "st2": {3}, "st3": {4, 4}}
	for _, p := range toRate {
		r := ratings[p.Unit]
		if err := hq.RatePost(p.ID, r[0], ""); err != nil {
			t.Fatal(err)
		}
		ratings[p.Unit] = r[1:]
	}
	if _, err := hq.PublishResults("2026-11"); !errors.Is(err, ErrPeriodRunning) {
		t.Fatalf("publishing a running month: %v", err)
	}
	exchangeDown()
	if n, err := st2.admin.Notice(notice.ID); err != nil || !n.Notice.Closed() || len(n.Answers) != 1 {
		t.Fatalf("st2's notice after HQ closed it: %+v %v", n.Notice, err)
	}

	// December 1: the month is over. HQ publishes its results.
	now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local)
	a, err := hq.PublishResults("2026-11")
	if err != nil {
		t.Fatal(err)
	}
	byUnit := map[string]UnitScore{}
	for _, u := range a.Units {
		byUnit[u.Unit] = u
	}
	want := map[string]map[Indicator]float64{
		"st1": {IndOriginalPosts: 2, IndContentQuality: 4.5, IndReplies: 2, IndTrainingHours: 2, IndOverrides: 0, IndNotices: 0, IndFollowers: 1500},
		"st2": {IndOriginalPosts: 1, IndContentQuality: 3, IndReplies: 1, IndTrainingHours: 0, IndOverrides: 0, IndNotices: 1, IndFollowers: 1300},
		"st3": {IndOriginalPosts: 2, IndContentQuality: 4, IndReplies: 1, IndTrainingHours: 0, IndOverrides: 1, IndNotices: 0, IndFollowers: 1100},
	}
	for unit, values := range want {
		for ind, v := range values {
			wantNear(t, unit+" "+string(ind), byUnit[unit].Values[ind], v)
		}
	}
	if len(a.Units) != 3 || a.Units[0].Unit != "st1" || a.Units[0].Rank != 1 {
		t.Fatalf("ranking %+v: st1 leads on every indicator", a.Units)
	}
	published, err := hq.PublishedResults("2026-11")
	if err != nil || len(published) != 3 {
		t.Fatalf("HQ's published results %+v %v", published, err)
	}
	exchangeDown()

	// Each station holds its own result, as HQ published it, and no other.
	for _, st := range c.stations {
		unit := st.admin.Unit().ID
		mine, err := st.admin.MyResults()
		if err != nil || len(mine) != 1 {
			t.Fatalf("%s's results %+v %v", unit, mine, err)
		}
		i := slices.IndexFunc(published, func(r Result) bool { return r.Unit == unit })
		if r := mine[0]; i < 0 || r.Unit != unit || r.Period.Key != "2026-11" || r.Score != published[i].Score || r.Rank != published[i].Rank || r.Units != 3 {
			t.Errorf("%s received %+v, HQ published %+v", unit, r, published)
		}
		rows, err := data.PeriodAssessmentResults(st.admin.store.Reader(), "2026-11")
		if err != nil || len(rows) != 1 || rows[0].UnitID != unit {
			t.Errorf("%s's store holds the results of %v (%v)", unit, resultUnits(rows), err)
		}
	}
	if rows, err := data.UnitAssessmentResults(st1.admin.store.Reader(), "st2"); err != nil || len(rows) != 0 {
		t.Errorf("st1 holds st2's result: %d rows %v", len(rows), err)
	}
	t.Logf("November 2026: %s", strings.Join(scoreLines(a), "; "))
}

// resultUnits lists the units of result rows.
func resultUnits(rows []data.AssessmentResult) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.UnitID)
	}
	return out
}

// scoreLines is an assessment's ranking in one line per unit.
func scoreLines(a Assessment) []string {
	var out []string
	for _, u := range a.Units {
		out = append(out, fmt.Sprintf("%d %s %.2f", u.Rank, u.Unit, u.Total))
	}
	return out
}
