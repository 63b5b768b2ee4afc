package checker

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Action is what a finding asks of the author.
type Action string

// The three actions, from strongest to weakest.
const (
	// Block: the content is prohibited (Art. 18) and must not be published.
	Block Action = "BLOCK"
	// NeedsApproval: the content is major or sensitive (Art. 20, Art. 21) and
	// may only be published after approval by the unit or the publicity section.
	NeedsApproval Action = "NEEDS_APPROVAL"
	// Warn: the author should check the content before publishing.
	Warn Action = "WARN"
)

func (a Action) valid() bool { return a == Block || a == NeedsApproval || a == Warn }

// Term is one lexicon line.
type Term struct {
	// ID identifies the term; unique within a lexicon, at most 64 bytes, no
	// spaces. Findings name it in their Rule; it may not start with "pii.".
	ID string `json:"id"`
	// Term is the text to look for. It is normalised like the draft (see
	// Normalize) and must keep at least one character.
	Term string `json:"term"`
	// Category is a code from Categories, e.g. "art18.2".
	Category string `json:"category"`
	// Action is BLOCK, NEEDS_APPROVAL or WARN.
	Action Action `json:"action"`
	// Allow lists contexts in which the term is fine (反恐演练 for 反恐); each
	// must contain the term and be longer than it (after normalisation). A
	// hit covered by an occurrence of one of them is not reported.
	Allow []string `json:"allow,omitempty"`
	// Note says why the term is in the lexicon.
	Note string `json:"note,omitempty"`
}

// MaxTerms is the most terms a lexicon may hold.
const MaxTerms = 200000

// Size limits of a lexicon's lines.
const (
	maxLineBytes = 4096
	maxIDBytes   = 64
	maxErrors    = 10 // ParseLexicon reports at most this many problems
)

// problem is one thing wrong with a term, in Chinese and in English.
type problem struct{ zh, en string }

// problemf formats both messages with the same arguments.
func problemf(zh, en string, args ...any) *problem {
	return &problem{fmt.Sprintf(zh, args...), fmt.Sprintf(en, args...)}
}

