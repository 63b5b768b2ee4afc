package data

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/uuid"

	"mediadesk/data/internal/seal"
)

var attachmentMagic = []byte("MDATTC\r\n")

const attachmentHeaderSize = 8 + 2 + 2 + 16 + seal.PrefixSize

// Attachment describes a sealed file kept beside the database.
type Attachment struct {
	ID        string
	Name      string // the file name the user gave
	MIME      string
	Size      int64
	SHA256    []byte
	CreatedAt int64 // Unix milliseconds
}

// ErrNotFound: no record with that key.
var ErrNotFound = errors.New("记录不存在 / no such record")

func attachmentHeader(id uuid.UUID, c seal.Cipher, prefix []byte) []byte {
	h := make([]byte, 0, attachmentHeaderSize)
	h = append(h, attachmentMagic...)
	h = append(h, byte(FormatVersion), 0, byte(c), 0)
	h = append(h, id[:]...)
	return append(h, prefix...)
}

// attachmentCipher picks the cipher new attachment files are sealed with
// (a variable so that tests can write the other one too).
var attachmentCipher = seal.Fastest

// nameKey returns the key that names attachment files, creating it once.
func (s *Store) nameKey() ([]byte, error) {
	var key []byte
	err := s.db.QueryRow("SELECT value FROM meta WHERE key = 'attachment_name_key'").Scan(&key)
	if err == nil {
		return key, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	key = randomBytes(32)
	err = s.Write(func(tx *Tx) error {
		_, err := tx.Exec("INSERT OR IGNORE INTO meta(key, value) VALUES ('attachment_name_key', ?)", key)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.nameKey()
}

// PutAttachment seals r into a new attachment file, streaming (memory use
// does not grow with the file), and records it. A file with the same
// content as an existing attachment returns that one.
func (s *Store) PutAttachment(r io.Reader, name, mime string, createdAt int64) (Attachment, error) {
	nk, err := s.nameKey()
	if err != nil {
		return Attachment{}, err
	}
	st, err := s.sealAttachment(s.db, nk, r, name, mime, createdAt, nil)
	if err != nil || st.existing {
		return st.a, err
	}
	if err := s.Write(st.insert); err != nil {
		st.discard()
		return Attachment{}, err
	}
	return st.a, nil
}

// sealedAttachment is an attachment file sealed on disk whose row is not
// written yet: insert writes it, discard removes the file if the row never
// commits.
type sealedAttachment struct {
	a        Attachment
	rel      string // file name under attachmentsDir
	key      []byte
	final    string
	existing bool // the content was already an attachment: a is that one
}

func (st sealedAttachment) insert(tx *Tx) error {
	_, err := tx.Exec(`INSERT INTO attachments(id, file, file_key, sha256, size, name, mime, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, st.a.ID, filepath.ToSlash(st.rel), st.key, st.a.SHA256, st.a.Size, st.a.Name, st.a.MIME, st.a.CreatedAt)
	return err
}

func (st sealedAttachment) discard() {
	if !st.existing {
		os.Remove(st.final)
	}
}

// sealAttachment seals r into the attachment file its content names (nk
// is the naming key; q finds an existing attachment with that content).
// With wantSHA set, content with another hash is refused and nothing kept.
func (s *Store) sealAttachment(q Querier, nk []byte, r io.Reader, name, mime string, createdAt int64, wantSHA []byte) (sealedAttachment, error) {
	dir := filepath.Join(s.dir, attachmentsDir)
	if err := mkdirSynced(dir); err != nil {
		return sealedAttachment{}, err
	}
	id := uuid.Must(uuid.NewV7())
	key, prefix := randomBytes(32), seal.NewPrefix()
	tmp := filepath.Join(dir, ".tmp-"+id.String())
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return sealedAttachment{}, &WriteError{File: tmp, Err: err}
	}
	keep := false
	defer func() {
		if !keep {
			f.Close()
			os.Remove(tmp)
		}
	}()
	c := attachmentCipher()
	head := attachmentHeader(id, c, prefix)
	bw := bufio.NewWriterSize(f, 256<<10)
	bw.Write(head)
	sw, err := seal.NewWriter(bw, c, key, prefix, head)
	if err != nil {
		return sealedAttachment{}, err
	}
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(sw, h), r)
	if err != nil {
		return sealedAttachment{}, fmt.Errorf("读取附件失败 / reading the attachment failed: %w", err)
	}
	sum := h.Sum(nil)
	if wantSHA != nil && !hmac.Equal(sum, wantSHA) {
		return sealedAttachment{}, errors.New("附件内容与其哈希不符 / the attachment does not match its hash")
	}
	if err := sw.Close(); err != nil {
		return sealedAttachment{}, &WriteError{File: tmp, Err: err}
	}
	if err := bw.Flush(); err != nil {
		return sealedAttachment{}, &WriteError{File: tmp, Err: err}
	}
	if err := f.Sync(); err != nil {
		return sealedAttachment{}, &WriteError{File: tmp, Err: err}
	}
	// One seal at a time picks its name and renames: two seals of the
	// same content must never rename over each other's file.
	s.amu.Lock()
	defer s.amu.Unlock()
	if existing, err := attachmentBySHA(q, sum); err == nil {
		return sealedAttachment{a: existing, existing: true}, nil
	}
	mac := hmac.New(sha256.New, nk)
	mac.Write(sum)
	fileName := hex.EncodeToString(mac.Sum(nil))
	rel := filepath.Join(fileName[:2], fileName+".mda")
	if _, err := os.Lstat(filepath.Join(dir, rel)); err == nil {
		// The same content is being added elsewhere and not committed yet,
		// or a crash left the file: this copy gets a name of its own.
		rel = filepath.Join(fileName[:2], fileName+"-"+id.String()+".mda")
	}
	final := filepath.Join(dir, rel)
	if err := mkdirSynced(filepath.Dir(final)); err != nil {
		return sealedAttachment{}, err
	}
	f.Close()
	keep = true
	if err := renameFile(tmp, final); err != nil {
		os.Remove(tmp)
		return sealedAttachment{}, &WriteError{File: final, Err: err}
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		os.Remove(final)
		return sealedAttachment{}, err
	}
	a := Attachment{ID: id.String(), Name: name, MIME: mime, Size: size, SHA256: sum, CreatedAt: createdAt}
	return sealedAttachment{a: a, rel: rel, key: key, final: final}, nil
}

func attachmentBySHA(q Querier, sum []byte) (Attachment, error) {
	return scanAttachment(q.QueryRow(`SELECT id, name, mime, size, sha256, created_at FROM attachments WHERE sha256 = ? LIMIT 1`, sum))
}

func scanAttachment(row *sql.Row) (Attachment, error) {
	var a Attachment
	err := row.Scan(&a.ID, &a.Name, &a.MIME, &a.Size, &a.SHA256, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	return a, err
}

// GetAttachment returns an attachment's description.
func (s *Store) GetAttachment(id string) (Attachment, error) {
	return scanAttachment(s.db.QueryRow(`SELECT id, name, mime, size, sha256, created_at FROM attachments WHERE id = ?`, id))
}

// OpenAttachment returns a streaming reader of an attachment's content.
// Damage anywhere in the file makes Read fail with a DamagedError that
// names the file.
func (s *Store) OpenAttachment(id string) (io.ReadCloser, error) {
	var rel string
	var key []byte
	err := s.db.QueryRow("SELECT file, file_key FROM attachments WHERE id = ?", id).Scan(&rel, &key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	uid, err := uuid.Parse(id)
	if err != nil {
		return nil, ErrNotFound
	}
	path := filepath.Join(s.dir, attachmentsDir, filepath.FromSlash(rel))
	f, err := os.Open(path)
	if err != nil {
		return nil, damaged(path, "attachment file missing: "+err.Error())
	}
	head := make([]byte, attachmentHeaderSize)
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head[:8], attachmentMagic) ||
		!bytes.Equal(head[12:28], uid[:]) {
		f.Close()
		return nil, damaged(path, "attachment header does not match")
	}
	if v := binary.LittleEndian.Uint16(head[8:10]); v == 0 || v > FormatVersion {
		f.Close()
		return nil, damaged(path, "unknown attachment format version (a newer version of the app wrote it?)")
	}
	c := seal.Cipher(head[10])
	if head[11] != 0 || (c != seal.XChaCha20Poly1305 && c != seal.AES256GCM) {
		f.Close()
		return nil, damaged(path, "unknown cipher in the attachment header (a newer version of the app wrote it?)")
	}
	sr, err := seal.NewReader(f, c, key, head[28:], head)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &attachmentReader{r: sr, f: f, path: path}, nil
}

type attachmentReader struct {
	r    io.Reader
	f    *os.File
	path string
}

func (a *attachmentReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if errors.Is(err, seal.ErrAuth) {
		return n, damaged(a.path, "attachment content does not authenticate")
	}
	return n, err
}

func (a *attachmentReader) Close() error { return a.f.Close() }

// mkdirSynced creates dir if needed and makes its entry durable in its
// parent, so a committed row never points into a directory that a power
// cut took away.
func mkdirSynced(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &WriteError{File: dir, Err: err}
	}
	return syncDir(filepath.Dir(dir))
}

// removeAttachmentTemps deletes half-written attachment files.
func removeAttachmentTemps(dir string) error {
	entries, err := os.ReadDir(filepath.Join(dir, attachmentsDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			os.Remove(filepath.Join(dir, attachmentsDir, e.Name()))
		}
	}
	return nil
}
