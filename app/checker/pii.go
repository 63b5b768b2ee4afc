package checker

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Personal-data detectors. They run on a folded copy of the original text,
// built by foldForPII the way Normalize treats the draft: format and other
// invisible characters are dropped (zero-width space and joiners, U+2060,
// U+FEFF, soft hyphen, variation selectors, combining marks), every decimal
// digit (full-width, mathematical, Arabic-Indic …) becomes an ASCII digit,
// full-width ASCII becomes ASCII, space characters become a space, dash
// characters a hyphen and traditional characters simplified ones. Each
// folded rune keeps the index of the original rune it came from, so
// findings point at the original text.

// Detector rule names.
const (
	rulePIIResidentID = "pii.resident_id"
	rulePIIMobile     = "pii.mobile"
	rulePIIPlate      = "pii.plate"
	rulePIIBankCard   = "pii.bank_card"
	rulePIIAddress    = "pii.address"
	rulePIIMinor      = "pii.minor"
)

// nowFunc is the clock used to reject birth dates in the future.
var nowFunc = time.Now

type piiRule struct {
	action       Action
	advice, adEN string
}

var piiRules = map[string]piiRule{
	rulePIIResidentID: {Block,
		"身份证号码属于个人隐私，不得公开：请删除，确需提及时只保留前 6 位或打码（第十八条第（十一）项）。",
		"A resident ID number is personal data and must not be published: delete it, or mask all but the first 6 digits."},
	rulePIIMobile: {Warn,
		"疑似个人手机号码：请删除或打码（如 138****8000）；需要公开的联系电话应使用单位号码。",
		"Looks like a personal mobile number: delete or mask it (e.g. 138****8000); publish unit phone numbers instead."},
	rulePIIPlate: {Warn,
		"疑似车牌号码：涉及个人车辆时请打码（如 豫E·1****），确需公开的请核实。",
		"Looks like a vehicle plate: mask it when it identifies a private vehicle."},
	rulePIIBankCard: {Warn,
		"疑似银行卡号（通过 Luhn 校验）：请删除或打码。",
		"Looks like a bank card number (passes the Luhn check): delete or mask it."},
	rulePIIAddress: {Warn,
		"具体到门牌、楼栋、单元或房号的地址可能暴露个人住址：请模糊到街道、村或小区。",
		"An address down to the house, building, unit or flat may expose where someone lives: blur it to the street, village or estate."},
	rulePIIMinor: {Warn,
		"可能涉及未成年人的身份信息：不得公开姓名、年龄加学校等可识别信息，请使用“某”或模糊化处理。",
		"May identify a minor: do not publish a name or identifying details; use 某 or blur them."},
}

// foldForPII appends to dst the text the detectors read (see above) and to
// origin, for each rune appended to dst, the index in src of the rune it
// came from.
func foldForPII(dst []rune, origin []int32, src []rune) ([]rune, []int32) {
	for i, r := range src {
		switch {
		case r < utf8.RuneSelf:
		case r >= cjkLo && r <= cjkHi:
			if s := t2sTable[r-cjkLo]; s != 0 {
				r = s
			}
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		default:
			var keep bool
			if r, keep = foldPIIRune(r); !keep {
				continue
			}
		}
		dst = append(dst, r)
		origin = append(origin, int32(i))
	}
	return dst, origin
}

// foldPIIRune folds a rune outside ASCII, the CJK Unified Ideographs and the
// full-width forms for foldForPII, and reports whether it is kept. The
// common punctuation of Chinese text takes a short cut (checked against
// foldPIIRuneSlow by TestFoldPIIRuneFastPaths).
func foldPIIRune(r rune) (rune, bool) {
	switch {
	case r < 0x300: // Latin-1 and Latin Extended: no digits, marks or dashes
		switch r {
		case 0xA0:
			return ' ', true
		case 0xAD:
			return 0, false
		}
		return r, true
	case r >= 0x2010 && r <= 0x2027: // dashes, quotes, dots, …
		if r <= 0x2015 {
			return '-', true
		}
		return r, true
	case r >= 0x3001 && r <= 0x3029 && r != 0x301C: // 、。〃《》「」【】 …
		return r, true
	}
	return foldPIIRuneSlow(r)
}

