package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"filippo.io/age"

	"mediadesk/data"
	"mediadesk/sync/bundle"
)

// Key backup, restore and rotation.
//
// A key backup is an age file encrypted to a passphrase (an scrypt
// recipient) holding one JSON document, keyBackup: the unit, its key
// pairs, and the register of units it exchanges bundles with, their
// public keys and the bundle numbers, so that a new PC of the same kind
// takes over. The standard tool opens it with `age -d FILE` (it reads the
// passphrase from a terminal only).
//
// A rotation gives a station a new key pair. Its public half travels to HQ
// as a unit_key record in the next bundle, signed with the current key; the
// station keeps signing with the current key until HQ has acknowledged a
// bundle that carried the new one (signingKeys), and HQ encrypts to the new
// key as soon as it has it. HQ retires the old key when it imports that
// bundle (retireReplaced): from then on it applies nothing signed with the
// old key, so a station that rotated because its key may have leaked is
// safe once that one bundle is in (ErrReplacedSigner, sync.go). HQ's own
// keys do not rotate.

const (
	keyBackupFormat  = "mediadesk-key-backup"
	keyBackupVersion = 1
	// maxKeyBackup bounds a backup file and its content.
	maxKeyBackup = 16 << 20
	// maxBackupItems bounds the lists in a backup (keys, units, numbers).
	maxBackupItems = 10000
	// keyRotation is the settings key naming a station's newest key pair
	// while it is a rotation HQ may not have acknowledged yet.
	keyRotation = "sync.rotation_key"
	// keyHQRecipient is the recipient (a key of this station) that the
	// newest HQ bundle applied here was encrypted to.
	keyHQRecipient = "sync.hq_recipient"
)

// Key backup and rotation errors.
var (
	ErrNotFresh = errors.New("本机已有单位密钥或已同步过，不能在这里恢复：请在新的数据目录中初始化同类工作台（mediadesk init）后再恢复 / " +
		"this install already has keys or has exchanged bundles: set up a new install of the same kind in a new data folder (mediadesk init) and restore there")
	ErrBackupPassphrase = errors.New("口令不对，或文件不是本工作台的密钥备份 / wrong passphrase, or not a Media Desk key backup")
	ErrRotationPending  = errors.New("上次更换的密钥还没有得到宣传科确认，请先与宣传科交换一次同步包 / HQ has not acknowledged the last new key yet: exchange bundles with HQ first")
)

// keyBackup is the JSON document inside a key backup.
type keyBackup struct {
	Format      string          `json:"format"`
	Version     int             `json:"version"`
	Created     int64           `json:"created"` // Unix ms
	Unit        backupUnit      `json:"unit"`
	Keys        []backupOwnKey  `json:"keys"`
	Units       []backupRegUnit `json:"units"`
	RotationKey string          `json:"rotation_key,omitempty"` // a station's new key HQ has not acknowledged
}

// backupUnit is the unit whose keys a backup holds.
type backupUnit struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
}

// backupOwnKey is one of the unit's key pairs; Secret is
// bundle.Keys.MarshalSecret.
type backupOwnKey struct {
	KeyID     string          `json:"key_id"`
	CreatedAt int64           `json:"created_at"`
	RetiredAt int64           `json:"retired_at,omitempty"`
	Secret    json.RawMessage `json:"secret"`
}

// backupRegUnit is a unit of the register (the unit itself included): its
// state, public keys, and the bundle numbers exchanged with it.
type backupRegUnit struct {
	ID                 string          `json:"id"`
	Name               string          `json:"name"`
	Kind               Kind            `json:"kind"`
	State              string          `json:"state"`
	EnrolledAt         int64           `json:"enrolled_at"`
	RegisteredAt       int64           `json:"registered_at,omitempty"`
	RevokedAt          int64           `json:"revoked_at,omitempty"`
	UpdatedAt          int64           `json:"updated_at"`
	Keys               []backupUnitKey `json:"keys"`
	SentSeq            int64           `json:"sent_seq"`
	ReceivedContiguous int64           `json:"received_contiguous"`
	ReceivedLater      []int64         `json:"received_later,omitempty"` // earlier builds: folded into ReceivedContiguous
}

// backupUnitKey is a public key pair in the register.
type backupUnitKey struct {
	KeyID       string `json:"key_id"`
	Minisign    string `json:"minisign"`
	Age         string `json:"age"`
	Fingerprint string `json:"fingerprint"`
	AddedAt     int64  `json:"added_at"`
	RetiredAt   int64  `json:"retired_at,omitempty"`
	RevokedAt   int64  `json:"revoked_at,omitempty"`
}

