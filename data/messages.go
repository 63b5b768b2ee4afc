package data

import (
	"database/sql"
	"errors"
	"strings"
)

// ErrStale refuses an update of a record that changed since it was read.
var ErrStale = errors.New("记录已被修改，请刷新后重试 / the record changed meanwhile: refresh and retry")

// Message is a netizen message (Art. 24) and where its handling stands.
type Message struct {
	ID         string
	OwnerUnit  string
	Platform   string
	AccountID  string // one of the unit's accounts on Platform, or empty
	Handle     string // the netizen's name on the platform
	ReceivedAt int64  // Unix milliseconds
	Type       string
	Content    string
	Status     string
	Department string // where it was transferred (流转)
	Reply      string // the answer given to the netizen
	Channel    string // 非本机关职权: the proper channel named in the reply
	DueOn      string // YYYY-MM-DD, the last working day allowed; fixed at receipt
	ClosedAt   int64  // Unix milliseconds; 0 while open
	CreatedBy  string
	CreatedAt  int64
	UpdatedAt  int64
	Version    int64
}

// MessageStep is one transition of a message.
type MessageStep struct {
	ID         string
	MessageID  string
	At         int64
	Actor      string
	FromStatus string
	ToStatus   string
	Department string
	Note       string
}

const messageColumns = `id, owner_unit, platform, account_id, handle, received_at, type, content, status, department,
	reply, channel, due_on, closed_at, created_by, created_at, updated_at, version`

