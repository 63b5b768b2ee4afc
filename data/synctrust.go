package data

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Unit is another unit this one exchanges bundles with: HQ, at a station;
// each enrolled station, at HQ.
type Unit struct {
	ID, Name     string
	Kind         string // "hq" or "station"
	State        string // "enrolled" (waiting for registration), "registered", "revoked"
	EnrolledAt   int64
	RegisteredAt int64
	RevokedAt    int64
	UpdatedAt    int64
}

// UnitKey is a public key pair of another unit.
type UnitKey struct {
	KeyID         string // minisign key id, 16 upper-case hex digits
	UnitID        string
	SigningPublic string // minisign public key text
	Recipient     string // age recipient
	Fingerprint   string
	AddedAt       int64
	RetiredAt     int64 // replaced by a newer key of the unit: no longer signs new bundles (app.ErrReplacedSigner)
	RevokedAt     int64 // revoked by HQ: never trusted again
}

// SaveUnit inserts or replaces a unit.
func SaveUnit(tx *Tx, u Unit) error {
	_, err := tx.Exec(`INSERT INTO units(id, name, kind, state, enrolled_at, registered_at, revoked_at, updated_at) VALUES (?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, state = excluded.state, enrolled_at = excluded.enrolled_at,
		registered_at = excluded.registered_at, revoked_at = excluded.revoked_at, updated_at = excluded.updated_at`,
		u.ID, u.Name, u.Kind, u.State, u.EnrolledAt, nullInt(u.RegisteredAt), nullInt(u.RevokedAt), u.UpdatedAt)
	return err
}

const unitColumns = "id, name, kind, state, enrolled_at, COALESCE(registered_at, 0), COALESCE(revoked_at, 0), updated_at"

func scanUnit(sc scanner) (Unit, error) {
	var u Unit
	err := sc.Scan(&u.ID, &u.Name, &u.Kind, &u.State, &u.EnrolledAt, &u.RegisteredAt, &u.RevokedAt, &u.UpdatedAt)
	if isNoRows(err) {
		return u, ErrNotFound
	}
	return u, err
}

// UnitByID reads a unit, or ErrNotFound.
func UnitByID(q Querier, id string) (Unit, error) {
	return scanUnit(q.QueryRow("SELECT "+unitColumns+" FROM units WHERE id = ?", id))
}

// ListUnits lists the units by name.
func ListUnits(q Querier) ([]Unit, error) {
	return queryList(q, scanUnit, "SELECT "+unitColumns+" FROM units ORDER BY kind, name, id LIMIT ?", -1)
}

// AddUnitKey records a public key pair of a unit.
func AddUnitKey(tx *Tx, k UnitKey) error {
	_, err := tx.Exec(`INSERT INTO unit_keys(key_id, unit_id, signing_public, recipient, fingerprint, added_at, retired_at, revoked_at)
		VALUES (?,?,?,?,?,?,?,?)`, k.KeyID, k.UnitID, k.SigningPublic, k.Recipient, k.Fingerprint, k.AddedAt, nullInt(k.RetiredAt), nullInt(k.RevokedAt))
	return err
}

const unitKeyColumns = "key_id, unit_id, signing_public, recipient, fingerprint, added_at, COALESCE(retired_at, 0), COALESCE(revoked_at, 0)"

func scanUnitKey(sc scanner) (UnitKey, error) {
	var k UnitKey
	err := sc.Scan(&k.KeyID, &k.UnitID, &k.SigningPublic, &k.Recipient, &k.Fingerprint, &k.AddedAt, &k.RetiredAt, &k.RevokedAt)
	if isNoRows(err) {
		return k, ErrNotFound
	}
	return k, err
}

// UnitKeyByID reads a key by its id, or ErrNotFound.
func UnitKeyByID(q Querier, keyID string) (UnitKey, error) {
	return scanUnitKey(q.QueryRow("SELECT "+unitKeyColumns+" FROM unit_keys WHERE key_id = ?", keyID))
}

