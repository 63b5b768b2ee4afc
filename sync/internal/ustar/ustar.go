// Package ustar writes and strictly reads the one kind of POSIX ustar
// header the sync files use: a regular file with a fixed name, mode 0644,
// owner 0, no link, no prefix, no extensions (docs/bundle-format.md §3.1).
// Anything else is refused with a bilingual error that says what it was.
package ustar

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"mediadesk/sync/internal/refuse"
)

// BlockSize is the tar block size: headers are one block, data is padded
// to whole blocks.
const BlockSize = 512

// MaxSize is the largest member size a ustar header can hold
// (11 octal digits): 8 GiB − 1.
const MaxSize = 1<<33 - 1

// Field offsets and sizes of the header.
const (
	offName     = 0
	lenName     = 100
	offSize     = 124
	offMTime    = 136
	lenNumber   = 12
	offChecksum = 148
	lenChecksum = 8
	offType     = 156
	offLink     = 157
	lenLink     = 100
	offMagic    = 257
	offPrefix   = 345
	lenPrefix   = 155
)

// template is a header with every fixed byte set and name, size, mtime
// and checksum zero.
var template = func() (b [BlockSize]byte) {
	copy(b[100:], "0000644\x00")
	copy(b[108:], "0000000\x00")
	copy(b[116:], "0000000\x00")
	b[offType] = '0'
	copy(b[offMagic:], "ustar\x0000")
	copy(b[329:], "0000000\x00")
	copy(b[337:], "0000000\x00")
	return b
}()

// Header returns the header block of a regular file.
func Header(name string, size int64, mtime time.Time) ([BlockSize]byte, error) {
	b := template
	if name == "" || len(name) >= lenName || strings.ContainsAny(name, "/\x00") {
		return b, fmt.Errorf("ustar: bad member name %q", name)
	}
	if size < 0 || size > MaxSize {
		return b, fmt.Errorf("ustar: member %s has size %d, over the ustar limit", name, size)
	}
	sec := max(mtime.Unix(), 0)
	if sec > MaxSize {
		sec = MaxSize
	}
	copy(b[offName:], name)
	copy(b[offSize:], fmt.Sprintf("%011o\x00", size))
	copy(b[offMTime:], fmt.Sprintf("%011o\x00", sec))
	copy(b[offChecksum:], fmt.Sprintf("%06o\x00 ", checksum(&b)))
	return b, nil
}

// Pad returns how many NUL bytes follow size bytes of member data.
func Pad(size int64) int64 { return (BlockSize - size%BlockSize) % BlockSize }

// checksum sums the header bytes with the checksum field read as spaces.
func checksum(b *[BlockSize]byte) int64 {
	var sum int64
	for i, c := range b {
		if i >= offChecksum && i < offChecksum+lenChecksum {
			c = ' '
		}
		sum += int64(c)
	}
	return sum
}

// Name returns the member name in block when block is a ustar header
// with a right checksum, whatever else it holds (ok false otherwise): a
// reader tells by it a sync file of another kind from an unsafe one.
func Name(block []byte) (name string, ok bool) {
	if len(block) != BlockSize || !bytes.Equal(block[offMagic:offMagic+8], template[offMagic:offMagic+8]) {
		return "", false
	}
	b := [BlockSize]byte(block)
	if sum, ok := octal(b[offChecksum:offChecksum+6], b[offChecksum+6:offChecksum+8], "\x00 "); !ok || sum != checksum(&b) {
		return "", false
	}
	return fieldString(b[offName : offName+lenName]), true
}

