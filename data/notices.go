package data

import (
	"database/sql"
	"errors"
	"strings"
)

// Notice is a rectification notice (整改通知, Art. 26): written by HQ
// (OwnerUnit) to one station (UnitID). HQ changes a notice only to issue,
// close or reopen it, so while it is not closed UpdatedAt is the time it
// was issued or last reopened.
type Notice struct {
	ID        string
	OwnerUnit string // HQ
	UnitID    string // the station it is addressed to
	Title     string
	Body      string // what to fix; reopening appends HQ's reason
	Article   string // the article of the regulation, e.g. "第十八条"
	Item      string // the item or clause, free text, may be empty
	DueOn     string // YYYY-MM-DD, the last day allowed
	Status    string // open, reopened or closed
	IssuedAt  int64  // Unix ms
	ClosedAt  int64  // Unix ms; 0 unless closed
	CreatedBy string
	CreatedAt int64
	UpdatedAt int64
	Version   int64
}

// NoticeAnswer is a station's answer to a notice: what it fixed.
type NoticeAnswer struct {
	ID         string
	OwnerUnit  string // the station
	NoticeID   string
	Body       string
	AnsweredAt int64 // Unix ms
	Actor      string
	CreatedAt  int64
	UpdatedAt  int64
	Version    int64
}

// NoticeRow is a notice as a list shows it: with its unit's name and a
// summary of its answers.
type NoticeRow struct {
	Notice
	UnitName     string // the station's name ("" when the unit is unknown here)
	Answers      int
	LastAnswerAt int64 // Unix ms of the latest answer, 0 if none
}

const noticeColumns = `id, owner_unit, unit_id, title, body, article, item, due_on, status, issued_at, closed_at,
	created_by, created_at, updated_at, version`

