package app

import (
	"sync"
	"time"
)

// DefaultIdleMinutes is how long a session may sit untouched before it
// locks.
const DefaultIdleMinutes = 10

// MaxIdleMinutes bounds the setting.
const MaxIdleMinutes = 240

// IdleTimer decides when an idle session locks. The window reports
// activity with Touch and asks Due on a ticker.
type IdleTimer struct {
	mu    sync.Mutex
	last  time.Time
	limit time.Duration
}

// NewIdleTimer starts a timer that locks after minutes of no activity.
func NewIdleTimer(now time.Time, minutes int) *IdleTimer {
	return &IdleTimer{last: now, limit: time.Duration(minutes) * time.Minute}
}

// Touch records activity at now.
func (t *IdleTimer) Touch(now time.Time) {
	t.mu.Lock()
	if now.After(t.last) {
		t.last = now
	}
	t.mu.Unlock()
}

// SetMinutes changes the limit.
func (t *IdleTimer) SetMinutes(minutes int) {
	t.mu.Lock()
	t.limit = time.Duration(minutes) * time.Minute
	t.mu.Unlock()
}

// Due reports whether the session should lock at now.
func (t *IdleTimer) Due(now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.limit > 0 && now.Sub(t.last) >= t.limit
}