// foldPIIRuneSlow is foldPIIRune without the short cuts.
func foldPIIRuneSlow(r rune) (rune, bool) {
	switch {
	case isMark(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r):
		return 0, false
	case unicode.IsDigit(r):
		return '0' + rune(decimalValue(r)), true
	case unicode.Is(unicode.Zs, r):
		return ' ', true
	case unicode.Is(unicode.Dash, r):
		return '-', true
	case r >= 0x1D400 && r <= 0x1D7FF:
		// Mathematical alphanumerics (𝐗, 𝟏): NFKC gives the plain letter.
		var buf [8]byte
		if f := norm.NFKC.Append(buf[:0], []byte(string(r))...); len(f) == 1 {
			return rune(f[0]), true
		}
	}
	return r, true
}

// ndRanges are the ranges of decimal digits (Unicode Nd). Every range is
// made of whole blocks of ten, 0 to 9 (a Unicode stability guarantee).
var ndRanges = func() [][2]rune {
	var out [][2]rune
	for _, rg := range unicode.Nd.R16 {
		out = append(out, [2]rune{rune(rg.Lo), rune(rg.Hi)})
	}
	for _, rg := range unicode.Nd.R32 {
		out = append(out, [2]rune{rune(rg.Lo), rune(rg.Hi)})
	}
	return out
}()

// decimalValue returns the value, 0 to 9, of the decimal digit r.
func decimalValue(r rune) int {
	i, _ := slices.BinarySearchFunc(ndRanges, r, func(rg [2]rune, r rune) int {
		switch {
		case rg[1] < r:
			return -1
		case rg[0] > r:
			return 1
		}
		return 0
	})
	if i < len(ndRanges) && ndRanges[i][0] <= r && r <= ndRanges[i][1] {
		return int(r-ndRanges[i][0]) % 10
	}
	return 0
}

type digitRun struct{ start, end int }

// Character classes of CJK ideographs used by the detectors, as bits of
// cjkClass[r-cjkLo].
const (
	clsProvince    uint16 = 1 << iota // plate province abbreviation
	clsPlateSuffix                    // last character of a special plate
	clsAddrAnchor                     // end of a street, village or estate name
	clsAddrAdmin                      // administrative division
	clsAddrStop                       // ends the backward scan for an address
	clsNumeral                        // Chinese numeral in an address number
	clsAgeNumeral                     // Chinese numeral in an age
	clsSurname                        // common surname
	clsNameStop                       // cannot be part of a given name
	clsRoleStart                      // first character of a minorRoles entry
	clsNounStart                      // first character of a personNouns entry
)

var cjkClass [cjkHi - cjkLo + 1]uint16

// class returns the detector classes of r.
func class(r rune) uint16 {
	if r >= cjkLo && r <= cjkHi {
		return cjkClass[r-cjkLo]
	}
	return 0
}

func init() {
	set := func(chars string, c uint16) {
		for _, r := range chars {
			if r >= cjkLo && r <= cjkHi {
				cjkClass[r-cjkLo] |= c
			}
		}
	}
	set(plateProvinces, clsProvince)
	set(plateSuffixes, clsPlateSuffix)
	set(addrAnchors, clsAddrAnchor)
	set(addrAdmin, clsAddrAdmin)
	set(addrStops, clsAddrStop)
	set(chineseDigits, clsNumeral)
	set(ageNumerals, clsAgeNumeral)
	set(commonSurnames, clsSurname)
	set(nameStops, clsNameStop)
	for _, w := range minorRoles {
		set(string(w[0]), clsRoleStart)
	}
	for _, w := range personNouns {
		set(string(w[0]), clsNounStart)
	}
}

// runeLists converts words to rune slices, for matchAt.
func runeLists(words ...string) [][]rune {
	out := make([][]rune, len(words))
	for i, w := range words {
		out[i] = []rune(w)
	}
	return out
}

// piiScanner holds the state of one detector pass; its buffers are reused.
// Offsets into s (the folded text) are mapped back to the original text src
// with orig only when a finding is made.
type piiScanner struct {
	s, src  []rune
	orig    []int32 // orig[i]: index in src of s[i]
	version string
	out     []Finding
	runs    []digitRun
	digits  []rune // buffer for stretch
	used    []bool // used[k]: runs[k] already belongs to a finding
	minors  []digitRun
}

