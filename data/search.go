package data

// Full-text search over posts (schema 5).
//
// go-sqlite3's default build has FTS3/FTS4 but no tokenizer that splits
// Chinese: FTS4's simple and unicode61 tokenizers take a run of Han
// characters for one word, and a trigram index cannot match queries of one
// or two characters. So the index is fed text that is already split:
// search_text(x), a deterministic Go function registered on every
// connection, turns a text into index tokens separated by spaces, which
// FTS4's simple tokenizer then only has to split on.
//
// The text is first cut into base tokens: every Han or kana character is
// a token of its own; a run of other letters, digits and combining marks
// is one word, lower-cased, with full-width ASCII folded to ASCII;
// everything else (spaces, punctuation, symbols) only separates. Each base
// token then becomes one index token, so positions in the index are
// positions in the base tokens:
//
//	a character followed by a character  → the pair (a bigram): 汤阴
//	any other character                  → itself: 阴
//	a word                               → itself: app
//
// 汤阴县APP → 汤阴 阴县 县 app. A query of N characters is the phrase of
// its N-1 bigrams (汤阴县 → "汤阴 阴县"), a single character a prefix
// lookup in FTS4's 3-byte prefix index (诈 → "诈*", which finds 诈骗 and a
// lone 诈 alike), so every query reads short doclists: a two-character
// query one bigram's, a four-character query three that FTS4 walks
// together newest first. Separators never break a phrase: 汤阴 also finds
// "汤 阴" and "汤，阴", as a word query finds Wi-Fi for wi-fi.
//
// The index stores no text: its content is the view post_search_content,
// which runs search_text over posts and comments. Triggers (migration 5)
// drop a post's entry before its text changes, while the view still shows
// the old text, and add it back after, inside the writing transaction;
// replaying the journal runs the same triggers. A build whose segmentation
// differs (searchVersion: the algorithm's revision and Go's Unicode
// version) rebuilds the index on open.
//
// Filters are checked per match against post_search_docs, a small table
// with each post's docid, ID and filter columns; a date filter first
// narrows the walk to the docids of posts updated in the period.

import (
	"database/sql"
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-sqlite3"
)

// searchTextFunc is the SQL name of the segmenting function.
const searchTextFunc = "search_text"

// searchSchema is the schema version that added the search index.
const searchSchema = 5

// searchVersion names the segmentation of this build: bump the revision
// whenever search_text's output changes.
var searchVersion = "1 unicode " + unicode.Version

// registerSearchFuncs adds search_text to a new connection.
func registerSearchFuncs(c *sqlite3.SQLiteConn) error {
	return c.RegisterFunc(searchTextFunc, indexText, true)
}

// syncSearchIndex rebuilds the search index unless this build's
// segmentation built it: after migration 5 (which leaves it empty), and
// after an upgrade whose Unicode tables differ, so that removing a post's
// entry always removes the tokens it was indexed with.
func (s *Store) syncSearchIndex() error {
	var v string
	err := s.db.QueryRow("SELECT version FROM post_search_version").Scan(&v)
	if err == nil && v == searchVersion {
		return nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return s.Write(func(tx *Tx) error {
		if _, err := tx.Exec("INSERT INTO post_search(post_search) VALUES ('rebuild')"); err != nil {
			return err
		}
		// The rebuild indexed every post, owed or not (schema 19).
		var owedList int
		if err := tx.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'post_search_pending'").Scan(&owedList); err != nil {
			return err
		}
		if owedList > 0 {
			if _, err := tx.Exec("DELETE FROM post_search_pending"); err != nil {
				return err
			}
		}
		if _, err := tx.Exec("DELETE FROM post_search_version"); err != nil {
			return err
		}
		_, err := tx.Exec("INSERT INTO post_search_version(version) VALUES (?)", searchVersion)
		return err
	})
}

// Search limits.
const (
	// DefaultSearchLimit is the number of hits SearchPosts returns when
	// asked for none.
	DefaultSearchLimit = 50
	// MaxQueryRunes is the longest query SearchPosts accepts.
	MaxQueryRunes = 200
	// SearchRankLimit caps how many matching posts are ranked: when more
	// match, the hits are the best of the most recently created
	// SearchRankLimit. This keeps a query that matches most posts (的)
	// fast.
	SearchRankLimit = 1000
	// SearchCountLimit caps the count of matching posts.
	SearchCountLimit = 5000
	// snippetRunes is about how long a snippet is, without its ellipses.
	snippetRunes = 80
	// snippetLead is how much text a snippet shows before its first hit.
	snippetLead = 20
)

