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

const (
	postPageSize  = 200
	postPagesKept = 10
)

// postPages is the paged list of posts of one query. It lives on the UI
// goroutine; reading runs through run, off it.
type postPages struct {
	run     func(work, done func())
	fetch   func(q app.PostQuery) ([]app.Post, error) // safe off the UI goroutine
	changed func()                                    // the rows changed: refresh the list
	failed  func(err error)                           // a page could not be read

	gen     int                // counts resets; a page of an older query is dropped
	queries []app.PostQuery    // queries[k] reads page k
	pages   map[int][]app.Post // the pages in memory
	used    map[int]int        // when each page in memory was last shown
	tick    int
	loading map[int]bool
	count   int  // rows read so far (the list's length without the extra row)
	more    bool // whether rows may follow count
}

// reset starts the list of query q over and reads its first page.
func (p *postPages) reset(q app.PostQuery) {
	p.gen++
	q.Limit, q.Offset = postPageSize, 0
	p.queries = []app.PostQuery{q}
	p.pages, p.used, p.loading = map[int][]app.Post{}, map[int]int{}, map[int]bool{}
	p.count, p.more = 0, true
	p.load(0)
}

// length is the number of rows to show, with the extra row that reads
// the next page while more may follow.
func (p *postPages) length() int {
	if p.more {
		return p.count + 1
	}
	return p.count
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

// load reads page k unless it is being read or is past the known pages.
func (p *postPages) load(k int) {
	if k >= len(p.queries) || p.loading[k] {
		return
	}
	p.loading[k] = true
	gen, q := p.gen, p.queries[k]
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

// add keeps page k; the last known page also decides whether more follow
// and, if so, the query of the next page.
func (p *postPages) add(k int, rows []app.Post) {
	p.pages[k] = rows
	p.tick++
	p.used[k] = p.tick
	if k == len(p.queries)-1 {
		p.count = k*postPageSize + len(rows)
		p.more = len(rows) == postPageSize
		if p.more {
			last := rows[len(rows)-1]
			next := p.queries[k]
			next.After.ID = last.ID
			next.After.UpdatedAt = last.UpdatedAt.UnixMilli()
			next.After.CreatedAt = last.CreatedAt.UnixMilli()
			next.After.Title = last.Title
			p.queries = append(p.queries, next)
		}
	}
	for len(p.pages) > postPagesKept {
		oldest := slices.MinFunc(slices.Collect(maps.Keys(p.pages)), func(a, b int) int { return p.used[a] - p.used[b] })
		delete(p.pages, oldest)
		delete(p.used, oldest)
	}
}