// scan runs the detectors on s, the folded text (see foldForPII) with its
// origins orig, and appends their findings, with offsets into src, to out.
func (p *piiScanner) scan(s []rune, orig []int32, src []rune, version string, out []Finding) []Finding {
	p.s, p.orig, p.src, p.version, p.out = s, orig, src, version, out
	p.runs = p.runs[:0]
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		p.runs = append(p.runs, digitRun{i, j})
		i = j
	}
	p.used = slices.Grow(p.used[:0], len(p.runs))[:len(p.runs)]
	clear(p.used)

	p.residentIDs()
	p.mobiles()
	p.bankCards()
	p.plates()
	p.addresses()
	p.minorsScan()
	out = p.out
	p.s, p.orig, p.src, p.out = nil, nil, nil, nil
	return out
}

// srcEnd maps the exclusive end of a span of s to the original text: just
// after the rune s[end-1] came from and any combining marks on it.
func (p *piiScanner) srcEnd(end int) int {
	e := int(p.orig[end-1]) + 1
	for e < len(p.src) && isMark(p.src[e]) {
		e++
	}
	return e
}

// emit reports a finding for s[start:end] (start < end).
func (p *piiScanner) emit(rule string, start, end int) {
	r := piiRules[rule]
	c, _ := CategoryInfo(catPrivacy)
	start, end = int(p.orig[start]), p.srcEnd(end)
	p.out = append(p.out, Finding{
		Rule:           rule,
		Category:       catPrivacy,
		Action:         r.action,
		Start:          start,
		End:            end,
		Text:           string(p.src[start:end]),
		Article:        c.Article,
		Advice:         r.advice,
		AdviceEN:       r.adEN,
		LexiconVersion: p.version,
	})
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

func isASCIIAlnum(r rune) bool {
	return isDigit(r) || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
}

func upper(r rune) rune {
	if 'a' <= r && r <= 'z' {
		return r - ('a' - 'A')
	}
	return r
}

func (p *piiScanner) at(i int) rune {
	if i < 0 || i >= len(p.s) {
		return 0
	}
	return p.s[i]
}

// ---- resident ID numbers (GB 11643) ----

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// residentIDs finds ID numbers written whole or in groups (110105 19491231
// 002X, 110105-19491231-002X, see joined). In a chain of joined runs, every
// stretch of consecutive runs whose digits make 15, 17 (and an X) or 18 is
// tried (see stretches), so that a number next to the ID (序号3 410523
// 19900307 1234, … 1234 13800138000) does not hide it.
func (p *piiScanner) residentIDs() { p.stretches(stretchID, rulePIIResidentID) }

// Kinds of number that stretches looks for.
const (
	stretchID   = iota // resident ID number
	stretchCard        // bank card number
)

// stretches reports the numbers of the given kind made of consecutive runs
// of a chain of joined runs: from the left, the longest at each run, unless
// a longer one starts inside it (2028 6222 0212 3456 7890 128 is the card
// 6222…128, not the Luhn-valid 2028…3456).
func (p *piiScanner) stretches(kind int, rule string) {
	for k := 0; k < len(p.runs); {
		m := p.chainEnd(k)
		for i := k; i <= m; i++ {
			j, end := p.longestAt(kind, i, m)
			if j < 0 {
				continue
			}
			better := false
			for i2 := i + 1; i2 <= j && !better; i2++ {
				j2, _ := p.longestAt(kind, i2, m)
				better = j2 >= 0 && p.runs[j2].end-p.runs[i2].start > p.runs[j].end-p.runs[i].start
			}
			if better {
				continue
			}
			p.emit(rule, p.runs[i].start, end)
			for x := i; x <= j; x++ {
				p.used[x] = true
			}
			i = j
		}
		k = m + 1
	}
}

// longestAt returns the last run j and the end in s of the longest number
// of the given kind made of the unclaimed runs[i..j], j <= m, or j = -1.
// An ID number has 15, 17 (and an X) or 18 digits; a bank card has 16 to
// 19, does not start with 0, passes the Luhn check and is written whole or
// in groups of at least 3 digits.
func (p *piiScanner) longestAt(kind, i, m int) (j, end int) {
	maxDigits := 18
	if kind == stretchCard {
		maxDigits = 19
	}
	n := 0
	for j = i; j <= m && !p.used[j]; {
		l := p.runLen(j)
		short := kind == stretchCard && l < 3
		if n+l > maxDigits || (short && j > i) {
			break
		}
		n += l
		j++
		if short {
			break
		}
	}
	for j--; j >= i; j-- {
		switch kind {
		case stretchID:
			if n == 15 || n == 17 || n == 18 {
				if end, ok := p.residentID(p.stretch(i, j), p.runs[j].end); ok {
					return j, end
				}
			}
		case stretchCard:
			if n >= 16 && p.s[p.runs[i].start] != '0' && luhn(p.stretch(i, j)) {
				return j, p.runs[j].end
			}
		}
		n -= p.runLen(j)
	}
	return -1, 0
}

func (p *piiScanner) runLen(k int) int { return p.runs[k].end - p.runs[k].start }

// stretch returns the digits of runs[i..j]; the result is valid until the
// next call.
func (p *piiScanner) stretch(i, j int) []rune {
	if i == j {
		return p.s[p.runs[i].start:p.runs[i].end]
	}
	p.digits = p.digits[:0]
	for x := i; x <= j; x++ {
		p.digits = append(p.digits, p.s[p.runs[x].start:p.runs[x].end]...)
	}
	return p.digits
}

// chainEnd returns the index of the last run of the chain of joined runs
// that starts at runs[k].
func (p *piiScanner) chainEnd(k int) int {
	m := k
	for m+1 < len(p.runs) && p.joined(p.runs[m], p.runs[m+1]) {
		m++
	}
	return m
}

// residentID reports whether digits, which end in the text at end, are an
// ID number (with the X check character that may follow them), and where
// the number ends.
func (p *piiScanner) residentID(digits []rune, end int) (int, bool) {
	switch n := len(digits); {
	case n == 17 && (p.at(end) == 'X' || p.at(end) == 'x') && !isASCIIAlnum(p.at(end+1)):
		return end + 1, validID18(append(digits[:n:n], p.s[end]))
	case n == 18:
		return end, validID18(digits)
	case n == 15:
		return end, validID15(digits)
	}
	return end, false
}

func digitsValue(d []rune) int {
	v := 0
	for _, r := range d {
		v = v*10 + int(r-'0')
	}
	return v
}

// validID18 checks an 18-character resident ID: region code starting 1–9, a
// real birth date between 1900 and today, and the ISO 7064 MOD 11-2 check
// character.
func validID18(d []rune) bool {
	if len(d) != 18 || d[0] < '1' || d[0] > '9' {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		if !isDigit(d[i]) {
			return false
		}
		sum += int(d[i]-'0') * idWeights[i]
	}
	if rune(idCheckChars[sum%11]) != upper(d[17]) {
		return false
	}
	return validBirthDate(digitsValue(d[6:10]), digitsValue(d[10:12]), digitsValue(d[12:14]))
}

// validID15 checks a 15-digit first-generation ID: region code starting 1–9
// and a real birth date 19YYMMDD.
func validID15(d []rune) bool {
	if len(d) != 15 || d[0] < '1' || d[0] > '9' {
		return false
	}
	return validBirthDate(1900+digitsValue(d[6:8]), digitsValue(d[8:10]), digitsValue(d[10:12]))
}

func validBirthDate(y, m, d int) bool {
	if y < 1900 || m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.Local)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return false // e.g. 0230
	}
	return !t.After(nowFunc())
}

