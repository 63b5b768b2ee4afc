package app

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"mediadesk/data"
	"mediadesk/sync/bundle"
)

// Sync (docs/sync-records.md): this unit's keys, the units it trusts, and
// bundles both ways. Stations sync with their HQ only; HQ with every
// registered station.

// keyHQUnit is the settings key holding a station's HQ unit id.
const keyHQUnit = "sync.hq_unit"

// Unit states, as HQ's register of stations shows them.
const (
	UnitEnrolled   = "enrolled"   // 已发放登记文件, waiting for the registration
	UnitRegistered = "registered" // 已登记
	UnitRevoked    = "revoked"    // 已吊销
)

// Sync errors.
var (
	ErrNotEnrolled = errors.New("本单位尚未加入宣传科（请先导入宣传科发放的登记文件） / this station has not joined HQ yet: import HQ's enrollment file first")
	ErrUnknownUnit = errors.New("没有这个单位，请先为它生成登记文件 / no such unit: enroll it first")
	ErrNoKeys      = errors.New("本单位还没有密钥：所队请先在“同步”页导入宣传科发放的登记文件加入宣传科；宣传科在第一次为所队生成登记文件时生成密钥，接替原宣传科的新电脑请先恢复密钥备份（mediadesk keys restore） / this unit has no keys yet: a station joins HQ first (Sync → import HQ's enrollment file); HQ makes its keys with its first enrollment file, and a new PC taking over from HQ restores the key backup first (mediadesk keys restore)")
	ErrFingerprint = errors.New("指纹不一致，请与对方核对后再登记 / the fingerprints differ: check with the other side before registering")
	// ErrNoFingerprint: a registration without the fingerprint the station
	// read out; the comparison is what makes a forged registration fail.
	ErrNoFingerprint = errors.New("请输入所队电话读出的指纹（24 位数字） / enter the fingerprint the station read out (24 digits)")
	ErrAlreadyJoin   = errors.New("本所队已加入另一个宣传科 / this station already belongs to another HQ")
	ErrRevokeSelf    = errors.New("宣传科不能吊销自己：请给出要吊销的所队的单位编号（见“所队”页） / HQ cannot revoke itself: give the unit id of the station to revoke (see the 所队 page)")
	// ErrAlreadyRevoked: nothing changes (the revocation keeps its time).
	ErrAlreadyRevoked = errors.New("该所队已经吊销，未作改动；要让它重新接入，请为它重新生成登记文件 / that station is revoked already: nothing changed; to bring it back, enroll it again")
	ErrNotEnrolling   = errors.New("该单位没有待登记的登记文件（已登记或已吊销），请重新生成登记文件 / that unit is not waiting for registration: enroll it again")
)

// requireHQAdmin checks the desk is not locked and the user is an HQ admin.
func (s *Session) requireHQAdmin() error {
	if err := s.checkActive(); err != nil {
		return err
	}
	if s.unit.Kind != HQ {
		return ErrHQOnly
	}
	if s.User().Role != HQAdmin {
		return ErrNotAllowed
	}
	return nil
}

// ownKeys returns this unit's key pairs, newest first.
func (s *Session) ownKeys(q data.Querier) ([]*bundle.Keys, error) {
	_, keys, err := ownKeyPairs(q)
	return keys, err
}

// ownKeyPairs returns this unit's stored key pairs, newest first, and
// each parsed.
func ownKeyPairs(q data.Querier) ([]data.OwnKey, []*bundle.Keys, error) {
	rows, err := data.OwnKeys(q)
	if err != nil {
		return nil, nil, err
	}
	out := make([]*bundle.Keys, 0, len(rows))
	for _, r := range rows {
		k, err := bundle.ParseKeys(r.Secret)
		if err != nil {
			return nil, nil, fmt.Errorf("本单位密钥无法读取 / this unit's key cannot be read: %w", err)
		}
		out = append(out, k)
	}
	return rows, out, nil
}

// signingKeys returns the key pair this unit signs with: its newest, except
// at a station whose newest key comes from a rotation HQ has not
// acknowledged yet, which keeps signing with the one before (keys.go).
func (s *Session) signingKeys(q data.Querier) (*bundle.Keys, error) {
	keys, err := s.ownKeys(q)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, ErrNoKeys
	}
	if len(keys) > 1 {
		pending, err := rotationPending(q, keys[0])
		if err != nil || pending {
			return keys[1], err
		}
	}
	return keys[0], nil
}

// saveOwnKeys stores a new key pair of this unit, and its public half as
// one of this unit's keys (a station's travels to HQ: docs/sync-records.md).
func (s *Session) saveOwnKeys(tx *data.Tx, k *bundle.Keys) error {
	pub := k.Public()
	now := s.now()
	if err := data.SaveOwnKey(tx, data.OwnKey{KeyID: pub.KeyID(), Secret: k.MarshalSecret(), CreatedAt: now}); err != nil {
		return err
	}
	if err := data.RetireUnitKeys(tx, s.unit.ID, now, false); err != nil {
		return err
	}
	return data.AddUnitKey(tx, data.UnitKey{KeyID: pub.KeyID(), UnitID: s.unit.ID, SigningPublic: pub.Minisign(),
		Recipient: pub.Age(), Fingerprint: pub.Fingerprint(), AddedAt: now})
}

// ensureSelfUnit records this unit in its own register (its keys refer to it).
func (s *Session) ensureSelfUnit(tx *data.Tx) error {
	if _, err := data.UnitByID(tx, s.unit.ID); err == nil {
		return nil
	}
	now := s.now()
	return data.SaveUnit(tx, data.Unit{ID: s.unit.ID, Name: s.unit.Name, Kind: string(s.unit.Kind), State: UnitRegistered,
		EnrolledAt: now, RegisteredAt: now, UpdatedAt: now})
}

// KeyInfo is this unit's public identity.
type KeyInfo struct {
	Unit, UnitName string
	KeyID          string
	Minisign       string // minisign public key file text
	Age            string // age recipient
	Fingerprint    string
}

// Keys returns this unit's public keys, creating them at HQ on first use.
func (s *Session) Keys() (KeyInfo, error) {
	k, err := s.signingKeys(s.store.Reader())
	if errors.Is(err, ErrNoKeys) && s.unit.Kind == HQ {
		k, err = s.hqKeys()
	}
	if err != nil {
		return KeyInfo{}, err
	}
	pub := k.Public()
	return KeyInfo{Unit: s.unit.ID, UnitName: s.unit.Name, KeyID: pub.KeyID(), Minisign: pub.MinisignFile(), Age: pub.Age(), Fingerprint: pub.Fingerprint()}, nil
}

// hqKeys returns HQ's keys, creating them once.
func (s *Session) hqKeys() (*bundle.Keys, error) {
	if k, err := s.signingKeys(s.store.Reader()); !errors.Is(err, ErrNoKeys) {
		return k, err
	}
	k, err := bundle.GenerateKeys()
	if err != nil {
		return nil, err
	}
	err = s.store.Write(func(tx *data.Tx) error {
		if err := s.ensureSelfUnit(tx); err != nil {
			return err
		}
		if err := s.saveOwnKeys(tx, k); err != nil {
			return err
		}
		return data.AppendAudit(tx, s.now(), s.User().Name, "sync.keys", k.Public().KeyID(), "created")
	})
	return k, err
}

