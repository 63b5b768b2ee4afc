package checker

import (
	"slices"
	"testing"
	"time"
	"unicode"
)

func piiHits(t *testing.T, text string) []hit {
	t.Helper()
	// An empty lexicon: only the detectors report.
	l, err := Compile("pii", nil)
	if err != nil {
		t.Fatal(err)
	}
	return hits(l.Check(text))
}

func TestResidentID(t *testing.T) {
	cases := []struct {
		text string
		want []hit
	}{
		{"身份证410523199003071234。", []hit{{"pii.resident_id", 3, 21, "410523199003071234"}}},
		{"身份证号：11010519491231002X", []hit{{"pii.resident_id", 5, 23, "11010519491231002X"}}},
		{"41052319880602113x", []hit{{"pii.resident_id", 0, 18, "41052319880602113x"}}},
		{"全角４１０５２３１９９００３０７１２３４号", []hit{{"pii.resident_id", 2, 20, "４１０５２３１９９００３０７１２３４"}}},
		{"全角Ｘ：１１０１０５１９４９１２３１００２Ｘ", []hit{{"pii.resident_id", 4, 22, "１１０１０５１９４９１２３１００２Ｘ"}}},
		{"混合4105231990０３071234。", []hit{{"pii.resident_id", 2, 20, "4105231990０３071234"}}},
		{"老证410523900307123", []hit{{"pii.resident_id", 2, 17, "410523900307123"}}},
		// Written in groups joined by single spaces or hyphens.
		{"身份证号 110105 19491231 002X。", []hit{{"pii.resident_id", 5, 25, "110105 19491231 002X"}}},
		{"110105-19491231-002x", []hit{{"pii.resident_id", 0, 20, "110105-19491231-002x"}}},
		{"证号410523 1990 0307 1234，", []hit{{"pii.resident_id", 2, 23, "410523 1990 0307 1234"}}},
		{"全角：１１０１０５　１９４９１２３１　００２Ｘ", []hit{{"pii.resident_id", 3, 23, "１１０１０５　１９４９１２３１　００２Ｘ"}}},
		{"老证 410523-900307-123", []hit{{"pii.resident_id", 3, 20, "410523-900307-123"}}},
		{"编号7 410523199003071234", []hit{{"pii.resident_id", 4, 22, "410523199003071234"}}},
		{"110105 19491231 0021", nil}, // wrong check digit
		// Up to three separators between groups (two spaces), and a number
		// joined to the ID does not hide it.
		{"110105  19491231 002X", []hit{{"pii.resident_id", 0, 21, "110105  19491231 002X"}}},
		{"9 110105 19491231 002X", []hit{{"pii.resident_id", 2, 22, "110105 19491231 002X"}}},
		// Wrong check digit, impossible dates, future date, region 0: not reported.
		{"410523199003071235", nil},
		{"410523201002290013", nil},
		{"410523199002301237", nil},
		{"41052320990101123X", nil},
		{"010523199003071234", nil},
		{"410523901332123", nil},
		// Inside a longer digit run: not an ID.
		{"4105231990030712345", nil},
		{"1410523199003071234", nil},
	}
	for _, c := range cases {
		if got := piiHits(t, c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q\n got %v\nwant %v", c.text, got, c.want)
		}
	}
}

