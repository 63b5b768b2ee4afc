package data

import (
	"database/sql"
	"errors"
	"fmt"
)

// The assessment (Art. 28) at HQ: the numbers of every station in a
// period, read with one aggregated query per register (GROUP BY the
// owning unit, never a loop over posts), HQ's versioned schemes, the
// published results, and HQ's rating of published posts.

// AssessmentRange is the period an assessment reads, in the desk's local
// time.
type AssessmentRange struct {
	From, To          int64  // Unix ms, From included, To not
	FirstDay, LastDay string // YYYY-MM-DD, both included
	// Today is the day of the computation (YYYY-MM-DD): deadlines after it
	// are not judged yet, and zombie days are counted up to it.
	Today string
	// Offset is the local time's offset from UTC in ms: a timestamp t is
	// on local day (t + Offset) / 86,400,000 counted from 1970-01-01.
	Offset int64
	// ZombieDays is the activity rule's threshold (app.ActivityRule).
	ZombieDays int
}

// UnitFacts are one unit's raw numbers in a period; app/assessment.go
// turns them into indicator values.
type UnitFacts struct {
	// Posts published in the period (published_at is set exactly when a
	// post is published, and publication is final) and not taken down
	// since (status taken_down: a post deleted from its platform, after a
	// rectification notice or for an error, earns no credit), and the sums of their
	// latest recorded numbers (a post_metrics row holds the totals the
	// platform showed on its day, so the post's newest row is its total).
	Posts, Reads, Likes, Comments, Reposts int64
	// RatedPosts of those posts HQ rated, and the sum of the ratings (a
	// rating given before the post was taken down no longer counts).
	RatedPosts, RatingSum int64
	// GuidanceMonths are the months of the period HQ rated the unit's
	// opinion guidance in, GuidanceSum the sum of those ratings; the same
	// for collaboration (unit_ratings).
	GuidanceMonths, GuidanceSum, CollaborationMonths, CollaborationSum int64
	// Followers of the unit's live accounts at the period's end (each
	// account's newest snapshot on or before its last day), and at its
	// start (the newest before its first day or, for an account with
	// none, its first in the period).
	Followers, FollowersStart int64
	// ZombieDays sums, over the unit's live accounts, the days of the
	// period up to today on which the account had gone ZombieDays days or
	// more without a published post (counting from its filing day when it
	// has none).
	ZombieDays int64
	// Messages received in the period; Replied of them closed; Judged
	// those closed or past their last day; OnTime those closed on or
	// before their last day.
	Messages, Replied, Judged, OnTime int64
	// Interactions are online interaction activities (campaigns of kind
	// interaction) overlapping the period.
	Interactions int64
	// TrainingMinutes sums the minutes of every attendance, at trainings
	// held in the period, of an officer active on the unit's roster;
	// Officers counts those active roster entries.
	TrainingMinutes, Officers int64
	// Overrides are checker warnings overridden in the period.
	Overrides int64
	// Notices issued to the unit in the period; LateNotices of those due
	// in the period, the ones the station answered late: its first answer
	// since the notice was issued or last reopened is on a local day after
	// due_on or, with no such answer yet, due_on is before today. HQ's
	// closing does not count: it waits for the bundle and for HQ.
	Notices, LateNotices int64
}

// NoticeReopenAction is the audit action HQ writes when it reopens a
// notice, dated at the notice's new updated_at: the reopening's time, or
// just after the answer it asks to redo when the station's clock runs
// ahead of HQ's. Closing overwrites updated_at, so for a closed notice
// the audit trail keeps when it was last reopened.
const NoticeReopenAction = "notice.reopen"

// msPerDay is the length of a day in milliseconds.
const msPerDay = 86_400_000

// sqlDays is the SQL for the number of days from 1970-01-01 to the
// YYYY-MM-DD date expr.
func sqlDays(expr string) string { return "CAST(julianday(" + expr + ") - 2440587.5 AS INTEGER)" }

