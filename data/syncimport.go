package data

import (
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// ImportScope says who sent the records being imported.
type ImportScope struct {
	Self       string // this unit
	Sender     string // the unit that signed the bundle
	SenderSide Side
}

// importBatch is how many records of one type an import applies together:
// one query tells which are here already, and their new rows go in with
// one INSERT per table. (The search index writes out what it gathered at
// the start of every statement that changes it: one INSERT per post would
// cost a segment per post.)
const importBatch = 256

// importBatchBytes caps a batch by its records' size too, and
// feedChunkBytes a chunk Feed hands over: records run to 16 MiB each, so
// counts alone would let a bundle of big records hold gigabytes in
// memory. With the caps an import holds at most about feedAhead ×
// (feedChunkBytes + one record) waiting plus one batch (tens of MiB,
// however large the bundle).
const (
	importBatchBytes = 4 << 20
	feedChunkBytes   = 1 << 20
)

// maxSQLArgs is the most arguments one statement may take (SQLite's
// SQLITE_MAX_VARIABLE_NUMBER in go-sqlite3's build).
const maxSQLArgs = 32766

// Importer applies the records of one bundle inside one write transaction
// (docs/sync-records.md): a record is applied if it is newer than the copy
// here, child rows merge by their mode, and anything a sender may not write
// is refused with a RecordError. Records are checked as they are given and
// applied in batches of one type; Attachment and Finish apply what waits.
// Record and Attachment take what the caller reads; Feed reads on a
// goroutine of its own, beside the writing.
// Attachments arrive after the records; Finish links them. If the
// transaction does not commit, call Discard so that no sealed file is left
// behind.
type Importer struct {
	s       *Store
	tx      *Tx
	scope   ImportScope
	cols    map[string]*importColumns
	waiting map[string][]pendingLink // attachment SHA-256 (hex) → rows that need it
	sealed  []sealedAttachment
	nameKey []byte
	batch   []incoming             // checked records of one type, not applied yet
	batchSz int                    // their data's bytes
	inBatch map[string]bool        // their ids
	applied map[string][]string    // per type, the ids of the records applied, in order
	inserts map[insertShape]string // INSERT texts made so far
	// Applied counts the records that changed something, per type.
	Applied map[string]int
	// ExplainConflicts makes Finish look for a record that refers to a
	// row this install lacks, so that the refusal names both; else the
	// commit's foreign-key check refuses it unnamed. It costs about a
	// sixth of a large import: set it to explain an import that failed.
	ExplainConflicts bool
}

// importColumns are a table's columns and where each is.
type importColumns struct {
	list  []column
	index map[string]int
}

// insertShape is what an INSERT text of the importer depends on: the
// table, its columns (joined by commas) and how many rows it adds.
type insertShape struct {
	table, cols string
	rows        int
}

// incoming is a checked record waiting in a batch: its row and, per child
// table of its type, its child rows (and, for a table with attachments,
// each row's link).
type incoming struct {
	rec      SyncRecord
	row      map[string]any
	children [][]map[string]any
	links    [][]pendingLink
}

// pendingLink is a child row waiting for its attachment's local id.
type pendingLink struct {
	table  string
	column string
	row    map[string]any
	sha    string // hex
	name   string
	mime   string
}

// NewImporter prepares an import; call it outside a transaction, then
// Begin inside the one that applies the bundle.
func (s *Store) NewImporter(scope ImportScope) (*Importer, error) {
	nk, err := s.nameKey()
	if err != nil {
		return nil, err
	}
	return &Importer{s: s, scope: scope, nameKey: nk}, nil
}

// Begin starts applying records in tx.
func (im *Importer) Begin(tx *Tx) error {
	im.tx, im.cols, im.waiting, im.Applied = tx, map[string]*importColumns{}, map[string][]pendingLink{}, map[string]int{}
	im.batch, im.inBatch, im.applied, im.inserts = nil, map[string]bool{}, map[string][]string{}, map[insertShape]string{}
	// The columns of every table the sender may write are read now, so
	// that checking a record never queries (Feed checks on another
	// goroutine while this one writes).
	for i := range syncKinds {
		k := &syncKinds[i]
		if k.side != im.scope.SenderSide {
			continue
		}
		if err := im.loadColumns(k.table); err != nil {
			return err
		}
		for _, ch := range k.children {
			if err := im.loadColumns(ch.table); err != nil {
				return err
			}
		}
	}
	// Records refer to each other (a post to its author and account); a
	// bundle need not order them, so foreign keys are checked at commit.
	if _, err := tx.Exec("PRAGMA defer_foreign_keys = ON"); err != nil {
		return err
	}
	// Child rows move their record's change-log entry once per import
	// (syncchangefloor.go).
	if err := raiseChangeFloor(tx); err != nil {
		return err
	}
	// Posts are indexed for search once the records are in (searchowed.go).
	return deferIndexing(tx)
}

// AppliedIDs lists the ids of the records of type kind that changed
// something here, in the order they came; complete after Finish.
func (im *Importer) AppliedIDs(kind string) []string { return im.applied[kind] }

// loadColumns reads table's columns into the importer's cache.
func (im *Importer) loadColumns(table string) error {
	if _, ok := im.cols[table]; ok {
		return nil
	}
	list, err := columnsOf(im.tx, table)
	if err != nil {
		return err
	}
	c := &importColumns{list: list, index: make(map[string]int, len(list))}
	for i, col := range list {
		c.index[col.name] = i
	}
	im.cols[table] = c
	return nil
}

// columns are table's columns as Begin read them.
func (im *Importer) columns(table string) (*importColumns, error) {
	if c, ok := im.cols[table]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("data: no table %s", table)
}

func refuse(r SyncRecord, format string, args ...any) error {
	return &RecordError{Type: r.Type, ID: r.ID, Reason: fmt.Sprintf(format, args...)}
}

// recordBody is a record's data.
type recordBody struct {
	Row      map[string]any              `json:"row"`
	Children map[string][]map[string]any `json:"children"`
}

// Record checks one record and queues it; it is applied with the next
// batch (a record already here with the same or a newer version is left
// alone, and its children merge by their mode).
func (im *Importer) Record(r SyncRecord) error {
	in, err := im.check(r)
	if err != nil {
		return err
	}
	return im.queue(in)
}

// check checks one record and converts its rows. It reads nothing but
// the record and what Begin loaded, so Feed runs it beside the writing.
func (im *Importer) check(r SyncRecord) (incoming, error) {
	k, ok := kindOf(r.Type)
	if !ok {
		return incoming{}, refuse(r, "未知的记录类型：发送方的程序可能比本机新，请把本机升级到同一版本后重新导入 / unknown record type: the sender's program may be newer; update this one to the same version and import again")
	}
	if k.side != im.scope.SenderSide {
		return incoming{}, refuse(r, "该类记录只能由%s写入 / only %s writes this type", sideName(k.side), sideName(k.side))
	}
	if r.Owner != im.scope.Sender {
		return incoming{}, refuse(r, "记录属于 %s，却由 %s 发送 / owned by %s but sent by %s", r.Owner, im.scope.Sender, r.Owner, im.scope.Sender)
	}
	var rowColumns int
	if c := im.cols[k.table]; c != nil {
		rowColumns = len(c.list)
	}
	body, err := parseRecordBody(r.Data, rowColumns)
	if err != nil || body.Row == nil {
		return incoming{}, refuse(r, "内容不是有效的记录 / not a valid record body")
	}
	if extra := slices.DeleteFunc(slices.Collect(maps.Keys(body.Children)), func(t string) bool {
		return slices.ContainsFunc(k.children, func(c syncChild) bool { return c.table == t })
	}); len(extra) > 0 {
		return incoming{}, refuse(r, "含有未知的子表 %v / unknown child tables %v", extra, extra)
	}
	row, err := im.rowValues(r, k.table, body.Row, k.skip)
	if err != nil {
		return incoming{}, err
	}
	if row[k.key] != r.ID && fmt.Sprint(row[k.key]) != r.ID {
		return incoming{}, refuse(r, "记录编号与内容不符 / the id does not match the row")
	}
	if k.owner != "" && row[k.owner] != r.Owner {
		return incoming{}, refuse(r, "记录内容声称属于 %v / the row claims owner %v", row[k.owner], row[k.owner])
	}
	if k.to != "" && row[k.to] != im.scope.Self {
		return incoming{}, refuse(r, "记录是发给 %v 的 / the record is for %v", row[k.to], row[k.to])
	}
	if k.version != "" {
		if v, _ := row[k.version].(int64); v != r.Version {
			return incoming{}, refuse(r, "版本号与内容不符 / the version does not match the row")
		}
	}
	if r.Version < 1 {
		return incoming{}, refuse(r, "版本号无效 / invalid version")
	}
	switch k.kind {
	case "audit":
		row["unit_id"] = r.Owner
	case "user":
		row["unit_id"] = r.Owner
		// Names are unique here; a remote officer is "unit/name" and
		// cannot sign in (no key slot, not active).
		row["name"] = fmt.Sprintf("%s/%v", r.Owner, row["name"])
		row["active"] = int64(0)
	}
	in := incoming{rec: r, row: row, children: make([][]map[string]any, len(k.children)), links: make([][]pendingLink, len(k.children))}
	for i, ch := range k.children {
		if in.children[i], in.links[i], err = im.childRows(r, ch, body.Children[ch.table]); err != nil {
			return incoming{}, err
		}
	}
	return in, nil
}

// queue adds a checked record to the batch, applying the batch first if
// the record is of another type or already in it, and after if full.
func (im *Importer) queue(in incoming) error {
	r := in.rec
	if len(im.batch) > 0 && (im.batch[0].rec.Type != r.Type || im.inBatch[r.ID]) {
		if err := im.flush(); err != nil {
			return err
		}
	}
	im.batch = append(im.batch, in)
	im.inBatch[r.ID] = true
	im.batchSz += len(r.Data)
	if len(im.batch) == importBatch || im.batchSz >= importBatchBytes {
		return im.flush()
	}
	return nil
}

// feedChunk is how many checked records Feed hands over at a time, and
// feedAhead how many such chunks may wait to be applied.
const (
	feedChunk = 64
	feedAhead = 8
)

// errFeedStopped ends Feed's reading once applying has failed.
var errFeedStopped = errors.New("data: import stopped")

// feedItem is what Feed's reader hands to the writer: checked records, or
// an attachment's content and where to say it was applied.
type feedItem struct {
	records []incoming
	sha     []byte
	content io.Reader
	done    chan error
}

// Feed applies what read passes to its callbacks, as Record and
// Attachment would, with the reading beside the writing: read (a
// bundle's reader) and the checking of each record run on a goroutine of
// their own, while this one applies the checked records in the
// transaction. An attachment is applied while read waits. Feed returns
// the first error of either side, once read has returned.
func (im *Importer) Feed(read func(record func(SyncRecord) error, attachment func(sha []byte, content io.Reader) error) error) error {
	items := make(chan feedItem, feedAhead)
	stop := make(chan struct{})
	readErr := make(chan error, 1)
	send := func(it feedItem) error {
		select {
		case items <- it:
			return nil
		case <-stop:
			return errFeedStopped
		}
	}
	go func() {
		defer close(items)
		var chunk []incoming
		var chunkSz int
		handOver := func() error {
			if len(chunk) == 0 {
				return nil
			}
			err := send(feedItem{records: chunk})
			chunk, chunkSz = make([]incoming, 0, feedChunk), 0
			return err
		}
		err := read(func(r SyncRecord) error {
			in, err := im.check(r)
			if err != nil {
				return err
			}
			chunk, chunkSz = append(chunk, in), chunkSz+len(r.Data)
			if len(chunk) == feedChunk || chunkSz >= feedChunkBytes {
				return handOver()
			}
			return nil
		}, func(sha []byte, content io.Reader) error {
			done := make(chan error, 1)
			if err := handOver(); err != nil {
				return err
			}
			if err := send(feedItem{sha: sha, content: content, done: done}); err != nil {
				return err
			}
			select {
			case err := <-done:
				return err
			case <-stop:
				return errFeedStopped
			}
		})
		if err == nil {
			err = handOver()
		}
		readErr <- err
	}()
	var applyErr error
	for it := range items {
		switch {
		case applyErr != nil:
			continue // read is stopping
		case it.done != nil:
			applyErr = im.Attachment(it.sha, it.content)
			it.done <- applyErr
		default:
			for _, in := range it.records {
				if applyErr = im.queue(in); applyErr != nil {
					break
				}
			}
		}
		if applyErr != nil {
			close(stop)
		}
	}
	err := <-readErr
	if applyErr != nil {
		return applyErr
	}
	return err
}

// childRows checks a record's rows of child table ch and converts them.
func (im *Importer) childRows(r SyncRecord, ch syncChild, rows []map[string]any) ([]map[string]any, []pendingLink, error) {
	out := make([]map[string]any, 0, len(rows))
	var links []pendingLink
	for _, in := range rows {
		var link pendingLink
		if ch.attach != "" {
			var err error
			if link, err = attachmentLink(r, ch, in); err != nil {
				return nil, nil, err
			}
		}
		row, err := im.rowValues(r, ch.table, in, nil)
		if err != nil {
			return nil, nil, err
		}
		if row[ch.parent] != r.ID {
			return nil, nil, refuse(r, "%s 的行不属于此记录 / a %s row belongs to another record", ch.table, ch.table)
		}
		if ch.attach != "" {
			link.row = row
			links = append(links, link)
		}
		out = append(out, row)
	}
	return out, links, nil
}

func sideName(s Side) string {
	if s == HQSide {
		return "宣传科 / HQ"
	}
	return "所队 / a station"
}

// rowValues checks a JSON row against the table's columns and converts
// its values in place (the parsed row is the importer's own).
func (im *Importer) rowValues(r SyncRecord, table string, in map[string]any, skip []string) (map[string]any, error) {
	cols, err := im.columns(table)
	if err != nil {
		return nil, err
	}
	for name, v := range in {
		i, ok := cols.index[name]
		if !ok || slices.Contains(skip, name) {
			return nil, refuse(r, "%s 没有字段 %q / %s has no field %q", table, name, table, name)
		}
		val, err := decodeValue(cols.list[i].typ, v)
		if err != nil {
			return nil, refuse(r, "%s.%s：%v", table, name, err)
		}
		in[name] = val
	}
	return in, nil
}

// target is where a record of kind k is kept on this side.
func (im *Importer) target(k *syncKind) (table, key string) {
	if k.kind == "audit" {
		return "remote_audit", "seq"
	}
	return k.table, k.key
}

// localCopy is the owner and version of a record as kept here.
type localCopy struct {
	owner   string
	version int64
}

// flush applies the batch: each row that is new or newer here, then the
// batch's child rows, table by table.
func (im *Importer) flush() error {
	batch := im.batch
	if len(batch) == 0 {
		return nil
	}
	im.batch, im.batchSz = im.batch[:0], 0
	clear(im.inBatch)
	k, _ := kindOf(batch[0].rec.Type)
	if k.kind == "user" {
		// A station set up again (a lost laptop) has new user ids with
		// the old names: the old entries keep their id in their name.
		for _, in := range batch {
			if _, err := im.tx.Exec("UPDATE users SET name = name || ' ' || id WHERE name = ? AND id <> ? AND unit_id = ?",
				in.row["name"], in.row["id"], in.rec.Owner); err != nil {
				return err
			}
		}
	}
	local, err := im.localCopies(k, batch)
	if err != nil {
		return err
	}
	table, _ := im.target(k)
	newer := make([]bool, len(batch))
	var inserts []map[string]any
	for i, in := range batch {
		r := in.rec
		l, here := local[r.ID]
		switch {
		case here && l.owner != r.Owner:
			return refuse(r, "此记录属于 %s，不能由 %s 修改 / the record belongs to %s", l.owner, r.Owner, l.owner)
		case here && l.version >= r.Version:
			continue
		case here:
			if err := im.update(k, in); err != nil {
				return importConflict(err, r.Type, r.ID)
			}
		default:
			inserts = append(inserts, in.row)
		}
		newer[i] = true
		im.Applied[r.Type]++
		im.applied[r.Type] = append(im.applied[r.Type], r.ID)
	}
	if err := im.insert(table, inserts); err != nil {
		return importConflict(err, k.kind, soleID(k, inserts))
	}
	for i, ch := range k.children {
		if err := im.applyChildren(ch, i, batch, newer); err != nil {
			return importConflict(err, k.kind, "")
		}
	}
	return nil
}

// localCopies finds which of the batch's records are here already.
func (im *Importer) localCopies(k *syncKind, batch []incoming) (map[string]localCopy, error) {
	ids := make([]string, len(batch))
	for i, in := range batch {
		ids[i] = in.rec.ID
	}
	list, err := inList(ids)
	if err != nil {
		return nil, err
	}
	table, key := im.target(k)
	ownerExpr, versionExpr, where, args := "''", "1", key+" IN (SELECT value FROM json_each(?))", []any{list}
	switch {
	case k.owner != "":
		ownerExpr = k.owner
	case k.kind == "user" || k.kind == "audit":
		ownerExpr = "unit_id"
	}
	if k.version != "" {
		versionExpr = k.version
	}
	if k.kind == "audit" {
		where, args = "unit_id = ? AND "+where, []any{im.scope.Sender, list}
	}
	local := map[string]localCopy{}
	err = scanRows(im.tx, 3, "SELECT "+key+", "+ownerExpr+", "+versionExpr+" FROM "+table+" WHERE "+where, args, func(vals []any) error {
		owner, _ := vals[1].(string)
		version, _ := vals[2].(int64)
		local[idText(vals[0])] = localCopy{owner: owner, version: version}
		return nil
	})
	return local, err
}

// update overwrites a record's row with a newer version.
func (im *Importer) update(k *syncKind, in incoming) error {
	table, key := im.target(k)
	where, args := key+" = ?", []any{in.row[k.key]}
	if k.kind == "audit" {
		where, args = "unit_id = ? AND seq = ?", []any{in.rec.Owner, in.row["seq"]}
	}
	cols := slices.Sorted(maps.Keys(in.row))
	sets := make([]string, 0, len(cols))
	vals := make([]any, 0, len(cols)+len(args))
	for _, c := range cols {
		sets = append(sets, c+" = ?")
		vals = append(vals, in.row[c])
	}
	_, err := im.tx.Exec("UPDATE "+table+" SET "+strings.Join(sets, ", ")+" WHERE "+where, append(vals, args...)...)
	return err
}

// insert adds rows to table, as many at a time as one statement takes;
// rows with the same columns share one statement text.
func (im *Importer) insert(table string, rows []map[string]any) error {
	var vals []any
	for len(rows) > 0 {
		cols := slices.Sorted(maps.Keys(rows[0]))
		n := 1
		for n < len(rows) && n < importBatch && (n+1)*len(cols) <= maxSQLArgs && sameColumns(rows[n], cols) {
			n++
		}
		vals = vals[:0]
		for _, row := range rows[:n] {
			for _, c := range cols {
				vals = append(vals, row[c])
			}
		}
		if _, err := im.tx.Exec(im.insertText(table, cols, n), vals...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// insertText is the INSERT of n rows of cols into table, made once per
// import: a batch of posts is a statement of thousands of placeholders.
func (im *Importer) insertText(table string, cols []string, n int) string {
	shape := insertShape{table: table, cols: strings.Join(cols, ", "), rows: n}
	if q, ok := im.inserts[shape]; ok {
		return q
	}
	marks := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	q := "INSERT INTO " + table + "(" + shape.cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(marks+", ", n), ", ")
	im.inserts[shape] = q
	return q
}

// sameColumns reports whether row has exactly the columns cols (sorted).
func sameColumns(row map[string]any, cols []string) bool {
	if len(row) != len(cols) {
		return false
	}
	for _, c := range cols {
		if _, ok := row[c]; !ok {
			return false
		}
	}
	return true
}

// childKey identifies a child row by its key columns' values.
func childKey(key []string, row map[string]any) string {
	var b strings.Builder
	for _, c := range key {
		fmt.Fprintf(&b, "%T:%v\x00", row[c], row[c])
	}
	return b.String()
}

// childHere is a child row's key as kept here (or about to be inserted):
// its time, and its place in the rows to insert (-1: in the table).
type childHere struct {
	at     int64
	queued int
}

// applyChildren merges the batch's rows of child table ch (the i-th of
// its type). Rows of a replace table change only with a newer parent;
// union rows are added if missing; latest rows replace an older one.
func (im *Importer) applyChildren(ch syncChild, i int, batch []incoming, newer []bool) error {
	var parents []string
	var rows []map[string]any
	var links []pendingLink
	for j, in := range batch {
		if ch.mode == childReplace && !newer[j] {
			continue
		}
		parents = append(parents, in.rec.ID)
		rows = append(rows, in.children[i]...)
		links = append(links, in.links[i]...)
	}
	if len(parents) == 0 {
		return nil
	}
	if ch.mode == childReplace {
		list, err := inList(parents)
		if err == nil {
			_, err = im.tx.Exec("DELETE FROM "+ch.table+" WHERE "+ch.parent+" IN (SELECT value FROM json_each(?))", list)
		}
		if err != nil {
			return err
		}
	}
	if ch.attach != "" {
		for _, l := range links {
			if err := im.linkAttachment(l); err != nil {
				return err
			}
		}
		return nil
	}
	if len(rows) == 0 {
		return nil
	}
	here, err := im.childrenHere(ch, rows)
	if err != nil {
		return err
	}
	var inserts []map[string]any
	for _, row := range rows {
		key := childKey(ch.key, row)
		newAt, _ := row["at"].(int64)
		h, ok := here[key]
		switch {
		case !ok:
		case ch.mode != childLatest, newAt <= h.at:
			continue // union: the row is immutable and already here
		case h.queued >= 0:
			inserts[h.queued] = row
			here[key] = childHere{at: newAt, queued: h.queued}
			continue
		default:
			where := make([]string, len(ch.key))
			args := make([]any, len(ch.key))
			for i, c := range ch.key {
				where[i], args[i] = c+" = ?", row[c]
			}
			if _, err := im.tx.Exec("DELETE FROM "+ch.table+" WHERE "+strings.Join(where, " AND "), args...); err != nil {
				return err
			}
		}
		here[key] = childHere{at: newAt, queued: len(inserts)}
		inserts = append(inserts, row)
	}
	return im.insert(ch.table, inserts)
}

// childrenHere finds which of rows' keys child table ch holds already
// (looked up by the first key column), with their time for the latest mode.
func (im *Importer) childrenHere(ch syncChild, rows []map[string]any) (map[string]childHere, error) {
	first := make([]any, 0, len(rows))
	seen := map[any]bool{}
	for _, row := range rows {
		if v := row[ch.key[0]]; !seen[v] {
			seen[v] = true
			first = append(first, v)
		}
	}
	list, err := json.Marshal(first)
	if err != nil {
		return nil, err
	}
	at := "0"
	if ch.mode == childLatest {
		at = "at"
	}
	here := map[string]childHere{}
	err = scanRows(im.tx, len(ch.key)+1, "SELECT "+strings.Join(ch.key, ", ")+", "+at+" FROM "+ch.table+" WHERE "+ch.key[0]+" IN (SELECT value FROM json_each(?))",
		[]any{string(list)}, func(vals []any) error {
			row := make(map[string]any, len(ch.key))
			for i, c := range ch.key {
				row[c] = vals[i]
			}
			t, _ := vals[len(ch.key)].(int64)
			here[childKey(ch.key, row)] = childHere{at: t, queued: -1}
			return nil
		})
	return here, err
}

// attachmentLink takes a child row's attachment description out of it.
func attachmentLink(r SyncRecord, ch syncChild, in map[string]any) (pendingLink, error) {
	sha, _ := in["attachment_sha256"].(string)
	name, _ := in["attachment_name"].(string)
	mime, _ := in["attachment_mime"].(string)
	if b, err := hex.DecodeString(sha); err != nil || len(b) != 32 || name == "" || mime == "" {
		return pendingLink{}, refuse(r, "附件引用无效 / invalid attachment reference")
	}
	for _, f := range []string{"attachment_sha256", "attachment_name", "attachment_mime", "attachment_size"} {
		delete(in, f)
	}
	return pendingLink{table: ch.table, column: ch.attach, sha: sha, name: name, mime: mime}, nil
}

// linkAttachment writes a child row if its attachment is here, or keeps it
// until the attachment's bytes arrive.
func (im *Importer) linkAttachment(l pendingLink) error {
	if _, ok := im.waiting[l.sha]; ok {
		im.waiting[l.sha] = append(im.waiting[l.sha], l)
		return nil
	}
	sum, _ := hex.DecodeString(l.sha)
	var id string
	err := im.tx.QueryRow("SELECT id FROM attachments WHERE sha256 = ? ORDER BY id LIMIT 1", sum).Scan(&id)
	switch {
	case isNoRows(err):
		im.waiting[l.sha] = []pendingLink{l}
		return nil
	case err != nil:
		return err
	}
	return im.writeLinks(id, []pendingLink{l})
}

// Attachment stores the content of an attachment the records referred to;
// content nobody asked for, or already here, is read and dropped.
func (im *Importer) Attachment(sha []byte, r io.Reader) error {
	if err := im.flush(); err != nil {
		return err
	}
	key := hex.EncodeToString(sha)
	links, ok := im.waiting[key]
	if !ok {
		_, err := io.Copy(io.Discard, r)
		return err
	}
	st, err := im.s.sealAttachment(im.tx, im.nameKey, r, links[0].name, links[0].mime, 0, sha)
	if err != nil {
		return err
	}
	im.sealed = append(im.sealed, st)
	if !st.existing {
		if err := st.insert(im.tx); err != nil {
			return err
		}
	}
	delete(im.waiting, key)
	return im.writeLinks(st.a.ID, links)
}

func (im *Importer) writeLinks(attachmentID string, links []pendingLink) error {
	for _, l := range links {
		l.row[l.column] = attachmentID
		if err := im.insert(l.table, []map[string]any{l.row}); err != nil {
			return err
		}
	}
	return nil
}

// Finish applies the records still waiting, checks that every
// attachment a record needs has arrived, and indexes the posts the import
// wrote for search, or leaves that to the store when there are many.
func (im *Importer) Finish() error {
	if err := im.flush(); err != nil {
		return err
	}
	for sha := range im.waiting {
		return fmt.Errorf("同步包缺少附件 %s…，请让对方重新导出 / the bundle lacks attachment %s…: ask for a new export", sha[:12], sha[:12])
	}
	if im.ExplainConflicts {
		if err := im.checkReferences(); err != nil {
			return err
		}
	}
	if err := lowerChangeFloor(im.tx); err != nil {
		return err
	}
	return settleIndexing(im.tx, im.s.indexNowLimit())
}

// Discard removes the attachment files this import sealed; call it when
// the transaction did not commit.
func (im *Importer) Discard() {
	for _, st := range im.sealed {
		st.discard()
	}
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
