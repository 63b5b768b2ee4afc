package app

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"mediadesk/data"
)

// fixClock makes every session of st read *now.
func fixClock(st station, now *time.Time) {
	for _, s := range []*Session{st.admin, st.officer, st.leader} {
		s.cfg.Now = func() time.Time { return *now }
	}
}

// publishedPost drafts, approves and publishes a post titled title at the
// station's current time on account acc.
func publishedPost(t *testing.T, st station, title string, acc Account) Post {
	t.Helper()
	d := plainDraft()
	d.Title = title
	p := mustPost(t)(st.officer.SaveDraft(d))
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	return mustPost(t)(st.officer.Publish(p.ID, "weibo", acc.ID, "https://weibo.example/"+p.ID, st.officer.cfg.now()))
}

// TestTakeDownRules: who may take a post down, what the form needs, and
// that it is final.
func TestTakeDownRules(t *testing.T) {
	st := newStation(t)
	now := time.Date(2026, 11, 25, 10, 0, 30, 0, time.Local)
	fixClock(st, &now)
	acc := liveAccount(t, st, "weibo", "pa_tangyin")
	p := publishedPost(t, st, "冬季防火提示", acc)
	now = now.Add(2 * time.Hour)
	good := TakeDownForm{Reason: "按整改通知要求删除", At: now}

	// Roles: an officer may not, at the screen or in the app.
	if st.officer.MayTakeDown(p) || !st.leader.MayTakeDown(p) || !st.admin.MayTakeDown(p) {
		t.Fatalf("MayTakeDown: officer %v leader %v admin %v", st.officer.MayTakeDown(p), st.leader.MayTakeDown(p), st.admin.MayTakeDown(p))
	}
	if _, err := st.officer.TakeDown(p.ID, good); !errors.Is(err, ErrNotAllowed) || !errors.Is(err, ErrTakeDownRole) {
		t.Fatalf("an officer took a post down: %v", err)
	}
	// The reason is required; the time within bounds.
	_, err := st.leader.TakeDown(p.ID, TakeDownForm{Reason: " \n ", At: now})
	wantCampaignField(t, "no reason", err, "reason")
	_, err = st.leader.TakeDown(p.ID, TakeDownForm{Reason: strings.Repeat("错", MaxTakeDownReason+1), At: now})
	wantCampaignField(t, "long reason", err, "reason")
	_, err = st.leader.TakeDown(p.ID, TakeDownForm{Reason: "有误"})
	wantCampaignField(t, "no time", err, "at")
	_, err = st.leader.TakeDown(p.ID, TakeDownForm{Reason: "有误", At: now.Add(10 * time.Minute)})
	wantCampaignField(t, "future", err, "at")
	_, err = st.leader.TakeDown(p.ID, TakeDownForm{Reason: "有误", At: time.Date(2026, 11, 25, 9, 59, 0, 0, time.Local)})
	wantCampaignField(t, "before publication", err, "at")
	if err != nil && !strings.Contains(err.Error(), "2026-11-25 10:00") {
		t.Errorf("the refusal does not name the publication time: %v", err)
	}
	// Nothing changed by the refusals.
	if d := mustPostDetail(t)(st.leader.Post(p.ID)); d.Post.Status != Published || d.TakeDown != nil {
		t.Fatalf("after refusals: %s", d.Post.Status)
	}
	// Wrong status: a draft and a ready post cannot be taken down.
	draft := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	if _, err := st.leader.TakeDown(draft.ID, good); !errors.Is(err, ErrWrongStatus) {
		t.Errorf("took a draft down: %v", err)
	}
	ready := mustPost(t)(st.officer.Submit(draft.ID))
	ready = mustPost(t)(st.leader.Approve(ready.ID, ready.ContentHash, ""))
	if _, err := st.leader.TakeDown(ready.ID, good); !errors.Is(err, ErrWrongStatus) {
		t.Errorf("took a ready post down: %v", err)
	}

	// A time in the minute of publication counts as the publication time.
	q := mustPost(t)(st.leader.TakeDown(p.ID, TakeDownForm{Reason: "  发现电话号码有误\n已另发更正  ", At: time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)}))
	if q.Status != TakenDown || q.PublishedAt != p.PublishedAt || q.PublishedURL != p.PublishedURL {
		t.Fatalf("taken down: %+v", q)
	}
	d := mustPostDetail(t)(st.officer.Post(p.ID))
	last := d.Events[len(d.Events)-1]
	if d.TakeDown == nil || d.TakeDown.ID != last.ID || last.Kind != EventTakeDown || last.FromStatus != string(Published) ||
		last.ToStatus != string(TakenDown) || last.Actor != "wang" || last.Comment != "发现电话号码有误\n已另发更正" ||
		last.At != p.PublishedAt.UnixMilli() {
		t.Fatalf("trail %+v", d.Events)
	}
	if a := auditOf(t, st.admin, p.ID); len(a) == 0 || a[0] != "post.take_down" {
		t.Errorf("audit %v", a)
	}

	// Final: no second take-down, no undo by editing, no more numbers.
	for _, s := range []*Session{st.leader, st.admin} {
		if _, err := s.TakeDown(p.ID, good); !errors.Is(err, ErrTakenDownFinal) {
			t.Errorf("taken down twice: %v", err)
		}
	}
	if st.officer.MayEdit(q) || st.leader.MayTakeDown(q) {
		t.Error("a taken-down post is offered for editing or taking down")
	}
	edit := plainDraft()
	edit.ID = p.ID
	if _, err := st.officer.SaveDraft(edit); !errors.Is(err, ErrTakenDownFinal) {
		t.Errorf("edited a taken-down post: %v", err)
	}
	if err := st.officer.RecordMetrics(p.ID, Metrics{Day: now, Reads: 1}); !errors.Is(err, ErrWrongStatus) {
		t.Errorf("numbers for a taken-down post: %v", err)
	}

	// The admin may take a post down too; the list filters by the status.
	p2 := publishedPost(t, st, "交通提示", acc)
	now = now.Add(time.Minute)
	if _, err := st.admin.TakeDown(p2.ID, good); err != nil {
		t.Fatal(err)
	}
	list, err := st.officer.Posts(PostQuery{Status: string(TakenDown)})
	if err != nil || len(list) != 2 {
		t.Fatalf("taken-down posts %d %v", len(list), err)
	}
	if list, _ := st.officer.Posts(PostQuery{Status: string(Published)}); len(list) != 0 {
		t.Errorf("%d posts still listed as published", len(list))
	}
}

