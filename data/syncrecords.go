package data

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// SyncRecord is one record as it travels in a bundle (docs/sync-records.md):
// its type, id, the one unit that may write it, its version, and its
// fields (the row and, under "children", its child rows) as JSON.
type SyncRecord struct {
	Type    string
	ID      string
	Owner   string
	Version int64
	Data    json.RawMessage
}

// Side says which kind of unit owns a record type.
type Side int

// The sides.
const (
	StationSide Side = iota // written by a station, travels to HQ
	HQSide                  // written by HQ, travels to stations
)

// childMode says how a child table merges.
type childMode int

const (
	// childUnion: immutable rows with their own key; the union is kept.
	childUnion childMode = iota
	// childReplace: rows that change only with their parent's version;
	// a newer parent replaces the whole set.
	childReplace
	// childLatest: rows keyed by day; the one entered last (column at) wins.
	childLatest
)

// syncChild is a child table that travels inside its parent's record.
type syncChild struct {
	table  string
	parent string   // column naming the parent record
	key    []string // primary key columns
	mode   childMode
	attach string // column holding an attachment id, sent as its SHA-256
}

// syncKind is a record type: the table its rows live in, who writes it and
// what travels with it.
type syncKind struct {
	kind     string
	table    string
	key      string // the id column
	owner    string // the column naming the owner unit; "" for users and audit
	side     Side
	to       string // HQ records for one unit: the column naming it
	version  string // the column holding the version
	children []syncChild
	skip     []string // local columns that do not travel
}

// syncKinds are the record types in the order an import applies them.
var syncKinds = []syncKind{
	{kind: "unit_key", table: "unit_keys", key: "key_id", owner: "unit_id", side: StationSide, skip: []string{"retired_at", "revoked_at"}},
	{kind: "user", table: "users", key: "id", side: StationSide, version: "updated_at", skip: []string{"unit_id"}},
	{kind: "officer", table: "officers", key: "id", owner: "owner_unit", side: StationSide, version: "version"},
	{kind: "campaign", table: "campaigns", key: "id", owner: "owner_unit", side: StationSide, version: "version"},
	{kind: "account", table: "accounts", key: "id", owner: "owner_unit", side: StationSide, version: "version",
		children: []syncChild{{table: "account_metrics", parent: "account_id", key: []string{"account_id", "day"}, mode: childLatest}}},
	{kind: "post", table: "posts", key: "id", owner: "owner_unit", side: StationSide, version: "version",
		children: []syncChild{
			{table: "post_events", parent: "post_id", key: []string{"id"}, mode: childUnion},
			{table: "post_comments", parent: "post_id", key: []string{"id"}, mode: childUnion},
			{table: "post_images", parent: "post_id", key: []string{"post_id", "position"}, mode: childReplace, attach: "attachment_id"},
			{table: "post_overrides", parent: "post_id", key: []string{"post_id", "content_hash", "rule", "start"}, mode: childUnion},
			{table: "post_metrics", parent: "post_id", key: []string{"post_id", "day"}, mode: childLatest},
		}},
	{kind: "training", table: "trainings", key: "id", owner: "owner_unit", side: StationSide, version: "version",
		children: []syncChild{
			{table: "training_attendees", parent: "training_id", key: []string{"training_id", "officer_id"}, mode: childReplace},
			{table: "training_materials", parent: "training_id", key: []string{"training_id", "position"}, mode: childReplace, attach: "attachment_id"},
		}},
	{kind: "message", table: "messages", key: "id", owner: "owner_unit", side: StationSide, version: "version",
		children: []syncChild{{table: "message_steps", parent: "message_id", key: []string{"id"}, mode: childUnion}}},
	{kind: "notice_answer", table: "notice_answers", key: "id", owner: "owner_unit", side: StationSide, version: "version"},
	{kind: "audit", table: "audit", key: "seq", side: StationSide},
	{kind: "decision", table: "decisions", key: "id", owner: "owner_unit", side: HQSide, to: "unit_id", version: "version"},
	{kind: "notice", table: "notices", key: "id", owner: "owner_unit", side: HQSide, to: "unit_id", version: "version"},
	{kind: "reply_template", table: "reply_templates", key: "id", owner: "owner_unit", side: HQSide, version: "version"},
	{kind: "lexicon", table: "lexicon_versions", key: "id", owner: "owner_unit", side: HQSide, version: "version"},
	{kind: "assessment_scheme", table: "assessment_schemes", key: "id", owner: "owner_unit", side: HQSide, version: "version"},
	{kind: "assessment_result", table: "assessment_results", key: "id", owner: "owner_unit", side: HQSide, to: "unit_id", version: "version"},
}