// EnrollUnit (HQ admin) writes the enrollment file for station unitID
// into dir and returns its path. A revoked unit may be enrolled again.
func (s *Session) EnrollUnit(unitID, name, dir string) (string, error) {
	if err := s.requireHQAdmin(); err != nil {
		return "", err
	}
	unitID, name = strings.TrimSpace(unitID), strings.TrimSpace(name)
	if !bundle.ValidUnitID(unitID) {
		return "", &FieldError{Field: "unit_id", Msg: "单位编号只能用小写字母、数字、- 和 _，最多 64 个字符 / a unit id is up to 64 lower-case letters, digits, - and _"}
	}
	if unitID == s.unit.ID {
		return "", &FieldError{Field: "unit_id", Msg: "“" + unitID + "”是宣传科自己的编号，请给所队另起一个（如 chengguan） / " + unitID + " is HQ's own id: give the station another (e.g. chengguan)"}
	}
	if name == "" || len([]rune(name)) > 100 {
		return "", &FieldError{Field: "unit_name", Msg: "请填写单位名称（最多 100 个字） / enter the unit's name (up to 100 characters)"}
	}
	if u, err := data.UnitByID(s.store.Reader(), unitID); err == nil && u.State == UnitRegistered {
		return "", &FieldError{Field: "unit_id", Msg: "该单位已登记；如电脑遗失，请先吊销再重新登记 / that unit is registered: revoke it first if its laptop was lost"}
	}
	k, err := s.hqKeys()
	if err != nil {
		return "", err
	}
	var records []bundle.Record
	_, err = data.ChangedRecords(s.store.Reader(), data.ExportScope{Self: s.unit.ID, Side: data.HQSide, Peer: unitID}, func(r data.SyncRecord, _ []data.AttachmentRef) error {
		records = append(records, bundle.Record(r))
		return nil
	})
	if err != nil {
		return "", err
	}
	path, err := bundle.WriteEnrollment(dir, k, bundle.Enrollment{Issued: s.cfg.now(), HQUnit: s.unit.ID, HQName: s.unit.Name, Unit: unitID, UnitName: name, Records: records})
	if err != nil {
		return "", err
	}
	err = s.store.Write(func(tx *data.Tx) error {
		now := s.now()
		if err := data.SaveUnit(tx, data.Unit{ID: unitID, Name: name, Kind: string(Station), State: UnitEnrolled, EnrolledAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "sync.enroll", unitID, name)
	})
	if err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}

// ReadEnrollment reads an enrollment file so that the station can show
// HQ's fingerprint before joining.
func ReadEnrollment(path string) (*bundle.Enrollment, error) { return bundle.ReadEnrollment(path) }

// Join (station admin) imports HQ's enrollment file: the station takes the
// unit id HQ gave it, creates its keys, trusts HQ's key, takes HQ's starter
// records, and writes its registration bundle into dir (returned path).
func (s *Session) Join(ctx context.Context, enrollmentPath, dir string) (string, error) {
	if err := s.requireStation(); err != nil {
		return "", err
	}
	if s.User().Role != StationAdmin {
		return "", ErrNotAllowed
	}
	e, err := bundle.ReadEnrollment(enrollmentPath)
	if err != nil {
		return "", err
	}
	q := s.store.Reader()
	hq, err := data.Setting(q, keyHQUnit)
	if err == nil && hq != e.HQUnit {
		return "", ErrAlreadyJoin
	}
	if err == nil && e.Unit != s.unit.ID {
		return "", fmt.Errorf("本所队已以编号 %s 加入，这份登记文件是发给编号 %s 的；请使用宣传科为本所队生成的登记文件 / this station joined as %s; the enrollment file is for %s: use the file HQ made for this station",
			s.unit.ID, e.Unit, s.unit.ID, e.Unit)
	}
	if err := checkRejoin(q, e); err != nil {
		return "", err
	}
	keys, err := bundle.GenerateKeys()
	if err != nil {
		return "", err
	}
	written, err := bundle.Write(ctx, dir, bundle.Header{Kind: bundle.KindRegistration, SenderUnit: e.Unit, Sender: keys,
		ReceiverUnit: e.HQUnit, Receiver: e.HQ, Created: s.cfg.now()}, func(func(bundle.Record) error) error { return nil }, nil, bundle.WriteOptions{})
	if err != nil {
		return "", err
	}
	im, err := s.store.NewImporter(data.ImportScope{Self: e.Unit, Sender: e.HQUnit, SenderSide: data.HQSide})
	if err != nil {
		return "", err
	}
	old := s.unit.ID
	err = s.store.Write(func(tx *data.Tx) error {
		if old != e.Unit {
			if err := data.RenameUnit(tx, old, e.Unit); err != nil {
				return err
			}
			if err := data.SetSetting(tx, keyUnitID, e.Unit); err != nil {
				return err
			}
			s.unit.ID = e.Unit
		}
		if err := s.ensureSelfUnit(tx); err != nil {
			return err
		}
		now := s.now()
		// The key pairs of an earlier join are retired: HQ revoked them,
		// and a bundle still encrypted to one is from before (importOne).
		if err := retireOwnKeys(tx, now); err != nil {
			return err
		}
		if err := s.saveOwnKeys(tx, keys); err != nil {
			return err
		}
		if err := rememberEnrollment(tx, e, now); err != nil {
			return err
		}
		if err := data.SaveUnit(tx, data.Unit{ID: e.HQUnit, Name: e.HQName, Kind: string(HQ), State: UnitRegistered, EnrolledAt: now, RegisteredAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		// Another HQ key trusted before is replaced by this one (a
		// bundle signed by it is refused: ErrReplacedSigner); the same
		// key stays in use.
		if err := data.RetireUnitKeysExcept(tx, e.HQUnit, e.HQ.KeyID(), now); err != nil {
			return err
		}
		if _, err := data.UnitKeyByID(tx, e.HQ.KeyID()); errors.Is(err, data.ErrNotFound) {
			if err := data.AddUnitKey(tx, data.UnitKey{KeyID: e.HQ.KeyID(), UnitID: e.HQUnit, SigningPublic: e.HQ.Minisign(), Recipient: e.HQ.Age(),
				Fingerprint: e.HQ.Fingerprint(), AddedAt: now}); err != nil {
				return err
			}
		}
		// Joining (again) starts a new exchange with HQ, as HQ's
		// registration does on its side: both number from 1 again.
		if err := data.ResetPeer(tx, e.HQUnit); err != nil {
			return err
		}
		if err := data.SetSetting(tx, keyHQUnit, e.HQUnit); err != nil {
			return err
		}
		if err := im.Begin(tx); err != nil {
			return err
		}
		for _, r := range e.Records {
			if err := im.Record(data.SyncRecord(r)); err != nil {
				return err
			}
		}
		if err := im.Finish(); err != nil {
			return err
		}
		m := written.Manifest
		if err := data.AddLedger(tx, data.LedgerEntry{At: now, Direction: "out", File: filepath.Base(written.Paths[0]), Peer: e.HQUnit,
			BundleID: m.BundleID, Result: "registration", Actor: s.User().Name}); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "sync.join", e.HQUnit, e.Unit)
	})
	if err != nil {
		s.unit.ID = old
		im.Discard()
		for _, p := range written.Paths {
			os.Remove(p)
		}
		return "", err
	}
	return written.Paths[0], nil
}

// Settings of a station's enrollment: the one it joined with last (its id
// and when HQ issued it, Unix ms on HQ's clock), and each one it used.
const (
	keyEnrollment       = "sync.enrollment"
	keyEnrollmentIssued = "sync.enrollment_issued"
	keyEnrollmentUsed   = "sync.enrollment_used."
)

// Join refusals: an enrollment file used before, or one no newer than the
// one a station that already exchanges bundles with HQ joined with.
// Joining again replaces the station's keys and numbers its bundles anew,
// which HQ accepts only after it revoked the station and enrolled it anew.
var (
	ErrEnrollmentUsed = errors.New("这份登记文件已经用过（本所队已用它加入宣传科），不能再用：本所队已登记的，照常同步即可；" +
		"确需重新登记的（电脑遗失、注册包丢失），请宣传科先在“所队”中吊销本所队（如已登记），再为本所队生成新的登记文件 / " +
		"this enrollment file was used already (this station joined with it): if the station is registered, just keep exchanging bundles; " +
		"to register again (lost laptop, lost registration), HQ first revokes the station (if registered) and makes a new enrollment file for it")
	ErrRejoin = errors.New("本所队已登记并已与宣传科交换过同步包，这份登记文件并不比本所队加入时用的新：再次加入会换掉本所队的密钥，" +
		"宣传科将拒绝之后的同步包。确需重新登记的，请宣传科先在“所队”中吊销本所队，再为本所队生成新的登记文件 / " +
		"this station is registered and has exchanged bundles with HQ, and this enrollment file is no newer than the one it joined with: " +
		"joining again would replace its keys and HQ would refuse its bundles. To register again, HQ first revokes the station and makes a new enrollment file for it")
)

// checkRejoin refuses an enrollment file this station used before, and,
// once it exchanges bundles with HQ, one issued no later than the one it
// joined with (earlier builds did not record it: then no later than the
// join). HQ enrolls a registered station again only after revoking it, so
// a newer file means a new registration is expected.
func checkRejoin(q data.Querier, e *bundle.Enrollment) error {
	if _, err := data.Setting(q, keyEnrollmentUsed+e.ID); err == nil {
		return ErrEnrollmentUsed
	} else if !errors.Is(err, data.ErrNotFound) {
		return err
	}
	hq, err := data.Setting(q, keyHQUnit)
	if errors.Is(err, data.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	p, err := data.PeerByID(q, hq)
	if err != nil || (p.SentSeq == 0 && p.ReceivedContiguous == 0) {
		return err
	}
	since, err := enrollmentIssued(q)
	if errors.Is(err, data.ErrNotFound) {
		u, uerr := data.UnitByID(q, hq)
		if uerr != nil {
			return uerr
		}
		since, err = u.RegisteredAt, nil
	}
	if err != nil {
		return err
	}
	if e.Issued.UnixMilli() <= since {
		return ErrRejoin
	}
	return nil
}

// enrollmentIssued returns when HQ issued the enrollment this station
// joined with last (Unix ms, HQ's clock), or data.ErrNotFound.
func enrollmentIssued(q data.Querier) (int64, error) {
	v, err := data.Setting(q, keyEnrollmentIssued)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("登记文件的时间无法读取 / the enrollment's time %q cannot be read", v)
	}
	return n, nil
}

// rememberEnrollment records e as the enrollment joined with, and as used.
func rememberEnrollment(tx *data.Tx, e *bundle.Enrollment, now int64) error {
	if err := data.SetSetting(tx, keyEnrollmentUsed+e.ID, strconv.FormatInt(now, 10)); err != nil {
		return err
	}
	if err := data.SetSetting(tx, keyEnrollment, e.ID); err != nil {
		return err
	}
	return data.SetSetting(tx, keyEnrollmentIssued, strconv.FormatInt(e.Issued.UnixMilli(), 10))
}

// retireOwnKeys marks every key pair of this unit not yet retired as
// retired at now (a new join; a rotation keeps the old pair in use).
func retireOwnKeys(tx *data.Tx, now int64) error {
	own, err := data.OwnKeys(tx)
	if err != nil {
		return err
	}
	for _, k := range own {
		if k.RetiredAt == 0 {
			k.RetiredAt = now
			if err := data.SaveOwnKey(tx, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// Registration is what HQ shows before registering a station.
type Registration struct {
	Unit, UnitName string
	Fingerprint    string
	keys           bundle.PublicKeys
}

// ReadRegistration (HQ) opens a station's registration bundle and returns
// who it claims to be, for the fingerprint check.
func (s *Session) ReadRegistration(ctx context.Context, path string) (Registration, error) {
	if s.unit.Kind != HQ {
		return Registration{}, ErrNotAllowed
	}
	b, err := bundle.Open(ctx, path, bundle.OpenOptions{Receiver: s.unit.ID, Registration: true})
	if err != nil {
		return Registration{}, err
	}
	defer b.Close()
	m := b.Manifest()
	u, err := data.UnitByID(s.store.Reader(), m.Sender.Unit)
	if errors.Is(err, data.ErrNotFound) {
		return Registration{}, ErrUnknownUnit
	}
	if err != nil {
		return Registration{}, err
	}
	pub, err := bundle.ParsePublicKeys(m.Sender.Minisign, m.Sender.Age)
	if err != nil {
		return Registration{}, err
	}
	return Registration{Unit: u.ID, UnitName: u.Name, Fingerprint: pub.Fingerprint(), keys: pub}, nil
}

// RegisterUnit (HQ admin) registers the station whose registration bundle
// is at path. fingerprint is the one the station read out (spaces do not
// matter): required, since anyone holding the enrollment file could write
// a registration, and only the comparison tells.
func (s *Session) RegisterUnit(ctx context.Context, path, fingerprint string) (Registration, error) {
	if err := s.requireHQAdmin(); err != nil {
		return Registration{}, err
	}
	reg, err := s.ReadRegistration(ctx, path)
	if err != nil {
		return reg, err
	}
	norm := func(f string) string { return strings.Join(strings.Fields(f), "") }
	if norm(fingerprint) == "" {
		return reg, ErrNoFingerprint
	}
	if norm(fingerprint) != norm(reg.Fingerprint) {
		return reg, ErrFingerprint
	}
	err = s.store.Write(func(tx *data.Tx) error {
		u, err := data.UnitByID(tx, reg.Unit)
		if err != nil {
			return err
		}
		if u.State != UnitEnrolled {
			return ErrNotEnrolling
		}
		now := s.now()
		if _, err := data.UnitKeyByID(tx, reg.keys.KeyID()); err == nil {
			return ErrNotEnrolling // a key registered before: a replayed registration
		}
		if err := data.AddUnitKey(tx, data.UnitKey{KeyID: reg.keys.KeyID(), UnitID: u.ID, SigningPublic: reg.keys.Minisign(), Recipient: reg.keys.Age(),
			Fingerprint: reg.Fingerprint, AddedAt: now}); err != nil {
			return err
		}
		u.State, u.RegisteredAt, u.RevokedAt, u.UpdatedAt = UnitRegistered, now, 0, now
		if err := data.SaveUnit(tx, u); err != nil {
			return err
		}
		// A new registration starts a new exchange: the station's new
		// install has received nothing and numbers its bundles from 1.
		if err := data.ResetPeer(tx, u.ID); err != nil {
			return err
		}
		if err := data.AddLedger(tx, data.LedgerEntry{At: now, Direction: "in", File: filepath.Base(path), Peer: u.ID, Result: "registered", Actor: s.User().Name}); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "sync.register", u.ID, reg.Fingerprint)
	})
	return reg, err
}

// RevokeUnit (HQ admin) revokes every key of a station (a lost laptop): its
// bundles are refused from now on, until it is enrolled and registered again.
func (s *Session) RevokeUnit(unitID string) error {
	if err := s.requireHQAdmin(); err != nil {
		return err
	}
	if unitID == s.unit.ID {
		return ErrRevokeSelf
	}
	return s.store.Write(func(tx *data.Tx) error {
		u, err := data.UnitByID(tx, unitID)
		if errors.Is(err, data.ErrNotFound) || (err == nil && u.Kind != string(Station)) {
			return ErrUnknownUnit
		}
		if err != nil {
			return err
		}
		if u.State == UnitRevoked {
			return ErrAlreadyRevoked
		}
		now := s.now()
		if err := data.RetireUnitKeys(tx, unitID, now, true); err != nil {
			return err
		}
		u.State, u.RevokedAt, u.UpdatedAt = UnitRevoked, now, now
		if err := data.SaveUnit(tx, u); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "sync.revoke", unitID, "")
	})
}

// Units lists the units this one knows (HQ: its stations; a station: its HQ).
func (s *Session) Units() ([]data.Unit, error) {
	units, err := data.ListUnits(s.store.Reader())
	return slices.DeleteFunc(units, func(u data.Unit) bool { return u.ID == s.unit.ID }), err
}

// signerLookup finds a registered, unrevoked signing key of a unit.
func (s *Session) signerLookup(q data.Querier) bundle.SignerLookup {
	return func(unit, keyID string) (bundle.PublicKeys, bool, bool) {
		k, err := data.UnitKeyByID(q, keyID)
		if err != nil || k.UnitID != unit || unit == s.unit.ID {
			return bundle.PublicKeys{}, false, false
		}
		pub, err := bundle.ParsePublicKeys(k.SigningPublic, k.Recipient)
		if err != nil {
			return bundle.PublicKeys{}, false, false
		}
		return pub, k.RevokedAt != 0, true
	}
}

// peers returns the units an export goes to: a station's HQ, or HQ's
// registered stations (one, or all with unit "" or "all").
func (s *Session) peers(unit string) ([]data.Unit, error) {
	q := s.store.Reader()
	if s.unit.Kind == Station {
		hq, err := data.Setting(q, keyHQUnit)
		if err != nil {
			return nil, ErrNotEnrolled
		}
		if unit != "" && unit != "all" && unit != hq {
			return nil, fmt.Errorf("所队只向宣传科（%s）导出同步包，不能发给 %s：请不指定单位，或指定 all 或 %s / a station exports to its HQ (%s) only, not to %s: name no unit, or all or %s",
				hq, unit, hq, hq, unit, hq)
		}
		u, err := data.UnitByID(q, hq)
		return []data.Unit{u}, err
	}
	units, err := data.ListUnits(q)
	if err != nil {
		return nil, err
	}
	var out []data.Unit
	for _, u := range units {
		if u.Kind == string(Station) && u.State == UnitRegistered && (unit == "" || unit == "all" || unit == u.ID) {
			out = append(out, u)
		}
	}
	if len(out) == 0 && unit != "" && unit != "all" {
		if u, err := data.UnitByID(q, unit); err == nil && u.Kind == string(Station) {
			if u.State == UnitRevoked {
				return nil, fmt.Errorf("所队 %s 的密钥已吊销，不能接收同步包：请重新生成登记文件并完成登记 / station %s is revoked: enroll and register it again", unit, unit)
			}
			return nil, fmt.Errorf("所队 %s 尚未完成登记，不能接收同步包：请导入它的注册包并核对指纹 / station %s is not registered yet: import its registration and compare fingerprints", unit, unit)
		}
		return nil, ErrUnknownUnit
	}
	return out, nil
}

// recipientOf returns the public keys of a unit in use: its newest key
// neither retired nor revoked, else its newest unrevoked one.
func recipientOf(q data.Querier, unitID string) (bundle.PublicKeys, error) {
	keys, err := data.UnitKeys(q, unitID)
	if err != nil {
		return bundle.PublicKeys{}, err
	}
	if k, ok := currentKey(keys); ok {
		return bundle.ParsePublicKeys(k.SigningPublic, k.Recipient)
	}
	return bundle.PublicKeys{}, fmt.Errorf("单位 %s 没有可用的公钥，请重新登记 / unit %s has no usable key: register it again", unitID, unitID)
}

// currentKey picks a unit's key in use from its keys (newest first): the
// first neither retired nor revoked, else the first unrevoked (a key
// whose unit has no other is used, retired or not: e.g. HQ's key at a
// station that joined again with it in an earlier build).
func currentKey(keys []data.UnitKey) (data.UnitKey, bool) {
	for _, k := range keys {
		if k.RevokedAt == 0 && k.RetiredAt == 0 {
			return k, true
		}
	}
	for _, k := range keys {
		if k.RevokedAt == 0 {
			return k, true
		}
	}
	return data.UnitKey{}, false
}

// Progress reports long work: done out of total bytes (total may grow).
type Progress func(done, total int64)

// ExportBundles writes one bundle for each peer (a station: its HQ; HQ:
// station unit, or every registered station with "" or "all") into dir,
// and returns the paths of the files written.
func (s *Session) ExportBundles(ctx context.Context, dir, unit string, progress Progress) ([]string, error) {
	if err := s.requireSyncUser(); err != nil {
		return nil, err
	}
	peers, err := s.peers(unit)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, p := range peers {
		written, err := s.exportTo(ctx, dir, p, progress)
		if err != nil {
			return paths, err
		}
		paths = append(paths, written...)
	}
	return paths, nil
}

// exportTo writes the next bundle to peer p.
func (s *Session) exportTo(ctx context.Context, dir string, p data.Unit, progress Progress) ([]string, error) {
	q := s.store.Reader()
	keys, err := s.signingKeys(q)
	if err != nil {
		return nil, err
	}
	recv, err := recipientOf(q, p.ID)
	if err != nil {
		return nil, err
	}
	peer, err := data.PeerByID(q, p.ID)
	if err != nil {
		return nil, err
	}
	ack, err := ackOf(q, p, peer)
	if err != nil {
		return nil, err
	}
	side := data.StationSide
	if s.unit.Kind == HQ {
		side = data.HQSide
	}
	scope := data.ExportScope{Self: s.unit.ID, Side: side, Peer: p.ID, After: peer.AckedChange}
	// First: which attachments the records need (the container lists them
	// before it streams the records). A record changed in between has
	// moved past Upto and goes in the next bundle.
	refs, upto, err := data.ChangedAttachments(q, scope)
	if err != nil {
		return nil, err
	}
	scope.Upto = upto
	seen := map[bundle.Hash]bool{}
	var atts []bundle.Attachment
	for _, r := range refs {
		if sum := bundle.Hash(r.SHA256); !seen[sum] {
			seen[sum] = true
			id := r.ID
			// The store's sealed files are authenticated: a file decrypts
			// to exactly the content its hash names, or fails.
			atts = append(atts, bundle.Attachment{SHA256: sum, Size: r.Size, Authenticated: true,
				Open: func() (io.ReadCloser, error) { return s.store.OpenAttachment(id) }})
		}
	}
	seq := peer.SentSeq + 1
	var count int
	written, err := bundle.Write(ctx, dir, bundle.Header{Kind: bundle.KindData, SenderUnit: s.unit.ID, Sender: keys, ReceiverUnit: p.ID,
		Receiver: recv, Sequence: seq, Ack: ack, Created: s.cfg.now()},
		func(emit func(bundle.Record) error) error {
			_, err := data.ChangedRecords(q, scope, func(r data.SyncRecord, _ []data.AttachmentRef) error {
				count++
				return emit(bundle.Record(r))
			})
			return err
		}, atts, bundle.WriteOptions{Progress: progress, RecordsWellFormed: true}) // data writes each record's JSON itself
	if err != nil {
		return nil, err
	}
	err = s.store.Write(func(tx *data.Tx) error {
		now := s.now()
		peer, err := data.PeerByID(tx, p.ID)
		if err != nil {
			return err
		}
		peer.SentSeq = seq
		if err := data.SavePeer(tx, peer); err != nil {
			return err
		}
		if err := data.RecordSent(tx, p.ID, seq, written.Manifest.BundleID, scope.Upto, now); err != nil {
			return err
		}
		if err := data.SetSetting(tx, data.LastSyncSetting, fmt.Sprint(now)); err != nil {
			return err
		}
		sum, _ := hex.DecodeString(written.Manifest.Payload.SHA256)
		return data.AddLedger(tx, data.LedgerEntry{At: now, Direction: "out", File: filepath.Base(written.Paths[0]), Peer: p.ID, Seq: seq,
			BundleID: written.Manifest.BundleID, PayloadSHA: sum, Result: "exported", Records: count, Actor: s.User().Name})
	})
	if err != nil {
		for _, path := range written.Paths {
			os.Remove(path)
		}
		return nil, err
	}
	return written.Paths, nil
}

// Import results.
const (
	Imported        = "imported"  // applied
	AlreadyImported = "duplicate" // the same bundle was applied before: nothing to do
	Refused         = "refused"
)

// ImportResult is the outcome of one file.
type ImportResult struct {
	File    string
	Result  string // Imported, AlreadyImported or Refused
	Peer    string
	Seq     int64
	Records int // records that changed something here
	// Err says why a file was refused; with AlreadyImported, why a file
	// that is not the same bundle needs nothing: ErrReplayed (a newer
	// bundle imported carried it) or ErrBeforeJoin (from before this
	// station joined again). Neither is a failure; nothing changed.
	Err error
}

// MayCarryBundles reports whether the user may export and import bundles:
// everyone but officers (admins, shift leaders, HQ staff).
func (s *Session) MayCarryBundles() bool { return s.User().Role != Officer }

// requireSyncUser checks the desk is not locked and the user may carry
// bundles.
func (s *Session) requireSyncUser() error {
	if err := s.checkActive(); err != nil {
		return err
	}
	if !s.MayCarryBundles() {
		return ErrNotAllowed
	}
	return nil
}

// ImportBundles imports each file (a folder: every .mdbundle in it sent to
// this unit), each in one transaction, all or nothing, and reports one
// result per file.
func (s *Session) ImportBundles(ctx context.Context, paths []string, progress Progress) []ImportResult {
	if err := s.requireSyncUser(); err != nil {
		out := make([]ImportResult, len(paths))
		for i, p := range paths {
			out[i] = ImportResult{File: p, Result: Refused, Err: err}
		}
		return out
	}
	var files []string
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			found, _ := filepath.Glob(filepath.Join(p, "*.mdbundle"))
			slices.Sort(found)
			files = append(files, slices.DeleteFunc(found, s.notForImport)...)
			continue
		}
		files = append(files, p)
	}
	var out []ImportResult
	for _, f := range files {
		if ctx.Err() != nil {
			out = append(out, ImportResult{File: f, Result: Refused, Err: ctx.Err()})
			continue
		}
		r := s.importOne(ctx, f, progress)
		if r.Err != nil && r.Result != AlreadyImported {
			r.Result = Refused
			s.store.Write(func(tx *data.Tx) error {
				return data.AddLedger(tx, data.LedgerEntry{At: s.now(), Direction: "in", File: filepath.Base(f), Peer: r.Peer, Seq: r.Seq,
					Result: Refused, Message: r.Err.Error(), Actor: s.User().Name})
			})
		}
		out = append(out, r)
	}
	return out
}

// notForImport reports whether a bundle found in a folder is not one to
// import here: one stick carries both directions, so a folder also holds
// this unit's own outgoing bundles, bundles for other stations and
// registrations (HQ registers those on the 所队 page). A file whose
// manifest cannot be read is imported, to be refused with the reason.
func (s *Session) notForImport(path string) bool {
	m, err := bundle.ReadManifest(path)
	return err == nil && (m.Receiver.Unit != s.unit.ID || m.Kind == bundle.KindRegistration)
}

// ErrReplayed is an old bundle after a newer one that carried it;
// ErrRestored one numbered below what was applied but written after it,
// and ErrReused a sequence number sent twice with different content: the
// last two are what a sender restored from an old backup sends.
var (
	ErrReplayed = errors.New("这是较早的同步包，其内容已包含在之后导入的同步包中，无需再导入 / an older bundle: a newer one already imported carried everything in it")
	ErrRestored = errors.New("这个同步包的序号比已导入的小，却是之后生成的：对方可能用较早的备份恢复了数据，已拒绝。请对方先导入本单位最新的同步包，再重新导出：新的同步包会接着编号，并请本单位补发对方缺少的记录（见管理员指南第 10 节） / this bundle is numbered below one already imported but was written after it: the sender was probably restored from an older backup: refused. The sender imports this unit's newest bundle first, then exports again: that bundle is numbered on and asks for what the sender lacks (see the admin guide, section 10)")
	// ErrBeforeJoin is a bundle from HQ written before this station
	// joined (again): harmless, reported among those already imported.
	ErrBeforeJoin = errors.New("这是重新登记之前的旧同步包，其内容不再需要，没有导入，可以删除 / a bundle from before this unit was re-registered: not imported, delete it")
	ErrReused     = errors.New("该序号的同步包已导入过，但内容不同，已拒绝：对方可能用较早的备份恢复了数据，也可能是伪造的文件。如是前者，请对方先导入本单位最新的同步包，再重新导出 / a bundle with this sequence number was imported before with different content: refused. The sender was probably restored from an older backup (or the file is forged): it imports this unit's newest bundle first, then exports again")
	// ErrReplacedSigner is a bundle signed with a key its sender has
	// replaced (checkReplaced).
	ErrReplacedSigner = errors.New("该同步包由发送方已更换的旧密钥签名：本单位已收到它的新密钥，不再接受旧密钥签名的新同步包，未导入任何内容。" +
		"如果是发送方在收到本单位的确认之前用旧密钥导出的，不要紧：请发送方先导入本单位最新的同步包，再重新导出，内容会随新的同步包送达；" +
		"如果发送方没有导出过这个同步包，它的旧密钥可能已落入他人之手，请电话核实，必要时吊销后重新登记 / " +
		"signed with a key the sender has replaced: this unit has its new key and no longer accepts new bundles signed with the old one; nothing was imported. " +
		"If the sender exported it before it received this unit's acknowledgement, no harm done: the sender imports this unit's newest bundle and exports again, " +
		"and the content comes with that bundle. If the sender did not export it, its old key may be in other hands: check by phone, and if need be revoke and register it again")
)

// A key is replaced when its unit has a newer one: at HQ, a station's
// key once a bundle carrying the station's rotation (a unit_key record of
// a newer key, signed with the key it replaces) has been imported
// (retireReplaced); at a station, HQ's key once the station joined again
// with an enrollment file naming another HQ key (HQ cannot rotate its
// keys). Whoever holds a replaced key — the reason to rotate may be that
// it leaked — must not be able to sign what the receiver applies, yet
// its unit wrote bundles with it that may still arrive. So a bundle
// signed with a replaced key is never applied: it is reported as the
// ordinary harmless replay when it is one its sender may have written
// before the key was replaced — the very bundle already imported, or one
// numbered below the newest bundle applied and written before it (every
// bundle from the rotation on is numbered at least the rotation's, and
// that one was applied) — and refused with ErrReplacedSigner otherwise.
//
// A station signs with its old key until it has imported HQ's
// acknowledgement of the rotation (signingKeys), so a bundle it exported
// between the rotation and that import is refused too: nothing is lost,
// the next bundle, signed with the new key, carries all that one did.
// Trusting the old key until the new one is first seen signing would let
// a thief of the old key sign for that long, or for ever if the station
// does not export again.

// signerReplaced reports whether m is signed with a replaced key: one
// retired while its unit has a key in use (neither retired nor revoked).
func signerReplaced(q data.Querier, m bundle.Manifest) (bool, error) {
	k, err := data.UnitKeyByID(q, m.Sender.KeyID)
	if errors.Is(err, data.ErrNotFound) {
		return false, nil
	}
	if err != nil || k.RetiredAt == 0 || k.RevokedAt != 0 {
		return false, err
	}
	keys, err := data.UnitKeys(q, k.UnitID)
	if err != nil {
		return false, err
	}
	for _, o := range keys {
		if o.KeyID != k.KeyID && o.RetiredAt == 0 && o.RevokedAt == 0 {
			return true, nil
		}
	}
	return false, nil
}

// checkReplaced returns ErrReplacedSigner for a bundle m from sender
// signed with a replaced key, unless it is one the sender may have written
// before: the bundle already imported with that number, or one numbered
// below the newest applied and written before it. Those are nil here and
// never applied either: importOne's order checks report them as already
// imported or a replay.
func (s *Session) checkReplaced(q data.Querier, sender data.Unit, m bundle.Manifest) error {
	replaced, err := signerReplaced(q, m)
	if err != nil || !replaced {
		return err
	}
	if prev, err := data.ImportedBundle(q, sender.ID, m.Sequence, sender.RegisteredAt); err == nil && hex.EncodeToString(prev.PayloadSHA) == m.Payload.SHA256 {
		return nil
	} else if err != nil && !errors.Is(err, data.ErrNotFound) {
		return err
	}
	peer, err := data.PeerByID(q, sender.ID)
	if err != nil {
		return err
	}
	if m.Sequence < peer.ReceivedContiguous {
		newest, err := data.NewestImportedBundle(q, sender.ID, sender.RegisteredAt)
		if errors.Is(err, data.ErrNotFound) || (err == nil && m.BundleID <= newest.BundleID) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return ErrReplacedSigner
}

// retireReplaced retires the keys of sender that the bundle just applied
// replaced. keys lists the sender's unit_key records in the bundle, in the
// sender's change order (oldest key first), applied the ones new here.
// A new key listed after the signing key, or when the signing key is not
// listed (the receiver had it acknowledged before), is a rotation: every
// other key of the sender is retired. A new key listed before the signing
// key is an older one the receiver never had (a station that joined again
// before HQ registered its first key): it is retired at once.
func retireReplaced(tx *data.Tx, sender, signer string, keys, applied []string, now int64) error {
	if len(applied) == 0 {
		return nil
	}
	signerAt := slices.Index(keys, signer)
	newest := ""
	for i, id := range keys {
		if !slices.Contains(applied, id) {
			continue
		}
		if i < signerAt {
			if err := data.RetireUnitKey(tx, id, now); err != nil {
				return err
			}
			continue
		}
		newest = id
	}
	if newest == "" {
		return nil
	}
	return data.RetireUnitKeysExcept(tx, sender, newest, now)
}

// beforeJoin reports whether bundle m from sender (a station's HQ) dates
// from before this station's current join: encrypted to a key pair a
// later join retired. Such a bundle is left on a stick from before the
// station was registered again; applying it would take the sequence
// numbers of HQ's bundles since. (Every bundle HQ wrote since is
// encrypted to the key made at the join, whatever either clock says.)
func (s *Session) beforeJoin(q data.Querier, sender data.Unit, m bundle.Manifest) (bool, error) {
	if s.unit.Kind != Station || sender.Kind != string(HQ) {
		return false, nil
	}
	rows, keys, err := ownKeyPairs(q)
	if err != nil {
		return false, err
	}
	for i, k := range keys {
		if k.Public().Age() == m.Receiver.Age {
			return rows[i].RetiredAt != 0, nil
		}
	}
	return false, nil
}

func (s *Session) importOne(ctx context.Context, path string, progress Progress) ImportResult {
	res := ImportResult{File: path}
	q := s.store.Reader()
	b, err := bundle.Open(ctx, path, bundle.OpenOptions{Receiver: s.unit.ID, Signers: s.signerLookup(q), Progress: progress})
	if err != nil {
		res.Err = err
		return res
	}
	defer b.Close()
	m := b.Manifest()
	res.Peer, res.Seq = m.Sender.Unit, m.Sequence
	sender, err := data.UnitByID(q, m.Sender.Unit)
	if err != nil || sender.State != UnitRegistered || (s.unit.Kind == Station) == (sender.Kind == string(Station)) {
		res.Err = fmt.Errorf("发送方 %s 不是本单位可以接收的单位 / sender %s is not a unit this one exchanges with", m.Sender.Unit, m.Sender.Unit)
		return res
	}
	sum, _ := hex.DecodeString(m.Payload.SHA256)
	if stale, err := s.beforeJoin(q, sender, m); err != nil {
		res.Err = err
		return res
	} else if stale {
		res.Result, res.Err = AlreadyImported, ErrBeforeJoin
		return res
	}
	if err := s.checkReplaced(q, sender, m); err != nil {
		res.Err = err
		return res
	}
	if prev, err := data.ImportedBundle(q, sender.ID, m.Sequence, sender.RegisteredAt); err == nil {
		if hex.EncodeToString(prev.PayloadSHA) == m.Payload.SHA256 {
			res.Result = AlreadyImported
			return res
		}
		res.Err = ErrReused
		return res
	}
	peer, err := data.PeerByID(q, sender.ID)
	if err != nil {
		res.Err = err
		return res
	}
	if m.Sequence < peer.ReceivedContiguous {
		// Older than what was applied: refused either way, with what it
		// means. Written before the newest bundle applied (bundle ids are
		// UUIDv7, in the sender's time order), that one carried it whole:
		// nothing to do. Written after it, the sender numbered anew from
		// an old state (restored from an earlier backup), and its work
		// since needs a new registration to come across.
		if newest, err := data.NewestImportedBundle(q, sender.ID, sender.RegisteredAt); err == nil && m.BundleID > newest.BundleID {
			res.Err = ErrRestored
			return res
		}
		res.Result, res.Err = AlreadyImported, ErrReplayed
		return res
	}
	keys, err := s.ownKeys(q)
	if err != nil {
		res.Err = err
		return res
	}
	i := slices.IndexFunc(keys, func(k *bundle.Keys) bool { return k.Public().Age() == m.Receiver.Age })
	if i < 0 {
		res.Err = bundle.ErrWrongKey
		return res
	}
	side := data.StationSide
	if sender.Kind == string(HQ) {
		side = data.HQSide
	}
	err = s.applyBundle(ctx, b, keys[i], m, path, sum, sender.ID, side, &res, false)
	if data.NeedsExplaining(err) {
		// The commit found a record referring to a row this PC lacks; a
		// second run, looking for it, names it.
		// A write in between may have brought the missing row: then the
		// second run imports the bundle, and err is nil.
		err = s.applyBundle(ctx, b, keys[i], m, path, sum, sender.ID, side, &res, true)
	}
	if err != nil {
		res.Err = data.ImportConflict(err) // a constraint broken at commit: said in words
		var conflict *data.ImportConflictError
		if errors.As(res.Err, &conflict) {
			if err := s.noteRestoredByRefused(sender.ID, m); err != nil {
				res.Err = errors.Join(res.Err, err)
			}
		}
		return res
	}
	res.Result = Imported
	return res
}

// applyBundle imports verified bundle b from sender in one write, and
// counts its records in res; explain makes the import look for records
// that refer to rows this PC lacks (slower: only to explain a refusal).
// Nothing is applied when it fails.
func (s *Session) applyBundle(ctx context.Context, b *bundle.Bundle, keys *bundle.Keys, m bundle.Manifest, path string, sum []byte, sender string,
	side data.Side, res *ImportResult, explain bool) error {
	im, err := s.store.NewImporter(data.ImportScope{Self: s.unit.ID, Sender: sender, SenderSide: side})
	if err != nil {
		return err
	}
	im.ExplainConflicts = explain
	res.Records = 0
	err = s.store.Write(func(tx *data.Tx) error {
		if err := im.Begin(tx); err != nil {
			return err
		}
		var unitKeys []string // the sender's keys in the bundle, in its order
		// The bundle is read, decrypted and checked beside the writing.
		err := im.Feed(func(record func(data.SyncRecord) error, attachment func([]byte, io.Reader) error) error {
			return b.Records(ctx, keys, func(r bundle.Record) error {
				if r.Type == "unit_key" && r.Owner == sender {
					unitKeys = append(unitKeys, r.ID)
				}
				return record(data.SyncRecord(r))
			}, func(sum bundle.Hash, _ int64, r io.Reader) error {
				return attachment(sum[:], r)
			})
		})
		if err != nil {
			return err
		}
		if err := im.Finish(); err != nil {
			return err
		}
		for _, id := range im.AppliedIDs("decision") {
			if err := s.applyDecision(tx, id); err != nil {
				return err
			}
		}
		now := s.now()
		if err := retireReplaced(tx, sender, m.Sender.KeyID, unitKeys, im.AppliedIDs("unit_key"), now); err != nil {
			return err
		}
		if err := s.noteReceived(tx, sender, m); err != nil {
			return err
		}
		if side == data.HQSide {
			if err := data.SetSetting(tx, keyHQRecipient, m.Receiver.Age); err != nil {
				return err
			}
		}
		for _, n := range im.Applied {
			res.Records += n
		}
		if err := data.SetSetting(tx, data.LastSyncSetting, fmt.Sprint(now)); err != nil {
			return err
		}
		if err := data.AddLedger(tx, data.LedgerEntry{At: now, Direction: "in", File: filepath.Base(path), Peer: sender, Seq: m.Sequence,
			BundleID: m.BundleID, PayloadSHA: sum, Result: Imported, Records: res.Records, Actor: s.User().Name}); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "sync.import", sender, fmt.Sprintf("seq %d, %d records", m.Sequence, res.Records))
	})
	if err != nil {
		im.Discard()
	}
	return err
}

// noteReceived records bundle m from peer as applied, and what its ack says
// the peer has applied of ours.
func (s *Session) noteReceived(tx *data.Tx, peerID string, m bundle.Manifest) error {
	p, err := data.PeerByID(tx, peerID)
	if err != nil {
		return err
	}
	// A bundle carries everything of the peer's that this unit had not
	// acknowledged, and older bundles are refused once a newer one is in:
	// a lost bundle leaves no gap to wait for, so everything up to m's
	// sequence counts as received.
	p.ReceivedContiguous = max(p.ReceivedContiguous, m.Sequence)
	ours, err := noteRestored(tx, &p, m.Ack)
	if err != nil {
		return err
	}
	acked := ackedSeq(m.Ack)
	if ours && acked < p.AckedSeq {
		// The peer acknowledges less than it did before: it was restored
		// from an older backup and lacks what it acknowledged since (its
		// ack does not go back otherwise: an older bundle is refused).
		// The next bundle carries everything after what it still has.
		sent, err := data.SentBundleBySeq(tx, peerID, acked)
		if err != nil && !errors.Is(err, data.ErrNotFound) {
			return err
		}
		p.AckedSeq, p.AckedChange = acked, sent.High
	}
	if ours && acked > p.AckedSeq {
		sent, err := data.SentBundleBySeq(tx, peerID, acked)
		if err != nil && !errors.Is(err, data.ErrNotFound) {
			return err
		}
		p.AckedSeq, p.AckedChange = acked, max(p.AckedChange, sent.High)
		if p.ResendFrom > 0 && acked >= p.ResendFrom {
			// The peer wrote this ack after it had applied our request to
			// send everything again: the bundle carrying it did.
			p.ResendFrom = 0
		}
	}
	if m.Ack.Resend {
		// The peer was restored from a backup and may lack what this
		// unit sent it: the next bundle carries every record again.
		p.AckedChange = 0
	}
	return data.SavePeer(tx, p)
}

// noteRestored reads from ack, authentic and from the peer whose state p
// is, whether this install was restored from an older backup: the peer
// applied a bundle numbered above the last one this install sent, or
// another bundle than ours under the number it acknowledges. Then the
// next bundle gets a number above the peer's, and from it on the bundles
// ask the peer to send all its records again (the install may lack what
// it received after the backup). It reports whether the ack is of this
// install's bundles (only then does it say what the peer has of ours).
func noteRestored(q data.Querier, p *data.SyncPeer, ack bundle.Ack) (ours bool, err error) {
	other, err := ackNamesAnotherBundle(q, p.UnitID, ack)
	if err != nil {
		return false, err
	}
	acked := ackedSeq(ack)
	if !other && acked <= p.SentSeq {
		return true, nil
	}
	// The peer's word is the evidence of what was sent since the backup:
	// numbers up to acked are taken.
	p.SentSeq = max(p.SentSeq, acked)
	if p.ResendFrom == 0 {
		p.ResendFrom = p.SentSeq + 1
	}
	return !other, nil
}

// ackedSeq is the highest of our bundles an ack says the peer applied.
func ackedSeq(ack bundle.Ack) int64 {
	if n := len(ack.Later); n > 0 {
		return max(ack.Contiguous, ack.Later[n-1])
	}
	return ack.Contiguous
}

// noteRestoredByRefused learns from bundle m of peer, refused because its
// records conflict with or refer to data this install lacks, whether this
// install was restored from an older backup (noteRestored): a restored HQ
// that imports first may refuse every bundle of a station for records
// the station sent before the backup, until it asks for them again.
func (s *Session) noteRestoredByRefused(peerID string, m bundle.Manifest) error {
	return s.store.Write(func(tx *data.Tx) error {
		p, err := data.PeerByID(tx, peerID)
		if err != nil {
			return err
		}
		before := p
		if _, err := noteRestored(tx, &p, m.Ack); err != nil || p == before {
			return err
		}
		return data.SavePeer(tx, p)
	})
}

// ackNamesAnotherBundle reports whether ack names, for its contiguous
// number, a bundle other than the one this install sent to peer under it.
// An ack from an earlier build names none, and a number this install has
// no record of sending (restored from a key backup) cannot be compared:
// both count as this install's.
func ackNamesAnotherBundle(q data.Querier, peerID string, ack bundle.Ack) (bool, error) {
	if ack.BundleID == "" {
		return false, nil
	}
	sent, err := data.SentBundleBySeq(q, peerID, ack.Contiguous)
	if errors.Is(err, data.ErrNotFound) {
		return false, nil
	}
	return err == nil && sent.BundleID != ack.BundleID, err
}

// ackOf is the ack for a bundle to peer: the newest of its bundles
// applied here, named by its bundle id (from the ledger, since the peer's
// registration; none after a restore from a key backup, which has no
// ledger).
func ackOf(q data.Querier, peer data.Unit, p data.SyncPeer) (bundle.Ack, error) {
	ack := bundle.Ack{Contiguous: p.ReceivedContiguous, Resend: p.ResendFrom > 0}
	if ack.Contiguous == 0 {
		return ack, nil
	}
	e, err := data.ImportedBundle(q, peer.ID, ack.Contiguous, peer.RegisteredAt)
	switch {
	case err == nil:
		ack.BundleID = e.BundleID
	case !errors.Is(err, data.ErrNotFound):
		return ack, err
	}
	return ack, nil
}

// PeerStatus is the exchange with one unit, as the sync screen shows it.
type PeerStatus struct {
	Unit     data.Unit
	SentSeq  int64 // the last bundle number sent to it
	AckedSeq int64 // the last one it acknowledged
	Received int64 // bundles from it applied, all up to this number
	Pending  int   // changes here it has not acknowledged (at most)
	LastIn   int64 // Unix ms of the last bundle imported from it, 0 if none
	LastOut  int64 // Unix ms of the last bundle exported to it
	// AskingResend: this install was restored from a backup, and its
	// bundles ask the unit to send all its records again until it has.
	AskingResend bool
	Fingerprint  string
}

// SyncStatus lists the exchange with each peer.
func (s *Session) SyncStatus() ([]PeerStatus, error) {
	q := s.store.Reader()
	units, err := s.Units()
	if err != nil {
		return nil, err
	}
	ledger, err := data.ListLedger(q, 1000)
	if err != nil {
		return nil, err
	}
	var out []PeerStatus
	for _, u := range units {
		p, err := data.PeerByID(q, u.ID)
		if err != nil {
			return nil, err
		}
		pending, err := data.PendingChanges(q, p.AckedChange)
		if err != nil {
			return nil, err
		}
		st := PeerStatus{Unit: u, SentSeq: p.SentSeq, AckedSeq: p.AckedSeq, Received: p.ReceivedContiguous, Pending: pending,
			AskingResend: p.ResendFrom > 0}
		if keys, err := data.UnitKeys(q, u.ID); err == nil {
			if k, ok := currentKey(keys); ok {
				st.Fingerprint = k.Fingerprint
			} else if len(keys) > 0 {
				st.Fingerprint = keys[0].Fingerprint
			}
		}
		for _, e := range ledger {
			if e.Peer != u.ID {
				continue
			}
			if e.Direction == "in" && e.Result == Imported && st.LastIn == 0 {
				st.LastIn = e.At
			}
			if e.Direction == "out" && e.Result == "exported" && st.LastOut == 0 {
				st.LastOut = e.At
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// Ledger lists the newest bundles exported, imported and refused.
func (s *Session) Ledger(limit int) ([]data.LedgerEntry, error) {
	return data.ListLedger(s.store.Reader(), limit)
}

// VerifyBundle checks a bundle file: container, signature, manifest and
// payload hash; with a session also that the signer is registered, not
// revoked and not replaced (checkReplaced), and that it is addressed to
// this unit.
func VerifyBundle(ctx context.Context, path string, s *Session) (bundle.Manifest, error) {
	opts := bundle.OpenOptions{}
	if s != nil {
		opts.Receiver, opts.Signers = s.unit.ID, s.signerLookup(s.store.Reader())
	}
	m, err := bundle.ReadManifest(path)
	if err != nil {
		return bundle.Manifest{}, err
	}
	if m.Kind == bundle.KindRegistration {
		opts.Registration, opts.Signers = true, nil
	}
	b, err := bundle.Open(ctx, path, opts)
	if err != nil {
		return *m, err
	}
	defer b.Close()
	if s != nil && !opts.Registration {
		q := s.store.Reader()
		if sender, err := data.UnitByID(q, b.Manifest().Sender.Unit); err == nil {
			if err := s.checkReplaced(q, sender, b.Manifest()); err != nil {
				return b.Manifest(), err
			}
		} else if !errors.Is(err, data.ErrNotFound) {
			return b.Manifest(), err
		}
	}
	return b.Manifest(), nil
}

// decisionEventID derives the id of the post event a decision causes, so
// that importing bundles in any order gives the same records.
func decisionEventID(decisionID string) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("mediadesk decision "+decisionID)).String()
}
