package app

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"mediadesk/data"
)

// The county matrix (Art. 3, 5): HQ holds every station's accounts, as
// the stations last sent them, and sees them all in one registry.

// CountyAccount is an account of any unit as HQ sees it: the registry
// entry (with its last published post and its 僵尸/睡眠 flag under HQ's
// ActivityRule), its station, and HQ's decisions on its filing that the
// station has not applied yet (they go out with HQ's next bundle).
type CountyAccount struct {
	AccountEntry
	Station string          // the owning unit's name
	Pending []data.Decision // HQ's decisions not yet applied at the station, oldest first
	// Effective is the filing status once the station applies Pending.
	Effective FilingStatus
	// Bureau marks one of the county bureau's own accounts (县局), which
	// HQ records itself (SaveBureauAccount); Station is then HQ's name.
	Bureau bool
}

// Waiting reports whether the filing waits for HQ: 已报备, and HQ has not
// decided on it yet.
func (c CountyAccount) Waiting() bool {
	return FilingStatus(c.Status) == FilingFiled && len(c.Pending) == 0
}

// Matrix (HQ) lists the accounts of every unit that f selects (its Status
// is the status the station last sent): the county bureau's own accounts
// first (Bureau; f.Unit HQ's id selects them alone), then the stations',
// by station; each unit's by platform and name.
func (s *Session) Matrix(f AccountFilter) ([]CountyAccount, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	entries, err := s.AccountRegistry(f)
	if err != nil {
		return nil, err
	}
	q := s.store.Reader()
	pending, err := data.PendingFilingDecisions(q)
	if err != nil {
		return nil, err
	}
	names, err := unitNames(q)
	if err != nil {
		return nil, err
	}
	out := make([]CountyAccount, len(entries))
	for i, e := range entries {
		out[i] = countyAccount(e, names, pending[e.ID])
		if s.IsBureauAccount(e.Account) {
			out[i].Bureau, out[i].Station, out[i].Activity = true, s.unit.Name, "" // no posts are recorded on it here
		}
	}
	slices.SortStableFunc(out, func(a, b CountyAccount) int {
		if a.Bureau != b.Bureau {
			if a.Bureau {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Station, b.Station)
	})
	return out, nil
}

// countyAccount is entry e with its station's name and its pending
// decisions applied to its status as the station will apply them.
func countyAccount(e AccountEntry, names map[string]string, pending []data.Decision) CountyAccount {
	c := CountyAccount{AccountEntry: e, Station: names[e.OwnerUnit], Pending: pending, Effective: FilingStatus(e.Status)}
	if c.Station == "" {
		c.Station = e.OwnerUnit
	}
	for _, d := range pending {
		if next, err := NextFiling(c.Effective, FilingStep(d.Decision)); err == nil {
			c.Effective = next
		}
	}
	return c
}

// unitNames maps the id of every unit known here to its name.
func unitNames(q data.Querier) (map[string]string, error) {
	units, err := data.ListUnits(q)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(units))
	for _, u := range units {
		names[u.ID] = u.Name
	}
	return names, nil
}

// MatrixUnits (HQ) lists the stations the matrix can be filtered by: every
// station ever enrolled, revoked ones too (their accounts stay on record),
// by name.
func (s *Session) MatrixUnits() ([]data.Unit, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	units, err := data.ListUnits(s.store.Reader())
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(units, func(u data.Unit) bool { return u.Kind != string(Station) }), nil
}

// The county bureau's own accounts (县局账号: "平安汤阴" on Weibo, WeChat,
// Toutiao, Douyin …) head the matrix (regulation Art. 3). HQ is the filing
// authority, so it records them itself, with no filing round trip: a new
// one is 已备案 at once (FilingAccepted: on record with the publicity
// section; 已认证 is HQ's verification of a station's filing, which HQ does
// not do of itself), an edit corrects the record and keeps the status, and
// a closed one is 已注销. They are unit accounts of HQ's own unit: personal
// work accounts are filed by the officer's station (Art. 13), never here.
// Any HQ user may keep them: the publicity section's staff decide the
// stations' filings (DecideFiling), and run the bureau's accounts too.
//
// They stay at HQ. An account record is written by a station and travels
// to HQ (data's syncKinds: StationSide), so HQ's bundles, which carry HQ's
// side only, never carry one; and an import refuses an account whose owner
// is not the sending station, or which is here under another owner (HQ's).
// HQ takes no decisions on them (ErrBureauAccount), and no posts are
// recorded on them here (posts are the stations'), so they get no
// 僵尸/睡眠 flag.

// BureauAccountForm is what HQ records of one of the bureau's accounts.
type BureauAccountForm struct {
	ID          string // empty for a new one
	Platform    string
	Name        string
	PlatformID  string
	URL         string
	Department  string // who runs it; 宣传科 when empty
	Responsible string
	Contact     string
	Admins      string
	Purpose     string
	OpenedOn    time.Time // the day it was opened (not after today)
}

// BureauDepartment is the department of a bureau account recorded without
// one: the publicity section runs the bureau's accounts.
const BureauDepartment = "宣传科"

// ErrBureauAccount: HQ decides on stations' filings, not on its own
// accounts, which it records directly.
var ErrBureauAccount = errors.New("县局自有账号由宣传科直接登记，不经报备审核；请在“账号总览”中修改或注销 / the county bureau's own accounts are recorded by HQ directly, with no filing to decide: edit or close them in the account matrix")

