package checker

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		in, want string
		origin   []int // nil: not checked
	}{
		{"涉 密", "涉密", []int{0, 2}},
		{"國保", "国保", []int{0, 1}},
		{"反\u200b恐", "反恐", []int{0, 2}},
		{"反\u200c\u200d\u2060\ufeff\u00ad恐", "反恐", []int{0, 6}},
		{"ＡＢＣ１２３", "abc123", []int{0, 1, 2, 3, 4, 5}},
		{"ﾃｽﾄ", "テスト", nil},
		{"Hello, World!", "helloworld", nil},
		{"涉。密！", "涉密", []int{0, 2}},
		{"涉😀密", "涉密", []int{0, 2}},
		{"涉\u3000密", "涉密", []int{0, 2}},
		{"e\u0301", "é", []int{0}},
		{"涉\u0301密", "涉密", []int{0, 2}},
		{"涉\ufe0f密", "涉密", []int{0, 2}},
		{"a㍿b", "a株式会社b", []int{0, 1, 1, 1, 1, 2}},
		{"①②", "12", []int{0, 1}},
		{"\u3164涉密", "涉密", []int{1, 2}},
		{"警察們與機關會說", "警察们与机关会说", nil},
		{"", "", []int{}},
	}
	for _, c := range cases {
		norm, origin := Normalize(c.in)
		if string(norm) != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, string(norm), c.want)
			continue
		}
		if c.origin != nil && !slices.Equal(origin, c.origin) {
			t.Errorf("Normalize(%q) origin = %v, want %v", c.in, origin, c.origin)
		}
	}
}

func TestNormalizeIdempotent(t *testing.T) {
	for _, s := range []string{"涉 密國保反\u200b恐", t2sData[:2000], "ＡＢＣ ㍿ ①", builtinData[:3000]} {
		n1, _ := Normalize(s)
		n2, _ := Normalize(string(n1))
		if !slices.Equal(n1, n2) {
			t.Errorf("Normalize is not idempotent on %q", s[:min(len(s), 40)])
		}
	}
}

func TestTraditionalToSimplified(t *testing.T) {
	pairs := map[rune]rune{
		'國': '国', '們': '们', '與': '与', '為': '为', '會': '会', '說': '说', '機': '机',
		'報': '报', '軍': '军', '團': '团', '體': '体', '賭': '赌', '門': '门', '傳': '传',
		'聯': '联', '網': '网', '號': '号', '證': '证', '資': '资', '靈': '灵', '幹': '干',
		'後': '后', '髮': '发', '發': '发', '裡': '里', '裏': '里', '鬥': '斗', '麵': '面',
	}
	for tr, want := range pairs {
		if got := t2sTable[tr-cjkLo]; got != want {
			t.Errorf("%c → %c, want %c", tr, got, want)
		}
	}
	// Characters that are the same in both scripts, or also standard
	// simplified characters, stay.
	for _, r := range "涉密恐邪乾瞭著覆藉祇彷国们" {
		if got := t2sTable[r-cjkLo]; got != 0 {
			t.Errorf("%c must not be mapped, maps to %c", r, got)
		}
	}
	n := 0
	for _, s := range t2sTable {
		if s != 0 {
			n++
		}
	}
	if n < 1500 {
		t.Errorf("table has %d pairs, want at least 1500", n)
	}
}

func TestLoadT2SRejectsBadData(t *testing.T) {
	for _, data := range []string{
		"國国 國囯",     // conflicting
		"國国 国口",     // chain
		"國",         // not a pair
		"國国國",       // three characters
		"aa",        // outside the CJK block
		"國國",        // identity
		"# x\n國国 a", // bad token after a comment
	} {
		var table [cjkHi - cjkLo + 1]rune
		if err := loadT2S(data, &table); err == nil {
			t.Errorf("loadT2S(%q) accepted bad data", data)
		}
	}
	var table [cjkHi - cjkLo + 1]rune
	if err := loadT2S("# comment 國国\n國国 國国\n們们", &table); err != nil {
		t.Errorf("loadT2S rejected good data: %v", err)
	}
}

func TestNormalizeOriginInvariants(t *testing.T) {
	inputs := []string{
		"涉 密", "a\u0301\u0302b", "\u0301start", "㍿㍿", "ﾃﾞｽ", string([]byte{0xff, 'a', 0xe4, 0xb8}),
		strings.Repeat("國保 反\u200b恐 ", 20),
	}
	for _, s := range inputs {
		checkNormalizeInvariants(t, s)
	}
}

// checkNormalizeInvariants checks the properties Normalize promises.
func checkNormalizeInvariants(t *testing.T, s string) {
	t.Helper()
	norm, origin := Normalize(s)
	if len(norm) != len(origin) {
		t.Fatalf("Normalize(%q): %d runes, %d origins", s, len(norm), len(origin))
	}
	n := utf8.RuneCountInString(s)
	for i, o := range origin {
		if o < 0 || o >= n {
			t.Fatalf("Normalize(%q): origin[%d] = %d out of range [0,%d)", s, i, o, n)
		}
		if i > 0 && o < origin[i-1] {
			t.Fatalf("Normalize(%q): origins decrease at %d: %v", s, i, origin)
		}
	}
}

// TestPunctuationFastPath justifies the shortcut in normalizer.run: no
// punctuation or space character has an NFKC form with a kept character.
func TestPunctuationFastPath(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsPunct(r) && !unicode.IsSpace(r) {
			continue
		}
		for _, c := range norm.NFKC.String(string(r)) {
			if _, kept := foldRune(c); kept {
				t.Errorf("%U %q normalises to %q, which is kept", r, r, norm.NFKC.String(string(r)))
			}
		}
	}
	for r := rune(0xFF01); r <= 0xFF5E; r++ {
		if got := norm.NFKC.String(string(r)); got != string(r-0xFEE0) {
			t.Errorf("%U: NFKC %q, want %q", r, got, string(r-0xFEE0))
		}
	}
}

func TestIsMark(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := isMark(r), unicode.In(r, unicode.Mn, unicode.Me); got != want {
			t.Fatalf("isMark(%U) = %v, want %v", r, got, want)
		}
	}
}
