package data

import (
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
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
	zh       string // what the record is called in Chinese, for messages
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
	{kind: "unit_key", zh: "单位密钥", table: "unit_keys", key: "key_id", owner: "unit_id", side: StationSide, skip: []string{"retired_at", "revoked_at"}},
	{kind: "user", zh: "用户", table: "users", key: "id", side: StationSide, version: "updated_at", skip: []string{"unit_id"}},
	{kind: "officer", zh: "民警", table: "officers", key: "id", owner: "owner_unit", side: StationSide, version: "version"},
	{kind: "campaign", zh: "活动", table: "campaigns", key: "id", owner: "owner_unit", side: StationSide, version: "version"},
	{kind: "account", zh: "账号", table: "accounts", key: "id", owner: "owner_unit", side: StationSide, version: "version",
		children: []syncChild{{table: "account_metrics", parent: "account_id", key: []string{"account_id", "day"}, mode: childLatest}}},
	{kind: "post", zh: "稿件", table: "posts", key: "id", owner: "owner_unit", side: StationSide, version: "version",
		children: []syncChild{
			{table: "post_events", parent: "post_id", key: []string{"id"}, mode: childUnion},
			{table: "post_comments", parent: "post_id", key: []string{"id"}, mode: childUnion},
			{table: "post_images", parent: "post_id", key: []string{"post_id", "position"}, mode: childReplace, attach: "attachment_id"},
			{table: "post_overrides", parent: "post_id", key: []string{"post_id", "content_hash", "rule", "start"}, mode: childUnion},
			{table: "post_metrics", parent: "post_id", key: []string{"post_id", "day"}, mode: childLatest},
		}},
	{kind: "training", zh: "培训", table: "trainings", key: "id", owner: "owner_unit", side: StationSide, version: "version",
		children: []syncChild{
			{table: "training_attendees", parent: "training_id", key: []string{"training_id", "officer_id"}, mode: childReplace},
			{table: "training_materials", parent: "training_id", key: []string{"training_id", "position"}, mode: childReplace, attach: "attachment_id"},
		}},
	{kind: "message", zh: "网民留言", table: "messages", key: "id", owner: "owner_unit", side: StationSide, version: "version",
		children: []syncChild{{table: "message_steps", parent: "message_id", key: []string{"id"}, mode: childUnion}}},
	{kind: "notice_answer", zh: "整改回复", table: "notice_answers", key: "id", owner: "owner_unit", side: StationSide, version: "version"},
	{kind: "audit", zh: "操作记录", table: "audit", key: "seq", side: StationSide},
	{kind: "decision", zh: "宣传科决定", table: "decisions", key: "id", owner: "owner_unit", side: HQSide, to: "unit_id", version: "version"},
	{kind: "notice", zh: "整改通知", table: "notices", key: "id", owner: "owner_unit", side: HQSide, to: "unit_id", version: "version"},
	{kind: "reply_template", zh: "回复模板", table: "reply_templates", key: "id", owner: "owner_unit", side: HQSide, version: "version"},
	{kind: "message_rules", zh: "留言规则", table: "message_rules", key: "id", owner: "owner_unit", side: HQSide, version: "version"},
	{kind: "lexicon", zh: "词库", table: "lexicon_versions", key: "id", owner: "owner_unit", side: HQSide, version: "version"},
	{kind: "assessment_scheme", zh: "考核方案", table: "assessment_schemes", key: "id", owner: "owner_unit", side: HQSide, version: "version"},
	{kind: "assessment_result", zh: "考核结果", table: "assessment_results", key: "id", owner: "owner_unit", side: HQSide, to: "unit_id", version: "version"},
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

// scanRows runs a query and calls fn with each row's n column values
// (valid only during the call).
func scanRows(q Querier, n int, query string, args []any, fn func(vals []any) error) error {
	rows, err := q.Query(query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// rowMap turns column values into a column → JSON value map.
func rowMap(cols []column, vals []any) map[string]any {
	m := make(map[string]any, len(cols))
	for i, c := range cols {
		m[c.name] = encodeValue(vals[i])
	}
	return m
}

// readRows reads rows as column → JSON value maps.
func readRows(q Querier, cols []column, query string, args ...any) ([]map[string]any, error) {
	var out []map[string]any
	err := scanRows(q, len(cols), query, args, func(vals []any) error {
		out = append(out, rowMap(cols, vals))
		return nil
	})
	return out, err
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

// exportChunk is how many records of one type an export reads at a time,
// with one query for their rows and one per child table: memory stays
// bounded however many records changed.
const exportChunk = 1000

// ChangedRecords calls fn with every record this unit owns that changed
// after scope.After and that the peer should have — by type in apply
// order, each type in change order — and returns the newest change
// sequence it looked at (scope.Upto if set). A station's drafts that were
// never submitted stay home. Each record's Data is one compact JSON object
// (no line break), valid by construction. The records are read ahead in other
// goroutines while fn handles those before: q must allow that (the
// store's Reader does).
func ChangedRecords(q Querier, scope ExportScope, fn func(SyncRecord, []AttachmentRef) error) (int64, error) {
	high, err := changeHigh(q, scope)
	if err != nil {
		return 0, err
	}
	return high, changedRecords(q, scope, high, fn)
}

// ChangedAttachments returns the attachments that the records
// ChangedRecords would send refer to (an attachment may appear more than
// once), and the newest change sequence it looked at. It reads only the
// child rows that refer to attachments, so listing them before the records
// costs little.
func ChangedAttachments(q Querier, scope ExportScope) ([]AttachmentRef, int64, error) {
	high, err := changeHigh(q, scope)
	if err != nil {
		return nil, 0, err
	}
	r := newRecordReader(q)
	var out []AttachmentRef
	for i := range syncKinds {
		k := &syncKinds[i]
		if k.side != scope.Side {
			continue
		}
		for _, ch := range k.children {
			if ch.attach == "" {
				continue
			}
			parents, err := changedParents(q, k, ch, scope, high)
			if err != nil {
				return nil, 0, fmt.Errorf("data: export %s: %w", k.kind, err)
			}
			where, args := k.sendable(scope)
			refs := map[string][]AttachmentRef{}
			rows, err := r.readChildren(ch, parents+where, append([]any{k.kind, scope.After, high}, args...), refs)
			if err != nil {
				return nil, 0, fmt.Errorf("data: export %s: %w", k.kind, err)
			}
			for _, id := range slices.Sorted(maps.Keys(refs)) {
				out = append(out, refs[id]...)
			}
			rows.release()
		}
	}
	return out, high, nil
}

// changedParents returns the start of a query of the records of kind k
// that changed in (scope.After, high] (arguments: kind, after, high), to
// be ended with k's sendable condition, for child table ch's rows to
// name their parent in. Whichever list is shorter is walked: the changes
// of kind k (once, for every child row) or the child rows (each checking
// its own parent's change), so that neither a large first export nor a
// small one from a large table reads more than it needs.
func changedParents(q Querier, k *syncKind, ch syncChild, scope ExportScope, high int64) (string, error) {
	const changed = "SELECT record_id FROM sync_changes WHERE kind = ? AND seq > ? AND seq <= ?"
	var changes, children int64
	err := q.QueryRow("SELECT count(*) FROM ("+changed+")", k.kind, scope.After, high).Scan(&changes)
	if err == nil {
		err = q.QueryRow("SELECT count(*) FROM " + ch.table).Scan(&children)
	}
	if err != nil || changes <= children {
		return "SELECT " + k.key + " FROM " + k.table + " WHERE " + k.key + " IN (" + changed + ")", err
	}
	key := k.table + "." + k.key
	return "SELECT " + key + " FROM " + k.table + " WHERE " + key + " = c." + ch.parent +
		" AND EXISTS (SELECT 1 FROM sync_changes s WHERE s.kind = ? AND s.record_id = " + key + " AND s.seq > ? AND s.seq <= ?)", nil
}

// readAhead is how many batches of records an export reads ahead while
// the caller handles the one before: reading (SQLite, JSON) and what the
// caller does with the records (encrypting them) then use two cores.
const readAhead = 2

// readChunk is one batch of records, read in a goroutine.
type readChunk struct {
	recs []readRecord
	err  error
	done chan struct{} // closed when recs and err are set
}

type readRecord struct {
	rec  SyncRecord
	refs []AttachmentRef
}

// errStopped ends the reading ahead when the caller has stopped.
var errStopped = errors.New("data: export stopped")

// changedRecords calls fn, in ChangedRecords' order, with the records
// that changed in (scope.After, high]. Batches are read ahead in
// goroutines; fn's error is returned as it is.
func changedRecords(q Querier, scope ExportScope, high int64, fn func(SyncRecord, []AttachmentRef) error) error {
	r := newRecordReader(q)
	queue := make(chan *readChunk, readAhead)
	stop := make(chan struct{})
	go func() {
		defer close(queue)
		err := eachChangedChunk(q, scope, high, func(k *syncKind, ids []string) error {
			c := &readChunk{recs: make([]readRecord, 0, len(ids)), done: make(chan struct{})}
			select {
			case queue <- c:
			case <-stop:
				return errStopped
			}
			go func() {
				defer close(c.done)
				c.err = r.readBatch(k, scope, ids, func(rec SyncRecord, refs []AttachmentRef) error {
					c.recs = append(c.recs, readRecord{rec, refs})
					return nil
				})
				if c.err != nil {
					c.err = fmt.Errorf("data: export %s: %w", k.kind, c.err)
				}
			}()
			return nil
		})
		if err != nil && !errors.Is(err, errStopped) {
			c := &readChunk{err: err, done: make(chan struct{})}
			close(c.done)
			select {
			case queue <- c:
			case <-stop:
			}
		}
	}()
	var err error
	for c := range queue {
		<-c.done
		if err != nil {
			continue // draining: the goroutines end without a reader
		}
		err = c.err
		for _, rr := range c.recs {
			if err != nil {
				break
			}
			err = fn(rr.rec, rr.refs)
		}
		if err != nil {
			close(stop)
		}
	}
	return err
}

// changeHigh is the newest change sequence an export looks at.
func changeHigh(q Querier, scope ExportScope) (int64, error) {
	if scope.Upto != 0 {
		return scope.Upto, nil
	}
	var high int64
	err := q.QueryRow("SELECT COALESCE(MAX(seq), 0) FROM sync_changes").Scan(&high)
	return high, err
}

// eachChangedChunk calls fn with the ids of the records of each type of
// scope's side which changed in (scope.After, high], by type in apply
// order, in change order, at most exportChunk at a time.
//
// The chunks walk the change sequence (the table's rowid) from the type's
// first change on, skipping other types' rows: the (kind, record_id) index
// would make every chunk sort all of the type's changes again, which grows
// with the square of their number.
func eachChangedChunk(q Querier, scope ExportScope, high int64, fn func(*syncKind, []string) error) error {
	for i := range syncKinds {
		k := &syncKinds[i]
		if k.side != scope.Side {
			continue
		}
		var first sql.NullInt64
		if err := q.QueryRow("SELECT min(seq) FROM sync_changes WHERE kind = ? AND seq > ? AND seq <= ?", k.kind, scope.After, high).Scan(&first); err != nil {
			return fmt.Errorf("data: export %s: %w", k.kind, err)
		}
		if !first.Valid {
			continue // no change of this type
		}
		for after := first.Int64 - 1; ; {
			ids := make([]string, 0, exportChunk)
			err := scanRows(q, 2, "SELECT seq, record_id FROM sync_changes WHERE seq > ? AND seq <= ? AND +kind = ? ORDER BY seq LIMIT ?",
				[]any{after, high, k.kind, exportChunk}, func(vals []any) error {
					after = vals[0].(int64)
					ids = append(ids, vals[1].(string))
					return nil
				})
			if err != nil {
				return fmt.Errorf("data: export %s: %w", k.kind, err)
			}
			if len(ids) > 0 {
				if err := fn(k, ids); err != nil {
					return err
				}
			}
			if len(ids) < exportChunk {
				break
			}
		}
	}
	return nil
}

// sendable is the condition, beyond its id, under which a row of kind k
// travels to scope.Peer: this unit owns it, it is addressed to the peer,
// and it is not private (a draft never submitted, an unpublished template).
func (k *syncKind) sendable(scope ExportScope) (string, []any) {
	var where string
	var args []any
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
	return where, args
}

// recordReader reads records, keeping each table's columns. It may be
// used from several goroutines.
type recordReader struct {
	q    Querier
	mu   sync.Mutex
	cols map[string][]column
}

func newRecordReader(q Querier) *recordReader {
	return &recordReader{q: q, cols: map[string][]column{}}
}

func (r *recordReader) columns(table string, skip []string) ([]column, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.cols[table]; ok {
		return c, nil
	}
	c, err := wireColumns(r.q, table, skip)
	if err == nil {
		r.cols[table] = c
	}
	return c, err
}

// idText is a key column's value as a record id.
func idText(v any) string {
	if n, ok := v.(int64); ok {
		return strconv.FormatInt(n, 10)
	}
	s, _ := v.(string)
	return s
}

// inList is the argument of "IN (SELECT value FROM json_each(?))": one
// statement text for any number of ids, so it is prepared once.
func inList(ids []string) (string, error) {
	b, err := json.Marshal(ids)
	return string(b), err
}

// wireField is one key of a row's JSON object and where its value is
// among the columns a query selected.
type wireField struct {
	key string // the key, quoted, with its colon: `"title":`
	at  int
	hex bool // a BLOB sent as lower-case hex (an attachment's hash)
}

// wireLayout lists a row's JSON keys in sorted order (as encoding/json
// writes a map), so rows are written straight from the query's values.
func wireLayout(names []string, at []int) []wireField {
	fields := make([]wireField, len(names))
	for i, n := range names {
		q, _ := json.Marshal(n)
		fields[i] = wireField{key: string(q) + ":", at: at[i]}
	}
	slices.SortFunc(fields, func(a, b wireField) int { return strings.Compare(a.key, b.key) })
	return fields
}

// appendRow appends the JSON object of one row.
func appendRow(b []byte, fields []wireField, vals []any) []byte {
	b = append(b, '{')
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, f.key...)
		v := vals[f.at]
		if sum, ok := v.([]byte); ok && f.hex {
			b = append(b, '"')
			b = hex.AppendEncode(b, sum)
			b = append(b, '"')
			continue
		}
		b = appendValue(b, v)
	}
	return append(b, '}')
}

// appendValue appends a column value as JSON, as encoding/json writes its
// JSON form (encodeValue).
func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case string:
		return appendJSONString(b, v)
	case []byte:
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, v)
		return append(b, '"')
	}
	out, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, out...)
}

