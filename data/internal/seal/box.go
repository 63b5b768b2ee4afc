package seal

import (
	"crypto/rand"

	"golang.org/x/crypto/chacha20poly1305"
)

// Seal encrypts plaintext under key with a fresh random nonce and returns
// nonce || ciphertext.
func Seal(key, plaintext, ad []byte) []byte {
	a, err := chacha20poly1305.NewX(key)
	if err != nil {
		panic("seal: bad key size")
	}
	nonce := make([]byte, chacha20poly1305.NonceSizeX, chacha20poly1305.NonceSizeX+len(plaintext)+chacha20poly1305.Overhead)
	if _, err := rand.Read(nonce); err != nil {
		panic("seal: no randomness: " + err.Error())
	}
	return a.Seal(nonce, nonce, plaintext, ad)
}

// Open reverses Seal; it returns ErrAuth when box does not authenticate.
func Open(key, box, ad []byte) ([]byte, error) {
	a, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	if len(box) < chacha20poly1305.NonceSizeX+chacha20poly1305.Overhead {
		return nil, ErrAuth
	}
	p, err := a.Open(nil, box[:chacha20poly1305.NonceSizeX], box[chacha20poly1305.NonceSizeX:], ad)
	if err != nil {
		return nil, ErrAuth
	}
	return p, nil
}

// Overhead is the number of bytes Seal adds to a plaintext.
const Overhead = chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead
