package data

import "testing"

// TestTakenDownPosts: only posts taken down are listed, with their
// take_down step and their unit's name, those taken down in the range,
// the newest take-down first.
func TestTakenDownPosts(t *testing.T) {
	s, _, _ := newTestStore(t)
	post := func(id, unit, status string) Post {
		p := testPost(id, "稿件"+id, "正文", 1)
		p.OwnerUnit, p.Status, p.PublishedAt, p.PublishedOn, p.PublishedURL = unit, status, 100, "weibo", "https://weibo.example/"+id
		return p
	}
	event := func(post, kind string, at int64, comment string) PostEvent {
		return PostEvent{ID: "e-" + post + "-" + kind, PostID: post, At: at, Actor: "leader", Kind: kind,
			FromStatus: "published", ToStatus: "taken_down", ContentHash: []byte{1}, Comment: comment}
	}
	mustWrite(t, s, func(tx *Tx) error {
		if err := InsertUser(tx, User{ID: "u1", Name: "wang", DisplayName: "王", Role: "officer", Active: true}); err != nil {
			return err
		}
		if err := SaveUnit(tx, Unit{ID: "st1", Name: "城关派出所", Kind: "station", State: "registered", EnrolledAt: 1, UpdatedAt: 1}); err != nil {
			return err
		}
		for _, p := range []Post{post("old", "st1", "taken_down"), post("mid", "st1", "taken_down"), post("new", "st2", "taken_down"),
			post("late", "st1", "taken_down"), post("up", "st1", "published")} {
			if err := SavePost(tx, p); err != nil {
				return err
			}
		}
		for _, e := range []PostEvent{event("old", "take_down", 500, "过早"), event("mid", "take_down", 1000, "信息有误"),
			event("new", "take_down", 2000, "按通知删除"), event("late", "take_down", 3000, "范围外"),
			event("up", "publish", 1500, ""), event("mid", "publish", 1200, "")} {
			if err := AddPostEvent(tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := TakenDownPosts(s.Reader(), 1000, 3000)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "new" || got[1].ID != "mid" {
		t.Fatalf("taken down in [1000, 3000): %+v", got)
	}
	if g := got[1]; g.UnitName != "城关派出所" || g.Title != "稿件mid" || g.Event.Kind != "take_down" || g.Event.At != 1000 ||
		g.Event.Comment != "信息有误" || g.Event.Actor != "leader" || g.PublishedURL != "https://weibo.example/mid" || g.PublishedAt != 100 {
		t.Errorf("mid: %+v", g)
	}
	if got[0].UnitName != "st2" {
		t.Errorf("a unit not registered here is named by its id: %q", got[0].UnitName)
	}
	if all, err := TakenDownPosts(s.Reader(), 0, 1<<62); err != nil || len(all) != 4 || all[0].ID != "late" || all[3].ID != "old" {
		t.Errorf("all take-downs %+v %v", all, err)
	}
}