// searchColumns is the number of indexed columns: title, body, comments.
const searchColumns = 3

// Column weights for ranking: a hit in the title counts for ten in the
// body, a hit in the comments for half of one in the body.
var columnWeights = [searchColumns]float64{10, 1, 0.5}

// BM25 parameters.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Query errors.
var (
	// ErrEmptyQuery: the search query is empty or only spaces.
	ErrEmptyQuery = errors.New("请输入要搜索的内容 / enter something to search for")
	// ErrQueryTooLong: the search query has more than MaxQueryRunes characters.
	ErrQueryTooLong = errors.New("搜索内容过长，请缩短到 200 字以内 / the search is too long: use at most 200 characters")
)

// isIdeograph reports whether r belongs to a script written without spaces
// between words; such characters are base tokens on their own.
func isIdeograph(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF { // CJK Unified Ideographs: most of any Chinese text
		return true
	}
	return r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// foldRune folds full-width ASCII to ASCII and lower-cases; it maps one
// rune to one rune, so rune offsets stay those of the original text.
func foldRune(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// scanTokens calls emit for each base token of s in order, with its text
// (valid only during the call), whether it is a single ideograph, and its
// rune offsets in s, [start, end).
func scanTokens(s string, emit func(tok []rune, ideo bool, start, end int)) {
	var word []rune
	var one [1]rune
	start, i := -1, 0
	flush := func() {
		if start >= 0 {
			emit(word, false, start, i)
			word, start = word[:0], -1
		}
	}
	for _, r := range s {
		if isIdeograph(r) { // ideographs have no case and no full-width form
			flush()
			one[0] = r
			emit(one[:], true, i, i+1)
			i++
			continue
		}
		r = foldRune(r)
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'),
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsNumber(r) || start >= 0 && unicode.IsMark(r)):
			if start < 0 {
				start = i
			}
			word = append(word, r)
		default:
			flush()
		}
		i++
	}
	flush()
}

// indexText returns s as the index takes it: one index token per base
// token, separated by spaces. It is the SQL function search_text.
func indexText(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	sep := func() {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
	}
	var prev rune // the ideograph waiting for its successor, or 0
	scanTokens(s, func(tok []rune, ideo bool, _, _ int) {
		if prev != 0 {
			sep()
			b.WriteRune(prev)
			if ideo {
				b.WriteRune(tok[0])
			}
		}
		prev = 0
		if ideo {
			prev = tok[0]
			return
		}
		sep()
		for _, r := range tok {
			b.WriteRune(r)
		}
	})
	if prev != 0 {
		sep()
		b.WriteRune(prev)
	}
	return b.String()
}

// token is a base token of a query.
type token struct {
	text string // folded
	ideo bool   // a single ideograph
}

// tokenize returns the base tokens of s.
func tokenize(s string) []token {
	var out []token
	scanTokens(s, func(tok []rune, ideo bool, _, _ int) {
		out = append(out, token{string(tok), ideo})
	})
	return out
}

// parseQuery splits a query into phrases of base tokens: each run of text
// between spaces is one phrase, and a post must hold every phrase.
// Nothing in the query is FTS syntax: quotes, stars, dashes, colons and
// parentheses only separate tokens, and OR, AND, NOT or NEAR are lower-cased
// into plain words.
func parseQuery(query string) ([][]token, error) {
	if strings.TrimSpace(query) == "" {
		return nil, ErrEmptyQuery
	}
	if utf8.RuneCountInString(query) > MaxQueryRunes {
		return nil, ErrQueryTooLong
	}
	var phrases [][]token
	same := func(a, b token) bool { return a.text == b.text }
	for _, chunk := range strings.Fields(query) {
		ph := tokenize(chunk)
		if len(ph) > 0 && !slices.ContainsFunc(phrases, func(p []token) bool { return slices.EqualFunc(p, ph, same) }) {
			phrases = append(phrases, ph)
		}
	}
	return phrases, nil
}

