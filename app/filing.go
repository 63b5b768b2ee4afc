package app

import (
	"strings"
	"time"

	"mediadesk/data"
)

// The filing lifecycle after the form (Art. 11, 13): the station files,
// changes (变更), suspends (停用), resumes and closes (注销) its accounts;
// HQ accepts, rejects and verifies filings, and its decisions reach the
// station through sync (applyFilingDecision). Every step follows
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

// MayManageAccount reports whether the signed-in user may act on account
// a (edit, file, change, suspend, resume, close it), by the rule the
// steps themselves enforce (mayManage).
func (s *Session) MayManageAccount(a Account) bool { return s.mayManage(a) == nil }

// filingStep takes one station step on account id in one write: the
// step must be allowed from its status and the user must manage it; edit,
// when given, checks or changes more of the account in the same write
// (and may refuse). The audit entry is "account.<step>".
func (s *Session) filingStep(id string, step FilingStep, edit func(*data.Tx, *Account) error) (Account, error) {
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
			// Back to what it was before: 已认证 only if HQ verified it
			// after it last accepted it (a 变更 HQ accepted again needs
			// verifying again).
			if v, err := verified(tx, a); err != nil {
				return err
			} else if !v {
				to = FilingAccepted
			}
		}
		if edit != nil {
			if err := edit(tx, &a); err != nil {
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

// verified reports whether HQ's last decision accepting or verifying
// account a, as its audit trail has them, was a verification.
func verified(q data.Querier, a Account) (bool, error) {
	trail, err := data.AccountAudit(q, a.ID, a.OwnerUnit)
	v := false
	for _, e := range trail {
		switch e.Action {
		case "account." + string(StepAccept):
			v = false
		case "account." + string(StepVerify):
			v = true
		}
	}
	return v, err
}

// SuspendAccount stops using an open account for now (停用): 已备案 or
// 已认证 → 停用. A suspended account is not flagged and takes no posts.
func (s *Session) SuspendAccount(id string) (Account, error) {
	return s.filingStep(id, StepSuspend, nil)
}

// ResumeAccount puts a suspended account back to use: 停用 → 已认证 if HQ
// had verified it, else 已备案.
func (s *Session) ResumeAccount(id string) (Account, error) {
	// Art. 14 as at filing: the officer may have moved to a barred
	// department, or to a key classified post, while it was suspended.
	return s.filingStep(id, StepResume, func(tx *data.Tx, a *Account) error {
		return s.validateAccount(tx, FormOf(*a))
	})
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
	return s.filingStep(id, StepClose, func(_ *data.Tx, a *Account) error {
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
// account). A change of what HQ filed and verified (see refiles) is filed
// afresh: the account goes back to 已报备, off the air until HQ accepts
// it again (a suspended account reopens then) and, if personal, verifies
// it again. Any other change keeps the status. Either way the change is
// on record (action 变更, its date) and reaches HQ with the next bundle,
// which carries the account's new version.
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
		before := a
		fillAccount(&a, f)
		if err := s.mayManage(a); err != nil { // the kind may have changed
			return err
		}
		if refiles(before, a) {
			a.Status = string(FilingFiled) // as StepFile files a filing
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

// refiles reports whether a 变更 from before to after changes what HQ
// filed and verified (Art. 11, 13): which account it is (name, platform
// ID) and whose (unit or personal kind, department, officer, the
// responsible person), so that HQ must decide on it again. The rest
// (contact number, administrators, address, the platform's
// verification, purpose) are particulars the regulation asks no filing
// or verification of: HQ receives them with the next bundle and the
// account stays as it is.
func refiles(before, after Account) bool {
	return before.Kind != after.Kind || before.Name != after.Name || before.PlatformID != after.PlatformID ||
		before.Department != after.Department || before.OfficerID != after.OfficerID || before.Responsible != after.Responsible
}

// applyFilingDecision records HQ's decision on a filing of this station,
// as an import applies it when the decision arrives in a bundle (only so:
// no station user may decide for HQ): StepAccept (已报备 → 已备案), StepReject
// (已报备 → 退回, with the reason the station will see) or StepVerify
// (已备案 → 已认证), decision decisionID; by names who decided at HQ and at
// when. A decision that does not fit the account's status is
// ErrTransition.
func (s *Session) applyFilingDecision(tx *data.Tx, decisionID, accountID string, decision FilingStep, reason, by string, at time.Time) (Account, error) {
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
	a.Status, a.UpdatedAt, a.Version, a.AppliedDecision = string(to), at.UnixMilli(), a.Version+1, decisionID
	if err := data.SaveAccount(tx, a); err != nil {
		return Account{}, err
	}
	detail := strings.TrimSpace("宣传科 " + at.Format("2006-01-02 15:04") + " " + reason)
	return a, data.AppendAudit(tx, s.now(), by, "account."+string(decision), a.ID, detail)
}

// PublishAccounts lists this unit's live accounts on a platform (see
// accountLive: a personal work account only once verified): the accounts
// a post may be recorded as published on.
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
		if a.OwnerUnit == s.unit.ID && a.Platform == platform && accountLive(a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// checkPublishAccount refuses, at the account field, an account a post
// cannot be published on: not this unit's, on another platform, not live
// (accountLive: a personal work account HQ has not verified, Art. 13), or
// an officer's personal work account when the post, personal false, was
// not written and reviewed for one (PostDraft.Personal: what the unit's
// Art. 21 consent is given on).
func (s *Session) checkPublishAccount(q data.Querier, accountID, platform string, personal bool) error {
	a, err := data.AccountByID(q, accountID)
	if err != nil || a.OwnerUnit != s.unit.ID || !FilingStatus(a.Status).Live() || a.Platform != platform {
		return &FieldError{Field: "account", Msg: "请选择本单位在该平台上已备案的账号 / choose one of the unit's accepted accounts on this platform"}
	}
	if !accountLive(a) { // a personal work account, 已备案 only
		return &FieldError{Field: "account", Msg: "该民警个人工作账号尚未经宣传科认证，认证后才能发布；请另选账号 / this personal work account is not verified by the publicity section yet: choose another account, or publish once it is verified"}
	}
	if a.Kind == PersonalAccount && !personal {
		return &FieldError{Field: "account", Msg: "此稿件未勾选“发布到民警个人工作账号”，不能在个人工作账号发布；请选择单位账号，或勾选后重新送审 / this post is not marked “Post to an officer's personal work account”: choose a unit account, or mark it and submit it for review again"}
	}
	return nil
}