// UnitKeys lists a unit's keys, newest first.
func UnitKeys(q Querier, unitID string) ([]UnitKey, error) {
	return queryList(q, scanUnitKey, "SELECT "+unitKeyColumns+" FROM unit_keys WHERE unit_id = ? ORDER BY added_at DESC, key_id LIMIT ?", unitID, -1)
}

// RetireUnitKeys marks every key of a unit still in use as retired (a
// rotation) or revoked (a lost laptop) at time at.
func RetireUnitKeys(tx *Tx, unitID string, at int64, revoke bool) error {
	col := "retired_at"
	if revoke {
		col = "revoked_at"
	}
	_, err := tx.Exec("UPDATE unit_keys SET "+col+" = ? WHERE unit_id = ? AND "+col+" IS NULL AND revoked_at IS NULL", at, unitID)
	return err
}

// RetireUnitKeysExcept marks every key of a unit still in use but keep as
// retired at time at: keep replaces them (a rotation arrived at HQ).
func RetireUnitKeysExcept(tx *Tx, unitID, keep string, at int64) error {
	_, err := tx.Exec("UPDATE unit_keys SET retired_at = ? WHERE unit_id = ? AND key_id <> ? AND retired_at IS NULL AND revoked_at IS NULL", at, unitID, keep)
	return err
}

// RetireUnitKey marks one key as retired at time at, unless it is retired
// or revoked already.
func RetireUnitKey(tx *Tx, keyID string, at int64) error {
	_, err := tx.Exec("UPDATE unit_keys SET retired_at = ? WHERE key_id = ? AND retired_at IS NULL AND revoked_at IS NULL", at, keyID)
	return err
}

// OwnKey is one of this unit's own key pairs, secret form.
type OwnKey struct {
	KeyID     string
	Secret    []byte
	CreatedAt int64
	RetiredAt int64
}

// SaveOwnKey stores a key pair of this unit.
func SaveOwnKey(tx *Tx, k OwnKey) error {
	_, err := tx.Exec(`INSERT INTO own_keys(key_id, secret, created_at, retired_at) VALUES (?,?,?,?)
		ON CONFLICT(key_id) DO UPDATE SET retired_at = excluded.retired_at`, k.KeyID, k.Secret, k.CreatedAt, nullInt(k.RetiredAt))
	return err
}

// OwnKeys lists this unit's key pairs, newest first; the first one not
// retired signs.
func OwnKeys(q Querier) ([]OwnKey, error) {
	return queryList(q, func(sc scanner) (OwnKey, error) {
		var k OwnKey
		return k, sc.Scan(&k.KeyID, &k.Secret, &k.CreatedAt, &k.RetiredAt)
	}, "SELECT key_id, secret, created_at, COALESCE(retired_at, 0) FROM own_keys ORDER BY created_at DESC, key_id LIMIT ?", -1)
}

// SyncPeer is the exchange state with one unit.
type SyncPeer struct {
	UnitID             string
	SentSeq            int64 // the last sequence number this unit sent it
	AckedSeq           int64 // the highest of those it acknowledged
	AckedChange        int64 // the change sequence its acknowledgements cover
	ReceivedContiguous int64 // the newest bundle from it applied: older ones are refused
	// ResendFrom is the first of this unit's bundles to it that ask it to
	// send all its records again (0: none ask): this install was
	// restored from a backup and may lack what it sent before.
	ResendFrom int64
}

// PeerByID reads the exchange state with a unit (zero if none yet).
// Earlier builds also kept the bundles applied above a gap (a lost stick)
// in received_later; a bundle carries all its predecessors did, so they
// are folded into ReceivedContiguous here and written back as [].
func PeerByID(q Querier, unitID string) (SyncPeer, error) {
	p := SyncPeer{UnitID: unitID}
	var later string
	err := q.QueryRow("SELECT sent_seq, acked_seq, acked_change, received_contiguous, received_later, resend_from FROM sync_peers WHERE unit_id = ?", unitID).
		Scan(&p.SentSeq, &p.AckedSeq, &p.AckedChange, &p.ReceivedContiguous, &later, &p.ResendFrom)
	if isNoRows(err) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	var seqs []int64
	if err := json.Unmarshal([]byte(later), &seqs); err != nil {
		return p, err
	}
	for _, n := range seqs {
		p.ReceivedContiguous = max(p.ReceivedContiguous, n)
	}
	return p, nil
}

