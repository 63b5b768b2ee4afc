package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"aead.dev/minisign"

	"mediadesk/sync/internal/frames"
	"mediadesk/sync/internal/refuse"
	"mediadesk/sync/internal/splitfile"
	"mediadesk/sync/internal/ustar"
)

// Format versions this build writes and reads.
const (
	// FormatVersion is the bundle and enrollment format version written.
	FormatVersion = 1
	// ReaderVersion is the highest min_reader_version this build reads.
	ReaderVersion = 1
)

// Limits of the format (docs/bundle-format.md §3–4).
const (
	maxManifest  = 64 << 10
	maxSignature = 4 << 10
	maxLater     = 128
	// MaxPayload is the largest payload.age (the ustar size limit).
	MaxPayload = ustar.MaxSize
	// MinPartSize is the smallest part size Write accepts.
	MinPartSize = 64 << 10
	// DefaultPartSize is the part size Write uses when given none.
	DefaultPartSize = 1 << 30
)

// Member names of a bundle, in order.
const (
	memberManifest  = "manifest.json"
	memberSignature = "manifest.json.minisig"
	memberPayload   = "payload.age"
	bundleFormat    = "mediadesk-bundle"
)

// Kind says what a bundle is for.
type Kind string

// The kinds of bundle.
const (
	// KindData is ordinary sync: records and acks.
	KindData Kind = "data"
	// KindRegistration is a new station's first bundle to HQ, signed by
	// the key it carries; HQ trusts it after comparing fingerprints.
	KindRegistration Kind = "registration"
)

// Manifest is the signed description of a bundle (docs/bundle-format.md §4).
type Manifest struct {
	Format           string           `json:"format"`
	Version          int              `json:"version"`
	MinReaderVersion int              `json:"min_reader_version"`
	BundleID         string           `json:"bundle_id"`
	Kind             Kind             `json:"kind"`
	Sender           Sender           `json:"sender"`
	Receiver         Receiver         `json:"receiver"`
	Sequence         int64            `json:"sequence"`
	Created          time.Time        `json:"created"`
	Ack              Ack              `json:"ack"`
	Payload          PayloadInfo      `json:"payload"`
	Counts           map[string]int64 `json:"counts"`
	Parts            []PartInfo       `json:"parts"`
}

// Sender names the sending unit and its public keys.
type Sender struct {
	Unit     string `json:"unit"`
	KeyID    string `json:"key_id"`
	Minisign string `json:"minisign"`
	Age      string `json:"age"`
}

// Receiver names the receiving unit and the recipient the payload is
// encrypted to.
type Receiver struct {
	Unit string `json:"unit"`
	Age  string `json:"age"`
}

// Ack says which of the receiver's bundles the sender has applied: all up
// to Contiguous, and the later ones listed. BundleID, when set, is the
// bundle_id of the receiver's bundle numbered Contiguous as it was
// applied: a receiver restored from an older backup, which numbered
// another bundle the same, learns that the ack is not of its bundle.
// Resend says the sender was restored and may lack what the receiver
// sent it: the receiver sends all its records again.
type Ack struct {
	Contiguous int64   `json:"contiguous"`
	Later      []int64 `json:"later"`
	BundleID   string  `json:"bundle_id,omitempty"`
	Resend     bool    `json:"resend,omitempty"`
}

// PayloadInfo describes payload.age and what it holds.
type PayloadInfo struct {
	Size            int64  `json:"size"`
	SHA256          string `json:"sha256"`
	Records         int64  `json:"records"`
	Attachments     int64  `json:"attachments"`
	AttachmentBytes int64  `json:"attachment_bytes"`
}

// PartInfo describes one part file; SHA256 is set from part 2 on.
type PartInfo struct {
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
}

// FileName returns a bundle's file name: <sender>-to-<receiver>-<seq>
// with seq zero-padded to 6 digits, or …-registration for a registration.
func FileName(kind Kind, sender, receiver string, seq int64) string {
	if kind == KindRegistration {
		return fmt.Sprintf("%s-to-%s-registration.mdbundle", sender, receiver)
	}
	return fmt.Sprintf("%s-to-%s-%06d.mdbundle", sender, receiver, seq)
}

// PartPath returns the path of part k (1-based) of the bundle whose first
// part is at first.
func PartPath(first string, k int) string { return splitfile.PartName(first, k) }

// ValidUnitID reports whether s is a unit id: 1–64 of a-z 0-9 _ -,
// starting with a letter or digit.
func ValidUnitID(s string) bool { return frames.ValidUnitID(s) }

// FileName returns the canonical file name of the bundle m describes.
func (m *Manifest) FileName() string {
	return FileName(m.Kind, m.Sender.Unit, m.Receiver.Unit, m.Sequence)
}