// TestPIIUnusualSeparators: numbers broken by invisible characters, unusual
// spaces, dashes, dots or a line break, or written with other decimal
// digits, are found like their plain forms, and the finding covers the
// original text.
func TestPIIUnusualSeparators(t *testing.T) {
	cases := []struct {
		text string
		want []hit
	}{
		{"身份证11010519491231002\u200bX", []hit{{"pii.resident_id", 3, 22, "11010519491231002\u200bX"}}},
		{"身份证110105\u200b19491231002X", []hit{{"pii.resident_id", 3, 22, "110105\u200b19491231002X"}}},
		{"410523\u200c1990\u2060030712\ufeff34", []hit{{"pii.resident_id", 0, 21, "410523\u200c1990\u2060030712\ufeff34"}}},
		{"110105\u00a019491231\u00a0002X", []hit{{"pii.resident_id", 0, 20, "110105\u00a019491231\u00a0002X"}}},
		{"110105\u202f19491231\u2009002X", []hit{{"pii.resident_id", 0, 20, "110105\u202f19491231\u2009002X"}}},
		{"110105  19491231  002X", []hit{{"pii.resident_id", 0, 22, "110105  19491231  002X"}}},
		{"110105.19491231.002X", []hit{{"pii.resident_id", 0, 20, "110105.19491231.002X"}}},
		{"110105·19491231·002X", []hit{{"pii.resident_id", 0, 20, "110105·19491231·002X"}}},
		{"110105\n19491231\n002X", []hit{{"pii.resident_id", 0, 20, "110105\n19491231\n002X"}}},
		{"110105\r\n19491231 - 002X", []hit{{"pii.resident_id", 0, 23, "110105\r\n19491231 - 002X"}}},
		{"110105—19491231—002X", []hit{{"pii.resident_id", 0, 20, "110105—19491231—002X"}}},
		{"𝟏𝟏𝟎𝟏𝟎𝟓𝟏𝟗𝟒𝟗𝟏𝟐𝟑𝟏𝟎𝟎𝟐X", []hit{{"pii.resident_id", 0, 18, "𝟏𝟏𝟎𝟏𝟎𝟓𝟏𝟗𝟒𝟗𝟏𝟐𝟑𝟏𝟎𝟎𝟐X"}}},
		{"𝟒𝟏𝟎𝟓𝟐𝟑𝟏𝟗𝟗𝟎𝟎𝟑𝟎𝟕𝟏𝟐𝟑𝟒", []hit{{"pii.resident_id", 0, 18, "𝟒𝟏𝟎𝟓𝟐𝟑𝟏𝟗𝟗𝟎𝟎𝟑𝟎𝟕𝟏𝟐𝟑𝟒"}}},
		{"١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", []hit{{"pii.resident_id", 0, 18, "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"}}},
		{"۴۱۰۵۲۳۱۹۹۰۰۳۰۷۱۲۳۴", []hit{{"pii.resident_id", 0, 18, "۴۱۰۵۲۳۱۹۹۰۰۳۰۷۱۲۳۴"}}},
		{"电话138\u200b0013\u200b8000", []hit{{"pii.mobile", 2, 15, "138\u200b0013\u200b8000"}}},
		{"138\u00a00013\u00a08000", []hit{{"pii.mobile", 0, 13, "138\u00a00013\u00a08000"}}},
		{"138—0013—8000", []hit{{"pii.mobile", 0, 13, "138—0013—8000"}}},
		{"138–0013–8000", []hit{{"pii.mobile", 0, 13, "138–0013–8000"}}},
		{"138  0013  8000", []hit{{"pii.mobile", 0, 15, "138  0013  8000"}}},
		{"１３８\u200b００１３８０００", []hit{{"pii.mobile", 0, 12, "１３８\u200b００１３８０００"}}},
		{"卡号6222\u200b0212\u200b3456\u200b7890\u200b128", []hit{{"pii.bank_card", 2, 25, "6222\u200b0212\u200b3456\u200b7890\u200b128"}}},
		{"卡号6222\u00a00212\u00a03456\u00a07890\u00a0128", []hit{{"pii.bank_card", 2, 25, "6222\u00a00212\u00a03456\u00a07890\u00a0128"}}},
		{"豫E\u200b12345", []hit{{"pii.plate", 0, 8, "豫E\u200b12345"}}},
		{"豫\u200bE12345", []hit{{"pii.plate", 0, 8, "豫\u200bE12345"}}},
		// Still not one number: too many separators, or two line breaks
		// (separate paragraphs).
		{"110105    19491231 002X", nil},
		{"110105\n\n19491231\n002X", nil},
		{"138，0013，8000", nil},
	}
	for _, c := range cases {
		if got := piiHits(t, c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q\n got %v\nwant %v", c.text, got, c.want)
		}
	}
}

