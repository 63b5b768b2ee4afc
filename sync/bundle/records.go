package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"

	"filippo.io/age"

	"mediadesk/sync/internal/frames"
	"mediadesk/sync/internal/refuse"
)

// Records decrypts the payload with keys (the receiver's) and hands every
// record to onRecord, then every attachment to onAttachment, as they
// stream by (either may be nil). The payload header must repeat the
// manifest, the end line must match its counts, and the payload is
// hashed again on the way (the file may have changed since Open).
//
// A refusal can come after some records were handed over: apply them in
// one transaction and roll it back when Records returns an error. An
// error returned by a callback stops the reading and is returned as the
// caller's (errors.Is and errors.As see it), naming the bundle's file. A
// file that cannot be read to its end (a stick pulled out, a read error)
// is refused as truncated, to be copied again, not as altered.
func (b *Bundle) Records(ctx context.Context, keys *Keys, onRecord func(Record) error, onAttachment func(sum Hash, size int64, r io.Reader) error) error {
	name := b.set.Parts()[0].Name
	if !b.verified {
		return refuse.InFile(refuse.New(refuse.NotVerified, "", ""), name)
	}
	if keys.Public().Age() != b.m.Receiver.Age {
		return refuse.InFile(refuse.New(refuse.WrongKey, "", ""), name)
	}
	h := sha256.New()
	file := fileReader{io.NewSectionReader(b.set.Bulk(), b.payloadOff, b.m.Payload.Size)}
	src := newPrefetchReader(ctxReader{ctx, file}, b.m.Payload.Size, func(c []byte) { h.Write(c) })
	defer src.Close()
	plain, err := age.Decrypt(src, keys.age)
	if err != nil {
		return payloadErr(ctx, err, name, "无法解密", "cannot decrypt")
	}
	var callerErr error
	handler := frames.Handler{Header: b.checkPayloadHeader}
	if onRecord != nil {
		handler.Record = func(r frames.Record) error {
			callerErr = onRecord(Record(r))
			return callerErr
		}
	}
	if onAttachment != nil {
		handler.Attachment = func(sum [32]byte, size int64, r io.Reader) error {
			callerErr = onAttachment(sum, size, r)
			return callerErr
		}
	}
	sum, err := frames.Read(plain, handler)
	switch {
	case callerErr != nil:
		return callerError(callerErr, name)
	case err != nil:
		return payloadErr(ctx, err, name, "解密时发现内容被改动或不完整", "the payload is altered or incomplete")
	}
	if _, err := io.Copy(io.Discard, src); err != nil {
		return refuse.InFile(err, name) // fileReader's refusal, or cancellation
	}
	if hex.EncodeToString(h.Sum(nil)) != b.m.Payload.SHA256 {
		return refuse.InFile(refuse.New(refuse.PayloadMismatch, "打开之后文件被改动", "the file changed after it was opened"), name)
	}
	p := b.m.Payload
	if sum.Records != p.Records || sum.Attachments != p.Attachments || sum.AttachmentBytes != p.AttachmentBytes || !maps.Equal(sum.Counts, b.m.Counts) {
		return refuse.InFile(refuse.New(refuse.PayloadMismatch, "内容的计数与清单不符", "the payload's counts differ from the manifest's"), name)
	}
	return nil
}

// fileReader reads the bundle's files, turning their read errors (EIO, a
// stick pulled out, a file that shrank since Open) into truncated
// refusals on their way through age and frames, so that they are told
// from bytes that do not authenticate.
type fileReader struct{ r io.Reader }

func (f fileReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && err != io.EOF {
		err = readFailed(err)
	}
	return n, err
}

// readFailed is the refusal for a file that could not be read.
func readFailed(err error) error {
	return refuse.Wrap(refuse.Truncated, err, "读取失败（U 盘被拔出或有问题？）", "reading failed (stick removed or faulty?): "+err.Error())
}

// payloadErr returns the refusal, naming the file, for an error met while
// decrypting or reading the payload: cancellation as is; a refusal (a read
// error from fileReader, an invalid frame) as it is, even wrapped by age;
// anything else is a payload that does not authenticate, with zh and en.
func payloadErr(ctx context.Context, err error, name, zh, en string) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var r *refuse.Error
	if !errors.As(err, &r) {
		r = refuse.Wrap(refuse.PayloadMismatch, err, zh, en)
	}
	return refuse.InFile(r, name)
}

// callerError returns an error of onRecord or onAttachment as the
// caller's, naming the bundle's file: a bare refusal (the attachment
// reader's, returned unchanged) gets the file like any refusal, anything
// else is prefixed with it.
func callerError(err error, name string) error {
	if _, ok := err.(*refuse.Error); ok {
		return refuse.InFile(err, name)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// checkPayloadHeader compares the payload's header line with the manifest.
func (b *Bundle) checkPayloadHeader(h frames.Header) error {
	m := &b.m
	var zh, en string
	switch {
	case h.BundleID != m.BundleID:
		zh, en = "编号", "bundle id"
	case h.Kind != string(m.Kind):
		zh, en = "类型", "kind"
	case h.Sender != m.Sender.Unit:
		zh, en = "发送方 "+refuse.Quote(h.Sender), "sender "+refuse.Quote(h.Sender)
	case h.Receiver != m.Receiver.Unit:
		zh, en = "接收方 "+refuse.Quote(h.Receiver), "receiver "+refuse.Quote(h.Receiver)
	case h.Sequence != m.Sequence:
		zh, en = fmt.Sprintf("序号 %d", h.Sequence), fmt.Sprintf("sequence %d", h.Sequence)
	default:
		return nil
	}
	return refuse.New(refuse.HeaderMismatch, "内容抬头的"+zh+"与清单不同", "the payload header's "+en+" differs from the manifest")
}
