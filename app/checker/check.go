package checker

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Finding is one problem found in a draft.
type Finding struct {
	// Rule names what matched: the term's ID for lexicon hits, or a
	// detector: pii.resident_id, pii.mobile, pii.plate, pii.bank_card,
	// pii.address, pii.minor.
	Rule string `json:"rule"`
	// Category is a code from Categories (art18.11 for the detectors).
	Category string `json:"category"`
	// Action is what the author must do: BLOCK, NEEDS_APPROVAL or WARN.
	Action Action `json:"action"`
	// Start and End are rune offsets into the original text; End is
	// exclusive. For a lexicon hit, Start is where the first matched
	// character comes from and End is just after the last one (and after any
	// combining marks attached to it); characters the normaliser dropped
	// inside the hit are part of it ("涉 密").
	Start int `json:"start"`
	End   int `json:"end"`
	// Text is the original substring, runes [Start, End).
	Text string `json:"text"`
	// Article cites the regulation, e.g. "第十八条第（二）项".
	Article string `json:"article"`
	// Advice says what to do, in Chinese; AdviceEN in English.
	Advice   string `json:"advice"`
	AdviceEN string `json:"advice_en"`
	// LexiconVersion is the version of the lexicon that produced the finding.
	LexiconVersion string `json:"lexicon_version"`
}

// scratch holds the per-call buffers of Check.
type scratch struct {
	n        normalizer
	fold     []rune  // text for the personal-data detectors
	foldOrig []int32 // foldOrig[i]: index in the text of fold[i]
	pii      piiScanner
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxScratchRunes bounds the buffers kept in the pool after a huge text.
const maxScratchRunes = 1 << 20

// Check screens text and returns its findings sorted by Start, then End,
// then Rule; the result is deterministic. Lexicon hits may overlap (涉密 and
// 涉密文件 in the same place); a personal-data number is reported once (an
// ID number is not also a mobile or a bank card). A nil lexicon checks with
// Builtin().
//
// Lexicon hits ignore the spaces, punctuation and invisible characters the
// normaliser drops, with two exceptions. The first line of text is taken as
// a title (the app screens title + "\n" + body, see app.PostText): no hit
// spans the first line break. And a term of two characters does not match
// across a sentence end or a line break (isBreak: 。！？；… — and the like),
// so 热爱祖国。保护环境 is not 国保. A term that is itself written across
// such a break is exempt from both rules.
func (l *Lexicon) Check(text string) []Finding {
	if l == nil {
		l = Builtin()
	}
	sc := scratchPool.Get().(*scratch)
	defer func() {
		if cap(sc.n.src) <= maxScratchRunes {
			scratchPool.Put(sc)
		}
	}()
	sc.n.src = appendRunes(sc.n.src[:0], text)
	src := sc.n.src
	sc.n.run()

	var out []Finding
	norm := sc.n.out
	// The title's end: title in src, titleN in norm (-1 without a title).
	title, titleN := slices.IndexFunc(src, isLineBreak), -1
	if title >= 0 {
		titleN, _ = slices.BinarySearch(sc.n.start, int32(title))
	}
	l.ac.scan(norm, func(pat int32, last int) {
		n := int(l.ac.patLen[pat])
		first := last - n + 1
		start, end := int(sc.n.start[first]), int(sc.n.end[last])
		// Whether the hit crosses the title's end, or is a two-character
		// hit across a sentence end.
		cut := start < title && title < end
		if n == 2 && !cut {
			if a, b := int(sc.n.end[first]), int(sc.n.start[last]); a < b {
				cut = slices.ContainsFunc(src[a:b], isBreak)
			}
		}
		for _, ti := range l.patTerms[l.patStart[pat]:l.patStart[pat+1]] {
			if cut && !l.spansBreak[ti] {
				continue
			}
			if allowed(norm, first, last+1, titleN, l.allows[ti]) {
				continue
			}
			t := &l.terms[ti]
			out = append(out, l.lexiconFinding(t, start, end, string(src[start:end])))
		}
	})

	sc.fold, sc.foldOrig = foldForPII(sc.fold[:0], sc.foldOrig[:0], src)
	out = sc.pii.scan(sc.fold, sc.foldOrig, src, l.version, out)

	slices.SortFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End),
			strings.Compare(a.Rule, b.Rule), strings.Compare(a.Category, b.Category))
	})
	return out
}

