package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"mediadesk/data"
)

// Errors of the session layer. Messages are Chinese first, then English,
// and say what to do.
var (
	ErrNotAllowed = errors.New("当前用户无权执行此操作，请联系管理员 / you may not do this: ask an admin")
	ErrDisabled   = errors.New("该用户已停用，请联系管理员重新启用 / this user is disabled: ask an admin to re-enable it")
	ErrLocked     = errors.New("工作台已锁定，请先解锁 / the desk is locked: unlock it first")
	ErrLastAdmin  = errors.New("不能停用最后一个管理员，请先在“设置 → 用户管理”中添加另一位管理员，再停用此账户 / the last admin cannot be disabled: add another admin first (Settings → Users), then disable this one")
	ErrSelf       = errors.New("不能停用自己的账户 / you cannot disable your own account")
)

// Work of the other side of the county: refused like ErrNotAllowed
// (errors.Is), but saying that it is the install, not the user, that
// cannot do it.
var (
	ErrHQOnly      error = wrongInstall("这是所队的安装，这项工作只能在宣传科的安装上进行 / this is a station's install: this is HQ's work, done on HQ's install")
	ErrStationOnly error = wrongInstall("这是宣传科的安装，这项工作只能在所队的安装上进行 / this is HQ's install: this is a station's work, done on a station's install")
)

// wrongInstall is work of the other kind of install.
type wrongInstall string

func (e wrongInstall) Error() string { return string(e) }

// Is makes a wrongInstall an ErrNotAllowed.
func (e wrongInstall) Is(target error) bool { return target == ErrNotAllowed }

// FieldError is invalid input in one form field.
type FieldError struct {
	Field string // the field's key, e.g. "unit_name"
	Msg   string // what is wrong and what to do, Chinese / English
}

func (e *FieldError) Error() string { return e.Msg }

// Config says where an install keeps its data and how to open it.
type Config struct {
	Dir   string           // the data directory
	Now   func() time.Time // the clock (nil: time.Now)
	Store data.Options     // store tuning (tests use cheap key derivation)
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// DefaultDataDir is the per-user data directory used when none is given.
func DefaultDataDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("找不到用户配置目录，请用 --data 指定数据目录 / no user config directory: pass --data: %w", err)
	}
	return filepath.Join(base, "mediadesk"), nil
}

// IsSetUp reports whether dir holds an install already.
func IsSetUp(dir string) bool { return data.Exists(dir) }

// Unit is the install's own unit.
type Unit struct {
	ID   string
	Name string
	Kind Kind
}

// User is a person who signs in.
type User struct {
	ID          string
	Name        string
	DisplayName string
	Role        Role
	Active      bool
}

func userFrom(u data.User) User {
	return User{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Role: Role(u.Role), Active: u.Active}
}

// Setting keys kept in the store.
const (
	keyUnitID      = "unit.id"
	keyUnitName    = "unit.name"
	keyUnitKind    = "unit.kind"
	keyIdleMinutes = "idle_minutes"
)

// Session is a signed-in user on an open install.
type Session struct {
	cfg   Config
	store *data.Store
	unit  Unit

	mu     sync.Mutex
	user   User
	locked bool
}

// SetupRequest is what the first-run wizard collects.
type SetupRequest struct {
	Kind             Kind
	UnitName         string
	AdminName        string
	AdminDisplayName string
	Password         string
}

func validName(field, v string, max int) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return &FieldError{Field: field, Msg: "此项必填 / this field is required"}
	}
	if utf8.RuneCountInString(v) > max {
		return &FieldError{Field: field, Msg: fmt.Sprintf("不能超过 %d 个字 / at most %d characters", max, max)}
	}
	if strings.ContainsAny(v, "\x00\r\n\t") {
		return &FieldError{Field: field, Msg: "不能包含换行或控制字符 / no line breaks or control characters"}
	}
	return nil
}

func validPassword(pw string) error {
	if PasswordStrength(pw) == TooShort {
		return &FieldError{Field: "password", Msg: data.ErrWeakPassword.Error()}
	}
	return nil
}

// Validate checks a setup request field by field.
func (r SetupRequest) Validate() error {
	if !r.Kind.Valid() {
		return &FieldError{Field: "kind", Msg: "请选择派出所/所队或宣传科 / choose station or HQ"}
	}
	if err := validName("unit_name", r.UnitName, 60); err != nil {
		return err
	}
	if err := validName("admin_name", r.AdminName, 32); err != nil {
		return err
	}
	if r.AdminDisplayName != "" {
		if err := validName("admin_display_name", r.AdminDisplayName, 32); err != nil {
			return err
		}
	}
	return validPassword(r.Password)
}