// matchExpression writes phrases as an FTS4 MATCH expression: each phrase
// quoted, all of them required. A phrase is the index tokens its base
// tokens have wherever they stand in a text: a bigram for a character
// followed by a character; a character followed by a word is a lone
// character in the text too; a phrase's last character is covered by the
// bigram before it, or else is a prefix lookup, since in the text it may
// be followed by another. Index tokens hold only letters, digits and
// marks, so nothing in them can close a quote or act as an operator.
func matchExpression(phrases [][]token) string {
	var b strings.Builder
	for i, ph := range phrases {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		n := 0
		for k, t := range ph {
			var it string
			switch {
			case !t.ideo:
				it = t.text
			case k+1 < len(ph) && ph[k+1].ideo:
				it = t.text + ph[k+1].text
			case k+1 < len(ph):
				it = t.text
			case k > 0 && ph[k-1].ideo:
				continue
			default:
				it = t.text + "*"
			}
			if n > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(it)
			n++
		}
		b.WriteByte('"')
	}
	return b.String()
}

// Range is a highlighted span of a text, in runes (not bytes): the hit is
// string([]rune(text)[Start:End]).
type Range struct {
	Start, End int
}

// highlight returns where phrases occur in text, as sorted ranges of its
// runes; overlapping hits are merged.
func highlight(text string, phrases [][]token) []Range {
	// The text's tokens: their folded runes, back to back, and spans.
	type span struct{ lo, hi, start, end int }
	var folded []rune
	var spans []span
	scanTokens(text, func(tok []rune, _ bool, start, end int) {
		spans = append(spans, span{len(folded), len(folded) + len(tok), start, end})
		folded = append(folded, tok...)
	})
	is := func(sp span, word string) bool {
		i := sp.lo
		for _, r := range word {
			if i == sp.hi || folded[i] != r {
				return false
			}
			i++
		}
		return i == sp.hi
	}
	var out []Range
	for i := range spans {
		for _, ph := range phrases {
			if i+len(ph) > len(spans) {
				continue
			}
			ok := true
			for k, t := range ph {
				if !is(spans[i+k], t.text) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			r := Range{spans[i].start, spans[i+len(ph)-1].end}
			if n := len(out); n > 0 && r.Start < out[n-1].End {
				out[n-1].End = max(out[n-1].End, r.End)
			} else {
				out = append(out, r)
			}
		}
	}
	return out
}

// makeSnippet cuts about snippetRunes runes of text around its first hit,
// with "…" where text goes on, line breaks turned into spaces, and the hits
// inside it as ranges of the snippet. Without hits it is the text's start.
func makeSnippet(text string, hits []Range) (string, []Range) {
	rs := []rune(text)
	start, end := 0, min(len(rs), snippetRunes)
	if len(hits) > 0 {
		first := hits[0]
		start = max(0, first.Start-snippetLead)
		end = min(len(rs), max(start+snippetRunes, first.End))
		start = max(0, min(start, end-snippetRunes))
	}
	var b strings.Builder
	off := start
	if start > 0 {
		b.WriteString("…")
		off-- // the ellipsis takes one rune
	}
	for _, r := range rs[start:end] {
		if r == '\n' || r == '\r' || r == '\t' {
			r = ' '
		}
		b.WriteRune(r)
	}
	if end < len(rs) {
		b.WriteString("…")
	}
	var in []Range
	for _, h := range hits {
		if h.End <= start || h.Start >= end {
			continue
		}
		in = append(in, Range{max(h.Start, start) - off, min(h.End, end) - off})
	}
	return b.String(), in
}

// SearchHit is one post that matches a search.
type SearchHit struct {
	Post  Post
	Score float64 // higher is better; comparable within one result only
	// TitleRanges and BodyRanges are the hits in Post.Title and Post.Body,
	// in runes, sorted.
	TitleRanges []Range
	BodyRanges  []Range
	// Snippet is a short excerpt around the first hit in the body, or in
	// the comments when the body has none (or the body's start when only
	// the title matched); SnippetRanges are the hits inside it.
	Snippet       string
	SnippetRanges []Range
	// InComments is set when a comment on the post holds a query term.
	InComments bool
}

// SearchResult is the best hits of a search and how many posts match.
type SearchResult struct {
	Hits []SearchHit
	// Total is the number of posts that match the query and the filter,
	// counted up to SearchCountLimit; TotalCapped is set when still more
	// match ("5000+").
	Total       int
	TotalCapped bool
	// Partial is set when more than SearchRankLimit posts match: the hits
	// are the best of the most recently created SearchRankLimit.
	Partial bool
	// Unindexed is how many posts, just imported, are not yet in the
	// index and so could not be found (searchowed.go).
	Unindexed int
}

// candidate is a matching post before it is ranked.
type candidate struct {
	docid     int64
	score     float64
	inTitle   bool
	inBody    bool
	inComment bool
}

// SearchPosts finds the posts whose title, body or comments hold every
// term of query, narrowed by f (Status, AuthorID, Category, Target, From
// and To; its order and paging fields are ignored), and returns the best
// limit of them (DefaultSearchLimit when limit ≤ 0), ranked by a BM25
// score in which a title hit weighs most; among equal scores the most
// recently created post comes first.
//
// Terms are separated by spaces; a term is matched as a phrase, so 汤阴
// finds 汤阴 but not 阴汤, and every Chinese character counts, so 诈 alone
// finds 诈骗. Latin words and numbers match whole words, ignoring case and
// full width. The query is plain text: FTS operators and punctuation in it
// are never interpreted. An empty query is ErrEmptyQuery; one of only
// punctuation matches nothing.
func SearchPosts(q Querier, query string, f PostFilter, limit int) (SearchResult, error) {
	phrases, err := parseQuery(query)
	if err != nil || len(phrases) == 0 {
		return SearchResult{}, err
	}
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	// The index is walked newest first, so LIMIT stops it early; a filter
	// is checked per match against post_search_docs.
	from := " FROM post_search"
	conds, fargs := postConditions(f, "d.")
	if len(conds) > 0 {
		from += " CROSS JOIN post_search_docs d ON d.docid = post_search.docid"
	}
	from += " WHERE post_search MATCH ?"
	args := []any{matchExpression(phrases)}
	if f.From != 0 || f.To != 0 {
		// Only the docids of posts updated in the period need walking.
		lo, hi, err := docidRange(q, f)
		if err != nil || lo > hi {
			return SearchResult{}, err
		}
		from += " AND post_search.docid BETWEEN ? AND ?"
		args = append(args, lo, hi)
	}
	for _, c := range conds {
		from += " AND " + c
	}
	args = append(args, fargs...)
	const order = " ORDER BY post_search.docid DESC LIMIT ?"
	cands, err := rankCandidates(q, "SELECT post_search.docid, matchinfo(post_search, 'pcnaly')"+from+order,
		append(args, SearchRankLimit))
	if err != nil {
		return SearchResult{}, err
	}
	res := SearchResult{Total: len(cands)}
	if res.Unindexed, err = OwedSearchEntries(q); err != nil {
		return SearchResult{}, err
	}
	if len(cands) == SearchRankLimit {
		err := q.QueryRow("SELECT count(*) FROM (SELECT 1"+from+order+")", append(args, SearchCountLimit)...).Scan(&res.Total)
		if err != nil {
			return SearchResult{}, err
		}
		res.Partial = res.Total > SearchRankLimit
		res.TotalCapped = res.Total == SearchCountLimit
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		if a.docid > b.docid {
			return -1
		}
		return 1
	})
	cands = cands[:min(limit, len(cands))]
	posts, err := postsByDocid(q, cands)
	if err != nil {
		return SearchResult{}, err
	}
	res.Hits = make([]SearchHit, 0, len(cands))
	for _, c := range cands {
		p, ok := posts[c.docid]
		if !ok {
			continue
		}
		hit, err := makeHit(q, p, c, phrases)
		if err != nil {
			return SearchResult{}, err
		}
		res.Hits = append(res.Hits, hit)
	}
	return res, nil
}

