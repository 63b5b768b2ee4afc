package data

import (
	"os"
	"path/filepath"
)

// ExportPlain writes the live database as a standard, unencrypted SQLite
// file at path (for audits and migration). The file is written to a temp
// name, fsynced and renamed, so a half-written export never appears.
// The caller must keep it safe: it is not sealed.
func (s *Store) ExportPlain(path string) error {
	s.wmu.Lock()
	img, err := s.image()
	s.wmu.Unlock()
	if err != nil {
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
