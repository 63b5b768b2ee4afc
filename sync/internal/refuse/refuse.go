// Package refuse holds the bilingual refusal errors of the sync file
// formats: a stable code for errors.Is, and a message that says in
// Chinese and English what was wrong and what to do next.
package refuse

import (
	"strconv"
	"strings"
)

// Code names one kind of refusal; it is stable and machine-readable.
type Code string

// The refusal codes (docs/bundle-format.md §9).
const (
	NotBundle       Code = "not-bundle"
	Damaged         Code = "damaged"
	Truncated       Code = "truncated"
	MissingPart     Code = "missing-part"
	UnsafeEntry     Code = "unsafe-entry"
	Oversized       Code = "oversized"
	BadSignature    Code = "bad-signature"
	BadManifest     Code = "bad-manifest"
	NewerFormat     Code = "newer-format"
	WrongKind       Code = "wrong-kind"
	UnknownSigner   Code = "unknown-signer"
	RevokedSigner   Code = "revoked-signer"
	WrongReceiver   Code = "wrong-receiver"
	WrongKey        Code = "wrong-key"
	PayloadMismatch Code = "payload-mismatch"
	HeaderMismatch  Code = "header-mismatch"
	BadRecord       Code = "bad-record"
	NotVerified     Code = "not-verified"
	InvalidInput    Code = "invalid-input"
	BadKey          Code = "bad-key"
)

// summaries is the general sentence of each code, Chinese then English.
var summaries = map[Code][2]string{
	NotBundle:       {"不是本系统的同步文件", "not a Media Desk sync file"},
	Damaged:         {"文件已损坏，请重新拷贝，或请发送方重新导出", "the file is damaged; copy it again or ask the sender to export it again"},
	Truncated:       {"文件不完整（被截断），请重新拷贝", "the file is incomplete (cut short); copy it again"},
	MissingPart:     {"缺少分卷文件，请把所有分卷（.part2 等）拷到同一文件夹", "a part of a split bundle is missing; copy every part (.part2 …) into the same folder"},
	UnsafeEntry:     {"文件内含有不安全的条目（路径或链接），已拒绝打开", "the file holds an unsafe entry (a path trick or a link); it was not opened"},
	Oversized:       {"文件内的条目超出大小限制", "an entry in the file is larger than allowed"},
	BadSignature:    {"签名不符，文件可能被改动，请发送方重新导出", "the signature does not match; the file may have been altered; ask the sender to export it again"},
	BadManifest:     {"清单内容无效", "the manifest is invalid"},
	NewerFormat:     {"文件由较新版本生成，请升级本软件", "the file was written by a newer version; upgrade the app"},
	WrongKind:       {"文件类型不对", "not the expected kind of file"},
	UnknownSigner:   {"发送方的密钥未在本单位登记，请先完成登记；如果本机刚从备份恢复，可能是对方在备份之后更换了密钥，继续交换几次同步包即可（见管理员指南第 5 节）", "the sender's key is not registered here; register the unit first. If this PC was just restored from a backup, the sender may have rotated its keys since: go on exchanging bundles (admin guide, section 5)"},
	RevokedSigner:   {"发送方的密钥已被吊销，请重新登记该单位", "the sender's key has been revoked; enroll the unit again"},
	WrongReceiver:   {"这个文件不是发给本单位的", "this bundle is addressed to another unit"},
	WrongKey:        {"文件不是用本单位当前的密钥加密的，请发送方用新密钥重新导出", "the bundle is encrypted to another key than this unit's; ask the sender to export again with the current key"},
	PayloadMismatch: {"内容与签名清单不符，文件可能被改动或拼接", "the content does not match the signed manifest; the file may have been altered or pieced together"},
	HeaderMismatch:  {"内容抬头与清单不符（发送方、接收方或序号）", "the payload header does not match the manifest (sender, receiver or sequence)"},
	BadRecord:       {"内容中有无效的记录", "the payload holds an invalid record"},
	NotVerified:     {"尚未核实发送方，不能读取内容", "the sender has not been checked; the content cannot be read"},
	InvalidInput:    {"无法生成文件", "cannot write the file"},
	BadKey:          {"公钥无效，请核对后重新输入或重新登记", "the public key is invalid; check it or register again"},
}

// Error is a refusal. Error() reads "中文 / English"; errors.Is matches
// any other *Error with the same Code (such as the package sentinels).
type Error struct {
	// Code says what kind of refusal this is.
	Code Code
	// File is the file (or part) concerned, shown first; may be empty.
	File string
	// Zh and En are the details (may be empty), appended to the summary.
	Zh, En string
	// Err is the underlying cause, if any.
	Err error
}

// New returns a refusal of the given code with details in both languages.
func New(code Code, zh, en string) *Error {
	return &Error{Code: code, Zh: zh, En: en}
}

// Wrap is New with an underlying cause kept for errors.Unwrap.
func Wrap(code Code, cause error, zh, en string) *Error {
	return &Error{Code: code, Zh: zh, En: en, Err: cause}
}

// Sentinel returns the bare refusal of a code, for errors.Is.
func Sentinel(code Code) *Error { return &Error{Code: code} }

// Error returns the message: file, summary and details in Chinese, then
// the same in English.
func (e *Error) Error() string {
	s := summaries[e.Code]
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File + "：")
	}
	b.WriteString(s[0])
	if e.Zh != "" {
		b.WriteString("（" + e.Zh + "）")
	}
	b.WriteString(" / ")
	if e.File != "" {
		b.WriteString(e.File + ": ")
	}
	b.WriteString(s[1])
	if e.En != "" {
		b.WriteString(" (" + e.En + ")")
	}
	return b.String()
}

// Is reports whether target is a refusal with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// InFile returns err with File set to name when err is a refusal that
// names no file yet; other errors are returned unchanged.
func InFile(err error, name string) error {
	e, ok := err.(*Error)
	if !ok || e.File != "" {
		return err
	}
	c := *e
	c.File = name
	return &c
}

// Quote shows an untrusted name safely in a message: Go-quoted (control
// characters and invalid UTF-8 escaped), at most 80 bytes of it.
func Quote(name string) string {
	const limit = 80
	if len(name) > limit {
		return strconv.Quote(name[:limit]) + "…"
	}
	return strconv.Quote(name)
}
