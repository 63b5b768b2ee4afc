package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"mediadesk/data/internal/seal"
)

var journalMagic = []byte("MDJRNL\r\n")

const (
	journalHeaderSize = 8 + 2 + 2 + 16 + 8
	frameHeaderSize   = 8 // length u32 + CRC-32C of the length
	maxRecordSize     = 256 << 20
	recordCommit      = 1
	recordAbort       = 2 // the previous commit record was not applied (read only: earlier builds wrote it)
	recordRebuild     = 3 // a commit applied with foreign-key enforcement off (a migration that rebuilds a table)
	recordPart        = 4 // statements of a transaction still running: applied with the commit that follows
	sectorSize        = 512
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func journalName(gen uint64) string { return fmt.Sprintf("journal-%016x.mdj", gen) }

// journalGens lists the generations of the journal files in dir, sorted.
func journalGens(dir string) ([]uint64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var gens []uint64
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, "journal-") || !strings.HasSuffix(name, ".mdj") {
			continue
		}
		g, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(name, "journal-"), ".mdj"), 16, 64)
		if err != nil {
			continue
		}
		gens = append(gens, g)
	}
	sort.Slice(gens, func(i, j int) bool { return gens[i] < gens[j] })
	return gens, nil
}

func journalKey(dek, storeID []byte, gen uint64) []byte {
	return seal.DeriveKey(dek, storeID, fmt.Sprintf("mediadesk journal v1 gen=%d", gen))
}

func recordAD(storeID []byte, gen, index uint64) []byte {
	ad := make([]byte, 0, 4+16+16)
	ad = append(ad, "mdj1"...)
	ad = append(ad, storeID...)
	ad = binary.LittleEndian.AppendUint64(ad, gen)
	return binary.LittleEndian.AppendUint64(ad, index)
}

func journalHeader(storeID []byte, gen uint64) []byte {
	h := make([]byte, 0, journalHeaderSize)
	h = append(h, journalMagic...)
	h = binary.LittleEndian.AppendUint16(h, FormatVersion)
	h = binary.LittleEndian.AppendUint16(h, 0)
	h = append(h, storeID...)
	return binary.LittleEndian.AppendUint64(h, gen)
}

// journalFile is what the journal needs of a file; tests wrap it to inject
// faults such as a full disk.
type journalFile interface {
	io.Writer
	Sync() error
	Truncate(size int64) error
	Seek(offset int64, whence int) (int64, error)
	Close() error
}

// journal appends sealed records to one generation's file.
type journal struct {
	f       journalFile
	path    string
	storeID []byte
	gen     uint64
	key     []byte
	next    uint64 // index of the next record
	size    int64  // bytes known durable
	alloc   int64  // file length: zeros follow size up to alloc
	// dirty: a failed append could not be cut back; the next append
	// retries the cut first, so no record ever follows garbage.
	dirty bool
}

// createJournal writes a new, empty journal file for gen and makes it
// durable. The header is written under a temp name and renamed, so a
// crash never leaves a journal without its header (which would stop the
// next open).
func createJournal(dir string, storeID []byte, gen uint64, dek []byte, wrap func(journalFile) journalFile) (*journal, error) {
	path := filepath.Join(dir, journalName(gen))
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, &WriteError{File: path, Err: err}
	}
	head := journalHeader(storeID, gen)
	if _, err := f.Write(head); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, &WriteError{File: path, Err: err}
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, &WriteError{File: path, Err: err}
	}
	// Closed before the rename: Windows does not rename open files.
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return nil, &WriteError{File: path, Err: err}
	}
	if err := renameFile(tmp, path); err != nil {
		os.Remove(tmp)
		return nil, &WriteError{File: path, Err: err}
	}
	if err := syncDir(dir); err != nil {
		return nil, err
	}
	f, err = os.OpenFile(path, os.O_WRONLY, 0o600)
	if err != nil {
		return nil, &WriteError{File: path, Err: err}
	}
	if _, err := f.Seek(int64(len(head)), io.SeekStart); err != nil {
		f.Close()
		return nil, &WriteError{File: path, Err: err}
	}
	var jf journalFile = f
	if wrap != nil {
		jf = wrap(jf)
	}
	return &journal{f: jf, path: path, storeID: storeID, gen: gen, key: journalKey(dek, storeID, gen),
		size: int64(len(head)), alloc: int64(len(head))}, nil
}

// preallocStep is how much zero-filled room the journal adds at a time.
// Records then overwrite blocks that already exist, so each commit's
// flush is a data-only fdatasync instead of a metadata commit.
const preallocStep = 1 << 20

// zeroRoom is what grow writes: zeros read from memory no one touches.
var zeroRoom [preallocStep]byte