// SavePeer stores the exchange state with a unit.
func SavePeer(tx *Tx, p SyncPeer) error {
	_, err := tx.Exec(`INSERT INTO sync_peers(unit_id, sent_seq, acked_seq, acked_change, received_contiguous, received_later, delivered_change, resend_from)
		VALUES (?,?,?,?,?,?,?,?)
		ON CONFLICT(unit_id) DO UPDATE SET sent_seq = excluded.sent_seq, acked_seq = excluded.acked_seq, acked_change = excluded.acked_change,
		received_contiguous = excluded.received_contiguous, received_later = excluded.received_later,
		delivered_change = max(delivered_change, excluded.acked_change), resend_from = excluded.resend_from`,
		p.UnitID, p.SentSeq, p.AckedSeq, p.AckedChange, p.ReceivedContiguous, "[]", p.AckedChange, p.ResendFrom)
	return err
}

// DeliveredChange returns the change sequence the unit's acknowledgements
// have covered at most. Unlike SyncPeer.AckedChange it never goes down:
// neither a new registration nor the unit's request to send everything
// again (after it was restored from a backup) undoes a delivery.
func DeliveredChange(q Querier, unitID string) (int64, error) {
	var n int64
	err := q.QueryRow("SELECT delivered_change FROM sync_peers WHERE unit_id = ?", unitID).Scan(&n)
	if isNoRows(err) {
		return 0, nil
	}
	return n, err
}

// ResetPeer starts the exchange with a unit afresh (a new registration):
// no bundle sent, received or acknowledged.
func ResetPeer(tx *Tx, unitID string) error {
	if _, err := tx.Exec("DELETE FROM sync_sent WHERE unit_id = ?", unitID); err != nil {
		return err
	}
	return SavePeer(tx, SyncPeer{UnitID: unitID})
}

// RecordSent remembers that bundle seq to unit covered changes up to high.
func RecordSent(tx *Tx, unitID string, seq int64, bundleID string, high, at int64) error {
	_, err := tx.Exec("INSERT INTO sync_sent(unit_id, seq, bundle_id, high_change, at) VALUES (?,?,?,?,?)", unitID, seq, bundleID, high, at)
	return err
}

// SentBundle is a bundle this unit sent: its id and the change sequence
// it covered.
type SentBundle struct {
	BundleID string
	High     int64
}

// SentBundleBySeq returns bundle seq sent to unit, or ErrNotFound.
func SentBundleBySeq(q Querier, unitID string, seq int64) (SentBundle, error) {
	var b SentBundle
	err := q.QueryRow("SELECT bundle_id, high_change FROM sync_sent WHERE unit_id = ? AND seq = ?", unitID, seq).Scan(&b.BundleID, &b.High)
	if isNoRows(err) {
		return b, ErrNotFound
	}
	return b, err
}

// ChangeSeq returns the change sequence of a record in the change log
// (where it stands among what bundles carry), or ErrNotFound.
func ChangeSeq(q Querier, kind, recordID string) (int64, error) {
	var seq int64
	err := q.QueryRow("SELECT seq FROM sync_changes WHERE kind = ? AND record_id = ?", kind, recordID).Scan(&seq)
	if isNoRows(err) {
		return 0, ErrNotFound
	}
	return seq, err
}

// PendingChanges counts the changed records past a change sequence (an
// upper bound of what the next bundle carries: some are not the peer's).
func PendingChanges(q Querier, after int64) (int, error) {
	var n int
	err := q.QueryRow("SELECT COUNT(*) FROM sync_changes WHERE seq > ?", after).Scan(&n)
	return n, err
}

// LedgerEntry is one bundle exported or imported, or refused.
type LedgerEntry struct {
	ID         int64
	At         int64
	Direction  string // "out" or "in"
	File       string
	Peer       string
	Seq        int64
	BundleID   string
	PayloadSHA []byte
	Result     string // "exported", "imported", "duplicate", "refused"
	Message    string
	Records    int
	Actor      string
}

