package data

import (
	"database/sql"
	"errors"
)

// Campaign is a planned publicity campaign or online interaction activity
// (Art. 22) spanning whole days.
type Campaign struct {
	ID          string
	OwnerUnit   string
	Title       string
	Kind        string // campaign or interaction (宣传活动, 网上互动活动)
	StartsOn    string // YYYY-MM-DD
	EndsOn      string // YYYY-MM-DD, not before StartsOn
	Description string
	CreatedBy   string // the user ID of who entered it
	CreatedAt   int64
	UpdatedAt   int64
	Version     int64
}

const campaignColumns = `id, owner_unit, title, kind, starts_on, ends_on, description, created_by, created_at, updated_at, version`

func scanCampaign(sc interface{ Scan(...any) error }) (Campaign, error) {
	var c Campaign
	err := sc.Scan(&c.ID, &c.OwnerUnit, &c.Title, &c.Kind, &c.StartsOn, &c.EndsOn, &c.Description, &c.CreatedBy,
		&c.CreatedAt, &c.UpdatedAt, &c.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

// SaveCampaign inserts or replaces a campaign.
func SaveCampaign(tx *Tx, c Campaign) error {
	_, err := tx.Exec(`INSERT INTO campaigns(`+campaignColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET title=excluded.title, kind=excluded.kind, starts_on=excluded.starts_on,
		ends_on=excluded.ends_on, description=excluded.description, updated_at=excluded.updated_at, version=excluded.version`,
		c.ID, c.OwnerUnit, c.Title, c.Kind, c.StartsOn, c.EndsOn, c.Description, c.CreatedBy, c.CreatedAt, c.UpdatedAt, c.Version)
	return err
}

// CampaignByID reads one campaign.
func CampaignByID(q Querier, id string) (Campaign, error) {
	return scanCampaign(q.QueryRow("SELECT "+campaignColumns+" FROM campaigns WHERE id = ?", id))
}

// ListCampaigns returns the campaigns that overlap the days from to to
// (YYYY-MM-DD, both included), by start day and title.
func ListCampaigns(q Querier, from, to string) ([]Campaign, error) {
	rows, err := q.Query("SELECT "+campaignColumns+" FROM campaigns WHERE starts_on <= ? AND ends_on >= ? ORDER BY starts_on, title, id", to, from)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CalendarPost is a post as the calendar shows it.
type CalendarPost struct {
	ID          string
	Title       string
	Status      string
	PlannedAt   int64 // Unix ms, 0 when not planned
	PublishedAt int64 // Unix ms, 0 when not published
	CampaignID  string
}

const calendarPostColumns = `id, title, status, COALESCE(planned_at, 0) AS planned, COALESCE(published_at, 0) AS published,
	COALESCE(campaign_id, '') AS campaign`

// calendarOrder puts calendar posts by the time they went out, or else
// are planned to, then by title.
const calendarOrder = `CASE WHEN published > 0 THEN published ELSE planned END, title, id`

func calendarPosts(q Querier, query string, args ...any) ([]CalendarPost, error) {
	rows, err := q.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CalendarPost
	for rows.Next() {
		var p CalendarPost
		if err := rows.Scan(&p.ID, &p.Title, &p.Status, &p.PlannedAt, &p.PublishedAt, &p.CampaignID); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CalendarPosts returns the posts planned or published in [from, to)
// (Unix ms), by the time they went out or are planned to, then title.
// Each query arm uses its partial index (posts_planned, posts_published).
func CalendarPosts(q Querier, from, to int64) ([]CalendarPost, error) {
	return calendarPosts(q, `SELECT * FROM (
		SELECT `+calendarPostColumns+` FROM posts WHERE planned_at >= ?1 AND planned_at < ?2
		UNION SELECT `+calendarPostColumns+` FROM posts WHERE published_at >= ?1 AND published_at < ?2)
		ORDER BY `+calendarOrder, from, to)
}

// CampaignPosts returns the posts linked to a campaign, by the time they
// went out or are planned to (unplanned ones last), then title.
func CampaignPosts(q Querier, campaignID string) ([]CalendarPost, error) {
	return calendarPosts(q, `SELECT `+calendarPostColumns+` FROM posts WHERE campaign_id = ?
		ORDER BY published = 0 AND planned = 0, `+calendarOrder, campaignID)
}