// TestPIIGroupsNextToNumbers: an ID number or bank card written in groups is
// found when other numbers are joined to it.
func TestPIIGroupsNextToNumbers(t *testing.T) {
	cases := []struct {
		text string
		want []hit
	}{
		{"张三 410523 1990 0307 1234 13800138000", []hit{{"pii.resident_id", 3, 24, "410523 1990 0307 1234"}, {"pii.mobile", 25, 36, "13800138000"}}},
		{"张三 410523 19900307 1234 2023年入职", []hit{{"pii.resident_id", 3, 23, "410523 19900307 1234"}}},
		{"序号3 410523 19900307 1234", []hit{{"pii.resident_id", 4, 24, "410523 19900307 1234"}}},
		{"2023 110105 19491231 002X 12", []hit{{"pii.resident_id", 5, 25, "110105 19491231 002X"}}},
		{"1 2 410523 900307 123 45", []hit{{"pii.resident_id", 4, 21, "410523 900307 123"}}},
		{"卡号 6222 0212 3456 7890 128 2023年", []hit{{"pii.bank_card", 3, 26, "6222 0212 3456 7890 128"}}},
		{"序号3 6222 0212 3456 7890 128", []hit{{"pii.bank_card", 4, 27, "6222 0212 3456 7890 128"}}},
		{"2024 4111-1111-1111-1111", []hit{{"pii.bank_card", 5, 24, "4111-1111-1111-1111"}}},
		{"序号3 410523 19900307 1235", nil}, // wrong check digit
		// The longest number wins over a shorter one starting before it.
		{"2028 6222 0212 3456 7890 128", []hit{{"pii.bank_card", 5, 28, "6222 0212 3456 7890 128"}}}, // 2028622202123456 passes Luhn too
		// A grouped mobile next to an ID number.
		{"410523 19900307 1234 138 0013 8000", []hit{{"pii.resident_id", 0, 20, "410523 19900307 1234"}, {"pii.mobile", 21, 34, "138 0013 8000"}}},
		{"138 0013 8000 410523 19900307 1234", []hit{{"pii.mobile", 0, 13, "138 0013 8000"}, {"pii.resident_id", 14, 34, "410523 19900307 1234"}}},
	}
	for _, c := range cases {
		if got := piiHits(t, c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q\n got %v\nwant %v", c.text, got, c.want)
		}
	}
}