// HQUnitID is HQ's unit id. It is short because it names every bundle to
// and from HQ (城关派出所's 12th: chengguan-to-hq-000012.mdbundle). A county
// has one HQ, and stations trust it by its keys, not by this id.
const HQUnitID = "hq"

// Setup creates a new install in cfg.Dir with its first admin, signs the
// admin in, and returns the recovery key (shown once, never stored).
func Setup(cfg Config, req SetupRequest) (*Session, string, error) {
	if err := req.Validate(); err != nil {
		return nil, "", err
	}
	now := cfg.now().UnixMilli()
	unit := Unit{ID: uuid.NewString(), Name: strings.TrimSpace(req.UnitName), Kind: req.Kind} // a station's until it joins
	if req.Kind == HQ {
		unit.ID = HQUnitID
	}
	display := strings.TrimSpace(req.AdminDisplayName)
	if display == "" {
		display = strings.TrimSpace(req.AdminName)
	}
	admin := data.User{ID: uuid.NewString(), Name: strings.TrimSpace(req.AdminName), DisplayName: display,
		Role: string(AdminRole(req.Kind)), Active: true, CreatedAt: now, UpdatedAt: now}
	store, rk, err := data.Create(cfg.Dir, admin.Name, req.Password, cfg.Store, func(tx *data.Tx) error {
		for k, v := range map[string]string{keyUnitID: unit.ID, keyUnitName: unit.Name, keyUnitKind: string(unit.Kind),
			keyIdleMinutes: strconv.Itoa(DefaultIdleMinutes)} {
			if err := data.SetSetting(tx, k, v); err != nil {
				return err
			}
		}
		if err := data.InsertUser(tx, admin); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, admin.Name, "setup", unit.Name, string(unit.Kind))
	})
	if err != nil {
		return nil, "", err
	}
	return &Session{cfg: cfg, store: store, unit: unit, user: userFrom(admin)}, rk, nil
}

// SignIn opens the install with a user's password.
func SignIn(cfg Config, name, password string) (*Session, error) {
	store, err := data.Open(cfg.Dir, name, password, cfg.Store)
	if err != nil {
		return nil, err
	}
	s, err := startSession(cfg, store, name, "sign-in")
	if err != nil {
		store.Close()
		return nil, err
	}
	return s, nil
}

// RecoverWithKey opens the install with the recovery key, sets a new
// password for the named user and signs them in: the way back when a
// password is forgotten and no other admin can reset it.
func RecoverWithKey(cfg Config, recoveryKey, name, newPassword string) (*Session, error) {
	if err := validPassword(newPassword); err != nil {
		return nil, err
	}
	store, err := data.OpenWithRecoveryKey(cfg.Dir, recoveryKey, cfg.Store)
	if err != nil {
		return nil, err
	}
	u, err := data.UserByName(store.Reader(), strings.TrimSpace(name))
	if err == nil && !u.Active {
		err = ErrDisabled
	}
	if errors.Is(err, data.ErrNotFound) {
		err = data.ErrUnknownUser
	}
	if err == nil {
		_, err = store.SetUserPassword(u.Name, newPassword)
	}
	var s *Session
	if err == nil {
		s, err = startSession(cfg, store, u.Name, "recovery.password-reset")
	}
	if err != nil {
		store.Close()
		return nil, err
	}
	return s, nil
}

func startSession(cfg Config, store *data.Store, name, action string) (*Session, error) {
	q := store.Reader()
	u, err := data.UserByName(q, strings.TrimSpace(name))
	if errors.Is(err, data.ErrNotFound) {
		return nil, data.ErrUnknownUser
	}
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, ErrDisabled
	}
	unit, err := readUnit(q)
	if err != nil {
		return nil, err
	}
	s := &Session{cfg: cfg, store: store, unit: unit, user: userFrom(u)}
	if err := s.audit(action, u.Name, ""); err != nil {
		return nil, err
	}
	return s, nil
}

func readUnit(q data.Querier) (Unit, error) {
	var u Unit
	var kind string
	for key, dst := range map[string]*string{keyUnitID: &u.ID, keyUnitName: &u.Name, keyUnitKind: &kind} {
		v, err := data.Setting(q, key)
		if err != nil {
			return u, fmt.Errorf("单位信息缺失（%s），初始设置未完成 / unit profile incomplete (%s): %w", key, key, err)
		}
		*dst = v
	}
	u.Kind = Kind(kind)
	return u, nil
}