// ---- mobile numbers ----

func isMobile(d []rune) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9'
}

// maxJoiner is the longest separator between two groups of one number.
const maxJoiner = 3

// joined reports whether runs a and b are groups of one number: separated
// by one to maxJoiner spaces, hyphens (any dash is folded to one) or dots,
// with at most one line break among them (138 0013 8000, 138-0013-8000,
// 110105  19491231  002X, 6222.0212.3456.7890.128, a line break).
func (p *piiScanner) joined(a, b digitRun) bool {
	n := b.start - a.end
	if n < 1 || n > maxJoiner {
		return false
	}
	breaks := 0
	for i := a.end; i < b.start; i++ {
		switch r := p.s[i]; r {
		case ' ', '-', '\t', '.', '·', '•', '・', '‧', '∙':
		case '\n', '\v', '\f', '\u0085', '\u2028', '\u2029':
			breaks++
		case '\r':
			if i+1 == b.start || p.s[i+1] != '\n' {
				breaks++ // \r\n is one line break, counted at the \n
			}
		default:
			return false
		}
	}
	return breaks <= 1
}

// countryPrefix returns where a "86" / "+86" prefix joined to runs[k] starts,
// or -1.
func (p *piiScanner) countryPrefix(k int) int {
	if k == 0 || p.used[k-1] {
		return -1
	}
	prev := p.runs[k-1]
	if prev.end-prev.start != 2 || p.s[prev.start] != '8' || p.s[prev.start+1] != '6' || !p.joined(prev, p.runs[k]) {
		return -1
	}
	if p.at(prev.start-1) == '+' {
		return prev.start - 1
	}
	return prev.start
}