// docidRange returns the smallest and largest docid of the posts updated
// within [f.From, f.To); lo > hi when there are none.
func docidRange(q Querier, f PostFilter) (lo, hi int64, err error) {
	from, to := f.From, f.To
	if from == 0 {
		from = math.MinInt64
	}
	if to == 0 {
		to = math.MaxInt64
	}
	var l, h sql.NullInt64
	err = q.QueryRow("SELECT min(docid), max(docid) FROM post_search_docs WHERE updated_at >= ? AND updated_at < ?",
		from, to).Scan(&l, &h)
	if err != nil || !l.Valid {
		return 1, 0, err
	}
	return l.Int64, h.Int64, nil
}

// rankCandidates runs query, which yields docids and matchinfo, and
// scores each match.
func rankCandidates(q Querier, query string, args []any) ([]candidate, error) {
	rows, err := q.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	var mi []byte
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.docid, &mi); err != nil {
			return nil, err
		}
		scoreMatchinfo(&c, mi)
		out = append(out, c)
	}
	return out, rows.Err()
}

// scoreMatchinfo scores a match from matchinfo(post_search, 'pcnaly'):
// phrase count p, column count c, row count n, average tokens per column
// (c values), this row's tokens per column (c values), then this row's
// hits per phrase and column (p × c values), all 32-bit little-endian. The
// score sums, over phrases and columns, the column weight times BM25's
// saturated term frequency.
func scoreMatchinfo(c *candidate, mi []byte) {
	if len(mi) < 8 {
		return
	}
	v := func(i int) float64 { return float64(binary.LittleEndian.Uint32(mi[4*i:])) }
	np, nc := int(v(0)), int(v(1))
	if nc != searchColumns || len(mi) != 4*(3+2*nc+np*nc) {
		return
	}
	for ph := range np {
		for col := range nc {
			tf := v(3 + 2*nc + ph*nc + col)
			if tf == 0 {
				continue
			}
			avg, length := v(3+col), v(3+nc+col)
			norm := 1.0
			if avg > 0 {
				norm = 1 - bm25B + bm25B*length/avg
			}
			c.score += columnWeights[col] * tf * (bm25K1 + 1) / (tf + bm25K1*norm)
			switch col {
			case 0:
				c.inTitle = true
			case 1:
				c.inBody = true
			default:
				c.inComment = true
			}
		}
	}
}