func scanMessage(sc interface{ Scan(...any) error }) (Message, error) {
	var m Message
	var account sql.NullString
	var closed sql.NullInt64
	err := sc.Scan(&m.ID, &m.OwnerUnit, &m.Platform, &account, &m.Handle, &m.ReceivedAt, &m.Type, &m.Content, &m.Status,
		&m.Department, &m.Reply, &m.Channel, &m.DueOn, &closed, &m.CreatedBy, &m.CreatedAt, &m.UpdatedAt, &m.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	m.AccountID, m.ClosedAt = account.String, closed.Int64
	return m, err
}

// InsertMessage adds a new message.
func InsertMessage(tx *Tx, m Message) error {
	_, err := tx.Exec(`INSERT INTO messages(`+messageColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		m.ID, m.OwnerUnit, m.Platform, nullString(m.AccountID), m.Handle, m.ReceivedAt, m.Type, m.Content, m.Status,
		m.Department, m.Reply, m.Channel, m.DueOn, nullInt(m.ClosedAt), m.CreatedBy, m.CreatedAt, m.UpdatedAt, m.Version)
	return err
}

// UpdateMessage writes the handling of m (status, department, reply,
// channel, closed_at, updated_at) and bumps its version. m.Version is the
// version that was read; when the stored row has another, nothing is
// written and ErrStale is returned. On success m.Version is the new one.
func UpdateMessage(tx *Tx, m *Message) error {
	res, err := tx.Exec(`UPDATE messages SET status = ?, department = ?, reply = ?, channel = ?, closed_at = ?,
		updated_at = ?, version = ? WHERE id = ? AND version = ?`,
		m.Status, m.Department, m.Reply, m.Channel, nullInt(m.ClosedAt), m.UpdatedAt, m.Version+1, m.ID, m.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrStale
	}
	m.Version++
	return nil
}

// MessageByID reads one message.
func MessageByID(q Querier, id string) (Message, error) {
	return scanMessage(q.QueryRow("SELECT "+messageColumns+" FROM messages WHERE id = ?", id))
}

// AddMessageStep records a transition.
func AddMessageStep(tx *Tx, s MessageStep) error {
	_, err := tx.Exec(`INSERT INTO message_steps(id, message_id, at, actor, from_status, to_status, department, note)
		VALUES (?,?,?,?,?,?,?,?)`, s.ID, s.MessageID, s.At, s.Actor, s.FromStatus, s.ToStatus, s.Department, s.Note)
	return err
}

// MessageSteps lists a message's transitions, oldest first.
func MessageSteps(q Querier, messageID string) ([]MessageStep, error) {
	rows, err := q.Query(`SELECT id, message_id, at, actor, from_status, to_status, department, note
		FROM message_steps WHERE message_id = ? ORDER BY at, id`, messageID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MessageStep
	for rows.Next() {
		var s MessageStep
		if err := rows.Scan(&s.ID, &s.MessageID, &s.At, &s.Actor, &s.FromStatus, &s.ToStatus, &s.Department, &s.Note); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Message list states (MessageFilter.State).
const (
	MessagesOpen    = "open"    // not closed, most urgent first
	MessagesOverdue = "overdue" // not closed and due before Today, most urgent first
	MessagesClosed  = "closed"  // closed, latest closed first
)

// MessageFilter selects messages for a list; zero fields match everything.
// With no State the list holds every message, latest received first.
type MessageFilter struct {
	State    string // "", MessagesOpen, MessagesOverdue or MessagesClosed
	Today    string // YYYY-MM-DD; MessagesOverdue selects due_on < Today
	Type     string
	Platform string
	Text     string // found in the content or the handle
	// After continues the list right after a message of the same order
	// (the Cursor of the last message of the previous page).
	After MessageCursor
	Limit int
}

// MessageCursor is where a page of ListMessages ended: the sort keys of
// its last message. The zero value starts at the top.
type MessageCursor struct {
	ID         string
	DueOn      string
	ReceivedAt int64
	ClosedAt   int64
}

// Cursor returns the cursor that continues a list after m.
func (m Message) Cursor() MessageCursor {
	return MessageCursor{ID: m.ID, DueOn: m.DueOn, ReceivedAt: m.ReceivedAt, ClosedAt: m.ClosedAt}
}

// ListMessages returns a page of messages. Open (and overdue) messages
// come by due date, then time received: the most urgent first; closed
// ones latest closed first; all of them latest received first. Each order
// ends in id, so a cursor is exact and the indexes bound the scan.
func ListMessages(q Querier, f MessageFilter) ([]Message, error) {
	var where []string
	var args []any
	add := func(cond string, v ...any) { where = append(where, cond); args = append(args, v...) }
	var order, after string
	var afterArgs []any
	switch f.State {
	case MessagesOpen, MessagesOverdue:
		add("closed_at IS NULL")
		if f.State == MessagesOverdue {
			add("due_on < ?", f.Today)
		}
		order = "due_on, received_at, id"
		after, afterArgs = "(due_on, received_at, id) > (?, ?, ?)", []any{f.After.DueOn, f.After.ReceivedAt, f.After.ID}
	case MessagesClosed:
		add("closed_at IS NOT NULL")
		order = "closed_at DESC, id DESC"
		after, afterArgs = "(closed_at, id) < (?, ?)", []any{f.After.ClosedAt, f.After.ID}
	default:
		order = "received_at DESC, id DESC"
		after, afterArgs = "(received_at, id) < (?, ?)", []any{f.After.ReceivedAt, f.After.ID}
	}
	if f.Type != "" {
		add("type = ?", f.Type)
	}
	if f.Platform != "" {
		add("platform = ?", f.Platform)
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		add("(instr(content, ?) > 0 OR instr(handle, ?) > 0)", t, t)
	}
	if f.After.ID != "" {
		add(after, afterArgs...)
	}
	query := "SELECT " + messageColumns + " FROM messages"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY " + order
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := q.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// CountMessages counts the messages not closed and, among them, those
// due before today (YYYY-MM-DD). It reads the messages_open index only.
func CountMessages(q Querier, today string) (open, overdue int, err error) {
	err = q.QueryRow(`SELECT count(*), coalesce(sum(due_on < ?), 0) FROM messages WHERE closed_at IS NULL`, today).
		Scan(&open, &overdue)
	return open, overdue, err
}

// MessageRulesRow is the county's rules for netizen messages as HQ set
// them: Deadlines and Calendar are JSON, app/ reads and checks them.
type MessageRulesRow struct {
	ID, OwnerUnit       string
	Deadlines, Calendar string
	SetBy               string // who set them, for the station to read
	UpdatedAt, Version  int64
}

// CountyMessageRules reads the county's rules, or ErrNotFound before HQ
// set any (or, at a station, before they arrived).
func CountyMessageRules(q Querier) (MessageRulesRow, error) {
	var r MessageRulesRow
	err := q.QueryRow(`SELECT id, owner_unit, deadlines, calendar, set_by, updated_at, version FROM message_rules
		ORDER BY updated_at DESC, id LIMIT 1`).Scan(&r.ID, &r.OwnerUnit, &r.Deadlines, &r.Calendar, &r.SetBy, &r.UpdatedAt, &r.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// SaveCountyMessageRules writes the county's rules (HQ).
func SaveCountyMessageRules(tx *Tx, r MessageRulesRow) error {
	_, err := tx.Exec(`INSERT INTO message_rules(id, owner_unit, deadlines, calendar, set_by, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET deadlines = excluded.deadlines, calendar = excluded.calendar,
		set_by = excluded.set_by, updated_at = excluded.updated_at, version = excluded.version`,
		r.ID, r.OwnerUnit, r.Deadlines, r.Calendar, r.SetBy, r.UpdatedAt, r.Version)
	return err
}
