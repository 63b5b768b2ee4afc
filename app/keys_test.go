package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"mediadesk/data"
	"mediadesk/sync/bundle"
)

const backupPass = "Backup-pass-2026"

// backupOf backs s's keys up and returns the file.
func backupOf(t *testing.T, s *Session) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.BackupKeys(&buf, backupPass); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// openBackup decrypts a backup the way any age implementation does: the
// Go library with an scrypt identity. (The real `age` CLI reads a
// passphrase only from a terminal, so a test cannot drive it.)
func openBackup(t *testing.T, file []byte, pass string) map[string]any {
	t.Helper()
	id, err := age.NewScryptIdentity(pass)
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(file), id)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(plain, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// sealBackup encrypts a backup document as BackupKeys does (cheaply).
func sealBackup(t *testing.T, plain []byte) []byte {
	t.Helper()
	rcpt, err := age.NewScryptRecipient(backupPass)
	if err != nil {
		t.Fatal(err)
	}
	rcpt.SetWorkFactor(10)
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rcpt)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(plain)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// laterClock moves s's clock a day on: the station rotates its key well
// after HQ registered the first one, so HQ sees the new key as the newest.
func laterClock(s *Session) {
	at := s.cfg.now().Add(24 * time.Hour)
	s.cfg.Now = func() time.Time { at = at.Add(time.Second); return at }
}

func TestKeyBackupFile(t *testing.T) {
	c := newCounty(t, 1)
	var buf bytes.Buffer
	var fe *FieldError
	if err := c.hq.BackupKeys(&buf, "password1"); !errors.As(err, &fe) || fe.Field != "passphrase" || buf.Len() != 0 {
		t.Fatalf("a weak passphrase: %v, %d bytes written", err, buf.Len())
	}
	hqStaff := &Session{cfg: c.hq.cfg, store: c.hq.store, unit: c.hq.unit, user: User{Name: "zhao", Role: HQStaff, Active: true}}
	if err := hqStaff.BackupKeys(&buf, backupPass); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("HQ staff backed the keys up: %v", err)
	}
	if err := c.stations[0].officer.BackupKeys(&buf, backupPass); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("an officer backed the keys up: %v", err)
	}
	file := backupOf(t, c.hq)
	if !bytes.HasPrefix(file, []byte("age-encryption.org/v1\n-> scrypt ")) {
		t.Fatalf("not an age passphrase file: %q", file[:40])
	}

	doc := openBackup(t, file, backupPass)
	unit := doc["unit"].(map[string]any)
	if doc["format"] != keyBackupFormat || doc["version"] != 1.0 || unit["id"] != c.hq.Unit().ID || unit["kind"] != "hq" {
		t.Fatalf("backup head: %v %v %v", doc["format"], doc["version"], unit)
	}
	own, _ := data.OwnKeys(c.hq.store.Reader())
	keys := doc["keys"].([]any)
	if len(keys) != len(own) || keys[0].(map[string]any)["key_id"] != own[0].KeyID {
		t.Fatalf("backup keys %v, want %d", keys, len(own))
	}
	st1 := map[string]any{}
	for _, u := range doc["units"].([]any) {
		if u.(map[string]any)["id"] == "st1" {
			st1 = u.(map[string]any)
		}
	}
	stKeys, _ := c.stations[0].admin.Keys()
	if st1["state"] != UnitRegistered || st1["keys"].([]any)[0].(map[string]any)["fingerprint"] != stKeys.Fingerprint {
		t.Fatalf("the register's st1: %v", st1)
	}

	// No secret (nor anything else) is readable in the file itself.
	for _, k := range own {
		var secret struct {
			Seed []byte `json:"ed25519_seed"`
			Age  string `json:"age_identity"`
		}
		if err := json.Unmarshal(k.Secret, &secret); err != nil || secret.Age == "" {
			t.Fatal(err)
		}
		for _, canary := range [][]byte{secret.Seed, []byte(base64.StdEncoding.EncodeToString(secret.Seed)), []byte(secret.Age),
			[]byte("AGE-SECRET-KEY"), []byte("mediadesk"), []byte(k.KeyID), []byte("st1")} {
			if bytes.Contains(file, canary) {
				t.Fatalf("the backup file shows %q in plain text", canary)
			}
		}
	}
}

