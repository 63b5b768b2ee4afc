package app

import (
	"testing"
	"time"
)

func TestStationHome(t *testing.T) {
	st := newStation(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local) // a Wednesday
	clock := func() time.Time { return now }
	for _, s := range []*Session{st.admin, st.officer, st.leader} {
		s.cfg.Now = clock
	}

	// A submitted post waits for the shift leader; a returned one for its author.
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	mustPost(t)(st.officer.Submit(p.ID))
	q := plainDraft()
	q.Title = "夜间巡逻提示"
	r := mustPost(t)(st.officer.SaveDraft(q))
	r = mustPost(t)(st.officer.Submit(r.ID))
	mustPost(t)(st.leader.Return(r.ID, r.ContentHash, "请补充时间"))

	// A consultation received two weeks ago is overdue (5 working days);
	// one received today is open but not overdue.
	for _, at := range []time.Time{now.AddDate(0, 0, -14), now.Add(-time.Hour)} {
		if _, err := st.officer.ReceiveMessage(MessageForm{Platform: "weibo", Handle: "网友", ReceivedAt: at, Type: Inquiry, Content: "请问户口迁移怎么办理？"}); err != nil {
			t.Fatal(err)
		}
	}

	// An account accepted now is live; 15 days later with no post it is a
	// zombie, 3 months later sleeping.
	a, err := st.leader.SaveAccountFiling(unitFiling(now))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.leader.FileAccount(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.leader.hqDecidesFiling(a.ID, StepAccept, "", "宣传科", now); err != nil {
		t.Fatal(err)
	}

	leader, err := st.leader.StationHome()
	if err != nil {
		t.Fatal(err)
	}
	if len(leader.ToReview) != 1 || leader.ToReview[0].ID != p.ID || leader.Waiting[Submitted] != 1 || leader.Waiting[Returned] != 1 {
		t.Errorf("leader's home: to review %v, waiting %v", leader.ToReview, leader.Waiting)
	}
	if leader.OpenMessages != 2 || leader.OverdueMessages != 1 || len(leader.Overdue) != 1 {
		t.Errorf("messages: open %d overdue %d %v", leader.OpenMessages, leader.OverdueMessages, leader.Overdue)
	}
	if leader.LiveAccounts != 1 || len(leader.Zombie) != 0 || len(leader.Sleeping) != 0 {
		t.Errorf("accounts today: live %d zombie %v sleeping %v", leader.LiveAccounts, leader.Zombie, leader.Sleeping)
	}
	if leader.Synced {
		t.Error("a new station says it has synced")
	}
	officer, err := st.officer.StationHome()
	if err != nil {
		t.Fatal(err)
	}
	if len(officer.ToReview) != 0 || officer.MyReturned != 1 {
		t.Errorf("officer's home: to review %v, my returned %d", officer.ToReview, officer.MyReturned)
	}

	now = now.AddDate(0, 0, 14)
	h, _ := st.officer.StationHome()
	if len(h.Zombie) != 1 || h.Zombie[0].ID != a.ID {
		t.Errorf("after 14 days: zombie %v", h.Zombie)
	}
	now = now.AddDate(0, 3, 0)
	h, _ = st.officer.StationHome()
	if len(h.Zombie) != 0 || len(h.Sleeping) != 1 {
		t.Errorf("after 3 months: zombie %v sleeping %v", h.Zombie, h.Sleeping)
	}
	if _, err := setupHQ(t).StationHome(); err == nil {
		t.Error("HQ computed a station home")
	}
}
