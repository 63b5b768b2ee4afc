package app

import (
	"strings"
	"time"

	"mediadesk/data"
)

// The filing lifecycle after the form (Art. 11, 13): the station files,
// changes (变更), suspends (停用), resumes and closes (注销) its accounts;
// HQ accepts, rejects and verifies filings, and its decisions reach the
// station through sync (ApplyFilingDecision). Every step follows
// NextFiling; a step the current status does not allow is ErrTransition.

// mayManage refuses a user who may not act on account a: a unit account
// is its unit leaders' (shift leaders and admins), as its filing is; a
// personal work account any station user may manage, as they may file it.
func (s *Session) mayManage(a Account) error {
	if a.OwnerUnit != s.unit.ID {
		return ErrNotAllowed
	}
	if r := s.User().Role; a.Kind != PersonalAccount && r != StationAdmin && r != ShiftLeader {
		return ErrNotAllowed
	}
	return nil
}

// filingStep takes one station step on account id in one write: the
// step must be allowed from its status and the user must manage it; edit,
// when given, changes more of the account (and may refuse). The audit
// entry is "account.<step>".
func (s *Session) filingStep(id string, step FilingStep, edit func(*Account) error) (Account, error) {
	if err := s.requireStation(); err != nil {
		return Account{}, err
	}
	var out Account
	err := s.store.Write(func(tx *data.Tx) error {
		a, err := s.accountOfUnit(tx, id)
		if err != nil {
			return err
		}
		if err := s.mayManage(a); err != nil {
			return err
		}
		to, err := NextFiling(FilingStatus(a.Status), step)
		if err != nil {
			return err
		}
		if step == StepResume {
			// Back to what it was before: 已认证 only if HQ ever verified it.
			if n, err := data.CountAudit(tx, a.ID, "account."+string(StepVerify)); err != nil {
				return err
			} else if n == 0 {
				to = FilingAccepted
			}
		}
		if edit != nil {
			if err := edit(&a); err != nil {
				return err
			}
		}
		a.Status, a.UpdatedAt, a.Version = string(to), s.now(), a.Version+1
		if err := data.SaveAccount(tx, a); err != nil {
			return err
		}
		out = a
		return data.AppendAudit(tx, a.UpdatedAt, s.User().Name, "account."+string(step), a.ID, a.Platform+" "+a.Name)
	})
	return out, err
}

// SuspendAccount stops using an open account for now (停用): 已备案 or
// 已认证 → 停用. A suspended account is not flagged and takes no posts.
func (s *Session) SuspendAccount(id string) (Account, error) {
	return s.filingStep(id, StepSuspend, nil)
}

// ResumeAccount puts a suspended account back to use: 停用 → 已认证 if HQ
// had verified it, else 已备案.
func (s *Session) ResumeAccount(id string) (Account, error) {
	return s.filingStep(id, StepResume, nil)
}

// CloseAccount files the closing of an account (注销) on day on (not
// after today): the account becomes 已注销 and its filing a 注销 filing,
// which reaches HQ with the next bundle. A filing not yet sent (拟开设) or
// sent back (退回) may be closed too, which withdraws it; one waiting for
// HQ (已报备) may not.
func (s *Session) CloseAccount(id string, on time.Time) (Account, error) {
	if on.IsZero() || on.Format(time.DateOnly) > s.cfg.now().Format(time.DateOnly) {
		return Account{}, &FieldError{Field: "closed_on", Msg: "注销日期不能晚于今天 / the closing date cannot be after today"}
	}
	return s.filingStep(id, StepClose, func(a *Account) error {
		a.Action, a.FiledOn = "close", on.Format(time.DateOnly)
		return nil
	})
}

// changeable reports whether an account in this status takes a 变更
// filing: it is open (已备案, 已认证) or suspended. Earlier filings are
// edited instead (SaveAccountFiling).
func (st FilingStatus) changeable() bool {
	return st == FilingAccepted || st == FilingVerified || st == FilingSuspended
}

