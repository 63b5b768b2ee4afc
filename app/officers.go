package app

import (
	"errors"
	"strings"

	"github.com/google/uuid"

	"mediadesk/data"
)

// RosterEntry is an officer on the roster as forms and lists see it.
type RosterEntry = data.Officer

// OfficerForm is what the roster form collects.
type OfficerForm struct {
	ID            string // empty for a new entry
	Name          string
	PoliceNo      string
	Department    string
	KeyClassified bool
	Spokesperson  bool
	Commentator   bool
	Active        bool
}

func (f OfficerForm) validate() error {
	if err := validName("name", f.Name, 32); err != nil {
		return err
	}
	no := strings.TrimSpace(f.PoliceNo)
	if len(no) < 4 || len(no) > 12 || strings.Trim(no, "0123456789") != "" {
		return &FieldError{Field: "police_no", Msg: "警号应为 4 到 12 位数字 / the police number has 4 to 12 digits"}
	}
	return validName("department", f.Department, 40)
}

// MayEditRoster reports whether the signed-in user keeps the roster (adds
// and edits its entries): a station's admins and shift leaders; others
// read it.
func (s *Session) MayEditRoster() bool {
	r := s.User().Role
	return s.unit.Kind == Station && (r == StationAdmin || r == ShiftLeader)
}

// SaveOfficer adds or updates a roster entry (admins and shift leaders of
// a station). A police number belongs to one entry only.
func (s *Session) SaveOfficer(f OfficerForm) (RosterEntry, error) {
	if err := s.requireStation(); err != nil {
		return RosterEntry{}, err
	}
	if !s.MayEditRoster() {
		return RosterEntry{}, ErrNotAllowed
	}
	if err := f.validate(); err != nil {
		return RosterEntry{}, err
	}
	now := s.now()
	var saved RosterEntry
	err := s.store.Write(func(tx *data.Tx) error {
		o := RosterEntry{ID: f.ID, OwnerUnit: s.unit.ID, CreatedAt: now, Version: 1}
		if f.ID == "" {
			o.ID = uuid.Must(uuid.NewV7()).String()
		} else {
			old, err := data.OfficerByID(tx, f.ID)
			if err != nil {
				return err
			}
			o = old
			o.Version++
		}
		no := strings.TrimSpace(f.PoliceNo)
		if other, err := data.OfficerByPoliceNo(tx, s.unit.ID, no); err == nil && other.ID != o.ID {
			return &FieldError{Field: "police_no", Msg: "这个警号已在名册中（" + other.Name + "）/ this police number is on the roster already (" + other.Name + ")"}
		} else if err != nil && !errors.Is(err, data.ErrNotFound) {
			return err
		}
		o.Name, o.PoliceNo, o.Department = strings.TrimSpace(f.Name), no, strings.TrimSpace(f.Department)
		o.KeyClassified, o.Spokesperson, o.Commentator, o.Active = f.KeyClassified, f.Spokesperson, f.Commentator, f.Active
		o.UpdatedAt = now
		if err := personalAccountAllowed(tx, o); err != nil {
			return err
		}
		if err := data.SaveOfficer(tx, o); err != nil {
			return err
		}
		saved = o
		return data.AppendAudit(tx, now, s.User().Name, "roster.save", o.ID, o.Name+" "+o.PoliceNo)
	})
	return saved, err
}

// personalAccountAllowed refuses to move an officer who holds a personal
// work account in use, or on its way to HQ, to a post Art. 14 bars from
// one (a 国保 or 反恐 department, a key classified post): the account must
// be suspended or closed first. Filing and resuming check Art. 14 too.
func personalAccountAllowed(tx *data.Tx, o RosterEntry) error {
	field := "department"
	switch {
	case o.KeyClassified:
		field = "key_classified"
	case !RestrictedDepartment(o.Department):
		return nil
	}
	a, err := data.OfficerAccountIn(tx, o.ID, string(FilingFiled), string(FilingAccepted), string(FilingVerified))
	if errors.Is(err, data.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return &FieldError{Field: field, Msg: "该民警名下的个人工作账号“" + a.Name + "”仍在使用或报备中；依据《规定》第十四条，请先停用或注销该账号，再调整岗位 / " +
		"this officer's personal work account \"" + a.Name + "\" is in use or being filed: under Art. 14, suspend or close it before changing the post"}
}

// Officers lists the roster (inactive entries too when asked).
func (s *Session) Officers(withInactive bool) ([]RosterEntry, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	return data.ListOfficers(s.store.Reader(), withInactive)
}
