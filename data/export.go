package data

import (
	"database/sql/driver"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mattn/go-sqlite3"
)

// ExportPlain writes the live database as a standard, unencrypted SQLite
// file at path (for audits and migration). The file is written to a temp
// name, fsynced and renamed, so a half-written export never appears.
// The caller must keep it safe: it is not sealed.
//
// The copy leaves out the search index (plainImage): it needs this app's
// search_text function and a newer SQLite than many installed tools
// have, and holds nothing the posts do not. Everything else is there.
func (s *Store) ExportPlain(path string) error {
	s.wmu.Lock()
	img, err := s.image()
	s.wmu.Unlock()
	if err != nil {
		return err
	}
	if img, err = plainImage(img); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return &WriteError{File: tmp, Err: err}
	}
	if _, err := f.Write(img); err != nil {
		f.Close()
		os.Remove(tmp)
		return &WriteError{File: tmp, Err: err}
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return &WriteError{File: tmp, Err: err}
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return &WriteError{File: tmp, Err: err}
	}
	if err := renameFile(tmp, path); err != nil {
		os.Remove(tmp)
		return &WriteError{File: path, Err: err}
	}
	return syncDir(filepath.Dir(path))
}

// plainImage returns the database image img without the search objects:
// the FTS table post_search (its shadow tables go with it), the view
// post_search_content (it calls search_text and uses group_concat(…
// ORDER BY …), SQLite 3.44+), the post_search_* tables and the triggers
// that keep them. It works on a separate in-memory connection that has no
// search_text (the drops must not need it); the live store is untouched.
func plainImage(img []byte) ([]byte, error) {
	dc, err := (&sqlite3.SQLiteDriver{}).Open(":memory:")
	if err != nil {
		return nil, err
	}
	c := dc.(*sqlite3.SQLiteConn)
	defer c.Close()
	if err := restoreImage(c, img); err != nil {
		return nil, fmt.Errorf("data: plain export: %w", err)
	}
	// What to drop, read from the schema: triggers first (they refer to
	// the rest), then views, the FTS table, then the tables left.
	rows, err := c.Query(`SELECT type, name FROM sqlite_schema
		WHERE (type = 'trigger' AND (name LIKE 'post\_search\_%' ESCAPE '\' OR sql LIKE '%post\_search%' ESCAPE '\' OR sql LIKE '%search\_text(%' ESCAPE '\'))
		   OR (type = 'view' AND (name LIKE 'post\_search%' ESCAPE '\' OR sql LIKE '%search\_text(%' ESCAPE '\'))
		   OR (type = 'table' AND name LIKE 'post\_search%' ESCAPE '\')
		ORDER BY CASE WHEN type = 'trigger' THEN 0 WHEN type = 'view' THEN 1 WHEN sql LIKE 'CREATE VIRTUAL%' THEN 2 ELSE 3 END, name`, nil)
	if err != nil {
		return nil, fmt.Errorf("data: plain export: %w", err)
	}
	var drops []string
	vals := make([]driver.Value, 2)
	for {
		if err := rows.Next(vals); err == io.EOF {
			break
		} else if err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: plain export: %w", err)
		}
		typ, _ := vals[0].(string)
		name, _ := vals[1].(string)
		drops = append(drops, fmt.Sprintf("DROP %s IF EXISTS %s", map[string]string{"trigger": "TRIGGER", "view": "VIEW", "table": "TABLE"}[typ], quoteIdent(name)))
	}
	rows.Close()
	for _, d := range drops {
		if _, err := c.Exec(d, nil); err != nil {
			return nil, fmt.Errorf("data: plain export: %s: %w", d, err)
		}
	}
	return c.Serialize("main")
}