func (p *piiScanner) mobiles() {
	for k := 0; k < len(p.runs); k++ {
		if p.used[k] {
			continue
		}
		run := p.runs[k]
		d := p.s[run.start:run.end]
		switch {
		case isMobile(d):
			start := run.start
			if st := p.countryPrefix(k); st >= 0 {
				start = st
				p.used[k-1] = true
			} else if p.at(start-1) == '+' {
				start--
			}
			p.emit(rulePIIMobile, start, run.end)
			p.used[k] = true
		case len(d) == 13 && d[0] == '8' && d[1] == '6' && isMobile(d[2:]):
			start := run.start
			if p.at(start-1) == '+' {
				start--
			}
			p.emit(rulePIIMobile, start, run.end)
			p.used[k] = true
		case len(d) == 3 && k+2 < len(p.runs) && d[0] == '1' && d[1] >= '3' && d[1] <= '9':
			// Grouped 3-4-4: 138 0013 8000, 138-0013-8000.
			b, c := p.runs[k+1], p.runs[k+2]
			if p.used[k+1] || p.used[k+2] || b.end-b.start != 4 || c.end-c.start != 4 ||
				!p.joined(run, b) || !p.joined(b, c) {
				continue
			}
			if k+3 < len(p.runs) && !p.used[k+3] && p.joined(c, p.runs[k+3]) {
				continue // part of a longer grouped number
			}
			start := run.start
			if st := p.countryPrefix(k); st >= 0 {
				start = st
				p.used[k-1] = true
			} else if k > 0 && !p.used[k-1] && p.joined(p.runs[k-1], run) {
				continue
			}
			p.emit(rulePIIMobile, start, c.end)
			p.used[k], p.used[k+1], p.used[k+2] = true, true, true
			k += 2
		}
	}
}

// ---- bank cards ----

