package data

import (
	"bytes"
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

// Importer applies the records of one bundle inside one write transaction
// (docs/sync-records.md): a record is applied if it is newer than the copy
// here, child rows merge by their mode, and anything a sender may not write
// is refused with a RecordError. Attachments arrive after the records;
// Finish links them. If the transaction does not commit, call Discard so
// that no sealed file is left behind.
type Importer struct {
	s       *Store
	tx      *Tx
	scope   ImportScope
	cols    map[string][]column
	waiting map[string][]pendingLink // attachment SHA-256 (hex) → rows that need it
	sealed  []sealedAttachment
	nameKey []byte
	// Applied counts the records that changed something, per type.
	Applied map[string]int
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
	im.tx, im.cols, im.waiting, im.Applied = tx, map[string][]column{}, map[string][]pendingLink{}, map[string]int{}
	// Records refer to each other (a post to its author and account); a
	// bundle need not order them, so foreign keys are checked at commit.
	_, err := tx.Exec("PRAGMA defer_foreign_keys = ON")
	return err
}

func (im *Importer) columns(table string) ([]column, error) {
	if c, ok := im.cols[table]; ok {
		return c, nil
	}
	c, err := columnsOf(im.tx, table)
	im.cols[table] = c
	return c, err
}

func refuse(r SyncRecord, format string, args ...any) error {
	return &RecordError{Type: r.Type, ID: r.ID, Reason: fmt.Sprintf(format, args...)}
}

// recordBody is a record's data.
type recordBody struct {
	Row      map[string]any              `json:"row"`
	Children map[string][]map[string]any `json:"children"`
}

// Record applies one record and reports whether its row was new or newer
// here (its children may merge either way).
func (im *Importer) Record(r SyncRecord) (bool, error) {
	k, ok := kindOf(r.Type)
	if !ok {
		return false, refuse(r, "未知的记录类型 / unknown record type")
	}
	if k.side != im.scope.SenderSide {
		return false, refuse(r, "该类记录只能由%s写入 / only %s writes this type", sideName(k.side), sideName(k.side))
	}
	if r.Owner != im.scope.Sender {
		return false, refuse(r, "记录属于 %s，却由 %s 发送 / owned by %s but sent by %s", r.Owner, im.scope.Sender, r.Owner, im.scope.Sender)
	}
	dec := json.NewDecoder(bytes.NewReader(r.Data))
	dec.UseNumber()
	var body recordBody
	if err := dec.Decode(&body); err != nil || body.Row == nil {
		return false, refuse(r, "内容不是有效的记录 / not a valid record body")
	}
	if extra := slices.DeleteFunc(slices.Collect(maps.Keys(body.Children)), func(t string) bool {
		return slices.ContainsFunc(k.children, func(c syncChild) bool { return c.table == t })
	}); len(extra) > 0 {
		return false, refuse(r, "含有未知的子表 %v / unknown child tables %v", extra, extra)
	}
	row, err := im.rowValues(r, k.table, body.Row, k.skip)
	if err != nil {
		return false, err
	}
	if row[k.key] != r.ID && fmt.Sprint(row[k.key]) != r.ID {
		return false, refuse(r, "记录编号与内容不符 / the id does not match the row")
	}
	if k.owner != "" && row[k.owner] != r.Owner {
		return false, refuse(r, "记录内容声称属于 %v / the row claims owner %v", row[k.owner], row[k.owner])
	}
	if k.to != "" && row[k.to] != im.scope.Self {
		return false, refuse(r, "记录是发给 %v 的 / the record is for %v", row[k.to], row[k.to])
	}
	if k.version != "" {
		if v, _ := row[k.version].(int64); v != r.Version {
			return false, refuse(r, "版本号与内容不符 / the version does not match the row")
		}
	}
	if r.Version < 1 {
		return false, refuse(r, "版本号无效 / invalid version")
	}
	newer, err := im.applyRow(r, k, row)
	if err != nil {
		return false, err
	}
	for _, ch := range k.children {
		if err := im.applyChildren(r, ch, body.Children[ch.table], newer); err != nil {
			return false, err
		}
	}
	return newer, nil
}

func sideName(s Side) string {
	if s == HQSide {
		return "宣传科 / HQ"
	}
	return "所队 / a station"
}

// rowValues checks a JSON row against the table's columns and converts it.
func (im *Importer) rowValues(r SyncRecord, table string, in map[string]any, skip []string) (map[string]any, error) {
	cols, err := im.columns(table)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(in))
	for name, v := range in {
		i := slices.IndexFunc(cols, func(c column) bool { return c.name == name })
		if i < 0 || slices.Contains(skip, name) {
			return nil, refuse(r, "%s 没有字段 %q / %s has no field %q", table, name, table, name)
		}
		val, err := decodeValue(cols[i].typ, v)
		if err != nil {
			return nil, refuse(r, "%s.%s：%v", table, name, err)
		}
		out[name] = val
	}
	return out, nil
}

// target is where a record of kind k is kept on this side.
func (im *Importer) target(k *syncKind) (table, key string) {
	if k.kind == "audit" {
		return "remote_audit", "seq"
	}
	return k.table, k.key
}

