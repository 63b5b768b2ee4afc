package app

import (
	"fmt"
	"time"
)

// Calendar says which days are working days: Monday to Friday, minus
// public holidays, plus the weekend days worked in their place (调休).
type Calendar struct {
	Holidays map[string]bool // "2026-10-01": a weekday off
	Workdays map[string]bool // "2026-10-10": a weekend day worked
}

func dayKey(t time.Time) string { return t.Format(time.DateOnly) }

// IsWorkingDay reports whether t's date is a working day.
func (c Calendar) IsWorkingDay(t time.Time) bool {
	k := dayKey(t)
	if c.Workdays[k] {
		return true
	}
	if c.Holidays[k] {
		return false
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays returns the end of the n-th working day after start's
// day (the day a message is received does not count): a deadline of 5
// working days for a message received on a Friday ends on the next
// Friday at 24:00, in start's location.
func (c Calendar) AddWorkingDays(start time.Time, n int) time.Time {
	y, m, d := start.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, start.Location())
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.IsWorkingDay(day) {
			n--
		}
	}
	return day.AddDate(0, 0, 1) // the end of that day
}

// MessageType is the kind of a netizen message (Art. 24).
type MessageType string

// The netizen message types.
const (
	Inquiry    MessageType = "inquiry"    // 咨询
	Complaint  MessageType = "complaint"  // 投诉
	Report     MessageType = "report"     // 举报
	Suggestion MessageType = "suggestion" // 建议
	General    MessageType = "general"    // 一般留言
)

// MaxDeadlineDays bounds any configured deadline.
const MaxDeadlineDays = 15

// DefaultDeadlines are the working days allowed per message type.
var DefaultDeadlines = map[MessageType]int{Inquiry: 5, Suggestion: 5, Complaint: 7, Report: 7, General: 5}

// ValidateDeadlines checks a configured deadline table.
func ValidateDeadlines(d map[MessageType]int) error {
	for _, t := range MessageTypes {
		n, ok := d[t]
		if !ok || n < 1 || n > MaxDeadlineDays {
			return &FieldError{Field: "deadlines", Msg: fmt.Sprintf("%s的办理时限须为 1 到 %d 个工作日 / the deadline for %s must be 1 to %d working days", t.Name(), MaxDeadlineDays, t, MaxDeadlineDays)}
		}
	}
	return nil
}