// trustedComment is the signed comment binding the signature to this
// bundle's id and name.
func (m *Manifest) trustedComment() string {
	return fmt.Sprintf("%s v%d id:%s file:%s", bundleFormat, FormatVersion, m.BundleID, m.FileName())
}

// marshal returns the manifest as written: indented JSON, LF, then spaces
// up to size bytes (the header room, docs/bundle-format.md §3.2).
func (m *Manifest) marshal(size int) ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	b = append(b, '\n')
	if len(b) > size {
		return nil, refuse.New(refuse.InvalidInput, "清单超出预留空间", "the manifest does not fit its room")
	}
	return append(b, bytes.Repeat([]byte{' '}, size-len(b))...), nil
}

// signer is what is read of manifest.json before its signature is
// checked (docs/bundle-format.md §5): what the file is and who signed it.
type signer struct {
	Format           string `json:"format"`
	MinReaderVersion int    `json:"min_reader_version"`
	Sender           Sender `json:"sender"`
}

// openManifest checks manifest.json b against its signature sig and
// returns it decoded, with the sender's keys. Before the signature only
// the JSON syntax (one object, an LF, then only spaces) and the signer
// fields are read; the rest is decoded once the signature verifies, so
// that a changed byte anywhere else (a time, a number) is a bad
// signature, and a signed value of the wrong type a bad manifest. The
// values themselves are for validate.
func openManifest(b, sig []byte) (*Manifest, PublicKeys, error) {
	end := bytes.LastIndexByte(b, '}')
	rest := b[end+1:]
	if end < 0 || len(rest) == 0 || rest[0] != '\n' || len(bytes.Trim(rest[1:], " ")) != 0 {
		return nil, PublicKeys{}, refuse.New(refuse.Damaged, "manifest.json 格式不对", "manifest.json is not one JSON object")
	}
	obj := b[:end+1]
	if !json.Valid(obj) {
		return nil, PublicKeys{}, refuse.New(refuse.Damaged, "manifest.json 不是有效的 JSON", "manifest.json is not valid JSON")
	}
	var s signer
	if err := json.Unmarshal(obj, &s); err != nil {
		return nil, PublicKeys{}, refuse.Wrap(refuse.BadSignature, err, "无法读取清单中的发送方", "the manifest's sender cannot be read")
	}
	if s.Format != bundleFormat {
		return nil, PublicKeys{}, refuse.New(refuse.NotBundle, "", "")
	}
	if s.MinReaderVersion > ReaderVersion {
		return nil, PublicKeys{}, refuse.New(refuse.NewerFormat, fmt.Sprintf("需要读取版本 %d", s.MinReaderVersion), fmt.Sprintf("needs reader version %d", s.MinReaderVersion))
	}
	sender, err := ParsePublicKeys(s.Sender.Minisign, s.Sender.Age)
	if err != nil {
		return nil, PublicKeys{}, refuse.Wrap(refuse.BadSignature, err, "清单中的发送方公钥无效", "the manifest's sender key is invalid")
	}
	trusted, err := verifySignature(sender, s.Sender.KeyID, b, sig)
	if err != nil {
		return nil, PublicKeys{}, err
	}
	var m Manifest
	if err := json.Unmarshal(obj, &m); err != nil {
		return nil, PublicKeys{}, refuse.Wrap(refuse.BadManifest, err, "清单中有类型不对的值", "a manifest value has the wrong type: "+err.Error())
	}
	if err := checkComment(trusted, m.trustedComment()); err != nil {
		return nil, PublicKeys{}, err
	}
	return &m, sender, nil
}

// sign returns the minisign signature of msg with the trusted comment.
func sign(k *Keys, msg []byte, trusted, who string) []byte {
	r := minisign.NewReader(bytes.NewReader(msg))
	io.Copy(io.Discard, r)
	return r.SignWithComments(k.sign, trusted, fmt.Sprintf("signature from mediadesk %s, key %s", who, k.public.KeyID()))
}

// verifySignature checks sig over msg: canonical minisign text, the
// pre-hashed algorithm, key id and both signatures. It returns the
// trusted comment, for checkComment once the caller has decoded the
// signed values it names. The refusal is always ErrBadSignature.
func verifySignature(pub PublicKeys, keyID string, msg, sig []byte) (string, error) {
	bad := func(zh, en string) (string, error) { return "", refuse.New(refuse.BadSignature, zh, en) }
	var s minisign.Signature
	if err := s.UnmarshalText(sig); err != nil {
		return bad("签名文件格式不对", "the signature file is malformed")
	}
	if again, err := s.MarshalText(); err != nil || !bytes.Equal(again, sig) {
		return bad("签名文件格式不对", "the signature file is not in canonical form")
	}
	if s.Algorithm != minisign.HashEdDSA {
		return bad("签名算法不对", "not a pre-hashed (ED) minisign signature")
	}
	if keyID != pub.KeyID() || fmt.Sprintf("%016X", s.KeyID) != keyID {
		return bad("签名所用的密钥不是清单所列的发送方密钥", "signed by another key than the sender key the manifest names")
	}
	if !minisign.Verify(pub.sign, msg, sig) {
		return bad("签名验证失败", "the signature does not verify")
	}
	return s.TrustedComment, nil
}

