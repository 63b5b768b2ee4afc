package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"
)

// stmt is one statement of a write transaction as the journal keeps it.
type stmt struct {
	SQL  string
	Args []any // nil, int64, float64, string or []byte
}

const (
	argNull = iota
	argInt
	argFloat
	argText
	argBlob
)

// normalArg converts an argument to one of the journal's five types, so
// replay passes SQLite exactly what the live run passed.
func normalArg(a any) (any, error) {
	switch v := a.(type) {
	case nil:
		return nil, nil
	case int64:
		return v, nil
	case int:
		return int64(v), nil
	case int32:
		return int64(v), nil
	case bool:
		if v {
			return int64(1), nil
		}
		return int64(0), nil
	case float64:
		return v, nil
	case string:
		return v, nil
	case []byte:
		if v == nil {
			return []byte{}, nil
		}
		return v, nil
	default:
		return nil, fmt.Errorf("data: unsupported argument type %T (use int64, float64, string, []byte, bool or nil)", a)
	}
}

// nondeterministic lists SQL that would replay differently, lower-cased
// and without spaces. The date and time functions called without a time
// value (date(), strftime('%s')) also mean now: checkTimeCalls finds those.
var nondeterministic = []string{"random(", "randomblob(", "'now'", "\"now\"", "current_timestamp", "current_date", "current_time",
	"total_changes("}

// timeValueArg gives, for SQLite's date and time functions, the index of
// the time-value argument: left out, it means now (date() is today,
// strftime('%s') the current second).
func timeValueArg(name string) (int, bool) {
	if len(name) < 4 || len(name) > 9 || !strings.ContainsRune("dDtTjJuUsS", rune(name[0])) {
		return 0, false // quickly past the other names
	}
	for _, f := range [...]string{"date", "time", "datetime", "julianday", "unixepoch", "timediff"} {
		if strings.EqualFold(name, f) {
			return 0, true
		}
	}
	if strings.EqualFold(name, "strftime") {
		return 1, true
	}
	return 0, false
}

// checkStatementText refuses written SQL that would replay differently,
// reading the clock or a random source whatever its arguments, and reports whether it calls a date or time
// function (whose arguments must then be checked too).
func checkStatementText(query string) (timeCalls bool, err error) {
	// Spaces are dropped so that "random ()" does not slip by.
	q := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, query)
	for _, bad := range nondeterministic {
		if strings.Contains(q, bad) {
			return false, fmt.Errorf("data: %q in written SQL would not replay the same; pass the value as an argument", bad)
		}
	}
	return checkTimeCalls(query)
}

// clockWords are the time values the date and time functions read as
// the clock: 'now' and, on their own, 'subsec' and 'subsecond'. SQLite
// compares them without regard to case.
var clockWords = []string{"now", "subsec", "subsecond"}

// checkTimeArgs refuses, for a statement that calls a date or time
// function, an argument that reads as the clock ("date(?)" given "now").
// Any argument counts, whichever call it feeds.
func checkTimeArgs(args []any) error {
	for _, a := range args {
		v, ok := a.(string)
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		for _, w := range clockWords {
			if strings.EqualFold(v, w) {
				return fmt.Errorf("data: the argument %q to a date or time function in written SQL reads the clock and would not replay the same; pass the time itself", a)
			}
		}
	}
	return nil
}

// checkTimeCalls refuses calls of the date and time functions whose time
// value is missing (strftime('%s'), date(), date(/* */)), or is 'subsec'
// or 'subsecond', which SQLite also reads as now ('now' itself is in
// nondeterministic). Calls given a time value ("date(?, '+5 days')",
// "julianday(a.filed_on)") are fine; names in string literals or comments
// are not calls. calls reports whether the query calls any of them.
func checkTimeCalls(query string) (calls bool, err error) {
	sc := sqlScanner{q: query}
	for {
		kind, name, ok := sc.next()
		if !ok {
			return calls, nil
		}
		if kind != tokName {
			continue
		}
		at, isTime := timeValueArg(name)
		if !isTime {
			continue
		}
		after := sc.i
		if kind, text, _ := sc.next(); kind != tokOther || text != "(" {
			sc.i = after
			continue
		}
		open := sc.i
		calls = true
		n, value := callArgs(&sc, at)
		// Go on inside the arguments: they may hold calls of their own.
		sc.i = open
		if n <= at {
			return calls, fmt.Errorf("data: %s() without a time value in written SQL reads the clock and would not replay the same; pass the time as an argument", strings.ToLower(name))
		}
		if v := strings.ToLower(strings.TrimSpace(value)); v == "subsec" || v == "subsecond" {
			return calls, fmt.Errorf("data: %s('%s') in written SQL reads the clock and would not replay the same; pass the time as an argument", strings.ToLower(name), value)
		}
	}
}

