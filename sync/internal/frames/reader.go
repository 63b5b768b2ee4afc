package frames

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"strconv"

	"mediadesk/sync/internal/refuse"
)

// Handler receives what a payload holds, in order. Attachment may be
// nil (attachments are then read and checked but not kept); a handler
// that returns an error stops the reading with that error.
type Handler struct {
	// Header is called once, first.
	Header func(Header) error
	// Record is called for each record.
	Record func(Record) error
	// Attachment is called for each attachment with a reader of exactly
	// size bytes; what it does not read is read and checked after it.
	// The reader fails instead of ending when the bytes do not match sum.
	Attachment func(sum [32]byte, size int64, r io.Reader) error
}

// line is any frame line: the union of the fields of every frame type.
type line struct {
	Type            string           `json:"type"`
	ID              string           `json:"id"`
	Owner           string           `json:"owner"`
	Version         int64            `json:"version"`
	Data            json.RawMessage  `json:"data"`
	SHA256          string           `json:"sha256"`
	Size            int64            `json:"size"`
	Records         int64            `json:"records"`
	Attachments     int64            `json:"attachments"`
	AttachmentBytes int64            `json:"attachment_bytes"`
	Counts          map[string]int64 `json:"counts"`
}

func bad(zh, en string) error { return refuse.New(refuse.BadRecord, zh, en) }

// Read reads a whole payload from r, calling h for what it holds, and
// returns the checked summary of its end line. Read errors of r are
// returned unchanged; anything malformed is a BadRecord refusal.
func Read(r io.Reader, h Handler) (Summary, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := readLine(br, MaxHeaderLine)
	if err != nil {
		return Summary{}, err
	}
	var hd Header
	if json.Unmarshal(first, &hd) != nil || hd.Type != TypeHeader || hd.Format != Format || hd.Version < 1 {
		return Summary{}, bad("缺少内容抬头", "the payload header line is missing or invalid")
	}
	if h.Header != nil {
		if err := h.Header(hd); err != nil {
			return Summary{}, err
		}
	}
	got := Summary{Type: TypeEnd, Counts: map[string]int64{}}
	seen := map[[32]byte]bool{}
	inAtt := false
	for {
		raw, err := readLine(br, MaxRecordLine)
		if err != nil {
			return Summary{}, err
		}
		l, ok := recordLine(raw)
		if !ok && json.Unmarshal(raw, &l) != nil {
			return Summary{}, bad(fmt.Sprintf("第 %d 条记录不是有效的 JSON", got.Records+got.Attachments+1),
				fmt.Sprintf("entry %d is not valid JSON", got.Records+got.Attachments+1))
		}
		switch l.Type {
		case TypeEnd:
			return got, finish(br, l, got)
		case TypeAttachment:
			inAtt = true
			sum, ok := ParseHash(l.SHA256)
			if !ok || l.Size < 0 {
				return Summary{}, bad("附件的哈希或大小无效", "an attachment has a bad hash or size")
			}
			if seen[sum] {
				return Summary{}, bad("附件 "+l.SHA256+" 重复", "attachment "+l.SHA256+" appears twice")
			}
			seen[sum] = true
			if err := readAttachment(br, sum, l.Size, h.Attachment); err != nil {
				return Summary{}, err
			}
			got.Attachments++
			got.AttachmentBytes += l.Size
		default:
			if inAtt {
				return Summary{}, bad("记录出现在附件之后", "a record comes after the attachments")
			}
			rec := Record{Type: l.Type, ID: l.ID, Owner: l.Owner, Version: l.Version, Data: l.Data}
			// The line decoded, so its data is valid JSON.
			if _, err := checkFields(rec); err != nil {
				return Summary{}, err
			}
			if _, ok := got.Counts[rec.Type]; !ok && len(got.Counts) == MaxTypes {
				return Summary{}, bad("记录类型超过 64 种", "more than 64 record types")
			}
			got.Records++
			got.Counts[rec.Type]++
			if h.Record != nil {
				if err := h.Record(rec); err != nil {
					return Summary{}, err
				}
			}
		}
	}
}

