package checker

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseLexiconOK(t *testing.T) {
	src := "\uFEFF# HQ lexicon\n\n" +
		`{"id":"t1","term":"涉密","category":"art18.2","action":"BLOCK","note":"保密"}` + "\n" +
		"   \n" +
		`  {"id":"t2","term":"反恐","category":"art20.major_sensitive","action":"NEEDS_APPROVAL","allow":["反恐演练","反 恐 宣 传"]}  ` + "\r\n" +
		`{"id":"t3","term":"網傳","category":"art18.6","action":"WARN"}`
	terms, err := ParseLexicon(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(terms) != 3 {
		t.Fatalf("got %d terms, want 3", len(terms))
	}
	if terms[1].ID != "t2" || terms[1].Action != NeedsApproval || len(terms[1].Allow) != 2 || terms[0].Note != "保密" {
		t.Errorf("unexpected terms: %+v", terms)
	}
}

func TestParseLexiconErrors(t *testing.T) {
	good := `{"id":"ok","term":"涉密","category":"art18.2","action":"BLOCK"}`
	cases := []struct {
		name, line string
		want       []string // substrings of the error
	}{
		{"action", `{"id":"a","term":"涉密","category":"art18.2","action":"block"}`, []string{"第 3 行：action 必须是 BLOCK、NEEDS_APPROVAL 或 WARN", "line 3: action must be BLOCK, NEEDS_APPROVAL or WARN"}},
		{"empty id", `{"id":"","term":"涉密","category":"art18.2","action":"BLOCK"}`, []string{"第 3 行：id 不能为空", "line 3: id must not be empty"}},
		{"missing term", `{"id":"a","category":"art18.2","action":"BLOCK"}`, []string{"第 3 行：term 不能为空", "line 3: term must not be empty"}},
		{"category", `{"id":"a","term":"涉密","category":"art19","action":"BLOCK"}`, []string{"第 3 行：category \"art19\" 不是已知类别", "line 3: category \"art19\" is unknown"}},
		{"duplicate id", `{"id":"ok","term":"绝密","category":"art18.2","action":"BLOCK"}`, []string{"第 3 行：id \"ok\" 与第 2 行重复", "line 3: id \"ok\" duplicates line 2"}},
		{"punctuation term", `{"id":"a","term":" 。！ ","category":"art18.2","action":"BLOCK"}`, []string{"第 3 行：term", "规范化后为空", "line 3:", "empty after normalisation"}},
		{"bad json", `{"id":"a",`, []string{"第 3 行：不是有效的 JSON 对象", "line 3: not a valid JSON object"}},
		{"not an object", `["涉密"]`, []string{"第 3 行：不是有效的 JSON 对象"}},
		{"unknown field", `{"id":"a","term":"涉密","catgory":"art18.2","action":"BLOCK"}`, []string{"第 3 行：未知字段 \"catgory\"", "line 3: unknown field \"catgory\""}},
		{"two objects", good[:len(good)-1] + `,"id":"b"} {}`, []string{"第 3 行：一行只能有一个 JSON 对象"}},
		{"allow without term", `{"id":"a","term":"反恐","category":"art20.major_sensitive","action":"WARN","allow":["演练"]}`, []string{"第 3 行：allow 第 1 项 \"演练\" 必须包含 term \"反恐\"", "line 3: allow entry 1"}},
		{"allow is the term", `{"id":"a","term":"反恐","category":"art20.major_sensitive","action":"WARN","allow":["反恐演练","反 恐"]}`, []string{"第 3 行：allow 第 2 项 \"反 恐\" 规范化后就是 term \"反恐\" 本身", "line 3: allow entry 2 \"反 恐\" is the term \"反恐\" itself after normalisation"}},
		{"allow is the term, traditional", `{"id":"a","term":"国保","category":"art18.2","action":"BLOCK","allow":["國保"]}`, []string{"第 3 行：allow 第 1 项 \"國保\" 规范化后就是 term \"国保\" 本身", "line 3: allow entry 1"}},
		{"empty allow", `{"id":"a","term":"反恐","category":"art20.major_sensitive","action":"WARN","allow":["反恐演练"," "]}`, []string{"第 3 行：allow 第 2 项"}},
		{"id with space", `{"id":"a b","term":"涉密","category":"art18.2","action":"BLOCK"}`, []string{"第 3 行：id \"a b\" 不能含空白"}},
		{"long id", `{"id":"` + strings.Repeat("x", 65) + `","term":"涉密","category":"art18.2","action":"BLOCK"}`, []string{"第 3 行：id 不能超过 64 字节"}},
		{"long line", `{"id":"a","term":"涉密","category":"art18.2","action":"BLOCK","note":"` + strings.Repeat("长", 1400) + `"}`, []string{"第 3 行：行长", "超过 4 KiB", "line 3: line is"}},
		{"very long line", `{"id":"a","note":"` + strings.Repeat("x", 20000) + `"}`, []string{"第 3 行：行太长", "line 3: line is longer than the 4 KiB limit"}},
		{"invalid utf8", "{\"id\":\"a\",\"term\":\"\xff\xfe\",\"category\":\"art18.2\",\"action\":\"BLOCK\"}", []string{"第 3 行：不是有效的 UTF-8", "line 3: not valid UTF-8"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := "# comment\n" + good + "\n" + c.line + "\n"
			terms, err := ParseLexicon(strings.NewReader(src))
			if err == nil {
				t.Fatalf("no error; terms %+v", terms)
			}
			if terms != nil {
				t.Errorf("terms returned with an error: %+v", terms)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseLexiconReportsSeveralLines(t *testing.T) {
	src := `{"id":"a","term":"涉密","category":"art18.2","action":"BLOCK"}
{"id":"b","term":"绝密","category":"nope","action":"BLOCK"}
{"id":"c","term":"机密文件","category":"art18.2","action":"STOP"}
`
	_, err := ParseLexicon(strings.NewReader(src))
	if err == nil || !strings.Contains(err.Error(), "第 2 行") || !strings.Contains(err.Error(), "第 3 行") {
		t.Fatalf("want errors for lines 2 and 3, got %v", err)
	}
	// The number of reported problems is capped.
	var b strings.Builder
	for i := range 50 {
		fmt.Fprintf(&b, `{"id":"x%d","term":"涉密","category":"bad","action":"BLOCK"}`+"\n", i)
	}
	_, err = ParseLexicon(strings.NewReader(b.String()))
	if n := strings.Count(err.Error(), "\n") + 1; n != maxErrors {
		t.Errorf("got %d problems, want %d", n, maxErrors)
	}
}

func TestParseLexiconTermLimit(t *testing.T) {
	var b strings.Builder
	for i := range MaxTerms + 1 {
		fmt.Fprintf(&b, `{"id":"%d","term":"词%d","category":"art18.12","action":"WARN"}`+"\n", i, i)
	}
	_, err := ParseLexicon(strings.NewReader(b.String()))
	want := fmt.Sprintf("第 %d 行：词条超过 200000 条上限", MaxTerms+1)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("want %q, got %v", want, err)
	}
}

func TestCompileValidates(t *testing.T) {
	ok := Term{ID: "a", Term: "涉密", Category: "art18.2", Action: Block}
	if _, err := Compile("", []Term{ok}); err == nil {
		t.Error("empty version accepted")
	}
	bad := []Term{
		{ID: "", Term: "涉密", Category: "art18.2", Action: Block},
		{ID: "a", Term: "涉密", Category: "art18.2", Action: "DENY"},
		{ID: "a", Term: "涉密", Category: "art99", Action: Block},
		{ID: "a", Term: "!!", Category: "art18.2", Action: Block},
		{ID: "a", Term: "反恐", Category: "art20.major_sensitive", Action: Warn, Allow: []string{"反恐演练", "反\u200b恐"}},
	}
	for _, b := range bad {
		if _, err := Compile("v", []Term{b}); err == nil {
			t.Errorf("Compile accepted %+v", b)
		}
	}
	self := Term{ID: "a", Term: "國保", Category: "art18.2", Action: Block, Allow: []string{"国 保"}}
	if _, err := Compile("v", []Term{self}); err == nil || !strings.Contains(err.Error(), "本身") || !strings.Contains(err.Error(), "is the term") {
		t.Errorf("allow equal to the term: got %v", err)
	}
	if _, err := Compile("v", []Term{ok, ok}); err == nil || !strings.Contains(err.Error(), "词条 2") {
		t.Errorf("duplicate id: got %v", err)
	}
	l, err := Compile("v1", nil)
	if err != nil || len(l.Check("涉密")) != 0 {
		t.Errorf("empty lexicon: %v", err)
	}
}

func TestTermsIsACopy(t *testing.T) {
	terms := []Term{{ID: "a", Term: "反恐", Category: "art20.major_sensitive", Action: NeedsApproval, Allow: []string{"反恐演练"}}}
	l, err := Compile("v", terms)
	if err != nil {
		t.Fatal(err)
	}
	terms[0].Allow[0] = "changed"
	got := l.Terms()
	got[0].Term = "x"
	got[0].Allow[0] = "y"
	again := l.Terms()
	if again[0].Term != "反恐" || again[0].Allow[0] != "反恐演练" {
		t.Errorf("lexicon was changed through a copy: %+v", again[0])
	}
	if len(l.Check("开展反恐演练")) != 0 {
		t.Error("allow context lost")
	}
}

func TestBuiltin(t *testing.T) {
	l := Builtin()
	if l != Builtin() {
		t.Error("Builtin compiles more than once")
	}
	if l.Version() != "builtin-1" {
		t.Errorf("version %q", l.Version())
	}
	terms := l.Terms()
	if len(terms) < 150 || len(terms) > 320 {
		t.Errorf("builtin has %d terms, want about 150–300", len(terms))
	}
	perCat := map[string]int{}
	for _, term := range terms {
		perCat[term.Category]++
		if term.Note == "" {
			t.Errorf("term %s has no note", term.ID)
		}
	}
	for _, c := range Categories() {
		if perCat[c.Code] == 0 {
			t.Errorf("builtin has no term for %s (%s)", c.Code, c.Label)
		}
	}
	// Sensible actions: art20/art21 approval terms, no BLOCK outside art18.
	for _, term := range terms {
		if term.Action == Block && !strings.HasPrefix(term.Category, "art18.") {
			t.Errorf("%s: BLOCK in %s", term.ID, term.Category)
		}
		if term.Action == NeedsApproval && strings.HasPrefix(term.Category, "art18.") {
			t.Errorf("%s: NEEDS_APPROVAL in %s", term.ID, term.Category)
		}
	}
}

func TestCategories(t *testing.T) {
	cats := Categories()
	if len(cats) != 21 {
		t.Fatalf("%d categories", len(cats))
	}
	for i := 1; i <= 12; i++ {
		code := fmt.Sprintf("art18.%d", i)
		c, ok := CategoryInfo(code)
		if !ok || c.Label == "" || c.LabelEN == "" || !strings.HasPrefix(c.Article, "第十八条第（") {
			t.Errorf("%s: %+v %v", code, c, ok)
		}
	}
	if c, _ := CategoryInfo("art18.11"); c.Label != "涉及个人隐私和商业秘密" || c.Article != "第十八条第（十一）项" {
		t.Errorf("art18.11: %+v", c)
	}
	for _, code := range []string{"art20.major_sensitive", "art21.major_police_info", "art21.major_vicious_case", "art21.mass_incident",
		"art21.ethnic_religious", "art21.revenge_minors", "art21.foreign", "art21.disaster_epidemic", "art21.statistics"} {
		if _, ok := CategoryInfo(code); !ok {
			t.Errorf("%s missing", code)
		}
	}
	if _, ok := CategoryInfo("art19"); ok {
		t.Error("art19 known")
	}
	cats[0].Label = "x"
	if c, _ := CategoryInfo("art18.1"); c.Label == "x" {
		t.Error("Categories returned the table itself")
	}
}
