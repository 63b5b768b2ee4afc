package data

import (
	"database/sql"
	"errors"
	"strings"
)

// Template is a reply template (回复口径, Art. 23): a station's local
// starter set, or HQ's library (kept at HQ, and its published templates
// arriving at the stations through bundles).
type Template struct {
	ID        string
	OwnerUnit string
	Category  string
	Title     string
	Body      string
	Status    string // one of the Template… statuses
	Source    string // starter or hq
	CreatedAt int64
	UpdatedAt int64
	Version   int64
}

// Template statuses. A station's starter set is active; HQ's library
// goes draft → review → approved → published, and retired when withdrawn.
// Only published and retired ones travel to the stations.
const (
	TemplateActive    = "active"    // a station's starter template in use
	TemplateDraft     = "draft"     // HQ: 草稿, being written or edited
	TemplateReview    = "review"    // HQ: 待审核, waiting for the section chief
	TemplateApproved  = "approved"  // HQ: 已审核, may be published
	TemplatePublished = "published" // HQ: 已发布, in use at every station
	TemplateRetired   = "retired"   // withdrawn: hidden from the picker
)

const templateColumns = `id, owner_unit, category, title, body, status, source, created_at, updated_at, version`

func scanTemplate(sc interface{ Scan(...any) error }) (Template, error) {
	var t Template
	err := sc.Scan(&t.ID, &t.OwnerUnit, &t.Category, &t.Title, &t.Body, &t.Status, &t.Source, &t.CreatedAt, &t.UpdatedAt, &t.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	return t, err
}

// SaveTemplate inserts or replaces a template; the caller sets Version
// (one more than the version replaced).
func SaveTemplate(tx *Tx, t Template) error {
	_, err := tx.Exec(`INSERT INTO reply_templates(`+templateColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET category=excluded.category, title=excluded.title, body=excluded.body,
		status=excluded.status, source=excluded.source, updated_at=excluded.updated_at, version=excluded.version`,
		t.ID, t.OwnerUnit, t.Category, t.Title, t.Body, t.Status, t.Source, t.CreatedAt, t.UpdatedAt, t.Version)
	return err
}

// TemplateByID reads one template.
func TemplateByID(q Querier, id string) (Template, error) {
	return scanTemplate(q.QueryRow("SELECT "+templateColumns+" FROM reply_templates WHERE id = ?", id))
}

// ListTemplates returns the templates of one status (and one category
// unless category is empty), by category and title.
func ListTemplates(q Querier, status, category string) ([]Template, error) {
	return ListTemplatesIn(q, []string{status}, category)
}

// ListTemplatesIn returns the templates of any of the statuses (and one
// category unless category is empty), by category and title.
func ListTemplatesIn(q Querier, statuses []string, category string) ([]Template, error) {
	query := "SELECT " + templateColumns + " FROM reply_templates WHERE status IN (" + strings.TrimSuffix(strings.Repeat("?,", len(statuses)), ",") + ")"
	args := make([]any, 0, len(statuses)+1)
	for _, st := range statuses {
		args = append(args, st)
	}
	if category != "" {
		query += " AND category = ?"
		args = append(args, category)
	}
	rows, err := q.Query(query+" ORDER BY category, title, id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Template
	for rows.Next() {
		t, err := scanTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