// ChangeAccount files a change (变更) of an open or suspended account: its
// details as form f has them, checked as a new filing is (Art. 14
// included). The account stays on its platform (another platform is a new
// account) and keeps its status, as the transitions have no step for a
// change; the change is on record (action 变更, its date) and reaches HQ
// with the next bundle, which carries the account's new version.
func (s *Session) ChangeAccount(f AccountForm) (Account, error) {
	if err := s.requireStation(); err != nil {
		return Account{}, err
	}
	f.Action = "change"
	var out Account
	err := s.store.Write(func(tx *data.Tx) error {
		a, err := s.accountOfUnit(tx, f.ID)
		if err != nil {
			return err
		}
		if err := s.mayManage(a); err != nil {
			return err
		}
		if !FilingStatus(a.Status).changeable() {
			return ErrTransition
		}
		if f.Platform != a.Platform {
			return &FieldError{Field: "platform", Msg: "变更不能更换平台；在其他平台开设账号请另行报备 / a change keeps the platform: file a new account for another platform"}
		}
		if err := s.validateAccount(tx, f); err != nil {
			return err
		}
		fillAccount(&a, f)
		if err := s.mayManage(a); err != nil { // the kind may have changed
			return err
		}
		a.UpdatedAt, a.Version = s.now(), a.Version+1
		if err := data.SaveAccount(tx, a); err != nil {
			return err
		}
		out = a
		return data.AppendAudit(tx, a.UpdatedAt, s.User().Name, "account.change", a.ID, a.Platform+" "+a.Name)
	})
	return out, err
}

// ApplyFilingDecision records HQ's decision on a filing of this station:
// StepAccept (已报备 → 已备案), StepReject (已报备 → 退回, with the reason the
// station will see) or StepVerify (已备案 → 已认证). Sync calls it when the
// decision arrives in a bundle; by names who decided at HQ and at when. A
// decision that does not fit the account's status is ErrTransition and
// changes nothing.
func (s *Session) ApplyFilingDecision(accountID string, decision FilingStep, reason, by string, at time.Time) (Account, error) {
	if err := s.requireStation(); err != nil {
		return Account{}, err
	}
	var out Account
	err := s.store.Write(func(tx *data.Tx) error {
		a, err := s.applyFilingDecision(tx, accountID, decision, reason, by, at)
		out = a
		return err
	})
	return out, err
}

// applyFilingDecision is ApplyFilingDecision inside a write, for an import
// that applies a whole bundle in one transaction.
func (s *Session) applyFilingDecision(tx *data.Tx, accountID string, decision FilingStep, reason, by string, at time.Time) (Account, error) {
	switch decision {
	case StepAccept, StepReject, StepVerify:
	default:
		return Account{}, ErrTransition
	}
	if err := validName("by", by, 64); err != nil {
		return Account{}, err
	}
	if at.IsZero() {
		return Account{}, &FieldError{Field: "at", Msg: "缺少宣传科的决定时间 / HQ's decision has no time"}
	}
	reason = strings.TrimSpace(reason)
	if decision == StepReject && reason == "" {
		return Account{}, &FieldError{Field: "reason", Msg: "退回报备须写明理由 / a rejection needs a reason"}
	}
	a, err := s.accountOfUnit(tx, accountID)
	if err != nil {
		return Account{}, err
	}
	to, err := NextFiling(FilingStatus(a.Status), decision)
	if err != nil {
		return Account{}, err
	}
	if decision == StepReject {
		a.Reason = reason
	} else if decision == StepAccept {
		a.Reason = ""
	}
	// The account changed when HQ decided, not when this install imported
	// the decision: every station that applies it holds the same record.
	a.Status, a.UpdatedAt, a.Version = string(to), at.UnixMilli(), a.Version+1
	if err := data.SaveAccount(tx, a); err != nil {
		return Account{}, err
	}
	detail := strings.TrimSpace("宣传科 " + at.Format("2006-01-02 15:04") + " " + reason)
	return a, data.AppendAudit(tx, s.now(), by, "account."+string(decision), a.ID, detail)
}

// PublishAccounts lists this unit's live accounts (已备案, 已认证) on a
// platform: the accounts a post may be recorded as published on.
func (s *Session) PublishAccounts(platform string) ([]Account, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	all, err := data.ListAccounts(s.store.Reader())
	if err != nil {
		return nil, err
	}
	var out []Account
	for _, a := range all {
		if a.OwnerUnit == s.unit.ID && a.Platform == platform && FilingStatus(a.Status).Live() {
			out = append(out, a)
		}
	}
	return out, nil
}

// checkPublishAccount refuses, at the account field, an account a post
// cannot be published on: not this unit's, not live, or on another
// platform.
func (s *Session) checkPublishAccount(q data.Querier, accountID, platform string) error {
	a, err := data.AccountByID(q, accountID)
	if err != nil || a.OwnerUnit != s.unit.ID || !FilingStatus(a.Status).Live() || a.Platform != platform {
		return &FieldError{Field: "account", Msg: "请选择本单位在该平台上已备案的账号 / choose one of the unit's accepted accounts on this platform"}
	}
	return nil
}
