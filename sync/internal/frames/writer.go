package frames

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"strconv"

	"mediadesk/sync/internal/refuse"
)

// Format and Version name the payload format in its header line.
const (
	Format  = "mediadesk-payload"
	Version = 1
)

// Frame types that are not records.
const (
	TypeHeader     = "@header"
	TypeAttachment = "@attachment"
	TypeEnd        = "@end"
)

// Header is the payload's first line, repeating the manifest.
type Header struct {
	Type     string `json:"type"`
	Format   string `json:"format"`
	Version  int    `json:"version"`
	BundleID string `json:"bundle_id"`
	Kind     string `json:"kind"`
	Sender   string `json:"sender"`
	Receiver string `json:"receiver"`
	Sequence int64  `json:"sequence"`
}

// Record is one typed record line.
type Record struct {
	Type    string
	ID      string
	Owner   string
	Version int64
	Data    json.RawMessage
}

// Summary is what a payload held; its end line states it.
type Summary struct {
	Type            string           `json:"type"`
	Records         int64            `json:"records"`
	Attachments     int64            `json:"attachments"`
	AttachmentBytes int64            `json:"attachment_bytes"`
	Counts          map[string]int64 `json:"counts"`
}

// CheckRecord validates a record's fields and returns its data in
// compact form (no line break inside).
func CheckRecord(r Record) (json.RawMessage, error) {
	data, err := checkFields(r)
	if err != nil {
		return nil, err
	}
	if !json.Valid(data) {
		return nil, notObject(r)
	}
	if bytes.IndexByte(data, '\n') >= 0 {
		var b bytes.Buffer
		json.Compact(&b, data)
		data = b.Bytes()
	}
	return data, nil
}

// checkFields validates a record's fields and that its data starts as a
// JSON object, and returns the data without surrounding space; the caller
// checks that it is valid JSON (a record line that decoded is).
func checkFields(r Record) (json.RawMessage, error) {
	bad := func(zh, en string) error {
		return refuse.New(refuse.BadRecord, zh, en)
	}
	switch {
	case !ValidType(r.Type):
		return nil, bad("记录类型 "+refuse.Quote(r.Type)+" 无效", "bad record type "+refuse.Quote(r.Type))
	case !ValidID(r.ID):
		return nil, bad(r.Type+" 记录的编号 "+refuse.Quote(r.ID)+" 无效", "bad id "+refuse.Quote(r.ID)+" of a "+r.Type+" record")
	case !ValidUnitID(r.Owner):
		return nil, bad(r.Type+" "+r.ID+" 的所属单位 "+refuse.Quote(r.Owner)+" 无效", "bad owner "+refuse.Quote(r.Owner)+" of "+r.Type+" "+r.ID)
	case r.Version < 1:
		return nil, bad(r.Type+" "+r.ID+" 的版本号必须从 1 起", "version of "+r.Type+" "+r.ID+" must be 1 or more")
	}
	data := bytes.TrimSpace(r.Data)
	if len(data) == 0 || data[0] != '{' {
		return nil, notObject(r)
	}
	return data, nil
}

func notObject(r Record) error {
	return refuse.New(refuse.BadRecord, r.Type+" "+r.ID+" 的内容不是 JSON 对象", "data of "+r.Type+" "+r.ID+" is not a JSON object")
}

// Writer writes a payload: NewWriter writes the header, then records,
// then attachments, then End.
type Writer struct {
	w       io.Writer
	line    []byte
	sum     Summary
	seen    map[[32]byte]bool
	inAtt   bool
	ended   bool
	copyBuf []byte
}

// NewWriter writes the header line to w.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	h.Type, h.Format, h.Version = TypeHeader, Format, Version
	line, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(append(line, '\n')); err != nil {
		return nil, err
	}
	return &Writer{w: w, sum: Summary{Type: TypeEnd, Counts: map[string]int64{}}, seen: map[[32]byte]bool{}}, nil
}

// Record writes one record line; records come before attachments.
func (w *Writer) Record(r Record) error {
	data, err := CheckRecord(r)
	if err != nil {
		return err
	}
	return w.record(r, data)
}

// WellFormedRecord writes one record line whose data an encoder made that
// only writes valid, compact JSON objects: its fields are checked as Record
// checks them, but its JSON is not read again.
func (w *Writer) WellFormedRecord(r Record) error {
	data, err := checkFields(r)
	if err != nil {
		return err
	}
	if bytes.IndexByte(data, '\n') >= 0 {
		return notObject(r) // not compact, so not what the encoder writes
	}
	return w.record(r, data)
}