func TestDecimalValue(t *testing.T) {
	for _, rg := range ndRanges {
		if (rg[1]-rg[0]+1)%10 != 0 {
			t.Errorf("Nd range %U–%U is not whole blocks of ten", rg[0], rg[1])
		}
	}
	for _, rg := range unicode.Nd.R16 {
		if rg.Stride != 1 {
			t.Errorf("Nd range %U–%U has stride %d", rg.Lo, rg.Hi, rg.Stride)
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rg.Stride != 1 {
			t.Errorf("Nd range %U–%U has stride %d", rg.Lo, rg.Hi, rg.Stride)
		}
	}
	for s, want := range map[string]int{"0": 0, "7": 7, "٣": 3, "۹": 9, "𝟕": 7, "𝟘": 0, "৫": 5, "९": 9, "９": 9, "᠖": 6} {
		r := []rune(s)[0]
		if got := decimalValue(r); got != want {
			t.Errorf("decimalValue(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestFoldPIIRuneFastPaths: the short cuts of foldPIIRune agree with the
// general rules.
func TestFoldPIIRuneFastPaths(t *testing.T) {
	for r := rune(0x80); r <= 0x3100; r++ {
		if (r >= 0x300 && r < 0x2000) || (r >= 0x2030 && r < 0x3000) {
			continue
		}
		f, fk := foldPIIRune(r)
		g, gk := foldPIIRuneSlow(r)
		if f != g || fk != gk {
			t.Errorf("%U: foldPIIRune = %q %v, foldPIIRuneSlow = %q %v", r, f, fk, g, gk)
		}
	}
}

func TestResidentIDBirthDateNotInFuture(t *testing.T) {
	old := nowFunc
	defer func() { nowFunc = old }()
	nowFunc = func() time.Time { return time.Date(2000, 1, 1, 12, 0, 0, 0, time.Local) }
	if got := piiHits(t, "410523201207041563"); got != nil {
		t.Errorf("born 2012, checked in 2000: %v", got)
	}
	nowFunc = old
	if got := piiHits(t, "410523201207041563"); len(got) != 1 {
		t.Errorf("born 2012: %v", got)
	}
}

func TestMobile(t *testing.T) {
	cases := []struct {
		text string
		want []hit
	}{
		{"电话13800138000", []hit{{"pii.mobile", 2, 13, "13800138000"}}},
		{"电话：１３８００１３８０００", []hit{{"pii.mobile", 3, 14, "１３８００１３８０００"}}},
		{"+8613800138000", []hit{{"pii.mobile", 0, 14, "+8613800138000"}}},
		{"8613800138000", []hit{{"pii.mobile", 0, 13, "8613800138000"}}},
		{"+86 138 0013 8000", []hit{{"pii.mobile", 0, 17, "+86 138 0013 8000"}}},
		{"86-13800138000", []hit{{"pii.mobile", 0, 14, "86-13800138000"}}},
		{"138-0013-8000", []hit{{"pii.mobile", 0, 13, "138-0013-8000"}}},
		{"19912345678", []hit{{"pii.mobile", 0, 11, "19912345678"}}},
		{"12800138000", nil},        // 12x is not a mobile prefix
		{"138001380001", nil},       // 12 digits
		{"213800138000", nil},       // inside a longer run
		{"0372-5521234", nil},       // landline
		{"1380013800", nil},         // 10 digits
		{"9 138 0013 8000", nil},    // part of a longer grouped number
		{"138 0013 8000 1234", nil}, // part of a longer grouped number
		{"报警电话110，咨询12345", nil},    // service numbers
	}
	for _, c := range cases {
		if got := piiHits(t, c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q\n got %v\nwant %v", c.text, got, c.want)
		}
	}
}

func TestPlate(t *testing.T) {
	cases := []struct {
		text string
		want []hit
	}{
		{"车牌豫E12345的车", []hit{{"pii.plate", 2, 9, "豫E12345"}}},
		{"新能源豫ED12345", []hit{{"pii.plate", 3, 11, "豫ED12345"}}},
		{"豫EF12345，豫E12345D", []hit{{"pii.plate", 0, 8, "豫EF12345"}, {"pii.plate", 9, 17, "豫E12345D"}}},
		{"豫E·A1234", []hit{{"pii.plate", 0, 8, "豫E·A1234"}}},
		{"豫e12345", []hit{{"pii.plate", 0, 7, "豫e12345"}}},
		{"豫Ｅ１２３４５", []hit{{"pii.plate", 0, 7, "豫Ｅ１２３４５"}}},
		{"豫E1234警", []hit{{"pii.plate", 0, 7, "豫E1234警"}}},
		{"京A88888", []hit{{"pii.plate", 0, 7, "京A88888"}}},
		{"豫I12345", nil},  // I is not used
		{"豫EO1234", nil},  // O is not used
		{"豫E123456", nil}, // 6 digits, not new-energy
		{"豫E1234", nil},   // too short
		{"豫E12345678", nil},
		{"新iPhone", nil},
		{"豫ABCDE", nil},
	}
	for _, c := range cases {
		if got := piiHits(t, c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q\n got %v\nwant %v", c.text, got, c.want)
		}
	}
}

func TestBankCard(t *testing.T) {
	cases := []struct {
		text string
		want []hit
	}{
		{"卡号6222021234567890128", []hit{{"pii.bank_card", 2, 21, "6222021234567890128"}}},
		{"卡号6222 0212 3456 7890 128", []hit{{"pii.bank_card", 2, 25, "6222 0212 3456 7890 128"}}},
		{"4111-1111-1111-1111", []hit{{"pii.bank_card", 0, 19, "4111-1111-1111-1111"}}},
		{"6217001234123416", []hit{{"pii.bank_card", 0, 16, "6217001234123416"}}},
		{"6222021234567890129", nil}, // Luhn fails
		{"4111 1111 1111 1112", nil}, // Luhn fails
		{"2024-01-15 2024-01-16", nil},
	}
	for _, c := range cases {
		if got := piiHits(t, c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q\n got %v\nwant %v", c.text, got, c.want)
		}
	}
}

// TestDigitsReportedOnce: an ID number is not also a mobile or a bank card.
func TestDigitsReportedOnce(t *testing.T) {
	// 410523199003071234 passes neither Luhn nor mobile rules by itself;
	// build an ID number that also passes Luhn to make the test meaningful.
	id := ""
	for seq := 100; seq < 1000 && id == ""; seq++ {
		body := []rune("41052319900307" + string(rune('0'+seq/100)) + string(rune('0'+seq/10%10)) + string(rune('0'+seq%10)))
		sum := 0
		for i, r := range body {
			sum += int(r-'0') * idWeights[i]
		}
		cand := append(body, rune(idCheckChars[sum%11]))
		if cand[17] != 'X' && luhn(cand) {
			id = string(cand)
		}
	}
	if id == "" {
		t.Fatal("no Luhn-valid ID found")
	}
	got := piiHits(t, "号码"+id)
	if len(got) != 1 || got[0].rule != "pii.resident_id" {
		t.Errorf("%s: %v", id, got)
	}
	got = piiHits(t, "手机13800138000和身份证410523199003071234")
	if len(got) != 2 || got[0].rule != "pii.mobile" || got[1].rule != "pii.resident_id" {
		t.Errorf("got %v", got)
	}
}

func TestAddress(t *testing.T) {
	cases := []struct {
		text string
		want []hit
	}{
		{"家住汤阴县城关镇人民路12号3单元201室。", []hit{{"pii.address", 2, 21, "汤阴县城关镇人民路12号3单元201室"}}},
		{"住址：河南省安阳市汤阴县城关镇人民路12号", []hit{{"pii.address", 3, 21, "河南省安阳市汤阴县城关镇人民路12号"}}},
		{"位于幸福小区5号楼2单元301", []hit{{"pii.address", 2, 15, "幸福小区5号楼2单元301"}}},
		{"李庄村3组12号", []hit{{"pii.address", 0, 8, "李庄村3组12号"}}},
		{"人民路12号幸福小区3号楼", []hit{{"pii.address", 0, 13, "人民路12号幸福小区3号楼"}}},
		{"乘坐地铁3号线", nil},
		{"3月5号上午", nil},
		{"人民路上车辆很多", nil},
	}
	for _, c := range cases {
		if got := piiHits(t, c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q\n got %v\nwant %v", c.text, got, c.want)
		}
	}
}

func TestMinor(t *testing.T) {
	cases := []struct {
		text string
		want []hit
	}{
		{"一名15岁男孩走失", []hit{{"pii.minor", 2, 7, "15岁男孩"}}},
		{"十二岁的女孩", []hit{{"pii.minor", 0, 6, "十二岁的女孩"}}},
		{"王某（15岁）被送回家", []hit{{"pii.minor", 0, 6, "王某（15岁"}}},
		{"初中生李某某在校外", []hit{{"pii.minor", 0, 6, "初中生李某某"}}},
		{"未成年人张伟在网吧", []hit{{"pii.minor", 0, 6, "未成年人张伟"}}},
		{"初三学生刘某", []hit{{"pii.minor", 2, 6, "学生刘某"}}},
		{"女孩王某（12岁）", []hit{{"pii.minor", 0, 8, "女孩王某（12岁"}}},
		{"35岁男子", nil},
		{"二十五岁的女子", nil},
		{"大学生王某", nil},
		{"加强未成年人保护", nil},
		{"18岁学生", nil},
	}
	for _, c := range cases {
		if got := piiHits(t, c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q\n got %v\nwant %v", c.text, got, c.want)
		}
	}
}

func TestChineseNumber(t *testing.T) {
	for s, want := range map[string]int{"五": 5, "十": 10, "十五": 15, "二十三": 23, "两": 2, "十七": 17} {
		if got := chineseNumber([]rune(s)); got != want {
			t.Errorf("%s = %d, want %d", s, got, want)
		}
	}
}
