package seal

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"strconv"
	"testing"
)

func sealAll(t *testing.T, key, prefix, ad, plain []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, key, prefix, ad)
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

func openAll(key, prefix, ad, sealed []byte) ([]byte, error) {
	r, err := NewReader(bytes.NewReader(sealed), key, prefix, ad)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func TestStreamRoundTripSizes(t *testing.T) {
	key := make([]byte, 32)
	rand.Read(key)
	prefix := NewPrefix()
	for _, n := range []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 3*ChunkSize + 17, 4 * ChunkSize} {
		plain := make([]byte, n)
		rand.Read(plain)
		sealed := sealAll(t, key, prefix, []byte("ad"), plain)
		got, err := openAll(key, prefix, []byte("ad"), sealed)
		if err != nil {
			t.Fatalf("size %d: %v", n, err)
		}
		if !bytes.Equal(got, plain) {
			t.Fatalf("size %d: round trip differs", n)
		}
	}
}

func TestStreamDetectsDamage(t *testing.T) {
	key := make([]byte, 32)
	rand.Read(key)
	prefix := NewPrefix()
	plain := make([]byte, 2*ChunkSize+100)
	sealed := sealAll(t, key, prefix, []byte("ad"), plain)
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
	for name, c := range cases {
		if _, err := openAll(key, prefix, []byte("ad"), c); !errors.Is(err, ErrAuth) {
			t.Errorf("%s: got %v, want ErrAuth", name, err)
		}
	}
	if _, err := openAll(key, prefix, []byte("other ad"), sealed); !errors.Is(err, ErrAuth) {
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
