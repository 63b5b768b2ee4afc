package app

import (
	"slices"
	"testing"
)

// TestImportedPostsAreSearchable sends a station's submitted posts to HQ
// in bundles and searches them there: HQ finds them by a two-character
// Chinese query, by words of the body, and a later bundle's post as well.
func TestImportedPostsAreSearchable(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	submit := func(title, body string) Post {
		d := plainDraft()
		d.Title, d.Body = title, body
		p := mustPost(t)(st.officer.SaveDraft(d))
		return mustPost(t)(st.officer.Submit(p.ID))
	}
	hits := func(query string) []string {
		t.Helper()
		res, err := c.hq.SearchPosts(query, PostQuery{}, 0)
		if err != nil {
			t.Fatalf("search %q: %v", query, err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.Post.ID)
		}
		slices.Sort(ids)
		return ids
	}
	want := func(query string, ids ...string) {
		t.Helper()
		slices.Sort(ids)
		if got := hits(query); !slices.Equal(got, ids) {
			t.Fatalf("HQ search %q: %v, want %v", query, got, ids)
		}
	}

	p1 := submit("汤阴县城关派出所开展反诈宣传", "民警走进社区，讲解电信网络诈骗的常见手法。")
	p2 := submit("冬季防火提示", "天干物燥，请大家注意用火安全。")
	want("汤阴")
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	want("汤阴", p1.ID)
	want("诈骗", p1.ID)
	want("防火", p2.ID)
	want("社区 手法", p1.ID)

	p3 := submit("平安汤阴夜间巡逻", "巡逻队伍守护群众平安。")
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	want("汤阴", p1.ID, p3.ID)
	want("巡逻", p3.ID)
	want("防火", p2.ID)
}
