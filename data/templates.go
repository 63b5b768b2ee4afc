package data

// Template is a reply template (回复口径, Art. 23): the local starter set
// or, later, HQ's library arriving through bundles.
type Template struct {
	ID        string
	OwnerUnit string
	Category  string
	Title     string
	Body      string
	Status    string // active or retired
	Source    string // starter or hq
	CreatedAt int64
	UpdatedAt int64
	Version   int64
}

// TemplateActive is the status of a template in use (HQ retires one
// with status "retired").
const TemplateActive = "active"

const templateColumns = `id, owner_unit, category, title, body, status, source, created_at, updated_at, version`

// SaveTemplate inserts or replaces a template; the caller sets Version
// (one more than the version replaced).
func SaveTemplate(tx *Tx, t Template) error {
	_, err := tx.Exec(`INSERT INTO reply_templates(`+templateColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET category=excluded.category, title=excluded.title, body=excluded.body,
		status=excluded.status, source=excluded.source, updated_at=excluded.updated_at, version=excluded.version`,
		t.ID, t.OwnerUnit, t.Category, t.Title, t.Body, t.Status, t.Source, t.CreatedAt, t.UpdatedAt, t.Version)
	return err
}

// ListTemplates returns the templates of one status (and one category
// unless category is empty), by category and title.
func ListTemplates(q Querier, status, category string) ([]Template, error) {
	query := "SELECT " + templateColumns + " FROM reply_templates WHERE status = ?"
	args := []any{status}
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
		var t Template
		if err := rows.Scan(&t.ID, &t.OwnerUnit, &t.Category, &t.Title, &t.Body, &t.Status, &t.Source,
			&t.CreatedAt, &t.UpdatedAt, &t.Version); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
