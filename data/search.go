package data

// Full-text search over posts (schema 5).
//
// go-sqlite3's default build has FTS3/FTS4 but no tokenizer that splits
// Chinese: FTS4's simple and unicode61 tokenizers take a run of Han
// characters for one word, and a trigram index cannot match queries of one
// or two characters. So the index holds pre-segmented text. search_text(x),
// a deterministic Go function registered on every connection, turns text
// into tokens separated by single spaces: every Han or kana character is a
// token of its own, a run of other letters, digits and combining marks is
// one token, letters are lower-cased and full-width ASCII is folded to
// ASCII; everything else (spaces, punctuation, symbols) only separates.
// FTS4's simple tokenizer then splits on the spaces. A query of N
// characters becomes the phrase "c1 c2 … cN" and so matches wherever those
// characters stand next to each other, for N = 1 as well as N = 10.
//
// Triggers (migration 5) keep the index in step with posts and
// post_comments inside the writing transaction; they call search_text, so
// replaying the journal rebuilds the same index. post_search stores the
// segmented text itself, so a later build whose Unicode tables differ still
// removes exactly the tokens an earlier one indexed.

import (
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-sqlite3"
)

// searchTextFunc is the SQL name of the segmenting function.
const searchTextFunc = "search_text"

// registerSearchFuncs adds search_text to a new connection.
func registerSearchFuncs(c *sqlite3.SQLiteConn) error {
	return c.RegisterFunc(searchTextFunc, segmentText, true)
}

// Search limits.
const (
	// DefaultSearchLimit is the number of hits SearchPosts returns when
	// asked for none.
	DefaultSearchLimit = 50
	// MaxQueryRunes is the longest query SearchPosts accepts.
	MaxQueryRunes = 200
	// maxRanked caps how many matching posts are scored: when more match,
	// only the most recently created maxRanked are ranked (Total still
	// counts all). This keeps a one-character query that matches most posts
	// (的) within budget.
	maxRanked = 2000
	// snippetRunes is about how long a snippet is, without its ellipses.
	snippetRunes = 80
	// snippetLead is how much text a snippet shows before its first hit.
	snippetLead = 20
)

// Column weights for ranking: a hit in the title counts for ten in the
// body, a hit in the comments for half of one in the body.
var columnWeights = [searchColumns]float64{10, 1, 0.5}

