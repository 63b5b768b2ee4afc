package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"mediadesk/data"
)

// Account kinds (Art. 3, 5).
const (
	UnitAccount     = "unit"     // 政务新媒体
	PersonalAccount = "personal" // 民警个人工作新媒体
)

// Art13Declarations are what an officer confirms for a personal work
// account (Art. 13); every one must be confirmed.
var Art13Declarations = []string{
	"本账号以民警身份开设，仅用于工作，将按规定报备并认证",
	"本人的非工作个人账号不使用公安标志与符号，不标注所在单位和职务",
	"非工作个人账号不发布公务信息和与执行职务相关的信息",
	"发布重要警务信息等敏感内容前须经所在单位同意（第二十一条）",
}

// AccountForm is what the account filing form collects.
type AccountForm struct {
	ID           string // empty for a new filing
	Action       string // open, change, close
	Platform     string
	Name         string
	PlatformID   string
	URL          string
	Kind         string
	Department   string
	OfficerID    string // personal accounts: from the roster
	Responsible  string
	Contact      string
	Admins       string
	Verification string
	Purpose      string
	FiledOn      time.Time
	Declarations []string // the Art. 13 declarations confirmed
}

// Account is a filing as screens see it.
type Account = data.Account

// validateAccount checks the form field by field, Art. 14 included, the
// way the form shows it: at the field, before anything is saved.
func (s *Session) validateAccount(q data.Querier, f AccountForm) error {
	if f.Action != "open" && f.Action != "change" && f.Action != "close" {
		return &FieldError{Field: "action", Msg: "请选择开设、变更或注销 / choose open, change or close"}
	}
	if _, ok := PlatformByCode(f.Platform); !ok {
		return &FieldError{Field: "platform", Msg: "请选择平台 / choose a platform"}
	}
	for field, v := range map[string]string{"name": f.Name, "platform_id": f.PlatformID, "department": f.Department,
		"responsible": f.Responsible, "contact": f.Contact} {
		if err := validName(field, v, 64); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		field, text string
		max         int
	}{{"admins", f.Admins, 200}, {"verification", f.Verification, 200}, {"purpose", f.Purpose, 2000}} {
		if utf8.RuneCountInString(strings.TrimSpace(c.text)) > c.max {
			return &FieldError{Field: c.field, Msg: fmt.Sprintf("不能超过 %d 个字 / at most %d characters", c.max, c.max)}
		}
	}
	if u := strings.TrimSpace(f.URL); u != "" {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return &FieldError{Field: "url", Msg: "网址应以 http:// 或 https:// 开头 / the address must start with http:// or https://"}
		}
	}
	if f.FiledOn.IsZero() || f.FiledOn.Format(time.DateOnly) > s.cfg.now().Format(time.DateOnly) {
		return &FieldError{Field: "filed_on", Msg: "日期不能晚于今天 / the date cannot be after today"}
	}
	holder := AccountHolder{Unit: s.unit.Name, Department: f.Department}
	switch f.Kind {
	case UnitAccount:
	case PersonalAccount:
		o, err := data.OfficerByID(q, f.OfficerID)
		if errors.Is(err, data.ErrNotFound) || (err == nil && !o.Active) {
			return &FieldError{Field: "officer", Msg: "请从民警名册中选择在职民警 / choose an active officer from the roster"}
		}
		if err != nil {
			return err
		}
		holder = AccountHolder{Unit: s.unit.Name, Department: f.Department, Personal: true, OfficerDepartment: o.Department, KeyClassifiedPost: o.KeyClassified}
		for _, d := range Art13Declarations {
			if !slices.Contains(f.Declarations, d) {
				return &FieldError{Field: "declarations", Msg: "请逐项确认第十三条的声明 / confirm every Art. 13 declaration"}
			}
		}
	default:
		return &FieldError{Field: "kind", Msg: "请选择单位账号或民警个人工作账号 / choose unit or personal work account"}
	}
	if err := CheckArt14(holder); err != nil {
		return err
	}
	return s.checkPlatformIDFree(q, f)
}