// SyncTypes lists the record types that travel, in apply order.
func SyncTypes() []string {
	out := make([]string, len(syncKinds))
	for i, k := range syncKinds {
		out[i] = k.kind
	}
	return out
}

func kindOf(name string) (*syncKind, bool) {
	for i := range syncKinds {
		if syncKinds[i].kind == name {
			return &syncKinds[i], true
		}
	}
	return nil, false
}

// RecordError is a record a bundle may not carry; the import is refused.
type RecordError struct {
	Type, ID string
	Reason   string // 中文 / English
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("同步包中的记录 %s %s 无效：%s", e.Type, e.ID, e.Reason)
}

// column is one column of a table as the schema declares it.
type column struct {
	name, typ string
}

// columnsOf returns a table's columns in schema order.
func columnsOf(q Querier, table string) ([]column, error) {
	rows, err := q.Query("SELECT name, type FROM pragma_table_info(?) ORDER BY cid", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.typ); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("data: no table %s", table)
	}
	return out, rows.Err()
}

// wireColumns are the columns of table that travel.
func wireColumns(q Querier, table string, skip []string) ([]column, error) {
	cols, err := columnsOf(q, table)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(cols, func(c column) bool { return slices.Contains(skip, c.name) }), nil
}

// encodeValue turns a column value into its JSON form: BLOBs as base64.
func encodeValue(v any) any {
	if b, ok := v.([]byte); ok {
		return base64.StdEncoding.EncodeToString(b)
	}
	return v
}

// decodeValue turns a JSON value into a column value of type typ.
func decodeValue(typ string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "INTEGER":
		n, ok := v.(json.Number)
		if !ok {
			return nil, errors.New("应为整数 / want an integer")
		}
		i, err := n.Int64()
		if err != nil {
			return nil, errors.New("应为整数 / want an integer")
		}
		return i, nil
	case "REAL":
		n, ok := v.(json.Number)
		if !ok {
			return nil, errors.New("应为数字 / want a number")
		}
		return n.Float64()
	case "BLOB":
		s, ok := v.(string)
		if !ok {
			return nil, errors.New("应为 base64 / want base64")
		}
		return base64.StdEncoding.DecodeString(s)
	default:
		s, ok := v.(string)
		if !ok {
			return nil, errors.New("应为文本 / want text")
		}
		return s, nil
	}
}