// grow makes room for n more bytes after size by writing zeros (not
// fallocate: unwritten extents would need a metadata change per commit)
// and syncing the new length.
func (j *journal) grow(n int) error {
	if j.size+int64(n) <= j.alloc {
		return nil
	}
	if _, err := j.f.Seek(j.alloc, io.SeekStart); err != nil {
		return err
	}
	if _, err := j.f.Write(zeroRoom[:]); err != nil {
		return err
	}
	if err := j.f.Sync(); err != nil {
		return err
	}
	j.alloc += preallocStep
	_, err := j.f.Seek(j.size, io.SeekStart)
	return err
}

// newRecord returns an empty record with room for n bytes of plaintext:
// append the plaintext to it and pass it to appendSealed, which seals it
// where it lies. A commit of tens of megabytes is thus built, sealed and
// written from one buffer.
func newRecord(n int) []byte {
	return make([]byte, frameHeaderSize+seal.NonceSize, frameHeaderSize+seal.Overhead+n)
}

// appendSealed seals the plaintext in rec (from newRecord) as the next
// record, writes it and syncs it. A record that fits the zeroed room
// overwrites it and needs only a data sync; a larger one is written past
// the end and synced with the file's new length, rather than zero-filled
// first and written again. On any failure the file is cut back to its
// last durable size, so a failed commit leaves no trace and a later one
// can succeed.
func (j *journal) appendSealed(rec []byte) error {
	if j.dirty {
		if err := j.rewind(); err != nil {
			return &WriteError{File: j.path, Err: err}
		}
		j.dirty = false
	}
	body := seal.SealInPlace(j.key, rec[frameHeaderSize:], recordAD(j.storeID, j.gen, j.next))
	rec = rec[:frameHeaderSize+len(body)]
	binary.LittleEndian.PutUint32(rec[0:4], uint32(len(body)))
	binary.LittleEndian.PutUint32(rec[4:8], crc32.Checksum(rec[0:4], castagnoli))
	var err error
	if j.size+int64(len(rec)) <= j.alloc || len(rec) <= preallocStep {
		err = j.grow(len(rec))
		if err == nil {
			_, err = j.f.Write(rec)
		}
		if err == nil {
			err = dataSync(j.f)
		}
	} else {
		_, err = j.f.Write(rec)
		if err == nil {
			err = j.f.Sync()
		}
		if err == nil {
			j.alloc = max(j.alloc, j.size+int64(len(rec)))
		}
	}
	if err != nil {
		if terr := j.rewind(); terr != nil {
			j.dirty = true
			return &WriteError{File: j.path, Err: errors.Join(err, terr)}
		}
		return &WriteError{File: j.path, Err: err}
	}
	j.size += int64(len(rec))
	j.next++
	return nil
}

// cut drops the records appended since the journal was size bytes long
// with next as its next record index: a commit record whose in-memory
// commit then failed, or the parts of a transaction that failed. On
// failure the journal is left dirty.
func (j *journal) cut(size int64, next uint64) error {
	j.size, j.next = size, next
	if err := j.rewind(); err != nil {
		j.dirty = true
		return &WriteError{File: j.path, Err: err}
	}
	return nil
}

func (j *journal) rewind() error {
	if err := j.f.Truncate(j.size); err != nil {
		return err
	}
	j.alloc = j.size
	if _, err := j.f.Seek(j.size, io.SeekStart); err != nil {
		return err
	}
	return j.f.Sync()
}

func (j *journal) close() error { return j.f.Close() }

// partWriter writes a large transaction's statements to the journal as
// part records while the transaction goes on, on a goroutine of its own:
// sealing, writing and flushing tens of megabytes then overlaps the
// transaction instead of following it. Each part is flushed before the
// next record is written, so only the last record can ever be torn.
type partWriter struct {
	j        *journal
	chunks   chan []stmt
	done     chan struct{}
	err      error // the first failure; read after done is closed
	finished bool
}

// startParts starts writing parts to j; the caller holds the write lock
// until finish has returned.
func (j *journal) startParts() *partWriter {
	p := &partWriter{j: j, chunks: make(chan []stmt, 1), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for chunk := range p.chunks {
			if p.err == nil {
				p.err = j.appendSealed(appendCommit(newRecord(commitSize(chunk)), recordPart, chunk))
			}
		}
	}()
	return p
}

// add hands statements over to be written as the next part; it waits
// while the part before is still being written.
func (p *partWriter) add(chunk []stmt) { p.chunks <- chunk }

// finish waits for every part handed over and returns the first error;
// calling it again returns the same.
func (p *partWriter) finish() error {
	if !p.finished {
		p.finished = true
		close(p.chunks)
		<-p.done
	}
	return p.err
}

// journalRecords holds what replay found in one journal file.
type journalRecords struct {
	records  [][]byte // decrypted records, in order
	starts   []int64  // where each record begins in the file
	goodSize int64    // bytes up to the end of the last whole record
	fileSize int64    // the file's length: zeros or a torn tail follow goodSize
	torn     bool     // a torn tail follows goodSize
}