// luhn reports whether the digits pass the Luhn check.
func luhn(digits []rune) bool {
	sum, double := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		v := int(digits[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// bankCards finds Luhn-valid card numbers of 16 to 19 digits, written whole
// or in groups of at least 3 digits joined like ID numbers; as for ID
// numbers, every stretch of consecutive unclaimed groups of a chain is tried
// (see stretches).
func (p *piiScanner) bankCards() { p.stretches(stretchCard, rulePIIBankCard) }

// ---- vehicle plates ----

const plateProvinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

// plateSuffixes end special plates: 豫E1234警, 豫A1234学.
const plateSuffixes = "学警挂港澳领试超使"

// newEnergyLetters may mark a new-energy plate (D electric, F hybrid, and the
// letters added later).
const newEnergyLetters = "DFABCEGHJK"

// isPlateChar: plates use digits and letters except I and O.
func isPlateChar(r rune) bool {
	return isDigit(r) || ('A' <= r && r <= 'Z' && r != 'I' && r != 'O')
}

func countDigits(rs []rune) int {
	n := 0
	for _, r := range rs {
		if isDigit(r) {
			n++
		}
	}
	return n
}

func allDigits(rs []rune) bool { return countDigits(rs) == len(rs) }

func (p *piiScanner) plates() {
	s := p.s
	var tail [8]rune
	for i := 0; i+1 < len(s); i++ {
		if class(s[i])&clsProvince == 0 {
			continue
		}
		j := i + 1
		if c := upper(s[j]); c < 'A' || c > 'Z' || !isPlateChar(c) {
			continue
		}
		j++
		switch p.at(j) {
		case '·', '•', '・', '.', ' ', '-':
			j++
		}
		k := j
		for k < len(s) && k-j < len(tail) && isASCIIAlnum(s[k]) {
			tail[k-j] = upper(s[k])
			k++
		}
		n := k - j
		if n > 6 || (k < len(s) && isASCIIAlnum(s[k])) {
			continue
		}
		t := tail[:n]
		for _, c := range t {
			if !isPlateChar(c) {
				t = nil
				break
			}
		}
		switch {
		case len(t) == 6 && ((strings.ContainsRune(newEnergyLetters, t[0]) && allDigits(t[2:])) ||
			(allDigits(t[:5]) && strings.ContainsRune(newEnergyLetters, t[5]))):
			p.emit(rulePIIPlate, i, k)
		case len(t) == 5 && countDigits(t) >= 3:
			p.emit(rulePIIPlate, i, k)
		case len(t) == 4 && countDigits(t) >= 3 && class(p.at(k))&clsPlateSuffix != 0:
			p.emit(rulePIIPlate, i, k+1)
		default:
			continue
		}
		i = k - 1
	}
}

// ---- addresses ----

// addrAnchors end a street, village or estate name before a number:
// 人民路12号, 李庄村3组, 幸福小区5号楼.
const addrAnchors = "路街巷弄道村组区苑园院厦寓城庄屯场"

// addrAdmin are administrative-division characters that start an address.
const addrAdmin = "省市县区镇乡"

// addrStops end the backward scan for the start of an address.
const addrStops = "在住于到的是从往向址至位家处及和与或为将把被对等了着过号我你他她其该并且也都就"

// chineseDigits may make up an address number (〇 is handled apart: it is
// outside the CJK Unified Ideographs block).
const chineseDigits = "零一二两三四五六七八九十百"

func isNumeral(r rune) bool { return class(r)&clsNumeral != 0 || r == '〇' }

var (
	addrFirstMarkers = runeLists("号楼", "号院", "号", "弄", "栋", "幢", "组", "排", "巷", "院")
	addrMoreMarkers  = runeLists("号楼", "号院", "单元", "号", "栋", "幢", "楼", "层", "室", "户", "门", "组", "排")
)

func isHan(r rune) bool { return r >= cjkLo && r <= cjkHi || unicode.Is(unicode.Han, r) }

// hasAt reports whether s[i:] starts with w.
func hasAt(s []rune, i int, w []rune) bool {
	return i >= 0 && len(s)-i >= len(w) && slices.Equal(s[i:i+len(w)], w)
}

// matchAt returns the end of the first entry of list found at s[i:] and the
// entry, or -1. Longer entries must come first.
func matchAt(s []rune, i int, list [][]rune) (end int, which []rune) {
	for _, w := range list {
		if hasAt(s, i, w) {
			return i + len(w), w
		}
	}
	return -1, nil
}

// parseNumber returns the end of an ASCII (1–5 digits) or Chinese (1–5
// characters) number at s[i:], or i.
func parseNumber(s []rune, i int) int {
	j := i
	for j < len(s) && j-i < 5 && isDigit(s[j]) {
		j++
	}
	if j > i {
		if j < len(s) && isDigit(s[j]) {
			return i
		}
		return j
	}
	for j < len(s) && j-i < 5 && isNumeral(s[j]) {
		j++
	}
	return j
}

func (p *piiScanner) addresses() {
	s := p.s
	lastEnd, lastIdx := -1, -1
	for j := 0; j < len(s); j++ {
		if class(s[j])&clsAddrAnchor == 0 {
			continue
		}
		k := j + 1
		for k < len(s) && s[k] == ' ' {
			k++
		}
		ne := parseNumber(s, k)
		if ne == k {
			continue
		}
		end, marker := matchAt(s, ne, addrFirstMarkers)
		if end < 0 || (len(marker) == 1 && marker[0] == '号' && strings.ContainsRune("线文令码", p.at(end))) {
			continue
		}
		unit := false
		for {
			k := end
			if p.at(k) == '-' {
				k++
			}
			ne := parseNumber(s, k)
			if ne == k {
				break
			}
			me, m := matchAt(s, ne, addrMoreMarkers)
			if me < 0 {
				// A bare flat number after the unit or building: 3单元201.
				if unit && ne-k >= 2 && ne-k <= 4 && allDigits(s[k:ne]) && !isHan(p.at(ne)) {
					end = ne
				}
				break
			}
			end = me
			switch string(m) {
			case "单元", "栋", "幢", "楼", "号楼":
				unit = true
			default:
				unit = false
			}
		}
		start := addressStart(s, j)
		if start <= lastEnd && lastIdx >= 0 {
			// Continues the previous address: 人民路12号幸福小区3号楼.
			f := &p.out[lastIdx]
			f.End = p.srcEnd(end)
			f.Text = string(p.src[f.Start:f.End])
		} else {
			p.emit(rulePIIAddress, start, end)
			lastIdx = len(p.out) - 1
		}
		lastEnd = end
		j = end - 1
	}
}

// addressStart finds where the address whose street/estate anchor is at j
// starts: back over Chinese characters up to a stop word, then to two
// characters before the first administrative division (河南省…, 汤阴县…), or
// three characters before the anchor when there is none (人民路).
func addressStart(s []rune, j int) int {
	const maxBack = 16
	k := j
	for k > 0 && j-k < maxBack && isHan(s[k-1]) && class(s[k-1])&clsAddrStop == 0 {
		k--
	}
	for m := k; m < j; m++ {
		if class(s[m])&clsAddrAdmin != 0 {
			return max(k, m-2)
		}
	}
	return max(k, j-3)
}

// ---- minors ----

// minorRoles name a minor; followed by a name they identify one.
var minorRoles = runeLists("未成年人", "未成年", "小学生", "中学生", "初中生", "高中生", "男童", "女童", "男孩", "女孩", "少年", "少女", "幼童", "学生")

// personNouns follow an age: 15岁男孩, 12岁的学生.
var personNouns = runeLists("小学生", "中学生", "初中生", "高中生", "男孩", "女孩", "男童", "女童", "孩子", "小孩", "儿童", "少年", "少女", "幼童", "幼儿", "婴儿", "男婴", "女婴", "男生", "女生", "男子", "女子", "患儿", "学生")

// schoolWords make a bare 学生 a school pupil: 初三学生李某.
var schoolWords = runeLists("小学", "初中", "中学", "高中", "年级", "幼儿园", "初一", "初二", "初三", "高一", "高二", "高三")

// ageNumerals make up an age in Chinese numerals.
const ageNumerals = "一二两三四五六七八九十"

var (
	wordSui     = []rune("岁")
	wordZhouSui = []rune("周岁")
	wordDe      = []rune("的")
	wordStudent = []rune("学生")
)

// commonSurnames are single-character surnames used to recognise names.
const commonSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常葛康易乔赖文牛樊申殷岳柴聂"

// nameStops cannot be part of a given name; they end one: 张伟在…
const nameStops = "在于因被的等是和与今年岁从到同也还已将把向对为了说家中某某"

// nameAt returns the end of a name-like string at s[i:] (王某, 王某某, 王X,
// 王小明, 小明), or i.
func nameAt(s []rune, i int) int {
	if i >= len(s) {
		return i
	}
	at := func(k int) rune {
		if k < len(s) {
			return s[k]
		}
		return 0
	}
	switch {
	case class(s[i])&clsSurname != 0:
		switch at(i + 1) {
		case '某':
			if at(i+2) == '某' {
				return i + 3
			}
			return i + 2
		case 'X', 'x', '×':
			return i + 2
		}
		m := i + 1
		for m < len(s) && m-i <= 2 && isHan(s[m]) && class(s[m])&clsNameStop == 0 {
			m++
		}
		if m > i+1 {
			return m
		}
	case s[i] == '小' && isHan(at(i+1)) && class(at(i+1))&clsNameStop == 0:
		return i + 2
	}
	return i
}

// ageAt parses an age at s[i:] (15岁, 十五岁, 15周岁) and returns it and the
// end of the match, or -1.
func ageAt(s []rune, i int) (age, end int) {
	j := i
	for j < len(s) && j-i < 3 && isDigit(s[j]) {
		j++
	}
	if j > i {
		if (i > 0 && isDigit(s[i-1])) || j-i > 2 {
			return -1, -1
		}
		age = digitsValue(s[i:j])
	} else {
		if i > 0 && isNumeral(s[i-1]) {
			return -1, -1
		}
		for j < len(s) && j-i < 3 && class(s[j])&clsAgeNumeral != 0 {
			j++
		}
		if j == i {
			return -1, -1
		}
		age = chineseNumber(s[i:j])
	}
	switch {
	case hasAt(s, j, wordSui):
		return age, j + 1
	case hasAt(s, j, wordZhouSui):
		return age, j + 2
	}
	return -1, -1
}

// chineseNumber parses a small Chinese numeral (五, 十, 十五, 二十三).
func chineseNumber(rs []rune) int {
	digit := func(r rune) int {
		return strings.IndexRune("零一二三四五六七八九", r) / 3 // UTF-8: 3 bytes each
	}
	v, cur := 0, 0
	for _, r := range rs {
		switch r {
		case '十':
			if cur == 0 {
				cur = 1
			}
			v += cur * 10
			cur = 0
		case '两':
			cur = 2
		default:
			cur = digit(r)
		}
	}
	return v + cur
}

// matchRole matches minorRoles at s[i:] when class c says one may start there.
func matchRole(s []rune, i int, c uint16) (int, []rune) {
	if c&clsRoleStart == 0 {
		return -1, nil
	}
	return matchAt(s, i, minorRoles)
}

func (p *piiScanner) minorsScan() {
	s := p.s
	p.minors = p.minors[:0]
	for i := 0; i < len(s); i++ {
		r := s[i]
		c := class(r)
		if c&(clsRoleStart|clsAgeNumeral) == 0 && !isDigit(r) {
			continue
		}
		// Role followed by a name: 初中生李某, 未成年人王某某.
		if end, role := matchRole(s, i, c); end >= 0 {
			school := !slices.Equal(role, wordStudent)
			if !school {
				for _, w := range schoolWords {
					if win := s[max(0, i-8):i]; indexRunes(win, w) >= 0 {
						school = true
						break
					}
				}
			}
			if school {
				if ne := nameAt(s, end); ne > end {
					p.minors = append(p.minors, digitRun{i, ne})
				}
			}
		}
		// An age under 18 next to a person: 15岁男孩, 李某（15岁）.
		if isDigit(r) || c&clsAgeNumeral != 0 {
			age, end := ageAt(s, i)
			if age < 0 || age >= 18 {
				continue
			}
			start, stop := -1, -1
			k := end
			if hasAt(s, k, wordDe) {
				k++
			}
			if ne, _ := matchAt(s, k, personNouns); ne >= 0 {
				start, stop = i, ne
			}
			b := i
			if b > 0 && strings.ContainsRune("（(，, ", s[b-1]) {
				b--
			}
			for _, n := range []int{3, 2} {
				if b-n >= 0 && nameAt(s, b-n) == b {
					start = b - n
					if stop < 0 {
						stop = end
					}
					break
				}
			}
			if start >= 0 {
				p.minors = append(p.minors, digitRun{start, stop})
			}
		}
	}
	// Merge overlapping spans so that one mention gives one finding.
	slices.SortFunc(p.minors, func(a, b digitRun) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return a.end - b.end
	})
	for i := 0; i < len(p.minors); {
		cur := p.minors[i]
		j := i + 1
		for j < len(p.minors) && p.minors[j].start < cur.end {
			cur.end = max(cur.end, p.minors[j].end)
			j++
		}
		p.emit(rulePIIMinor, cur.start, cur.end)
		i = j
	}
}
