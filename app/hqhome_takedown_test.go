package app

import (
	"errors"
	"testing"
	"time"
)

// TestHQSeesTakeDowns: once the station's bundle arrives, HQ lists its
// take-downs (station, title, link, times, who, reason, the notice
// answered), the newest first; its home shows those of the last
// TakenDownDays days. A station may not ask.
func TestHQSeesTakeDowns(t *testing.T) {
	c := newCounty(t, 1)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	c.setClock(&now)
	hq, st := c.hq, c.stations[0]
	acc := liveAccount(t, st, "weibo", "tangyin-1")

	// One taken down long ago, one recently answering a notice, one still up.
	now = now.AddDate(0, 0, -45)
	old := publishedPost(t, st, "旧稿件", acc)
	now = now.AddDate(0, 0, 2)
	mustPost(t)(st.leader.TakeDown(old.ID, TakeDownForm{Reason: "过时", At: now}))
	now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	p := publishedPost(t, st, "冬季防火提示", acc)
	publishedPost(t, st, "交通提示", acc)
	f := goodNotice()
	f.Title = "删除不当稿件"
	n := mustNotice(t)(hq.IssueNotice(f))
	c.receive(st.admin, Imported, c.send(hq, "st1")...)
	now = now.Add(2 * time.Hour)
	mustPost(t)(st.leader.TakeDown(p.ID, TakeDownForm{Reason: "电话号码有误\n已另发更正", At: now.Add(-time.Hour), NoticeID: n.ID}))

	if list, err := hq.TakenDownPosts(time.Time{}, now.Add(time.Hour)); err != nil || len(list) != 0 {
		t.Fatalf("before the bundle: %+v %v", list, err)
	}
	c.receive(hq, Imported, c.send(st.admin, "")...)

	list, err := hq.TakenDownPosts(time.Time{}, now.Add(time.Hour))
	if err != nil || len(list) != 2 || list[0].PostID != p.ID || list[1].PostID != old.ID {
		t.Fatalf("HQ's take-downs %+v %v", list, err)
	}
	got := list[0]
	want := TakenDownPost{PostID: p.ID, Title: "冬季防火提示", Station: "派出所st1", Platform: "weibo", URL: "https://weibo.example/" + p.ID,
		PublishedAt: time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local), TakenDownAt: now.Add(-time.Hour), RecordedBy: "王所长",
		Reason: "电话号码有误\n已另发更正", Notice: "删除不当稿件"}
	if !got.PublishedAt.Equal(want.PublishedAt) || !got.TakenDownAt.Equal(want.TakenDownAt) {
		t.Errorf("times: published %v, taken down %v", got.PublishedAt, got.TakenDownAt)
	}
	got.PublishedAt, got.TakenDownAt = want.PublishedAt, want.TakenDownAt
	if got != want {
		t.Errorf("take-down at HQ:\n got %+v\nwant %+v", got, want)
	}
	if list[1].Reason != "过时" || list[1].Notice != "" {
		t.Errorf("the old take-down: %+v", list[1])
	}

	// The home lists the recent one only.
	h, err := hq.HQHome()
	if err != nil || len(h.TakenDown) != 1 || h.TakenDown[0].PostID != p.ID || h.TakenDown[0].Reason != want.Reason {
		t.Errorf("HQ's home take-downs %+v %v", h.TakenDown, err)
	}

	// Stations are refused.
	for _, s := range []*Session{st.admin, st.leader} {
		if _, err := s.TakenDownPosts(time.Time{}, now); !errors.Is(err, ErrHQOnly) {
			t.Errorf("a station listed take-downs: %v", err)
		}
	}
}

func TestSplitTakeDownComment(t *testing.T) {
	for c, want := range map[string][2]string{
		"有误": {"有误", ""},
		"有误\n答复整改通知《删除稿件》":   {"有误", "删除稿件"},
		"两行\n原因\n答复整改通知《通知》": {"两行\n原因", "通知"},
		"提到答复整改通知《x》但没换行":    {"提到答复整改通知《x》但没换行", ""},
	} {
		if r, n := splitTakeDownComment(c); r != want[0] || n != want[1] {
			t.Errorf("%q: %q %q", c, r, n)
		}
	}
}