// accountForm is f as the stations' filing form, a unit account: what
// validateAccount checks (fields, Art. 14 of the department, the platform
// ID free in the unit).
func (f BureauAccountForm) accountForm() AccountForm {
	if strings.TrimSpace(f.Department) == "" {
		f.Department = BureauDepartment
	}
	return AccountForm{ID: f.ID, Action: "open", Platform: f.Platform, Name: f.Name, PlatformID: f.PlatformID, URL: f.URL,
		Kind: UnitAccount, Department: f.Department, Responsible: f.Responsible, Contact: f.Contact, Admins: f.Admins,
		Purpose: f.Purpose, FiledOn: f.OpenedOn}
}

// BureauFormOf is the form filled with bureau account a, to edit it.
func BureauFormOf(a Account) BureauAccountForm {
	f := BureauAccountForm{ID: a.ID, Platform: a.Platform, Name: a.Name, PlatformID: a.PlatformID, URL: a.URL,
		Department: a.Department, Responsible: a.Responsible, Contact: a.Contact, Admins: a.Admins, Purpose: a.Purpose}
	f.OpenedOn, _ = time.ParseInLocation(time.DateOnly, a.FiledOn, time.Local)
	return f
}

// IsBureauAccount reports whether a is one of the county bureau's own
// accounts as this install holds them: HQ's, at HQ.
func (s *Session) IsBureauAccount(a Account) bool {
	return s.unit.Kind == HQ && a.OwnerUnit == s.unit.ID
}

// MayKeepBureauAccount reports whether the signed-in user may edit or close
// account a as a bureau account: HQ's own and not closed.
func (s *Session) MayKeepBureauAccount(a Account) bool {
	return s.requireHQStaff() == nil && s.IsBureauAccount(a) && FilingStatus(a.Status) != FilingClosed
}

// bureauAccount reads account id and checks that it is one of the bureau's
// own, still open.
func (s *Session) bureauAccount(q data.Querier, id string) (Account, error) {
	a, err := s.accountOfUnit(q, id)
	if err != nil {
		return a, err
	}
	if FilingStatus(a.Status) == FilingClosed {
		return a, ErrTransition
	}
	return a, nil
}

// CheckBureauAccountForm (HQ) validates the form without saving it.
func (s *Session) CheckBureauAccountForm(f BureauAccountForm) error {
	if err := s.requireHQStaff(); err != nil {
		return err
	}
	return s.validateAccount(s.store.Reader(), f.accountForm())
}

// SaveBureauAccount (HQ) records one of the county bureau's own accounts
// (f.ID empty), as 已备案 at once, or corrects the record of one not
// closed (its status stays). The fields are checked as a station's filing
// is, its platform ID kept free among the bureau's accounts not closed
// (checkPlatformIDFree), as a station's among its own.
func (s *Session) SaveBureauAccount(f BureauAccountForm) (Account, error) {
	if err := s.requireHQStaff(); err != nil {
		return Account{}, err
	}
	af := f.accountForm()
	now := s.now()
	var saved Account
	err := s.store.Write(func(tx *data.Tx) error {
		a := Account{ID: f.ID, OwnerUnit: s.unit.ID, Status: string(FilingAccepted), CreatedAt: now, Version: 1}
		action := "account.record"
		if f.ID == "" {
			a.ID = uuid.Must(uuid.NewV7()).String()
		} else {
			old, err := s.bureauAccount(tx, f.ID)
			if err != nil {
				return err
			}
			a, action = old, "account.edit"
			a.Version++
		}
		if err := s.validateAccount(tx, af); err != nil {
			return err
		}
		fillAccount(&a, af)
		a.UpdatedAt = now
		if err := data.SaveAccount(tx, a); err != nil {
			return err
		}
		saved = a
		return data.AppendAudit(tx, now, s.User().Name, action, a.ID, a.Platform+" "+a.Name)
	})
	return saved, err
}

// CloseBureauAccount (HQ) records that one of the bureau's accounts was
// closed (注销) on day on (not after today): it becomes 已注销, its
// platform ID free to record again.
func (s *Session) CloseBureauAccount(id string, on time.Time) (Account, error) {
	if err := s.requireHQStaff(); err != nil {
		return Account{}, err
	}
	if on.IsZero() || on.Format(time.DateOnly) > s.cfg.now().Format(time.DateOnly) {
		return Account{}, &FieldError{Field: "closed_on", Msg: "注销日期不能晚于今天 / the closing date cannot be after today"}
	}
	var out Account
	err := s.store.Write(func(tx *data.Tx) error {
		a, err := s.bureauAccount(tx, id)
		if err != nil {
			return err
		}
		a.Action, a.FiledOn, a.Status = "close", on.Format(time.DateOnly), string(FilingClosed)
		a.UpdatedAt, a.Version = s.now(), a.Version+1
		if err := data.SaveAccount(tx, a); err != nil {
			return err
		}
		out = a
		return data.AppendAudit(tx, a.UpdatedAt, s.User().Name, "account.close", a.ID, a.Platform+" "+a.Name)
	})
	return out, err
}

// BureauAccount (HQ) returns one of the bureau's own accounts with its
// history (who recorded, edited and closed it).
func (s *Session) BureauAccount(id string) (AccountDetail, error) {
	if err := s.requireHQStaff(); err != nil {
		return AccountDetail{}, err
	}
	d, err := s.Account(id)
	if err != nil {
		return d, err
	}
	if !s.IsBureauAccount(d.Account) {
		return AccountDetail{}, ErrNotAllowed
	}
	d.Activity = "" // no posts are recorded on it here
	return d, nil
}
