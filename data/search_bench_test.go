package data

// Benchmarks for post search and the post list over 100,000 generated
// posts in a sealed store (go test -run '^$' -bench 'Search100k|PostList100k' ./data):
//
//	BenchmarkSearch100k/{1,2,4}char   p95 ≤ 20 ms (reported as p95-ms)
//	BenchmarkPostList100k/*           a page of 200 from the middle of the list
//
// The corpus is built once per process: 100,000 posts written at schema
// 4 in transactions of 2,000, then the later migrations run, so that the
// search index is built the way an upgrade builds it (the build time and
// the database size before and after are logged). It takes a minute or
// two; TestMain removes it.

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

const (
	benchCorpusPosts = 100_000
	benchCorpusBatch = 2_000
)

func TestMain(m *testing.M) {
	code := m.Run()
	benchCorpus.remove()
	os.Exit(code)
}

// corpus is the shared store of generated posts.
type corpus struct {
	once sync.Once
	err  error
	dir  string
	s    *Store
}

var benchCorpus corpus

func (c *corpus) remove() {
	if c.s != nil {
		abandon(c.s)
	}
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

// benchCommon is the general police-media vocabulary, with rough weights:
// function characters are frequent, the county's name less so.
var benchCommon = []struct {
	w string
	n int
}{
	{"的", 40}, {"了", 10}, {"在", 10}, {"是", 8}, {"和", 8}, {"对", 4}, {"将", 3}, {"为", 4}, {"有", 4}, {"与", 3},
	{"民警", 8}, {"群众", 5}, {"提醒", 4}, {"进行", 4}, {"开展", 4}, {"工作", 4}, {"安全", 4}, {"社区", 3}, {"宣传", 4},
	{"活动", 3}, {"我们", 3}, {"广大", 2}, {"市民", 2}, {"注意", 2}, {"防范", 2}, {"派出所", 3}, {"公安局", 2},
	{"城关派出所", 1}, {"汤阴县公安局", 1}, {"汤阴", 1}, {"汤阴县", 1}, {"警方", 2}, {"报警", 1}, {"110", 1},
	{"现场", 2}, {"近日", 2}, {"今天", 1}, {"上午", 1}, {"下午", 1}, {"目前", 1}, {"已经", 1}, {"进一步", 1},
	{"加强", 1}, {"持续", 1}, {"一名", 1}, {"男子", 1}, {"女子", 1}, {"及时", 1}, {"服务", 1}, {"平安", 1},
	{"守护", 1}, {"治安", 1}, {"社会", 1}, {"维护", 1}, {"保障", 1}, {"一起", 1}, {"提高", 1}, {"意识", 1},
	{"安阳", 1}, {"乡镇", 1}, {"村民", 1}, {"企业", 1}, {"走访", 1}, {"知识", 1}, {"案例", 1}, {"感谢", 1},
}

// benchTopics are what posts are about, most frequent first; a post
// draws a third of its words from its topic.
var benchTopics = [][]string{
	{"诈骗", "电信网络诈骗", "反诈", "反诈宣传", "冒充客服", "刷单返利", "贷款", "转账", "验证码", "陌生来电", "链接",
		"96110", "国家反诈中心", "APP", "银行卡", "资金", "损失", "QQ", "微信"},
	{"交通安全", "交警", "事故", "驾驶", "酒驾", "头盔", "电动车", "路口", "违法停车", "超速", "安全带"},
	{"案件", "嫌疑人", "抓获", "依法处理", "刑事拘留", "盗窃", "线索", "举报", "违法犯罪", "打击", "专项行动"},
	{"校园", "学生", "家长", "上学", "放学", "护学岗", "防溺水", "老师"},
	{"办理", "身份证", "户口", "便民", "窗口", "预约", "证件", "材料"},
	{"巡逻", "夜间", "节日", "春节", "国庆", "守护", "秩序", "人流"},
	{"消防", "火灾", "隐患", "排查", "灭火器", "充电", "逃生"},
	{"走失", "老人", "寻找", "救助", "家属", "监控", "找到"},
	{"队伍", "培训", "表彰", "先进", "锦旗", "事迹"},
}

var (
	benchCommonTable []string // each common word repeated by its weight
	benchStatuses    = []string{"draft", "submitted", "approved", "published", "published", "published", "published", "archived"}
	benchCats        = []string{"notice", "alert", "traffic", "antifraud", "service", "story", "recruit", "other"}
	benchTargets     = []string{`["weibo"]`, `["douyin"]`, `["wechat","weibo"]`, `["toutiao"]`, `["weibo:tangyin-jingfang"]`, `["wechat"]`}
)

func init() {
	for _, w := range benchCommon {
		for range w.n {
			benchCommonTable = append(benchCommonTable, w.w)
		}
	}
}

// benchTopic picks a topic, the first ones more often (Zipf-like).
func benchTopic(rng *rand.Rand) []string {
	return benchTopics[min(len(benchTopics)-1, int(rng.ExpFloat64()*2.5))]
}

// benchText writes about n runes of sentences on topic.
func benchText(rng *rand.Rand, topic []string, n int) string {
	var b strings.Builder
	runes := 0
	for runes < n {
		for range 5 + rng.IntN(10) {
			w := benchCommonTable[rng.IntN(len(benchCommonTable))]
			switch r := rng.IntN(30); {
			case r < 10:
				w = topic[rng.IntN(len(topic))]
			case r == 10:
				w = fmt.Sprintf("%d年%d月%d日", 2022+rng.IntN(4), 1+rng.IntN(12), 1+rng.IntN(28))
			}
			b.WriteString(w)
			runes += utf8.RuneCountInString(w)
		}
		b.WriteString([]string{"，", "，", "。", "！", "：", "。\n"}[rng.IntN(6)])
		runes++
	}
	return b.String()
}

// benchPost generates post i: created in order over three years, body
// 300–1000 runes, one in five with a comment or two.
func benchPost(rng *rand.Rand, i int) (Post, []PostComment) {
	topic := benchTopic(rng)
	created := int64(1_700_000_000_000) + int64(i)*900_000 + rng.Int64N(600_000)
	p := Post{ID: fmt.Sprintf("post-%06d", i), OwnerUnit: "unit", AuthorID: fmt.Sprintf("u%02d", rng.IntN(20)),
		Title: strings.TrimRight(benchText(rng, topic, 8+rng.IntN(12)), "，。！：\n"), Body: benchText(rng, topic, 300+rng.IntN(700)),
		Category: benchCats[rng.IntN(len(benchCats))], Targets: benchTargets[rng.IntN(len(benchTargets))],
		Status: benchStatuses[rng.IntN(len(benchStatuses))], ContentHash: []byte{byte(i)},
		CreatedAt: created, UpdatedAt: created + rng.Int64N(86_400_000*30), Version: 1}
	var cs []PostComment
	if rng.IntN(5) == 0 {
		for k := range 1 + rng.IntN(2) {
			cs = append(cs, PostComment{ID: fmt.Sprintf("c-%06d-%d", i, k), PostID: p.ID, At: created + int64(k+1)*60_000,
				Author: "u00", Body: benchText(rng, topic, 10+rng.IntN(40))})
		}
	}
	return p, cs
}

// dbBytes is the size of the in-memory database.
func dbBytes(tb testing.TB, q Querier) int64 {
	var n int64
	if err := q.QueryRow("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// corpusStore returns the shared store of benchCorpusPosts posts at the
// newest schema, building it on first use.
func corpusStore(b *testing.B) *Store {
	c := &benchCorpus
	c.once.Do(func() {
		c.dir, c.err = os.MkdirTemp("", "mediadesk-bench-")
		if c.err != nil {
			return
		}
		opts := testOpts
		opts.schemaLimit = 4
		opts.CompactBytes = 1 << 40 // no snapshot rewrites while loading
		s, _, err := Create(c.dir, "admin", testPassword, opts, nil)
		if c.err = err; err != nil {
			return
		}
		c.s = s
		c.err = s.Write(func(tx *Tx) error {
			for i := range 20 {
				if err := InsertUser(tx, User{ID: fmt.Sprintf("u%02d", i), Name: fmt.Sprint("user", i), DisplayName: "警官", Role: "officer", Active: true}); err != nil {
					return err
				}
			}
			return nil
		})
		rng := rand.New(rand.NewPCG(1, 2))
		start := time.Now()
		for i := 0; i < benchCorpusPosts && c.err == nil; i += benchCorpusBatch {
			c.err = s.Write(func(tx *Tx) error {
				for k := i; k < i+benchCorpusBatch; k++ {
					p, cs := benchPost(rng, k)
					if err := saveSchema4Post(tx, p); err != nil {
						return err
					}
					for _, cm := range cs {
						if err := AddPostComment(tx, cm); err != nil {
							return err
						}
					}
				}
				return nil
			})
		}
		if c.err != nil {
			return
		}
		load, before := time.Since(start), dbBytes(b, s.Reader())
		s.opts.schemaLimit = 0
		start = time.Now()
		if c.err = s.migrate(); c.err != nil {
			return
		}
		index, after := time.Since(start), dbBytes(b, s.Reader())
		fmt.Fprintf(os.Stderr, "corpus: %d posts written at schema 4 in %v (%d MiB); migrations to %d (search index) in %v; database %d MiB (+%d MiB)\n",
			benchCorpusPosts, load.Round(time.Millisecond), before>>20, SchemaVersion, index.Round(time.Millisecond), after>>20, (after-before)>>20)
	})
	if c.err != nil {
		b.Fatal(c.err)
	}
	return c.s
}

// reportLatency reports the median and 95th percentile of ds in ms.
func reportLatency(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	at := func(p float64) float64 {
		return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(float64(ds[len(ds)-1])/float64(time.Millisecond), "max-ms")
}

func BenchmarkSearch100k(b *testing.B) {
	s := corpusStore(b)
	q := s.Reader()
	cases := []struct {
		name    string
		filter  PostFilter
		queries []string
	}{
		{"1char", PostFilter{}, []string{"诈", "的", "警", "汤", "骗", "火", "酒", "码"}},
		{"2char", PostFilter{}, []string{"汤阴", "诈骗", "民警", "社区", "反诈", "酒驾", "消防", "走失"}},
		{"4char", PostFilter{}, []string{"网络诈骗", "反诈宣传", "交通安全", "冒充客服", "依法处理", "城关派出", "汤阴县公", "民警提醒"}},
		{"2char_published", PostFilter{Status: "published"}, []string{"汤阴", "诈骗", "民警", "社区", "反诈", "酒驾", "消防", "走失"}},
		{"1char_category_month", PostFilter{Category: "traffic", From: 1_720_000_000_000, To: 1_722_600_000_000},
			[]string{"诈", "的", "警", "汤", "骗", "火", "酒", "码"}},
		{"2char_target", PostFilter{Target: "weibo:tangyin-jingfang"}, []string{"汤阴", "诈骗", "民警", "社区", "反诈", "酒驾", "消防", "走失"}},
		{"mixed", PostFilter{}, []string{"汤阴 诈骗", "APP 下载", "96110", "2024年3月", "民警 110", "反诈 App 转账"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for _, query := range c.queries {
				res, err := SearchPosts(q, query, c.filter, 0)
				if err != nil {
					b.Fatal(err)
				}
				b.Logf("%-12s total %6d, %2d hits, partial %v", query, res.Total, len(res.Hits), res.Partial)
			}
			var ds []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				if _, err := SearchPosts(q, c.queries[i%len(c.queries)], c.filter, 0); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
				i++
			}
			reportLatency(b, ds)
		})
	}
}

func BenchmarkPostList100k(b *testing.B) {
	s := corpusStore(b)
	q := s.Reader()
	cases := []struct {
		name   string
		filter PostFilter
		offset bool // page by OFFSET instead of a cursor
	}{
		{"updated", PostFilter{}, false},
		{"updated_offset", PostFilter{}, true},
		{"created", PostFilter{OrderBy: "created"}, false},
		{"title", PostFilter{OrderBy: "title"}, false},
		{"status", PostFilter{Status: "draft"}, false},
		{"author", PostFilter{AuthorID: "u07"}, false},
		{"category", PostFilter{Category: "traffic"}, false},
		{"target", PostFilter{Target: "weibo:tangyin-jingfang"}, false},
		{"dates_status", PostFilter{Status: "published", From: 1_720_000_000_000, To: 1_750_000_000_000}, false},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			f := c.filter
			n, err := CountPosts(q, f)
			if err != nil {
				b.Fatal(err)
			}
			// The page that starts in the middle of the list.
			f.Limit, f.Offset = 1, n/2-1
			mid, err := ListPosts(q, f)
			if err != nil || len(mid) != 1 {
				b.Fatalf("middle post: %v %v", mid, err)
			}
			f.Limit, f.Offset = 200, 0
			if c.offset {
				f.Offset = n / 2
			} else {
				f.After = mid[0].Cursor()
			}
			var ds []time.Duration
			for b.Loop() {
				start := time.Now()
				page, err := ListPosts(q, f)
				if err != nil || len(page) != min(200, n-n/2) {
					b.Fatalf("page of %d (%v)", len(page), err)
				}
				ds = append(ds, time.Since(start))
			}
			reportLatency(b, ds)
		})
	}
	b.Run("count", func(b *testing.B) {
		var ds []time.Duration
		for b.Loop() {
			start := time.Now()
			if _, err := CountPosts(q, PostFilter{Status: "published"}); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(start))
		}
		reportLatency(b, ds)
	})
}
