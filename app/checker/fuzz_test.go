package checker

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzNormalizeMatch checks, for any text, that Normalize's origins are in
// range and non-decreasing, and that every finding's offsets are in range
// and select exactly its Text.
func FuzzNormalizeMatch(f *testing.F) {
	for _, s := range []string{
		"", "涉 密", "國保", "反\u200b恐", "开展反恐演练", "e\u0301\u0302", "㍿", "ﾃﾞ",
		"身份证４１０５２３１９９００３０７１２３４", "110105 19491231 002X", "110105-19491231-002x 138-0013-8000", "豫E12345 豫ED12345", "+86 138 0013 8000",
		"6222 0212 3456 7890 128", "汤阴县城关镇人民路12号3单元201室", "王某（15岁）", "初中生李某某",
		string([]byte{0xff, 0xfe, 'a'}), benchDraftPart[:600],
	} {
		f.Add(s)
	}
	small, err := Compile("fuzz", []Term{
		{ID: "a", Term: "aa", Category: "art18.12", Action: Warn},
		{ID: "b", Term: "涉密", Category: "art18.2", Action: Block, Allow: []string{"涉密人员保密培训"}},
		{ID: "c", Term: "株式", Category: "art18.12", Action: Warn},
		{ID: "d", Term: "é", Category: "art18.12", Action: Warn},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkNormalizeInvariants(t, s)
		for _, l := range []*Lexicon{Builtin(), small} {
			checkFindingsInvariants(t, l, s)
		}
	})
}

// FuzzParseLexicon checks that ParseLexicon never panics, that what it
// accepts compiles and respects the limits, and that its errors name a line.
func FuzzParseLexicon(f *testing.F) {
	f.Add([]byte(`{"id":"t1","term":"涉密","category":"art18.2","action":"BLOCK"}`))
	f.Add([]byte("# c\n\n" + `{"id":"t2","term":"反恐","category":"art20.major_sensitive","action":"NEEDS_APPROVAL","allow":["反恐演练"],"note":"n"}` + "\n"))
	f.Add([]byte(`{"id":"t3","term":"。","category":"art18.2","action":"WARN"}`))
	f.Add([]byte(`{"id":"x","term":"a"}` + "\n" + `{"id":"x","term":"a","category":"art18.1","action":"WARN"}`))
	f.Add([]byte("\xff\n{"))
	f.Add([]byte(strings.Repeat("x", 5000)))
	f.Add([]byte(builtinData[:2000]))
	f.Fuzz(func(t *testing.T, data []byte) {
		terms, err := ParseLexicon(bytes.NewReader(data))
		if err != nil {
			if terms != nil {
				t.Fatal("terms returned with an error")
			}
			if msg := err.Error(); !strings.Contains(msg, "行") || !utf8.ValidString(msg) {
				t.Fatalf("error does not name a line: %q", msg)
			}
			return
		}
		ids := map[string]bool{}
		for _, term := range terms {
			if term.ID == "" || term.Term == "" || ids[term.ID] || !term.Action.valid() {
				t.Fatalf("invalid term accepted: %+v", term)
			}
			if _, ok := CategoryInfo(term.Category); !ok {
				t.Fatalf("unknown category accepted: %+v", term)
			}
			ids[term.ID] = true
		}
		l, err := Compile("fuzz", terms)
		if err != nil {
			t.Fatalf("ParseLexicon accepted what Compile rejects: %v", err)
		}
		for _, term := range terms {
			found := false
			for _, f := range l.Check(term.Term) {
				if f.Rule == term.ID {
					found = true
				}
			}
			// A term is always found in its own text: an allow context
			// equal to the term itself is rejected.
			if !found {
				t.Fatalf("term %+v not found in its own text", term)
			}
		}
	})
}