// recordLine decodes a record line written the way Writer.Record writes
// it, {"type":"…","id":"…","owner":"…","version":N,"data":{…}}, without
// reflection: an import reads tens of thousands. Anything else (another
// frame type, other spacing or key order, an escape in a string, a
// number not in its shortest form) is left to encoding/json (ok false).
func recordLine(raw []byte) (l line, ok bool) {
	rest := raw
	str := func(key string) (string, bool) {
		var found bool
		if rest, found = bytes.CutPrefix(rest, []byte(key)); !found {
			return "", false
		}
		end := bytes.IndexByte(rest, '"')
		if end < 0 || bytes.IndexByte(rest[:end], '\\') >= 0 {
			return "", false
		}
		v := string(rest[:end])
		rest = rest[end+1:]
		return v, true
	}
	if l.Type, ok = str(`{"type":"`); !ok || l.Type == TypeEnd || l.Type == TypeAttachment {
		return line{}, false
	}
	if l.ID, ok = str(`,"id":"`); !ok {
		return line{}, false
	}
	if l.Owner, ok = str(`,"owner":"`); !ok {
		return line{}, false
	}
	if rest, ok = bytes.CutPrefix(rest, []byte(`,"version":`)); !ok {
		return line{}, false
	}
	digits := 0
	for digits < len(rest) && rest[digits] >= '0' && rest[digits] <= '9' {
		digits++
	}
	if digits == 0 || digits > 18 || (rest[0] == '0' && digits > 1) {
		return line{}, false
	}
	l.Version, _ = strconv.ParseInt(string(rest[:digits]), 10, 64)
	if rest, ok = bytes.CutPrefix(rest[digits:], []byte(`,"data":`)); !ok {
		return line{}, false
	}
	data, ok := bytes.CutSuffix(rest, []byte("}"))
	if !ok || len(data) < 2 || data[0] != '{' || data[len(data)-1] != '}' || !json.Valid(data) {
		return line{}, false
	}
	l.Data = bytes.Clone(data)
	return l, true
}

// finish checks the end line against what was read and that nothing
// follows it.
func finish(br *bufio.Reader, end line, got Summary) error {
	if end.Records != got.Records || end.Attachments != got.Attachments ||
		end.AttachmentBytes != got.AttachmentBytes || !maps.Equal(end.Counts, got.Counts) {
		return bad("结尾的计数与内容不符", "the end line's counts do not match the content")
	}
	if _, err := br.ReadByte(); err != io.EOF {
		if err != nil {
			return err
		}
		return bad("结尾之后还有内容", "there is content after the end line")
	}
	return nil
}

// readAttachment hands size bytes to fn (or discards them), checks their
// hash, and consumes the line break after them.
func readAttachment(br *bufio.Reader, sum [32]byte, size int64, fn func([32]byte, int64, io.Reader) error) error {
	body := &checked{r: io.LimitReader(br, size), h: sha256.New(), want: sum, left: size}
	if fn != nil {
		if err := fn(sum, size, body); err != nil {
			return err
		}
	}
	if _, err := io.Copy(io.Discard, body); err != nil {
		return err
	}
	if c, err := br.ReadByte(); err != nil || c != '\n' {
		if err != nil && err != io.EOF {
			return err
		}
		return bad("附件之后缺少换行", "no line break after an attachment")
	}
	return nil
}

// checked reads an attachment's bytes and fails at their end, instead of
// ending, when they do not hash to want.
type checked struct {
	r    io.Reader
	h    hash.Hash
	want [32]byte
	left int64
	err  error
}

func (c *checked) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	c.left -= int64(n)
	if err == io.EOF {
		switch {
		case c.left > 0:
			c.err = io.ErrUnexpectedEOF
		case !bytes.Equal(c.h.Sum(nil), c.want[:]):
			c.err = bad("附件 "+hex.EncodeToString(c.want[:])+" 的内容与哈希不符", "attachment "+hex.EncodeToString(c.want[:])+" does not match its hash")
		default:
			c.err = io.EOF
		}
		return n, c.err
	}
	return n, err
}

// readLine returns the next line without its LF, refusing lines longer
// than limit and a stream that ends inside a line.
func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var long []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(long)+len(chunk) > limit+1 {
			return nil, bad(fmt.Sprintf("一行超过 %d 字节", limit), fmt.Sprintf("a line is longer than %d bytes", limit))
		}
		switch {
		case err == nil && long == nil:
			return chunk[:len(chunk)-1], nil
		case err == nil:
			long = append(long, chunk...)
			return long[:len(long)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			long = append(long, chunk...)
		case err == io.EOF:
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}
