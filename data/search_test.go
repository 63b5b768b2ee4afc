package data

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// searchStore returns a new store with two users, u1 and u2.
func searchStore(t testing.TB) (*Store, string) {
	t.Helper()
	s, dir, _ := newTestStore(t)
	t.Cleanup(func() { abandon(s) })
	mustWrite(t, s, func(tx *Tx) error {
		for _, id := range []string{"u1", "u2"} {
			if err := InsertUser(tx, User{ID: id, Name: "user-" + id, DisplayName: id, Role: "officer", Active: true}); err != nil {
				return err
			}
		}
		return nil
	})
	return s, dir
}

// testPost is a draft by u1 for weibo, created and updated at the given time.
func testPost(id, title, body string, at int64) Post {
	return Post{ID: id, OwnerUnit: "unit", AuthorID: "u1", Title: title, Body: body, Category: "notice",
		Targets: `["weibo"]`, Status: "draft", ContentHash: []byte{1}, CreatedAt: at, UpdatedAt: at, Version: 1}
}

func savePosts(t testing.TB, s *Store, posts ...Post) {
	t.Helper()
	mustWrite(t, s, func(tx *Tx) error {
		for _, p := range posts {
			if err := SavePost(tx, p); err != nil {
				return err
			}
		}
		return nil
	})
}

func addComment(t testing.TB, s *Store, id, postID, body string, at int64) {
	t.Helper()
	mustWrite(t, s, func(tx *Tx) error {
		return AddPostComment(tx, PostComment{ID: id, PostID: postID, At: at, Author: "u2", Body: body})
	})
}

func search(t testing.TB, q Querier, query string, f PostFilter) SearchResult {
	t.Helper()
	res, err := SearchPosts(q, query, f, 0)
	if err != nil {
		t.Fatalf("search %q: %v", query, err)
	}
	return res
}

// hitIDs lists the IDs of a result's hits in rank order.
func hitIDs(res SearchResult) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Post.ID)
	}
	return out
}

// wantHits checks the hits of query as a set (in rank order when ordered)
// and that Total agrees.
func wantHits(t *testing.T, q Querier, query string, f PostFilter, ordered bool, want ...string) SearchResult {
	t.Helper()
	res := search(t, q, query, f)
	got := hitIDs(res)
	if !ordered {
		slices.Sort(got)
		want = slices.Sorted(slices.Values(want))
	}
	if !slices.Equal(got, want) || res.Total != len(want) {
		t.Fatalf("search %q: hits %v (total %d), want %v", query, got, res.Total, want)
	}
	return res
}

// substrings returns the text each range covers.
func substrings(text string, rs []Range) []string {
	runes := []rune(text)
	var out []string
	for _, r := range rs {
		out = append(out, string(runes[r.Start:r.End]))
	}
	return out
}

// checkSearchIndex verifies that post_search_docs holds one row per post
// with the post's filter columns, that the FTS index agrees with the
// text it was built from, and that it was built by this segmentation.
func checkSearchIndex(t *testing.T, s *Store) {
	t.Helper()
	q := s.Reader()
	var posts, docs, wrong int
	var version string
	for query, dst := range map[string]any{
		"SELECT count(*) FROM posts":            &posts,
		"SELECT count(*) FROM post_search_docs": &docs,
		`SELECT count(*) FROM posts p JOIN post_search_docs d ON d.post_id = p.id WHERE d.status IS NOT p.status
			OR d.author_id IS NOT p.author_id OR d.category IS NOT p.category OR d.targets IS NOT p.targets
			OR d.updated_at IS NOT p.updated_at`: &wrong,
		"SELECT version FROM post_search_version": &version,
	} {
		if err := q.QueryRow(query).Scan(dst); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	if docs != posts || wrong != 0 || version != searchVersion {
		t.Fatalf("search index: %d posts, %d indexed, %d stale, version %q", posts, docs, wrong, version)
	}
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("INSERT INTO post_search(post_search) VALUES ('integrity-check')")
		return err
	})
}