// checkComment refuses a verified signature whose trusted comment is not
// want, the one computed from the signed values.
func checkComment(trusted, want string) error {
	if trusted != want {
		return refuse.New(refuse.BadSignature, "签名的可信注释与文件不符", "the signed comment names another file")
	}
	return nil
}

// validate checks a signed manifest's values (docs/bundle-format.md §4).
func (m *Manifest) validate() error {
	bad := func(zh, en string) error { return refuse.New(refuse.BadManifest, zh, en) }
	if m.Format != bundleFormat {
		return refuse.New(refuse.NotBundle, "", "")
	}
	if m.MinReaderVersion > ReaderVersion {
		return refuse.New(refuse.NewerFormat, fmt.Sprintf("需要读取版本 %d", m.MinReaderVersion), fmt.Sprintf("needs reader version %d", m.MinReaderVersion))
	}
	if m.Version < 1 || m.MinReaderVersion < 1 || m.MinReaderVersion > m.Version {
		return bad("版本号无效", "bad version numbers")
	}
	if !validUUIDv7(m.BundleID) {
		return bad("编号不是 UUIDv7", "bundle_id is not a UUIDv7")
	}
	switch {
	case m.Kind != KindData && m.Kind != KindRegistration:
		return bad("未知的类型 "+refuse.Quote(string(m.Kind)), "unknown kind "+refuse.Quote(string(m.Kind)))
	case m.Kind == KindData && m.Sequence < 1, m.Kind == KindRegistration && m.Sequence != 0:
		return bad("序号无效", "bad sequence number for the kind")
	case !ValidUnitID(m.Sender.Unit) || !ValidUnitID(m.Receiver.Unit) || m.Sender.Unit == m.Receiver.Unit:
		return bad("发送或接收单位无效", "bad sender or receiver unit")
	case m.Created.IsZero():
		return bad("缺少生成时间", "no created time")
	}
	if _, err := ParsePublicKeys(m.Sender.Minisign, m.Sender.Age); err != nil {
		return bad("发送方公钥无效", "bad sender keys")
	}
	if !validRecipient(m.Receiver.Age) {
		return bad("接收方公钥无效", "bad receiver recipient")
	}
	if err := m.Ack.validate(); err != nil {
		return err
	}
	return m.validateContent()
}

// validate checks an ack: contiguous ≥ 0, later strictly increasing
// above contiguous + 1, at most 128 of them, and a bundle id only with a
// contiguous ≥ 1, as a UUIDv7.
func (a Ack) validate() error {
	bad := refuse.New(refuse.BadManifest, "确认号无效", "bad ack")
	if a.Contiguous < 0 || len(a.Later) > maxLater {
		return bad
	}
	if a.BundleID != "" && (a.Contiguous < 1 || !validUUIDv7(a.BundleID)) {
		return bad
	}
	prev := a.Contiguous + 1
	for _, s := range a.Later {
		if s <= prev {
			return bad
		}
		prev = s
	}
	return nil
}

// validateContent checks payload, counts and parts.
func (m *Manifest) validateContent() error {
	bad := func(zh, en string) error { return refuse.New(refuse.BadManifest, zh, en) }
	p := m.Payload
	if _, ok := frames.ParseHash(p.SHA256); !ok || p.Size < 0 || p.Size > MaxPayload ||
		p.Records < 0 || p.Attachments < 0 || p.AttachmentBytes < 0 {
		return bad("内容大小或哈希无效", "bad payload size or hash")
	}
	if len(m.Counts) > frames.MaxTypes {
		return bad("记录类型超过 64 种", "more than 64 record types")
	}
	var total int64
	for t, n := range m.Counts {
		if !frames.ValidType(t) || n < 1 {
			return bad("记录计数无效", "bad record counts")
		}
		total += n
	}
	if total != p.Records {
		return bad("记录计数与总数不符", "record counts do not add up")
	}
	if len(m.Parts) == 0 || len(m.Parts) > splitfile.MaxParts {
		return bad("分卷数无效", "bad number of parts")
	}
	for k, part := range m.Parts {
		_, ok := frames.ParseHash(part.SHA256)
		if part.Size < 1 || (k == 0) != (part.SHA256 == "") || (k > 0 && !ok) {
			return bad(fmt.Sprintf("第 %d 卷的描述无效", k+1), fmt.Sprintf("bad description of part %d", k+1))
		}
	}
	return nil
}