// validBackupPassphrase refuses a passphrase weaker than Fair: unlike a
// password, a backup file can be attacked offline for as long as it exists.
func validBackupPassphrase(p string) error {
	if PasswordStrength(p) >= Fair {
		return nil
	}
	return &FieldError{Field: "passphrase", Msg: fmt.Sprintf("备份口令太弱：至少 %d 个字符，且要么至少 10 个字符并混用两类字符，要么混用三类字符（小写字母、大写字母、数字、其他） / "+
		"the backup passphrase is too weak: at least %d characters, and either 10 or more mixing two kinds of characters or any length mixing three (lower case, upper case, digits, others)",
		MinPasswordLength, MinPasswordLength)}
}

// scryptWorkFactor is the cost (log2 N) of a backup's passphrase: age's
// default, or a cheap one when the store itself was opened with cheaper
// than default key derivation (tests).
func (s *Session) scryptWorkFactor() int {
	if kdf := s.cfg.Store.KDF; kdf != (data.KDFParams{}) && kdf.MemoryKiB < data.DefaultKDF.MemoryKiB {
		return 10
	}
	return 18
}

// BackupKeys (an admin) writes this unit's key pairs and its register of
// units to w as an age file that only passphrase opens.
func (s *Session) BackupKeys(w io.Writer, passphrase string) error {
	if err := s.requireAdmin(); err != nil {
		return err
	}
	if err := validBackupPassphrase(passphrase); err != nil {
		return err
	}
	b, err := s.keyBackup(s.store.Reader())
	if err != nil {
		return err
	}
	plain, err := json.Marshal(b)
	if err != nil {
		return err
	}
	rcpt, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return err
	}
	rcpt.SetWorkFactor(s.scryptWorkFactor())
	enc, err := age.Encrypt(w, rcpt)
	if err == nil {
		_, err = enc.Write(plain)
	}
	if err == nil {
		err = enc.Close()
	}
	if err != nil {
		return fmt.Errorf("无法写入密钥备份 / cannot write the key backup: %w", err)
	}
	return s.audit("sync.keys.backup", s.unit.ID, fmt.Sprintf("%d keys, %d units", len(b.Keys), len(b.Units)))
}

// keyBackup collects what a backup holds.
func (s *Session) keyBackup(q data.Querier) (*keyBackup, error) {
	own, err := data.OwnKeys(q)
	if err != nil {
		return nil, err
	}
	if len(own) == 0 {
		return nil, ErrNoKeys
	}
	b := &keyBackup{Format: keyBackupFormat, Version: keyBackupVersion, Created: s.now(),
		Unit: backupUnit{ID: s.unit.ID, Name: s.unit.Name, Kind: s.unit.Kind}, Keys: []backupOwnKey{}, Units: []backupRegUnit{}}
	for _, k := range own {
		b.Keys = append(b.Keys, backupOwnKey{KeyID: k.KeyID, CreatedAt: k.CreatedAt, RetiredAt: k.RetiredAt, Secret: k.Secret})
	}
	units, err := data.ListUnits(q)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		keys, err := data.UnitKeys(q, u.ID)
		if err != nil {
			return nil, err
		}
		p, err := data.PeerByID(q, u.ID)
		if err != nil {
			return nil, err
		}
		ru := backupRegUnit{ID: u.ID, Name: u.Name, Kind: Kind(u.Kind), State: u.State, EnrolledAt: u.EnrolledAt, RegisteredAt: u.RegisteredAt,
			RevokedAt: u.RevokedAt, UpdatedAt: u.UpdatedAt, Keys: []backupUnitKey{}, SentSeq: p.SentSeq,
			ReceivedContiguous: p.ReceivedContiguous}
		for _, k := range keys {
			ru.Keys = append(ru.Keys, backupUnitKey{KeyID: k.KeyID, Minisign: k.SigningPublic, Age: k.Recipient, Fingerprint: k.Fingerprint,
				AddedAt: k.AddedAt, RetiredAt: k.RetiredAt, RevokedAt: k.RevokedAt})
		}
		b.Units = append(b.Units, ru)
	}
	newest, err := bundle.ParseKeys(own[0].Secret)
	if err != nil {
		return nil, err
	}
	if pending, err := rotationPending(q, newest); err != nil {
		return nil, err
	} else if pending {
		b.RotationKey = own[0].KeyID
	}
	return b, nil
}