// validateTerm checks every field of t. norm is the normalised term and
// allows the normalised allow contexts, valid when p is nil; they are
// normalised with tn.
func validateTerm(t *Term, tn *termNormalizer) (norm []rune, allows [][]rune, p *problem) {
	switch {
	case t.ID == "":
		return nil, nil, problemf("id 不能为空", "id must not be empty")
	case len(t.ID) > maxIDBytes:
		return nil, nil, problemf("id 不能超过 %d 字节", "id must be at most %d bytes", maxIDBytes)
	case strings.IndexFunc(t.ID, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return nil, nil, problemf("id %q 不能含空白或控制字符", "id %q must not contain spaces or control characters", t.ID)
	case strings.HasPrefix(t.ID, "pii."):
		return nil, nil, problemf("id %q 不能以 pii. 开头（这是个人信息检测规则的名字）", "id %q must not start with pii. (the personal-data detectors' names)", t.ID)
	case t.Term == "":
		return nil, nil, problemf("term 不能为空，请写出要匹配的文字", "term must not be empty; write the text to look for")
	}
	if _, ok := CategoryInfo(t.Category); !ok {
		return nil, nil, problemf("category %q 不是已知类别，应为 art18.1…art18.12、art20.major_sensitive 或 art21.*（如 art21.mass_incident）",
			"category %q is unknown; use art18.1…art18.12, art20.major_sensitive or an art21.* code (e.g. art21.mass_incident)", t.Category)
	}
	if !t.Action.valid() {
		return nil, nil, problemf("action 必须是 BLOCK、NEEDS_APPROVAL 或 WARN（大写），现为 %q",
			"action must be BLOCK, NEEDS_APPROVAL or WARN (upper case), got %q", string(t.Action))
	}
	norm = tn.normalize(t.Term)
	if len(norm) == 0 {
		return nil, nil, problemf("term %q 规范化后为空（只有空格、标点或符号），请写出实际要匹配的文字",
			"term %q is empty after normalisation (only spaces, punctuation or symbols); write the text to look for", t.Term)
	}
	for i, a := range t.Allow {
		na := tn.normalize(a)
		if len(na) == 0 {
			return nil, nil, problemf("allow 第 %d 项 %q 规范化后为空，请删除或写出实际上下文",
				"allow entry %d %q is empty after normalisation; remove it or write the context", i+1, a)
		}
		if indexRunes(na, norm) < 0 {
			return nil, nil, problemf("allow 第 %d 项 %q 必须包含 term %q（规范化后比较），否则不会生效",
				"allow entry %d %q must contain the term %q (after normalisation), or it never applies", i+1, a, t.Term)
		}
		if len(na) == len(norm) {
			return nil, nil, problemf("allow 第 %d 项 %q 规范化后就是 term %q 本身，会让这个词永远不报；请写出比词更长的上下文（如 反恐演练），或删除该项",
				"allow entry %d %q is the term %q itself after normalisation, so the term would never be reported; write a context longer than the term (e.g. 反恐演练), or remove the entry", i+1, a, t.Term)
		}
		allows = append(allows, na)
	}
	return norm, allows, nil
}

// indexRunes returns the index of the first occurrence of sub in s, or -1.
func indexRunes(s, sub []rune) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if slices.Equal(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// lineError formats a problem on a lexicon line, Chinese first.
func lineError(line int, p *problem) error {
	return fmt.Errorf("第 %d 行：%s / line %d: %s", line, p.zh, line, p.en)
}

// ParseLexicon reads a lexicon in JSON lines: one Term object per line, e.g.
//
//	{"id":"hq-0001","term":"反恐","category":"art20.major_sensitive","action":"NEEDS_APPROVAL","allow":["反恐演练"],"note":"…"}
//
// Blank lines and lines starting with # are ignored; a UTF-8 byte-order mark
// is skipped. Every field is validated (non-empty id and term, unique ids,
// known category, valid action, a term that keeps at least one character
// after normalisation, allow contexts that contain the term and are longer
// than it, no unknown fields), and so are the limits: at most 200,000 terms
// and 4 KiB per line.
//
// On failure the terms are discarded and the error lists up to 10 problems,
// each naming its line and saying what to fix, Chinese first then English:
// "第 12 行：action 必须是 … / line 12: action must be …".
func ParseLexicon(r io.Reader) ([]Term, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, maxLineBytes), 4*maxLineBytes)
	var (
		terms  []Term
		errs   []error
		seen   = make(map[string]int) // id → line
		lineNo int
		tn     termNormalizer
	)
	addErr := func(err error) bool {
		errs = append(errs, err)
		return len(errs) < maxErrors
	}
	for sc.Scan() {
		lineNo++
		line := sc.Bytes()
		if lineNo == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		if len(line) > maxLineBytes {
			if !addErr(lineError(lineNo, problemf("行长 %d 字节，超过 4 KiB 上限，请缩短 note 或 allow",
				"line is %d bytes, over the 4 KiB limit; shorten the note or the allow list", len(line)))) {
				break
			}
			continue
		}
		if !utf8.Valid(line) {
			if !addErr(lineError(lineNo, problemf("不是有效的 UTF-8 文本，请把词库另存为 UTF-8 编码",
				"not valid UTF-8; save the lexicon as UTF-8"))) {
				break
			}
			continue
		}
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) == 0 || trimmed[0] == '#' {
			continue
		}
		if len(terms) >= MaxTerms {
			addErr(lineError(lineNo, problemf("词条超过 %d 条上限，请拆分或精简词库",
				"more than %d terms; split or trim the lexicon", MaxTerms)))
			break
		}
		t, p := decodeTermLine(trimmed)
		if p == nil {
			tn.reset()
			_, _, p = validateTerm(&t, &tn)
		}
		if p == nil {
			if first, dup := seen[t.ID]; dup {
				p = problemf("id %q 与第 %d 行重复，请改用唯一的 id", "id %q duplicates line %d; use a unique id", t.ID, first)
			}
		}
		if p != nil {
			if !addErr(lineError(lineNo, p)) {
				break
			}
			continue
		}
		seen[t.ID] = lineNo
		terms = append(terms, t)
	}
	if err := sc.Err(); err != nil && len(errs) < maxErrors {
		if errors.Is(err, bufio.ErrTooLong) {
			errs = append(errs, lineError(lineNo+1, problemf("行太长，超过 4 KiB 上限，请缩短该行",
				"line is longer than the 4 KiB limit; shorten it")))
		} else {
			errs = append(errs, fmt.Errorf("读取词库失败：%v，请检查文件后重试 / reading the lexicon failed: %v; check the file and retry", err, err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return terms, nil
}

// decodeTermLine decodes one JSON object, rejecting unknown fields and
// trailing data.
func decodeTermLine(line []byte) (Term, *problem) {
	var t Term
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		msg := err.Error()
		if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
			return t, problemf("未知字段 %s，只允许 id、term、category、action、allow、note",
				"unknown field %s; only id, term, category, action, allow and note are allowed", f)
		}
		return t, problemf(`不是有效的 JSON 对象（%s），每行应形如 {"id":"t1","term":"涉密","category":"art18.2","action":"BLOCK"}`,
			`not a valid JSON object (%s); each line must look like {"id":"t1","term":"涉密","category":"art18.2","action":"BLOCK"}`, msg)
	}
	if _, err := dec.Token(); err != io.EOF {
		return t, problemf("一行只能有一个 JSON 对象，请删除对象后面的内容", "one JSON object per line; remove what follows the object")
	}
	return t, nil
}

// Lexicon is a compiled, immutable lexicon, safe for concurrent use. Build it
// with Compile or use Builtin.
type Lexicon struct {
	version string
	terms   []Term
	allows  [][][]rune // normalised allow contexts, per term
	ac      *automaton
	// Pattern p (distinct normalised term) belongs to the terms
	// patTerms[patStart[p]:patStart[p+1]], in lexicon order.
	patStart []int32
	patTerms []int32
	// spansBreak[i]: term i is itself written across a break (see
	// hasBreakInside), so its hits may span one.
	spansBreak []bool
}

// Compile validates terms (the same rules as ParseLexicon) and builds a
// lexicon. version identifies the lexicon in every finding (for example the
// HQ release "hq-2024-07"); it must be non-empty and at most 64 bytes. terms
// is copied.
func Compile(version string, terms []Term) (*Lexicon, error) {
	if version == "" || len(version) > 64 || !utf8.ValidString(version) {
		return nil, errors.New("词库版本不能为空且不能超过 64 字节 / the lexicon version must be non-empty UTF-8 of at most 64 bytes")
	}
	if len(terms) > MaxTerms {
		return nil, fmt.Errorf("词条 %d 条，超过 %d 条上限 / %d terms, over the limit of %d", len(terms), MaxTerms, len(terms), MaxTerms)
	}
	l := &Lexicon{
		version:    version,
		terms:      make([]Term, len(terms)),
		allows:     make([][][]rune, len(terms)),
		spansBreak: make([]bool, len(terms)),
	}
	type entry struct {
		pat  []rune
		term int32
	}
	entries := make([]entry, len(terms))
	seen := make(map[string]int, len(terms))
	var tn termNormalizer
	for i := range terms {
		t := terms[i]
		t.Allow = slices.Clone(t.Allow)
		norm, allows, p := validateTerm(&t, &tn)
		if p == nil {
			if first, dup := seen[t.ID]; dup {
				p = problemf("id %q 与词条 %d 重复", "id %q duplicates term %d", t.ID, first+1)
			}
		}
		if p != nil {
			return nil, fmt.Errorf("词条 %d：%s / term %d: %s", i+1, p.zh, i+1, p.en)
		}
		seen[t.ID] = i
		l.terms[i] = t
		l.allows[i] = allows
		l.spansBreak[i] = hasBreakInside(t.Term)
		entries[i] = entry{norm, int32(i)}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := slices.Compare(a.pat, b.pat); c != 0 {
			return c
		}
		return int(a.term - b.term)
	})
	var pats [][]rune
	l.patTerms = make([]int32, len(entries))
	for i, e := range entries {
		if i == 0 || !slices.Equal(e.pat, entries[i-1].pat) {
			pats = append(pats, e.pat)
			l.patStart = append(l.patStart, int32(i))
		}
		l.patTerms[i] = e.term
	}
	l.patStart = append(l.patStart, int32(len(entries)))
	l.ac = buildAutomaton(pats)
	return l, nil
}

