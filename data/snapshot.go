package data

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"mediadesk/data/internal/seal"
)

// On-disk names inside a data directory (docs/store-format.md).
const (
	snapshotFile   = "store.mds"
	lockFile       = "LOCK"
	attachmentsDir = "attachments"
)

// FormatVersion is the version of the on-disk format this build writes and
// the newest it reads.
const FormatVersion = 1

var snapshotMagic = []byte("MDSNAP\r\n")

// maxSlotsLen bounds the key-slot table read from a header.
const maxSlotsLen = 1 << 20

// snapshotHeader is the authenticated, unencrypted head of the snapshot.
type snapshotHeader struct {
	Version uint16
	StoreID []byte // 16 bytes
	Gen     uint64
	Prefix  []byte // stream nonce prefix
	Slots   []*keySlot
}

// encode returns the header bytes including their trailing SHA-256.
func (h *snapshotHeader) encode() ([]byte, error) {
	slots, err := json.Marshal(h.Slots)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write(snapshotMagic)
	binary.Write(&b, binary.LittleEndian, h.Version)
	binary.Write(&b, binary.LittleEndian, uint16(0))
	b.Write(h.StoreID)
	binary.Write(&b, binary.LittleEndian, h.Gen)
	b.Write(h.Prefix)
	binary.Write(&b, binary.LittleEndian, uint32(len(slots)))
	b.Write(slots)
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes(), nil
}

// readSnapshotHeader parses and checks the header; it returns the header,
// its digest (the stream's associated data) and a reader positioned at the
// body.
func readSnapshotHeader(path string, f io.Reader) (*snapshotHeader, []byte, *bufio.Reader, error) {
	r := bufio.NewReaderSize(f, 1<<20)
	fixed := make([]byte, 8+2+2+16+8+seal.PrefixSize+4)
	if _, err := io.ReadFull(r, fixed); err != nil {
		return nil, nil, nil, damaged(path, "header is cut short")
	}
	if !bytes.Equal(fixed[:8], snapshotMagic) {
		return nil, nil, nil, damaged(path, "not a Media Desk snapshot")
	}
	h := &snapshotHeader{Version: binary.LittleEndian.Uint16(fixed[8:])}
	h.StoreID = append([]byte{}, fixed[12:28]...)
	h.Gen = binary.LittleEndian.Uint64(fixed[28:])
	h.Prefix = append([]byte{}, fixed[36:36+seal.PrefixSize]...)
	n := binary.LittleEndian.Uint32(fixed[36+seal.PrefixSize:])
	if n > maxSlotsLen {
		return nil, nil, nil, damaged(path, "key-slot table too large")
	}
	rest := make([]byte, int(n)+sha256.Size)
	if _, err := io.ReadFull(r, rest); err != nil {
		return nil, nil, nil, damaged(path, "header is cut short")
	}
	body := append(fixed, rest[:n]...)
	sum := sha256.Sum256(body)
	if !bytes.Equal(sum[:], rest[n:]) {
		return nil, nil, nil, damaged(path, "header checksum mismatch (key slots)")
	}
	if h.Version > FormatVersion {
		return nil, nil, nil, ErrNewerVersion
	}
	if h.Version == 0 {
		return nil, nil, nil, damaged(path, "bad format version")
	}
	if err := json.Unmarshal(rest[:n], &h.Slots); err != nil {
		return nil, nil, nil, damaged(path, "key-slot table unreadable")
	}
	return h, sum[:], r, nil
}

func snapshotKey(dek, storeID []byte, gen uint64) []byte {
	return seal.DeriveKey(dek, storeID, fmt.Sprintf("mediadesk snapshot v1 gen=%d", gen))
}

// readSnapshotBody decrypts the database image that follows the header.
// sizeHint (the file's size, an upper bound of the image) sizes the
// buffer once: growing it step by step would allocate and touch several
// times the image, which dominates opening a large store.
func readSnapshotBody(path string, h *snapshotHeader, digest []byte, body io.Reader, dek []byte, sizeHint int64) ([]byte, error) {
	r, err := seal.NewReader(body, seal.XChaCha20Poly1305, snapshotKey(dek, h.StoreID, h.Gen), h.Prefix, digest)
	if err != nil {
		return nil, err
	}
	if sizeHint < 0 || sizeHint > sizeLimit {
		sizeHint = 0
	}
	img := make([]byte, 0, sizeHint)
	for {
		if len(img) == cap(img) {
			img = append(img, 0)[:len(img)]
		}
		var n int
		n, err = r.Read(img[len(img):cap(img)])
		img = img[:len(img)+n]
		if err != nil {
			break
		}
	}
	if err == io.EOF {
		err = nil
	}
	if errors.Is(err, seal.ErrAuth) {
		return nil, damaged(path, "database image does not authenticate")
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return img, nil
}

// writeSnapshot writes header + sealed image atomically: a temp file,
// fsync, rename over the snapshot. An error means the old snapshot is
// still in place. The caller then fsyncs the directory (syncDir), and
// must treat a failure of that as "the new snapshot may or may not
// survive a power cut".
func writeSnapshot(dir string, h *snapshotHeader, dek, image []byte) error {
	h.Prefix = seal.NewPrefix()
	head, err := h.encode()
	if err != nil {
		return err
	}
	digest := head[len(head)-sha256.Size:]
	final := filepath.Join(dir, snapshotFile)
	tmp := final + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return &WriteError{File: tmp, Err: err}
	}
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return &WriteError{File: tmp, Err: err}
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if _, err := bw.Write(head); err != nil {
		return fail(err)
	}
	w, err := seal.NewWriter(bw, seal.XChaCha20Poly1305, snapshotKey(dek, h.StoreID, h.Gen), h.Prefix, digest)
	if err != nil {
		return fail(err)
	}
	if _, err := w.Write(image); err != nil {
		return fail(err)
	}
	if err := w.Close(); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return &WriteError{File: tmp, Err: err}
	}
	if err := renameFile(tmp, final); err != nil {
		os.Remove(tmp)
		return &WriteError{File: final, Err: err}
	}
	return nil
}

// syncDir makes a rename or create in dir durable (a variable so that
// tests can make it fail).
var syncDir = syncDirectory

func syncDirectory(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return &WriteError{File: dir, Err: err}
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) && !isSyncUnsupported(err) {
		return &WriteError{File: dir, Err: err}
	}
	return nil
}
