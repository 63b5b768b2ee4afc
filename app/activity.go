package app

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"mediadesk/data"
)

// Activity is how alive an account is, judged by its last published post.
type Activity string

// Account activity levels.
const (
	Active   Activity = "active"   // 正常
	Zombie   Activity = "zombie"   // 僵尸: no post for ZombieDays
	Sleeping Activity = "sleeping" // 睡眠: no post for SleepingMonths
)

// ActivityRule holds the thresholds; HQ may configure them.
type ActivityRule struct {
	ZombieDays     int // default 14
	SleepingMonths int // default 3
}

// DefaultActivityRule is 14 days to zombie, 3 months to sleeping.
var DefaultActivityRule = ActivityRule{ZombieDays: 14, SleepingMonths: 3}

// Classify judges an account whose last post (or, with none, whose
// opening) was at last, as of now.
func (r ActivityRule) Classify(last, now time.Time) Activity {
	switch {
	case !now.Before(last.AddDate(0, r.SleepingMonths, 0)):
		return Sleeping
	case !now.Before(last.AddDate(0, 0, r.ZombieDays)):
		return Zombie
	}
	return Active
}

// Settings keys of the activity thresholds.
const (
	keyZombieDays     = "accounts.zombie_days"
	keySleepingMonths = "accounts.sleeping_months"
)

// Upper limits of the activity thresholds.
const (
	MaxZombieDays     = 90
	MaxSleepingMonths = 24
)

// Validate checks the thresholds field by field: 1 to MaxZombieDays days,
// 1 to MaxSleepingMonths months, and the zombie threshold shorter than
// the sleeping one (a month counted as 28 days, its shortest).
func (r ActivityRule) Validate() error {
	if r.ZombieDays < 1 || r.ZombieDays > MaxZombieDays {
		return &FieldError{Field: "zombie_days", Msg: fmt.Sprintf("请输入 1 到 %d 之间的天数 / enter 1 to %d days", MaxZombieDays, MaxZombieDays)}
	}
	if r.SleepingMonths < 1 || r.SleepingMonths > MaxSleepingMonths {
		return &FieldError{Field: "sleeping_months", Msg: fmt.Sprintf("请输入 1 到 %d 之间的月数 / enter 1 to %d months", MaxSleepingMonths, MaxSleepingMonths)}
	}
	if r.ZombieDays >= 28*r.SleepingMonths {
		return &FieldError{Field: "zombie_days", Msg: "僵尸账号的天数应短于睡眠账号的期限 / the zombie threshold must be shorter than the sleeping one"}
	}
	return nil
}

// ActivityRule returns the thresholds this install flags accounts with:
// the admin's, or DefaultActivityRule when none (or an unusable one) is
// stored.
func (s *Session) ActivityRule() ActivityRule {
	q := s.store.Reader()
	r := DefaultActivityRule
	for key, dst := range map[string]*int{keyZombieDays: &r.ZombieDays, keySleepingMonths: &r.SleepingMonths} {
		if v, err := data.Setting(q, key); err == nil {
			if n, err := strconv.Atoi(v); err == nil {
				*dst = n
			}
		}
	}
	if r.Validate() != nil {
		return DefaultActivityRule
	}
	return r
}

// SetActivityRule changes the zombie and sleeping thresholds (admins
// only).
func (s *Session) SetActivityRule(r ActivityRule) error {
	if err := s.requireAdmin(); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.store.Write(func(tx *data.Tx) error {
		for key, n := range map[string]int{keyZombieDays: r.ZombieDays, keySleepingMonths: r.SleepingMonths} {
			if err := data.SetSetting(tx, key, strconv.Itoa(n)); err != nil {
				return err
			}
		}
		return data.AppendAudit(tx, s.now(), s.User().Name, "settings.activity_rule", "",
			fmt.Sprintf("%d days / %d months", r.ZombieDays, r.SleepingMonths))
	})
}

