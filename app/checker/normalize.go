package checker

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// t2sData is the traditional → simplified table: whitespace-separated
// two-character tokens, traditional first; lines starting with # are comments.
//
//go:embed t2s.txt
var t2sData string

// Every traditional character in the table lies in the CJK Unified
// Ideographs block, so a dense array indexed from its start is enough.
const (
	cjkLo = 0x4E00
	cjkHi = 0x9FFF
)

// t2sTable[r-cjkLo] is the simplified form of r, or 0 when r has none.
var t2sTable [cjkHi - cjkLo + 1]rune

func init() {
	if err := loadT2S(t2sData, &t2sTable); err != nil {
		panic("checker: embedded t2s.txt: " + err.Error())
	}
}

// loadT2S parses the table format described at t2sData into table.
func loadT2S(data string, table *[cjkHi - cjkLo + 1]rune) error {
	for n, line := range strings.Split(data, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, tok := range strings.Fields(line) {
			rs := []rune(tok)
			if len(rs) != 2 {
				return fmt.Errorf("line %d: token %q is not two characters", n+1, tok)
			}
			t, s := rs[0], rs[1]
			if t < cjkLo || t > cjkHi || t == s {
				return fmt.Errorf("line %d: bad pair %q", n+1, tok)
			}
			if old := table[t-cjkLo]; old != 0 && old != s {
				return fmt.Errorf("line %d: %c maps to both %c and %c", n+1, t, old, s)
			}
			table[t-cjkLo] = s
		}
	}
	// The table must be idempotent: no simplified form is itself mapped.
	for i, s := range table {
		if s >= cjkLo && s <= cjkHi && table[s-cjkLo] != 0 {
			return fmt.Errorf("chain %c → %c → %c", rune(i+cjkLo), s, table[s-cjkLo])
		}
	}
	return nil
}

// Normalize returns the normalised form of s used for lexicon matching, and
// for each normalised rune the index of the rune of s it came from.
//
// Steps, per character: NFKC (golang.org/x/text/unicode/norm; a base character
// and the combining marks after it are normalised together), width folding,
// lower case, traditional → simplified Chinese (an embedded table of common
// one-to-one pairs), then dropping everything that is not a letter or a
// number: spaces, punctuation, symbols (emoji included), combining marks,
// control and format characters (zero-width space and joiners, U+2060,
// U+FEFF, soft hyphen, …) and other default-ignorable characters.
//
// origin has the same length as norm, is non-decreasing, and each value is a
// valid index into []rune(s). When NFKC expands one character into several
// (㍿ → 株式会社), all of them have the same origin.
func Normalize(s string) (norm []rune, origin []int) {
	var n normalizer
	n.src = appendRunes(n.src[:0], s)
	n.run()
	origin = make([]int, len(n.start))
	for i, v := range n.start {
		origin[i] = int(v)
	}
	return n.out, origin
}

// termNormalizer normalises lexicon terms, storing the results in a shared
// arena so that compiling a large lexicon makes few allocations.
type termNormalizer struct {
	n     normalizer
	arena []rune
}

// normalize returns the normalised s (see Normalize). The result stays valid
// until reset.
func (tn *termNormalizer) normalize(s string) []rune {
	tn.n.src = appendRunes(tn.n.src[:0], s)
	tn.n.run()
	out := tn.n.out
	if cap(tn.arena)-len(tn.arena) < len(out) {
		tn.arena = make([]rune, 0, max(1<<16, len(out)))
	}
	start := len(tn.arena)
	tn.arena = append(tn.arena, out...)
	return tn.arena[start:len(tn.arena):len(tn.arena)]
}

// reset lets the arena be reused; earlier results must no longer be used.
func (tn *termNormalizer) reset() { tn.arena = tn.arena[:0] }

// appendRunes decodes s into dst like []rune(s): an invalid byte becomes one
// U+FFFD.
func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}

// normalizer holds the buffers of one normalisation so that Check can reuse
// them between calls (see scratchPool).
type normalizer struct {
	src   []rune  // input text, decoded
	out   []rune  // normalised runes
	start []int32 // start[i]: index in src of the character out[i] came from
	end   []int32 // end[i]: exclusive end in src of that character (with its marks)
	buf   []byte  // UTF-8 of the segment being normalised
	nfkc  []byte  // NFKC of buf
}