func TestIndexText(t *testing.T) {
	for in, want := range map[string]string{
		"汤阴县公安局":                      "汤阴 阴县 县公 公安 安局 局",
		"汤阴APP":                       "汤阴 阴 app",
		"Hello, World! 2024年3月":       "hello world 2024 年 3 月",
		"ＡＰＰ下载１２３，（微信）":               "app 下载 载 123 微信 信",
		"“诈骗”！……电诈？":                  "诈骗 骗电 电诈 诈",
		"e\u0301cole naïve ÉCOLE":     "e\u0301cole naïve école",
		"OR NEAR -x *y \"z\" a:b (c)": "or near x y z a b c",
		"二〇二四　年":                      "二〇 〇二 二四 四年 年",
		"ひらがなカタカナ":                    "ひら らが がな なカ カタ タカ カナ ナ",
		"emoji 👮‍♀️🚓 ok":              "emoji ok",
		"bad \xff\xfe utf8":           "bad utf8",
		"tab\tand\nnewline":           "tab and newline",
		"":                            "",
		"，。！":                         "",
		"诈":                           "诈",
	} {
		if got := indexText(in); got != want {
			t.Errorf("indexText(%q) = %q, want %q", in, got, want)
		}
	}
	// Base tokens point at the original text, whatever folding did.
	text := "ＡＰＰ里的“汤阴”"
	var got []string
	scanTokens(text, func(tok []rune, _ bool, start, end int) {
		got = append(got, string(tok)+"="+string([]rune(text)[start:end]))
	})
	if want := []string{"app=ＡＰＰ", "里=里", "的=的", "汤=汤", "阴=阴"}; !slices.Equal(got, want) {
		t.Fatalf("tokens %v, want %v", got, want)
	}
}

func TestParseQuery(t *testing.T) {
	for _, q := range []string{"", "   ", "\t\n", "　"} {
		if _, err := parseQuery(q); !errors.Is(err, ErrEmptyQuery) {
			t.Errorf("query %q: %v, want ErrEmptyQuery", q, err)
		}
	}
	if _, err := parseQuery(strings.Repeat("汤", MaxQueryRunes+1)); !errors.Is(err, ErrQueryTooLong) {
		t.Errorf("long query: %v", err)
	}
	for q, want := range map[string]string{
		"汤阴":                  `"汤阴"`,
		"诈":                   `"诈*"`,
		"民警提醒":                `"民警 警提 提醒"`,
		"汤阴 诈骗 汤阴":            `"汤阴" "诈骗"`,
		`"汤阴" OR 诈骗* -NEAR`:   `"汤阴" "or" "诈骗" "near"`,
		"汤阴派出所2024年":          `"汤阴 阴派 派出 出所 所 2024 年*"`,
		"反诈app":               `"反诈 诈 app"`,
		"app下":                `"app 下*"`,
		"title:汤阴 (a) ^b NOT": `"title 汤阴" "a" "b" "not"`,
		"* \" - ( )":          ``,
	} {
		phrases, err := parseQuery(q)
		if err != nil {
			t.Fatalf("query %q: %v", q, err)
		}
		if got := matchExpression(phrases); got != want {
			t.Errorf("query %q: match %s, want %s", q, got, want)
		}
	}
}

func TestMakeSnippet(t *testing.T) {
	long := strings.Repeat("甲", 100) + "汤阴" + strings.Repeat("乙", 100)
	snip, rs := makeSnippet(long, []Range{{100, 102}})
	if n := len([]rune(snip)); n != snippetRunes+2 || !strings.HasPrefix(snip, "…") || !strings.HasSuffix(snip, "…") {
		t.Fatalf("snippet %q (%d runes)", snip, n)
	}
	if got := substrings(snip, rs); !slices.Equal(got, []string{"汤阴"}) || rs[0].Start != snippetLead+1 {
		t.Fatalf("snippet ranges %v = %v", rs, got)
	}
	// Near the end the window slides back to stay full; line breaks become spaces.
	text := strings.Repeat("丙", 100) + "\n诈骗"
	snip, rs = makeSnippet(text, []Range{{101, 103}})
	if !strings.HasPrefix(snip, "…") || strings.HasSuffix(snip, "…") || len([]rune(snip)) != snippetRunes+1 ||
		!slices.Equal(substrings(snip, rs), []string{"诈骗"}) || strings.Contains(snip, "\n") {
		t.Fatalf("end snippet %q %v", snip, rs)
	}
	// Short text, no hits: all of it.
	if snip, rs = makeSnippet("短文", nil); snip != "短文" || rs != nil {
		t.Fatalf("short snippet %q %v", snip, rs)
	}
	// A hit longer than the window is shown whole.
	text = "前" + strings.Repeat("长", 120)
	if snip, rs = makeSnippet(text, []Range{{1, 121}}); !slices.Equal(substrings(snip, rs), []string{strings.Repeat("长", 120)}) {
		t.Fatalf("long hit snippet %q %v", snip, rs)
	}
}

