// Package seal holds the authenticated-encryption building blocks of the
// sealed store: a chunked XChaCha20-Poly1305 stream (the STREAM
// construction, as in age) and small one-shot seals.
package seal

import (
	"bufio"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
)

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

func chunkNonce(prefix []byte, counter uint64, last bool) []byte {
	n := make([]byte, chacha20poly1305.NonceSizeX)
	copy(n, prefix)
	var c [8]byte
	binary.BigEndian.PutUint64(c[:], counter)
	copy(n[PrefixSize:PrefixSize+7], c[1:])
	if last {
		n[PrefixSize+7] = 1
	}
	return n
}

// Writer encrypts a stream chunk by chunk. Close must be called to write
// the final chunk.
type Writer struct {
	w    io.Writer
	aead interface {
		Seal(dst, nonce, plaintext, ad []byte) []byte
	}
	prefix  []byte
	ad      []byte
	buf     []byte
	out     []byte
	counter uint64
	closed  bool
}

// NewWriter returns a Writer sealing to w under key, with the given nonce
// prefix and associated data (bound into every chunk).
func NewWriter(w io.Writer, key, prefix, ad []byte) (*Writer, error) {
	a, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	return &Writer{w: w, aead: a, prefix: prefix, ad: ad, buf: make([]byte, 0, ChunkSize),
		out: make([]byte, 0, ChunkSize+chacha20poly1305.Overhead)}, nil
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
	s.out = s.aead.Seal(s.out[:0], chunkNonce(s.prefix, s.counter, last), s.buf, s.ad)
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
	r    *bufio.Reader
	aead interface {
		Open(dst, nonce, ciphertext, ad []byte) ([]byte, error)
	}
	prefix  []byte
	ad      []byte
	in      []byte
	plain   []byte
	pos     int
	counter uint64
	done    bool
	err     error
}

// NewReader returns a Reader opening the stream in r.
func NewReader(r io.Reader, key, prefix, ad []byte) (*Reader, error) {
	a, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	full := ChunkSize + chacha20poly1305.Overhead
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
	if n < chacha20poly1305.Overhead {
		return ErrAuth
	}
	plain, oerr := s.aead.Open(s.plain[:0], chunkNonce(s.prefix, s.counter, last), s.in[:n], s.ad)
	if oerr != nil {
		return ErrAuth
	}
	s.counter++
	s.plain, s.pos, s.done = plain, 0, last
	return nil
}