// AssessmentFacts reads every unit's numbers in r, by unit id (units with
// nothing in the period are absent).
func AssessmentFacts(q Querier, r AssessmentRange) (map[string]*UnitFacts, error) {
	out := map[string]*UnitFacts{}
	unit := func(id string) *UnitFacts {
		f := out[id]
		if f == nil {
			f = &UnitFacts{}
			out[id] = f
		}
		return f
	}
	queries := []struct {
		name string
		sql  string
		args []any
		dst  func(f *UnitFacts) []any
	}{
		{"posts", `SELECT p.owner_unit, COUNT(*), COALESCE(SUM(m.reads), 0), COALESCE(SUM(m.likes), 0),
				COALESCE(SUM(m.comments), 0), COALESCE(SUM(m.reposts), 0), COUNT(r.rating), COALESCE(SUM(r.rating), 0)
			FROM posts p
			LEFT JOIN post_metrics m ON m.post_id = p.id AND m.day = (SELECT MAX(day) FROM post_metrics x WHERE x.post_id = p.id)
			LEFT JOIN post_ratings r ON r.post_id = p.id
			WHERE p.published_at >= ? AND p.published_at < ? AND p.status <> 'taken_down'
			GROUP BY p.owner_unit`, []any{r.From, r.To},
			func(f *UnitFacts) []any {
				return []any{&f.Posts, &f.Reads, &f.Likes, &f.Comments, &f.Reposts, &f.RatedPosts, &f.RatingSum}
			}},
		{"unit ratings", `SELECT unit_id,
				COUNT(*) FILTER (WHERE indicator = 'opinion_guidance'), COALESCE(SUM(rating) FILTER (WHERE indicator = 'opinion_guidance'), 0),
				COUNT(*) FILTER (WHERE indicator = 'collaboration'), COALESCE(SUM(rating) FILTER (WHERE indicator = 'collaboration'), 0)
			FROM unit_ratings WHERE month >= substr(?, 1, 7) AND month <= substr(?, 1, 7) GROUP BY unit_id`,
			[]any{r.FirstDay, r.LastDay},
			func(f *UnitFacts) []any {
				return []any{&f.GuidanceMonths, &f.GuidanceSum, &f.CollaborationMonths, &f.CollaborationSum}
			}},
		{"followers", `SELECT a.owner_unit,
				COALESCE(SUM((SELECT m.followers FROM account_metrics m WHERE m.account_id = a.id AND m.day <= ? ORDER BY m.day DESC LIMIT 1)), 0),
				COALESCE(SUM(COALESCE(
					(SELECT m.followers FROM account_metrics m WHERE m.account_id = a.id AND m.day < ? ORDER BY m.day DESC LIMIT 1),
					(SELECT m.followers FROM account_metrics m WHERE m.account_id = a.id AND m.day >= ? AND m.day <= ? ORDER BY m.day LIMIT 1))), 0)
			FROM accounts a WHERE a.status IN ` + liveAccountStatuses + ` GROUP BY a.owner_unit`,
			[]any{r.LastDay, r.FirstDay, r.FirstDay, r.LastDay},
			func(f *UnitFacts) []any { return []any{&f.Followers, &f.FollowersStart} }},
		// Zombie days: an account is a zombie from 14 (Z) days after its
		// filing day (o) or a post, to the day before its next post. So
		// each post on day d adds the days from d + Z to the day before the
		// next post (LEAD, in the order of the posts_account index), and
		// each account the days from o + Z to the day before its first
		// post, counted only within the judged days S to E (the period's
		// first day to its last or today). Posts before S − Z cannot make a
		// day of the period a zombie day: they are not read, and a filing
		// day before S − Z is moved to S − Z, which has the same effect.
		// Posts published before the filing day count from the filing day.
		// A post taken down later still shows the account was active on its
		// day: it counts here, unlike in the publication numbers above.
		{"zombie", `WITH b AS (SELECT ` + sqlDays("?") + ` AS s, MIN(` + sqlDays("?") + `, ` + sqlDays("?") + `) AS e, ? AS z, ? AS off),
			acc AS (
				SELECT a.id, a.owner_unit, MAX(` + sqlDays("a.filed_on") + `, b.s - b.z) AS o
				FROM accounts a, b WHERE a.status IN ` + liveAccountStatuses + `),
			posted AS (
				SELECT acc.owner_unit AS unit, acc.o AS o, p.published_at AS at,
					LEAD(p.published_at) OVER (PARTITION BY p.account_id ORDER BY p.published_at) AS next_at
				FROM acc JOIN posts p ON p.account_id = acc.id
				WHERE p.published_at >= ? AND p.published_at < ?),
			gaps AS (
				SELECT unit, MAX((at + b.off) / ` + fmt.Sprint(msPerDay) + `, o) AS d,
					COALESCE((next_at + b.off) / ` + fmt.Sprint(msPerDay) + `, 1 << 40) AS next FROM posted, b
				UNION ALL
				SELECT acc.owner_unit, acc.o, COALESCE((SELECT (MIN(p.published_at) + b.off) / ` + fmt.Sprint(msPerDay) + ` FROM posts p
					WHERE p.account_id = acc.id AND p.published_at >= ? AND p.published_at < ?), 1 << 40) FROM acc, b)
			SELECT unit, SUM(MAX(0, MIN(next - 1, b.e) - MAX(d + b.z, b.s) + 1)) FROM gaps, b GROUP BY unit`,
			[]any{r.FirstDay, r.LastDay, r.Today, r.ZombieDays, r.Offset, r.From - int64(r.ZombieDays)*msPerDay, r.To,
				r.From - int64(r.ZombieDays)*msPerDay, r.To},
			func(f *UnitFacts) []any { return []any{&f.ZombieDays} }},
		{"messages", `SELECT owner_unit, COUNT(*), COUNT(closed_at),
				COUNT(*) FILTER (WHERE closed_at IS NOT NULL OR due_on < ?),
				COUNT(*) FILTER (WHERE closed_at IS NOT NULL AND date((closed_at + ?) / 1000, 'unixepoch') <= due_on)
			FROM messages WHERE received_at >= ? AND received_at < ? GROUP BY owner_unit`,
			[]any{r.Today, r.Offset, r.From, r.To},
			func(f *UnitFacts) []any { return []any{&f.Messages, &f.Replied, &f.Judged, &f.OnTime} }},
		{"interactions", `SELECT owner_unit, COUNT(*) FROM campaigns
			WHERE kind = 'interaction' AND starts_on <= ? AND ends_on >= ? GROUP BY owner_unit`,
			[]any{r.LastDay, r.FirstDay},
			func(f *UnitFacts) []any { return []any{&f.Interactions} }},
		// Only attendances of the officers the denominator counts: active
		// on the unit's roster.
		{"training", `SELECT t.owner_unit, SUM(t.minutes) FROM trainings t JOIN training_attendees a ON a.training_id = t.id
				JOIN officers o ON o.id = a.officer_id AND o.owner_unit = t.owner_unit AND o.active = 1
			WHERE t.held_on >= ? AND t.held_on <= ? GROUP BY t.owner_unit`,
			[]any{r.FirstDay, r.LastDay},
			func(f *UnitFacts) []any { return []any{&f.TrainingMinutes} }},
		{"officers", `SELECT owner_unit, COUNT(*) FROM officers WHERE active = 1 GROUP BY owner_unit`, nil,
			func(f *UnitFacts) []any { return []any{&f.Officers} }},
		{"overrides", `SELECT p.owner_unit, COUNT(*) FROM post_overrides o JOIN posts p ON p.id = o.post_id
			WHERE o.at >= ? AND o.at < ? GROUP BY p.owner_unit`,
			[]any{r.From, r.To},
			func(f *UnitFacts) []any { return []any{&f.Overrides} }},
		// Late notices: a notice is judged by the station's first answer
		// since it was issued or last reopened (since): for a notice not
		// closed that is its updated_at; for a closed one, which closing
		// gave a new updated_at, its last reopening in HQ's audit trail, or
		// its issue. One read of the audit, and one index seek per notice
		// (notice_answers_notice).
		{"notices", `WITH reopened AS (SELECT target, MAX(at) AS at FROM audit WHERE action = ? GROUP BY target),
			opened AS (
				SELECT n.id, n.unit_id, n.issued_at, n.due_on,
					CASE WHEN n.status = 'closed' THEN MAX(n.issued_at, COALESCE(r.at, 0)) ELSE n.updated_at END AS since
				FROM notices n LEFT JOIN reopened r ON r.target = n.id),
			judged AS (
				SELECT o.unit_id, o.issued_at, o.due_on,
					(SELECT MIN(a.answered_at) FROM notice_answers a WHERE a.notice_id = o.id AND a.answered_at >= o.since) AS answered
				FROM opened o)
			SELECT unit_id, COUNT(*) FILTER (WHERE issued_at >= ? AND issued_at < ?),
				COUNT(*) FILTER (WHERE due_on >= ? AND due_on <= ? AND CASE WHEN answered IS NULL THEN due_on < ?
					ELSE date((answered + ?) / 1000, 'unixepoch') > due_on END)
			FROM judged GROUP BY unit_id`,
			[]any{NoticeReopenAction, r.From, r.To, r.FirstDay, r.LastDay, r.Today, r.Offset},
			func(f *UnitFacts) []any { return []any{&f.Notices, &f.LateNotices} }},
	}
	for _, qu := range queries {
		rows, err := q.Query(qu.sql, qu.args...)
		if err != nil {
			return nil, fmt.Errorf("data: assessment %s: %w", qu.name, err)
		}
		for rows.Next() {
			var id string
			var f UnitFacts
			if err := rows.Scan(append([]any{&id}, qu.dst(&f)...)...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("data: assessment %s: %w", qu.name, err)
			}
			dst, src := qu.dst(unit(id)), qu.dst(&f)
			for i := range dst {
				*dst[i].(*int64) = *src[i].(*int64)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("data: assessment %s: %w", qu.name, err)
		}
	}
	return out, nil
}

// AssessmentScheme is one version of the assessment's weights and rules;
// Definition is its JSON (app.SchemeDefinition). Status is draft (HQ
// only), active (the one in force; it travels to every station) or
// retired.
type AssessmentScheme struct {
	ID, OwnerUnit string
	Number        int64 // 1, 2, … in the order versions were made
	Definition    string
	Status        string
	Note          string
	CreatedBy     string
	CreatedAt     int64
	UpdatedAt     int64
	Version       int64
}

const schemeColumns = "id, owner_unit, number, definition, status, note, created_by, created_at, updated_at, version"

func scanScheme(sc scanner) (AssessmentScheme, error) {
	var s AssessmentScheme
	err := sc.Scan(&s.ID, &s.OwnerUnit, &s.Number, &s.Definition, &s.Status, &s.Note, &s.CreatedBy, &s.CreatedAt, &s.UpdatedAt, &s.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	return s, err
}

// SaveAssessmentScheme inserts a scheme or replaces the one with its ID;
// the caller sets Version and UpdatedAt.
func SaveAssessmentScheme(tx *Tx, s AssessmentScheme) error {
	_, err := tx.Exec(`INSERT INTO assessment_schemes(`+schemeColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET definition=excluded.definition, status=excluded.status, note=excluded.note,
		updated_at=excluded.updated_at, version=excluded.version`,
		s.ID, s.OwnerUnit, s.Number, s.Definition, s.Status, s.Note, s.CreatedBy, s.CreatedAt, s.UpdatedAt, s.Version)
	return err
}

// AssessmentSchemeByID reads one scheme.
func AssessmentSchemeByID(q Querier, id string) (AssessmentScheme, error) {
	return scanScheme(q.QueryRow("SELECT "+schemeColumns+" FROM assessment_schemes WHERE id = ?", id))
}

// AssessmentSchemes lists every scheme version, newest first.
func AssessmentSchemes(q Querier) ([]AssessmentScheme, error) {
	return queryList(q, scanScheme, "SELECT "+schemeColumns+" FROM assessment_schemes ORDER BY number DESC LIMIT ?", -1)
}

// AssessmentResult is one unit's published score in one period. A result
// with Rank 0 is withdrawn: the unit (a station no longer registered) was
// not assessed when the period was published again, so its earlier result
// no longer stands; the lists below leave such results out.
type AssessmentResult struct {
	ID, OwnerUnit string // OwnerUnit is HQ
	UnitID        string
	Period        string // "2026-11", "2026-Q4" or "2026"
	SchemeID      string
	Score         float64
	Rank          int64 // 1 is best; ties share a rank; 0: withdrawn (above)
	Units         int64 // how many units were ranked
	Detail        string
	PublishedAt   int64
	CreatedAt     int64
	UpdatedAt     int64
	Version       int64
}

const resultColumns = "id, owner_unit, unit_id, period, scheme_id, score, rank, units, detail, published_at, created_at, updated_at, version"

func scanResult(sc scanner) (AssessmentResult, error) {
	var r AssessmentResult
	err := sc.Scan(&r.ID, &r.OwnerUnit, &r.UnitID, &r.Period, &r.SchemeID, &r.Score, &r.Rank, &r.Units, &r.Detail,
		&r.PublishedAt, &r.CreatedAt, &r.UpdatedAt, &r.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// SaveAssessmentResult inserts a result or replaces the one with its ID;
// the caller sets Version and UpdatedAt.
func SaveAssessmentResult(tx *Tx, r AssessmentResult) error {
	_, err := tx.Exec(`INSERT INTO assessment_results(`+resultColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET scheme_id=excluded.scheme_id, score=excluded.score, rank=excluded.rank,
		units=excluded.units, detail=excluded.detail, published_at=excluded.published_at,
		updated_at=excluded.updated_at, version=excluded.version`,
		r.ID, r.OwnerUnit, r.UnitID, r.Period, r.SchemeID, r.Score, r.Rank, r.Units, r.Detail, r.PublishedAt,
		r.CreatedAt, r.UpdatedAt, r.Version)
	return err
}

// AssessmentResultOf reads a unit's result in a period.
func AssessmentResultOf(q Querier, unitID, period string) (AssessmentResult, error) {
	return scanResult(q.QueryRow("SELECT "+resultColumns+" FROM assessment_results WHERE unit_id = ? AND period = ?", unitID, period))
}

// UnitAssessmentResults lists a unit's results, the newest published
// first, without withdrawn ones (rank 0).
func UnitAssessmentResults(q Querier, unitID string) ([]AssessmentResult, error) {
	return queryList(q, scanResult, "SELECT "+resultColumns+` FROM assessment_results WHERE unit_id = ? AND rank > 0
		ORDER BY published_at DESC, period DESC LIMIT ?`, unitID, -1)
}

// PeriodAssessmentResults lists the results of a period, best first,
// without withdrawn ones (rank 0).
func PeriodAssessmentResults(q Querier, period string) ([]AssessmentResult, error) {
	return queryList(q, scanResult, "SELECT "+resultColumns+` FROM assessment_results WHERE period = ? AND rank > 0
		ORDER BY rank, unit_id LIMIT ?`, period, -1)
}

// PostRating is HQ's content-quality rating of a published post (1–5).
type PostRating struct {
	PostID  string
	Rating  int64
	Note    string
	RatedBy string
	RatedAt int64
}

// UnitRating is HQ's rating of a unit on a rated indicator in a month.
type UnitRating struct {
	UnitID    string
	Month     string // YYYY-MM
	Indicator string // opinion_guidance or collaboration
	Rating    int64  // 1 to 5
	Note      string
	RatedBy   string
	RatedAt   int64
}

// SaveUnitRating records or replaces a unit's rating.
func SaveUnitRating(tx *Tx, r UnitRating) error {
	_, err := tx.Exec(`INSERT INTO unit_ratings(unit_id, month, indicator, rating, note, rated_by, rated_at) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(unit_id, month, indicator) DO UPDATE SET rating=excluded.rating, note=excluded.note, rated_by=excluded.rated_by,
		rated_at=excluded.rated_at`, r.UnitID, r.Month, r.Indicator, r.Rating, r.Note, r.RatedBy, r.RatedAt)
	return err
}

// UnitRatingsOf lists the ratings of a month.
func UnitRatingsOf(q Querier, month string) ([]UnitRating, error) {
	return queryList(q, func(sc scanner) (UnitRating, error) {
		var r UnitRating
		return r, sc.Scan(&r.UnitID, &r.Month, &r.Indicator, &r.Rating, &r.Note, &r.RatedBy, &r.RatedAt)
	}, `SELECT unit_id, month, indicator, rating, note, rated_by, rated_at FROM unit_ratings WHERE month = ?
		ORDER BY unit_id, indicator LIMIT ?`, month, -1)
}

// SavePostRating records or replaces the rating of a post.
func SavePostRating(tx *Tx, r PostRating) error {
	_, err := tx.Exec(`INSERT INTO post_ratings(post_id, rating, note, rated_by, rated_at) VALUES (?,?,?,?,?)
		ON CONFLICT(post_id) DO UPDATE SET rating=excluded.rating, note=excluded.note, rated_by=excluded.rated_by,
		rated_at=excluded.rated_at`, r.PostID, r.Rating, r.Note, r.RatedBy, r.RatedAt)
	return err
}

// RatablePost is a published post as the rating list shows it, with its
// rating (0 when not rated yet).
type RatablePost struct {
	ID, OwnerUnit, Title, Category, PublishedOn string
	PublishedAt                                 int64
	Rating                                      int64
	Note                                        string
}

// PostsToRate lists the posts published in [from, to) and still up (not
// taken down), by unit, then oldest first.
func PostsToRate(q Querier, from, to int64) ([]RatablePost, error) {
	return queryList(q, func(sc scanner) (RatablePost, error) {
		var p RatablePost
		var on sql.NullString
		err := sc.Scan(&p.ID, &p.OwnerUnit, &p.Title, &p.Category, &on, &p.PublishedAt, &p.Rating, &p.Note)
		p.PublishedOn = on.String
		return p, err
	}, `SELECT p.id, p.owner_unit, p.title, p.category, p.published_on, p.published_at, COALESCE(r.rating, 0), COALESCE(r.note, '')
		FROM posts p LEFT JOIN post_ratings r ON r.post_id = p.id
		WHERE p.published_at >= ? AND p.published_at < ? AND p.status = 'published'
		ORDER BY p.owner_unit, p.published_at, p.id LIMIT ?`, from, to, -1)
}