func TestSearchChinese(t *testing.T) {
	s, _ := searchStore(t)
	savePosts(t, s,
		testPost("p1", "反诈宣传进社区", "城关派出所民警提醒：警惕电信网络诈骗，不要轻信陌生来电。", 1),
		testPost("p2", "汤阴县交通安全提示", "雨天路滑，请减速慢行。汤阴交警提醒您注意安全。", 2),
		testPost("p3", "阴天汤面", "今天阴天，食堂的汤很好喝。", 3),
		testPost("p4", "防范电信诈骗", "电信诈骗手段多，汤阴县公安局提醒：转账前先核实。", 4),
	)
	q := s.Reader()
	// One character: 诈 in 反诈 and 诈骗.
	res := wantHits(t, q, "诈", PostFilter{}, false, "p1", "p4")
	for _, h := range res.Hits {
		for _, sub := range append(substrings(h.Post.Title, h.TitleRanges), substrings(h.Post.Body, h.BodyRanges)...) {
			if sub != "诈" {
				t.Fatalf("%s: highlighted %q for 诈", h.Post.ID, sub)
			}
		}
	}
	// Two characters are a phrase: 汤阴 is not 阴…汤.
	res = wantHits(t, q, "汤阴", PostFilter{}, false, "p2", "p4")
	for _, h := range res.Hits {
		if h.Post.ID == "p2" {
			if got := substrings(h.Post.Title, h.TitleRanges); !slices.Equal(got, []string{"汤阴"}) || h.TitleRanges[0] != (Range{0, 2}) {
				t.Fatalf("p2 title ranges %v = %v", h.TitleRanges, got)
			}
			if got := substrings(h.Post.Body, h.BodyRanges); !slices.Equal(got, []string{"汤阴"}) {
				t.Fatalf("p2 body ranges %v", got)
			}
			if !strings.Contains(h.Snippet, "汤阴交警") || !slices.Equal(substrings(h.Snippet, h.SnippetRanges), []string{"汤阴"}) {
				t.Fatalf("p2 snippet %q %v", h.Snippet, h.SnippetRanges)
			}
		}
	}
	wantHits(t, q, "阴汤", PostFilter{}, false)
	// Four characters, in a row only: 电信网络诈骗 holds 网络诈骗 but not 电信诈骗.
	wantHits(t, q, "电信诈骗", PostFilter{}, false, "p4")
	res = wantHits(t, q, "网络诈骗", PostFilter{}, false, "p1")
	if got := substrings(res.Hits[0].Post.Body, res.Hits[0].BodyRanges); !slices.Equal(got, []string{"网络诈骗"}) {
		t.Fatalf("网络诈骗 ranges %v", got)
	}
	// Several terms: all of them, anywhere in the post.
	wantHits(t, q, "汤阴 诈骗", PostFilter{}, false, "p4")
	wantHits(t, q, "交通 转账", PostFilter{}, false)
	// Punctuation in the text does not stop a phrase, nor in the query.
	wantHits(t, q, "提醒，不要", PostFilter{}, false)
	wantHits(t, q, "提醒警惕", PostFilter{}, false, "p1")
}