// applyRow writes the row if it is new or newer, and reports whether it did.
func (im *Importer) applyRow(r SyncRecord, k *syncKind, row map[string]any) (bool, error) {
	table, key := im.target(k)
	where, args := key+" = ?", []any{row[k.key]}
	switch k.kind {
	case "audit":
		where, args = "unit_id = ? AND seq = ?", []any{r.Owner, row["seq"]}
		row["unit_id"] = r.Owner
	case "user":
		row["unit_id"] = r.Owner
		// Names are unique here; a remote officer is "unit/name" and
		// cannot sign in (no key slot, not active).
		row["name"] = fmt.Sprintf("%s/%v", r.Owner, row["name"])
		row["active"] = int64(0)
		// A station set up again (a lost laptop) has new user ids with
		// the old names: the old entries keep their id in their name.
		if _, err := im.tx.Exec("UPDATE users SET name = name || ' ' || id WHERE name = ? AND id <> ? AND unit_id = ?",
			row["name"], row["id"], r.Owner); err != nil {
			return false, err
		}
	}
	var localOwner string
	var localVersion int64
	ownerExpr := "''"
	switch {
	case k.owner != "":
		ownerExpr = k.owner
	case k.kind == "user" || k.kind == "audit":
		ownerExpr = "unit_id"
	}
	versionExpr := "1"
	if k.version != "" {
		versionExpr = k.version
	}
	err := im.tx.QueryRow("SELECT "+ownerExpr+", "+versionExpr+" FROM "+table+" WHERE "+where, args...).Scan(&localOwner, &localVersion)
	switch {
	case isNoRows(err):
		im.Applied[r.Type]++
		return true, im.insert(table, row)
	case err != nil:
		return false, err
	case localOwner != r.Owner:
		return false, refuse(r, "此记录属于 %s，不能由 %s 修改 / the record belongs to %s", localOwner, r.Owner, localOwner)
	case localVersion >= r.Version:
		return false, nil
	}
	cols := slices.Sorted(maps.Keys(row))
	sets := make([]string, 0, len(cols))
	vals := make([]any, 0, len(cols)+len(args))
	for _, c := range cols {
		sets = append(sets, c+" = ?")
		vals = append(vals, row[c])
	}
	_, err = im.tx.Exec("UPDATE "+table+" SET "+strings.Join(sets, ", ")+" WHERE "+where, append(vals, args...)...)
	if err == nil {
		im.Applied[r.Type]++
	}
	return err == nil, err
}

func (im *Importer) insert(table string, row map[string]any) error {
	cols := slices.Sorted(maps.Keys(row))
	vals := make([]any, len(cols))
	for i, c := range cols {
		vals[i] = row[c]
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	_, err := im.tx.Exec("INSERT INTO "+table+"("+strings.Join(cols, ", ")+") VALUES ("+marks+")", vals...)
	return err
}

// applyChildren merges a record's child rows.
func (im *Importer) applyChildren(r SyncRecord, ch syncChild, rows []map[string]any, parentNewer bool) error {
	if ch.mode == childReplace {
		if !parentNewer {
			return nil
		}
		if _, err := im.tx.Exec("DELETE FROM "+ch.table+" WHERE "+ch.parent+" = ?", r.ID); err != nil {
			return err
		}
	}
	for _, in := range rows {
		var link *pendingLink
		if ch.attach != "" {
			l, err := attachmentLink(r, ch, in)
			if err != nil {
				return err
			}
			link = &l
		}
		row, err := im.rowValues(r, ch.table, in, nil)
		if err != nil {
			return err
		}
		if row[ch.parent] != r.ID {
			return refuse(r, "%s 的行不属于此记录 / a %s row belongs to another record", ch.table, ch.table)
		}
		if link != nil {
			link.row = row
			if err := im.linkAttachment(*link); err != nil {
				return err
			}
			continue
		}
		if err := im.mergeChild(ch, row); err != nil {
			return err
		}
	}
	return nil
}

// mergeChild writes one child row by the table's merge mode.
func (im *Importer) mergeChild(ch syncChild, row map[string]any) error {
	where := make([]string, len(ch.key))
	args := make([]any, len(ch.key))
	for i, c := range ch.key {
		where[i], args[i] = c+" = ?", row[c]
	}
	var at int64
	err := im.tx.QueryRow("SELECT "+map[bool]string{true: "at", false: "0"}[ch.mode == childLatest]+" FROM "+ch.table+" WHERE "+strings.Join(where, " AND "), args...).Scan(&at)
	switch {
	case isNoRows(err):
		return im.insert(ch.table, row)
	case err != nil:
		return err
	case ch.mode != childLatest:
		return nil // union: the row is immutable and already here
	}
	newAt, _ := row["at"].(int64)
	if newAt <= at {
		return nil
	}
	if _, err := im.tx.Exec("DELETE FROM "+ch.table+" WHERE "+strings.Join(where, " AND "), args...); err != nil {
		return err
	}
	return im.insert(ch.table, row)
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
		if err := im.insert(l.table, l.row); err != nil {
			return err
		}
	}
	return nil
}

// Finish checks that every attachment a record needs has arrived.
func (im *Importer) Finish() error {
	for sha := range im.waiting {
		return fmt.Errorf("同步包缺少附件 %s…，请让对方重新导出 / the bundle lacks attachment %s…: ask for a new export", sha[:12], sha[:12])
	}
	return nil
}

// Discard removes the attachment files this import sealed; call it when
// the transaction did not commit.
func (im *Importer) Discard() {
	for _, st := range im.sealed {
		st.discard()
	}
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