// hasBreakInside reports whether a break (isBreak) stands between the first
// and the last character that normalisation keeps of term.
func hasBreakInside(term string) bool {
	if strings.IndexFunc(term, isBreak) < 0 {
		return false // the common case, without normalising again
	}
	norm, origin := Normalize(term)
	if len(norm) < 2 {
		return false
	}
	rs := []rune(term)
	return slices.ContainsFunc(rs[origin[0]:origin[len(origin)-1]], isBreak)
}

// Version returns the version given to Compile ("builtin-1" for Builtin).
func (l *Lexicon) Version() string { return l.version }

// Terms returns a copy of the lexicon's terms, in the order given to Compile.
func (l *Lexicon) Terms() []Term {
	out := make([]Term, len(l.terms))
	for i, t := range l.terms {
		t.Allow = slices.Clone(t.Allow)
		out[i] = t
	}
	return out
}

//go:embed builtin.jsonl
var builtinData string

// builtinVersion is the version of the embedded starter lexicon.
const builtinVersion = "builtin-1"

var builtinOnce = sync.OnceValue(func() *Lexicon {
	terms, err := ParseLexicon(strings.NewReader(builtinData))
	if err != nil {
		panic("checker: embedded builtin.jsonl: " + err.Error())
	}
	l, err := Compile(builtinVersion, terms)
	if err != nil {
		panic("checker: embedded builtin.jsonl: " + err.Error())
	}
	return l
})

// Builtin returns the starter lexicon embedded in the program (about 300
// terms covering every Art. 18 item, Art. 20 and every Art. 21 kind), version
// "builtin-1". It is compiled once, on first use.
func Builtin() *Lexicon { return builtinOnce() }