// checkPlatformIDFree refuses a platform ID another of the unit's accounts
// on the platform has, unless that one is closed (已注销: its ID may be
// filed again). The database does not keep IDs unique (schema 20): HQ
// holds every unit's accounts, where two stations may file one ID (an
// officer who moved files his personal work account again), and a
// station's bundle brings the records of a swap of two IDs in change
// order. So the check is here, within the unit, as a filing is saved.
func (s *Session) checkPlatformIDFree(q data.Querier, f AccountForm) error {
	other, err := data.UnitAccountWithPlatformID(q, s.unit.ID, f.Platform, strings.TrimSpace(f.PlatformID), f.ID, string(FilingClosed))
	if errors.Is(err, data.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	zh, en := filingStatusNames[FilingStatus(other.Status)][0], filingStatusNames[FilingStatus(other.Status)][1]
	return &FieldError{Field: "platform_id", Msg: fmt.Sprintf("该平台上这个账号 ID 已登记为本单位的另一个账号（%s，%s）：请核对账号 ID；如要两个报备互换 ID，先把其中一个改成临时 ID；旧账号不再使用的，先将其注销 / another of the unit's accounts on this platform has this platform ID (%s, %s): check the ID; to swap the IDs of two filings, give one a temporary ID first; if the old account is no longer used, close it first",
		other.Name, zh, other.Name, en)}
}

// filingStatusNames names each filing status in Chinese and English.
var filingStatusNames = map[FilingStatus][2]string{
	FilingPlanned:   {"拟开设", "planned"},
	FilingFiled:     {"已报备", "filed"},
	FilingAccepted:  {"已备案", "accepted"},
	FilingRejected:  {"退回", "sent back"},
	FilingVerified:  {"已认证", "verified"},
	FilingSuspended: {"停用", "suspended"},
	FilingClosed:    {"已注销", "closed"},
}

// CheckAccountForm validates a filing form without saving it, so the
// form can refuse an Art. 14 case as soon as it is filled in.
func (s *Session) CheckAccountForm(f AccountForm) error {
	if err := s.requireStation(); err != nil {
		return err
	}
	return s.validateAccount(s.store.Reader(), f)
}

// SaveAccountFiling creates or edits a filing (拟开设, or 退回 being fixed).
func (s *Session) SaveAccountFiling(f AccountForm) (Account, error) {
	if err := s.requireStation(); err != nil {
		return Account{}, err
	}
	if r := s.User().Role; r != StationAdmin && r != ShiftLeader && f.Kind != PersonalAccount {
		return Account{}, ErrNotAllowed // unit accounts are filed by the unit's leaders
	}
	now := s.now()
	var saved Account
	err := s.store.Write(func(tx *data.Tx) error {
		if err := s.validateAccount(tx, f); err != nil {
			return err
		}
		a := Account{ID: f.ID, OwnerUnit: s.unit.ID, Status: string(FilingPlanned), CreatedAt: now, Version: 1}
		if f.ID == "" {
			a.ID = uuid.Must(uuid.NewV7()).String()
		} else {
			old, err := s.accountOfUnit(tx, f.ID)
			if err != nil {
				return err
			}
			if err := s.mayManage(old); err != nil {
				return err
			}
			if old.Status != string(FilingPlanned) && old.Status != string(FilingRejected) {
				return ErrTransition
			}
			a = old
			a.Version++
		}
		fillAccount(&a, f)
		a.UpdatedAt = now
		if err := data.SaveAccount(tx, a); err != nil {
			return err
		}
		saved = a
		return data.AppendAudit(tx, now, s.User().Name, "account.save", a.ID, a.Platform+" "+a.Name)
	})
	return saved, err
}

// fillAccount copies the form's fields into the account, trimmed; only a
// personal work account keeps an officer and the Art. 13 declarations.
func fillAccount(a *Account, f AccountForm) {
	decl, _ := json.Marshal(f.Declarations)
	a.Action, a.Platform, a.Name, a.PlatformID, a.URL = f.Action, f.Platform, strings.TrimSpace(f.Name), strings.TrimSpace(f.PlatformID), strings.TrimSpace(f.URL)
	a.Kind, a.Department, a.OfficerID, a.Responsible, a.Contact = f.Kind, strings.TrimSpace(f.Department), f.OfficerID, strings.TrimSpace(f.Responsible), strings.TrimSpace(f.Contact)
	a.Admins, a.Verification, a.Purpose = strings.TrimSpace(f.Admins), strings.TrimSpace(f.Verification), strings.TrimSpace(f.Purpose)
	a.FiledOn, a.Declarations = f.FiledOn.Format(time.DateOnly), string(decl)
	if f.Kind != PersonalAccount {
		a.OfficerID, a.Declarations = "", ""
	}
}

// FormOf is the filing form filled with account a, to edit it or file a
// change (变更) of it.
func FormOf(a Account) AccountForm {
	f := AccountForm{ID: a.ID, Action: a.Action, Platform: a.Platform, Name: a.Name, PlatformID: a.PlatformID, URL: a.URL,
		Kind: a.Kind, Department: a.Department, OfficerID: a.OfficerID, Responsible: a.Responsible, Contact: a.Contact,
		Admins: a.Admins, Verification: a.Verification, Purpose: a.Purpose}
	f.FiledOn, _ = time.ParseInLocation(time.DateOnly, a.FiledOn, time.Local)
	if a.Declarations != "" {
		_ = json.Unmarshal([]byte(a.Declarations), &f.Declarations)
	}
	return f
}

// FileAccount sends a planned (or fixed) filing to HQ: 拟开设 → 已报备.
// The filing is checked again as it is sent, Art. 14 included, since the
// roster may have changed since it was saved (its officer moved to 国保
// or to a key classified post). HQ's accept, reject and verify arrive
// through sync bundles (applyFilingDecision).
func (s *Session) FileAccount(id string) (Account, error) {
	return s.filingStep(id, StepFile, func(tx *data.Tx, a *Account) error {
		return s.validateAccount(tx, FormOf(*a))
	})
}

// Accounts lists the unit's accounts and filings.
func (s *Session) Accounts() ([]Account, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	return data.ListAccounts(s.store.Reader())
}

// AccountFilter selects accounts for the registry list; zero fields
// match everything.
type AccountFilter struct {
	Status   FilingStatus
	Platform string
	Kind     string // UnitAccount or PersonalAccount
	Unit     string // the owner unit (at HQ, which holds every unit's accounts)
}

// AccountRegistry lists the accounts the filter selects, by platform and
// name, each with its last published post and, when live, its flag
// (Active, Zombie, Sleeping) under the install's ActivityRule.
func (s *Session) AccountRegistry(f AccountFilter) ([]AccountEntry, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	q := s.store.Reader()
	all, err := data.ListAccounts(q)
	if err != nil {
		return nil, err
	}
	last, err := data.LastPublished(q)
	if err != nil {
		return nil, err
	}
	rule, now := s.ActivityRule(), s.cfg.now()
	var out []AccountEntry
	for _, a := range all {
		if (f.Status == "" || a.Status == string(f.Status)) && (f.Platform == "" || a.Platform == f.Platform) &&
			(f.Kind == "" || a.Kind == f.Kind) && (f.Unit == "" || a.OwnerUnit == f.Unit) {
			out = append(out, entryOf(a, last[a.ID], rule, now))
		}
	}
	return out, nil
}

// AccountDetail is everything the registry shows of one account.
type AccountDetail struct {
	AccountEntry
	History   []AuditEntry      // its filing steps, oldest first
	Snapshots []AccountSnapshot // its numbers, newest day first
	People    People            // who took the steps and entered the numbers
}

// Account returns one account with its activity, filing history and
// numbers.
func (s *Session) Account(id string) (AccountDetail, error) {
	if err := s.checkActive(); err != nil {
		return AccountDetail{}, err
	}
	q := s.store.Reader()
	a, err := data.AccountByID(q, id)
	if errors.Is(err, data.ErrNotFound) {
		return AccountDetail{}, ErrNoAccount
	}
	if err != nil {
		return AccountDetail{}, err
	}
	last, err := data.LastPublishedOn(q, id)
	if err != nil {
		return AccountDetail{}, err
	}
	d := AccountDetail{AccountEntry: entryOf(a, last, s.ActivityRule(), s.cfg.now())}
	if d.Snapshots, err = data.AccountSnapshots(q, id); err != nil {
		return d, err
	}
	if d.People, err = s.peopleOf(q, a.OwnerUnit); err != nil {
		return d, err
	}
	trail, err := data.AccountAudit(q, id, a.OwnerUnit)
	for _, e := range trail {
		if e.Action != "account.metrics" {
			d.History = append(d.History, AuditEntry{Seq: e.Seq, At: time.UnixMilli(e.At), Actor: e.Actor, Action: e.Action,
				Target: e.Target, Detail: e.Detail})
		}
	}
	return d, err
}
