package app

import (
	"errors"
	"strings"
	"testing"
)

// A 变更 of what HQ filed and verified goes back to HQ (已报备); one of
// the account's particulars keeps its status (Art. 11, 13).
func TestChangeGoesBackToHQ(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	a := accountIn(t, st, FilingVerified, 1)
	f := FormOf(a)
	f.Contact, f.Admins, f.Purpose, f.FiledOn = "0372-5500001", "王所长、李警官", "警情通报、防范提示", now
	if got, err := st.leader.ChangeAccount(f); err != nil || got.Status != string(FilingVerified) || got.Action != "change" || got.Contact != f.Contact {
		t.Fatalf("change of the contact number: %+v %v", got, err)
	}

	o, err := st.leader.SaveOfficer(OfficerForm{Name: "孙", PoliceNo: "100201", Department: "社区中队", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	n := 1
	for what, edit := range map[string]func(*AccountForm){
		"name":        func(f *AccountForm) { f.Name = "平安汤阴城关（更名）" },
		"responsible": func(f *AccountForm) { f.Responsible = "李所长" },
		"department":  func(f *AccountForm) { f.Department = "城关派出所社区中队" },
		"platform_id": func(f *AccountForm) { f.PlatformID = "pa_renamed_" + f.ID },
		"kind": func(f *AccountForm) {
			f.Kind, f.OfficerID, f.Declarations = PersonalAccount, o.ID, Art13Declarations
		},
	} {
		for _, from := range []FilingStatus{FilingAccepted, FilingVerified, FilingSuspended} {
			n++
			a := accountIn(t, st, from, n)
			f := FormOf(a)
			f.FiledOn = now
			edit(&f)
			got, err := st.leader.ChangeAccount(f)
			if err != nil || got.Status != string(FilingFiled) || got.Action != "change" {
				t.Errorf("change of the %s of a %s account: %+v %v", what, from, got, err)
			}
			live, _ := st.leader.PublishAccounts(a.Platform)
			for _, l := range live {
				if l.ID == a.ID {
					t.Errorf("changed %s: still offered for publishing", what)
				}
			}
		}
	}
}

// A personal work account whose officer changes goes back to HQ, and
// once HQ accepts it again it is no longer 已认证, even after a
// suspension: the new officer's account needs verifying.
func TestChangeOfOfficerNeedsVerifyingAgain(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	p := personalFiling(t, st, "孙", "sun_work")
	for _, step := range []FilingStep{StepAccept, StepVerify} {
		if _, err := st.leader.hqDecidesFiling(p.ID, step, "", "宣传科赵", now); err != nil {
			t.Fatal(err)
		}
	}
	o, err := st.leader.SaveOfficer(OfficerForm{Name: "周", PoliceNo: "100202", Department: "社区中队", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	f := FormOf(p)
	f.OfficerID, f.FiledOn = o.ID, now
	got, err := st.officer.ChangeAccount(f)
	if err != nil || got.Status != string(FilingFiled) {
		t.Fatalf("change of officer: %+v %v", got, err)
	}
	if _, err := st.leader.hqDecidesFiling(p.ID, StepAccept, "", "宣传科赵", now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.officer.SuspendAccount(p.ID); err != nil {
		t.Fatal(err)
	}
	if r, err := st.officer.ResumeAccount(p.ID); err != nil || r.Status != string(FilingAccepted) {
		t.Fatalf("resumed after a change HQ accepted but did not verify: %s %v", r.Status, err)
	}
	if _, err := st.leader.hqDecidesFiling(p.ID, StepVerify, "", "宣传科赵", now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.officer.SuspendAccount(p.ID); err != nil {
		t.Fatal(err)
	}
	if r, err := st.officer.ResumeAccount(p.ID); err != nil || r.Status != string(FilingVerified) {
		t.Fatalf("resumed after HQ verified it again: %s %v", r.Status, err)
	}
}

// Posts go out on a personal work account only once HQ has verified it
// (Art. 13), and only posts written and reviewed for one (Art. 21).
func TestPublishOnPersonalAccount(t *testing.T) {
	st := newStation(t)
	p := personalFiling(t, st, "孙", "sun_work")
	if _, err := st.leader.hqDecidesFiling(p.ID, StepAccept, "", "宣传科赵", st.cfg.now()); err != nil {
		t.Fatal(err)
	}
	ready := func(personal bool) Post {
		d := plainDraft()
		d.Personal = personal
		post := mustPost(t)(st.officer.SaveDraft(d))
		post = mustPost(t)(st.officer.Submit(post.ID))
		return mustPost(t)(st.leader.Approve(post.ID, post.ContentHash, ""))
	}
	mine, plain := ready(true), ready(false)
	at := st.cfg.now()

	// 已备案 only: not live, not flagged, refused.
	if live, _ := st.officer.PublishAccounts("weibo"); len(live) != 0 {
		t.Errorf("an unverified personal account is offered: %+v", live)
	}
	if e, _ := st.officer.AccountRegistry(AccountFilter{Kind: PersonalAccount}); len(e) != 1 || e[0].Activity != "" {
		t.Errorf("an unverified personal account is flagged: %+v", e)
	}
	var fe *FieldError
	if _, err := st.officer.Publish(mine.ID, "weibo", p.ID, "https://weibo.example/9", at); !errors.As(err, &fe) || fe.Field != "account" || !strings.Contains(fe.Msg, "认证") {
		t.Errorf("published on an unverified personal account: %v", err)
	}

	if _, err := st.leader.hqDecidesFiling(p.ID, StepVerify, "", "宣传科赵", st.cfg.now()); err != nil {
		t.Fatal(err)
	}
	if live, _ := st.officer.PublishAccounts("weibo"); len(live) != 1 || live[0].ID != p.ID {
		t.Errorf("the verified personal account is not offered: %+v", live)
	}
	if _, err := st.officer.Publish(plain.ID, "weibo", p.ID, "https://weibo.example/10", at); !errors.As(err, &fe) || fe.Field != "account" || !strings.Contains(fe.Msg, "个人工作账号") {
		t.Errorf("a post not written for a personal account published on one: %v", err)
	}
	if got, err := st.officer.Publish(mine.ID, "weibo", p.ID, "https://weibo.example/11", at); err != nil || got.Status != Published {
		t.Errorf("a personal post on the verified account: %+v %v", got, err)
	}
}