func (s *Session) audit(action, target, detail string) error {
	return s.store.Write(func(tx *data.Tx) error {
		return data.AppendAudit(tx, s.cfg.now().UnixMilli(), s.User().Name, action, target, detail)
	})
}

// User returns the signed-in user.
func (s *Session) User() User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.user
}

// Unit returns the install's unit.
func (s *Session) Unit() Unit { return s.unit }

// Locked reports whether the session is locked.
func (s *Session) Locked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.locked
}

// Lock locks the session; the store stays open so nothing typed is lost.
func (s *Session) Lock() error {
	s.mu.Lock()
	already := s.locked
	s.locked = true
	s.mu.Unlock()
	if already {
		return nil
	}
	return s.audit("lock", s.User().Name, "")
}

// Unlock checks the signed-in user's password and unlocks the session.
func (s *Session) Unlock(password string) error {
	if _, err := s.store.VerifyPassword(s.User().Name, password); err != nil {
		_ = s.audit("unlock.failed", s.User().Name, "")
		return err
	}
	s.mu.Lock()
	s.locked = false
	s.mu.Unlock()
	return s.audit("unlock", s.User().Name, "")
}

// Close signs out: the store is compacted and closed.
func (s *Session) Close() error {
	_ = s.audit("sign-out", s.User().Name, "")
	return s.store.Close()
}

// checkActive refuses work while locked.
func (s *Session) checkActive() error {
	if s.Locked() {
		return ErrLocked
	}
	return nil
}

func (s *Session) requireAdmin() error {
	if err := s.checkActive(); err != nil {
		return err
	}
	if !s.User().Role.IsAdmin() {
		return ErrNotAllowed
	}
	return nil
}

// IdleMinutes returns the auto-lock setting.
func (s *Session) IdleMinutes() int {
	v, err := data.Setting(s.store.Reader(), keyIdleMinutes)
	if err != nil {
		return DefaultIdleMinutes
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > MaxIdleMinutes {
		return DefaultIdleMinutes
	}
	return n
}

// SetIdleMinutes changes the auto-lock setting (admins only).
func (s *Session) SetIdleMinutes(n int) error {
	if err := s.requireAdmin(); err != nil {
		return err
	}
	if n < 1 || n > MaxIdleMinutes {
		return &FieldError{Field: "idle_minutes", Msg: fmt.Sprintf("请输入 1 到 %d 之间的分钟数 / enter 1 to %d minutes", MaxIdleMinutes, MaxIdleMinutes)}
	}
	return s.store.Write(func(tx *data.Tx) error {
		if err := data.SetSetting(tx, keyIdleMinutes, strconv.Itoa(n)); err != nil {
			return err
		}
		return data.AppendAudit(tx, s.cfg.now().UnixMilli(), s.User().Name, "settings.idle_minutes", "", strconv.Itoa(n))
	})
}

// ExportPlain writes the database unencrypted to path (admins only).
func (s *Session) ExportPlain(path string) error {
	if err := s.requireAdmin(); err != nil {
		return err
	}
	if inside(s.cfg.Dir, path) {
		return &FieldError{Field: "out", Msg: "不能把未加密的数据库写进数据目录，请选择其他位置 / the plain database may not go inside the data directory: choose another place"}
	}
	if err := s.audit("db.export-plain", path, ""); err != nil {
		return err
	}
	return s.store.ExportPlain(path)
}

// DataDir returns the install's data directory.
func (s *Session) DataDir() string { return s.cfg.Dir }

// SignInFirstAdmin opens the install with an admin's password when no
// user name is given (the command line's default): the password must
// open the slot of an active admin.
func SignInFirstAdmin(cfg Config, password string) (*Session, error) {
	store, err := data.OpenWithAnyPassword(cfg.Dir, password, cfg.Store)
	if err != nil {
		return nil, err
	}
	users, err := data.ListUsers(store.Reader())
	if err != nil {
		store.Close()
		return nil, err
	}
	var names []string
	for _, u := range users {
		if u.Active && Role(u.Role).IsAdmin() {
			names = append(names, u.Name)
		}
	}
	owner := store.SlotOwner(names)
	if owner == "" {
		store.Close()
		return nil, fmt.Errorf("这个密码不属于任何管理员，请用 --as 指定用户 / this password is no admin's: name the user with --as")
	}
	s, err := startSession(cfg, store, owner, "sign-in")
	if err != nil {
		store.Close()
		return nil, err
	}
	return s, nil
}

// inside reports whether path lies in dir.
func inside(dir, path string) bool {
	d, err1 := filepath.Abs(dir)
	p, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return true
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