// RestoreKeys (an admin) takes over the keys and register of a key backup
// on a freshly set-up install of the same kind: it adopts the backup's
// unit id and name, stores the key pairs and the register, all or nothing.
func (s *Session) RestoreKeys(r io.Reader, passphrase string) error {
	if err := s.requireAdmin(); err != nil {
		return err
	}
	if err := requireFresh(s.store.Reader()); err != nil {
		return err
	}
	plain, err := decryptKeyBackup(r, passphrase)
	if err != nil {
		return err
	}
	b, err := parseKeyBackup(plain)
	if err != nil {
		return err
	}
	if b.Unit.Kind != s.unit.Kind {
		return fmt.Errorf("备份来自%s，本机是%s，只能恢复到同类工作台 / the backup comes from %s, this install is %s: restore it on an install of the same kind",
			kindName(b.Unit.Kind), kindName(s.unit.Kind), b.Unit.Kind, s.unit.Kind)
	}
	err = s.store.Write(func(tx *data.Tx) error {
		if err := requireFresh(tx); err != nil {
			return err
		}
		if s.unit.ID != b.Unit.ID {
			if err := data.RenameUnit(tx, s.unit.ID, b.Unit.ID); err != nil {
				return err
			}
			if err := data.SetSetting(tx, keyUnitID, b.Unit.ID); err != nil {
				return err
			}
		}
		if err := data.SetSetting(tx, keyUnitName, b.Unit.Name); err != nil {
			return err
		}
		if err := restoreRegister(tx, b); err != nil {
			return err
		}
		return data.AppendAudit(tx, s.now(), s.User().Name, "sync.keys.restore", b.Unit.ID, fmt.Sprintf("%d keys, %d units", len(b.Keys), len(b.Units)))
	})
	if err != nil {
		return err
	}
	s.unit.ID, s.unit.Name = b.Unit.ID, b.Unit.Name
	return nil
}

// restoreRegister stores a checked backup's units, keys and bundle numbers.
func restoreRegister(tx *data.Tx, b *keyBackup) error {
	for _, u := range b.Units {
		if err := data.SaveUnit(tx, data.Unit{ID: u.ID, Name: u.Name, Kind: string(u.Kind), State: u.State, EnrolledAt: u.EnrolledAt,
			RegisteredAt: u.RegisteredAt, RevokedAt: u.RevokedAt, UpdatedAt: u.UpdatedAt}); err != nil {
			return err
		}
		// Oldest first (the backup lists them newest first), as they were
		// added: a station's own keys travel to HQ in that order, which
		// tells HQ a rotation from an older key (retireReplaced).
		for _, k := range slices.Backward(u.Keys) {
			if err := data.AddUnitKey(tx, data.UnitKey{KeyID: k.KeyID, UnitID: u.ID, SigningPublic: k.Minisign, Recipient: k.Age,
				Fingerprint: k.Fingerprint, AddedAt: k.AddedAt, RetiredAt: k.RetiredAt, RevokedAt: k.RevokedAt}); err != nil {
				return err
			}
		}
		if u.ID == b.Unit.ID {
			continue
		}
		if b.Unit.Kind == Station {
			if err := data.SetSetting(tx, keyHQUnit, u.ID); err != nil {
				return err
			}
		}
		received := u.ReceivedContiguous
		for _, n := range u.ReceivedLater {
			received = max(received, n)
		}
		// A key backup holds no work: every bundle from here on asks the
		// unit to send all its records again until it has.
		if err := data.SavePeer(tx, data.SyncPeer{UnitID: u.ID, SentSeq: u.SentSeq, ReceivedContiguous: received, ResendFrom: u.SentSeq + 1}); err != nil {
			return err
		}
	}
	for _, k := range b.Keys {
		if err := data.SaveOwnKey(tx, data.OwnKey{KeyID: k.KeyID, Secret: k.Secret, CreatedAt: k.CreatedAt, RetiredAt: k.RetiredAt}); err != nil {
			return err
		}
	}
	if b.RotationKey != "" {
		return data.SetSetting(tx, keyRotation, b.RotationKey)
	}
	return nil
}

// requireFresh refuses an install that has keys, knows other units or has
// exchanged bundles.
func requireFresh(q data.Querier) error {
	own, err := data.OwnKeys(q)
	if err != nil {
		return err
	}
	units, err := data.ListUnits(q)
	if err != nil {
		return err
	}
	ledger, err := data.ListLedger(q, 1)
	if err != nil {
		return err
	}
	_, hqErr := data.Setting(q, keyHQUnit)
	if len(own) > 0 || len(units) > 0 || len(ledger) > 0 || hqErr == nil {
		return ErrNotFresh
	}
	if !errors.Is(hqErr, data.ErrNotFound) {
		return hqErr
	}
	return nil
}

