package data

import (
	"database/sql"
	"errors"
	"strings"
)

// Post is a post row: the draft, where it stands in review, and its
// publication.
type Post struct {
	ID             string
	OwnerUnit      string
	AuthorID       string
	Title          string
	Body           string
	Category       string
	Targets        string // JSON array of target platforms or accounts
	Personal       bool   // targets an officer's personal work account
	Flags          string // JSON array of sensitive-category codes the author set
	Sensitive      bool
	Status         string
	ContentHash    []byte
	ApprovedHash   []byte // what the shift leader approved
	ApprovedBy     string
	HQHash         []byte // what HQ approved
	LexiconVersion string
	PublishedAt    int64
	PublishedOn    string
	PublishedURL   string
	PublishedBy    string
	CreatedAt      int64
	UpdatedAt      int64
	Version        int64
	CampaignID     string // the campaign the post belongs to (Art. 22), empty for none
	PlannedAt      int64  // planned publication time, Unix milliseconds, 0 for none
}

const postColumns = `id, owner_unit, author_id, title, body, category, targets, personal, flags, sensitive, status,
	content_hash, approved_hash, approved_by, hq_hash, lexicon_version, published_at, published_on, published_url,
	published_by, created_at, updated_at, version, campaign_id, planned_at`

func scanPost(sc interface{ Scan(...any) error }) (Post, error) {
	var p Post
	var approvedBy, pubOn, pubURL, pubBy, campaign sql.NullString
	var pubAt, planned sql.NullInt64
	err := sc.Scan(&p.ID, &p.OwnerUnit, &p.AuthorID, &p.Title, &p.Body, &p.Category, &p.Targets, &p.Personal, &p.Flags,
		&p.Sensitive, &p.Status, &p.ContentHash, &p.ApprovedHash, &approvedBy, &p.HQHash, &p.LexiconVersion, &pubAt,
		&pubOn, &pubURL, &pubBy, &p.CreatedAt, &p.UpdatedAt, &p.Version, &campaign, &planned)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	p.ApprovedBy, p.PublishedOn, p.PublishedURL, p.PublishedBy = approvedBy.String, pubOn.String, pubURL.String, pubBy.String
	p.PublishedAt, p.CampaignID, p.PlannedAt = pubAt.Int64, campaign.String, planned.Int64
	return p, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// SavePost inserts or replaces a post row, bumping nothing: the caller
// sets Version and UpdatedAt.
func SavePost(tx *Tx, p Post) error {
	_, err := tx.Exec(`INSERT INTO posts(`+postColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET owner_unit=excluded.owner_unit, author_id=excluded.author_id, title=excluded.title,
		body=excluded.body, category=excluded.category, targets=excluded.targets, personal=excluded.personal,
		flags=excluded.flags, sensitive=excluded.sensitive, status=excluded.status, content_hash=excluded.content_hash,
		approved_hash=excluded.approved_hash, approved_by=excluded.approved_by, hq_hash=excluded.hq_hash,
		lexicon_version=excluded.lexicon_version, published_at=excluded.published_at, published_on=excluded.published_on,
		published_url=excluded.published_url, published_by=excluded.published_by, updated_at=excluded.updated_at,
		version=excluded.version, campaign_id=excluded.campaign_id, planned_at=excluded.planned_at`,
		p.ID, p.OwnerUnit, p.AuthorID, p.Title, p.Body, p.Category, p.Targets, p.Personal, p.Flags, p.Sensitive, p.Status,
		p.ContentHash, nullBytes(p.ApprovedHash), nullString(p.ApprovedBy), nullBytes(p.HQHash), p.LexiconVersion,
		nullInt(p.PublishedAt), nullString(p.PublishedOn), nullString(p.PublishedURL), nullString(p.PublishedBy),
		p.CreatedAt, p.UpdatedAt, p.Version, nullString(p.CampaignID), nullInt(p.PlannedAt))
	return err
}

// PostByID reads one post.
func PostByID(q Querier, id string) (Post, error) {
	return scanPost(q.QueryRow("SELECT "+postColumns+" FROM posts WHERE id = ?", id))
}

// PostFilter selects posts for a list; zero fields match everything.
type PostFilter struct {
	Status   string
	AuthorID string
	Category string
	Target   string // a platform or account that must be among the targets
	From, To int64  // updated_at range, Unix milliseconds (To exclusive)
	OrderBy  string // "updated" (default, newest first), "created" (newest first), "title"
	// After continues the list right after a post of the same order: pass
	// the Cursor of the last post of the previous page. Unlike Offset, it
	// costs the same on every page, and rows added or changed meanwhile
	// neither repeat nor skip the ones after it.
	After  PostCursor
	Limit  int
	Offset int
}

// PostCursor is where a page of ListPosts ended: the sort keys of its last
// post. The zero value starts at the top.
type PostCursor struct {
	ID        string
	UpdatedAt int64
	CreatedAt int64
	Title     string
}

// Cursor returns the cursor that continues a list after p.
func (p Post) Cursor() PostCursor {
	return PostCursor{ID: p.ID, UpdatedAt: p.UpdatedAt, CreatedAt: p.CreatedAt, Title: p.Title}
}

// postConditions returns the WHERE conditions (ANDed) and their arguments
// for f's Status, AuthorID, Category, Target, From and To; prefix
// qualifies the posts columns ("p." or "").
func postConditions(f PostFilter, prefix string) ([]string, []any) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.Status != "" {
		add(prefix+"status = ?", f.Status)
	}
	if f.AuthorID != "" {
		add(prefix+"author_id = ?", f.AuthorID)
	}
	if f.Category != "" {
		add(prefix+"category = ?", f.Category)
	}
	if f.Target != "" {
		if plainTarget(f.Target) {
			// Any JSON writer spells such a string as is: a cheap test
			// before json_each parses the array.
			add("instr("+prefix+"targets, ?) > 0", f.Target)
		}
		add("EXISTS (SELECT 1 FROM json_each("+prefix+"targets) WHERE value = ?)", f.Target)
	}
	if f.From != 0 {
		add(prefix+"updated_at >= ?", f.From)
	}
	if f.To != 0 {
		add(prefix+"updated_at < ?", f.To)
	}
	return where, args
}

// plainTarget reports whether t holds only ASCII letters, digits and
// punctuation that JSON never escapes.
func plainTarget(t string) bool {
	for _, c := range []byte(t) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.:@/+#", c) >= 0) {
			return false
		}
	}
	return true
}

// ListPosts returns posts matching f, in f's order, one page when f.Limit
// is set.
func ListPosts(q Querier, f PostFilter) ([]Post, error) {
	where, args := postConditions(f, "")
	// Each order ends in id, so the order is total and a cursor exact.
	var order string
	var key string
	var keyArg any
	switch f.OrderBy {
	case "created":
		order, key, keyArg = "created_at DESC, id", "created_at", f.After.CreatedAt
	case "title":
		order, key, keyArg = "title, id", "title", f.After.Title
	default:
		order, key, keyArg = "updated_at DESC, id", "updated_at", f.After.UpdatedAt
	}
	if f.After.ID != "" {
		// Written so that the index on key bounds the scan.
		cmp, strict := "<=", "<"
		if f.OrderBy == "title" {
			cmp, strict = ">=", ">"
		}
		where = append(where, key+" "+cmp+" ? AND ("+key+" "+strict+" ? OR id > ?)")
		args = append(args, keyArg, keyArg, f.After.ID)
	}
	query := "SELECT " + postColumns + " FROM posts"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY " + order
	if f.Limit > 0 {
		query += " LIMIT ? OFFSET ?"
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := q.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CountPosts counts the posts matching f's Status, AuthorID, Category,
// Target, From and To (its order and paging fields are ignored): the
// length of the whole list, to size a scroll bar.
func CountPosts(q Querier, f PostFilter) (int, error) {
	where, args := postConditions(f, "")
	query := "SELECT count(*) FROM posts"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	var n int
	err := q.QueryRow(query, args...).Scan(&n)
	return n, err
}

// PostEvent is one step of a post's review trail.
type PostEvent struct {
	ID          string
	PostID      string
	At          int64
	Actor       string
	Kind        string
	FromStatus  string
	ToStatus    string
	ContentHash []byte
	Comment     string
}

// AddPostEvent appends a step to a post's trail.
func AddPostEvent(tx *Tx, e PostEvent) error {
	_, err := tx.Exec(`INSERT INTO post_events(id, post_id, at, actor, kind, from_status, to_status, content_hash, comment)
		VALUES (?,?,?,?,?,?,?,?,?)`, e.ID, e.PostID, e.At, e.Actor, e.Kind, e.FromStatus, e.ToStatus, e.ContentHash, e.Comment)
	return err
}

// PostEvents returns a post's trail, oldest first. A take_down step is
// always last: it is final, and its time is when the post came down,
// which may precede when its publication was recorded.
func PostEvents(q Querier, postID string) ([]PostEvent, error) {
	rows, err := q.Query(`SELECT id, post_id, at, actor, kind, from_status, to_status, content_hash, comment
		FROM post_events WHERE post_id = ? ORDER BY kind = 'take_down', at, rowid`, postID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PostEvent
	for rows.Next() {
		var e PostEvent
		if err := rows.Scan(&e.ID, &e.PostID, &e.At, &e.Actor, &e.Kind, &e.FromStatus, &e.ToStatus, &e.ContentHash, &e.Comment); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// PostComment is one comment in a post's thread.
type PostComment struct {
	ID       string
	PostID   string
	ParentID string
	At       int64
	Author   string
	Body     string
}

// AddPostComment adds a comment.
func AddPostComment(tx *Tx, c PostComment) error {
	_, err := tx.Exec(`INSERT INTO post_comments(id, post_id, parent_id, at, author, body) VALUES (?,?,?,?,?,?)`,
		c.ID, c.PostID, nullString(c.ParentID), c.At, c.Author, c.Body)
	return err
}

// PostComments returns a post's comments, oldest first.
func PostComments(q Querier, postID string) ([]PostComment, error) {
	rows, err := q.Query(`SELECT id, post_id, COALESCE(parent_id, ''), at, author, body FROM post_comments
		WHERE post_id = ? ORDER BY at, rowid`, postID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PostComment
	for rows.Next() {
		var c PostComment
		if err := rows.Scan(&c.ID, &c.PostID, &c.ParentID, &c.At, &c.Author, &c.Body); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetPostImages replaces a post's images with the given attachments, in
// order.
func SetPostImages(tx *Tx, postID string, attachmentIDs []string) error {
	if _, err := tx.Exec("DELETE FROM post_images WHERE post_id = ?", postID); err != nil {
		return err
	}
	for i, id := range attachmentIDs {
		if _, err := tx.Exec("INSERT INTO post_images(post_id, position, attachment_id) VALUES (?,?,?)", postID, i, id); err != nil {
			return err
		}
	}
	return nil
}

// PostImages returns a post's image attachment IDs in order.
func PostImages(q Querier, postID string) ([]string, error) {
	rows, err := q.Query("SELECT attachment_id FROM post_images WHERE post_id = ? ORDER BY position", postID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Override is a WARN finding a shift leader accepted, with the reason.
type Override struct {
	PostID      string
	ContentHash []byte
	Rule        string
	Start       int
	At          int64
	Actor       string
	Reason      string
}

// AddOverride records an overridden finding for one content hash.
func AddOverride(tx *Tx, o Override) error {
	_, err := tx.Exec(`INSERT INTO post_overrides(post_id, content_hash, rule, start, at, actor, reason) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(post_id, content_hash, rule, start) DO UPDATE SET at=excluded.at, actor=excluded.actor, reason=excluded.reason`,
		o.PostID, o.ContentHash, o.Rule, o.Start, o.At, o.Actor, o.Reason)
	return err
}

// Overrides returns the overrides recorded for a post's content hash.
func Overrides(q Querier, postID string, contentHash []byte) ([]Override, error) {
	rows, err := q.Query(`SELECT post_id, content_hash, rule, start, at, actor, reason FROM post_overrides
		WHERE post_id = ? AND content_hash = ? ORDER BY start, rule`, postID, contentHash)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Override
	for rows.Next() {
		var o Override
		if err := rows.Scan(&o.PostID, &o.ContentHash, &o.Rule, &o.Start, &o.At, &o.Actor, &o.Reason); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// PostMetrics is one day's numbers for a published post.
type PostMetrics struct {
	PostID   string
	Day      string // YYYY-MM-DD
	Reads    int64
	Likes    int64
	Comments int64
	Reposts  int64
	At       int64
	Actor    string
}

// SavePostMetrics records (or corrects) a day's numbers.
func SavePostMetrics(tx *Tx, m PostMetrics) error {
	_, err := tx.Exec(`INSERT INTO post_metrics(post_id, day, reads, likes, comments, reposts, at, actor) VALUES (?,?,?,?,?,?,?,?)
		ON CONFLICT(post_id, day) DO UPDATE SET reads=excluded.reads, likes=excluded.likes, comments=excluded.comments,
		reposts=excluded.reposts, at=excluded.at, actor=excluded.actor`,
		m.PostID, m.Day, m.Reads, m.Likes, m.Comments, m.Reposts, m.At, m.Actor)
	return err
}

// PostMetricsOf returns a post's metrics, by day.
func PostMetricsOf(q Querier, postID string) ([]PostMetrics, error) {
	rows, err := q.Query(`SELECT post_id, day, reads, likes, comments, reposts, at, actor FROM post_metrics
		WHERE post_id = ? ORDER BY day`, postID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PostMetrics
	for rows.Next() {
		var m PostMetrics
		if err := rows.Scan(&m.PostID, &m.Day, &m.Reads, &m.Likes, &m.Comments, &m.Reposts, &m.At, &m.Actor); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetPostAccount records the account a post was published on; only
// publication sets it (SavePost leaves the column alone).
func SetPostAccount(tx *Tx, postID, accountID string) error {
	_, err := tx.Exec("UPDATE posts SET account_id = ? WHERE id = ?", accountID, postID)
	return err
}

// TakenDownPost is a post taken down from its platform (status
// taken_down) with its take_down step.
type TakenDownPost struct {
	Post
	UnitName string    // the name of the unit that owns it (its id if unknown)
	Event    PostEvent // its take_down step: At is when it came down, Actor who recorded it, Comment the reason
}

// TakenDownPosts lists the posts taken down whose take_down step's time
// falls in [from, to) (Unix ms), the newest take-down first. It walks the
// posts_status index and each post's trail.
func TakenDownPosts(q Querier, from, to int64) ([]TakenDownPost, error) {
	return queryList(q, func(sc scanner) (TakenDownPost, error) {
		var t TakenDownPost
		e := &t.Event
		p, err := scanPost(scanWith{sc, []any{&t.UnitName, &e.ID, &e.PostID, &e.At, &e.Actor, &e.Kind, &e.FromStatus, &e.ToStatus, &e.ContentHash, &e.Comment}})
		t.Post = p
		return t, err
	}, `SELECT `+prefixed("p.", postColumns)+`, COALESCE(u.name, p.owner_unit),
			e.id, e.post_id, e.at, e.actor, e.kind, e.from_status, e.to_status, e.content_hash, e.comment
		FROM posts p JOIN post_events e ON e.post_id = p.id AND e.kind = 'take_down'
		LEFT JOIN units u ON u.id = p.owner_unit
		WHERE p.status = 'taken_down' AND e.at >= ? AND e.at < ?
		ORDER BY e.at DESC, p.id DESC`, from, to)
}

// prefixed qualifies each column of a comma-separated list with prefix.
func prefixed(prefix, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// scanWith scans a row into scanPost's destinations followed by extra.
type scanWith struct {
	sc    scanner
	extra []any
}

func (s scanWith) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.extra...)...) }
