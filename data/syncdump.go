package data

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// DumpScope selects the records OwnedDump writes.
type DumpScope struct {
	// Owner is the unit that owns the records, Side its side: only the
	// record types that side writes are written.
	Owner string
	Side  Side
	// To narrows HQ records addressed to one unit (decision, notice,
	// assessment_result) to those for this unit; those types are left out
	// when it is empty.
	To string
	// Types are the record types to write; nil for every type.
	Types []string
}

// OwnedDump writes, one line per record ("type id data", by type in apply
// order, then id), the records scope.Owner owns that travel, in the form
// they travel (docs/sync-records.md §1): the owner's store and a store
// that has received all of them give the same dump, so two units can be
// checked to agree on what they share. What a receiver keeps in another
// form is written as the owner has it: a user's name without the
// "<unit>/" prefix and without its active flag (a receiver keeps remote
// users inactive), and the audit trail, which a receiver holds in
// remote_audit. A key's added_at is left out: each side notes when it
// took the key (HQ when it registered it).
func OwnedDump(q Querier, scope DumpScope) (string, error) {
	self, err := Setting(q, "unit.id")
	if err != nil {
		return "", fmt.Errorf("data: dump: this store has no unit id: %w", err)
	}
	local := self == scope.Owner
	r := newRecordReader(q)
	var b strings.Builder
	for i := range syncKinds {
		k := &syncKinds[i]
		if k.side != scope.Side || scope.Types != nil && !slices.Contains(scope.Types, k.kind) {
			continue
		}
		ids, err := ownedIDs(q, k, scope, local)
		if err != nil {
			return "", fmt.Errorf("data: dump %s: %w", k.kind, err)
		}
		for _, id := range ids {
			body, ok, err := r.dumpBody(k, scope, id, local)
			if err != nil {
				return "", fmt.Errorf("data: dump %s %s: %w", k.kind, id, err)
			}
			if ok {
				fmt.Fprintf(&b, "%s %s %s\n", k.kind, id, body)
			}
		}
	}
	return b.String(), nil
}

// ownedIDs lists the ids of kind k's rows scope.Owner owns, in order;
// local says this store is the owner's.
func ownedIDs(q Querier, k *syncKind, scope DumpScope, local bool) ([]string, error) {
	var query string
	var args []any
	switch {
	case k.kind == "user" && local:
		query = "SELECT id FROM users WHERE unit_id = '' ORDER BY id"
	case k.kind == "user":
		query, args = "SELECT id FROM users WHERE unit_id = ? ORDER BY id", []any{scope.Owner}
	case k.kind == "audit" && local:
		query = "SELECT CAST(seq AS TEXT) FROM audit ORDER BY seq"
	case k.kind == "audit":
		query, args = "SELECT CAST(seq AS TEXT) FROM remote_audit WHERE unit_id = ? ORDER BY seq", []any{scope.Owner}
	case k.to != "":
		query, args = "SELECT "+k.key+" FROM "+k.table+" WHERE "+k.owner+" = ? AND "+k.to+" = ? ORDER BY "+k.key, []any{scope.Owner, scope.To}
	default:
		query, args = "SELECT "+k.key+" FROM "+k.table+" WHERE "+k.owner+" = ? ORDER BY "+k.key, []any{scope.Owner}
	}
	rows, err := q.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// dumpBody returns one record's data as it travels, or false if it does
// not travel (a private draft, an unpublished template).
func (r *recordReader) dumpBody(k *syncKind, scope DumpScope, id string, local bool) ([]byte, bool, error) {
	switch k.kind {
	case "user":
		cols, err := r.columns(k.table, k.skip)
		if err != nil {
			return nil, false, err
		}
		rows, err := readRows(r.q, cols, "SELECT "+columnList(cols)+" FROM users WHERE id = ?", id)
		if err != nil || len(rows) == 0 {
			return nil, false, err
		}
		row := rows[0]
		delete(row, "active")
		if !local {
			row["name"] = strings.TrimPrefix(fmt.Sprint(row["name"]), scope.Owner+"/")
		}
		body, err := json.Marshal(map[string]any{"row": row})
		return body, err == nil, err
	case "audit":
		cols, err := r.columns(k.table, k.skip)
		if err != nil {
			return nil, false, err
		}
		query, args := "SELECT "+columnList(cols)+" FROM audit WHERE seq = ?", []any{id}
		if !local {
			query, args = "SELECT "+columnList(cols)+" FROM remote_audit WHERE unit_id = ? AND seq = ?", []any{scope.Owner, id}
		}
		rows, err := readRows(r.q, cols, query, args...)
		if err != nil || len(rows) == 0 {
			return nil, false, err
		}
		body, err := json.Marshal(map[string]any{"row": rows[0]})
		return body, err == nil, err
	}
	rec, _, ok, err := r.read(k, ExportScope{Self: scope.Owner, Side: k.side, Peer: scope.To}, id)
	if !ok || err != nil || k.kind != "unit_key" {
		return rec.Data, ok, err
	}
	var body map[string]map[string]any
	if err := json.Unmarshal(rec.Data, &body); err != nil {
		return nil, false, err
	}
	delete(body["row"], "added_at")
	out, err := json.Marshal(body)
	return out, err == nil, err
}
