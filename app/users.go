package app

import (
	"errors"
	"strings"

	"github.com/google/uuid"

	"mediadesk/data"
)

// NewUser is what an admin enters to add a user.
type NewUser struct {
	Name        string
	DisplayName string
	Role        Role
	Password    string
}

// Users lists every user of the install (admins only).
func (s *Session) Users() ([]User, error) {
	if err := s.requireAdmin(); err != nil {
		return nil, err
	}
	rows, err := data.ListUsers(s.store.Reader())
	if err != nil {
		return nil, err
	}
	out := make([]User, len(rows))
	for i, u := range rows {
		out[i] = userFrom(u)
	}
	return out, nil
}

// AddUser creates a user with their own key slot (admins only).
func (s *Session) AddUser(n NewUser) (User, error) {
	if err := s.requireAdmin(); err != nil {
		return User{}, err
	}
	name := strings.TrimSpace(n.Name)
	if err := validName("name", name, 32); err != nil {
		return User{}, err
	}
	display := strings.TrimSpace(n.DisplayName)
	if display == "" {
		display = name
	}
	if err := validName("display_name", display, 32); err != nil {
		return User{}, err
	}
	if !n.Role.ValidFor(s.unit.Kind) {
		return User{}, &FieldError{Field: "role", Msg: "请选择本单位可用的角色 / choose a role of this install"}
	}
	if err := validPassword(n.Password); err != nil {
		return User{}, err
	}
	if _, err := data.UserByName(s.store.Reader(), name); err == nil || s.store.HasUserSlot(name) {
		return User{}, &FieldError{Field: "name", Msg: "用户名已存在，请换一个 / this user name is taken: choose another"}
	}
	if _, err := s.store.AddUserSlot(name, n.Password); err != nil {
		return User{}, err
	}
	now := s.cfg.now().UnixMilli()
	u := data.User{ID: uuid.NewString(), Name: name, DisplayName: display, Role: string(n.Role), Active: true, CreatedAt: now, UpdatedAt: now}
	err := s.store.Write(func(tx *data.Tx) error {
		if err := data.InsertUser(tx, u); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "user.add", name, string(n.Role))
	})
	if err != nil {
		_ = s.store.RemoveUserSlot(name) // undo the slot; the row never landed
		return User{}, err
	}
	return userFrom(u), nil
}

func (s *Session) userByID(id string) (data.User, error) {
	u, err := data.UserByID(s.store.Reader(), id)
	if errors.Is(err, data.ErrNotFound) {
		return u, data.ErrUnknownUser
	}
	return u, err
}

func (s *Session) activeAdmins() (int, error) {
	all, err := data.ListUsers(s.store.Reader())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range all {
		if u.Active && Role(u.Role).IsAdmin() {
			n++
		}
	}
	return n, nil
}

// DisableUser stops a user from signing in (admins only). Their key slot
// is removed and the data key rotated, so their password opens nothing
// written from now on.
func (s *Session) DisableUser(id string) error {
	if err := s.requireAdmin(); err != nil {
		return err
	}
	u, err := s.userByID(id)
	if err != nil {
		return err
	}
	if u.ID == s.User().ID {
		return ErrSelf
	}
	if !u.Active {
		return nil
	}
	if Role(u.Role).IsAdmin() {
		n, err := s.activeAdmins()
		if err != nil {
			return err
		}
		if n <= 1 {
			return ErrLastAdmin
		}
	}
	now := s.cfg.now().UnixMilli()
	u.Active, u.UpdatedAt = false, now
	err = s.store.Write(func(tx *data.Tx) error {
		if err := data.UpdateUser(tx, u); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "user.disable", u.Name, "")
	})
	if err != nil {
		return err
	}
	// Sign-in also checks the active flag, so a failed rotation here
	// still keeps the user out; it is reported so the admin can retry.
	return s.store.RemoveUserSlot(u.Name)
}

// passwordTarget checks that an admin may give user id newPassword and
// returns the user.
func (s *Session) passwordTarget(id, newPassword string) (data.User, error) {
	if err := s.requireAdmin(); err != nil {
		return data.User{}, err
	}
	if err := validPassword(newPassword); err != nil {
		return data.User{}, err
	}
	return s.userByID(id)
}

// EnableUser lets a disabled user sign in again with a new password that
// the admin gives them (admins only).
func (s *Session) EnableUser(id, newPassword string) error {
	u, err := s.passwordTarget(id, newPassword)
	if err != nil {
		return err
	}
	if _, err := s.store.SetUserPassword(u.Name, newPassword); err != nil {
		return err
	}
	now := s.cfg.now().UnixMilli()
	u.Active, u.UpdatedAt = true, now
	return s.store.Write(func(tx *data.Tx) error {
		if err := data.UpdateUser(tx, u); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "user.enable", u.Name, "")
	})
}

// ResetPassword gives a user a new password (admins only).
func (s *Session) ResetPassword(id, newPassword string) error {
	u, err := s.passwordTarget(id, newPassword)
	if err != nil {
		return err
	}
	if !u.Active {
		return ErrDisabled
	}
	if _, err := s.store.SetUserPassword(u.Name, newPassword); err != nil {
		return err
	}
	return s.audit("user.password-reset", u.Name, "")
}

// ChangePassword changes the signed-in user's own password.
func (s *Session) ChangePassword(oldPassword, newPassword string) error {
	if err := s.checkActive(); err != nil {
		return err
	}
	if err := validPassword(newPassword); err != nil {
		return err
	}
	name := s.User().Name
	if _, err := s.store.VerifyPassword(name, oldPassword); err != nil {
		if errors.Is(err, data.ErrWrongPassword) {
			return &FieldError{Field: "old_password", Msg: "当前密码不正确 / the current password is wrong"}
		}
		return err
	}
	if _, err := s.store.SetUserPassword(name, newPassword); err != nil {
		return err
	}
	return s.audit("user.password-change", name, "")
}

// NewRecoveryKey replaces the recovery key and returns the new one, to be
// shown once (admins only).
func (s *Session) NewRecoveryKey() (string, error) {
	if err := s.requireAdmin(); err != nil {
		return "", err
	}
	k, err := s.store.NewRecoveryKey()
	if err != nil {
		return "", err
	}
	return k, s.audit("recovery.new", "", "")
}

// UserNames maps every user's ID to their display name, for showing who
// wrote or reviewed a post (any signed-in user).
func (s *Session) UserNames() (map[string]string, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	rows, err := data.ListUsers(s.store.Reader())
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(rows))
	for _, u := range rows {
		names[u.ID] = u.DisplayName
	}
	return names, nil
}