// callArgs reads a call's arguments up to the ")" that closes it (the
// "(" is read) and returns how many there are, and the text of argument
// at when that argument is nothing but a string literal.
func callArgs(sc *sqlScanner, at int) (n int, literal string) {
	depth, tokens := 0, 0 // tokens: of the current argument so far
	var lit string
	isLit := false
	for {
		kind, text, ok := sc.next()
		if !ok { // unbalanced: SQLite will refuse the statement anyway
			if tokens > 0 || n > 0 {
				n++
			}
			return n, literal
		}
		if kind == tokOther && depth == 0 && (text == "," || text == ")") {
			if text == ")" && tokens == 0 && n == 0 {
				return 0, "" // no arguments at all
			}
			if n == at && tokens == 1 && isLit {
				literal = lit
			}
			n++
			tokens, isLit = 0, false
			if text == ")" {
				return n, literal
			}
			continue
		}
		if kind == tokOther && text == "(" {
			depth++
		} else if kind == tokOther && text == ")" {
			depth--
		}
		tokens++
		lit, isLit = text, kind == tokString
	}
}

const (
	tokName   = iota // a bare or quoted identifier (text: without the quotes)
	tokString        // a string literal (text: between the quotes, '' kept doubled)
	tokOther         // one character of a number, an operator or punctuation
)

// sqlScanner splits SQL into tokens as far as checkTimeCalls needs, the
// way SQLite's tokenizer does: spaces and comments are skipped, string
// literals and quoted identifiers are read whole, and every other
// character that is not part of a name is a token of its own.
type sqlScanner struct {
	q string
	i int
}

func (sc *sqlScanner) next() (kind int, text string, ok bool) {
	q := sc.q
	for sc.i < len(q) {
		i, c := sc.i, q[sc.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			sc.i++
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			if n := strings.IndexByte(q[i:], '\n'); n >= 0 {
				sc.i += n + 1
			} else {
				sc.i = len(q)
			}
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			if n := strings.Index(q[i+2:], "*/"); n >= 0 {
				sc.i += n + 4
			} else {
				sc.i = len(q)
			}
		case c == '\'' || c == '"' || c == '`' || c == '[':
			end := c
			if c == '[' {
				end = ']'
			}
			j := i + 1
			for j < len(q) && (q[j] != end || end != ']' && j+1 < len(q) && q[j+1] == end) {
				if q[j] == end { // a doubled quote stands for one
					j++
				}
				j++
			}
			sc.i = min(j+1, len(q))
			kind = tokName
			if c == '\'' {
				kind = tokString
			}
			return kind, q[i+1 : min(j, len(q))], true
		case isNameByte(c):
			j := i
			for j < len(q) && (isNameByte(q[j]) || q[j] == '$') {
				j++
			}
			sc.i = j
			return tokName, q[i:j], true
		default:
			sc.i++
			return tokOther, q[i : i+1], true
		}
	}
	return 0, "", false
}