func kindName(k Kind) string {
	if k == HQ {
		return "宣传科"
	}
	return "所队"
}

// decryptKeyBackup opens an age passphrase file of at most maxKeyBackup
// bytes.
func decryptKeyBackup(r io.Reader, passphrase string) ([]byte, error) {
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, ErrBackupPassphrase
	}
	dec, err := age.Decrypt(io.LimitReader(r, maxKeyBackup), id)
	var noMatch *age.NoIdentityMatchError
	if errors.As(err, &noMatch) {
		return nil, ErrBackupPassphrase
	}
	if err != nil {
		return nil, fmt.Errorf("文件不是可读的密钥备份（age 格式） / not a readable key backup (age format): %v", err)
	}
	plain, err := io.ReadAll(io.LimitReader(dec, maxKeyBackup+1))
	if err != nil {
		return nil, fmt.Errorf("密钥备份已损坏或不完整 / the key backup is damaged or truncated: %v", err)
	}
	if len(plain) > maxKeyBackup {
		return nil, badBackup("内容超过 16 MiB", "over 16 MiB")
	}
	return plain, nil
}

func badBackup(zh, en string) error {
	return fmt.Errorf("密钥备份无效：%s / invalid key backup: %s", zh, en)
}

// parseKeyBackup reads and checks a backup's JSON document: every field,
// every key, and that they agree with each other.
func parseKeyBackup(plain []byte) (*keyBackup, error) {
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(plain, &head); err != nil || head.Format != keyBackupFormat {
		return nil, badBackup("不是本工作台的密钥备份", "not a Media Desk key backup")
	}
	if head.Version > keyBackupVersion {
		return nil, errors.New("密钥备份来自较新版本的工作台，请先升级本程序 / the key backup comes from a newer Media Desk: upgrade this program first")
	}
	if head.Version != keyBackupVersion {
		return nil, badBackup("版本号无效", "bad version")
	}
	dec := json.NewDecoder(bytes.NewReader(plain))
	dec.DisallowUnknownFields()
	var b keyBackup
	if err := dec.Decode(&b); err != nil {
		return nil, badBackup("内容格式不对", "malformed content: "+err.Error())
	}
	if dec.More() {
		return nil, badBackup("内容后面还有多余的数据", "trailing data")
	}
	if err := b.checkUnit(); err != nil {
		return nil, err
	}
	own, err := b.checkOwnKeys()
	if err != nil {
		return nil, err
	}
	if err := b.checkRegister(own); err != nil {
		return nil, err
	}
	return &b, nil
}

func (b *keyBackup) checkUnit() error {
	if !bundle.ValidUnitID(b.Unit.ID) || !backupName(b.Unit.Name) || !b.Unit.Kind.Valid() {
		return badBackup("单位编号、名称或类型无效", "bad unit id, name or kind")
	}
	if b.Created < 0 {
		return badBackup("时间无效", "bad time")
	}
	return nil
}

// checkOwnKeys checks the key pairs and returns their public halves by key id.
func (b *keyBackup) checkOwnKeys() (map[string]bundle.PublicKeys, error) {
	if len(b.Keys) == 0 || len(b.Keys) > maxBackupItems {
		return nil, badBackup("没有密钥", "no keys")
	}
	own := map[string]bundle.PublicKeys{}
	for _, k := range b.Keys {
		keys, err := bundle.ParseKeys(k.Secret)
		if err != nil {
			return nil, badBackup("密钥 "+k.KeyID+" 无法读取", "key "+k.KeyID+" cannot be read")
		}
		pub := keys.Public()
		if pub.KeyID() != k.KeyID || k.CreatedAt <= 0 || k.RetiredAt < 0 {
			return nil, badBackup("密钥 "+k.KeyID+" 的编号或时间不对", "key "+k.KeyID+" has a wrong id or time")
		}
		if _, dup := own[k.KeyID]; dup {
			return nil, badBackup("密钥 "+k.KeyID+" 重复", "key "+k.KeyID+" twice")
		}
		own[k.KeyID] = pub
	}
	if b.RotationKey != "" {
		if _, ok := own[b.RotationKey]; !ok || b.Unit.Kind != Station {
			return nil, badBackup("新密钥不在备份中", "the new key is not in the backup")
		}
	}
	return own, nil
}

