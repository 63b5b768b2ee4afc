package data

import (
	"bytes"
	"testing"

	"mediadesk/data/internal/seal"
)

// TestFormatDocKeysAndNames pins what docs/store-format.md says of key
// derivation and names: the generation is decimal in the HKDF info and 16
// hex digits in the journal's file name; the label hash folds width, case
// and surrounding spaces.
func TestFormatDocKeysAndNames(t *testing.T) {
	dek, id := randomBytes(32), randomBytes(16)
	if got, want := journalKey(dek, id, 26), seal.DeriveKey(dek, id, "mediadesk journal v1 gen=26"); !bytes.Equal(got, want) || len(got) != 32 {
		t.Error("journal key: info is not `mediadesk journal v1 gen=<decimal>`")
	}
	if got, want := snapshotKey(dek, id, 26), seal.DeriveKey(dek, id, "mediadesk snapshot v1 gen=26"); !bytes.Equal(got, want) || len(got) != 32 {
		t.Error("snapshot key: info is not `mediadesk snapshot v1 gen=<decimal>`")
	}
	if got := journalName(26); got != "journal-000000000000001a.mdj" {
		t.Errorf("journal name %s", got)
	}
	salt := randomBytes(16)
	for _, name := range []string{"admin", " Admin ", "ADMIN", "ａｄｍｉｎ", "ＡＤＭＩＮ", "\u3000admin\t"} {
		if !bytes.Equal(labelHash(salt, name), labelHash(salt, "admin")) {
			t.Errorf("%q does not find the slot of admin", name)
		}
	}
	if bytes.Equal(labelHash(salt, "ad min"), labelHash(salt, "admin")) {
		t.Error("inner spaces are folded away")
	}
}
