package bundle

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"

	"aead.dev/minisign"
	"filippo.io/age"
	"golang.org/x/crypto/blake2b"

	"mediadesk/sync/internal/refuse"
)

// Keys are one unit's secret keys: Ed25519 for signing (minisign) and
// X25519 for receiving (an age identity). Keep them only in the sealed
// store; MarshalSecret is their one serialized form.
type Keys struct {
	seed   [ed25519.SeedSize]byte
	sign   minisign.PrivateKey
	age    *age.X25519Identity
	public PublicKeys
}

// GenerateKeys creates a new pair of key pairs.
func GenerateKeys() (*Keys, error) {
	var seed [ed25519.SeedSize]byte
	rand.Read(seed[:])
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	return newKeys(seed, id)
}

func newKeys(seed [ed25519.SeedSize]byte, id *age.X25519Identity) (*Keys, error) {
	priv := ed25519.NewKeyFromSeed(seed[:])
	// minisign's unencrypted secret-key layout: algorithm "Ed", no KDF,
	// checksum "B2", zero salt and limits, then key id and the key.
	var raw [158]byte
	binary.LittleEndian.PutUint16(raw[0:], minisign.EdDSA)
	binary.LittleEndian.PutUint16(raw[4:], 0x3242)
	binary.LittleEndian.PutUint64(raw[54:], keyNumber(priv.Public().(ed25519.PublicKey)))
	copy(raw[62:], priv)
	var sign minisign.PrivateKey
	if err := sign.UnmarshalText([]byte(base64.StdEncoding.EncodeToString(raw[:]))); err != nil {
		return nil, err
	}
	k := &Keys{seed: seed, sign: sign, age: id}
	k.public = PublicKeys{sign: sign.Public().(minisign.PublicKey), age: id.Recipient()}
	return k, nil
}

// keyNumber derives a minisign key id: the first 8 bytes of
// BLAKE2b-256(public key), little-endian (as aead.dev/minisign does).
func keyNumber(pub ed25519.PublicKey) uint64 {
	sum := blake2b.Sum256(pub)
	return binary.LittleEndian.Uint64(sum[:8])
}

// secretForm is the JSON of MarshalSecret.
type secretForm struct {
	Format      string `json:"format"`
	Version     int    `json:"version"`
	Ed25519Seed []byte `json:"ed25519_seed"`
	AgeIdentity string `json:"age_identity"`
}

const secretFormat = "mediadesk-keys"

// MarshalSecret returns the secret keys as one JSON object (the records
// layer keeps it in the sealed store or an age-passphrase backup).
func (k *Keys) MarshalSecret() []byte {
	b, _ := json.Marshal(secretForm{Format: secretFormat, Version: 1, Ed25519Seed: k.seed[:], AgeIdentity: k.age.String()})
	return b
}

// ParseKeys reads what MarshalSecret wrote.
func ParseKeys(secret []byte) (*Keys, error) {
	var f secretForm
	bad := func(en string) error {
		return refuse.New(refuse.Damaged, "密钥数据无效", "bad key data: "+en)
	}
	if err := json.Unmarshal(secret, &f); err != nil || f.Format != secretFormat {
		return nil, bad("not a mediadesk-keys object")
	}
	if f.Version != 1 {
		return nil, refuse.New(refuse.NewerFormat, "密钥数据", "key data")
	}
	if len(f.Ed25519Seed) != ed25519.SeedSize {
		return nil, bad("seed length")
	}
	id, err := age.ParseX25519Identity(f.AgeIdentity)
	if err != nil {
		return nil, bad("age identity")
	}
	return newKeys([ed25519.SeedSize]byte(f.Ed25519Seed), id)
}

// Public returns the public halves.
func (k *Keys) Public() PublicKeys { return k.public }

// PublicKeys are a unit's public keys: what others verify its
// signatures with and encrypt to. The zero value holds no keys.
type PublicKeys struct {
	sign minisign.PublicKey
	age  *age.X25519Recipient
}

// ParsePublicKeys reads the two text forms: the minisign public key (the
// base64 line "RW…", or the whole two-line .pub file) and the age
// recipient ("age1…"). A minisign key whose id is not derived from it is
// refused, so that a key id names exactly one key.
func ParsePublicKeys(minisignKey, ageRecipient string) (PublicKeys, error) {
	bad := func(zh, en string) (PublicKeys, error) {
		return PublicKeys{}, refuse.New(refuse.BadKey, zh, en)
	}
	line := strings.TrimSpace(minisignKey)
	if i := strings.LastIndexByte(line, '\n'); i >= 0 {
		line = strings.TrimSpace(line[i+1:])
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(line)
	if err != nil || len(raw) != 2+8+ed25519.PublicKeySize || binary.LittleEndian.Uint16(raw) != minisign.EdDSA {
		return bad("minisign 公钥格式不对", "malformed minisign public key")
	}
	if binary.LittleEndian.Uint64(raw[2:]) != keyNumber(raw[10:]) {
		return bad("minisign 公钥的编号与公钥不符", "the minisign key id is not derived from the key")
	}
	var p PublicKeys
	if err := p.sign.UnmarshalText([]byte(line)); err != nil {
		return bad("minisign 公钥格式不对", "malformed minisign public key")
	}
	if !validRecipient(ageRecipient) {
		return bad("age 公钥格式不对", "malformed age recipient")
	}
	p.age, _ = age.ParseX25519Recipient(ageRecipient)
	return p, nil
}

// validRecipient reports whether s is an X25519 age recipient in its
// canonical (lower-case) form.
func validRecipient(s string) bool {
	r, err := age.ParseX25519Recipient(s)
	return err == nil && r.String() == s
}

// IsZero reports whether p holds no keys.
func (p PublicKeys) IsZero() bool { return p.age == nil }

// Minisign returns the minisign public key as its one base64 line, the
// form `minisign -P` takes.
func (p PublicKeys) Minisign() string { return p.sign.String() }

// MinisignFile returns the minisign public key file (comment line and
// key line), the form `minisign -p FILE` reads.
func (p PublicKeys) MinisignFile() string {
	b, _ := p.sign.MarshalText()
	return string(b) + "\n"
}

// Age returns the age recipient ("age1…"), the form `age -r` takes.
func (p PublicKeys) Age() string {
	if p.age == nil {
		return ""
	}
	return p.age.String()
}

// KeyID returns the signing key's id as minisign prints it: 16
// upper-case hex digits.
func (p PublicKeys) KeyID() string { return fmt.Sprintf("%016X", p.sign.ID()) }

// Equal reports whether p and q are the same keys.
func (p PublicKeys) Equal(q PublicKeys) bool {
	return p.sign.Equal(q.sign) && p.Age() == q.Age()
}

// Fingerprint returns the short code two people compare by phone before
// one trusts the other's keys: 6 groups of 4 digits from SHA-256 of both
// public keys (docs/bundle-format.md §1).
func (p PublicKeys) Fingerprint() string {
	sum := sha256.Sum256([]byte("mediadesk-fingerprint-v1\n" + p.Minisign() + "\n" + p.Age() + "\n"))
	var b bytes.Buffer
	for i := range 6 {
		var n uint64
		for _, c := range sum[5*i : 5*i+5] {
			n = n<<8 | uint64(c)
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%04d", n%10000)
	}
	return b.String()
}
