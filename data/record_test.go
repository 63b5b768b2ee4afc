package data

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestEncodeCommitSized checks that the size commitSize reserves is
// exactly what it writes, and that the record decodes to what went in,
// for every argument type and for lengths and numbers whose varints
// take several bytes.
func TestEncodeCommitSized(t *testing.T) {
	stmts := []stmt{
		{SQL: "INSERT INTO settings(key, value) VALUES (?, ?)", Args: []any{"汤阴", strings.Repeat("平安", 100)}},
		{SQL: strings.Repeat("x", 200), Args: []any{nil, int64(0), int64(-1), int64(63), int64(-64), int64(64), int64(math.MaxInt64), int64(math.MinInt64),
			1.5, []byte{}, []byte(strings.Repeat("b", 20000))}},
		{SQL: "DELETE FROM settings"},
	}
	for n := range len(stmts) + 1 {
		b := appendCommit(make([]byte, 0, commitSize(stmts[:n])), recordCommit, stmts[:n])
		if len(b) != commitSize(stmts[:n]) || cap(b) != len(b) {
			t.Fatalf("%d statements: encoded %d bytes (capacity %d), sized %d", n, len(b), cap(b), commitSize(stmts[:n]))
		}
		kind, got, err := decodeRecord(b)
		if err != nil || kind != recordCommit || len(got) != n {
			t.Fatalf("%d statements: decoded kind %d, %d statements, %v", n, kind, len(got), err)
		}
		for i := range got {
			if got[i].SQL != stmts[i].SQL || len(got[i].Args) != len(stmts[i].Args) || (len(got[i].Args) > 0 && !reflect.DeepEqual(got[i].Args, stmts[i].Args)) {
				t.Fatalf("statement %d: %+v, want %+v", i, got[i], stmts[i])
			}
		}
	}
}

// FuzzDecodeRecord: a journal record's plaintext either fails to decode
// or decodes to a kind and statements that encode to a record decoding to
// the same again (commit, rebuild and part records alike).
func FuzzDecodeRecord(f *testing.F) {
	stmts := []stmt{
		{SQL: "INSERT INTO t(a, b, c, d, e) VALUES (?, ?, ?, ?, ?)", Args: []any{int64(-5), 1.5, "汤阴", []byte{0, 1}, nil}},
		{SQL: "DELETE FROM t"},
	}
	for _, kind := range []byte{recordCommit, recordRebuild, recordPart} {
		f.Add(appendCommit(nil, kind, stmts))
	}
	f.Add([]byte{recordAbort})
	f.Fuzz(func(t *testing.T, in []byte) {
		kind, got, err := decodeRecord(in)
		if err != nil || kind == recordAbort {
			return
		}
		enc := appendCommit(nil, kind, got)
		kind2, got2, err := decodeRecord(enc)
		if err != nil || kind2 != kind {
			t.Fatalf("%x decoded to kind %d, %d statements; encoded again it gives kind %d, %v", in, kind, len(got), kind2, err)
		}
		if again := appendCommit(nil, kind2, got2); !bytes.Equal(again, enc) {
			t.Fatalf("%x: the statements do not survive encoding: %x then %x", in, enc, again)
		}
	})
}