// isLineBreak reports whether r ends a line.
func isLineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

// isBreak reports whether r ends a sentence or a line: a line break, or
// 。．｡ ！! ？? ；; … ⋯ and the dashes — ― ⸺ ⸻ (a Chinese dash sets off a
// clause).
func isBreak(r rune) bool {
	switch r {
	case '。', '．', '｡', '！', '!', '？', '?', '；', ';', '…', '⋯', '—', '―', '⸺', '⸻':
		return true
	}
	return isLineBreak(r)
}

// allowed reports whether one of the allow contexts occurs in norm covering
// the hit norm[start:end], without crossing the end of the title: an
// occurrence may not both start before norm[title] and end after it.
func allowed(norm []rune, start, end, title int, allows [][]rune) bool {
	for _, a := range allows {
		// An occurrence at p covers the hit when p <= start and p+len(a) >= end.
		for p := max(0, end-len(a)); p <= start && p+len(a) <= len(norm); p++ {
			if p < title && title < p+len(a) {
				continue
			}
			if slices.Equal(norm[p:p+len(a)], a) {
				return true
			}
		}
	}
	return false
}

// lexiconFinding builds the finding for a hit of t.
func (l *Lexicon) lexiconFinding(t *Term, start, end int, text string) Finding {
	c, _ := CategoryInfo(t.Category)
	zh, en := adviceFor(t.Action, c, text)
	if t.Note != "" {
		zh = zh + "（词库说明：" + t.Note + "）"
	}
	return Finding{
		Rule:           t.ID,
		Category:       t.Category,
		Action:         t.Action,
		Start:          start,
		End:            end,
		Text:           text,
		Article:        c.Article,
		Advice:         zh,
		AdviceEN:       en,
		LexiconVersion: l.version,
	}
}

// adviceFor writes the advice for a lexicon hit.
func adviceFor(a Action, c Category, text string) (zh, en string) {
	q, qEN := "“"+text+"”", strconv.Quote(text)
	// "涉及" + a label that already says 涉及 would read twice.
	touches := "涉及" + strings.TrimPrefix(c.Label, "涉及")
	switch a {
	case Block:
		return "不得发布：" + q + "属于" + c.Label + "（" + c.Article + "），请删除或改写。",
			"Must not be published: " + qEN + " falls under \"" + c.LabelEN + "\" (" + c.ArticleEN + "). Delete or rewrite it."
	case NeedsApproval:
		switch {
		case strings.HasPrefix(c.Code, "art20."):
			return "须审批：" + q + touches + "，按" + c.Article + "须报宣传科把关审批后方可发布。",
				"Needs approval: " + qEN + " touches \"" + c.LabelEN + "\"; under " + c.ArticleEN +
					" it may only be published after the publicity section approves it."
		case strings.HasPrefix(c.Code, "art21."):
			return "须审批：" + q + touches + "，按" + c.Article + "民警个人工作新媒体须经所在单位同意后方可发布；重大敏感的还须报宣传科审批。",
				"Needs approval: " + qEN + " touches \"" + c.LabelEN + "\"; under " + c.ArticleEN +
					" an officer's personal work account needs the unit's consent, and major or sensitive items need the publicity section's approval."
		}
		return "须审批：" + q + touches + "（" + c.Article + "），请报带班领导和宣传科审批后再发布。",
			"Needs approval: " + qEN + " touches \"" + c.LabelEN + "\" (" + c.ArticleEN + "); have the shift leader and the publicity section approve it first."
	}
	return "请核实：" + q + "可能" + touches + "（" + c.Article + "），确认无误后再发布。",
		"Check this: " + qEN + " may touch \"" + c.LabelEN + "\" (" + c.ArticleEN + "); confirm before publishing."
}
