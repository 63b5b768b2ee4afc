package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"filippo.io/age"
	"github.com/google/uuid"

	"mediadesk/sync/internal/frames"
	"mediadesk/sync/internal/refuse"
	"mediadesk/sync/internal/splitfile"
	"mediadesk/sync/internal/ustar"
)

// headerRoom is where this writer starts payload.age: the manifest, its
// signature and the three member headers fill the bytes before it.
const headerRoom = 16 << 10

// Header says what a bundle is, who sends it and to whom.
type Header struct {
	// Kind is KindData or KindRegistration.
	Kind Kind
	// SenderUnit is the sending unit's id; Sender its keys (it signs).
	SenderUnit string
	Sender     *Keys
	// ReceiverUnit is the receiving unit's id; Receiver its public keys
	// (the payload is encrypted to Receiver.Age()).
	ReceiverUnit string
	Receiver     PublicKeys
	// Sequence is the sender's number for this bundle toward this
	// receiver: ≥ 1 for data, 0 for a registration.
	Sequence int64
	// Ack says which of the receiver's bundles the sender has applied.
	Ack Ack
	// Created is when it was written; zero means now.
	Created time.Time
	// BundleID is a UUIDv7; empty means a new one.
	BundleID string
}

// Record is one typed record (docs/bundle-format.md §6.1): its type, id,
// owning unit, version (≥ 1) and fields as a JSON object.
type Record struct {
	Type    string
	ID      string
	Owner   string
	Version int64
	Data    json.RawMessage
}

// RecordSource produces a bundle's records by calling emit once per
// record, in order, and returns emit's first error.
type RecordSource func(emit func(Record) error) error

// Hash is a SHA-256; attachments are addressed by it.
type Hash [32]byte

// String returns the hash in lower-case hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// Attachment is content the payload carries, addressed by its hash.
// Open is called once, when its bytes are written; they must hash to
// SHA256 and be Size long, else Write fails.
type Attachment struct {
	SHA256 Hash
	Size   int64
	Open   func() (io.ReadCloser, error)
	// Authenticated says that Open's reader yields exactly the content
	// SHA256 addresses or fails before its end (an authenticated
	// decryption with a key kept for that content, as the app's sealed
	// store does): Write then does not hash the bytes again. The size is
	// checked either way.
	Authenticated bool
}

// WriteOptions tune Write.
type WriteOptions struct {
	// PartSize splits bundles larger than it (default DefaultPartSize,
	// at least MinPartSize).
	PartSize int64
	// Progress, if set, is called now and then with bytes written out of
	// the expected file size (the total may grow); the last call, after
	// the read-back check, has done == total.
	Progress func(done, total int64)
	// RecordsWellFormed says that the records' Data come from an encoder
	// that only writes valid, compact JSON objects (the store's record
	// reader): their fields are checked, their JSON not read again.
	RecordsWellFormed bool
}

// Written is what Write wrote.
type Written struct {
	// Paths are the files, part 1 first.
	Paths []string
	// Manifest is the signed manifest.
	Manifest Manifest
}

// Write writes a bundle into dir (docs/bundle-format.md §7): the payload
// is encrypted to the receiver and streamed, the manifest signed; the
// files are written under temp names, fsynced, read back and verified,
// and only then renamed into place. On error or cancellation nothing is
// left behind.
func Write(ctx context.Context, dir string, h Header, records RecordSource, attachments []Attachment, opts WriteOptions) (*Written, error) {
	m, err := h.manifest()
	if err != nil {
		return nil, err
	}
	partSize := opts.PartSize
	if partSize == 0 {
		partSize = DefaultPartSize
	}
	if partSize < MinPartSize {
		return nil, refuse.New(refuse.InvalidInput, "分卷太小", fmt.Sprintf("part size under %d bytes", MinPartSize))
	}
	// The attachments alone may be known to be too big before anything
	// is written (the manifest's room, which depends on the record types,
	// is checked at the end).
	var estimate, attached int64 = headerRoom + trailerSize, 0
	seen := map[Hash]bool{}
	for _, a := range attachments {
		estimate += a.Size
		if !seen[a.SHA256] {
			seen[a.SHA256] = true
			if a.Size > MaxPayload-attached {
				return nil, tooBig()
			}
			attached += max(a.Size, 0) // a negative size is refused when written
		}
	}
	prog := &progress{fn: opts.Progress, estimate: estimate}
	sf, err := splitfile.Create(dir, m.FileName(), partSize, headerRoom)
	if err != nil {
		return nil, writeErr(err)
	}
	w := &writer{ctx: ctx, sf: sf, prog: prog, wellFormed: opts.RecordsWellFormed}
	out, err := w.run(h, m, records, attachments)
	if err != nil {
		sf.Abort()
		return nil, err
	}
	return out, nil
}

