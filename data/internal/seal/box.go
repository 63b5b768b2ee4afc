package seal

import (
	"crypto/rand"

	"golang.org/x/crypto/chacha20poly1305"
)

// Seal encrypts plaintext under key with a fresh random nonce and returns
// nonce || ciphertext.
func Seal(key, plaintext, ad []byte) []byte {
	box := make([]byte, NonceSize, Overhead+len(plaintext))
	return SealInPlace(key, append(box, plaintext...), ad)
}

// SealInPlace is Seal without a second buffer, for records of many
// megabytes: the plaintext lies at box[NonceSize:] and box has TagSize
// bytes of spare capacity. It writes a fresh nonce into box[:NonceSize],
// encrypts the plaintext where it lies and returns box grown by the tag:
// the bytes Seal would return.
func SealInPlace(key, box, ad []byte) []byte {
	if len(box) < NonceSize || cap(box)-len(box) < TagSize {
		panic("seal: no room for the nonce or the tag")
	}
	a, err := chacha20poly1305.NewX(key)
	if err != nil {
		panic("seal: bad key size")
	}
	nonce, plaintext := box[:NonceSize], box[NonceSize:]
	if _, err := rand.Read(nonce); err != nil {
		panic("seal: no randomness: " + err.Error())
	}
	return box[:NonceSize+len(a.Seal(plaintext[:0], nonce, plaintext, ad))]
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

const (
	// NonceSize is the length of the nonce that starts a sealed box.
	NonceSize = chacha20poly1305.NonceSizeX
	// TagSize is the length of the authentication tag that ends it.
	TagSize = chacha20poly1305.Overhead
	// Overhead is the number of bytes Seal adds to a plaintext.
	Overhead = NonceSize + TagSize
)