// isNameByte reports whether c may be part of an SQLite name or number:
// letters, digits, '_' and every byte of a non-ASCII character.
func isNameByte(c byte) bool {
	return c == '_' || c >= 0x80 || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// appendCommit appends the record of kind (recordCommit, recordRebuild
// or recordPart) holding stmts to b. An import's commit runs to tens of
// megabytes, so callers size b first with commitSize: grown by append, it
// would be allocated, faulted in and copied several times over.
func appendCommit(b []byte, kind byte, stmts []stmt) []byte {
	b = append(b, kind)
	b = binary.AppendUvarint(b, uint64(len(stmts)))
	for _, s := range stmts {
		b = binary.AppendUvarint(b, uint64(len(s.SQL)))
		b = append(b, s.SQL...)
		b = binary.AppendUvarint(b, uint64(len(s.Args)))
		for _, a := range s.Args {
			switch v := a.(type) {
			case nil:
				b = append(b, argNull)
			case int64:
				b = append(b, argInt)
				b = binary.AppendVarint(b, v)
			case float64:
				b = append(b, argFloat)
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
			case string:
				b = append(b, argText)
				b = binary.AppendUvarint(b, uint64(len(v)))
				b = append(b, v...)
			case []byte:
				b = append(b, argBlob)
				b = binary.AppendUvarint(b, uint64(len(v)))
				b = append(b, v...)
			}
		}
	}
	return b
}

// commitSize is the length of the commit record of stmts.
func commitSize(stmts []stmt) int {
	n := 1 + uvarintLen(uint64(len(stmts)))
	for _, s := range stmts {
		n += stmtSize(s)
	}
	return n
}

// stmtSize is the length of one statement in a commit record.
func stmtSize(s stmt) int {
	n := uvarintLen(uint64(len(s.SQL))) + len(s.SQL) + uvarintLen(uint64(len(s.Args)))
	for _, a := range s.Args {
		n++
		switch v := a.(type) {
		case int64:
			n += varintLen(v)
		case float64:
			n += 8
		case string:
			n += uvarintLen(uint64(len(v))) + len(v)
		case []byte:
			n += uvarintLen(uint64(len(v))) + len(v)
		}
	}
	return n
}

// uvarintLen is how many bytes binary.AppendUvarint writes for v.
func uvarintLen(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

// varintLen is how many bytes binary.AppendVarint writes for v.
func varintLen(v int64) int {
	u := uint64(v) << 1
	if v < 0 {
		u = ^u
	}
	return uvarintLen(u)
}

var errBadRecord = errors.New("record does not decode")

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errBadRecord
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.err = errBadRecord
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

// decodeRecord returns the record kind and, for a commit (either kind)
// or a part, its statements.
func decodeRecord(b []byte) (byte, []stmt, error) {
	if len(b) == 0 {
		return 0, nil, errBadRecord
	}
	kind := b[0]
	if kind == recordAbort && len(b) == 1 {
		return kind, nil, nil
	}
	if kind != recordCommit && kind != recordRebuild && kind != recordPart {
		return 0, nil, errBadRecord
	}
	d := &decoder{b: b[1:]}
	n := d.uvarint()
	if n > uint64(len(b)) {
		return 0, nil, errBadRecord
	}
	stmts := make([]stmt, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		s := stmt{SQL: string(d.bytes())}
		na := d.uvarint()
		if na > uint64(len(d.b)) {
			return 0, nil, errBadRecord
		}
		for k := uint64(0); k < na && d.err == nil; k++ {
			if len(d.b) == 0 {
				return 0, nil, errBadRecord
			}
			t := d.b[0]
			d.b = d.b[1:]
			switch t {
			case argNull:
				s.Args = append(s.Args, nil)
			case argInt:
				v, m := binary.Varint(d.b)
				if m <= 0 {
					return 0, nil, errBadRecord
				}
				d.b = d.b[m:]
				s.Args = append(s.Args, v)
			case argFloat:
				if len(d.b) < 8 {
					return 0, nil, errBadRecord
				}
				s.Args = append(s.Args, math.Float64frombits(binary.LittleEndian.Uint64(d.b)))
				d.b = d.b[8:]
			case argText:
				s.Args = append(s.Args, string(d.bytes()))
			case argBlob:
				s.Args = append(s.Args, append([]byte{}, d.bytes()...))
			default:
				return 0, nil, errBadRecord
			}
		}
		stmts = append(stmts, s)
	}
	if d.err != nil || len(d.b) != 0 {
		return 0, nil, errBadRecord
	}
	return kind, stmts, nil
}