// AddLedger appends a ledger row.
func AddLedger(tx *Tx, e LedgerEntry) error {
	_, err := tx.Exec(`INSERT INTO sync_ledger(at, direction, file, peer, seq, bundle_id, payload_sha, result, message, records, actor)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)`, e.At, e.Direction, e.File, e.Peer, e.Seq, e.BundleID, nullBytes(e.PayloadSHA), e.Result, e.Message, e.Records, e.Actor)
	return err
}

const ledgerColumns = "id, at, direction, file, peer, seq, bundle_id, payload_sha, result, message, records, actor"

func scanLedger(sc scanner) (LedgerEntry, error) {
	var e LedgerEntry
	err := sc.Scan(&e.ID, &e.At, &e.Direction, &e.File, &e.Peer, &e.Seq, &e.BundleID, &e.PayloadSHA, &e.Result, &e.Message, &e.Records, &e.Actor)
	return e, err
}

// ImportedBundle returns the ledger row of the bundle seq from peer that
// was imported since the time since (the peer's registration), or
// ErrNotFound.
func ImportedBundle(q Querier, peer string, seq, since int64) (LedgerEntry, error) {
	e, err := scanLedger(q.QueryRow("SELECT "+ledgerColumns+" FROM sync_ledger WHERE direction = 'in' AND peer = ? AND seq = ? AND result = 'imported' AND at >= ? ORDER BY id LIMIT 1", peer, seq, since))
	if isNoRows(err) {
		return e, ErrNotFound
	}
	return e, err
}

// NewestImportedBundle returns the ledger row of the bundle with the
// highest sequence imported from peer since the time since, or
// ErrNotFound.
func NewestImportedBundle(q Querier, peer string, since int64) (LedgerEntry, error) {
	e, err := scanLedger(q.QueryRow("SELECT "+ledgerColumns+" FROM sync_ledger WHERE direction = 'in' AND peer = ? AND result = 'imported' AND at >= ? ORDER BY seq DESC, id DESC LIMIT 1", peer, since))
	if isNoRows(err) {
		return e, ErrNotFound
	}
	return e, err
}

// ListLedger lists the newest ledger rows first.
func ListLedger(q Querier, limit int) ([]LedgerEntry, error) {
	return queryList(q, scanLedger, "SELECT "+ledgerColumns+" FROM sync_ledger ORDER BY id DESC LIMIT ?", limit)
}

// SyncCounts counts records per type and owner unit, and ledger rows per
// direction and result (for `mediadesk stats`).
func SyncCounts(q Querier) (records map[string]map[string]int, ledger map[string]int, err error) {
	records = map[string]map[string]int{}
	for _, k := range syncKinds {
		owner := k.owner
		table := k.table
		switch k.kind {
		case "user":
			owner = "CASE unit_id WHEN '' THEN (SELECT value FROM settings WHERE key = 'unit.id') ELSE unit_id END"
		case "audit":
			// local audit entries, then the stations' at HQ
			owner, table = "(SELECT value FROM settings WHERE key = 'unit.id')", "audit"
		}
		if err := countInto(q, records, k.kind, fmt.Sprintf("SELECT %s, COUNT(*) FROM %s GROUP BY 1", owner, table)); err != nil {
			return nil, nil, err
		}
		if k.kind == "audit" {
			if err := countInto(q, records, k.kind, "SELECT unit_id, COUNT(*) FROM remote_audit GROUP BY 1"); err != nil {
				return nil, nil, err
			}
		}
	}
	ledger = map[string]int{}
	rows, err := q.Query("SELECT direction || ' ' || result, COUNT(*) FROM sync_ledger GROUP BY 1")
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, nil, err
		}
		ledger[k] = n
	}
	return records, ledger, rows.Err()
}

func countInto(q Querier, into map[string]map[string]int, kind, query string) error {
	rows, err := q.Query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var owner *string
		var n int
		if err := rows.Scan(&owner, &n); err != nil {
			return err
		}
		o := ""
		if owner != nil {
			o = *owner
		}
		if into[kind] == nil {
			into[kind] = map[string]int{}
		}
		into[kind][o] += n
	}
	return rows.Err()
}

