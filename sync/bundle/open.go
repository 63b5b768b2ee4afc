package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"path/filepath"

	"mediadesk/sync/internal/refuse"
	"mediadesk/sync/internal/splitfile"
)

// SignerLookup finds the registered signing key of a unit by key id:
// ok false when that unit has no such key, revoked true when it was
// revoked.
type SignerLookup func(unit, keyID string) (pub PublicKeys, revoked, ok bool)

// OpenOptions say what Open checks beyond the file itself.
type OpenOptions struct {
	// Receiver, if set, is this unit's id: a bundle for another unit is
	// refused.
	Receiver string
	// Signers, if set, must know the signing key as the sender unit's,
	// unrevoked. Without it (and without Registration) only the file's
	// own consistency is checked, and Records refuses to run.
	Signers SignerLookup
	// Registration expects a registration bundle (HQ registering a new
	// station): its signature is checked against the key it carries,
	// whose fingerprint the caller shows. Data bundles are then refused,
	// as registrations are refused when Registration is false and Signers
	// is set.
	Registration bool
	// Progress, if set, is called with bytes checked of the payload pass.
	Progress func(done, total int64)
}

// Bundle is an opened, checked bundle. Close it when done.
type Bundle struct {
	m          Manifest
	set        *splitfile.Set
	payloadOff int64
	verified   bool
}

// Open opens the bundle whose first part is at path (later parts are
// found next to it as path.part2, …) and checks it (docs/bundle-format.md
// §7): container, manifest, signature, receiver and signer per opts,
// parts, payload and part hashes. It reads but never writes.
func Open(ctx context.Context, path string, opts OpenOptions) (*Bundle, error) {
	if err := notLaterPart(path); err != nil {
		return nil, err
	}
	first, err := openFile(path, 1)
	if err != nil {
		return nil, err
	}
	return openParts(ctx, first, func(k int) (splitfile.Part, error) {
		return openFile(PartPath(path, k), k)
	}, opts)
}

// IsLaterPart reports whether path names part 2 or later of a split
// bundle (an import of a whole folder skips those: opening part 1 reads
// them), and returns part 1's path.
func IsLaterPart(path string) (first string, ok bool) {
	first, _, ok = splitfile.ParsePartName(path)
	return first, ok
}

// notLaterPart refuses a later part given where part 1 belongs.
func notLaterPart(path string) error {
	first, ok := IsLaterPart(path)
	if !ok {
		return nil
	}
	name := filepath.Base(first)
	return refuse.InFile(refuse.New(refuse.NotBundle, "这是分卷文件，请打开第一卷 "+name, "this is a later part; open "+name), filepath.Base(path))
}

// openFile opens part k of a bundle; a missing later part is refused as
// such.
func openFile(path string, k int) (splitfile.Part, error) {
	p, err := splitfile.OpenPart(path)
	switch {
	case err == nil:
		return p, nil
	case k > 1 && errors.Is(err, fs.ErrNotExist):
		return p, refuse.New(refuse.MissingPart, "缺少 "+filepath.Base(path), filepath.Base(path)+" is missing")
	}
	return p, fmt.Errorf("无法打开 %s / cannot open %s: %w", filepath.Base(path), filepath.Base(path), err)
}

// ReadManifest checks a bundle's container, manifest and signature
// (against the key it names) without reading the payload or other parts,
// and returns the manifest: for `inspect`, and to see a file's kind and
// sender before opening it for real.
func ReadManifest(path string) (*Manifest, error) {
	if err := notLaterPart(path); err != nil {
		return nil, err
	}
	first, err := openFile(path, 1)
	if err != nil {
		return nil, err
	}
	defer first.C.Close()
	h, err := readBundleHead(first)
	if err != nil {
		return nil, err
	}
	m := h.m
	return &m, nil
}

// bundleHead is what part 1's head holds.
type bundleHead struct {
	m          Manifest
	sender     PublicKeys
	payloadOff int64
	end        int64 // the archive's length, from the tar headers
}

