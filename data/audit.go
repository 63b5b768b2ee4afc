package data

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
)

// AuditEntry is one row of the hash-chained audit trail. Each row's hash
// covers its content and the previous row's hash, so a changed, inserted
// or deleted row breaks the chain.
type AuditEntry struct {
	Seq      int64
	At       int64 // Unix milliseconds
	Actor    string
	Action   string
	Target   string
	Detail   string
	PrevHash []byte
	Hash     []byte
}

func auditHash(e AuditEntry) []byte {
	h := sha256.New()
	var n [8]byte
	field := func(b []byte) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	binary.LittleEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	binary.LittleEndian.PutUint64(n[:], uint64(e.At))
	h.Write(n[:])
	field([]byte(e.Actor))
	field([]byte(e.Action))
	field([]byte(e.Target))
	field([]byte(e.Detail))
	field(e.PrevHash)
	return h.Sum(nil)
}

// AppendAudit adds an entry after the last one, chaining its hash.
func AppendAudit(tx *Tx, at int64, actor, action, target, detail string) error {
	prev := make([]byte, sha256.Size)
	var seq int64
	err := tx.QueryRow("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	e := AuditEntry{Seq: seq + 1, At: at, Actor: actor, Action: action, Target: target, Detail: detail, PrevHash: prev}
	e.Hash = auditHash(e)
	_, err = tx.Exec("INSERT INTO audit(seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		e.Seq, e.At, e.Actor, e.Action, e.Target, e.Detail, e.PrevHash, e.Hash)
	if err != nil {
		return err
	}
	// The head pins the last entry, so cutting entries off the end shows.
	_, err = tx.Exec("INSERT INTO meta(key, value) VALUES ('audit_head', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		binary.BigEndian.AppendUint64(append([]byte{}, e.Hash...), uint64(e.Seq)))
	return err
}

// AuditFilter selects audit entries; zero fields match everything.
type AuditFilter struct {
	Actor  string
	Action string
	From   int64 // Unix milliseconds, inclusive
	To     int64 // exclusive
	Limit  int
}

// CountAudit counts the entries of one action on one target.
func CountAudit(q Querier, target, action string) (int, error) {
	var n int
	err := q.QueryRow("SELECT COUNT(*) FROM audit WHERE target = ? AND action = ?", target, action).Scan(&n)
	return n, err
}

// ListAudit returns entries matching f, newest first.
func ListAudit(q Querier, f AuditFilter) ([]AuditEntry, error) {
	query := "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit WHERE 1=1"
	var args []any
	if f.Actor != "" {
		query += " AND actor = ?"
		args = append(args, f.Actor)
	}
	if f.Action != "" {
		query += " AND action = ?"
		args = append(args, f.Action)
	}
	if f.From != 0 {
		query += " AND at >= ?"
		args = append(args, f.From)
	}
	if f.To != 0 {
		query += " AND at < ?"
		args = append(args, f.To)
	}
	query += " ORDER BY seq DESC"
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := q.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditBreak says where the audit chain is broken.
type AuditBreak struct {
	Seq    int64
	Reason string
}

func (b *AuditBreak) Error() string {
	return fmt.Sprintf("审计记录第 %d 条被改动：%s / audit entry %d was tampered with: %s", b.Seq, b.Reason, b.Seq, b.Reason)
}

// VerifyAudit walks the chain from the first entry and returns the first
// break: a changed row (hash mismatch), an inserted or deleted row (gap
// in the sequence or a previous-hash mismatch). It returns the number of
// entries checked.
func VerifyAudit(q Querier) (int, error) {
	rows, err := q.Query("SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit ORDER BY seq")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	prev := make([]byte, sha256.Size)
	n := 0
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return n, err
		}
		switch {
		case e.Seq != int64(n+1):
			return n, &AuditBreak{Seq: int64(n + 1), Reason: "entry missing or inserted"}
		case !bytes.Equal(e.PrevHash, prev):
			return n, &AuditBreak{Seq: e.Seq, Reason: "link to the previous entry broken"}
		case !bytes.Equal(auditHash(e), e.Hash):
			return n, &AuditBreak{Seq: e.Seq, Reason: "content changed"}
		}
		prev = e.Hash
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	var head []byte
	err = q.QueryRow("SELECT value FROM meta WHERE key = 'audit_head'").Scan(&head)
	if errors.Is(err, sql.ErrNoRows) {
		if n > 0 {
			return n, &AuditBreak{Seq: int64(n), Reason: "chain head missing"}
		}
		return 0, nil
	}
	if err != nil {
		return n, err
	}
	if len(head) != sha256.Size+8 || int64(binary.BigEndian.Uint64(head[sha256.Size:])) != int64(n) ||
		!bytes.Equal(head[:sha256.Size], prev) {
		return n, &AuditBreak{Seq: int64(n + 1), Reason: "entries removed from the end"}
	}
	return n, nil
}
