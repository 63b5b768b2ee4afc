package app

import (
	"unicode"
	"unicode/utf8"

	"mediadesk/data"
)

// MinPasswordLength is the shortest password the app accepts.
const MinPasswordLength = data.MinPasswordLength

// Strength grades a password for the hint shown while typing.
type Strength int

// Password strengths.
const (
	TooShort Strength = iota // below data.MinPasswordLength: refused
	Weak                     // 弱
	Fair                     // 中
	Strong                   // 强
)

// PasswordStrength grades pw by length and the kinds of characters used.
// Only TooShort is refused; the others are advice.
func PasswordStrength(pw string) Strength {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLength {
		return TooShort
	}
	var lower, upper, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	kinds := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			kinds++
		}
	}
	switch {
	case n >= 12 && kinds >= 3, n >= 16 && kinds >= 2:
		return Strong
	case n >= 10 && kinds >= 2, kinds >= 3:
		return Fair
	default:
		return Weak
	}
}
