package seal

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"strconv"
	"testing"
)

// ciphers are the stream's ciphers, each test runs with both.
var ciphers = map[string]Cipher{"XChaCha20-Poly1305": XChaCha20Poly1305, "AES-256-GCM": AES256GCM}

func sealAll(t *testing.T, c Cipher, key, prefix, ad, plain []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, c, key, prefix, ad)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openAll(c Cipher, key, prefix, ad, sealed []byte) ([]byte, error) {
	r, err := NewReader(bytes.NewReader(sealed), c, key, prefix, ad)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func TestStreamRoundTripSizes(t *testing.T) {
	for name, c := range ciphers {
		key := make([]byte, 32)
		rand.Read(key)
		prefix := NewPrefix()
		for _, n := range []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 3*ChunkSize + 17, 4 * ChunkSize} {
			plain := make([]byte, n)
			rand.Read(plain)
			sealed := sealAll(t, c, key, prefix, []byte("ad"), plain)
			chunks := max(1, (n+ChunkSize-1)/ChunkSize)
			if len(sealed) != n+chunks*16 {
				t.Errorf("%s, size %d: sealed to %d bytes", name, n, len(sealed))
			}
			got, err := openAll(c, key, prefix, []byte("ad"), sealed)
			if err != nil {
				t.Fatalf("%s, size %d: %v", name, n, err)
			}
			if !bytes.Equal(got, plain) {
				t.Fatalf("%s, size %d: round trip differs", name, n)
			}
		}
	}
}

// TestStreamCiphersDiffer checks that a stream opens only with the cipher
// it was sealed with, so a header's cipher byte cannot be swapped.
func TestStreamCiphersDiffer(t *testing.T) {
	key := make([]byte, 32)
	rand.Read(key)
	prefix := NewPrefix()
	plain := []byte("汤阴县公安局")
	chacha := sealAll(t, XChaCha20Poly1305, key, prefix, nil, plain)
	gcm := sealAll(t, AES256GCM, key, prefix, nil, plain)
	if bytes.Equal(chacha, gcm) {
		t.Fatal("both ciphers sealed the same bytes")
	}
	if _, err := openAll(AES256GCM, key, prefix, nil, chacha); !errors.Is(err, ErrAuth) {
		t.Errorf("an XChaCha20-Poly1305 stream opened as AES-256-GCM: %v", err)
	}
	if _, err := openAll(XChaCha20Poly1305, key, prefix, nil, gcm); !errors.Is(err, ErrAuth) {
		t.Errorf("an AES-256-GCM stream opened as XChaCha20-Poly1305: %v", err)
	}
	if _, err := NewWriter(io.Discard, Cipher(7), key, prefix, nil); err == nil {
		t.Error("an unknown cipher was accepted")
	}
}

func TestStreamDetectsDamage(t *testing.T) {
	for name, c := range ciphers {
		t.Run(name, func(t *testing.T) { checkDamageDetected(t, c) })
	}
}

func checkDamageDetected(t *testing.T, c Cipher) {
	key := make([]byte, 32)
	rand.Read(key)
	prefix := NewPrefix()
	plain := make([]byte, 2*ChunkSize+100)
	sealed := sealAll(t, c, key, prefix, []byte("ad"), plain)
	full := ChunkSize + 16
	cases := map[string][]byte{
		"truncated at chunk boundary": sealed[:full],
		"truncated inside chunk":      sealed[:len(sealed)-5],
		"empty":                       nil,
		"extra byte":                  append(append([]byte{}, sealed...), 0),
	}
	for _, i := range []int{0, full - 1, full, len(sealed) - 1} {
		c := append([]byte{}, sealed...)
		c[i] ^= 0x01
		cases["flip@"+strconv.Itoa(i)] = c
	}
	swapped := append([]byte{}, sealed[full:2*full]...)
	swapped = append(swapped, sealed[:full]...)
	swapped = append(swapped, sealed[2*full:]...)
	cases["chunks reordered"] = swapped
	for name, damaged := range cases {
		if _, err := openAll(c, key, prefix, []byte("ad"), damaged); !errors.Is(err, ErrAuth) {
			t.Errorf("%s: got %v, want ErrAuth", name, err)
		}
	}
	if _, err := openAll(c, key, prefix, []byte("other ad"), sealed); !errors.Is(err, ErrAuth) {
		t.Errorf("wrong associated data accepted")
	}
}

func TestBox(t *testing.T) {
	key := make([]byte, 32)
	rand.Read(key)
	box := Seal(key, []byte("secret"), []byte("ad"))
	got, err := Open(key, box, []byte("ad"))
	if err != nil || string(got) != "secret" {
		t.Fatalf("open: %q %v", got, err)
	}
	box[len(box)-1] ^= 1
	if _, err := Open(key, box, []byte("ad")); !errors.Is(err, ErrAuth) {
		t.Fatalf("damaged box opened: %v", err)
	}
}

// TestSealInPlace: a box sealed where its plaintext lies opens like one
// from Seal, uses no new buffer, and a box without room is refused.
func TestSealInPlace(t *testing.T) {
	key := make([]byte, 32)
	rand.Read(key)
	for _, n := range []int{0, 1, 4096, 1 << 20} {
		plain := bytes.Repeat([]byte("平安"), n/6+1)[:n]
		buf := make([]byte, 5+NonceSize, 5+NonceSize+n+TagSize)
		buf = append(buf, plain...)
		box := SealInPlace(key, buf[5:], []byte("ad"))
		if len(box) != n+Overhead || &box[0] != &buf[5] {
			t.Fatalf("%d bytes: box of %d bytes, or not in place", n, len(box))
		}
		if got, err := Open(key, box, []byte("ad")); err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("%d bytes: open: %v", n, err)
		}
		if n >= 16 && bytes.Contains(box, plain) {
			t.Fatalf("%d bytes: plaintext left in the box", n)
		}
	}
	for _, box := range [][]byte{make([]byte, NonceSize-1, 100), make([]byte, NonceSize+8, NonceSize+8+TagSize-1)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("box of %d bytes (capacity %d) sealed", len(box), cap(box))
				}
			}()
			SealInPlace(key, box, nil)
		}()
	}
}
