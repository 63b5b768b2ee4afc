// Package bundle reads and writes the files that carry data between a
// station and HQ (docs/bundle-format.md): keys and their fingerprints,
// the enrollment file HQ gives a new station, and sync bundles — a plain
// tar of a manifest, its minisign signature and an age-encrypted payload
// of typed JSON records and attachments.
//
// Writing: Write streams records and attachments into a bundle (split
// into parts over the part size), signs it, and verifies what it wrote
// before renaming it into place. Reading: Open checks everything that can
// be checked without the receiver's secret key — container, manifest,
// signature, signer, receiver, payload hash — and Bundle.Records then
// decrypts and streams the content. Refusals are *Error values with a
// "中文 / English" message; nothing here writes to a store: what travels,
// how it merges and where keys are kept is the records layer's business.
package bundle