// CanonicalDump writes every record that travels, with its children, in a
// fixed order: two stores that agree on all their shared records give the
// same dump for the units both hold. Local bookkeeping (ledger, change log,
// own audit trail, attachment file keys) is left out.
func CanonicalDump(q Querier) (string, error) {
	var b strings.Builder
	tables := []string{"remote_audit"}
	for _, k := range syncKinds {
		if k.kind == "audit" {
			continue
		}
		tables = append(tables, k.table)
		for _, ch := range k.children {
			tables = append(tables, ch.table)
		}
	}
	for _, t := range tables {
		cols, err := columnsOf(q, t)
		if err != nil {
			return "", err
		}
		names := make([]string, 0, len(cols))
		for _, c := range cols {
			if c.name == "attachment_id" {
				// local ids differ; the content hash is what matters
				names = append(names, "(SELECT hex(sha256) FROM attachments WHERE id = attachment_id)")
				continue
			}
			names = append(names, c.name)
		}
		rows, err := readRows(q, cols, "SELECT "+strings.Join(names, ", ")+" FROM "+t+" ORDER BY "+strings.Join(names, ", "))
		if err != nil {
			return "", fmt.Errorf("data: dump %s: %w", t, err)
		}
		fmt.Fprintf(&b, "[%s] %d\n", t, len(rows))
		for _, r := range rows {
			line, _ := json.Marshal(r)
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}

// RenameUnit gives this unit's records a new unit id (a station joining HQ
// takes the id HQ enrolled it with).
func RenameUnit(tx *Tx, old, new string) error {
	for _, k := range syncKinds {
		for _, col := range []string{k.owner, k.to} {
			if col == "" {
				continue
			}
			if _, err := tx.Exec("UPDATE "+k.table+" SET "+col+" = ? WHERE "+col+" = ?", new, old); err != nil {
				return err
			}
		}
	}
	return nil
}

// Decision is HQ's answer on a station's post or account filing.
type Decision struct {
	ID          string
	OwnerUnit   string // HQ
	UnitID      string // the station it is for
	SubjectKind string // "post" or "account"
	SubjectID   string
	Decision    string // post: approve, return; account: accept, reject, verify
	ContentHash []byte // the post content decided on
	Comment     string
	DecidedBy   string // the deciding HQ staff member's display name (HQ's users do not travel)
	DecidedAt   int64
	Version     int64
}

// SaveDecision writes a decision (HQ's, or one arrived from HQ).
func SaveDecision(tx *Tx, d Decision) error {
	_, err := tx.Exec(`INSERT INTO decisions(id, owner_unit, unit_id, subject_kind, subject_id, decision, content_hash, comment, decided_by, decided_at, created_at, updated_at, version)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`, d.ID, d.OwnerUnit, d.UnitID, d.SubjectKind, d.SubjectID, d.Decision, nullBytes(d.ContentHash), d.Comment,
		d.DecidedBy, d.DecidedAt, d.DecidedAt, d.DecidedAt, max(d.Version, 1))
	return err
}

const decisionColumns = "id, owner_unit, unit_id, subject_kind, subject_id, decision, content_hash, comment, decided_by, decided_at, version"

func scanDecision(sc scanner) (Decision, error) {
	var d Decision
	err := sc.Scan(&d.ID, &d.OwnerUnit, &d.UnitID, &d.SubjectKind, &d.SubjectID, &d.Decision, &d.ContentHash, &d.Comment, &d.DecidedBy, &d.DecidedAt, &d.Version)
	if isNoRows(err) {
		return d, ErrNotFound
	}
	return d, err
}

// DecisionByID reads a decision, or ErrNotFound.
func DecisionByID(q Querier, id string) (Decision, error) {
	return scanDecision(q.QueryRow("SELECT "+decisionColumns+" FROM decisions WHERE id = ?", id))
}

// DecisionsOn lists the decisions on a subject, oldest first.
func DecisionsOn(q Querier, kind, id string) ([]Decision, error) {
	return queryList(q, scanDecision, "SELECT "+decisionColumns+" FROM decisions WHERE subject_kind = ? AND subject_id = ? ORDER BY decided_at, id LIMIT ?", kind, id, -1)
}