// writer is one Write in progress.
type writer struct {
	ctx  context.Context
	sf   *splitfile.Writer
	prog *progress
	n    int64 // payload bytes handed to the pipe
	pipe *pipeWriter
	// wellFormed: the records' JSON need not be checked (WriteOptions).
	wellFormed bool
}

// Write counts payload bytes on their way to the pipe.
func (w *writer) Write(p []byte) (int, error) {
	n, err := w.pipe.Write(p)
	w.n += int64(n)
	w.prog.writing(w.n)
	return n, err
}

func (w *writer) run(h Header, m *Manifest, records RecordSource, attachments []Attachment) (*Written, error) {
	if _, err := w.sf.Write(make([]byte, headerRoom)); err != nil {
		return nil, writeErr(err)
	}
	payloadHash := sha256.New()
	w.pipe = newPipeWriter(w.sf, payloadHash)
	sum, err := w.payload(h, m, records, attachments)
	if perr := w.pipe.Close(); err == nil && perr != nil {
		err = writeErr(perr)
	}
	if err != nil {
		return nil, err
	}
	if w.n > MaxPayload {
		return nil, tooBig()
	}
	if _, err := w.sf.Write(make([]byte, ustar.Pad(w.n)+trailerSize)); err != nil {
		return nil, writeErr(err)
	}
	m.Payload = PayloadInfo{Size: w.n, SHA256: hex.EncodeToString(payloadHash.Sum(nil)),
		Records: sum.Records, Attachments: sum.Attachments, AttachmentBytes: sum.AttachmentBytes}
	m.Counts = sum.Counts
	for _, p := range w.sf.Parts() {
		m.Parts = append(m.Parts, PartInfo{Size: p.Size, SHA256: hex.EncodeToString(p.SHA256)})
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	head, err := m.head(h.Sender)
	if err != nil {
		return nil, err
	}
	if _, err := w.sf.WriteAt(head, 0); err != nil {
		return nil, writeErr(err)
	}
	if err := w.sf.Sync(); err != nil {
		return nil, writeErr(err)
	}
	if err := w.verify(h, m); err != nil {
		return nil, err
	}
	paths, err := w.sf.Commit()
	if err != nil {
		return nil, writeErr(err)
	}
	w.prog.finish(w.sf.Size())
	return &Written{Paths: paths, Manifest: *m}, nil
}

// payload encrypts the frames to the receiver through the pipe.
func (w *writer) payload(h Header, m *Manifest, records RecordSource, attachments []Attachment) (frames.Summary, error) {
	aw, err := age.Encrypt(w, h.Receiver.age)
	if err != nil {
		return frames.Summary{}, writeErr(err)
	}
	fw, err := frames.NewWriter(aw, frames.Header{BundleID: m.BundleID, Kind: string(m.Kind),
		Sender: m.Sender.Unit, Receiver: m.Receiver.Unit, Sequence: m.Sequence})
	if err != nil {
		return frames.Summary{}, writeErr(err)
	}
	// The attachments are read ahead from now on, while the records go.
	feed, sources := w.attachmentFeed(attachments)
	defer feed.Close()
	if records != nil {
		err = records(func(r Record) error {
			if err := w.ctx.Err(); err != nil {
				return err
			}
			if w.wellFormed {
				return fw.WellFormedRecord(frames.Record(r))
			}
			return fw.Record(frames.Record(r))
		})
		if err != nil {
			return frames.Summary{}, err
		}
	}
	for _, src := range sources {
		if err := w.ctx.Err(); err != nil {
			return frames.Summary{}, err
		}
		if _, err := fw.Attachment(src.sum, src.size, src); err != nil {
			return frames.Summary{}, err
		}
		feed.next() // frames read this one to its end
	}
	sum, err := fw.End()
	if err == nil {
		err = aw.Close()
	}
	return sum, writeErr(err)
}

// attachmentFeed starts reading the attachments' bytes, one after the
// other, in one goroutine with a few buffers (hashing those that are not
// authenticated), so that reading and decrypting the next attachment
// overlaps encrypting this one, and the first overlaps the records. An
// attachment listed twice is read once: frames writes it once.
func (w *writer) attachmentFeed(attachments []Attachment) (*prefetchReader, []*hashedPrefetch) {
	seen := map[Hash]bool{}
	var sources []prefetchSource
	var out []*hashedPrefetch
	var bufSize int64 = 1
	for _, a := range attachments {
		if seen[a.SHA256] {
			continue
		}
		seen[a.SHA256] = true
		src := &hashedPrefetch{sum: a.SHA256, size: a.Size}
		ps := prefetchSource{open: func() (io.ReadCloser, error) {
			rc, err := a.Open()
			if err != nil {
				return nil, err
			}
			return struct {
				io.Reader
				io.Closer
			}{ctxReader{w.ctx, rc}, rc}, nil
		}}
		if !a.Authenticated {
			src.h = sha256.New()
			ps.tap = func(c []byte) { src.h.Write(c) }
		}
		bufSize = max(bufSize, min(pipeBufferSize, a.Size+1))
		sources, out = append(sources, ps), append(out, src)
	}
	feed := newPrefetchSeq(bufSize, sources)
	for _, src := range out {
		src.prefetchReader = feed
	}
	return feed, out
}

// hashedPrefetch is an attachment read and hashed ahead in a goroutine
// while the writer encrypts what came before; without a hash (h nil) its
// source is authenticated, and Sum is the hash it was asked for.
type hashedPrefetch struct {
	*prefetchReader
	h    hash.Hash
	sum  Hash
	size int64
}

func (p *hashedPrefetch) Sum() [32]byte {
	if p.h == nil {
		return p.sum
	}
	return [32]byte(p.h.Sum(nil))
}

// verify opens the temp files like a receiver would, after Sync has read
// every byte back from the medium and compared it with what was written:
// container, manifest, signature, receiver, signer and part sizes, read
// from the medium. (The payload and part hashes were computed from the
// very bytes written; a receiver's SHA-256 pass would add nothing but
// the time of a second encryption.)
func (w *writer) verify(h Header, m *Manifest) error {
	temps := w.sf.TempPaths()
	opts := OpenOptions{Receiver: m.Receiver.Unit, Registration: m.Kind == KindRegistration}
	if !opts.Registration {
		pub := h.Sender.Public()
		opts.Signers = func(string, string) (PublicKeys, bool, bool) { return pub, false, true }
	}
	first, err := splitfile.OpenPart(temps[0])
	if err != nil {
		return writeErr(err)
	}
	head, err := readBundleHead(first)
	if err == nil {
		err = head.trust(opts)
	}
	var parts []splitfile.Part
	if err == nil {
		parts, err = head.openMore(first, func(k int) (splitfile.Part, error) { return splitfile.OpenPart(temps[k-1]) })
	}
	if parts == nil {
		parts = []splitfile.Part{first}
	}
	splitfile.NewSet(parts).Close()
	if err == nil && (head.m.BundleID != m.BundleID || head.m.Payload != m.Payload) {
		err = refuse.New(refuse.Damaged, "读回的清单与写入的不同", "the manifest read back differs from the one written")
	}
	if err != nil {
		return refuse.Wrap(refuse.Damaged, err, "写入后读回校验失败，U 盘可能有问题，请换一个重试", "the read-back check after writing failed; the stick may be faulty, try another: "+err.Error())
	}
	return nil
}

// manifest checks a header and returns the manifest's fixed fields.
func (h *Header) manifest() (*Manifest, error) {
	bad := func(zh, en string) (*Manifest, error) { return nil, refuse.New(refuse.InvalidInput, zh, en) }
	switch {
	case h.Sender == nil || h.Receiver.IsZero():
		return bad("缺少发送方密钥或接收方公钥", "sender keys or receiver public keys missing")
	case !ValidUnitID(h.SenderUnit) || !ValidUnitID(h.ReceiverUnit) || h.SenderUnit == h.ReceiverUnit:
		return bad("发送或接收单位编号无效", "bad sender or receiver unit id")
	case h.Kind != KindData && h.Kind != KindRegistration:
		return bad("未知的类型", "unknown kind")
	case h.Kind == KindData && h.Sequence < 1, h.Kind == KindRegistration && h.Sequence != 0:
		return bad("序号无效（数据从 1 起，登记为 0）", "bad sequence (data from 1, registration 0)")
	}
	if err := h.Ack.validate(); err != nil {
		return bad("确认号无效", "bad ack")
	}
	created := h.Created
	if created.IsZero() {
		created = time.Now()
	}
	id := h.BundleID
	if id == "" {
		u, err := uuid.NewV7()
		if err != nil {
			return nil, err
		}
		id = u.String()
	}
	later := append([]int64{}, h.Ack.Later...)
	pub := h.Sender.Public()
	return &Manifest{
		Format: bundleFormat, Version: FormatVersion, MinReaderVersion: 1,
		BundleID: id, Kind: h.Kind,
		Sender:   Sender{Unit: h.SenderUnit, KeyID: pub.KeyID(), Minisign: pub.Minisign(), Age: pub.Age()},
		Receiver: Receiver{Unit: h.ReceiverUnit, Age: h.Receiver.Age()},
		Sequence: h.Sequence, Created: created.UTC().Truncate(time.Second),
		Ack: Ack{Contiguous: h.Ack.Contiguous, Later: later, BundleID: h.Ack.BundleID, Resend: h.Ack.Resend},
	}, nil
}

// head returns the bytes before payload.age: the manifest padded so that
// manifest, signature and the three headers fill headerRoom exactly.
func (m *Manifest) head(k *Keys) ([]byte, error) {
	mtime := m.Created
	probe := sign(k, nil, m.trustedComment(), "unit "+m.Sender.Unit)
	sigRoom := int64(len(probe)) + ustar.Pad(int64(len(probe)))
	manifest, err := m.marshal(int(headerRoom - 3*ustar.BlockSize - sigRoom))
	if err != nil {
		return nil, err
	}
	sig := sign(k, manifest, m.trustedComment(), "unit "+m.Sender.Unit)
	out := make([]byte, 0, headerRoom)
	if out, err = appendMember(out, memberManifest, manifest, mtime); err != nil {
		return nil, err
	}
	if out, err = appendMember(out, memberSignature, sig, mtime); err != nil {
		return nil, err
	}
	ph, err := ustar.Header(memberPayload, m.Payload.Size, mtime)
	if err != nil {
		return nil, err
	}
	out = append(out, ph[:]...)
	if len(out) != headerRoom {
		return nil, fmt.Errorf("bundle: head is %d bytes, want %d", len(out), headerRoom)
	}
	return out, nil
}

// tooBig is the refusal of a payload over the ustar size limit.
func tooBig() error {
	return refuse.New(refuse.Oversized, "内容超过 8 GiB，请分批导出", "the payload is over 8 GiB; export in smaller batches")
}

// writeErr turns a write failure into a bilingual message; refusals,
// cancellation and nil pass through.
func writeErr(err error) error {
	var r *refuse.Error
	switch {
	case err == nil, errors.As(err, &r), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, splitfile.ErrReadBack):
		return refuse.Wrap(refuse.Damaged, err, "写入后读回的内容与写入的不同，U 盘可能有问题，请换一个重试", "what was read back after writing differs from what was written; the stick may be faulty, try another")
	case errors.Is(err, splitfile.ErrTooManyParts):
		return refuse.Wrap(refuse.Oversized, err, "超过 64 个分卷，请分批导出", "more than 64 parts; export in smaller batches")
	}
	return fmt.Errorf("写入失败（U 盘已满或被拔出？） / writing failed (stick full or removed?): %w", err)
}

// ctxReader stops a copy when its context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// progress reports bytes written out of the expected file size. Each
// window is read back from the medium while the next ones are written, so
// writing is the whole job but for the last windows.
type progress struct {
	fn       func(done, total int64)
	estimate int64 // expected file size
	last     int64
}

const progressStep = 1 << 20

func (p *progress) writing(n int64) {
	if p.fn == nil {
		return
	}
	if written := n + headerRoom; written-p.last >= progressStep {
		p.last = written
		p.fn(written, max(p.estimate, written+trailerSize))
	}
}

func (p *progress) finish(size int64) {
	if p.fn != nil {
		p.fn(size, size)
	}
}
