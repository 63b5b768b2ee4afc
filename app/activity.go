package app

import "time"

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
