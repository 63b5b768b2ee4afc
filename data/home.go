package data

import (
	"database/sql"
	"errors"
	"fmt"
)

// HomeQuery says what a station's home screen asks for.
type HomeQuery struct {
	UserID string // the signed-in user, for their own returned drafts
	Today  string // YYYY-MM-DD; messages and notices due before it are overdue
	// IdleBefore is the zombie cut-off (Unix ms): live accounts whose last
	// published post (or, with none, whose filing) is older are listed.
	IdleBefore int64
	Limit      int // how many items of each list to return
}

// PostHead is a post as a home list shows it.
type PostHead struct {
	ID, Title, Status string
	AuthorID          string
	UpdatedAt         int64
}

// MessageHead is a netizen message as a home list shows it.
type MessageHead struct {
	ID, Platform, Handle, Type, DueOn string
}

// IdleAccount is a live account without a recent published post.
type IdleAccount struct {
	ID, Platform, Name string
	LastPost           int64 // Unix ms of its last published post, 0 if none
	Since              int64 // Unix ms its idleness counts from (LastPost, or its filing)
}

// NoticeHead is a rectification notice as a home list shows it.
type NoticeHead struct {
	ID, Title, DueOn, Status string
}

// StationHome is everything a station's home screen shows.
type StationHome struct {
	PostCounts   map[string]int // posts per status that still need someone
	MyReturned   int            // the user's own drafts sent back
	ToReview     []PostHead     // submitted posts, oldest first
	OpenMessages int
	Overdue      int
	OverdueList  []MessageHead // overdue messages, earliest due first
	LiveAccounts int
	Idle         []IdleAccount // idle live accounts, longest idle first (all of them)
	OpenNotices  int
	LateNotices  int
	Notices      []NoticeHead // open notices, earliest due first
	LastSyncAt   int64        // Unix ms of the last bundle exported or imported, 0 if never
}

// LastSyncSetting is the settings key the sync layer updates with the Unix
// ms time of the last bundle it exported or imported.
const LastSyncSetting = "sync.last_at"

// liveAccountStatuses are the filing states in which an account is open to
// the public, so a lack of posts matters.
const liveAccountStatuses = "('accepted', 'verified')"

// waitingPostStatuses are the post states in which a post waits for someone.
const waitingPostStatuses = "('submitted', 'returned', 'awaiting_hq', 'ready')"

// StationHomeData computes the station home in one read. Each part is an
// indexed query, so the cost grows with what needs attention, not with the
// size of the registers.
func StationHomeData(q Querier, hq HomeQuery) (StationHome, error) {
	h := StationHome{PostCounts: map[string]int{}}
	rows, err := q.Query("SELECT status, COUNT(*) FROM posts WHERE status IN " + waitingPostStatuses + " GROUP BY status")
	if err != nil {
		return h, fmt.Errorf("data: home posts: %w", err)
	}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			rows.Close()
			return h, err
		}
		h.PostCounts[st] = n
	}
	rows.Close()
	// "+author_id": walk the few returned posts (posts_status), not all of
	// the author's (posts_author), which the planner would otherwise pick.
	if err := q.QueryRow("SELECT COUNT(*) FROM posts WHERE status = 'returned' AND +author_id = ?", hq.UserID).Scan(&h.MyReturned); err != nil {
		return h, fmt.Errorf("data: home returned: %w", err)
	}
	if h.ToReview, err = queryList(q, func(sc scanner) (PostHead, error) {
		var p PostHead
		return p, sc.Scan(&p.ID, &p.Title, &p.Status, &p.AuthorID, &p.UpdatedAt)
	}, "SELECT id, title, status, author_id, updated_at FROM posts WHERE status = 'submitted' ORDER BY updated_at, id LIMIT ?", hq.Limit); err != nil {
		return h, err
	}

	if err := q.QueryRow("SELECT COUNT(*), COUNT(*) FILTER (WHERE due_on < ?) FROM messages WHERE closed_at IS NULL", hq.Today).
		Scan(&h.OpenMessages, &h.Overdue); err != nil {
		return h, fmt.Errorf("data: home messages: %w", err)
	}
	if h.OverdueList, err = queryList(q, func(sc scanner) (MessageHead, error) {
		var m MessageHead
		return m, sc.Scan(&m.ID, &m.Platform, &m.Handle, &m.Type, &m.DueOn)
	}, "SELECT id, platform, handle, type, due_on FROM messages WHERE closed_at IS NULL AND due_on < ? ORDER BY due_on, id LIMIT ?", hq.Today, hq.Limit); err != nil {
		return h, err
	}

	if err := q.QueryRow("SELECT COUNT(*) FROM accounts WHERE status IN " + liveAccountStatuses).Scan(&h.LiveAccounts); err != nil {
		return h, fmt.Errorf("data: home accounts: %w", err)
	}
	if h.Idle, err = queryList(q, func(sc scanner) (IdleAccount, error) {
		var a IdleAccount
		return a, sc.Scan(&a.ID, &a.Platform, &a.Name, &a.LastPost, &a.Since)
	}, `SELECT id, platform, name, last, COALESCE(NULLIF(last, 0), updated_at) AS since FROM (
			SELECT a.id, a.platform, a.name, a.updated_at,
				COALESCE((SELECT MAX(p.published_at) FROM posts p WHERE p.account_id = a.id), 0) AS last
			FROM accounts a WHERE a.status IN `+liveAccountStatuses+`)
		WHERE since < ? ORDER BY since, id LIMIT ?`, hq.IdleBefore, -1); err != nil {
		return h, err
	}

	if err := q.QueryRow("SELECT COUNT(*), COUNT(*) FILTER (WHERE due_on < ?) FROM notices WHERE status <> 'closed'", hq.Today).
		Scan(&h.OpenNotices, &h.LateNotices); err != nil {
		return h, fmt.Errorf("data: home notices: %w", err)
	}
	if h.Notices, err = queryList(q, func(sc scanner) (NoticeHead, error) {
		var n NoticeHead
		return n, sc.Scan(&n.ID, &n.Title, &n.DueOn, &n.Status)
	}, "SELECT id, title, due_on, status FROM notices WHERE status <> 'closed' ORDER BY due_on, id LIMIT ?", hq.Limit); err != nil {
		return h, err
	}

	var last string
	switch err := q.QueryRow("SELECT value FROM settings WHERE key = ?", LastSyncSetting).Scan(&last); {
	case err == nil:
		if _, err := fmt.Sscan(last, &h.LastSyncAt); err != nil {
			return h, fmt.Errorf("data: setting %s = %q is not a time", LastSyncSetting, last)
		}
	case !errors.Is(err, sql.ErrNoRows):
		return h, err
	}
	return h, nil
}

// scanner is a row being read.
type scanner interface{ Scan(...any) error }

// queryList runs a query and scans each row with scan (list queries pass
// their limit as the last argument; -1 for all).
func queryList[T any](q Querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.Query(query, args...)
	if err != nil {
		return nil, fmt.Errorf("data: home: %w", err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