// Parse checks that block is the header of the regular file want, of at
// most limit bytes, and returns its size. seen lists the members already
// read (a repeat is refused as such); when seen is empty, a block that is
// no ustar header at all means the file is no sync file.
func Parse(block []byte, want string, seen []string, limit int64) (int64, error) {
	if len(block) != BlockSize {
		return 0, refuse.New(refuse.Truncated, "缺少 "+want, "missing "+want)
	}
	var b [BlockSize]byte
	copy(b[:], block)
	if b == [BlockSize]byte{} {
		return 0, refuse.New(refuse.Damaged, "缺少条目 "+want, "entry "+want+" is missing")
	}
	if !bytes.Equal(b[offMagic:offMagic+8], template[offMagic:offMagic+8]) {
		if len(seen) == 0 {
			return 0, refuse.New(refuse.NotBundle, "", "")
		}
		return 0, refuse.New(refuse.Damaged, "条目头格式不对", "an entry header is not ustar")
	}
	sum, ok := octal(b[offChecksum:offChecksum+6], b[offChecksum+6:offChecksum+8], "\x00 ")
	if !ok || sum != checksum(&b) {
		return 0, refuse.New(refuse.Damaged, "条目头校验和不符", "an entry header checksum does not match")
	}
	name := fieldString(b[offName : offName+lenName])
	if prefix := fieldString(b[offPrefix : offPrefix+lenPrefix]); prefix != "" {
		name = prefix + "/" + name
	}
	shown := refuse.Quote(name)
	switch t := b[offType]; t {
	case '0':
	case '1', '2':
		return 0, refuse.New(refuse.UnsafeEntry, "链接 "+shown, "link "+shown)
	default:
		return 0, refuse.New(refuse.UnsafeEntry,
			fmt.Sprintf("%s 不是普通文件（类型 %q）", shown, t), fmt.Sprintf("%s is not a regular file (type %q)", shown, t))
	}
	if name != want {
		switch {
		case slices.Contains(seen, name):
			return 0, refuse.New(refuse.UnsafeEntry, "重复的条目 "+shown, "duplicate entry "+shown)
		case strings.HasPrefix(name, "/") || strings.Contains(name, ".."):
			return 0, refuse.New(refuse.UnsafeEntry, "路径 "+shown, "path "+shown)
		default:
			return 0, refuse.New(refuse.UnsafeEntry,
				"意外的条目 "+shown+"，此处应为 "+want, "unexpected entry "+shown+" where "+want+" belongs")
		}
	}
	if b[offLink] != 0 {
		return 0, refuse.New(refuse.UnsafeEntry, "链接 "+shown, "link "+shown)
	}
	size, ok := octal(b[offSize:offSize+11], b[offSize+11:offSize+lenNumber], "\x00")
	if !ok {
		return 0, refuse.New(refuse.Damaged, shown+" 的大小字段无效", "bad size field of "+shown)
	}
	if size > limit {
		return 0, refuse.New(refuse.Oversized,
			fmt.Sprintf("%s 有 %d 字节，上限 %d", shown, size, limit), fmt.Sprintf("%s has %d bytes, at most %d allowed", shown, size, limit))
	}
	if _, ok := octal(b[offMTime:offMTime+11], b[offMTime+11:offMTime+lenNumber], "\x00"); !ok {
		return 0, refuse.New(refuse.Damaged, shown+" 的时间字段无效", "bad time field of "+shown)
	}
	want2, _ := Header(want, size, time.Unix(0, 0))
	for i := range b {
		variable := i < lenName || (i >= offSize && i < offChecksum+lenChecksum)
		if !variable && b[i] != want2[i] {
			return 0, refuse.New(refuse.Damaged, shown+" 的条目头有多余内容", "unexpected bytes in the header of "+shown)
		}
	}
	if !bytes.Equal(b[offName:offName+lenName], want2[offName:offName+lenName]) {
		return 0, refuse.New(refuse.Damaged, shown+" 的名称字段有多余内容", "unexpected bytes in the name field of "+shown)
	}
	return size, nil
}

// octal parses digits as an octal number followed by exactly end.
func octal(digits, tail []byte, end string) (int64, bool) {
	if string(tail) != end {
		return 0, false
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '7' {
			return 0, false
		}
		n = n<<3 | int64(c-'0')
	}
	return n, true
}

// fieldString returns a NUL-terminated field's text.
func fieldString(f []byte) string {
	if i := bytes.IndexByte(f, 0); i >= 0 {
		f = f[:i]
	}
	return string(f)
}