func TestSearchLatinAndDigits(t *testing.T) {
	s, _ := searchStore(t)
	savePosts(t, s,
		testPost("p1", "下载国家反诈中心APP", "请认准官方 App，热线 96110。", 1),
		testPost("p2", "ＡＰＰ 全角", "２０２４年第３季度通报", 2),
		testPost("p3", "application", "2024年12月", 3),
		testPost("p4", "Wi-Fi 安全", "公共WiFi不要随意连接", 4),
	)
	q := s.Reader()
	res := wantHits(t, q, "app", PostFilter{}, false, "p1", "p2")
	for _, h := range res.Hits {
		want := map[string][]string{"p1": {"APP"}, "p2": {"ＡＰＰ"}}[h.Post.ID]
		if got := substrings(h.Post.Title, h.TitleRanges); !slices.Equal(got, want) {
			t.Fatalf("%s: title ranges %v, want %v", h.Post.ID, got, want)
		}
	}
	wantHits(t, q, "APP", PostFilter{}, false, "p1", "p2")
	wantHits(t, q, "ap", PostFilter{}, false) // whole words only
	res = wantHits(t, q, "2024", PostFilter{}, false, "p2", "p3")
	for _, h := range res.Hits {
		if got := substrings(h.Post.Body, h.BodyRanges); len(got) != 1 || (got[0] != "2024" && got[0] != "２０２４") {
			t.Fatalf("%s: 2024 ranges %v", h.Post.ID, got)
		}
	}
	wantHits(t, q, "96110", PostFilter{}, false, "p1")
	wantHits(t, q, "2024年", PostFilter{}, false, "p2", "p3")
	wantHits(t, q, "wifi", PostFilter{}, false, "p4")
	res = wantHits(t, q, "wi-fi", PostFilter{}, false, "p4")
	if got := substrings(res.Hits[0].Post.Title, res.Hits[0].TitleRanges); !slices.Equal(got, []string{"Wi-Fi"}) {
		t.Fatalf("wi-fi ranges %v", got)
	}
	// Mixed: Chinese and Latin in one term are one phrase.
	wantHits(t, q, "反诈中心app", PostFilter{}, false, "p1")
	wantHits(t, q, "反诈 App 96110", PostFilter{}, false, "p1")
	wantHits(t, q, "中心96110", PostFilter{}, false)
}

func TestSearchRanking(t *testing.T) {
	s, _ := searchStore(t)
	many := strings.Repeat("民警提醒注意防范诈骗。", 5)
	once := "民警提醒注意防范。" + strings.Repeat("天气晴。", 8) + "谨防诈骗。"
	none := strings.Repeat("今日天气晴，", 9)
	savePosts(t, s,
		testPost("title", "谨防诈骗", none, 1),    // title only
		testPost("both", "诈骗预警", many, 2),     // title and body
		testPost("many", "警情通报", many, 3),     // five in the body
		testPost("once-old", "一周回顾", once, 4), // one in the body
		testPost("once-new", "一周回顾", once, 5), // the same, newer
		testPost("comment", "一周回顾", none, 6),  // only in a comment
	)
	addComment(t, s, "c1", "comment", "谨防诈骗", 7)
	res := wantHits(t, s.Reader(), "诈骗", PostFilter{}, true, "both", "title", "many", "once-new", "once-old", "comment")
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Score > res.Hits[i-1].Score {
			t.Fatalf("scores not descending: %v", res.Hits)
		}
	}
	if res.Hits[3].Score != res.Hits[4].Score {
		t.Fatalf("identical posts scored %v and %v", res.Hits[3].Score, res.Hits[4].Score)
	}
	// The limit keeps the best.
	top, err := SearchPosts(s.Reader(), "诈骗", PostFilter{}, 2)
	if err != nil || !slices.Equal(hitIDs(top), []string{"both", "title"}) || top.Total != 6 || top.Partial {
		t.Fatalf("top 2: %v total %d partial %v (%v)", hitIDs(top), top.Total, top.Partial, err)
	}
}