// readRows reads rows as column → JSON value maps.
func readRows(q Querier, cols []column, query string, args ...any) ([]map[string]any, error) {
	rows, err := q.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			m[c.name] = encodeValue(vals[i])
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func columnList(cols []column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// AttachmentRef is an attachment a record refers to; its content travels
// after the records.
type AttachmentRef struct {
	ID         string // the sender's attachment id
	SHA256     []byte
	Size       int64
	Name, MIME string
}

// ExportScope says which records a bundle to Peer carries.
type ExportScope struct {
	Self  string // this unit's id
	Side  Side   // this unit's side
	Peer  string // the receiving unit
	After int64  // the change sequence the peer has acknowledged
	Upto  int64  // if set, the newest change sequence to look at
}

// ChangedRecords calls fn with every record this unit owns that changed
// after scope.After and that the peer should have, in change order, and
// returns the newest change sequence it looked at (scope.Upto if set). A
// station's drafts that were never submitted stay home.
func ChangedRecords(q Querier, scope ExportScope, fn func(SyncRecord, []AttachmentRef) error) (int64, error) {
	high := scope.Upto
	if high == 0 {
		if err := q.QueryRow("SELECT COALESCE(MAX(seq), 0) FROM sync_changes").Scan(&high); err != nil {
			return 0, err
		}
	}
	rows, err := q.Query("SELECT kind, record_id FROM sync_changes WHERE seq > ? AND seq <= ? ORDER BY seq", scope.After, high)
	if err != nil {
		return 0, err
	}
	type change struct{ kind, id string }
	var changes []change
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.kind, &c.id); err != nil {
			rows.Close()
			return 0, err
		}
		changes = append(changes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	r := newRecordReader(q)
	for _, c := range changes {
		k, ok := kindOf(c.kind)
		if !ok || k.side != scope.Side {
			continue
		}
		rec, refs, ok, err := r.read(k, scope, c.id)
		if err != nil {
			return 0, fmt.Errorf("data: export %s %s: %w", c.kind, c.id, err)
		}
		if !ok {
			continue
		}
		if err := fn(rec, refs); err != nil {
			return 0, err
		}
	}
	return high, nil
}

// recordReader reads records, keeping each table's columns.
type recordReader struct {
	q    Querier
	cols map[string][]column
}

func newRecordReader(q Querier) *recordReader {
	return &recordReader{q: q, cols: map[string][]column{}}
}

func (r *recordReader) columns(table string, skip []string) ([]column, error) {
	if c, ok := r.cols[table]; ok {
		return c, nil
	}
	c, err := wireColumns(r.q, table, skip)
	r.cols[table] = c
	return c, err
}

// read reads record id of kind k if scope may send it.
func (r *recordReader) read(k *syncKind, scope ExportScope, id string) (SyncRecord, []AttachmentRef, bool, error) {
	cols, err := r.columns(k.table, k.skip)
	if err != nil {
		return SyncRecord{}, nil, false, err
	}
	where := k.key + " = ?"
	args := []any{id}
	switch {
	case k.kind == "user":
		where += " AND unit_id = ''"
	case k.owner != "":
		where += " AND " + k.owner + " = ?"
		args = append(args, scope.Self)
	}
	if k.to != "" {
		where += " AND " + k.to + " = ?"
		args = append(args, scope.Peer)
	}
	switch k.kind {
	case "post": // never a private draft: only posts submitted at least once
		where += " AND EXISTS (SELECT 1 FROM post_events e WHERE e.post_id = posts.id AND e.kind = 'submit')"
	case "reply_template": // HQ's library: what the section chief published (or later retired)
		where += " AND status IN ('published', 'retired')"
	case "assessment_scheme": // the scheme in force, not drafts
		where += " AND status <> 'draft'"
	}
	rows, err := readRows(r.q, cols, "SELECT "+columnList(cols)+" FROM "+k.table+" WHERE "+where, args...)
	if err != nil || len(rows) == 0 {
		return SyncRecord{}, nil, false, err
	}
	row := rows[0]
	rec := SyncRecord{Type: k.kind, ID: id, Owner: scope.Self, Version: 1}
	if k.version != "" {
		rec.Version, _ = row[k.version].(int64)
	}
	body := map[string]any{"row": row}
	var refs []AttachmentRef
	if len(k.children) > 0 {
		children := map[string]any{}
		for _, ch := range k.children {
			ccols, err := r.columns(ch.table, nil)
			if err != nil {
				return SyncRecord{}, nil, false, err
			}
			crows, err := readRows(r.q, ccols, "SELECT "+columnList(ccols)+" FROM "+ch.table+" WHERE "+ch.parent+" = ? ORDER BY "+strings.Join(ch.key, ", "), id)
			if err != nil {
				return SyncRecord{}, nil, false, err
			}
			if ch.attach != "" {
				for _, cr := range crows {
					a, err := attachmentRef(r.q, cr[ch.attach].(string))
					if err != nil {
						return SyncRecord{}, nil, false, err
					}
					refs = append(refs, a)
					delete(cr, ch.attach)
					cr["attachment_sha256"] = hex.EncodeToString(a.SHA256)
					cr["attachment_name"], cr["attachment_mime"], cr["attachment_size"] = a.Name, a.MIME, a.Size
				}
			}
			if crows == nil {
				crows = []map[string]any{}
			}
			children[ch.table] = crows
		}
		body["children"] = children
	}
	rec.Data, err = json.Marshal(body)
	return rec, refs, err == nil, err
}

func attachmentRef(q Querier, id string) (AttachmentRef, error) {
	a := AttachmentRef{ID: id}
	err := q.QueryRow("SELECT sha256, size, name, mime FROM attachments WHERE id = ?", id).Scan(&a.SHA256, &a.Size, &a.Name, &a.MIME)
	return a, err
}