// readJournal decrypts every record of one journal file. A torn tail — a
// last record cut short, or zero bytes where it should be — is reported
// and not an error; any other damage is.
func readJournal(path string, storeID []byte, gen uint64, dek []byte) (*journalRecords, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(raw) < journalHeaderSize {
		return nil, damaged(path, "journal header is cut short")
	}
	if !bytes.Equal(raw[:8], journalMagic) {
		return nil, damaged(path, "not a Media Desk journal")
	}
	// The snapshot already vouched for the format version; a journal
	// header that differs from the one this store writes is damage.
	if !bytes.Equal(raw[:journalHeaderSize], journalHeader(storeID, gen)) {
		return nil, damaged(path, "journal header does not match this store")
	}
	key := journalKey(dek, storeID, gen)
	out := &journalRecords{goodSize: journalHeaderSize, fileSize: int64(len(raw))}
	pos := journalHeaderSize
	for index := uint64(0); pos < len(raw); index++ {
		rest := raw[pos:]
		if allZero(rest) {
			break // room made ahead of time, or never written
		}
		if len(rest) < frameHeaderSize {
			out.torn = true
			break
		}
		n := binary.LittleEndian.Uint32(rest)
		if crc32.Checksum(rest[:4], castagnoli) != binary.LittleEndian.Uint32(rest[4:]) {
			if allZero(rest[frameHeaderSize:]) || lostFirstSector(raw, pos) {
				out.torn = true // a frame header whose record never followed, or never landed
				break
			}
			return nil, damaged(path, fmt.Sprintf("record %d: length field damaged", index))
		}
		if n > maxRecordSize || n < seal.Overhead {
			return nil, damaged(path, fmt.Sprintf("record %d: impossible length", index))
		}
		end := frameHeaderSize + int(n)
		if end > len(rest) {
			out.torn = true // the last write did not finish
			break
		}
		plain, err := seal.Open(key, rest[frameHeaderSize:end], recordAD(storeID, gen, index))
		if err != nil {
			if allZero(rest[end:]) && (allZero(rest[end-16:end]) || hasZeroSector(raw, pos, pos+end)) {
				out.torn = true // the last record, and part of it never reached the disk
				break
			}
			return nil, damaged(path, fmt.Sprintf("record %d does not authenticate", index))
		}
		out.records, out.starts = append(out.records, plain), append(out.starts, int64(pos))
		pos += end
		out.goodSize = int64(pos)
	}
	return out, nil
}

// hasZeroSector reports whether raw[from:to] covers a whole 512-byte
// sector of the file that is all zeros. A power cut during a record's
// flush can leave any of its sectors unwritten, and unwritten room reads
// as zeros; sealed bytes practically never hold 512 zeros in a row.
func hasZeroSector(raw []byte, from, to int) bool {
	for at := (from + sectorSize - 1) / sectorSize * sectorSize; at+sectorSize <= to; at += sectorSize {
		if allZero(raw[at : at+sectorSize]) {
			return true
		}
	}
	return false
}

// lostFirstSector reports whether the record whose frame header starts at
// pos looks like a last write whose first sector never landed: zeros from
// the header to the end of the sector after it, and nothing but zeros
// further than the largest record could reach.
func lostFirstSector(raw []byte, pos int) bool {
	sectorEnd := min(len(raw), (pos+frameHeaderSize+sectorSize)/sectorSize*sectorSize)
	reach := min(len(raw), pos+frameHeaderSize+maxRecordSize)
	return allZero(raw[pos:sectorEnd]) && allZero(raw[reach:])
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// dropParts forgets the records from the index-th on, parts of a
// transaction that never committed: appending cuts them off.
func (r *journalRecords) dropParts(index int) {
	r.goodSize, r.torn = r.starts[index], true
	r.records, r.starts = r.records[:index], r.starts[:index]
}

// openJournalForAppend reopens the newest journal after replay. A torn
// tail is cut off so new records follow the last whole one; zeros made
// ahead of time stay as room for them, and the file is not touched.
func openJournalForAppend(dir string, storeID []byte, gen uint64, dek []byte, recs *journalRecords, wrap func(journalFile) journalFile) (*journal, error) {
	path := filepath.Join(dir, journalName(gen))
	f, err := os.OpenFile(path, os.O_WRONLY, 0o600)
	if err != nil {
		return nil, &WriteError{File: path, Err: err}
	}
	j := &journal{f: f, path: path, storeID: storeID, gen: gen, key: journalKey(dek, storeID, gen),
		next: uint64(len(recs.records)), size: recs.goodSize, alloc: recs.fileSize}
	if wrap != nil {
		j.f = wrap(j.f)
	}
	if !recs.torn {
		if _, err := j.f.Seek(j.size, io.SeekStart); err != nil {
			f.Close()
			return nil, &WriteError{File: path, Err: err}
		}
		return j, nil
	}
	if err := j.rewind(); err != nil {
		f.Close()
		return nil, &WriteError{File: path, Err: err}
	}
	return j, nil
}