// checkRegister checks the units: each well formed, the unit itself among
// them with every key pair of the backup, and the others of the kind this
// unit exchanges bundles with (HQ: stations; a station: its one HQ).
func (b *keyBackup) checkRegister(own map[string]bundle.PublicKeys) error {
	if len(b.Units) > maxBackupItems {
		return badBackup("单位太多", "too many units")
	}
	seenUnits, seenKeys := map[string]bool{}, map[string]bool{}
	var self *backupRegUnit
	others := 0
	for i := range b.Units {
		u := &b.Units[i]
		if err := u.check(); err != nil {
			return err
		}
		if seenUnits[u.ID] {
			return badBackup("单位 "+u.ID+" 重复", "unit "+u.ID+" twice")
		}
		seenUnits[u.ID] = true
		for _, k := range u.Keys {
			if seenKeys[k.KeyID] {
				return badBackup("公钥 "+k.KeyID+" 重复", "public key "+k.KeyID+" twice")
			}
			seenKeys[k.KeyID] = true
		}
		switch {
		case u.ID == b.Unit.ID:
			self = u
		case u.Kind == b.Unit.Kind:
			return badBackup("单位 "+u.ID+" 的类型不对", "unit "+u.ID+" is of the wrong kind")
		default:
			others++
		}
	}
	if self == nil || self.Kind != b.Unit.Kind {
		return badBackup("登记簿中没有本单位", "the register lacks the unit itself")
	}
	if b.Unit.Kind == Station && others != 1 {
		return badBackup("所队的备份必须含有且只含有一个宣传科", "a station's backup must name exactly one HQ")
	}
	for id, pub := range own {
		i := -1
		for j, k := range self.Keys {
			if k.KeyID == id {
				i = j
			}
		}
		if i < 0 || self.Keys[i].Minisign != pub.Minisign() || self.Keys[i].Age != pub.Age() {
			return badBackup("本单位的公钥与密钥 "+id+" 不符", "the unit's public keys do not match key "+id)
		}
	}
	return nil
}

// check checks one unit of the register and its keys.
func (u *backupRegUnit) check() error {
	bad := func(zh, en string) error { return badBackup("单位 "+u.ID+" "+zh, "unit "+u.ID+": "+en) }
	if !bundle.ValidUnitID(u.ID) || !backupName(u.Name) || !u.Kind.Valid() {
		return badBackup("登记簿中有无效的单位编号、名称或类型", "a unit of the register has a bad id, name or kind")
	}
	switch u.State {
	case UnitEnrolled, UnitRegistered, UnitRevoked:
	default:
		return bad("状态无效", "bad state")
	}
	if u.EnrolledAt < 0 || u.RegisteredAt < 0 || u.RevokedAt < 0 || u.UpdatedAt < 0 {
		return bad("时间无效", "bad time")
	}
	if u.SentSeq < 0 || u.ReceivedContiguous < 0 || len(u.ReceivedLater) > maxBackupItems {
		return bad("同步包序号无效", "bad bundle numbers")
	}
	for _, n := range u.ReceivedLater {
		if n <= u.ReceivedContiguous {
			return bad("同步包序号无效", "bad bundle numbers")
		}
	}
	if len(u.Keys) > maxBackupItems {
		return bad("公钥太多", "too many keys")
	}
	for _, k := range u.Keys {
		pub, err := bundle.ParsePublicKeys(k.Minisign, k.Age)
		if err != nil || pub.KeyID() != k.KeyID || pub.Fingerprint() != k.Fingerprint || k.Minisign != pub.Minisign() {
			return bad("的公钥 "+k.KeyID+" 无效", "public key "+k.KeyID+" is invalid")
		}
		if k.AddedAt < 0 || k.RetiredAt < 0 || k.RevokedAt < 0 {
			return bad("时间无效", "bad time")
		}
	}
	return nil
}

// backupName reports whether a unit name in a backup is one the app
// could have saved.
func backupName(s string) bool {
	n := utf8.RuneCountInString(s)
	return utf8.ValidString(s) && strings.TrimSpace(s) == s && n > 0 && n <= 100 && !strings.ContainsAny(s, "\x00\r\n\t")
}

