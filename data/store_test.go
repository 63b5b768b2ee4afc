package data

import (
	"errors"
	"strings"
	"testing"
)

// testKDF keeps Argon2id cheap in tests; the parameters are stored per
// slot, so production stores still use DefaultKDF.
var testKDF = KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

var testOpts = Options{KDF: testKDF}

func newTestStore(t testing.TB) (*Store, string, string) {
	t.Helper()
	dir := t.TempDir()
	s, rk, err := Create(dir, "admin", "correct horse", testOpts, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir, rk
}

func mustWrite(t testing.TB, s *Store, fn func(*Tx) error) {
	t.Helper()
	if err := s.Write(fn); err != nil {
		t.Fatal(err)
	}
}

func addNote(t testing.TB, s *Store, key, value string) {
	t.Helper()
	mustWrite(t, s, func(tx *Tx) error { return SetSetting(tx, key, value) })
}

func reopen(t testing.TB, s *Store, dir string) *Store {
	t.Helper()
	if s != nil {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	s2, err := Open(dir, "admin", "correct horse", testOpts)
	if err != nil {
		t.Fatal(err)
	}
	return s2
}

func TestCreateOpenRoundTrip(t *testing.T) {
	s, dir, rk := newTestStore(t)
	addNote(t, s, "unit", "汤阴县公安局城关派出所")
	s = reopen(t, s, dir)
	if v, err := Setting(s.Reader(), "unit"); err != nil || v != "汤阴县公安局城关派出所" {
		t.Fatalf("after reopen: %q %v", v, err)
	}
	s.Close()
	if _, err := Open(dir, "admin", "wrong password", testOpts); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := Open(dir, "nobody", "correct horse", testOpts); !errors.Is(err, ErrUnknownUser) {
		t.Fatalf("unknown user: %v", err)
	}
	s, err := Open(dir, " ADMIN ", "correct horse", testOpts)
	if err != nil {
		t.Fatalf("name should ignore case and spaces: %v", err)
	}
	defer s.Close()
	if _, err := OpenWithRecoveryKey(dir, rk, testOpts); !errors.Is(err, ErrInUse) {
		t.Fatalf("second instance: %v", err)
	}
}

func TestRecoveryKeyOpens(t *testing.T) {
	s, dir, rk := newTestStore(t)
	s.Close()
	s, err := OpenWithRecoveryKey(dir, strings.ToLower(strings.ReplaceAll(rk, "-", " ")), testOpts)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := OpenWithRecoveryKey(dir, "AAAA-BBBB", testOpts); !errors.Is(err, ErrWrongRecoveryKey) {
		t.Fatalf("bad recovery key: %v", err)
	}
}