// searchColumns is the number of indexed columns: title, body, comments.
const searchColumns = 3

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
// between words; such characters are indexed one at a time.
func isIdeograph(r rune) bool {
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

// scanTokens calls emit for each search token of s in order, with its
// text (valid only during the call) and its rune offsets in s, [start, end).
func scanTokens(s string, emit func(tok []rune, start, end int)) {
	var word []rune
	var buf [1]rune
	start, i := -1, 0
	flush := func() {
		if start >= 0 {
			emit(word, start, i)
			word, start = word[:0], -1
		}
	}
	for _, r := range s {
		r = foldRune(r)
		switch {
		case isIdeograph(r):
			flush()
			buf[0] = r
			emit(buf[:], i, i+1)
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

// segmentText returns s as the index stores it: its tokens separated by
// single spaces. It is the SQL function search_text.
func segmentText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/3)
	scanTokens(s, func(tok []rune, _, _ int) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		for _, r := range tok {
			b.WriteRune(r)
		}
	})
	return b.String()
}

// token is a search token and where it lies in its text, in runes.
type token struct {
	text       string
	start, end int
}

// tokenize returns the search tokens of s.
func tokenize(s string) []token {
	var out []token
	scanTokens(s, func(tok []rune, start, end int) {
		out = append(out, token{string(tok), start, end})
	})
	return out
}

// parseQuery splits a query into phrases: each run of text between
// spaces is one phrase of its tokens, and a post must hold every phrase.
// Nothing in the query is FTS syntax: quotes, stars, dashes, colons and
// parentheses only separate tokens, and OR, AND, NOT or NEAR are lower-cased
// into plain words.
func parseQuery(query string) ([][]string, error) {
	if strings.TrimSpace(query) == "" {
		return nil, ErrEmptyQuery
	}
	if utf8.RuneCountInString(query) > MaxQueryRunes {
		return nil, ErrQueryTooLong
	}
	var phrases [][]string
	for _, chunk := range strings.Fields(query) {
		var ph []string
		for _, t := range tokenize(chunk) {
			ph = append(ph, t.text)
		}
		if len(ph) > 0 && !slices.ContainsFunc(phrases, func(p []string) bool { return slices.Equal(p, ph) }) {
			phrases = append(phrases, ph)
		}
	}
	return phrases, nil
}

// matchExpression writes phrases as an FTS4 MATCH expression: each phrase
// quoted, all of them required. Tokens hold only letters, digits and marks,
// so nothing in them can close a quote or act as an operator.
func matchExpression(phrases [][]string) string {
	var b strings.Builder
	for i, ph := range phrases {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(strings.Join(ph, " "))
		b.WriteByte('"')
	}
	return b.String()
}

// Range is a highlighted span of a text, in runes (not bytes): the hit is
// string([]rune(text)[Start:End]).
type Range struct {
	Start, End int
}

// findRanges returns where phrases occur in toks, as sorted ranges of the
// original text; overlapping hits are merged.
func findRanges(toks []token, phrases [][]string) []Range {
	var out []Range
	for i := range toks {
		for _, ph := range phrases {
			if i+len(ph) > len(toks) {
				continue
			}
			ok := true
			for k, w := range ph {
				if toks[i+k].text != w {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			r := Range{toks[i].start, toks[i+len(ph)-1].end}
			if n := len(out); n > 0 && r.Start < out[n-1].End {
				out[n-1].End = max(out[n-1].End, r.End)
			} else {
				out = append(out, r)
			}
		}
	}
	return out
}

// highlight returns the ranges where phrases occur in text.
func highlight(text string, phrases [][]string) []Range {
	return findRanges(tokenize(text), phrases)
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
	Hits  []SearchHit
	Total int // posts that match the query and the filter
	// Partial is set when more posts matched than are ranked: the hits are
	// the best of the most recently created matches.
	Partial bool
}

// candidate is a matching post before it is ranked.
type candidate struct {
	id        string
	updatedAt int64
	score     float64
	inTitle   bool
	inBody    bool
	inComment bool
}

// SearchPosts finds the posts whose title, body or comments hold every
// term of query, narrowed by f (Status, AuthorID, Category, Target, From
// and To; its order and paging fields are ignored), and returns the best
// limit of them (DefaultSearchLimit when limit ≤ 0), ranked by a BM25
// score in which a title hit weighs most, newest first among equal scores.
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
	match := matchExpression(phrases)
	conds, fargs := postConditions(f, "p.")
	// CROSS JOIN keeps the full-text index as the outer loop, walked newest
	// first, so LIMIT stops it early.
	from := ` FROM post_search CROSS JOIN post_search_docs d ON d.docid = post_search.docid
		CROSS JOIN posts p ON p.id = d.post_id WHERE post_search MATCH ?`
	for _, c := range conds {
		from += " AND " + c
	}
	args := append([]any{match}, fargs...)
	cands, err := rankCandidates(q, from, args)
	if err != nil {
		return SearchResult{}, err
	}
	res := SearchResult{Total: len(cands)}
	if len(cands) == maxRanked {
		countQuery := "SELECT count(*)" + from
		if len(conds) == 0 {
			countQuery = "SELECT count(*) FROM post_search WHERE post_search MATCH ?"
		}
		if err := q.QueryRow(countQuery, args...).Scan(&res.Total); err != nil {
			return SearchResult{}, err
		}
		res.Partial = res.Total > len(cands)
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		switch {
		case a.score != b.score:
			if a.score > b.score {
				return -1
			}
			return 1
		case a.updatedAt != b.updatedAt:
			if a.updatedAt > b.updatedAt {
				return -1
			}
			return 1
		}
		return strings.Compare(a.id, b.id)
	})
	cands = cands[:min(limit, len(cands))]
	res.Hits = make([]SearchHit, 0, len(cands))
	for _, c := range cands {
		hit, err := makeHit(q, c, phrases)
		if err != nil {
			return SearchResult{}, err
		}
		res.Hits = append(res.Hits, hit)
	}
	return res, nil
}

// rankCandidates reads up to maxRanked matches, newest first, and scores
// each from its matchinfo.
func rankCandidates(q Querier, from string, args []any) ([]candidate, error) {
	rows, err := q.Query("SELECT p.id, p.updated_at, matchinfo(post_search, 'pcnaly')"+from+
		" ORDER BY post_search.docid DESC LIMIT ?", append(args, maxRanked)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	var mi []byte
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.id, &c.updatedAt, &mi); err != nil {
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
	v := func(i int) float64 { return float64(binary.LittleEndian.Uint32(mi[4*i:])) }
	if len(mi) < 12 {
		return
	}
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

// makeHit loads a ranked post and marks where the query hits it.
func makeHit(q Querier, c candidate, phrases [][]string) (SearchHit, error) {
	p, err := PostByID(q, c.id)
	if err != nil {
		return SearchHit{}, err
	}
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
	comments, err := PostComments(q, c.id)
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