func TestSearchComments(t *testing.T) {
	s, _ := searchStore(t)
	savePosts(t, s, testPost("p1", "社区活动", "周末社区开展义诊。", 1), testPost("p2", "其他", "无关内容。", 2))
	addComment(t, s, "c1", "p1", "建议补充一句：谨防冒充医生的诈骗。", 5)
	addComment(t, s, "c2", "p1", "已补充。", 6)
	res := wantHits(t, s.Reader(), "诈骗", PostFilter{}, false, "p1")
	h := res.Hits[0]
	if !h.InComments || h.TitleRanges != nil || h.BodyRanges != nil {
		t.Fatalf("comment hit: %+v", h)
	}
	if !strings.Contains(h.Snippet, "冒充医生") || !slices.Equal(substrings(h.Snippet, h.SnippetRanges), []string{"诈骗"}) {
		t.Fatalf("comment snippet %q %v", h.Snippet, h.SnippetRanges)
	}
	// A term in the body and another in a comment: the post holds both.
	res = wantHits(t, s.Reader(), "义诊 冒充", PostFilter{}, false, "p1")
	if h := res.Hits[0]; !h.InComments || !slices.Equal(substrings(h.Snippet, h.SnippetRanges), []string{"义诊"}) {
		t.Fatalf("body+comment hit: %+v", h)
	}
	// A title-only hit gets the body's start as snippet.
	res = wantHits(t, s.Reader(), "活动", PostFilter{}, false, "p1")
	if h := res.Hits[0]; h.Snippet != "周末社区开展义诊。" || h.SnippetRanges != nil || h.InComments {
		t.Fatalf("title-only hit: %+v", h)
	}
}

func TestSearchIndexFollowsChanges(t *testing.T) {
	s, dir := searchStore(t)
	q := s.Reader()
	savePosts(t, s, testPost("p1", "汤阴县反诈宣传", "民警走进社区。", 1), testPost("p2", "交通安全", "雨天慢行。", 2))
	addComment(t, s, "c1", "p1", "照片很清晰", 3)
	addComment(t, s, "c2", "p2", "注意措辞", 4)
	checkSearchIndex(t, s)
	wantHits(t, q, "社区", PostFilter{}, false, "p1")

	// Edit through SavePost (an upsert): the old text is gone, the new found.
	p := testPost("p1", "汤阴县反诈宣传", "民警走进校园。", 1)
	p.UpdatedAt, p.Version = 10, 2
	savePosts(t, s, p)
	wantHits(t, q, "社区", PostFilter{}, false)
	wantHits(t, q, "校园", PostFilter{}, false, "p1")
	// A status change does not touch the text.
	p.Status, p.UpdatedAt = "submitted", 11
	savePosts(t, s, p)
	wantHits(t, q, "校园", PostFilter{}, false, "p1")
	checkSearchIndex(t, s)

	// Comments: edited, moved, deleted.
	wantHits(t, q, "清晰", PostFilter{}, false, "p1")
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("UPDATE post_comments SET body = ? WHERE id = ?", "照片模糊", "c1")
		return err
	})
	wantHits(t, q, "清晰", PostFilter{}, false)
	wantHits(t, q, "模糊", PostFilter{}, false, "p1")
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("UPDATE post_comments SET post_id = ? WHERE id = ?", "p2", "c1")
		return err
	})
	wantHits(t, q, "模糊", PostFilter{}, false, "p2")
	checkSearchIndex(t, s)
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("DELETE FROM post_comments WHERE id = ?", "c1")
		return err
	})
	wantHits(t, q, "模糊", PostFilter{}, false)
	wantHits(t, q, "措辞", PostFilter{}, false, "p2")
	checkSearchIndex(t, s)

	// Deleting a post takes its comments and its index row with it.
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("DELETE FROM posts WHERE id = ?", "p2")
		return err
	})
	wantHits(t, q, "措辞", PostFilter{}, false)
	wantHits(t, q, "交通", PostFilter{}, false)
	checkSearchIndex(t, s)
	// A post saved again under a deleted ID is found again.
	savePosts(t, s, testPost("p2", "交通安全", "雨天慢行。", 20))
	wantHits(t, q, "交通", PostFilter{}, false, "p2")
	// REPLACE (which fires no delete trigger) still leaves one row per post.
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec(`INSERT OR REPLACE INTO posts(id, owner_unit, author_id, title, body, category, targets, status,
			content_hash, created_at, updated_at) VALUES ('p2', 'unit', 'u1', '夜间巡逻', '巡逻', 'notice', '[]', 'draft', x'01', 20, 21)`)
		return err
	})
	wantHits(t, q, "交通", PostFilter{}, false)
	wantHits(t, q, "巡逻", PostFilter{}, false, "p2")
	checkSearchIndex(t, s)

	// Replaying the journal rebuilds the same index.
	want := search(t, q, "汤阴", PostFilter{})
	abandon(s)
	s = openT(t, dir, testOpts)
	defer abandon(s)
	checkSearchIndex(t, s)
	if got := search(t, s.Reader(), "汤阴", PostFilter{}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after replay:\n%v\nwant\n%v", got, want)
	}
}

