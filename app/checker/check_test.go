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
		{"这是涉。密！文件", []hit{{"secret", 2, 5, "涉。密"}, {"secret-doc", 2, 8, "涉。密！文件"}}},
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
