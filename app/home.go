package app

import (
	"time"

	"mediadesk/data"
)

// homeListLength is how many items each list on the home screen shows.
const homeListLength = 5

// StationHome is what a station's home shows the signed-in user: what
// needs them now.
type StationHome struct {
	// ToReview are posts waiting for a shift leader, oldest first (shift
	// leaders only; empty for others); Waiting counts posts per waiting
	// status for everyone.
	ToReview []PostHead
	Waiting  map[PostStatus]int
	// MyReturned counts the user's own drafts sent back for changes.
	MyReturned int
	// OpenMessages and OverdueMessages count netizen messages not closed
	// and those past their deadline; Overdue lists the first of them.
	OpenMessages, OverdueMessages int
	Overdue                       []MessageHead
	// LiveAccounts counts accounts open to the public; Zombie and Sleeping
	// are those without a published post for the activity rule's limits.
	LiveAccounts     int
	Zombie, Sleeping []IdleAccount
	// OpenNotices counts rectification notices not closed, LateNotices
	// those past their deadline; Notices lists the first of them.
	OpenNotices, LateNotices int
	Notices                  []NoticeHead
	// DaysSinceSync is the number of days since the last bundle went out or
	// came in; Synced is false if none ever did.
	DaysSinceSync int
	Synced        bool

	asOf time.Time // when it was computed
}

// NoticeLate reports whether notice n of the home is past its deadline
// as of when the home was computed (NoticeOverdue).
func (h StationHome) NoticeLate(n NoticeHead) bool {
	return NoticeOverdue(n.DueOn, NoticeStatus(n.Status) == NoticeClosed, h.asOf)
}

// StationHome computes the home screen of a station user as of now.
func (s *Session) StationHome() (StationHome, error) {
	if err := s.requireStation(); err != nil {
		return StationHome{}, err
	}
	now := s.cfg.now()
	rule := s.ActivityRule()
	idleSince := now.AddDate(0, 0, -rule.ZombieDays)
	d, err := data.StationHomeData(s.store.Reader(), data.HomeQuery{
		UserID:     s.User().ID,
		Today:      now.Format(time.DateOnly),
		IdleBefore: idleSince.UnixMilli() + 1, // Classify: idle from exactly ZombieDays on
		Limit:      homeListLength,
	})
	if err != nil {
		return StationHome{}, err
	}
	h := StationHome{
		Waiting:         map[PostStatus]int{},
		MyReturned:      d.MyReturned,
		OpenMessages:    d.OpenMessages,
		OverdueMessages: d.Overdue,
		Overdue:         d.OverdueList,
		LiveAccounts:    d.LiveAccounts,
		OpenNotices:     d.OpenNotices,
		LateNotices:     d.LateNotices,
		Notices:         d.Notices,
		asOf:            now,
	}
	for st, n := range d.PostCounts {
		h.Waiting[PostStatus(st)] = n
	}
	if s.User().Role == ShiftLeader {
		h.ToReview = d.ToReview
	}
	for _, a := range d.Idle {
		switch rule.Classify(time.UnixMilli(a.Since), now) {
		case Sleeping:
			h.Sleeping = append(h.Sleeping, a)
		case Zombie:
			h.Zombie = append(h.Zombie, a)
		}
	}
	if d.LastSyncAt > 0 {
		h.Synced = true
		h.DaysSinceSync = int(now.Sub(time.UnixMilli(d.LastSyncAt)).Hours() / 24)
	}
	return h, nil
}