func TestSearchQueryIsPlainText(t *testing.T) {
	s, _ := searchStore(t)
	savePosts(t, s,
		testPost("p1", "诈骗 OR 汤阴", "NEAR the station; a-b", 1),
		testPost("p2", "汤阴", "只有汤阴", 2),
		testPost("p3", "诈骗", "只有诈骗", 3),
	)
	q := s.Reader()
	for query, want := range map[string][]string{
		`"`:                nil,
		`*`:                nil,
		`"汤阴`:              {"p1", "p2"},
		`汤阴"`:              {"p1", "p2"},
		`诈骗 OR 汤阴`:         {"p1"}, // "or" is a word all three must hold
		`诈骗 AND 汤阴`:        nil,
		`OR`:               {"p1"},
		`NEAR`:             {"p1"},
		`NEAR/2`:           nil, // the phrase "near 2"
		`汤阴 NEAR 诈骗`:       {"p1"},
		`-诈骗`:              {"p1", "p3"},
		`诈骗 -汤阴`:           {"p1"},
		`诈*`:               {"p1", "p3"},
		`title:汤阴`:         nil, // "title 汤 阴" as one phrase
		`body:只有`:          nil,
		`(汤阴`:              {"p1", "p2"},
		`^汤阴`:              {"p1", "p2"},
		`a-b`:              {"p1"},
		`'; DROP TABLE x;`: nil,
		`\"`:               nil,
	} {
		res, err := SearchPosts(q, query, PostFilter{}, 0)
		if err != nil {
			t.Fatalf("query %q: %v", query, err)
		}
		got := hitIDs(res)
		slices.Sort(got)
		if !slices.Equal(got, want) || res.Total != len(want) {
			t.Errorf("query %q: %v, want %v", query, got, want)
		}
	}
	for _, query := range []string{"", "  ", "\n"} {
		if _, err := SearchPosts(q, query, PostFilter{}, 0); !errors.Is(err, ErrEmptyQuery) {
			t.Errorf("query %q: %v, want ErrEmptyQuery", query, err)
		}
	}
	if !strings.Contains(ErrEmptyQuery.Error(), "搜索") || !strings.Contains(ErrEmptyQuery.Error(), "search") {
		t.Errorf("ErrEmptyQuery is not bilingual: %v", ErrEmptyQuery)
	}
}

func TestSearchFilter(t *testing.T) {
	s, _ := searchStore(t)
	a := testPost("a", "反诈宣传一", "诈骗", 100)
	b := testPost("b", "反诈宣传二", "诈骗", 200)
	b.Status, b.AuthorID, b.Category, b.Targets = "published", "u2", "alert", `["douyin","weibo:tangyin"]`
	c := testPost("c", "交通安全", "无关", 300)
	savePosts(t, s, a, b, c)
	q := s.Reader()
	for name, f := range map[string]PostFilter{
		"status":   {Status: "published"},
		"author":   {AuthorID: "u2"},
		"category": {Category: "alert"},
		"target":   {Target: "weibo:tangyin"},
		"from":     {From: 150},
		"to":       {From: 150, To: 201},
	} {
		if got := hitIDs(search(t, q, "诈骗", f)); !slices.Equal(got, []string{"b"}) {
			t.Errorf("%s: %v", name, got)
		}
	}
	wantHits(t, q, "反诈", PostFilter{To: 150}, false, "a")
	wantHits(t, q, "反诈", PostFilter{Target: "weibo"}, false, "a")
	wantHits(t, q, "反诈", PostFilter{Status: "archived"}, false)
}

