// Package frames writes and reads the plaintext inside payload.age: a
// header line, typed JSON record lines, length-prefixed attachments and
// an end line with counts (docs/bundle-format.md §6). It knows nothing of
// encryption; it streams, so an attachment never sits whole in memory.
package frames

import "encoding/hex"

// Limits of the format.
const (
	MaxHeaderLine = 64 << 10
	MaxRecordLine = 16 << 20
	MaxTypeLen    = 32
	MaxIDLen      = 200
	MaxUnitIDLen  = 64
	MaxTypes      = 64
)

// ValidUnitID reports whether s is a unit id: 1–64 of a-z 0-9 _ -,
// starting with a letter or digit.
func ValidUnitID(s string) bool {
	if len(s) == 0 || len(s) > MaxUnitIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '_' && c != '-') {
			return false
		}
	}
	return true
}

// ValidType reports whether s is a record type: [a-z][a-z0-9_]{0,31}.
func ValidType(s string) bool {
	if len(s) == 0 || len(s) > MaxTypeLen || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// ValidID reports whether s is a record id: 1–200 bytes of printable
// ASCII other than space, '"' and '\', so it needs no escaping in JSON.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > MaxIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// ParseHash decodes a lower-case hex SHA-256.
func ParseHash(s string) ([32]byte, bool) {
	var h [32]byte
	if len(s) != 64 {
		return h, false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return h, false
		}
	}
	_, err := hex.Decode(h[:], []byte(s))
	return h, err == nil
}
