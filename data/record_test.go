package data

import (
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