// TestSearchManyMatches has more matches than are ranked, and more than
// are counted: the ranked ones are the newest, Total stops at
// SearchCountLimit, and filters apply before both caps.
func TestSearchManyMatches(t *testing.T) {
	s, _ := searchStore(t)
	n := SearchCountLimit + 300
	posts := make([]Post, 0, n)
	var withZha, withPolice int // posts holding 诈, 派出所
	for i := range n {
		p := testPost(fmt.Sprintf("p%05d", i), fmt.Sprintf("第%d期", i), "反诈宣传的一天", int64(i))
		switch {
		case i%1000 == 0:
			p.Title, p.Status = "诈骗预警", "published"
		case i >= n-SearchRankLimit-100:
			p.Body = "派出所的一天"
			withPolice++
		}
		if strings.Contains(p.Title+p.Body, "诈") {
			withZha++
		}
		posts = append(posts, p)
	}
	savePosts(t, s, posts...)
	q := s.Reader()
	res := search(t, q, "的", PostFilter{})
	if res.Total != SearchCountLimit || !res.TotalCapped || !res.Partial || len(res.Hits) != DefaultSearchLimit {
		t.Fatalf("的: total %d capped %v partial %v hits %d", res.Total, res.TotalCapped, res.Partial, len(res.Hits))
	}
	// Equal scores: newest first.
	if got := res.Hits[0].Post.ID; got != fmt.Sprintf("p%05d", n-1) {
		t.Fatalf("first hit %s", got)
	}
	// Ranked among the newest matches only: the title hits there come
	// first, the older ones are not ranked.
	res = search(t, q, "诈", PostFilter{})
	if res.Total != withZha || res.TotalCapped || !res.Partial || res.Hits[0].Post.Title != "诈骗预警" {
		t.Fatalf("诈: total %d capped %v partial %v first %q", res.Total, res.TotalCapped, res.Partial, res.Hits[0].Post.Title)
	}
	// Filters apply before the caps.
	res = search(t, q, "诈", PostFilter{Status: "published"})
	if want := (n + 999) / 1000; res.Total != want || res.Partial || len(res.Hits) != want {
		t.Fatalf("filtered: total %d partial %v hits %d", res.Total, res.Partial, len(res.Hits))
	}
	for _, h := range res.Hits {
		if h.Post.Title != "诈骗预警" || !slices.Equal(substrings(h.Post.Title, h.TitleRanges), []string{"诈"}) {
			t.Fatalf("filtered hit %q %v", h.Post.Title, h.TitleRanges)
		}
	}
	res = search(t, q, "派出所", PostFilter{})
	if res.Total != withPolice || !res.Partial || res.TotalCapped {
		t.Fatalf("派出所: total %d partial %v capped %v", res.Total, res.Partial, res.TotalCapped)
	}
}

// TestSearchRebuildsOnNewSegmentation opens a store whose index another
// segmentation built (simulated: a stale entry and an old version): the
// open rebuilds it.
func TestSearchRebuildsOnNewSegmentation(t *testing.T) {
	s, dir := searchStore(t)
	savePosts(t, s, testPost("p1", "汤阴", "诈骗", 1))
	mustWrite(t, s, func(tx *Tx) error {
		if _, err := tx.Exec("INSERT INTO post_search(docid, title, body, comments) VALUES (1, '旧分 分词 词', '', '')"); err != nil {
			return err
		}
		_, err := tx.Exec("UPDATE post_search_version SET version = 'an older build'")
		return err
	})
	wantHits(t, s.Reader(), "旧分词", PostFilter{}, false, "p1")
	s.Close()
	s = openT(t, dir, testOpts)
	defer abandon(s)
	checkSearchIndex(t, s)
	wantHits(t, s.Reader(), "旧分词", PostFilter{}, false)
	wantHits(t, s.Reader(), "诈骗", PostFilter{}, false, "p1")
}

