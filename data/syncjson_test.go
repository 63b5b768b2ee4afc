package data

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// bodyCorpus are record bodies, valid and not, that the record body
// parser must read as encoding/json does.
var bodyCorpus = []string{
	`{"row":{"id":"p1","version":3,"title":"反诈提醒","score":1.5e2,"account_id":null}}`,
	` { "children" : { "post_events" : [ { "id" : "e1" , "at" : -2 } ] , "post_images" : [ ] } , "row" : { "id" : "p1" } } `,
	`{"row":{"t":"a\"b\\c\/d\n\u0026\u2028\ud83d\ude00"},"children":{}}`,
	`{"row":{"t":"` + "\xff\xfe" + `"}}`,
	`{"row":{"t":"\ud800"}}`,
	`{"row":{"n":0,"m":-0.5,"e":1E+3,"f":2e-3}}`,
	`{"row":{"b":true,"c":false,"o":{"x":[1,{"y":2}]},"a":[]}}`,
	`{"extra":[1,"two",{"three":null}],"row":{"id":"p1"}}`,
	`{"row":{"id":"p1"},"children":null}`,
	`{"row":{"id":"p1"},"children":{"post_events":null}}`,
	`{"row":{"id":"p1"},"children":{"post_events":[null]}}`,
	`{"row":null}`,
	`{}`,
	`{"row":{"n":01}}`,
	`{"row":{"n":1.}}`,
	`{"row":{"n":.5}}`,
	`{"row":{"n":-}}`,
	`{"row":{"n":1e}}`,
	`{"row":{"n":+1}}`,
	`{"row":{"t":"` + "\t" + `"}}`,
	`{"row":{"t":"\x"}}`,
	`{"row":{"t":"\u12"}}`,
	`{"row":{"t":"open}}`,
	`{"row":{"id":"p1"}`,
	`{"row":{"id":"p1"}} x`,
	`{"Row":{"id":"p1"}}`,
	`{"ROW":{"id":"p1"},"row":{"id":"p2"}}`,
	`{"row":{"id":"p1",}}`,
	`{"row":{"id" "p1"}}`,
	`{"row":{"id":nul}}`,
	`{"row":{"id":truex}}`,
	`[{"row":{}}]`,
	`"row"`,
	``,
}

// TestParseRecordBody checks the record body parser against encoding/json:
// the same fields where both read a body, and no body read where
// encoding/json finds invalid JSON.
func TestParseRecordBody(t *testing.T) {
	for _, in := range bodyCorpus {
		checkRecordBody(t, []byte(in))
	}
	if _, err := parseRecordBody([]byte(`{"row":{"id":"a","id":"b"}}`), 0); err == nil {
		t.Error("a column given twice was taken")
	}
}

func FuzzParseRecordBody(f *testing.F) {
	for _, in := range bodyCorpus {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) { checkRecordBody(t, in) })
}

// checkRecordBody compares parseRecordBody with encoding/json on one input.
func checkRecordBody(t *testing.T, in []byte) {
	t.Helper()
	got, err := parseRecordBody(in, 0)
	want, werr := decodeBodyExact(in)
	switch {
	case werr != nil && err == nil:
		t.Fatalf("%q: parsed, encoding/json says %v", in, werr)
	case err != nil:
		return // stricter than encoding/json: duplicate keys, a null children object
	}
	normal := func(b recordBody) recordBody {
		for _, row := range append([]map[string]any{b.Row}, flatten(b.Children)...) {
			for k, v := range row {
				switch v.(type) {
				case map[string]any, []any, nestedValue:
					row[k] = nestedValue{}
				}
			}
		}
		for table, rows := range b.Children {
			if len(rows) == 0 {
				b.Children[table] = nil
			}
		}
		if len(b.Children) == 0 {
			b.Children = nil
		}
		return b
	}
	if g, w := normal(got), normal(want); !reflect.DeepEqual(g, w) {
		t.Fatalf("%q:\nparsed        %#v\nencoding/json %#v", in, g, w)
	}
}

// decodeBodyExact reads a record body with encoding/json, except that it
// takes "row" and "children" only as spelled: encoding/json matches
// struct fields without regard to case ({"Row":…} fills Row), the record
// body parser rightly does not.
func decodeBodyExact(in []byte) (recordBody, error) {
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(in))
	if err := dec.Decode(&top); err != nil {
		return recordBody{}, err
	}
	if dec.More() || !json.Valid(in) {
		return recordBody{}, errBadBody // the decoder stops after one value
	}
	var b recordBody
	for key, dst := range map[string]any{"row": &b.Row, "children": &b.Children} {
		raw, ok := top[key]
		if !ok {
			continue
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(dst); err != nil {
			return recordBody{}, err
		}
	}
	return b, nil
}

func flatten(children map[string][]map[string]any) []map[string]any {
	var out []map[string]any
	for _, rows := range children {
		out = append(out, rows...)
	}
	return out
}
