package app

import (
	"time"

	"mediadesk/data"
)

// HQHome is what HQ's home shows (Art. 6, 10): what arrived today, what
// waits for HQ, what is late, and where the units stand.
type HQHome struct {
	// Today lists the bundles received today, newest first; Imported and
	// Refused count those imported and refused among them.
	Today             []data.BundleIn
	Imported, Refused int
	// PostsWaiting counts posts awaiting HQ that HQ has not decided on;
	// FilingsWaiting the filings (已报备) it has not decided on.
	PostsWaiting, FilingsWaiting int
	// OverdueNotices counts rectification notices past their deadline and
	// not closed; Overdue lists the first of them, earliest due first.
	OverdueNotices int
	Overdue        []data.OverdueNotice
	// Late lists the registered stations no bundle has come from for more
	// than SyncWarnDays days (counted from their registration if none
	// ever has), the longest silent first.
	Late         []LateStation
	SyncWarnDays int
	// Period is the newest assessment period with published results, ""
	// if none; Ranking is its top units, best first.
	Period  string
	Ranking []data.RankHead
}

// LateStation is a station silent for too long.
type LateStation struct {
	ID, Name string
	LastIn   time.Time // its last bundle imported; zero if none ever was
	Days     int       // whole days since (since its registration if none)
}

// HQHome (HQ) computes the home screen as of now.
func (s *Session) HQHome() (HQHome, error) {
	if err := s.requireHQStaff(); err != nil {
		return HQHome{}, err
	}
	now := s.cfg.now()
	y, m, d := now.Date()
	dayStart := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	q := s.store.Reader()
	hd, err := data.HQHomeData(q, data.HQHomeQuery{DayStart: dayStart.UnixMilli(), Today: now.Format(time.DateOnly), Limit: homeListLength})
	if err != nil {
		return HQHome{}, err
	}
	h := HQHome{Today: hd.Today, PostsWaiting: hd.PostsWaiting, FilingsWaiting: hd.FilingsWaiting,
		OverdueNotices: hd.OverdueNotices, Overdue: hd.Overdue, SyncWarnDays: s.SyncWarnDays(), Period: hd.Period, Ranking: hd.Ranking}
	for _, b := range hd.Today {
		switch b.Result {
		case Imported:
			h.Imported++
		case Refused:
			h.Refused++
		}
	}
	// The same rule as the register of stations (StationsOverview).
	for _, st := range hd.Stations {
		since := st.RegisteredAt
		late := LateStation{ID: st.ID, Name: st.Name}
		if st.LastIn > 0 {
			since, late.LastIn = st.LastIn, time.UnixMilli(st.LastIn)
		}
		if since == 0 {
			continue
		}
		if late.Days = daysSince(since, now); late.Days > h.SyncWarnDays {
			h.Late = append(h.Late, late)
		}
	}
	return h, nil
}