// run normalises n.src into n.out, n.start and n.end.
func (n *normalizer) run() {
	n.out, n.start, n.end = n.out[:0], n.start[:0], n.end[:0]
	src := n.src
	for i := 0; i < len(src); {
		r := src[i]
		j := i + 1
		for j < len(src) && isMark(src[j]) {
			j++
		}
		if j == i+1 {
			switch {
			case r < utf8.RuneSelf || (r >= cjkLo && r <= cjkHi):
				// ASCII and unified ideographs are NFKC-stable on their own.
				if c, ok := foldRune(r); ok {
					n.emit(c, i, j)
				}
				i = j
				continue
			case r >= 0xFF01 && r <= 0xFF5E:
				// Full-width ASCII: NFKC gives the ASCII character.
				if c, ok := foldRune(r - 0xFEE0); ok {
					n.emit(c, i, j)
				}
				i = j
				continue
			case unicode.IsPunct(r) || unicode.IsSpace(r):
				// No punctuation or space character normalises to a letter
				// or number (TestPunctuationFastPath), so it is dropped.
				i = j
				continue
			}
		}
		n.buf = n.buf[:0]
		for _, c := range src[i:j] {
			n.buf = utf8.AppendRune(n.buf, c)
		}
		n.nfkc = norm.NFKC.Append(n.nfkc[:0], n.buf...)
		for k := 0; k < len(n.nfkc); {
			c, size := utf8.DecodeRune(n.nfkc[k:])
			k += size
			if c, ok := foldRune(c); ok {
				n.emit(c, i, j)
			}
		}
		i = j
	}
}

func (n *normalizer) emit(c rune, start, end int) {
	n.out = append(n.out, c)
	n.start = append(n.start, int32(start))
	n.end = append(n.end, int32(end))
}

// bmpMarks has bit r set for every nonspacing or enclosing mark r in the
// Basic Multilingual Plane.
var bmpMarks = func() *[0x10000 / 64]uint64 {
	var bits [0x10000 / 64]uint64
	for _, t := range []*unicode.RangeTable{unicode.Mn, unicode.Me} {
		for _, rg := range t.R16 {
			for r := uint32(rg.Lo); r <= uint32(rg.Hi); r += uint32(rg.Stride) {
				bits[r/64] |= 1 << (r % 64)
			}
		}
	}
	return &bits
}()

// isMark reports whether r is a combining mark (Mn or Me, variation
// selectors included) that belongs to the character before it.
func isMark(r rune) bool {
	if r < 0x300 || (r >= cjkLo && r <= cjkHi) {
		return false
	}
	if r < 0x10000 {
		return bmpMarks[r/64]&(1<<(r%64)) != 0
	}
	return unicode.In(r, unicode.Mn, unicode.Me)
}

// foldRune applies width folding, lower case and traditional → simplified to
// an NFKC-normalised rune, and reports whether the result is kept (letters
// and numbers are; everything else is dropped).
func foldRune(c rune) (rune, bool) {
	if c < utf8.RuneSelf {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			return c, true
		case 'A' <= c && c <= 'Z':
			return c + ('a' - 'A'), true
		}
		return 0, false
	}
	if c >= cjkLo && c <= cjkHi {
		if s := t2sTable[c-cjkLo]; s != 0 {
			return s, true
		}
		return c, true
	}
	if f := width.LookupRune(c).Folded(); f != 0 {
		c = f
	}
	c = unicode.ToLower(c)
	if c >= cjkLo && c <= cjkHi {
		if s := t2sTable[c-cjkLo]; s != 0 {
			c = s
		}
		return c, true
	}
	if unicode.Is(unicode.Other_Default_Ignorable_Code_Point, c) || unicode.Is(unicode.Variation_Selector, c) {
		return 0, false
	}
	if unicode.IsLetter(c) || unicode.IsNumber(c) || unicode.Is(unicode.Mc, c) {
		return c, true
	}
	return 0, false
}
