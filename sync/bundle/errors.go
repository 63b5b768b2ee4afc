package bundle

import "mediadesk/sync/internal/refuse"

// Error is a refusal: Error() reads "中文 / English" (file, what was
// wrong, what to do next). Use errors.Is with the Err… values below to
// tell refusals apart; the Code field is stable for logs and ledgers.
type Error = refuse.Error

// Refusals, for errors.Is (docs/bundle-format.md §9).
var (
	// ErrNotBundle: the file is not a Media Desk sync file at all.
	ErrNotBundle = refuse.Sentinel(refuse.NotBundle)
	// ErrDamaged: bytes are wrong where a checksum or layout says so.
	ErrDamaged = refuse.Sentinel(refuse.Damaged)
	// ErrTruncated: the file (or a part) ends too early.
	ErrTruncated = refuse.Sentinel(refuse.Truncated)
	// ErrMissingPart: a part named by the manifest is not there.
	ErrMissingPart = refuse.Sentinel(refuse.MissingPart)
	// ErrUnsafeEntry: a tar entry that is a link, not a regular file, a
	// path trick, a repeat or otherwise not the expected member.
	ErrUnsafeEntry = refuse.Sentinel(refuse.UnsafeEntry)
	// ErrOversized: an entry larger than the format allows.
	ErrOversized = refuse.Sentinel(refuse.Oversized)
	// ErrBadSignature: the signature does not verify with the key named.
	ErrBadSignature = refuse.Sentinel(refuse.BadSignature)
	// ErrBadManifest: a signed manifest with values that break the rules.
	ErrBadManifest = refuse.Sentinel(refuse.BadManifest)
	// ErrNewerFormat: written for a newer reader; upgrade the app.
	ErrNewerFormat = refuse.Sentinel(refuse.NewerFormat)
	// ErrWrongKind: a registration where data was expected, or the reverse.
	ErrWrongKind = refuse.Sentinel(refuse.WrongKind)
	// ErrUnknownSigner: the signing key is not registered to the sender.
	ErrUnknownSigner = refuse.Sentinel(refuse.UnknownSigner)
	// ErrRevokedSigner: the signing key has been revoked.
	ErrRevokedSigner = refuse.Sentinel(refuse.RevokedSigner)
	// ErrWrongReceiver: addressed to another unit.
	ErrWrongReceiver = refuse.Sentinel(refuse.WrongReceiver)
	// ErrWrongKey: encrypted to another key than the reader's.
	ErrWrongKey = refuse.Sentinel(refuse.WrongKey)
	// ErrPayloadMismatch: payload bytes or counts differ from the manifest.
	ErrPayloadMismatch = refuse.Sentinel(refuse.PayloadMismatch)
	// ErrHeaderMismatch: the payload header names another bundle, sender,
	// receiver or sequence than the manifest.
	ErrHeaderMismatch = refuse.Sentinel(refuse.HeaderMismatch)
	// ErrBadRecord: a payload line that is no valid record or frame.
	ErrBadRecord = refuse.Sentinel(refuse.BadRecord)
	// ErrNotVerified: Records on a bundle whose sender was not checked.
	ErrNotVerified = refuse.Sentinel(refuse.NotVerified)
	// ErrInvalidInput: Write was given something it cannot write.
	ErrInvalidInput = refuse.Sentinel(refuse.InvalidInput)
	// ErrBadKey: a public key text that is not a valid key.
	ErrBadKey = refuse.Sentinel(refuse.BadKey)
)
