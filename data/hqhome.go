package data

import (
	"fmt"
	"math"
)

// HQHomeQuery says what HQ's home screen asks for.
type HQHomeQuery struct {
	DayStart int64  // Unix ms of today's start: bundles received since are today's
	Today    string // YYYY-MM-DD: notices due before it and not closed are overdue
	Limit    int    // how many items of the overdue notices and the ranking to return
	// TakenDownSince is the Unix ms from which take-downs are listed
	// (TakenDownPosts, to no upper bound: a station's clock may run ahead).
	TakenDownSince int64
}

// BundleIn is a bundle received from a station, as HQ's home lists it.
type BundleIn struct {
	At       int64
	PeerName string // the sending unit's name (its id if unknown)
	Seq      int64
	Result   string // "imported", "duplicate", "refused" or "registered" (a registration bundle)
	Records  int
}

// OverdueNotice is a rectification notice past its deadline and not closed.
type OverdueNotice struct {
	ID, Title string
	UnitName  string // the station it is for
	DueOn     string
}

// StationSync is a registered station and the last bundle imported from it.
type StationSync struct {
	ID, Name     string
	RegisteredAt int64 // Unix ms
	LastIn       int64 // Unix ms of the last bundle imported from it, 0 if none
}

// RankHead is one unit's place in an assessment period.
type RankHead struct {
	UnitName    string
	Score       float64
	Rank, Units int // its rank out of Units
}

// HQHome is everything HQ's home screen shows.
type HQHome struct {
	Today          []BundleIn // bundles received today, newest first
	PostsWaiting   int        // posts awaiting HQ without a decision on their current content
	FilingsWaiting int        // filings 已报备 without a pending decision
	OverdueNotices int
	Overdue        []OverdueNotice // the first of them, earliest due first
	Stations       []StationSync   // registered stations, the longest without an import first
	Period         string          // the newest assessment period published, "" if none
	Ranking        []RankHead      // its top units, best first (not the withdrawn results, rank 0)
	TakenDown      []TakenDownPost // posts taken down since TakenDownSince, the newest take-down first
}

// HQHomeData computes HQ's home in one read. Each part walks an index
// (posts_status, accounts_status, decisions_subject, notices_open,
// sync_ledger_peer, the ledger's id from its newest row) or a table as
// small as the county (units, one period's results).
func HQHomeData(q Querier, hq HQHomeQuery) (HQHome, error) {
	var h HQHome
	var err error
	if h.Today, err = bundlesSince(q, hq.DayStart); err != nil {
		return h, err
	}
	if err := q.QueryRow("SELECT COUNT(*) FROM posts p WHERE p.status = 'awaiting_hq' AND " + postDecision + " IS NULL").
		Scan(&h.PostsWaiting); err != nil {
		return h, fmt.Errorf("data: hq home posts: %w", err)
	}
	if err := q.QueryRow("SELECT COUNT(*) FROM accounts a WHERE a.status = 'filed' AND NOT EXISTS (SELECT 1 FROM decisions d WHERE " +
		filingPending + ")").Scan(&h.FilingsWaiting); err != nil {
		return h, fmt.Errorf("data: hq home filings: %w", err)
	}

	if err := q.QueryRow("SELECT COUNT(*) FROM notices WHERE status <> 'closed' AND due_on < ?", hq.Today).Scan(&h.OverdueNotices); err != nil {
		return h, fmt.Errorf("data: hq home notices: %w", err)
	}
	if h.Overdue, err = queryList(q, func(sc scanner) (OverdueNotice, error) {
		var n OverdueNotice
		return n, sc.Scan(&n.ID, &n.Title, &n.UnitName, &n.DueOn)
	}, `SELECT n.id, n.title, COALESCE(u.name, n.unit_id), n.due_on FROM notices n LEFT JOIN units u ON u.id = n.unit_id
		WHERE n.status <> 'closed' AND n.due_on < ? ORDER BY n.due_on, n.id LIMIT ?`, hq.Today, hq.Limit); err != nil {
		return h, err
	}

	if h.Stations, err = queryList(q, func(sc scanner) (StationSync, error) {
		var s StationSync
		return s, sc.Scan(&s.ID, &s.Name, &s.RegisteredAt, &s.LastIn)
	}, `SELECT u.id, u.name, COALESCE(u.registered_at, 0) AS reg,
			COALESCE((SELECT MAX(l.at) FROM sync_ledger l WHERE l.peer = u.id AND l.direction = 'in' AND l.result = 'imported'), 0) AS last
		FROM units u WHERE u.kind = 'station' AND u.state = 'registered' ORDER BY CASE WHEN last > 0 THEN last ELSE reg END, u.name, u.id LIMIT ?`, -1); err != nil {
		return h, err
	}

	if err := q.QueryRow("SELECT COALESCE(MAX(period), '') FROM assessment_results WHERE published_at = (SELECT MAX(published_at) FROM assessment_results WHERE published_at > 0)").
		Scan(&h.Period); err != nil {
		return h, fmt.Errorf("data: hq home ranking: %w", err)
	}
	if h.Period != "" {
		if h.Ranking, err = queryList(q, func(sc scanner) (RankHead, error) {
			var r RankHead
			return r, sc.Scan(&r.UnitName, &r.Score, &r.Rank, &r.Units)
		}, `SELECT COALESCE(u.name, r.unit_id), r.score, r.rank, r.units FROM assessment_results r
			LEFT JOIN units u ON u.id = r.unit_id WHERE r.period = ? AND r.rank > 0 ORDER BY r.rank, r.unit_id LIMIT ?`, h.Period, hq.Limit); err != nil {
			return h, err
		}
	}
	if h.TakenDown, err = TakenDownPosts(q, hq.TakenDownSince, math.MaxInt64); err != nil {
		return h, fmt.Errorf("data: hq home take-downs: %w", err)
	}
	return h, nil
}

// bundlesSince lists the bundles received since the time since, newest
// first. The ledger is appended in time order, so the walk down its ids
// stops at the first row before since: it reads today's rows and one more.
func bundlesSince(q Querier, since int64) ([]BundleIn, error) {
	rows, err := q.Query(`SELECT l.at, l.direction, COALESCE(u.name, l.peer), l.seq, l.result, l.records
		FROM sync_ledger l LEFT JOIN units u ON u.id = l.peer ORDER BY l.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("data: hq home ledger: %w", err)
	}
	defer rows.Close()
	var out []BundleIn
	for rows.Next() {
		var b BundleIn
		var dir string
		if err := rows.Scan(&b.At, &dir, &b.PeerName, &b.Seq, &b.Result, &b.Records); err != nil {
			return nil, err
		}
		if b.At < since {
			break
		}
		if dir == "in" {
			out = append(out, b)
		}
	}
	return out, rows.Err()
}