// TestTakeDownAnswersNotice: a take-down may answer an open rectification
// notice of this unit; a closed or unknown one is refused and nothing
// changes.
func TestTakeDownAnswersNotice(t *testing.T) {
	st := newStation(t)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	fixClock(st, &now)
	acc := liveAccount(t, st, "weibo", "pa_tangyin")
	p := publishedPost(t, st, "冬季防火提示", acc)
	now = now.Add(time.Hour)
	unit := st.admin.Unit().ID
	err := st.admin.store.Write(func(tx *data.Tx) error {
		for _, n := range []data.Notice{
			{ID: "n-open", OwnerUnit: "hq", UnitID: unit, Title: "删除不当稿件", Body: "请删除", DueOn: "2026-12-01", Status: string(NoticeOpen),
				IssuedAt: now.UnixMilli(), CreatedBy: "x", UpdatedAt: now.UnixMilli(), Version: 1},
			{ID: "n-closed", OwnerUnit: "hq", UnitID: unit, Title: "旧通知", Body: "请整改", DueOn: "2026-11-01", Status: string(NoticeClosed),
				IssuedAt: now.UnixMilli(), ClosedAt: now.UnixMilli(), CreatedBy: "x", UpdatedAt: now.UnixMilli(), Version: 1},
			{ID: "n-other", OwnerUnit: "hq", UnitID: "another-unit", Title: "别家的", Body: "请整改", DueOn: "2026-12-01", Status: string(NoticeOpen),
				IssuedAt: now.UnixMilli(), CreatedBy: "x", UpdatedAt: now.UnixMilli(), Version: 1},
		} {
			if err := data.InsertNotice(tx, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := st.leader.TakeDownNotices()
	if err != nil || len(ns) != 1 || ns[0].ID != "n-open" {
		t.Fatalf("notices to answer %+v %v", ns, err)
	}
	for _, id := range []string{"n-closed", "n-other", "nope"} {
		_, err := st.leader.TakeDown(p.ID, TakeDownForm{Reason: "按通知删除", At: now, NoticeID: id})
		wantCampaignField(t, "notice "+id, err, "notice")
	}
	if d := mustPostDetail(t)(st.leader.Post(p.ID)); d.Post.Status != Published {
		t.Fatalf("a refused take-down changed the post: %s", d.Post.Status)
	}
	mustPost(t)(st.leader.TakeDown(p.ID, TakeDownForm{Reason: "按通知删除", At: now, NoticeID: "n-open"}))
	nd, err := st.leader.Notice("n-open")
	if err != nil || len(nd.Answers) != 1 || !nd.Notice.Answered() {
		t.Fatalf("notice %+v %v", nd, err)
	}
	if a := nd.Answers[0].Body; !strings.Contains(a, "《冬季防火提示》") || !strings.Contains(a, "按通知删除") || !strings.Contains(a, "微博") {
		t.Errorf("answer %q", a)
	}
	if d := mustPostDetail(t)(st.leader.Post(p.ID)); !strings.Contains(d.TakeDown.Comment, "《删除不当稿件》") {
		t.Errorf("the trail does not name the notice: %q", d.TakeDown.Comment)
	}
}

// TestTakeDownTravelsAndLeavesAssessment: the take-down reaches HQ in the
// next bundle with the notice answer; HQ lists the post as taken down, and
// the assessment no longer counts it (posts, numbers, rating).
func TestTakeDownTravelsAndLeavesAssessment(t *testing.T) {
	c := newCounty(t, 1)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	c.setClock(&now)
	hq, st := c.hq, c.stations[0]
	acc := liveAccount(t, st, "weibo", "tangyin-1")
	p := publishedPost(t, st, "冬季防火提示", acc)
	kept := publishedPost(t, st, "交通提示", acc)
	if err := st.leader.RecordMetrics(p.ID, Metrics{Day: now, Reads: 500, Likes: 20, Comments: 3, Reposts: 7}); err != nil {
		t.Fatal(err)
	}
	c.receive(hq, Imported, c.send(st.admin, "")...)
	a, err := hq.Compute("2026-11")
	if err != nil || a.Units[0].Values[IndOriginalPosts] != 2 || a.Units[0].Values[IndInfluence] != 520 {
		t.Fatalf("before: %+v %v", a.Units, err)
	}
	if err := hq.RatePost(p.ID, 5, ""); err != nil {
		t.Fatal(err)
	}
	f := goodNotice()
	f.Title = "删除不当稿件"
	n := mustNotice(t)(hq.IssueNotice(f))
	c.receive(st.admin, Imported, c.send(hq, "st1")...)

	now = now.Add(2 * time.Hour)
	mustPost(t)(st.leader.TakeDown(p.ID, TakeDownForm{Reason: "按宣传科整改通知删除", At: now.Add(-time.Hour), NoticeID: n.ID}))
	c.receive(hq, Imported, c.send(st.admin, "")...)

	// HQ sees the status, the step and the answer.
	d, err := hq.Post(p.ID)
	if err != nil || d.Post.Status != TakenDown || d.TakeDown == nil || d.TakeDown.At != now.Add(-time.Hour).UnixMilli() ||
		!strings.HasPrefix(d.TakeDown.Comment, "按宣传科整改通知删除") {
		t.Fatalf("at HQ: %+v %v", d.Post, err)
	}
	list, err := hq.Posts(PostQuery{Status: string(TakenDown)})
	if err != nil || len(list) != 1 || list[0].ID != p.ID {
		t.Fatalf("HQ's list of taken-down posts %+v %v", list, err)
	}
	if nd, err := hq.Notice(n.ID); err != nil || len(nd.Answers) != 1 || !strings.Contains(nd.Answers[0].Body, "冬季防火提示") {
		t.Fatalf("HQ's notice %+v %v", nd, err)
	}
	// The assessment counts only the post still up.
	a, err = hq.Compute("2026-11")
	if err != nil {
		t.Fatal(err)
	}
	u := a.Units[0]
	if u.Values[IndOriginalPosts] != 1 || u.Values[IndInfluence] != 0 || u.Values[IndReposts] != 0 || u.Values[IndComments] != 0 ||
		u.Values[IndContentQuality] != 0 {
		t.Errorf("after the take-down: %+v", u.Values)
	}
	rate, err := hq.PostsToRate("2026-11")
	if err != nil || len(rate) != 1 || rate[0].ID != kept.ID {
		t.Errorf("posts to rate %+v %v", rate, err)
	}
	if err := hq.RatePost(p.ID, 3, ""); !errors.Is(err, ErrNotPublished) || !errors.Is(err, ErrTakenDownRating) {
		t.Errorf("rated a taken-down post: %v", err)
	}
	// HQ cannot take a station's post down.
	if _, err := hq.TakeDown(kept.ID, TakeDownForm{Reason: "x", At: now}); !errors.Is(err, ErrStationOnly) {
		t.Errorf("HQ took a post down: %v", err)
	}
	if slices.ContainsFunc(d.Events[:len(d.Events)-1], func(e data.PostEvent) bool { return e.Kind == EventTakeDown }) {
		t.Error("the take-down is not the last step")
	}
}