// rotationPending reports whether newest, this unit's newest key pair, is
// a rotation HQ does not have yet. HQ encrypts to the newest key it has
// of this unit, so the newest HQ bundle applied here says whether that is
// this one; an HQ restored from a backup says it too, either way (the
// acknowledgement of the key's record would not: a restored HQ asks for
// everything again). Before any HQ bundle applied since this build, the
// rule is what HQ acknowledged: no bundle it did carried the key's record.
func rotationPending(q data.Querier, newest *bundle.Keys) (bool, error) {
	id, err := data.Setting(q, keyRotation)
	if errors.Is(err, data.ErrNotFound) {
		return false, nil
	}
	if err != nil || id != newest.Public().KeyID() {
		return false, err
	}
	recipient, err := data.Setting(q, keyHQRecipient)
	if err == nil {
		return recipient != newest.Public().Age(), nil
	}
	if !errors.Is(err, data.ErrNotFound) {
		return false, err
	}
	hq, err := data.Setting(q, keyHQUnit)
	if errors.Is(err, data.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	seq, err := data.ChangeSeq(q, "unit_key", id)
	if errors.Is(err, data.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	delivered, err := data.DeliveredChange(q, hq)
	return delivered < seq, err
}

// RotateKeys (station admin) creates a new key pair for this station and
// returns its public keys. It signs once HQ encrypts to it (HQ has
// imported a bundle that carried it); one rotation at a time. Bundles
// exported with the old key after HQ imported the new one are refused
// there (ErrReplacedSigner): their content comes with the next bundle,
// signed with the new key.
func (s *Session) RotateKeys() (KeyInfo, error) {
	if err := s.requireStation(); err != nil {
		return KeyInfo{}, err
	}
	if s.User().Role != StationAdmin {
		return KeyInfo{}, ErrNotAllowed
	}
	q := s.store.Reader()
	if _, err := data.Setting(q, keyHQUnit); err != nil {
		return KeyInfo{}, ErrNotEnrolled
	}
	keys, err := s.ownKeys(q)
	if err != nil {
		return KeyInfo{}, err
	}
	if len(keys) == 0 {
		return KeyInfo{}, ErrNoKeys
	}
	if pending, err := rotationPending(q, keys[0]); err != nil {
		return KeyInfo{}, err
	} else if pending {
		return KeyInfo{}, ErrRotationPending
	}
	k, err := bundle.GenerateKeys()
	if err != nil {
		return KeyInfo{}, err
	}
	pub := k.Public()
	err = s.store.Write(func(tx *data.Tx) error {
		if err := s.saveOwnKeys(tx, k); err != nil {
			return err
		}
		if err := data.SetSetting(tx, keyRotation, pub.KeyID()); err != nil {
			return err
		}
		return data.AppendAudit(tx, s.now(), s.User().Name, "sync.keys.rotate", pub.KeyID(), pub.Fingerprint())
	})
	if err != nil {
		return KeyInfo{}, err
	}
	return s.keyInfo(pub), nil
}

// keyInfo describes public keys of this unit.
func (s *Session) keyInfo(pub bundle.PublicKeys) KeyInfo {
	return KeyInfo{Unit: s.unit.ID, UnitName: s.unit.Name, KeyID: pub.KeyID(), Minisign: pub.MinisignFile(), Age: pub.Age(), Fingerprint: pub.Fingerprint()}
}

// OwnKeyInfo is one of this unit's key pairs, public half, as
// `mediadesk keys show` lists it.
type OwnKeyInfo struct {
	KeyInfo
	CreatedAt int64 // Unix ms
	Signing   bool  // bundles are signed with it now
	Pending   bool  // a new key HQ has not acknowledged yet
}

// OwnKeys lists this unit's key pairs, newest first; none before a
// station joins HQ or HQ enrolls its first station. It only reads: HQ's
// keys made here would keep a key backup from being restored.
func (s *Session) OwnKeys() ([]OwnKeyInfo, error) {
	q := s.store.Reader()
	rows, err := data.OwnKeys(q)
	if err != nil {
		return nil, err
	}
	keys, err := s.ownKeys(q)
	if err != nil || len(keys) == 0 {
		return nil, err
	}
	sk, err := s.signingKeys(q)
	if err != nil {
		return nil, err
	}
	signing := sk.Public()
	pending, err := rotationPending(q, keys[0])
	if err != nil {
		return nil, err
	}
	out := make([]OwnKeyInfo, len(keys))
	for i, k := range keys {
		info := s.keyInfo(k.Public())
		out[i] = OwnKeyInfo{KeyInfo: info, CreatedAt: rows[i].CreatedAt, Signing: info.KeyID == signing.KeyID(), Pending: i == 0 && pending}
	}
	return out, nil
}
