package checker

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// testLexicon is a small lexicon for matching tests.
func testLexicon(t testing.TB) *Lexicon {
	t.Helper()
	l, err := Compile("test-1", []Term{
		{ID: "secret", Term: "涉密", Category: "art18.2", Action: Block, Note: "保密"},
		{ID: "secret-doc", Term: "涉密文件", Category: "art18.2", Action: Block},
		{ID: "guobao", Term: "国保", Category: "art18.2", Action: Block},
		{ID: "terror", Term: "反恐", Category: "art20.major_sensitive", Action: NeedsApproval, Allow: []string{"反恐演练", "反恐宣传"}},
		{ID: "murder", Term: "命案", Category: "art21.major_vicious_case", Action: NeedsApproval},
		{ID: "gamble", Term: "賭博網站", Category: "art18.7", Action: Warn, Allow: []string{"打击赌博网站"}},
		{ID: "latin", Term: "VPN", Category: "art18.12", Action: Warn},
		{ID: "kk", Term: "株式", Category: "art18.12", Action: Warn},
		{ID: "aa", Term: "aa", Category: "art18.12", Action: Warn},
		{ID: "guobao-2", Term: "國保", Category: "art20.major_sensitive", Action: NeedsApproval},
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

type hit struct {
	rule       string
	start, end int
	text       string
}

func hits(fs []Finding) []hit {
	var out []hit
	for _, f := range fs {
		out = append(out, hit{f.Rule, f.Start, f.End, f.Text})
	}
	return out
}

func TestCheckAdversarial(t *testing.T) {
	l := testLexicon(t)
	cases := []struct {
		text string
		want []hit
	}{
		{"涉 密", []hit{{"secret", 0, 3, "涉 密"}}},
		{"國保", []hit{{"guobao", 0, 2, "國保"}, {"guobao-2", 0, 2, "國保"}}},
		{"反\u200b恐", []hit{{"terror", 0, 3, "反\u200b恐"}}},
		// A two-character term does not match across a sentence end; a
		// longer one does (see TestCheckBreaks).
		{"这是涉。密！文件", []hit{{"secret-doc", 2, 8, "涉。密！文件"}}},
		{"ＶＰＮ与vpn", []hit{{"latin", 0, 3, "ＶＰＮ"}, {"latin", 4, 7, "vpn"}}},
		{"开展反恐演练", nil},
		{"开展反 恐 宣 传活动", nil},
		{"反恐演练后发现反恐线索", []hit{{"terror", 7, 9, "反恐"}}},
		{"依法打击賭博網站", nil},
		{"某赌博网站", []hit{{"gamble", 1, 5, "赌博网站"}}},
		{"a㍿b", []hit{{"kk", 1, 2, "㍿"}}},
		{"aaa", []hit{{"aa", 0, 2, "aa"}, {"aa", 1, 3, "aa"}}},
		{"发生命\u0301案", []hit{{"murder", 2, 5, "命\u0301案"}}},
		{"一切正常", nil},
	}
	for _, c := range cases {
		got := hits(l.Check(c.text))
		if !slices.Equal(got, c.want) {
			t.Errorf("Check(%q)\n got %v\nwant %v", c.text, got, c.want)
		}
	}
}

// TestCheckBreaks: two-character terms do not match across a sentence end
// or a line break, and no term matches across the end of the first line
// (the title of a post, see app.PostText), unless the term itself is
// written across such a break.
func TestCheckBreaks(t *testing.T) {
	l := testLexicon(t)
	across, err := Compile("test-2", []Term{
		{ID: "secret", Term: "涉密", Category: "art18.2", Action: Block},
		{ID: "secret-dot", Term: "涉。密", Category: "art18.2", Action: Block},
		{ID: "secret-doc-nl", Term: "涉密\n文件", Category: "art18.2", Action: Block},
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		l    *Lexicon
		text string
		want []hit
	}{
		{l, "热爱祖国。保护环境", nil},
		{l, "祖国！保", nil},
		{l, "祖国？保", nil},
		{l, "祖国;保", nil},
		{l, "祖国……保", nil},
		{l, "祖国——保", nil},
		{l, "祖国\n保", nil},
		{l, "祖国\r\n保", nil},
		{l, "国\u2028保", nil},
		// Spaces, commas and invisible characters are not breaks.
		{l, "国 保", []hit{{"guobao", 0, 3, "国 保"}, {"guobao-2", 0, 3, "国 保"}}},
		{l, "国，保", []hit{{"guobao", 0, 3, "国，保"}, {"guobao-2", 0, 3, "国，保"}}},
		{l, "国\u200b保", []hit{{"guobao", 0, 3, "国\u200b保"}, {"guobao-2", 0, 3, "国\u200b保"}}},
		// Longer terms still match across a sentence end inside the body.
		{l, "标题\n涉。密！文件", []hit{{"secret-doc", 3, 9, "涉。密！文件"}}},
		{l, "标题\n涉密\n文件", []hit{{"secret", 3, 5, "涉密"}, {"secret-doc", 3, 8, "涉密\n文件"}}},
		// Nothing matches across the end of the title, allow contexts
		// included.
		{l, "关于涉密\n文件管理的通知", []hit{{"secret", 2, 4, "涉密"}}},
		{l, "开展反恐\n演练", []hit{{"terror", 2, 4, "反恐"}}},
		{l, "标题\n开展反恐\n演练", nil},
		{l, "加强国\n保卫工作", nil},
		{l, "\n涉密文件", []hit{{"secret", 1, 3, "涉密"}, {"secret-doc", 1, 5, "涉密文件"}}},
		// A term written across a break matches across one.
		{across, "涉。密", []hit{{"secret-dot", 0, 3, "涉。密"}}},
		{across, "涉密\n文件", []hit{{"secret", 0, 2, "涉密"}, {"secret-dot", 0, 2, "涉密"}, {"secret-doc-nl", 0, 5, "涉密\n文件"}}},
	}
	for _, c := range cases {
		got := hits(c.l.Check(c.text))
		if !slices.Equal(got, c.want) {
			t.Errorf("Check(%q)\n got %v\nwant %v", c.text, got, c.want)
		}
	}
}

func TestCheckFindingFields(t *testing.T) {
	l := testLexicon(t)
	fs := l.Check("请勿在群里转发涉密内容")
	if len(fs) != 1 {
		t.Fatalf("got %v", fs)
	}
	f := fs[0]
	if f.Category != "art18.2" || f.Action != Block || f.Article != "第十八条第（二）项" || f.LexiconVersion != "test-1" {
		t.Errorf("fields: %+v", f)
	}
	if !strings.Contains(f.Advice, "不得发布") || !strings.Contains(f.Advice, "涉密") || !strings.Contains(f.Advice, "保密") {
		t.Errorf("advice: %q", f.Advice)
	}
	if !strings.Contains(f.AdviceEN, "Must not be published") || !strings.Contains(f.AdviceEN, "Art. 18(2)") {
		t.Errorf("advice EN: %q", f.AdviceEN)
	}
	na := l.Check("命案")[0]
	if na.Action != NeedsApproval || !strings.Contains(na.Advice, "须经所在单位同意") || na.Article != "第二十一条" {
		t.Errorf("art21 advice: %+v", na)
	}
	na = l.Check("反恐")[0]
	if !strings.Contains(na.Advice, "宣传科") || na.Article != "第二十条" {
		t.Errorf("art20 advice: %+v", na)
	}
}

// TestCheckOffsetsMapBack checks on many texts that every finding's offsets
// select exactly its Text in the original.
func TestCheckOffsetsMapBack(t *testing.T) {
	texts := []string{
		benchDraft,
		"國 保\u200b大隊", "ＡＢＣ涉\ufeff密ＸＹＺ", "𠀀涉密𠀀反\u00ad恐",
		"身份证：４１０５２３１９９００３０７１２３４", "车牌：豫Ｅ·１２３４５",
	}
	for _, text := range texts {
		for _, l := range []*Lexicon{Builtin(), testLexicon(t)} {
			checkFindingsInvariants(t, l, text)
		}
	}
}

// checkFindingsInvariants checks the properties every Check result has.
func checkFindingsInvariants(t *testing.T, l *Lexicon, text string) {
	t.Helper()
	rs := []rune(text)
	fs := l.Check(text)
	for i, f := range fs {
		if f.Start < 0 || f.Start >= f.End || f.End > len(rs) {
			t.Fatalf("%q: bad offsets %+v", text, f)
		}
		if f.Text != string(rs[f.Start:f.End]) {
			t.Fatalf("%q: Text %q != original %q", text, f.Text, string(rs[f.Start:f.End]))
		}
		if _, ok := CategoryInfo(f.Category); !ok || !f.Action.valid() || f.Rule == "" || f.Advice == "" || f.AdviceEN == "" || f.Article == "" {
			t.Fatalf("%q: incomplete finding %+v", text, f)
		}
		if f.LexiconVersion != l.Version() {
			t.Fatalf("%q: version %q", text, f.LexiconVersion)
		}
		if i > 0 {
			p := fs[i-1]
			if p.Start > f.Start || (p.Start == f.Start && p.End > f.End) {
				t.Fatalf("%q: not sorted: %+v before %+v", text, p, f)
			}
		}
	}
}

func TestCheckDeterministicAndConcurrent(t *testing.T) {
	l := Builtin()
	want := l.Check(benchDraft)
	if len(want) == 0 {
		t.Fatal("the sample draft has no findings")
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				text := benchDraft
				if (g+i)%3 == 0 {
					text = "涉密" + fmt.Sprint(i) // interleave other texts through the pool
					if len(l.Check(text)) != 1 {
						errs <- "short text"
					}
					continue
				}
				if got := l.Check(text); !slices.Equal(got, want) {
					errs <- "different result"
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

func TestCheckNilLexiconUsesBuiltin(t *testing.T) {
	var l *Lexicon
	if got := l.Check("涉密"); len(got) == 0 || got[0].LexiconVersion != "builtin-1" {
		t.Errorf("got %+v", got)
	}
}

func TestBuiltinExamples(t *testing.T) {
	l := Builtin()
	cases := []struct {
		text     string
		category string
		action   Action
	}{
		{"请勿外传绝密材料", "art18.2", Block},
		{"國保大隊", "art18.2", Block},
		{"宣扬法轮功", "art18.5", Block},
		{"发生一起群体性事件", "art21.mass_incident", NeedsApproval},
		{"一起命案", "art21.major_vicious_case", NeedsApproval},
		{"反恐行动", "art20.major_sensitive", NeedsApproval},
		{"某赌博网站", "art18.7", Warn},
		{"辖区疫情", "art21.disaster_epidemic", NeedsApproval},
		{"发案率同比下降", "art21.statistics", NeedsApproval},
		{"涉外案件", "art21.foreign", NeedsApproval},
	}
	for _, c := range cases {
		found := false
		for _, f := range l.Check(c.text) {
			if f.Category == c.category && f.Action == c.action {
				found = true
			}
		}
		if !found {
			t.Errorf("Check(%q): no %s %s finding in %v", c.text, c.category, c.action, hits(l.Check(c.text)))
		}
	}
	for _, ok := range []string{"开展反恐演练", "组织反恐宣传进校园", "依法打击赌博网站", "开展保守国家秘密教育", "宣传未成年人保护法", "反邪教宣传"} {
		for _, f := range l.Check(ok) {
			if !strings.HasPrefix(f.Rule, "pii.") {
				t.Errorf("Check(%q): unexpected %+v", ok, f)
			}
		}
	}
}

// TestBuiltinOrdinaryWordsNotBlocked: built-in BLOCK terms do not fire
// inside ordinary words, and their real uses still do.
func TestBuiltinOrdinaryWordsNotBlocked(t *testing.T) {
	l := Builtin()
	for _, text := range []string{
		"开展全国保密宣传教育月活动", "全国保护未成年人", "中国保险行业协会", "热爱祖国。保护环境", "热爱祖国，保护环境",
		"我国保持稳定", "恶意抹黑警察形象", "广东突发暴雨", "山东突降大雪", "城东突发火灾", "全县统一教育培训",
		"一线人员坚守岗位", "一线人民警察", "直播在线人数", "在线人工客服", "本平台独家发布", "舞台独特的灯光",
		"新疆独特的风光", "西藏独特", "香港独特的文化", "绿绿的草地", "花花绿绿的气球", "与过去死亡人数相比",
		"独特情怀", "奇特情节",
		// A title ending with 东 and a body starting with 突发.
		"山东\n突击检查", "平安广东\n突发暴雨",
	} {
		for _, f := range l.Check(text) {
			if f.Action == Block {
				t.Errorf("Check(%q): BLOCK %s %q", text, f.Rule, f.Text)
			}
		}
	}
	for _, c := range []struct{ text, rule string }{
		{"国保大队", "b18.2-10"}, {"县局国保民警", "b18.2-10"}, {"全国国保工作会议", "b18.2-10"},
		{"东突分子", "b18.2-24"}, {"打击东突势力", "b18.2-24"}, {"东突恐怖组织", "b18.2-24"},
		{"台独势力", "b18.2-20"}, {"反对台独", "b18.2-20"}, {"疆独分子", "b18.2-22"}, {"藏独分子", "b18.2-21"},
		{"港独分子", "b18.2-23"}, {"统一教会", "b18.5-13"}, {"线人提供线索", "b18.2-14"}, {"发展线人", "b18.2-14"},
		{"绿绿们", "b18.4-03"}, {"你去死吧", "b18.8-11"}, {"特情人员", "b18.2-13"}, {"黑警", "b18.8-14"},
	} {
		found := false
		for _, f := range l.Check(c.text) {
			if f.Rule == c.rule && f.Action == Block {
				found = true
			}
		}
		if !found {
			t.Errorf("Check(%q): no BLOCK %s in %v", c.text, c.rule, hits(l.Check(c.text)))
		}
	}
}

func TestAdviceReadsOnce(t *testing.T) {
	for _, c := range Categories() {
		for _, a := range []Action{Block, NeedsApproval, Warn} {
			zh, _ := adviceFor(a, c, "词")
			if strings.Contains(zh, "涉及涉及") {
				t.Errorf("%s %s: %s", c.Code, a, zh)
			}
		}
	}
}
