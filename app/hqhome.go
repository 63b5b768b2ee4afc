package app

import (
	"strings"
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
	// TakenDown lists the stations' posts taken down from their platforms
	// (撤下, Art. 26) since the start of the day TakenDownDays days ago,
	// the newest take-down first: all of them, take-downs being rare.
	TakenDown []TakenDownPost
}

// TakenDownDays is how far back HQ's home lists take-downs: today and
// the TakenDownDays calendar days before it, counted from the start of
// the earliest day (a fixed window, not the assessment period, so the
// list does not empty when a period begins).
const TakenDownDays = 30

// TakenDownPost is a station's post taken down from its platform, as HQ
// sees it after the station's bundle arrived.
type TakenDownPost struct {
	PostID, Title string
	Station       string // the name of the station that owns the post
	Platform, URL string // where it was published: the platform's code and the link
	PublishedAt   time.Time
	TakenDownAt   time.Time // when it came down (not when that was recorded)
	RecordedBy    string    // who recorded the take-down: the display name if known, else the user name
	Reason        string
	Notice        string // the title of the rectification notice the take-down answered, "" if none
}

// noticeAnswerMark begins the line TakeDown appends to the reason in the
// take_down step's comment when the take-down answers a notice:
// "\n答复整改通知《<title>》".
const noticeAnswerMark = "\n答复整改通知《"

// TakenDownPosts (HQ) lists the posts taken down whose take-down time
// falls in [from, to), the newest take-down first.
func (s *Session) TakenDownPosts(from, to time.Time) ([]TakenDownPost, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	q := s.store.Reader()
	rows, err := data.TakenDownPosts(q, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, err
	}
	return s.takenDownPosts(q, rows)
}

// takenDownPosts converts data rows, naming who recorded each.
func (s *Session) takenDownPosts(q data.Querier, rows []data.TakenDownPost) ([]TakenDownPost, error) {
	people := map[string]People{}
	out := make([]TakenDownPost, 0, len(rows))
	for _, r := range rows {
		p, ok := people[r.OwnerUnit]
		if !ok {
			var err error
			if p, err = s.peopleOf(q, r.OwnerUnit); err != nil {
				return nil, err
			}
			people[r.OwnerUnit] = p
		}
		t := TakenDownPost{PostID: r.ID, Title: r.Title, Station: r.UnitName, Platform: r.PublishedOn, URL: r.PublishedURL,
			TakenDownAt: time.UnixMilli(r.Event.At), RecordedBy: p.Name(r.Event.Actor)}
		if r.PublishedAt != 0 {
			t.PublishedAt = time.UnixMilli(r.PublishedAt)
		}
		t.Reason, t.Notice = splitTakeDownComment(r.Event.Comment)
		out = append(out, t)
	}
	return out, nil
}

// splitTakeDownComment splits a take_down step's comment into the reason
// and the title of the notice it answered (see noticeAnswerMark).
func splitTakeDownComment(c string) (reason, notice string) {
	c = strings.TrimSpace(c)
	if i := strings.LastIndex(c, noticeAnswerMark); i >= 0 && strings.HasSuffix(c, "》") {
		return strings.TrimSpace(c[:i]), strings.TrimSuffix(c[i+len(noticeAnswerMark):], "》")
	}
	return c, ""
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
	hd, err := data.HQHomeData(q, data.HQHomeQuery{DayStart: dayStart.UnixMilli(), Today: now.Format(time.DateOnly), Limit: homeListLength,
		TakenDownSince: dayStart.AddDate(0, 0, -TakenDownDays).UnixMilli()})
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
	if h.TakenDown, err = s.takenDownPosts(q, hd.TakenDown); err != nil {
		return HQHome{}, err
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
