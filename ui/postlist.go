package ui

import (
	"maps"
	"slices"

	"mediadesk/app"
)

// Paging of the post list. A station may keep 100,000 posts, so the list
// never holds them all: it reads pages of postPageSize rows with
// app.PostQuery's cursor (After: the sort keys of the previous page's last
// row, which costs the same on every page and neither repeats nor skips
// rows added meanwhile), and keeps at most postPagesKept pages in memory,
// without their bodies (the detail reads the whole post). The length of
// the list grows as pages arrive: while more rows may follow it has one
// extra row, and showing that row reads the next page. A page dropped
// from memory is read again, from the cursor it was first read with, when
// one of its rows shows again.
//
// With counter set, the list's length is the number of posts the query
// selects (app.Session.CountPosts), so the scroll bar covers them all; a
// page far ahead of the pages read so far (the scroll bar dragged down) is
// read by its offset, and the pages after it by the cursor again.

const (
	postPageSize  = 200
	postPagesKept = 10
)

// postPages is the paged list of posts of one query. It lives on the UI
// goroutine; reading runs through run, off it.
type postPages struct {
	run     func(work, done func())
	fetch   func(q app.PostQuery) ([]app.Post, error) // safe off the UI goroutine
	counter func(q app.PostQuery) (int, error)        // optional; safe off the UI goroutine
	changed func()                                    // the rows changed: refresh the list
	failed  func(err error)                           // a page could not be read

	gen     int                   // counts resets; a page of an older query is dropped
	queries map[int]app.PostQuery // queries[k] reads page k, once known
	pages   map[int][]app.Post    // the pages in memory
	used    map[int]int           // when each page in memory was last shown
	tick    int
	loading map[int]bool
	count   int  // rows read so far, up to the last row of the furthest page
	more    bool // whether rows may follow count
	total   int  // the posts the query selects, once counted
	counted bool
}

// reset starts the list of query q over and reads its first page.
func (p *postPages) reset(q app.PostQuery) {
	p.gen++
	q.Limit, q.Offset = postPageSize, 0
	p.queries = map[int]app.PostQuery{0: q}
	p.pages, p.used, p.loading = map[int][]app.Post{}, map[int]int{}, map[int]bool{}
	p.count, p.more = 0, true
	p.total, p.counted = 0, false
	p.load(0)
	if p.counter == nil {
		return
	}
	gen := p.gen
	var (
		n   int
		err error
	)
	p.run(func() { n, err = p.counter(q) }, func() {
		if gen != p.gen {
			return
		}
		if err != nil {
			p.failed(err)
			return
		}
		p.total, p.counted = n, true
		p.changed()
	})
}

// length is the number of rows to show: the posts counted, or else the
// rows read with the extra row that reads the next page while more may
// follow. Once the last page is read, its rows.
func (p *postPages) length() int {
	switch {
	case !p.more:
		return p.count
	case p.counted:
		return max(p.total, p.count)
	}
	return p.count + 1
}

// row returns row i when its page is in memory; otherwise it starts
// reading the page and reports false.
func (p *postPages) row(i int) (app.Post, bool) {
	k := i / postPageSize
	rows, ok := p.pages[k]
	if !ok {
		p.load(k)
		return app.Post{}, false
	}
	p.tick++
	p.used[k] = p.tick
	if j := i % postPageSize; j < len(rows) {
		return rows[j], true
	}
	return app.Post{}, false
}

// index is the row of the post with the given ID among the pages in
// memory, or -1.
func (p *postPages) index(id string) int {
	for k, rows := range p.pages {
		for j, r := range rows {
			if r.ID == id {
				return k*postPageSize + j
			}
		}
	}
	return -1
}

// load reads page k unless it is being read or cannot be reached yet: a
// page without a cursor is read by its offset once the posts are counted.
func (p *postPages) load(k int) {
	q, ok := p.queries[k]
	if !ok && p.counted && k*postPageSize < p.total {
		q, ok = p.queries[0], true
		q.Offset = k * postPageSize
	}
	if !ok || p.loading[k] {
		return
	}
	p.loading[k] = true
	gen := p.gen
	var (
		rows []app.Post
		err  error
	)
	p.run(func() {
		rows, err = p.fetch(q)
		for i := range rows {
			rows[i].Body, rows[i].Images = "", nil // the list shows neither
		}
	}, func() {
		if gen != p.gen {
			return
		}
		delete(p.loading, k)
		if err != nil {
			p.failed(err)
			return
		}
		p.add(k, rows)
		p.changed()
	})
}

// add keeps page k; the furthest page read also decides whether more
// follow, and a full page gives the cursor of the next.
func (p *postPages) add(k int, rows []app.Post) {
	p.pages[k] = rows
	p.tick++
	p.used[k] = p.tick
	if end := k*postPageSize + len(rows); end >= p.count {
		p.count = end
		p.more = len(rows) == postPageSize
	}
	if _, known := p.queries[k+1]; !known && len(rows) == postPageSize {
		last := rows[len(rows)-1]
		next := p.queries[0]
		next.Offset = 0
		next.After.ID = last.ID
		next.After.UpdatedAt = last.UpdatedAt.UnixMilli()
		next.After.CreatedAt = last.CreatedAt.UnixMilli()
		next.After.Title = last.Title
		p.queries[k+1] = next
	}
	for len(p.pages) > postPagesKept {
		oldest := slices.MinFunc(slices.Collect(maps.Keys(p.pages)), func(a, b int) int { return p.used[a] - p.used[b] })
		delete(p.pages, oldest)
		delete(p.used, oldest)
	}
}