// readBundleHead reads and checks the head of part 1: members, manifest
// syntax and version, signature, manifest values.
func readBundleHead(first splitfile.Part) (*bundleHead, error) {
	members, off, err := readHead(first.R, first.Size, []slot{
		{memberManifest, maxManifest, true},
		{memberSignature, maxSignature, true},
		{memberPayload, MaxPayload, false},
	})
	if err != nil {
		return nil, refuse.InFile(err, first.Name)
	}
	h, err := checkHead(members, off)
	return h, refuse.InFile(err, first.Name)
}

func checkHead(members []member, off int64) (*bundleHead, error) {
	m, sender, err := openManifest(members[0].data, members[1].data)
	if err != nil {
		return nil, err
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	payload := members[2]
	if m.Payload.Size != payload.size {
		return nil, refuse.New(refuse.BadManifest, "清单中的内容大小与文件不符", "the manifest's payload size differs from the file's")
	}
	return &bundleHead{m: *m, sender: sender, payloadOff: payload.off, end: off + trailerSize}, nil
}

// openParts is Open over parts: first, then more(k) for k = 2, 3, ….
func openParts(ctx context.Context, first splitfile.Part, more func(k int) (splitfile.Part, error), opts OpenOptions) (*Bundle, error) {
	h, err := readBundleHead(first)
	if err == nil {
		err = refuse.InFile(h.trust(opts), first.Name)
	}
	var parts []splitfile.Part
	if err == nil {
		parts, err = h.openMore(first, more)
	}
	if err != nil {
		if first.C != nil {
			first.C.Close()
		}
		return nil, err
	}
	b := &Bundle{m: h.m, set: splitfile.NewSet(parts), payloadOff: h.payloadOff,
		verified: opts.Registration || opts.Signers != nil}
	if err := b.checkContent(ctx, opts.Progress); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// trust applies the receiver, kind and signer checks of opts.
func (h *bundleHead) trust(opts OpenOptions) error {
	m := &h.m
	if opts.Receiver != "" && m.Receiver.Unit != opts.Receiver {
		return refuse.New(refuse.WrongReceiver, "接收单位是 "+m.Receiver.Unit, "addressed to "+m.Receiver.Unit)
	}
	switch {
	case opts.Registration && m.Kind != KindRegistration:
		return refuse.New(refuse.WrongKind, "这是同步包，不是所队的注册包：请在「同步」页点“导入同步包”导入", "this is a sync bundle, not a station's registration bundle: import it on the Sync page with “Import sync bundles”")
	case opts.Registration:
		return nil
	case m.Kind == KindRegistration && opts.Signers != nil:
		return refuse.New(refuse.WrongKind, "这是所队的注册包：请在「所队」页点“导入注册包”导入（命令行：mediadesk hq register）", "this is a station's registration bundle: import it on the Stations and teams page with “Import registration” (command line: mediadesk hq register)")
	case opts.Signers == nil:
		return nil
	}
	pub, revoked, ok := opts.Signers(m.Sender.Unit, m.Sender.KeyID)
	switch {
	case !ok:
		return refuse.New(refuse.UnknownSigner, m.Sender.Unit+" 的密钥 "+m.Sender.KeyID, "key "+m.Sender.KeyID+" of "+m.Sender.Unit)
	case revoked:
		return refuse.New(refuse.RevokedSigner, m.Sender.Unit+" 的密钥 "+m.Sender.KeyID, "key "+m.Sender.KeyID+" of "+m.Sender.Unit)
	case !pub.sign.Equal(h.sender.sign):
		return refuse.New(refuse.UnknownSigner, m.Sender.Unit+" 登记的是另一把密钥", "another key is registered for "+m.Sender.Unit)
	}
	return nil
}

// openMore checks part 1's size and opens the later parts the manifest
// lists, checking theirs.
func (h *bundleHead) openMore(first splitfile.Part, more func(k int) (splitfile.Part, error)) ([]splitfile.Part, error) {
	var total int64
	for _, p := range h.m.Parts {
		total += p.Size
	}
	if total != h.end {
		return nil, refuse.InFile(refuse.New(refuse.BadManifest, "分卷大小之和与文件结构不符", "the part sizes do not add up to the archive"), first.Name)
	}
	parts := []splitfile.Part{first}
	for k, want := range h.m.Parts {
		p := first
		if k > 0 {
			var err error
			if p, err = more(k + 1); err != nil {
				splitfile.NewSet(parts[1:]).Close()
				return nil, err
			}
			parts = append(parts, p)
		}
		if err := sizeCheck(p, want.Size); err != nil {
			splitfile.NewSet(parts[1:]).Close()
			return nil, err
		}
	}
	return parts, nil
}

// sizeCheck compares a part's size with the manifest's.
func sizeCheck(p splitfile.Part, want int64) error {
	switch {
	case p.Size < want:
		return refuse.InFile(refuse.New(refuse.Truncated, fmt.Sprintf("应有 %d 字节，只有 %d", want, p.Size), fmt.Sprintf("%d bytes of %d", p.Size, want)), p.Name)
	case p.Size > want:
		return refuse.InFile(refuse.New(refuse.Damaged, fmt.Sprintf("应有 %d 字节，多出 %d", want, p.Size-want), fmt.Sprintf("%d bytes more than the %d expected", p.Size-want, want)), p.Name)
	}
	return nil
}

// checkContent reads everything after the head once: payload.age against
// its hash, the padding and end marker (all NUL), and parts 2… against
// theirs. Reading and part hashing run ahead in a goroutine.
func (b *Bundle) checkContent(ctx context.Context, report func(done, total int64)) error {
	parts := b.set.Parts()
	partHashes := make([]hash.Hash, len(parts))
	for k := 1; k < len(parts); k++ {
		partHashes[k] = sha256.New()
	}
	tapPos, k := b.payloadOff, 0
	tap := func(c []byte) {
		for len(c) > 0 {
			for k < len(parts)-1 && tapPos >= b.set.Start(k)+parts[k].Size {
				k++
			}
			n := min(int64(len(c)), b.set.Start(k)+parts[k].Size-tapPos)
			if partHashes[k] != nil {
				partHashes[k].Write(c[:n])
			}
			c, tapPos = c[n:], tapPos+n
		}
	}
	total := b.set.Size() - b.payloadOff
	src := newPrefetchReader(ctxReader{ctx, io.NewSectionReader(b.set.Bulk(), b.payloadOff, total)}, total, tap)
	defer src.Close()
	h := sha256.New()
	buf := make([]byte, 64<<10)
	var done int64
	for {
		n, err := src.Read(buf)
		tail := buf[:n]
		if done < b.m.Payload.Size {
			m := min(int64(n), b.m.Payload.Size-done)
			h.Write(tail[:m])
			tail = tail[m:]
		}
		if !allZero(tail) {
			return refuse.InFile(refuse.New(refuse.Damaged, "结尾的填充不是零", "bytes after the payload are not zero"), parts[b.set.Locate(b.payloadOff+done)].Name)
		}
		done += int64(n)
		if report != nil && n > 0 {
			report(done, total)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return refuse.InFile(readFailed(err), parts[0].Name)
		}
	}
	for k := 1; k < len(parts); k++ {
		if hex.EncodeToString(partHashes[k].Sum(nil)) != b.m.Parts[k].SHA256 {
			return refuse.InFile(refuse.New(refuse.Damaged, "分卷内容与清单所列哈希不符", "the part does not match its hash in the manifest"), parts[k].Name)
		}
	}
	if hex.EncodeToString(h.Sum(nil)) != b.m.Payload.SHA256 {
		return refuse.InFile(refuse.New(refuse.PayloadMismatch, "payload.age 的哈希不符", "hash of payload.age differs"), parts[0].Name)
	}
	return nil
}

// Manifest returns the bundle's checked manifest.
func (b *Bundle) Manifest() Manifest { return b.m }

// Files returns the names of the bundle's part files, part 1 first.
func (b *Bundle) Files() []string {
	var out []string
	for _, p := range b.set.Parts() {
		out = append(out, p.Name)
	}
	return out
}

// Close releases the files.
func (b *Bundle) Close() error { return b.set.Close() }
