package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"mediadesk/app/checker"
)

// readyUnder drafts, submits and approves a plain post with body at st:
// ready to publish under the lexicon of the time.
func readyUnder(t *testing.T, st station, body string) Post {
	t.Helper()
	d := plainDraft()
	d.Body = body
	p := mustPost(t)(st.officer.SaveDraft(d))
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	if p.Status != Ready {
		t.Fatalf("status %s, want ready", p.Status)
	}
	return p
}

// hqPublishesTerm has HQ add term with action to its lexicon, publish it
// and send it to st.
func hqPublishesTerm(t *testing.T, c *county, st station, term, category string, action checker.Action) {
	t.Helper()
	if _, err := c.hq.SaveTerm(TermForm{Term: term, Category: category, Action: action, Note: "复核"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.hq.PublishLexicon("复核 " + term); err != nil {
		t.Fatal(err)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
}

// A ready post whose text a newer lexicon BLOCKs cannot be published.
func TestChecksPublishRescreensBlock(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	acc := liveAccount(t, st, "weibo", "pa_chk")
	p := readyUnder(t, st, "本周起夜巡路线有调整，请居民留意。")
	hqPublishesTerm(t, c, st, "夜巡路线", "art18.2", checker.Block)
	_, err := st.officer.Publish(p.ID, "weibo", acc.ID, "https://weibo.com/x/1", st.cfg.now())
	var re *RescreenError
	if !errors.As(err, &re) || !errors.Is(err, ErrBlocked) || !strings.Contains(err.Error(), "夜巡路线") || !strings.Contains(err.Error(), "重新送审") {
		t.Fatalf("publishing a post the current lexicon blocks: %v", err)
	}
	if got, _ := st.officer.Post(p.ID); got.Post.Status != Ready {
		t.Fatalf("status %s after the refusal", got.Post.Status)
	}
}

// A ready post a newer lexicon makes sensitive needs HQ's approval of its
// content first; saving it unchanged sends it back to draft for that.
func TestChecksPublishRescreensNeedsHQ(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	acc := liveAccount(t, st, "weibo", "pa_chk")
	p := readyUnder(t, st, "本周起夜巡路线有调整，请居民留意。")
	hqPublishesTerm(t, c, st, "夜巡路线", "art20.major_sensitive", checker.NeedsApproval)
	_, err := st.officer.Publish(p.ID, "weibo", acc.ID, "https://weibo.com/x/1", st.cfg.now())
	if !errors.Is(err, ErrRescreen) || errors.Is(err, ErrBlocked) || !strings.Contains(err.Error(), "宣传科审批") || !strings.Contains(err.Error(), "夜巡路线") {
		t.Fatalf("publishing a post now needing HQ without HQ's approval: %v", err)
	}
	q := mustPost(t)(st.officer.SaveDraft(p.PostDraft))
	if q.Status != Draft || q.ContentHash != p.ContentHash {
		t.Fatalf("saving unchanged: status %s, hash changed %v", q.Status, q.ContentHash != p.ContentHash)
	}
	q = mustPost(t)(st.officer.Submit(q.ID))
	q = mustPost(t)(st.leader.Approve(q.ID, q.ContentHash, ""))
	if q.Status != AwaitingHQ {
		t.Fatalf("resubmitted: %s, want awaiting HQ", q.Status)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	if _, err := c.hq.DecidePost(q.ID, q.ContentHash, true, "同意"); err != nil {
		t.Fatal(err)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	if _, err := st.officer.Publish(q.ID, "weibo", acc.ID, "https://weibo.com/x/1", st.cfg.now()); err != nil {
		t.Fatalf("publishing with HQ's approval: %v", err)
	}

	// a ready post the lexicon still clears keeps its status when saved unchanged
	r := readyUnder(t, st, "天干物燥，注意防火。")
	if r = mustPost(t)(st.officer.SaveDraft(r.PostDraft)); r.Status != Ready {
		t.Fatalf("saving a cleared ready post unchanged: %s", r.Status)
	}
}

// HQ cannot approve a post its own current lexicon BLOCKs; it can return it.
func TestChecksHQApproveBlocked(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	d := plainDraft()
	d.Title, d.Body, d.Flags = "重大警情", "本周起夜巡路线有调整，请居民留意。", []string{"art20.major_sensitive"}
	p := mustPost(t)(st.officer.SaveDraft(d))
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	if _, err := c.hq.SaveTerm(TermForm{Term: "夜巡路线", Category: "art18.2", Action: checker.Block, Note: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.hq.PublishLexicon("b"); err != nil {
		t.Fatal(err)
	}
	_, err := c.hq.DecidePost(p.ID, p.ContentHash, true, "同意")
	var be *ApproveBlockedError
	if !errors.As(err, &be) || !errors.Is(err, ErrBlocked) || !strings.Contains(err.Error(), "夜巡路线") || !strings.Contains(err.Error(), "退回") {
		t.Fatalf("HQ approving a post its lexicon blocks: %v", err)
	}
	if _, err := c.hq.DecidePost(p.ID, p.ContentHash, false, "含勤务部署，请删去"); err != nil {
		t.Fatalf("HQ returning it: %v", err)
	}
}

// A reply to a netizen is screened: BLOCK findings refuse it, warnings
// (a mobile number) do not.
func TestChecksReplyScreened(t *testing.T) {
	st := newStation(t)
	for _, reply := range []string{"已处理，推翻共产党。", "已处理。当事人身份证号11010519491231002X。"} {
		m, err := st.officer.ReceiveMessage(inquiry(st.cfg.now()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.officer.MoveMessage(m.ID, MessageMove{To: MsgHandled}); err != nil {
			t.Fatal(err)
		}
		_, err = st.officer.MoveMessage(m.ID, MessageMove{To: MsgFeedback, Reply: reply})
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "reply" || !strings.Contains(fe.Msg, "改写") {
			t.Fatalf("reply %q: %v", reply, err)
		}
		got, _ := st.officer.Message(m.ID)
		if got.Message.Status != MsgHandled {
			t.Fatalf("status %s after the refusal", got.Message.Status)
		}
		_, err = st.officer.MoveMessage(m.ID, MessageMove{To: MsgOutOfScope, Channel: "12345", Reply: reply + "请拨打12345。"})
		if !errors.Is(err, ErrTransition) { // handled → out of scope is no step
			t.Fatalf("out of scope from handled: %v", err)
		}
	}
	m, err := st.officer.ReceiveMessage(inquiry(st.cfg.now()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.officer.MoveMessage(m.ID, MessageMove{To: MsgOutOfScope, Channel: "12345", Reply: "请拨打12345，推翻共产党。"})
	if fe := (*FieldError)(nil); !errors.As(err, &fe) || fe.Field != "reply" {
		t.Fatalf("out-of-scope reply with prohibited content: %v", err)
	}
	if fs := st.officer.CheckText("已处理，请联系13812345678。"); firstBlock(fs) != nil || len(fs) == 0 {
		t.Fatalf("the mobile number should be a warning: %+v", fs)
	}
	if _, err := st.officer.MoveMessage(m.ID, MessageMove{To: MsgHandled}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.officer.MoveMessage(m.ID, MessageMove{To: MsgFeedback, Reply: "已处理，请联系13812345678。"}); err != nil {
		t.Fatalf("a reply with a warning only: %v", err)
	}
}

// The publication time cannot precede the approval (to the minute).
func TestChecksPublishNotBeforeApproval(t *testing.T) {
	st := newStation(t)
	t0 := st.cfg.now()
	acc := liveAccount(t, st, "weibo", "pa_chk")
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	p = mustPost(t)(st.officer.Submit(p.ID))
	approvedAt := t0.Add(3*time.Hour + 30*time.Second)
	later := func() time.Time { return approvedAt.Add(time.Hour) }
	p = mustPost(t)(withClock(st.leader, func() time.Time { return approvedAt }).Approve(p.ID, p.ContentHash, ""))
	_, err := withClock(st.officer, later).Publish(p.ID, "weibo", acc.ID, "https://weibo.com/x/1", t0.Add(time.Hour))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "at" || !strings.Contains(fe.Msg, "审批") {
		t.Fatalf("published before the approval: %v", err)
	}
	// the approval's own minute is fine
	if _, err := withClock(st.officer, later).Publish(p.ID, "weibo", acc.ID, "https://weibo.com/x/1", approvedAt.Truncate(time.Minute)); err != nil {
		t.Fatalf("published in the approval's minute: %v", err)
	}
}

// HQ's decision reaches the station while the post is being edited and is
// dropped; the author reverts to the decided content and resubmits: HQ
// can decide again, and the station applies that decision.
func TestChecksDecideAgainAfterDroppedDecision(t *testing.T) {
	for _, rejoined := range []bool{false, true} {
		t.Run(map[bool]string{false: "registered", true: "registered again"}[rejoined], func(t *testing.T) {
			c := newCounty(t, 1)
			st := c.stations[0]
			p := sensitivePost(t, st, "重大警情通报")
			c.receive(c.hq, Imported, c.send(st.admin, "")...)
			if _, err := c.hq.DecidePost(p.ID, p.ContentHash, true, "同意"); err != nil {
				t.Fatal(err)
			}
			d := p.PostDraft
			d.Body = "改一个字。"
			mustPost(t)(st.officer.SaveDraft(d))
			c.receive(st.admin, Imported, c.send(c.hq, "st1")...) // dropped: the post is a draft
			d.Body = p.Body
			q := mustPost(t)(st.officer.SaveDraft(d))
			q = mustPost(t)(st.officer.Submit(q.ID))
			q = mustPost(t)(st.leader.Approve(q.ID, q.ContentHash, ""))
			if q.Status != AwaitingHQ || q.ContentHash != p.ContentHash {
				t.Fatalf("status %s, same content %v", q.Status, q.ContentHash == p.ContentHash)
			}
			c.receive(c.hq, Imported, c.send(st.admin, "")...)
			if rejoined { // a new registration starts the exchange afresh: what was delivered stays delivered
				if err := c.hq.RevokeUnit("st1"); err != nil {
					t.Fatal(err)
				}
				again, err := c.hq.EnrollUnit("st1", "派出所st1", t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				reg, err := st.admin.Join(context.Background(), again, t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				keys, err := st.admin.Keys()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := c.hq.RegisterUnit(context.Background(), reg, keys.Fingerprint); err != nil {
					t.Fatal(err)
				}
			}
			if a, err := c.hq.PostForApproval(p.ID); err != nil || !a.Decidable() {
				t.Fatalf("HQ sees the post as decided: %v %+v", err, a.Decision)
			}
			if _, err := c.hq.DecidePost(p.ID, p.ContentHash, true, "同意"); err != nil {
				t.Fatalf("HQ deciding again: %v", err)
			}
			// a decision still on its way stands
			if _, err := c.hq.DecidePost(p.ID, p.ContentHash, true, "同意"); !errors.Is(err, ErrAlreadyDecided) {
				t.Fatalf("deciding twice before delivery: %v", err)
			}
			c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
			if got, _ := st.officer.Post(p.ID); got.Post.Status != Ready || !got.Post.HQApproved {
				t.Fatalf("station: %s, HQ approved %v", got.Post.Status, got.Post.HQApproved)
			}
		})
	}
}

// HQ's verification reaches the station while the account is suspended
// and is dropped; after resume HQ can verify it again.
func TestChecksVerifyAgainAfterDroppedWhileSuspended(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	a := personalFiling(t, st, "张三", "zhangsan_wb")
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	if _, err := c.hq.DecideFiling(a.ID, StepAccept, ""); err != nil {
		t.Fatal(err)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	if _, err := c.hq.DecideFiling(a.ID, StepVerify, ""); err != nil {
		t.Fatal(err)
	}
	// on its way: not again
	if _, err := c.hq.DecideFiling(a.ID, StepVerify, ""); !errors.Is(err, ErrTransition) {
		t.Fatalf("verifying twice before delivery: %v", err)
	}
	if _, err := st.officer.SuspendAccount(a.ID); err != nil {
		t.Fatal(err)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...) // dropped: suspended
	if _, err := st.officer.ResumeAccount(a.ID); err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	r, err := c.hq.FilingForReview(a.ID)
	if err != nil || len(r.Pending) != 0 || r.Effective != FilingAccepted {
		t.Fatalf("HQ: %v pending %d effective %s", err, len(r.Pending), r.Effective)
	}
	if q, _ := c.hq.FilingQueue(FilingsToVerify); len(q) != 1 {
		t.Fatalf("to-verify queue: %d", len(q))
	}
	if _, err := c.hq.DecideFiling(a.ID, StepVerify, ""); err != nil {
		t.Fatalf("HQ verifying again: %v", err)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	if fin, _ := st.officer.Account(a.ID); fin.Status != string(FilingVerified) {
		t.Fatalf("station: %s", fin.Status)
	}
}

// TestChecksPublishHQClockAhead: HQ's approval is stamped with HQ's clock,
// which may run ahead of the station's; once it has arrived, the station
// records the real publication time.
func TestChecksPublishHQClockAhead(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	acc := liveAccount(t, st, "weibo", "pa_chk")
	p := sensitivePost(t, st, "重大警情通报")
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	hqAhead := withClock(c.hq, func() time.Time { return time.Now().Add(30 * time.Minute) })
	if _, err := hqAhead.DecidePost(p.ID, p.ContentHash, true, "同意"); err != nil {
		t.Fatal(err)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	if _, err := st.officer.Publish(p.ID, "weibo", acc.ID, "https://weibo.com/x/1", st.cfg.now()); err != nil {
		t.Fatalf("publishing now, after HQ's approval arrived (HQ's clock 30 min ahead): %v", err)
	}
}

// TestChecksLeaderReturnsReadyPost: a shift leader takes back the approval
// of a ready post (待发布) that should not go out as it is; its author
// edits and submits it again. Its author and officers may not; a
// published post cannot be returned.
func TestChecksLeaderReturnsReadyPost(t *testing.T) {
	st := newStation(t)
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	if p.Status != Ready || !st.leader.MayReturn(p) || st.officer.MayReturn(p) || st.leader.MayReview(p) {
		t.Fatalf("ready post: status %s, leader may return %v, officer %v", p.Status, st.leader.MayReturn(p), st.officer.MayReturn(p))
	}
	if _, err := st.officer.Return(p.ID, p.ContentHash, "不发了"); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("officer returning: %v", err)
	}
	if _, err := st.leader.Return(p.ID, p.ContentHash, " "); err == nil {
		t.Fatal("returned without a comment")
	}
	r := mustPost(t)(st.leader.Return(p.ID, p.ContentHash, "情况有变，暂缓发布，请补充最新进展。"))
	if r.Status != Returned || r.ApprovedBy != "" {
		t.Fatalf("returned ready post: %s, approved by %q", r.Status, r.ApprovedBy)
	}
	d, err := st.officer.Post(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := d.Events[len(d.Events)-1]
	if last.Kind != "return" || last.FromStatus != string(Ready) || !st.officer.MayEdit(r) {
		t.Fatalf("last event %+v, author may edit %v", last, st.officer.MayEdit(r))
	}
	// Submitted again unchanged, it needs the shift leader's approval again.
	r = mustPost(t)(st.officer.Submit(r.ID))
	if r.Status != Submitted {
		t.Fatalf("resubmitted: %s", r.Status)
	}
	r = mustPost(t)(st.leader.Approve(r.ID, r.ContentHash, ""))
	acc := liveAccount(t, st, "weibo", "pa_ret")
	r = mustPost(t)(st.officer.Publish(r.ID, "weibo", acc.ID, "https://weibo.com/x/2", st.cfg.now()))
	if st.leader.MayReturn(r) {
		t.Fatal("a published post may be returned")
	}
	if _, err := st.leader.Return(r.ID, r.ContentHash, "晚了"); !errors.Is(err, ErrWrongStatus) {
		t.Fatalf("returning a published post: %v", err)
	}
}
