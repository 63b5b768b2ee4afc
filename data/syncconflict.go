package data

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// ImportConflictError is a bundle whose records break a constraint of this
// database: they conflict with data here (a unique value another row has)
// or refer to a row this install does not have (a post's account, an
// account's officer). Nothing of the bundle is applied.
type ImportConflictError struct {
	Type, ID string // the record, when known
	// Ref names what the record refers to and this install lacks (a
	// table and an id), when known.
	RefTable, RefID string
	Err             error // SQLite's own error, when there was one
}

func (e *ImportConflictError) Error() string {
	var zh, en string
	switch {
	case e.Type != "" && e.RefTable != "":
		refZh, refEn := refName(e.RefTable)
		zh = fmt.Sprintf("（%s %s 引用的%s %s 本机没有）", recordTypeZh(e.Type), e.ID, refZh, e.RefID)
		en = fmt.Sprintf(" (%s %s refers to %s %s, which is not on this PC)", e.Type, e.ID, refEn, e.RefID)
	case e.Type != "" && e.ID != "":
		zh = fmt.Sprintf("（%s %s）", recordTypeZh(e.Type), e.ID)
		en = fmt.Sprintf(" (%s %s)", e.Type, e.ID)
	case e.Type != "":
		zh = fmt.Sprintf("（%s记录）", recordTypeZh(e.Type))
		en = fmt.Sprintf(" (%s records)", e.Type)
	}
	return "同步包中的记录与本机数据冲突，或引用了本机没有的数据" + zh + "，已拒绝导入，本机数据未改动。" +
		"请让发送方重新导出同步包后再导入；如果宣传科的电脑是用密钥备份重建的，请按管理员指南第 9 节处理 / " +
		"the bundle's records conflict with data on this PC or refer to data this PC does not have" + en +
		": nothing was imported. Ask the sender to export again and import the new bundle; if HQ's PC was rebuilt " +
		"from a key backup, see the admin guide §9"
}

func (e *ImportConflictError) Unwrap() error { return e.Err }

// NeedsExplaining reports whether err is a constraint an import broke
// without the record being named (the commit's deferred foreign-key
// check): the same import with Importer.ExplainConflicts set names it.
func NeedsExplaining(err error) bool {
	var ce *ImportConflictError
	var se sqlite3.Error
	return !errors.As(err, &ce) && errors.As(err, &se) && se.Code == sqlite3.ErrConstraint
}

// ImportConflict turns a constraint failure of an import (a statement, or
// the commit's deferred foreign-key check) into an ImportConflictError;
// any other error, or one already turned, is returned as it is.
func ImportConflict(err error) error { return importConflict(err, "", "") }

func importConflict(err error, typ, id string) error {
	var ce *ImportConflictError
	var se sqlite3.Error
	if err == nil || errors.As(err, &ce) || !errors.As(err, &se) || se.Code != sqlite3.ErrConstraint {
		return err
	}
	return &ImportConflictError{Type: typ, ID: id, Err: err}
}

// checkReferences finds a record this import applied that refers to a row
// this install does not have (a foreign key the commit would find
// broken), so that the refusal can name both. Only the rows the import
// wrote are looked at.
func (im *Importer) checkReferences() error {
	for i := range syncKinds {
		k := &syncKinds[i]
		ids := im.applied[k.kind]
		if len(ids) == 0 || k.kind == "audit" {
			continue
		}
		list, err := inList(ids)
		if err != nil {
			return err
		}
		if err := im.checkTableReferences(k.kind, k.table, k.key, list); err != nil {
			return err
		}
		for _, ch := range k.children {
			if err := im.checkTableReferences(k.kind, ch.table, ch.parent, list); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkTableReferences checks the foreign keys of table's rows whose
// column idCol is one of ids (a JSON list).
func (im *Importer) checkTableReferences(kind, table, idCol, ids string) error {
	type fk struct{ parent, from, to string }
	var fks []fk
	err := scanRows(im.tx, 5, "SELECT id, seq, \"table\", \"from\", coalesce(\"to\", '') FROM pragma_foreign_key_list(?)",
		[]any{table}, func(vals []any) error {
			if vals[1].(int64) == 0 { // single-column keys (every one in this schema)
				p, _ := vals[2].(string)
				from, _ := vals[3].(string)
				to, _ := vals[4].(string)
				if to == "" {
					to = "id"
				}
				fks = append(fks, fk{p, from, to})
			}
			return nil
		})
	if err != nil {
		return err
	}
	for _, f := range fks {
		var id, ref string
		err := im.tx.QueryRow(`SELECT CAST(t.`+idCol+` AS TEXT), CAST(t.`+f.from+` AS TEXT) FROM `+table+` t
			WHERE t.`+idCol+` IN (SELECT value FROM json_each(?)) AND t.`+f.from+` IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM `+quoteIdent(f.parent)+` p WHERE p.`+quoteIdent(f.to)+` = t.`+f.from+`) LIMIT 1`, ids).Scan(&id, &ref)
		if isNoRows(err) {
			continue
		}
		if err != nil {
			return err
		}
		return &ImportConflictError{Type: kind, ID: id, RefTable: f.parent, RefID: ref}
	}
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// recordTypeZh names a record type in Chinese.
func recordTypeZh(kind string) string {
	for i := range syncKinds {
		if syncKinds[i].kind == kind {
			return syncKinds[i].zh
		}
	}
	return kind
}

// refName names, in Chinese and English, a table a record may refer to:
// a record type's table by the type, else as otherTableNames says.
func refName(table string) (zh, en string) {
	for i := range syncKinds {
		if k := &syncKinds[i]; k.table == table {
			return k.zh, k.kind
		}
	}
	if n, ok := otherTableNames[table]; ok {
		return n[0], n[1]
	}
	return table, table
}

// otherTableNames names the tables records refer to that hold no record
// type.
var otherTableNames = map[string][2]string{"units": {"单位", "unit"}, "attachments": {"附件", "attachment"}}

// soleID is the id of the one row of rows, "" when there are more: which
// of several rows of one INSERT broke a constraint SQLite does not say.
func soleID(k *syncKind, rows []map[string]any) string {
	if len(rows) != 1 {
		return ""
	}
	return idText(rows[0][k.key])
}