// Live reports whether an account in this status is open to the public,
// so that a lack of posts matters and posts may go out on it: 已备案 or
// 已认证. Filings not yet accepted, suspended and closed accounts are not
// live. An officer's personal work account needs 已认证 (accountLive).
func (st FilingStatus) Live() bool { return st == FilingAccepted || st == FilingVerified }

// accountLive reports whether account a is live: its status is Live and,
// for an officer's personal work account, which must be filed and
// verified (Art. 13), 已认证.
func accountLive(a Account) bool {
	if a.Kind == PersonalAccount {
		return FilingStatus(a.Status) == FilingVerified
	}
	return FilingStatus(a.Status).Live()
}

// AccountEntry is an account with how alive it is.
type AccountEntry struct {
	Account
	LastPost time.Time // the last post published on it; zero if none
	// Since is what its idleness counts from: LastPost, or for an account
	// never posted on, the last change of its filing (its acceptance,
	// verification, resumption or 变更 — whichever came last), because an
	// account cannot be expected to post before it is open.
	Since    time.Time
	Activity Activity // Active, Zombie or Sleeping; empty when not live
}

// entryOf judges account a, whose last post was at last (Unix ms, 0 for
// none), by rule r as of now.
func entryOf(a Account, last int64, r ActivityRule, now time.Time) AccountEntry {
	e := AccountEntry{Account: a, Since: time.UnixMilli(a.UpdatedAt)}
	if last != 0 {
		e.LastPost = time.UnixMilli(last)
		e.Since = e.LastPost
	}
	if accountLive(a) {
		e.Activity = r.Classify(e.Since, now)
	}
	return e
}

// ErrNoAccount: the account named is not in the registry.
var ErrNoAccount = errors.New("没有这个账号，请刷新后重试 / no such account: refresh and retry")

// accountOfUnit reads account id and checks that it is this unit's.
func (s *Session) accountOfUnit(q data.Querier, id string) (Account, error) {
	a, err := data.AccountByID(q, id)
	if errors.Is(err, data.ErrNotFound) {
		return a, ErrNoAccount
	}
	if err == nil && a.OwnerUnit != s.unit.ID {
		return a, ErrNotAllowed
	}
	return a, err
}

// AccountSnapshot is one day's numbers of an account.
type AccountSnapshot = data.AccountSnapshot

// RecordAccountMetrics enters an account's followers and posts on a day
// (not after today); entering the same day again replaces its numbers.
// The account must be this unit's and open already (accepted once).
func (s *Session) RecordAccountMetrics(accountID string, day time.Time, followers, posts int64) error {
	if err := s.requireStation(); err != nil {
		return err
	}
	d := day.Format(time.DateOnly)
	if day.IsZero() || d > s.cfg.now().Format(time.DateOnly) {
		return &FieldError{Field: "day", Msg: "日期不能晚于今天 / the date cannot be after today"}
	}
	if followers < 0 {
		return &FieldError{Field: "followers", Msg: "粉丝数不能为负 / followers cannot be negative"}
	}
	if posts < 0 {
		return &FieldError{Field: "posts", Msg: "发文数不能为负 / posts cannot be negative"}
	}
	return s.store.Write(func(tx *data.Tx) error {
		a, err := s.accountOfUnit(tx, accountID)
		if err != nil {
			return err
		}
		switch FilingStatus(a.Status) {
		case FilingPlanned, FilingFiled, FilingRejected:
			return ErrNotOpen
		}
		now := s.now()
		if err := data.SaveAccountSnapshot(tx, AccountSnapshot{AccountID: a.ID, Day: d, Followers: followers, Posts: posts,
			At: now, Actor: s.User().Name}); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "account.metrics", a.ID, fmt.Sprintf("%s %d %d", d, followers, posts))
	})
}

// ErrNotOpen: numbers are entered only for an account HQ has accepted.
var ErrNotOpen = errors.New("账号尚未备案开通，不能录入数据 / the account is not open yet: numbers can be entered once HQ has accepted it")

// AccountMetrics returns an account's snapshots, newest day first.
func (s *Session) AccountMetrics(accountID string) ([]AccountSnapshot, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	return data.AccountSnapshots(s.store.Reader(), accountID)
}