// docidScanner reads a docid ahead of a post's columns.
type docidScanner struct {
	rows  *sql.Rows
	docid *int64
}

func (d docidScanner) Scan(dest ...any) error { return d.rows.Scan(append([]any{d.docid}, dest...)...) }

// postsByDocid loads the posts of cands by docid. A post deleted since
// the match is missing from the map.
func postsByDocid(q Querier, cands []candidate) (map[int64]Post, error) {
	out := make(map[int64]Post, len(cands))
	if len(cands) == 0 {
		return out, nil
	}
	var ids strings.Builder
	for i, c := range cands {
		if i > 0 {
			ids.WriteByte(',')
		}
		ids.WriteString(strconv.FormatInt(c.docid, 10))
	}
	rows, err := q.Query("SELECT d.docid, " + postColumns + " FROM (SELECT docid, post_id FROM post_search_docs WHERE docid IN (" +
		ids.String() + ")) d JOIN posts ON posts.id = d.post_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var docid int64
		p, err := scanPost(docidScanner{rows, &docid})
		if err != nil {
			return nil, err
		}
		out[docid] = p
	}
	return out, rows.Err()
}

// makeHit marks where the query hits a ranked post.
func makeHit(q Querier, p Post, c candidate, phrases [][]token) (SearchHit, error) {
	h := SearchHit{Post: p, Score: c.score, InComments: c.inComment}
	if c.inTitle {
		h.TitleRanges = highlight(p.Title, phrases)
	}
	if c.inBody {
		h.BodyRanges = highlight(p.Body, phrases)
	}
	if len(h.BodyRanges) > 0 || !c.inComment {
		h.Snippet, h.SnippetRanges = makeSnippet(p.Body, h.BodyRanges)
		return h, nil
	}
	comments, err := PostComments(q, p.ID)
	if err != nil {
		return SearchHit{}, err
	}
	for _, cm := range comments {
		if r := highlight(cm.Body, phrases); len(r) > 0 {
			h.Snippet, h.SnippetRanges = makeSnippet(cm.Body, r)
			return h, nil
		}
	}
	// A phrase that runs from one comment into the next matches the
	// index but no single comment.
	h.Snippet, h.SnippetRanges = makeSnippet(p.Body, nil)
	return h, nil
}
