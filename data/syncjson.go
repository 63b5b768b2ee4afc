package data

import (
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// A record's data is {"row": {column: value}, "children": {table: [rows]}}
// (docs/sync-records.md §1): objects of scalars two levels down at most.
// An import reads tens of thousands of them, so they are parsed here in
// one pass straight into column maps, where encoding/json would check the
// text, then walk it again through reflection. Values come out as
// encoding/json gives them with UseNumber: string, json.Number, bool or
// nil; a nested object or array as nestedValue, which no column takes.

// errBadBody says a record's data is not a valid record body.
var errBadBody = errors.New("data: not a record body")

// nestedValue stands for an object or array where a column value belongs.
type nestedValue struct{}

// bodyParser reads one record body.
type bodyParser struct {
	b []byte
	i int
}

// parseRecordBody parses a record's data. Keys other than row and
// children are skipped; each of the two may appear once. rowColumns is
// how many columns the row is likely to have (its map is made that size).
func parseRecordBody(data []byte, rowColumns int) (recordBody, error) {
	p := &bodyParser{b: data}
	var body recordBody
	err := p.object(func(key string) error {
		switch {
		case key == "row" && body.Row == nil:
			var err error
			body.Row, err = p.row(rowColumns)
			return err
		case key == "children" && body.Children == nil:
			body.Children = map[string][]map[string]any{}
			if p.literal("null") {
				return nil
			}
			return p.object(func(table string) error {
				if _, dup := body.Children[table]; dup {
					return errBadBody
				}
				var rows []map[string]any
				if p.literal("null") {
					body.Children[table] = nil
					return nil
				}
				size := 0 // a table's rows are likely the size of the one before
				err := p.array(func() error {
					row, err := p.row(size)
					rows, size = append(rows, row), len(row)
					return err
				})
				body.Children[table] = rows
				return err
			})
		case key == "row" || key == "children":
			return errBadBody
		}
		return p.skip()
	})
	if err != nil {
		return recordBody{}, err
	}
	if p.space(); p.i != len(p.b) {
		return recordBody{}, errBadBody
	}
	return body, nil
}

// row parses an object of column values ("null" gives a nil map), into
// a map made for size columns.
func (p *bodyParser) row(size int) (map[string]any, error) {
	if p.literal("null") {
		return nil, nil
	}
	row := make(map[string]any, size)
	err := p.object(func(key string) error {
		if _, dup := row[key]; dup {
			return errBadBody
		}
		v, err := p.value()
		row[key] = v
		return err
	})
	return row, err
}

// object parses an object, calling field after each key with the parser
// at the key's value, which field must consume.
func (p *bodyParser) object(field func(key string) error) error {
	if !p.next('{') {
		return errBadBody
	}
	if p.next('}') {
		return nil
	}
	for {
		key, err := p.str()
		if err != nil {
			return err
		}
		if !p.next(':') {
			return errBadBody
		}
		if err := field(key); err != nil {
			return err
		}
		if p.next('}') {
			return nil
		}
		if !p.next(',') {
			return errBadBody
		}
	}
}

// array parses an array, calling elem with the parser at each element.
func (p *bodyParser) array(elem func() error) error {
	if !p.next('[') {
		return errBadBody
	}
	if p.next(']') {
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		if p.next(']') {
			return nil
		}
		if !p.next(',') {
			return errBadBody
		}
	}
}

// value parses a column value.
func (p *bodyParser) value() (any, error) {
	p.space()
	if p.i == len(p.b) {
		return nil, errBadBody
	}
	switch c := p.b[p.i]; {
	case c == '"':
		return p.str()
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	case c == '{' || c == '[':
		return nestedValue{}, p.skip()
	case p.literal("null"):
		return nil, nil
	case p.literal("true"):
		return true, nil
	case p.literal("false"):
		return false, nil
	}
	return nil, errBadBody
}

// skip parses any value and drops it.
func (p *bodyParser) skip() error {
	p.space()
	if p.i == len(p.b) {
		return errBadBody
	}
	switch p.b[p.i] {
	case '{':
		return p.object(func(string) error { return p.skip() })
	case '[':
		return p.array(p.skip)
	}
	_, err := p.value()
	return err
}

// str parses a string. Text without escapes is taken as it is;
// encoding/json decodes the rest (escapes, invalid UTF-8).
func (p *bodyParser) str() (string, error) {
	if !p.next('"') {
		return "", errBadBody
	}
	start, plain := p.i, true
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			raw := p.b[start:p.i]
			p.i++
			if plain && utf8.Valid(raw) {
				return string(raw), nil
			}
			var s string
			if err := json.Unmarshal(p.b[start-1:p.i], &s); err != nil {
				return "", errBadBody
			}
			return s, nil
		case c == '\\':
			plain = false
			p.i++ // the escaped character cannot end the string
		case c < 0x20:
			return "", errBadBody
		}
	}
	return "", errBadBody
}

// number parses a number as JSON's grammar has it.
func (p *bodyParser) number() (json.Number, error) {
	start := p.i
	p.accept('-')
	if !p.accept('0') && !p.digits() {
		return "", errBadBody
	}
	if p.accept('.') && !p.digits() {
		return "", errBadBody
	}
	if p.accept('e') || p.accept('E') {
		if !p.accept('+') {
			p.accept('-')
		}
		if !p.digits() {
			return "", errBadBody
		}
	}
	return json.Number(p.b[start:p.i]), nil
}

// digits consumes one or more digits.
func (p *bodyParser) digits() bool {
	start := p.i
	for p.i < len(p.b) && '0' <= p.b[p.i] && p.b[p.i] <= '9' {
		p.i++
	}
	return p.i > start
}

// accept consumes c if it comes next (no space skipped).
func (p *bodyParser) accept(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// next skips space and consumes c if it comes next.
func (p *bodyParser) next(c byte) bool {
	p.space()
	return p.accept(c)
}

// literal skips space and consumes the word w if it comes next.
func (p *bodyParser) literal(w string) bool {
	p.space()
	if len(p.b)-p.i >= len(w) && string(p.b[p.i:p.i+len(w)]) == w {
		p.i += len(w)
		return true
	}
	return false
}

// space skips JSON white space.
func (p *bodyParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}