func scanNotice(sc scanner, extra ...any) (Notice, error) {
	var n Notice
	var closed sql.NullInt64
	err := sc.Scan(append([]any{&n.ID, &n.OwnerUnit, &n.UnitID, &n.Title, &n.Body, &n.Article, &n.Item, &n.DueOn, &n.Status,
		&n.IssuedAt, &closed, &n.CreatedBy, &n.CreatedAt, &n.UpdatedAt, &n.Version}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return n, ErrNotFound
	}
	n.ClosedAt = closed.Int64
	return n, err
}

// InsertNotice adds a new notice.
func InsertNotice(tx *Tx, n Notice) error {
	_, err := tx.Exec(`INSERT INTO notices(`+noticeColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		n.ID, n.OwnerUnit, n.UnitID, n.Title, n.Body, n.Article, n.Item, n.DueOn, n.Status, n.IssuedAt, nullInt(n.ClosedAt),
		n.CreatedBy, n.CreatedAt, n.UpdatedAt, n.Version)
	return err
}

// UpdateNotice writes what closing or reopening changes (body, due_on,
// status, closed_at, updated_at) and bumps the version, so the change
// travels. n.Version is the version that was read; when the stored row
// has another, nothing is written and ErrStale is returned. On success
// n.Version is the new one.
func UpdateNotice(tx *Tx, n *Notice) error {
	res, err := tx.Exec(`UPDATE notices SET body = ?, due_on = ?, status = ?, closed_at = ?, updated_at = ?, version = ?
		WHERE id = ? AND version = ?`,
		n.Body, n.DueOn, n.Status, nullInt(n.ClosedAt), n.UpdatedAt, n.Version+1, n.ID, n.Version)
	if err != nil {
		return err
	}
	if k, err := res.RowsAffected(); err != nil {
		return err
	} else if k == 0 {
		return ErrStale
	}
	n.Version++
	return nil
}

// NoticeByID reads one notice.
func NoticeByID(q Querier, id string) (Notice, error) {
	return scanNotice(q.QueryRow("SELECT "+noticeColumns+" FROM notices WHERE id = ?", id))
}

// InsertNoticeAnswer adds a station's answer.
func InsertNoticeAnswer(tx *Tx, a NoticeAnswer) error {
	_, err := tx.Exec(`INSERT INTO notice_answers(id, owner_unit, notice_id, body, answered_at, actor, created_at, updated_at, version)
		VALUES (?,?,?,?,?,?,?,?,?)`, a.ID, a.OwnerUnit, a.NoticeID, a.Body, a.AnsweredAt, a.Actor, a.CreatedAt, a.UpdatedAt, a.Version)
	return err
}

const noticeAnswerColumns = "id, owner_unit, notice_id, body, answered_at, actor, created_at, updated_at, version"

func scanNoticeAnswer(sc scanner) (NoticeAnswer, error) {
	var a NoticeAnswer
	return a, sc.Scan(&a.ID, &a.OwnerUnit, &a.NoticeID, &a.Body, &a.AnsweredAt, &a.Actor, &a.CreatedAt, &a.UpdatedAt, &a.Version)
}

// NoticeAnswers lists a notice's answers, oldest first.
func NoticeAnswers(q Querier, noticeID string) ([]NoticeAnswer, error) {
	return queryList(q, scanNoticeAnswer, "SELECT "+noticeAnswerColumns+
		" FROM notice_answers WHERE notice_id = ? ORDER BY answered_at, id LIMIT ?", noticeID, -1)
}

// AnswersToMissingNotices lists the answers whose notice this install does
// not have (an HQ rebuilt from a key backup), newest first.
func AnswersToMissingNotices(q Querier) ([]NoticeAnswer, error) {
	return queryList(q, scanNoticeAnswer, "SELECT "+noticeAnswerColumns+` FROM notice_answers a
		WHERE NOT EXISTS (SELECT 1 FROM notices n WHERE n.id = a.notice_id) ORDER BY answered_at DESC, id LIMIT ?`, -1)
}

// Notice list states (NoticeFilter.State).
const (
	NoticesOpen = "open" // not closed
	// NoticesAnswered: not closed, with an answer since it was issued or
	// last reopened (answered_at ≥ updated_at): waiting for HQ.
	NoticesAnswered = "answered"
	NoticesOverdue  = "overdue" // not closed and due before Today
	NoticesClosed   = "closed"
)

// NoticeFilter selects notices for a list; zero fields match everything.
type NoticeFilter struct {
	UnitID string
	State  string // "", NoticesOpen, NoticesAnswered, NoticesOverdue or NoticesClosed
	Today  string // YYYY-MM-DD; NoticesOverdue selects due_on < Today
}

// ListNotices returns the notices f selects: those not closed first, by
// due date, then the closed ones, latest closed first.
func ListNotices(q Querier, f NoticeFilter) ([]NoticeRow, error) {
	var where []string
	var args []any
	add := func(cond string, v ...any) { where = append(where, cond); args = append(args, v...) }
	switch f.State {
	case NoticesOpen:
		add("status <> 'closed'")
	case NoticesAnswered:
		add("status <> 'closed' AND last_answer >= updated_at")
	case NoticesOverdue:
		add("status <> 'closed' AND due_on < ?", f.Today)
	case NoticesClosed:
		add("status = 'closed'")
	}
	if f.UnitID != "" {
		add("unit_id = ?", f.UnitID)
	}
	query := `SELECT ` + noticeColumns + `, unit_name, answers, last_answer FROM (
		SELECT n.*, COALESCE((SELECT u.name FROM units u WHERE u.id = n.unit_id), '') AS unit_name,
			(SELECT COUNT(*) FROM notice_answers a WHERE a.notice_id = n.id) AS answers,
			COALESCE((SELECT MAX(a.answered_at) FROM notice_answers a WHERE a.notice_id = n.id), 0) AS last_answer
		FROM notices n)`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY status = 'closed', CASE WHEN status = 'closed' THEN -closed_at END, due_on, issued_at, id LIMIT ?"
	return queryList(q, func(sc scanner) (NoticeRow, error) {
		var r NoticeRow
		var err error
		r.Notice, err = scanNotice(sc, &r.UnitName, &r.Answers, &r.LastAnswerAt)
		return r, err
	}, query, append(args, -1)...)
}