func (w *Writer) record(r Record, data json.RawMessage) error {
	if w.inAtt || w.ended {
		return fmt.Errorf("frames: record after attachments")
	}
	if _, ok := w.sum.Counts[r.Type]; !ok && len(w.sum.Counts) == MaxTypes {
		return refuse.New(refuse.InvalidInput, "记录类型超过 64 种", "more than 64 record types")
	}
	b := append(w.line[:0], `{"type":"`...)
	b = append(b, r.Type...)
	b = append(b, `","id":"`...)
	b = append(b, r.ID...)
	b = append(b, `","owner":"`...)
	b = append(b, r.Owner...)
	b = append(b, `","version":`...)
	b = strconv.AppendInt(b, r.Version, 10)
	b = append(b, `,"data":`...)
	b = append(b, data...)
	b = append(b, "}\n"...)
	if len(b) > MaxRecordLine {
		return refuse.New(refuse.InvalidInput,
			fmt.Sprintf("%s %s 超过 16 MiB，大内容请作为附件", r.Type, r.ID), fmt.Sprintf("%s %s is over 16 MiB; send large content as an attachment", r.Type, r.ID))
	}
	w.line = b
	if _, err := w.w.Write(b); err != nil {
		return err
	}
	w.sum.Records++
	w.sum.Counts[r.Type]++
	return nil
}

// Source is an attachment's bytes: a reader that also hashes (SHA-256)
// what it yields, so the hashing may run elsewhere (another goroutine).
// Sum is called once the reader has returned io.EOF.
type Source interface {
	io.Reader
	Sum() [32]byte
}

// Hashing returns a Source that hashes r as it is read.
func Hashing(r io.Reader) Source {
	h := &hashing{h: sha256.New()}
	h.r = io.TeeReader(r, h.h)
	return h
}

type hashing struct {
	r io.Reader
	h hash.Hash
}

func (h *hashing) Read(p []byte) (int, error) { return h.r.Read(p) }

func (h *hashing) Sum() [32]byte { return [32]byte(h.h.Sum(nil)) }

// Attachment writes the attachment with hash sum and size bytes read
// from src, checking both as it copies. An attachment already written is
// skipped (false).
func (w *Writer) Attachment(sum [32]byte, size int64, src Source) (bool, error) {
	if w.ended {
		return false, fmt.Errorf("frames: attachment after the end")
	}
	w.inAtt = true
	if w.seen[sum] {
		return false, nil
	}
	hexSum := hex.EncodeToString(sum[:])
	if size < 0 {
		return false, refuse.New(refuse.InvalidInput, "附件 "+hexSum+" 大小为负", "attachment "+hexSum+" has a negative size")
	}
	line := fmt.Appendf(w.line[:0], `{"type":%q,"sha256":%q,"size":%d}`+"\n", TypeAttachment, hexSum, size)
	if _, err := w.w.Write(line); err != nil {
		return false, err
	}
	if w.copyBuf == nil {
		w.copyBuf = make([]byte, 256<<10)
	}
	n, err := io.CopyBuffer(onlyWriter{w.w}, io.LimitReader(src, size), w.copyBuf)
	if err != nil {
		return false, err
	}
	var extra [1]byte
	m, err := io.ReadFull(src, extra[:])
	if err != nil && err != io.EOF {
		return false, err
	}
	if n != size || m != 0 || src.Sum() != sum {
		return false, refuse.New(refuse.InvalidInput,
			"附件 "+hexSum+" 的内容与哈希或大小不符", "attachment "+hexSum+" does not match its hash or size")
	}
	if _, err := w.w.Write([]byte{'\n'}); err != nil {
		return false, err
	}
	w.seen[sum] = true
	w.sum.Attachments++
	w.sum.AttachmentBytes += size
	return true, nil
}

// onlyWriter hides a writer's ReadFrom, so copies use the given buffer.
type onlyWriter struct{ io.Writer }

// End writes the end line and returns what the payload holds.
func (w *Writer) End() (Summary, error) {
	line, err := json.Marshal(w.sum)
	if err != nil {
		return Summary{}, err
	}
	if _, err := w.w.Write(append(line, '\n')); err != nil {
		return Summary{}, err
	}
	w.ended = true
	return w.sum, nil
}
