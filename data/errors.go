package data

import (
	"errors"
	"fmt"
)

// Errors returned by the store. Messages say, in Chinese and English, what
// went wrong and what to do next.
var (
	// ErrWrongPassword: the password (or recovery key) does not open the slot.
	ErrWrongPassword = errors.New("密码错误，请重试；忘记密码请联系管理员或使用恢复密钥 / wrong password: try again, or ask an admin or use the recovery key")
	// ErrUnknownUser: no key slot carries this user name (disabled users
	// have none).
	ErrUnknownUser = errors.New("没有这个用户，或该用户已停用；请检查用户名或联系管理员 / no such user, or the user is disabled: check the name or ask an admin")
	// ErrWrongRecoveryKey: the recovery key does not open the recovery slot.
	ErrWrongRecoveryKey = errors.New("恢复密钥不正确，请逐组核对后重试 / wrong recovery key: check each group and retry")
	// ErrInUse: another instance holds the data directory.
	ErrInUse = errors.New("数据目录正被另一个新媒体工作台使用，请先关闭它 / the data directory is in use by another Media Desk: close that one first")
	// ErrNewerVersion: the data directory was written by a newer version.
	ErrNewerVersion = errors.New("数据由更新版本的新媒体工作台写入，请升级本软件 / the data was written by a newer Media Desk: upgrade the app")
	// ErrNoStore: the directory holds no store yet.
	ErrNoStore = errors.New("这里还没有数据，请先完成初始设置 / no store here yet: run the first-time setup")
	// ErrExists: Create found a store already.
	ErrExists = errors.New("这里已有数据，不能重复初始化 / a store already exists here: open it instead")
	// ErrStoreFull: the in-memory database reached its size cap.
	ErrStoreFull = errors.New("数据库已达容量上限，本次修改未保存；请联系宣传科归档旧数据 / the database reached its size limit: nothing was saved; ask HQ to archive old data")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("数据已关闭 / the store is closed")
	// ErrWeakPassword: the password is empty or too short.
	ErrWeakPassword = errors.New("密码至少需要 8 个字符 / the password must have at least 8 characters")
)

// MinPasswordLength is the shortest password a key slot accepts.
const MinPasswordLength = 8

// DamagedError reports a file in the data directory that fails its
// integrity check. Nothing is opened from a damaged store.
type DamagedError struct {
	File   string // path of the damaged file
	Reason string // what check failed
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("数据文件已损坏或被篡改：%s（%s）。请勿继续写入，按 README「数据文件损坏」一节从备份恢复 / data file damaged or tampered with: %s (%s); stop writing and restore as the README section \"Damaged data file\" describes",
		e.File, e.Reason, e.File, e.Reason)
}

// WriteError reports a commit that could not reach the disk (disk full,
// stick pulled, read-only folder). Nothing of the transaction was applied
// and the store stays usable; retry once the cause is fixed.
type WriteError struct {
	File string
	Err  error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("无法写入磁盘（%s：%v），本次修改未保存；请检查磁盘空间或权限后重试 / could not write to disk (%s: %v): nothing was saved; free disk space or fix permissions and retry",
		e.File, e.Err, e.File, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }

// ReadOnlyError reports a data directory the app may not write to.
type ReadOnlyError struct {
	Dir string
	Err error
}

func (e *ReadOnlyError) Error() string {
	return fmt.Sprintf("数据目录不可写：%s（%v）。请把数据目录放在可写的位置或修正权限 / the data directory is not writable: %s (%v); move it somewhere writable or fix its permissions",
		e.Dir, e.Err, e.Dir, e.Err)
}

func (e *ReadOnlyError) Unwrap() error { return e.Err }

func damaged(file, reason string) error { return &DamagedError{File: file, Reason: reason} }
