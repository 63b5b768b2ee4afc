// Package seal holds the authenticated-encryption building blocks of the
// sealed store: a chunked AEAD stream (the STREAM construction, as in age,
// with XChaCha20-Poly1305 or AES-256-GCM) and small one-shot seals.
package seal

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"runtime"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/sys/cpu"
)

// Cipher names the AEAD a stream is sealed with; the value is what file
// headers record.
type Cipher byte

const (
	// XChaCha20Poly1305 is fast everywhere and constant-time in software.
	XChaCha20Poly1305 Cipher = 0
	// AES256GCM is about twice as fast where the processor has AES and
	// carry-less multiply instructions, and neither fast nor constant-time
	// where it has not.
	AES256GCM Cipher = 1
)

// Fastest returns the cipher to seal new files with on this processor:
// AES-256-GCM where it has AES and carry-less multiply instructions (x86-64
// with AES-NI and PCLMULQDQ, ARMv8 with its crypto extension: nearly every
// office PC and domestic arm64 machine), else XChaCha20-Poly1305, since
// AES in software is slow and not constant-time.
func Fastest() Cipher {
	switch runtime.GOARCH {
	case "amd64":
		if cpu.X86.HasAES && cpu.X86.HasPCLMULQDQ {
			return AES256GCM
		}
	case "arm64":
		if cpu.ARM64.HasAES && cpu.ARM64.HasPMULL {
			return AES256GCM
		}
	}
	return XChaCha20Poly1305
}

// aead is what a stream needs of its cipher.
type aead interface {
	NonceSize() int
	Overhead() int
	Seal(dst, nonce, plaintext, ad []byte) []byte
	Open(dst, nonce, ciphertext, ad []byte) ([]byte, error)
}

// newAEAD returns cipher c under a 32-byte key.
func newAEAD(c Cipher, key []byte) (aead, error) {
	switch c {
	case XChaCha20Poly1305:
		return chacha20poly1305.NewX(key)
	case AES256GCM:
		if len(key) != 32 {
			return nil, errors.New("seal: AES-256-GCM needs a 32-byte key")
		}
		b, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		return cipher.NewGCM(b)
	}
	return nil, errors.New("seal: unknown cipher")
}

// ChunkSize is the plaintext size of every chunk but the last.
const ChunkSize = 64 * 1024

// PrefixSize is the size of the random nonce prefix of a stream.
const PrefixSize = 16

// ErrAuth reports ciphertext that does not authenticate: the data was
// changed, truncated, or belongs to another file or key.
var ErrAuth = errors.New("authentication failed")

// DeriveKey derives a 32-byte sub-key from a master key for one purpose.
func DeriveKey(master []byte, salt []byte, info string) []byte {
	k, err := hkdf.Key(sha256.New, master, salt, info, chacha20poly1305.KeySize)
	if err != nil {
		panic("seal: hkdf: " + err.Error()) // only fails for absurd lengths
	}
	return k
}

// NewPrefix returns a fresh random nonce prefix.
func NewPrefix() []byte {
	p := make([]byte, PrefixSize)
	if _, err := rand.Read(p); err != nil {
		panic("seal: no randomness: " + err.Error())
	}
	return p
}

// chunkNonce is the nonce of a chunk: the start of the prefix (all of it
// for XChaCha20-Poly1305's 24 bytes, 4 bytes for AES-GCM's 12, whose keys
// are never used for two streams), the chunk counter (7 bytes, big-endian)
// and the last-chunk flag.
func chunkNonce(size int, prefix []byte, counter uint64, last bool) []byte {
	n := make([]byte, size)
	copy(n, prefix[:size-8])
	var c [8]byte
	binary.BigEndian.PutUint64(c[:], counter)
	copy(n[size-8:size-1], c[1:])
	if last {
		n[size-1] = 1
	}
	return n
}

// Writer encrypts a stream chunk by chunk. Close must be called to write
// the final chunk.
type Writer struct {
	w       io.Writer
	aead    aead
	prefix  []byte
	ad      []byte
	buf     []byte
	out     []byte
	counter uint64
	closed  bool
}

// NewWriter returns a Writer sealing to w with cipher c under key, with
// the given nonce prefix and associated data (bound into every chunk).
// AES-256-GCM needs a key used for this stream only.
func NewWriter(w io.Writer, c Cipher, key, prefix, ad []byte) (*Writer, error) {
	a, err := newAEAD(c, key)
	if err != nil {
		return nil, err
	}
	return &Writer{w: w, aead: a, prefix: prefix, ad: ad, buf: make([]byte, 0, ChunkSize),
		out: make([]byte, 0, ChunkSize+a.Overhead())}, nil
}

// Write buffers p and seals every full chunk.
func (s *Writer) Write(p []byte) (int, error) {
	if s.closed {
		return 0, errors.New("seal: write after close")
	}
	n := 0
	for len(p) > 0 {
		// A full buffer is flushed only when more data follows, so the
		// final chunk is never empty unless the whole stream is.
		if len(s.buf) == ChunkSize {
			if err := s.flush(false); err != nil {
				return n, err
			}
		}
		k := copy(s.buf[len(s.buf):ChunkSize], p)
		s.buf = s.buf[:len(s.buf)+k]
		p = p[k:]
		n += k
	}
	return n, nil
}

func (s *Writer) flush(last bool) error {
	s.out = s.aead.Seal(s.out[:0], chunkNonce(s.aead.NonceSize(), s.prefix, s.counter, last), s.buf, s.ad)
	s.counter++
	s.buf = s.buf[:0]
	_, err := s.w.Write(s.out)
	return err
}

// Close seals the final chunk. It does not close the underlying writer.
func (s *Writer) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	return s.flush(true)
}

// Reader decrypts a stream written by Writer. Any change, reordering or
// truncation yields ErrAuth.
type Reader struct {
	r       *bufio.Reader
	aead    aead
	prefix  []byte
	ad      []byte
	in      []byte
	plain   []byte
	pos     int
	counter uint64
	done    bool
	err     error
}

// NewReader returns a Reader opening the stream in r, sealed with cipher c.
func NewReader(r io.Reader, c Cipher, key, prefix, ad []byte) (*Reader, error) {
	a, err := newAEAD(c, key)
	if err != nil {
		return nil, err
	}
	full := ChunkSize + a.Overhead()
	return &Reader{r: bufio.NewReaderSize(r, full+1), aead: a, prefix: prefix, ad: ad,
		in: make([]byte, full)}, nil
}

// Read returns decrypted bytes; it returns an error wrapping ErrAuth when
// the stream is damaged.
func (s *Reader) Read(p []byte) (int, error) {
	for s.pos == len(s.plain) {
		if s.err != nil {
			return 0, s.err
		}
		if s.done {
			return 0, io.EOF
		}
		s.err = s.next()
	}
	n := copy(p, s.plain[s.pos:])
	s.pos += n
	return n, nil
}

// next opens one sealed chunk; a chunk is the last one when nothing
// follows it.
func (s *Reader) next() error {
	n, err := io.ReadFull(s.r, s.in)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return err
	}
	last := n < len(s.in)
	if !last {
		if _, perr := s.r.Peek(1); perr == io.EOF {
			last = true
		} else if perr != nil {
			return perr
		}
	}
	if n < s.aead.Overhead() {
		return ErrAuth
	}
	plain, oerr := s.aead.Open(s.plain[:0], chunkNonce(s.aead.NonceSize(), s.prefix, s.counter, last), s.in[:n], s.ad)
	if oerr != nil {
		return ErrAuth
	}
	s.counter++
	s.plain, s.pos, s.done = plain, 0, last
	return nil
}