// jsonPlain says which ASCII bytes encoding/json writes as they are in a
// string: not control characters, quotes, backslashes or HTML's <, > and &.
var jsonPlain = func() (plain [utf8.RuneSelf]bool) {
	for c := byte(0x20); c < utf8.RuneSelf; c++ {
		plain[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return plain
}()

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string exactly as encoding/json
// writes it: the escapes above, U+2028 and U+2029 as \u2028 and \u2029,
// and each byte of invalid UTF-8 as \ufffd. One pass, no allocation.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonPlain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// batchRows are the rows of a batch of records of one type, each as the
// JSON object it travels as.
type batchRows struct {
	ids     []string // the records found, in table order
	row     spans    // id → its row's JSON
	version map[string]int64
}

// spans hold JSON texts of a batch in one buffer, by record id.
type spans struct {
	buf []byte
	at  map[string][2]int
}

func newSpans(n int) spans {
	buf, _ := spanBuffers.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	return spans{buf: (*buf)[:0], at: make(map[string][2]int, n)}
}

// spanBuffers keeps the buffers of batches read before: a large buffer
// allocated afresh costs more than filling it (each new page faults in).
var spanBuffers sync.Pool

// release gives the buffer back for another batch; s must not be used
// after.
func (s *spans) release() {
	if cap(s.buf) > 0 {
		buf := s.buf[:0]
		spanBuffers.Put(&buf)
	}
	s.buf = nil
}

// get returns id's text, and whether there is one.
func (s *spans) get(id string) ([]byte, bool) {
	at, ok := s.at[id]
	return s.buf[at[0]:at[1]], ok
}

// add appends what write writes as id's text, or, with more set, to id's
// text (comma-separated): a record's child rows, which come together.
func (s *spans) add(id string, more bool, write func([]byte) []byte) {
	at, ok := s.at[id]
	switch {
	case !ok || !more:
		at[0] = len(s.buf)
	case at[1] == len(s.buf):
		s.buf = append(s.buf, ',')
	default: // not the last text: it moves to the end
		start := len(s.buf)
		s.buf = append(append(s.buf, s.buf[at[0]:at[1]]...), ',')
		at[0] = start
	}
	s.buf = write(s.buf)
	s.at[id] = [2]int{at[0], len(s.buf)}
}

// readBatch reads the records of kind k with the given ids that scope may
// send, and calls fn with each, in the order of ids, with the attachments
// it refers to.
func (r *recordReader) readBatch(k *syncKind, scope ExportScope, ids []string, fn func(SyncRecord, []AttachmentRef) error) error {
	rows, err := r.readRows(k, scope, ids)
	defer rows.row.release()
	if err != nil || len(rows.ids) == 0 {
		return err
	}
	list, err := inList(rows.ids)
	if err != nil {
		return err
	}
	children := make([]spans, len(k.children))
	defer func() {
		for i := range children {
			children[i].release()
		}
	}()
	refs := map[string][]AttachmentRef{}
	for i, ch := range k.children {
		if children[i], err = r.readChildren(ch, "SELECT value FROM json_each(?)", []any{list}, refs); err != nil {
			return err
		}
	}
	tables := make([]int, len(k.children)) // children in the order of their names
	for i := range tables {
		tables[i] = i
	}
	slices.SortFunc(tables, func(a, b int) int { return strings.Compare(k.children[a].table, k.children[b].table) })
	// Every record's data goes into one buffer sized for the batch, each
	// record a slice of it: one allocation per batch instead of one per
	// record. Should the estimate fall short, append moves on to a bigger
	// array and the records already sliced keep the old one.
	room := len(rows.row.buf) + len(ids)*(len(`{"children":{},"row":}`)+len(k.children))
	for i, ch := range k.children {
		room += len(children[i].buf) + len(ids)*(len(ch.table)+len(`"":[],`))
	}
	data := make([]byte, 0, room)
	for _, id := range ids {
		row, ok := rows.row.get(id)
		if !ok {
			continue
		}
		rec := SyncRecord{Type: k.kind, ID: id, Owner: scope.Self, Version: 1}
		if k.version != "" {
			rec.Version = rows.version[id]
		}
		start := len(data)
		data = append(data, '{')
		if len(k.children) > 0 {
			data = append(data, `"children":{`...)
			for j, i := range tables {
				if j > 0 {
					data = append(data, ',')
				}
				data = appendValue(data, k.children[i].table)
				data = append(data, ":["...)
				rows, _ := children[i].get(id)
				data = append(data, rows...)
				data = append(data, ']')
			}
			data = append(data, "},"...)
		}
		data = append(data, `"row":`...)
		data = append(data, row...)
		data = append(data, '}')
		rec.Data = json.RawMessage(data[start:len(data):len(data)])
		if err := fn(rec, refs[id]); err != nil {
			return err
		}
	}
	return nil
}

// readRows reads the rows of kind k with the given ids that scope may send.
func (r *recordReader) readRows(k *syncKind, scope ExportScope, ids []string) (batchRows, error) {
	cols, err := r.columns(k.table, k.skip)
	if err != nil {
		return batchRows{}, err
	}
	names := make([]string, len(cols))
	at := make([]int, len(cols))
	key, version := -1, -1
	for i, c := range cols {
		names[i], at[i] = c.name, i
		switch c.name {
		case k.key:
			key = i
		case k.version:
			version = i
		}
	}
	fields := wireLayout(names, at)
	list, err := inList(ids)
	if err != nil {
		return batchRows{}, err
	}
	where, args := k.sendable(scope)
	out := batchRows{row: newSpans(len(ids)), version: map[string]int64{}}
	err = scanRows(r.q, len(cols), "SELECT "+columnList(cols)+" FROM "+k.table+" WHERE "+k.key+" IN (SELECT value FROM json_each(?))"+where,
		append([]any{list}, args...), func(vals []any) error {
			id := idText(vals[key])
			out.ids = append(out.ids, id)
			out.row.add(id, false, func(b []byte) []byte { return appendRow(b, fields, vals) })
			if version >= 0 {
				out.version[id], _ = vals[version].(int64)
			}
			return nil
		})
	return out, err
}

// readChildren reads the rows of child table ch of the records whose ids
// the query parents (with args) lists: per record, the JSON objects of its
// rows in key order, comma-separated. A row referring to an attachment
// names it by its hash, name, type and size, and the attachment is added to
// refs under the record's id.
func (r *recordReader) readChildren(ch syncChild, parents string, args []any, refs map[string][]AttachmentRef) (spans, error) {
	cols, err := r.columns(ch.table, nil)
	if err != nil {
		return spans{}, err
	}
	// Many child tables are empty (no comments, no metrics yet): asking
	// that first spares a lookup per record.
	var some bool
	if err := r.q.QueryRow("SELECT EXISTS (SELECT 1 FROM " + ch.table + ")").Scan(&some); err != nil {
		return spans{}, err
	}
	if !some {
		return newSpans(0), nil
	}
	selected := make([]string, 0, len(cols)+5)
	var names []string
	var at []int
	parent := -1
	for i, c := range cols {
		selected = append(selected, "c."+c.name)
		if c.name == ch.parent {
			parent = i
		}
		if c.name != ch.attach {
			names, at = append(names, c.name), append(at, i)
		}
	}
	from := ch.table + " c"
	if ch.attach != "" {
		// a.id, a.sha256, a.size, a.name, a.mime follow the child's columns
		selected = append(selected, "a.id", "a.sha256", "a.size", "a.name", "a.mime")
		from += " LEFT JOIN attachments a ON a.id = c." + ch.attach
		n := len(cols)
		names = append(names, "attachment_sha256", "attachment_size", "attachment_name", "attachment_mime")
		at = append(at, n+1, n+2, n+3, n+4)
	}
	fields := wireLayout(names, at)
	for i := range fields {
		fields[i].hex = fields[i].key == `"attachment_sha256":`
	}
	order := make([]string, 0, len(ch.key)+1)
	for _, c := range append([]string{ch.parent}, ch.key...) {
		order = append(order, "c."+c)
	}
	out := newSpans(0)
	err = scanRows(r.q, len(selected), "SELECT "+strings.Join(selected, ", ")+" FROM "+from+" WHERE c."+ch.parent+" IN ("+parents+") ORDER BY "+strings.Join(order, ", "),
		args, func(vals []any) error {
			id := idText(vals[parent])
			if ch.attach != "" {
				a := vals[len(cols):]
				sum, _ := a[1].([]byte)
				if a[0] == nil || len(sum) == 0 {
					return fmt.Errorf("%s %s: attachment %v: %w", ch.table, id, vals[slices.IndexFunc(cols, func(c column) bool { return c.name == ch.attach })], sql.ErrNoRows)
				}
				ref := AttachmentRef{ID: idText(a[0]), SHA256: sum}
				ref.Size, _ = a[2].(int64)
				ref.Name, ref.MIME = idText(a[3]), idText(a[4])
				refs[id] = append(refs[id], ref)
			}
			out.add(id, true, func(b []byte) []byte { return appendRow(b, fields, vals) })
			return nil
		})
	return out, err
}

// read reads record id of kind k if scope may send it.
func (r *recordReader) read(k *syncKind, scope ExportScope, id string) (SyncRecord, []AttachmentRef, bool, error) {
	var rec SyncRecord
	var refs []AttachmentRef
	var ok bool
	err := r.readBatch(k, scope, []string{id}, func(got SyncRecord, gotRefs []AttachmentRef) error {
		rec, refs, ok = got, gotRefs, true
		return nil
	})
	return rec, refs, ok, err
}