// TestSearchMigrationIndexesExistingPosts upgrades a store holding posts
// and comments at schema 4: the migration indexes them all.
func TestSearchMigrationIndexesExistingPosts(t *testing.T) {
	dir := t.TempDir()
	opts := testOpts
	opts.schemaLimit = 4
	s, _ := createT(t, dir, opts, nil)
	mustWrite(t, s, func(tx *Tx) error {
		return InsertUser(tx, User{ID: "u1", Name: "wang", DisplayName: "王", Role: "officer", Active: true})
	})
	var posts []Post
	for i := range 50 {
		posts = append(posts, testPost(fmt.Sprintf("p%02d", i), fmt.Sprintf("第%d期警情通报", i), "辖区平安。", int64(100-i)))
	}
	posts[7].Body = "汤阴县城关派出所破获一起诈骗案。"
	mustWrite(t, s, func(tx *Tx) error {
		for _, p := range posts {
			if err := saveSchema4Post(tx, p); err != nil {
				return err
			}
		}
		return nil
	})
	addComment(t, s, "c1", "p03", "标题改成“反诈”更好", 1)
	s.Close()

	s = openT(t, dir, testOpts)
	defer abandon(s)
	if v, _ := s.UserVersion(); v != SchemaVersion {
		t.Fatalf("user_version %d", v)
	}
	checkSearchIndex(t, s)
	q := s.Reader()
	wantHits(t, q, "汤阴", PostFilter{}, false, "p07")
	wantHits(t, q, "反诈", PostFilter{}, false, "p03")
	if res := search(t, q, "警情通报", PostFilter{}); res.Total != 50 {
		t.Fatalf("警情通报: %d", res.Total)
	}
	// Docids of existing posts follow their creation, oldest first.
	var first string
	if err := q.QueryRow("SELECT post_id FROM post_search_docs ORDER BY docid LIMIT 1").Scan(&first); err != nil || first != "p49" {
		t.Fatalf("first docid: %s %v", first, err)
	}
	// New posts and comments are indexed from then on.
	savePosts(t, s, testPost("new", "新的", "诈骗", 200))
	addComment(t, s, "c2", "p07", "好", 2)
	wantHits(t, q, "诈骗", PostFilter{}, false, "p07", "new")
	checkSearchIndex(t, s)
}

func TestListPostsKeyset(t *testing.T) {
	s, _ := searchStore(t)
	var posts []Post
	for i := range 230 {
		p := testPost(fmt.Sprintf("p%03d", (i*37)%230), fmt.Sprintf("标题%d", i%17), "正文", int64(1000+i/3)) // ties
		p.CreatedAt = int64(5000 - i/4)
		if i%3 == 0 {
			p.Status, p.Category, p.AuthorID, p.Targets = "published", "alert", "u2", `["douyin"]`
		}
		posts = append(posts, p)
	}
	savePosts(t, s, posts...)
	q := s.Reader()
	filters := map[string]PostFilter{
		"all": {}, "status": {Status: "published"}, "category": {Category: "alert"}, "author": {AuthorID: "u2"},
		"target": {Target: "douyin"}, "dates": {From: 1010, To: 1060},
	}
	for fname, f := range filters {
		for _, order := range []string{"", "created", "title"} {
			f.OrderBy = order
			all, err := ListPosts(q, f)
			if err != nil {
				t.Fatal(err)
			}
			n, err := CountPosts(q, f)
			if err != nil || n != len(all) {
				t.Fatalf("%s/%s: count %d (%v), list %d", fname, order, n, err, len(all))
			}
			var paged []string
			f.Limit = 7
			for page := 0; ; page++ {
				rows, err := ListPosts(q, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range rows {
					paged = append(paged, p.ID)
				}
				if len(rows) < f.Limit {
					break
				}
				f.After = rows[len(rows)-1].Cursor()
				if page > 100 {
					t.Fatal("paging does not end")
				}
			}
			f.After, f.Limit = PostCursor{}, 0
			var want []string
			for _, p := range all {
				want = append(want, p.ID)
			}
			if !slices.Equal(paged, want) {
				t.Fatalf("%s/%s: pages\n%v\nwant\n%v", fname, order, paged, want)
			}
		}
	}
	if n, _ := CountPosts(q, PostFilter{}); n != 230 {
		t.Fatalf("count %d", n)
	}
}
