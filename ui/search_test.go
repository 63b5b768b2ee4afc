package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

// addPosts has zhang write posts: 防范电信诈骗提示 (submitted), 识破诈骗小技巧
// and 冬季防火提示 (drafts).
func addPosts(t *testing.T, cfg app.Config) {
	t.Helper()
	s, err := app.SignIn(cfg, "zhang", officerPassword)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cat := s.PostCategories()[0]
	save := func(title, body string) app.Post {
		p, err := s.SaveDraft(app.PostDraft{Title: title, Body: body, Category: cat, Targets: []string{"weibo"}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := save("防范电信诈骗提示", "近期冒充客服退款的骗局高发，请勿向陌生账户转账。")
	if _, err := s.Submit(p.ID); err != nil {
		t.Fatal(err)
	}
	save("识破诈骗小技巧", "接到陌生来电要求转账，先挂断再核实。")
	save("冬季防火提示", "天干物燥，请注意用火安全。")
}

// highlightedText lists the texts of the highlighted segments of the rich
// texts inside root.
func highlightedText(root fyne.CanvasObject) []string {
	var out []string
	walk(root, func(o fyne.CanvasObject) bool {
		if rt, ok := o.(*widget.RichText); ok && rt.Visible() {
			for _, s := range rt.Segments {
				if ts, ok := s.(*widget.TextSegment); ok && ts.Style.ColorName == theme.ColorNamePrimary && ts.Style.TextStyle.Bold {
					out = append(out, ts.Text)
				}
			}
		}
		return false
	})
	return out
}

func hitTitles(v *postsView) []string {
	var out []string
	for _, h := range v.result.Hits {
		out = append(out, h.Post.Title)
	}
	return out
}

func TestPostSearch(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	addPosts(t, cfg)
	h := newHarness(t, cfg)
	h.signIn("li", leaderPassword) // a shift leader, who is not shown the users
	v := h.posts()

	// The list is as long as the posts counted, and names their authors.
	n, err := h.d.session.CountPosts(app.PostQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 || v.list.Length() != n || !strings.Contains(v.listInfo.Text, "共 3 篇") {
		t.Fatalf("list length %d, counted %d, info %q", v.list.Length(), n, v.listInfo.Text)
	}
	if !labelWith(v.list, "张警官") {
		t.Error("the list does not show the author's display name")
	}
	dv := h.selectPost(v, "冬季防火提示")
	if !labelWith(dv.page, "张警官") {
		t.Error("the detail does not show the author's display name")
	}

	// The search box is enabled; Ctrl+F reaches it.
	if v.search.Disabled() {
		t.Fatal("the search box is disabled")
	}
	h.d.menuSearch.Action()
	if h.w.Canvas().Focused() != v.search {
		t.Error("Ctrl+F did not focus the search box")
	}

	// Typing searches once typing pauses; Return, which a pinyin input
	// method sends while composing, does not search the half-typed text.
	test.Type(v.search, "诈")
	v.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.r.pending != 0 {
		t.Fatal("Return in the search box searched at once")
	}
	h.r.settle(t)
	if v.hitList.Visible() {
		t.Fatal("the search ran before the pause")
	}
	h.settleTimers()
	if got := strings.Join(hitTitles(v), ","); len(v.result.Hits) != 2 || !strings.Contains(got, "防范电信诈骗提示") || !strings.Contains(got, "识破诈骗小技巧") {
		t.Fatalf("hits %q", got)
	}
	if !v.hitList.Visible() || v.list.Visible() {
		t.Fatal("the hits do not replace the list")
	}
	wantMessage(t, "found", v.listInfo, "找到 2 篇")
	if hl := highlightedText(v.hitList); len(hl) < 2 || hl[0] != "诈" {
		t.Errorf("highlighted %q", hl)
	}

	// A filter narrows the hits.
	v.status.SetSelectedIndex(2) // 带班领导审核
	h.r.settle(t)
	if got := hitTitles(v); len(got) != 1 || got[0] != "防范电信诈骗提示" {
		t.Fatalf("hits with the status filter %q", got)
	}
	wantMessage(t, "found", v.listInfo, "找到 1 篇")
	if hl := highlightedText(v.hitList); len(hl) == 0 || hl[0] != "诈" {
		t.Errorf("highlighted %q", hl)
	}

	// Selecting a hit opens its detail; Return does nothing.
	v.hitList.Select(0)
	h.r.settle(t)
	if v.detail.pd.Post.Title != "防范电信诈骗提示" {
		t.Fatalf("detail shows %q", v.detail.pd.Post.Title)
	}
	v.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.r.settle(t)
	if v.editor != nil || h.w.Canvas().Overlays().Top() != nil || len(v.result.Hits) != 1 {
		t.Fatal("Return in the search box did something else")
	}

	// Emptying the box gives the list back.
	v.status.SetSelectedIndex(0)
	v.search.SetText("")
	h.r.settle(t)
	if v.hitList.Visible() || !v.list.Visible() || v.list.Length() != 3 {
		t.Fatalf("the list did not come back: %d rows", v.list.Length())
	}
	wantMessage(t, "list", v.listInfo, "共 3 篇")
	h.settleTimers()
	if v.hitList.Visible() {
		t.Error("a search ran after the box was emptied")
	}
}

// TestPostPagesCounted: with the posts counted, the list is as long as
// all of them, and a row far down is read by its page's offset.
func TestPostPagesCounted(t *testing.T) {
	const total = 10_050
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := &runner{done: make(chan func(), 16)}
	p := &postPages{run: r.run, changed: func() {}, failed: func(err error) { t.Fatal(err) }}
	p.counter = func(app.PostQuery) (int, error) { return total, nil }
	p.fetch = func(q app.PostQuery) ([]app.Post, error) {
		start := q.Offset
		if q.After.ID != "" {
			if q.Offset != 0 {
				return nil, fmt.Errorf("query %+v", q)
			}
			fmt.Sscanf(q.After.ID, "post-%d", &start)
			start++
		}
		var out []app.Post
		for i := start; i < min(total, start+q.Limit); i++ {
			out = append(out, app.Post{PostDraft: app.PostDraft{ID: fmt.Sprintf("post-%d", i)}, UpdatedAt: base.Add(-time.Duration(i) * time.Second)})
		}
		return out, nil
	}
	p.reset(app.PostQuery{})
	r.settle(t)
	if p.length() != total {
		t.Fatalf("length %d, want %d", p.length(), total)
	}
	for _, i := range []int{total - 1, total - 2, 5000, 5200} {
		if _, ok := p.row(i); !ok {
			r.settle(t)
		}
		if post, ok := p.row(i); !ok || post.ID != fmt.Sprintf("post-%d", i) {
			t.Fatalf("row %d: %+v %v", i, post, ok)
		}
	}
	if p.length() != total || p.more {
		t.Fatalf("length %d more %v after the last page", p.length(), p.more)
	}
}
