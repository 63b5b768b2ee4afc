package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"mediadesk/data"
)

// HQ's register of stations (issue 6 item 1): every station unit with its
// state, key, bundles both ways, and how long it has been silent.

// keySyncWarnDays is the settings key of the days a station may go
// without sending a bundle before HQ's register flags it.
const keySyncWarnDays = "sync.warn_days"

// DefaultSyncWarnDays and MaxSyncWarnDays bound that setting (1 …).
const (
	DefaultSyncWarnDays = 7
	MaxSyncWarnDays     = 90
)

// StationOverview is one station in HQ's register.
type StationOverview struct {
	// PeerStatus is the exchange with it: the last bundle number sent
	// (SentSeq, at LastOut), the last it acknowledged, the newest bundle
	// from it applied (Received, at LastIn; a lost one before it needs no
	// resending), the changes it has not acknowledged, and its key's
	// fingerprint (empty while it is enrolled and has no registered key yet).
	PeerStatus
	// DaysSinceSync counts whole days since its last bundle arrived, or
	// since its registration if none has; Synced is false if none has.
	DaysSinceSync int
	Synced        bool
	// Late is true for a registered station silent for more than the
	// warning limit (SyncWarnDays).
	Late bool
}

// StationsOverview (HQ) lists every station unit, by name.
func (s *Session) StationsOverview() ([]StationOverview, error) {
	if s.unit.Kind != HQ {
		return nil, ErrNotAllowed
	}
	peers, err := s.SyncStatus()
	if err != nil {
		return nil, err
	}
	limit, now := s.SyncWarnDays(), s.cfg.now()
	var out []StationOverview
	for _, p := range peers {
		if p.Unit.Kind != string(Station) {
			continue
		}
		o := StationOverview{PeerStatus: p}
		if p.Unit.State == UnitEnrolled {
			o.Fingerprint = "" // the key shown is an old, revoked one
		}
		since := p.Unit.RegisteredAt
		if p.LastIn > 0 {
			since, o.Synced = p.LastIn, true
		}
		if since > 0 {
			o.DaysSinceSync = daysSince(since, now)
		}
		o.Late = p.Unit.State == UnitRegistered && since > 0 && o.DaysSinceSync > limit
		out = append(out, o)
	}
	return out, nil
}

// daysSince counts the whole days from Unix ms from to now.
func daysSince(from int64, now time.Time) int {
	return int(now.Sub(time.UnixMilli(from)).Hours() / 24)
}

// SinceLastSync returns the whole days since the last bundle went out or
// came in; synced is false if none ever did (the status bar).
func (s *Session) SinceLastSync() (days int, synced bool, err error) {
	v, err := data.Setting(s.store.Reader(), data.LastSyncSetting)
	if errors.Is(err, data.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	at, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("最近同步时间无法读取 / the last sync time %q cannot be read", v)
	}
	return daysSince(at, s.cfg.now()), true, nil
}

// SyncWarnDays returns after how many days without a bundle a station is
// flagged in HQ's register.
func (s *Session) SyncWarnDays() int {
	v, err := data.Setting(s.store.Reader(), keySyncWarnDays)
	if err != nil {
		return DefaultSyncWarnDays
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > MaxSyncWarnDays {
		return DefaultSyncWarnDays
	}
	return n
}

// SetSyncWarnDays (HQ admin) changes that limit, 1 to MaxSyncWarnDays.
func (s *Session) SetSyncWarnDays(n int) error {
	if err := s.requireHQAdmin(); err != nil {
		return err
	}
	if n < 1 || n > MaxSyncWarnDays {
		return &FieldError{Field: "sync_warn_days", Msg: fmt.Sprintf("请输入 1 到 %d 之间的天数 / enter 1 to %d days", MaxSyncWarnDays, MaxSyncWarnDays)}
	}
	return s.store.Write(func(tx *data.Tx) error {
		if err := data.SetSetting(tx, keySyncWarnDays, strconv.Itoa(n)); err != nil {
			return err
		}
		return data.AppendAudit(tx, s.now(), s.User().Name, "settings.sync_warn_days", "", strconv.Itoa(n))
	})
}

// RegisterStation (HQ admin) registers the station whose registration
// bundle is at path after the admin typed the fingerprint the station read
// out by phone: it is required, and a mismatch is the field's error.
func (s *Session) RegisterStation(ctx context.Context, path, typed string) (Registration, error) {
	reg, err := s.RegisterUnit(ctx, path, typed)
	if errors.Is(err, ErrFingerprint) || errors.Is(err, ErrNoFingerprint) {
		return reg, &FieldError{Field: "fingerprint", Msg: err.Error()}
	}
	return reg, err
}
