package data

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"mediadesk/data/internal/seal"
)

// KDFParams are the Argon2id parameters of a key slot. They are stored in
// the slot, so a slot stays openable when the defaults change.
type KDFParams struct {
	Time      uint32 `json:"t"`
	MemoryKiB uint32 `json:"m"`
	Threads   uint8  `json:"p"`
}

// DefaultKDF is Argon2id t=3, m=64 MiB, p=4: about half a second on a slow
// laptop.
var DefaultKDF = KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

// valid bounds the parameters read from a slot: argon2 panics on zero
// rounds or threads, and a forged header must not make unlocking take
// gigabytes of memory or hours.
func (p KDFParams) valid() bool {
	return p.Time >= 1 && p.Time <= 32 && p.Threads >= 1 &&
		p.MemoryKiB >= 8*uint32(p.Threads) && p.MemoryKiB <= 1<<20
}

const (
	slotUser     = "user"
	slotRecovery = "recovery"
	recoveryName = "\x00recovery"
)

// keySlot opens the data key (DEK) for one user or for the recovery key.
// It holds an X25519 key pair: the private key sealed under Argon2id of
// the secret, and the DEK sealed to the public key. Anyone holding the DEK
// can therefore re-wrap a new DEK to every slot (key rotation) without
// knowing the slots' passwords.
type keySlot struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	LabelSalt []byte    `json:"label_salt"`
	LabelHash []byte    `json:"label_hash"`
	KDF       KDFParams `json:"kdf"`
	KDFSalt   []byte    `json:"kdf_salt"`
	Private   []byte    `json:"private"`
	Public    []byte    `json:"public"`
	Wrapped   []byte    `json:"wrapped"`
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("data: no randomness: " + err.Error())
	}
	return b
}

// normalName folds a user name so that look-up ignores case, width and
// surrounding spaces.
func normalName(name string) string {
	return strings.ToLower(strings.TrimSpace(norm.NFKC.String(name)))
}

func labelHash(salt []byte, name string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(normalName(name)))
	return h.Sum(nil)
}

func (s *keySlot) matches(name string) bool {
	return subtle.ConstantTimeCompare(labelHash(s.LabelSalt, name), s.LabelHash) == 1
}

func slotAD(storeID []byte, slotID, part string) []byte {
	return append(append(append([]byte("mediadesk slot v1\x00"), storeID...), slotID...), part...)
}

// newSlot makes a slot for name opened by secret, without a data key yet:
// wrap gives it one. Deriving its key is the slow part (Argon2id), so it
// runs before any lock is taken; wrapping is quick.
func newSlot(storeID []byte, kind, name, secret string, kdf KDFParams) (*keySlot, error) {
	if !kdf.valid() {
		return nil, fmt.Errorf("data: Argon2id parameters out of range: %+v", kdf)
	}
	priv, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	s := &keySlot{ID: uuid.NewString(), Kind: kind, LabelSalt: randomBytes(16), KDF: kdf, KDFSalt: randomBytes(16),
		Public: priv.PublicKey().Bytes()}
	s.LabelHash = labelHash(s.LabelSalt, name)
	s.Private = seal.Seal(s.secretKey(secret), priv.Bytes(), slotAD(storeID, s.ID, "private"))
	return s, nil
}

func (s *keySlot) secretKey(secret string) []byte {
	return argon2.IDKey([]byte(secret), s.KDFSalt, s.KDF.Time, s.KDF.MemoryKiB, s.KDF.Threads, 32)
}

// wrap seals dek to the slot's public key with an ephemeral X25519 key.
func (s *keySlot) wrap(storeID, dek []byte) error {
	pub, err := ecdh.X25519().NewPublicKey(s.Public)
	if err != nil {
		return err
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	shared, err := eph.ECDH(pub)
	if err != nil {
		return err
	}
	k := seal.DeriveKey(shared, append(eph.PublicKey().Bytes(), s.Public...), "mediadesk slot wrap v1")
	s.Wrapped = append(eph.PublicKey().Bytes(), seal.Seal(k, dek, slotAD(storeID, s.ID, "dek"))...)
	return nil
}

// open returns the DEK. A secret that does not open the private key is
// ErrWrongPassword; a private key that opens but a DEK that does not is
// damage.
func (s *keySlot) open(storeID []byte, secret string) ([]byte, error) {
	if !s.KDF.valid() {
		return nil, errSlotDamaged
	}
	raw, err := seal.Open(s.secretKey(secret), s.Private, slotAD(storeID, s.ID, "private"))
	if err != nil {
		return nil, ErrWrongPassword
	}
	priv, err := ecdh.X25519().NewPrivateKey(raw)
	if err != nil || len(s.Wrapped) < 32 || !bytes.Equal(priv.PublicKey().Bytes(), s.Public) {
		return nil, errSlotDamaged
	}
	eph, err := ecdh.X25519().NewPublicKey(s.Wrapped[:32])
	if err != nil {
		return nil, errSlotDamaged
	}
	shared, err := priv.ECDH(eph)
	if err != nil {
		return nil, errSlotDamaged
	}
	k := seal.DeriveKey(shared, append(append([]byte{}, s.Wrapped[:32]...), s.Public...), "mediadesk slot wrap v1")
	dek, err := seal.Open(k, s.Wrapped[32:], slotAD(storeID, s.ID, "dek"))
	if err != nil {
		return nil, errSlotDamaged
	}
	return dek, nil
}

var errSlotDamaged = &DamagedError{Reason: "key slot does not open"}

// newRecoveryKey returns a fresh recovery key: 160 random bits written as
// eight groups of four base32 letters and digits.
func newRecoveryKey() string {
	enc := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(randomBytes(20))
	var groups []string
	for i := 0; i < len(enc); i += 4 {
		groups = append(groups, enc[i:i+4])
	}
	return strings.Join(groups, "-")
}

// normalRecoveryKey accepts the key as typed: any case, spaces or dashes.
func normalRecoveryKey(k string) string {
	k = strings.ToUpper(norm.NFKC.String(k))
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, k)
}