func TestKeyBackupRestoreHQ(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	// HQ has sent bundle 1 before its backup: the new PC goes on from 2.
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	file := backupOf(t, c.hq)
	oldKeys, _ := c.hq.Keys()

	// Refused: the install that has the keys, a station, a wrong passphrase.
	if err := c.hq.RestoreKeys(bytes.NewReader(file), backupPass); !errors.Is(err, ErrNotFresh) {
		t.Fatalf("restore onto an install with keys: %v", err)
	}
	fresh := newStation(t)
	if err := fresh.admin.RestoreKeys(bytes.NewReader(file), backupPass); err == nil || !strings.Contains(err.Error(), "same kind") {
		t.Fatalf("an HQ backup restored on a station: %v", err)
	}
	hq := setupHQ(t)
	before, _ := data.CanonicalDump(hq.store.Reader())
	if err := hq.RestoreKeys(bytes.NewReader(file), "Wrong-pass-2026"); !errors.Is(err, ErrBackupPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if err := hq.RestoreKeys(bytes.NewReader(file[:len(file)-20]), backupPass); err == nil {
		t.Fatal("a truncated backup was restored")
	}
	if after, _ := data.CanonicalDump(hq.store.Reader()); after != before {
		t.Fatal("a refused restore changed the install")
	}

	if err := hq.RestoreKeys(bytes.NewReader(file), backupPass); err != nil {
		t.Fatal(err)
	}
	newKeys, err := hq.Keys()
	if err != nil || newKeys.Fingerprint != oldKeys.Fingerprint || hq.Unit().ID != c.hq.Unit().ID || hq.Unit().Name != c.hq.Unit().Name {
		t.Fatalf("restored HQ: %+v %+v %v", hq.Unit(), newKeys, err)
	}
	if err := hq.RestoreKeys(bytes.NewReader(file), backupPass); !errors.Is(err, ErrNotFresh) {
		t.Fatalf("restored twice: %v", err)
	}

	// A bundle the station made for the old PC imports into the new one,
	// and the new PC's bundles reach the station.
	p := sensitivePost(t, st, "重大警情通报")
	c.receive(hq, Imported, c.send(st.admin, "")...)
	if got, err := hq.Post(p.ID); err != nil || got.Post.Status != AwaitingHQ {
		t.Fatalf("the post at the new HQ: %v", err)
	}
	if _, err := hq.DecidePost(p.ID, p.ContentHash, true, "同意"); err != nil {
		t.Fatal(err)
	}
	back := c.send(hq, "st1")
	if m, err := bundle.ReadManifest(back[0]); err != nil || m.Sequence != 2 {
		t.Fatalf("the new HQ's first bundle: %v %v", m, err)
	}
	c.receive(st.admin, Imported, back...)
	if got, _ := st.officer.Post(p.ID); !got.Post.HQApproved {
		t.Fatal("the new HQ's decision did not reach the station")
	}
}

func TestKeyBackupRestoreStation(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	file := backupOf(t, st.admin)

	s, _, err := Setup(testConfig(t), SetupRequest{Kind: Station, UnitName: "新电脑", AdminName: "admin2", Password: "station-pass-2"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.RestoreKeys(bytes.NewReader(file), backupPass); err != nil {
		t.Fatal(err)
	}
	if s.Unit().ID != "st1" || s.Unit().Name != st.admin.Unit().Name {
		t.Fatalf("restored station is %+v", s.Unit())
	}
	units, _ := s.Units()
	if len(units) != 1 || units[0].ID != c.hq.Unit().ID {
		t.Fatalf("restored station knows %v", units)
	}
	// HQ's bundle is for st1's key: the new PC reads it.
	c.receive(s, Imported, c.send(c.hq, "st1")...)
	out := c.send(s, "")
	if m, err := VerifyBundle(context.Background(), out[0], c.hq); err != nil || m.Sequence != 2 {
		t.Fatalf("the new PC's first bundle: %+v %v", m, err)
	}
}

// validBackupDoc is a correct backup document of an HQ with one station.
func validBackupDoc(t *testing.T) []byte {
	t.Helper()
	c := newCounty(t, 1)
	b, err := c.hq.keyBackup(c.hq.store.Reader())
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := json.Marshal(b)
	return plain
}

func TestKeyBackupRefusesBadContent(t *testing.T) {
	plain := validBackupDoc(t)
	if _, err := parseKeyBackup(plain); err != nil {
		t.Fatalf("a valid backup: %v", err)
	}
	edit := func(f func(doc map[string]any)) []byte {
		var doc map[string]any
		json.Unmarshal(plain, &doc)
		f(doc)
		b, _ := json.Marshal(doc)
		return b
	}
	units := func(doc map[string]any) []any { return doc["units"].([]any) }
	key0 := func(doc map[string]any) map[string]any { return doc["keys"].([]any)[0].(map[string]any) }
	otherKeys, _ := bundle.GenerateKeys()
	cases := map[string][]byte{
		"not JSON":       []byte("{\"format\": \"mediadesk-key-backup\""),
		"other format":   edit(func(d map[string]any) { d["format"] = "mediadesk-keys" }),
		"newer version":  edit(func(d map[string]any) { d["version"] = 2 }),
		"unknown field":  edit(func(d map[string]any) { d["extra"] = true }),
		"trailing data":  append(append([]byte{}, plain...), []byte(" {}")...),
		"bad unit id":    edit(func(d map[string]any) { d["unit"].(map[string]any)["id"] = "../hq" }),
		"bad kind":       edit(func(d map[string]any) { d["unit"].(map[string]any)["kind"] = "police" }),
		"no keys":        edit(func(d map[string]any) { d["keys"] = []any{} }),
		"bad secret":     edit(func(d map[string]any) { key0(d)["secret"] = map[string]any{"format": "mediadesk-keys", "version": 1} }),
		"key id":         edit(func(d map[string]any) { key0(d)["key_id"] = "0000000000000000" }),
		"another secret": edit(func(d map[string]any) { key0(d)["secret"] = json.RawMessage(otherKeys.MarshalSecret()) }),
		"no self":        edit(func(d map[string]any) { d["units"] = units(d)[1:] }),
		"unit twice":     edit(func(d map[string]any) { d["units"] = append(units(d), units(d)[1]) }),
		"bad state": edit(func(d map[string]any) {
			units(d)[1].(map[string]any)["state"] = "lost"
		}),
		"bad fingerprint": edit(func(d map[string]any) {
			units(d)[1].(map[string]any)["keys"].([]any)[0].(map[string]any)["fingerprint"] = "0000 0000 0000 0000 0000 0000"
		}),
		"station as hq": edit(func(d map[string]any) { units(d)[1].(map[string]any)["kind"] = "hq" }),
		"bad numbers":   edit(func(d map[string]any) { units(d)[1].(map[string]any)["received_later"] = []any{0} }),
		"rotation key":  edit(func(d map[string]any) { d["rotation_key"] = "0000000000000000" }),
	}
	hq := setupHQ(t)
	before, _ := data.CanonicalDump(hq.store.Reader())
	for name, doc := range cases {
		if _, err := parseKeyBackup(doc); err == nil || !strings.Contains(err.Error(), " / ") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Through the whole restore: refused, nothing changed.
	for _, name := range []string{"bad secret", "bad fingerprint", "no self"} {
		if err := hq.RestoreKeys(bytes.NewReader(sealBackup(t, cases[name])), backupPass); err == nil {
			t.Errorf("%s was restored", name)
		}
	}
	if after, _ := data.CanonicalDump(hq.store.Reader()); after != before {
		t.Error("a refused restore changed the install")
	}
	if own, _ := data.OwnKeys(hq.store.Reader()); len(own) != 0 {
		t.Error("a refused restore left keys")
	}
}

// sampleBackupDoc builds a valid backup document of an HQ with one
// station without a store (a fuzz seed).
func sampleBackupDoc(f *testing.F) []byte {
	hqKeys, err := bundle.GenerateKeys()
	if err != nil {
		f.Fatal(err)
	}
	stKeys, _ := bundle.GenerateKeys()
	pub := func(k *bundle.Keys) []backupUnitKey {
		p := k.Public()
		return []backupUnitKey{{KeyID: p.KeyID(), Minisign: p.Minisign(), Age: p.Age(), Fingerprint: p.Fingerprint(), AddedAt: 1}}
	}
	b := keyBackup{Format: keyBackupFormat, Version: keyBackupVersion, Created: 1, Unit: backupUnit{ID: "hq", Name: "宣传科", Kind: HQ},
		Keys: []backupOwnKey{{KeyID: hqKeys.Public().KeyID(), CreatedAt: 1, Secret: hqKeys.MarshalSecret()}},
		Units: []backupRegUnit{{ID: "hq", Name: "宣传科", Kind: HQ, State: UnitRegistered, Keys: pub(hqKeys)},
			{ID: "st1", Name: "城关派出所", Kind: Station, State: UnitRegistered, Keys: pub(stKeys), SentSeq: 3, ReceivedContiguous: 2, ReceivedLater: []int64{4}}}}
	plain, _ := json.Marshal(b)
	if _, err := parseKeyBackup(plain); err != nil {
		f.Fatal(err)
	}
	return plain
}

func FuzzParseKeyBackup(f *testing.F) {
	f.Add(sampleBackupDoc(f))
	f.Add([]byte(`{"format":"mediadesk-key-backup","version":1,"unit":{"id":"hq","name":"宣传科","kind":"hq"},"keys":[],"units":[]}`))
	f.Add([]byte(`{"format":"mediadesk-key-backup","version":1,"keys":[{"key_id":"1","secret":{"format":"mediadesk-keys","version":1}}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		kb, err := parseKeyBackup(b)
		if err != nil {
			if !strings.Contains(err.Error(), " / ") {
				t.Fatalf("an error in one language: %v", err)
			}
			return
		}
		again, _ := json.Marshal(kb)
		if _, err := parseKeyBackup(again); err != nil {
			t.Fatalf("a backup that parsed does not parse again: %v", err)
		}
	})
}

func TestRotateKeys(t *testing.T) {
	ctx := context.Background()
	c := newCounty(t, 1)
	st := c.stations[0]
	old, _ := st.admin.Keys()
	if _, err := st.officer.RotateKeys(); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("an officer rotated: %v", err)
	}
	if _, err := c.hq.RotateKeys(); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("HQ rotated: %v", err)
	}
	laterClock(st.admin)
	nk, err := st.admin.RotateKeys()
	if err != nil || nk.KeyID == old.KeyID {
		t.Fatalf("rotate: %+v %v", nk, err)
	}
	if _, err := st.admin.RotateKeys(); !errors.Is(err, ErrRotationPending) {
		t.Fatalf("a second rotation before HQ acknowledged the first: %v", err)
	}
	keys, err := st.admin.OwnKeys()
	if err != nil || len(keys) != 2 || !keys[0].Pending || keys[0].Signing || !keys[1].Signing || keys[0].KeyID != nk.KeyID {
		t.Fatalf("own keys while rotating: %+v %v", keys, err)
	}

	// The station's next bundle is signed with the old key and carries the new one.
	out := c.send(st.admin, "")
	m, err := VerifyBundle(ctx, out[0], c.hq)
	if err != nil || m.Sender.KeyID != old.KeyID || m.Counts["unit_key"] == 0 {
		t.Fatalf("bundle during the rotation: key %s, counts %v, %v", m.Sender.KeyID, m.Counts, err)
	}
	c.receive(c.hq, Imported, out...)
	if k, err := data.UnitKeyByID(c.hq.store.Reader(), nk.KeyID); err != nil || k.UnitID != "st1" {
		t.Fatalf("HQ does not have the new key: %v", err)
	}

	// HQ answers to the new key; the station reads it and its ack switches the station over.
	back := c.send(c.hq, "st1")
	if m, err := bundle.ReadManifest(back[0]); err != nil || m.Receiver.Age != nk.Age {
		t.Fatalf("HQ encrypted to %v (%v), want the new key", m.Receiver.Age, err)
	}
	c.receive(st.admin, Imported, back...)
	if k, _ := st.admin.Keys(); k.KeyID != nk.KeyID {
		t.Fatalf("after HQ's ack the station signs with %s, want %s", k.KeyID, nk.KeyID)
	}
	again := c.send(st.admin, "")
	if m, err := VerifyBundle(ctx, again[0], c.hq); err != nil || m.Sender.KeyID != nk.KeyID {
		t.Fatalf("bundle after the rotation: %s %v", m.Sender.KeyID, err)
	}
	c.receive(c.hq, Imported, again...)
	if _, err := st.admin.RotateKeys(); err != nil {
		t.Fatalf("rotating again after the first was acknowledged: %v", err)
	}
}

// TestRebuiltHQTakesStationAgain: HQ's PC is lost with no data backup and
// rebuilt from a key backup. A station's next bundle refers to users and a
// notice the new HQ never had and is refused, saying so. HQ's bundles ask
// every station to send all its records again; once the station has HQ's
// bundle, its next one carries everything, its answer to the lost notice
// too, and the two exchange work again.
func TestRebuiltHQTakesStationAgain(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	n := mustNotice(t)(c.hq.IssueNotice(goodNotice()))
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	answer, err := st.officer.AnswerNotice(n.ID, "已整改，恢复日常发布。")
	if err != nil {
		t.Fatal(err)
	}
	before := sensitivePost(t, st, "重建前的稿件")
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	file := backupOf(t, c.hq)

	hq := setupHQ(t)
	if err := hq.RestoreKeys(bytes.NewReader(file), backupPass); err != nil {
		t.Fatal(err)
	}
	after := sensitivePost(t, st, "重建后的稿件")
	r := hq.ImportBundles(context.Background(), c.send(st.admin, ""), nil)
	var conflict *data.ImportConflictError
	if r[0].Result != Refused || !errors.As(r[0].Err, &conflict) || !strings.Contains(r[0].Err.Error(), "密钥备份重建") {
		t.Fatalf("the station's bundle at the rebuilt HQ: %s %v", r[0].Result, r[0].Err)
	}

	ask := c.send(hq, "st1")
	if m, err := bundle.ReadManifest(ask[0]); err != nil || !m.Ack.Resend {
		t.Fatalf("the rebuilt HQ's bundle does not ask for everything: %+v %v", m, err)
	}
	c.receive(st.admin, Imported, ask...)
	c.receive(hq, Imported, c.send(st.admin, "")...)
	for _, p := range []Post{before, after} {
		if got, err := hq.Post(p.ID); err != nil || got.Post.Status != AwaitingHQ {
			t.Fatalf("%s at the rebuilt HQ: %+v %v", p.Title, got.Post, err)
		}
	}
	if got, err := data.NoticeAnswers(hq.store.Reader(), n.ID); err != nil || len(got) != 1 || got[0].ID != answer.ID {
		t.Fatalf("the answer to the lost notice at the rebuilt HQ: %+v %v", got, err)
	}
	if lost, err := hq.AnswersToLostNotices(); err != nil || len(lost) != 1 || lost[0].ID != answer.ID || lost[0].UnitName != "派出所st1" {
		t.Fatalf("answers to lost notices at the rebuilt HQ: %+v %v", lost, err)
	}
	if lost, err := c.hq.AnswersToLostNotices(); err != nil || len(lost) != 0 {
		t.Fatalf("answers to lost notices at the HQ that has the notice: %+v %v", lost, err)
	}
	if _, err := st.admin.AnswersToLostNotices(); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("a station lists answers to lost notices: %v", err)
	}
	if _, err := hq.DecidePost(after.ID, after.ContentHash, true, "同意"); err != nil {
		t.Fatal(err)
	}
	c.receive(st.admin, Imported, c.send(hq, "st1")...)
	if got, _ := st.officer.Post(after.ID); !got.Post.HQApproved {
		t.Fatal("the rebuilt HQ's decision did not reach the station")
	}
}
