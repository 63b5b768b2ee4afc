package ui

import (
	"fmt"
	"testing"
	"time"

	"mediadesk/app"
)

// TestPostPagesLarge scrolls through 100,000 posts: the list reads them
// page by page with the cursor and keeps only a few pages in memory.
func TestPostPagesLarge(t *testing.T) {
	const total = 100_000
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	updated := func(i int) time.Time { return base.Add(-time.Duration(i) * time.Second) } // newest first
	fetches := 0
	r := &runner{done: make(chan func(), 16)}
	p := &postPages{run: r.run, changed: func() {}, failed: func(err error) { t.Fatal(err) }}
	p.fetch = func(q app.PostQuery) ([]app.Post, error) {
		fetches++
		if q.Offset != 0 || q.Limit != postPageSize {
			return nil, fmt.Errorf("query %+v", q)
		}
		start := 0
		if q.After.ID != "" {
			fmt.Sscanf(q.After.ID, "post-%d", &start)
			start++
			if want := updated(start - 1).UnixMilli(); q.After.UpdatedAt != want {
				return nil, fmt.Errorf("cursor %+v, want updated %d", q.After, want)
			}
		}
		var out []app.Post
		for i := start; i < min(total, start+q.Limit); i++ {
			out = append(out, app.Post{PostDraft: app.PostDraft{ID: fmt.Sprintf("post-%d", i), Title: "稿件", Body: "正文"},
				UpdatedAt: updated(i)})
		}
		return out, nil
	}
	p.reset(app.PostQuery{})
	r.settle(t)
	for i := 0; i < p.length(); i++ {
		if _, ok := p.row(i); !ok {
			r.settle(t)
			if i < p.count {
				post, ok := p.row(i)
				if !ok || post.ID != fmt.Sprintf("post-%d", i) {
					t.Fatalf("row %d: %+v %v", i, post, ok)
				}
			}
		}
		if len(p.pages) > postPagesKept {
			t.Fatalf("%d pages in memory", len(p.pages))
		}
	}
	if p.count != total || p.more {
		t.Fatalf("count %d more %v", p.count, p.more)
	}
	if want := total/postPageSize + 1; fetches != want {
		t.Errorf("%d fetches, want %d", fetches, want)
	}
	// Scrolling back to the top reads the first page again.
	if _, ok := p.row(0); ok {
		t.Fatal("page 0 was kept")
	}
	r.settle(t)
	if post, ok := p.row(0); !ok || post.ID != "post-0" || post.Body != "" {
		t.Fatalf("row 0 again: %+v", post)
	}
}
