package data

import (
	"database/sql"
	"errors"
)

// LexiconTerm is one term of HQ's working lexicon (lexicon_terms): the
// list the next published version is made from. It stays at HQ.
type LexiconTerm struct {
	ID        string
	Term      string // the text to look for, as HQ typed it
	Category  string // a checker category code, e.g. art18.2
	Action    string // BLOCK, NEEDS_APPROVAL or WARN
	Note      string
	Retired   bool
	CreatedBy string
	CreatedAt int64
	UpdatedAt int64
	Version   int64
}

const lexiconTermColumns = `id, term, category, action, note, retired, created_by, created_at, updated_at, version`

func scanLexiconTerm(sc interface{ Scan(...any) error }) (LexiconTerm, error) {
	var t LexiconTerm
	err := sc.Scan(&t.ID, &t.Term, &t.Category, &t.Action, &t.Note, &t.Retired, &t.CreatedBy, &t.CreatedAt, &t.UpdatedAt, &t.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	return t, err
}

// SaveLexiconTerm inserts or replaces a working-list term; the caller
// sets Version (one more than the version replaced).
func SaveLexiconTerm(tx *Tx, t LexiconTerm) error {
	_, err := tx.Exec(`INSERT INTO lexicon_terms(`+lexiconTermColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET term=excluded.term, category=excluded.category, action=excluded.action,
		note=excluded.note, retired=excluded.retired, updated_at=excluded.updated_at, version=excluded.version`,
		t.ID, t.Term, t.Category, t.Action, t.Note, t.Retired, t.CreatedBy, t.CreatedAt, t.UpdatedAt, t.Version)
	return err
}

// LexiconTermByID reads one working-list term.
func LexiconTermByID(q Querier, id string) (LexiconTerm, error) {
	return scanLexiconTerm(q.QueryRow("SELECT "+lexiconTermColumns+" FROM lexicon_terms WHERE id = ?", id))
}

// ListLexiconTerms returns the working list by id (retired terms only
// when asked).
func ListLexiconTerms(q Querier, withRetired bool) ([]LexiconTerm, error) {
	query := "SELECT " + lexiconTermColumns + " FROM lexicon_terms"
	if !withRetired {
		query += " WHERE retired = 0"
	}
	rows, err := q.Query(query + " ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LexiconTerm
	for rows.Next() {
		t, err := scanLexiconTerm(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CountLexiconTerms counts the working list's terms, retired ones too.
func CountLexiconTerms(q Querier) (int, error) {
	var n int
	err := q.QueryRow("SELECT COUNT(*) FROM lexicon_terms").Scan(&n)
	return n, err
}

// LexiconVersion is a published lexicon (lexicon_versions): an immutable
// snapshot of HQ's active terms as checker JSON lines, travelling to
// every station.
type LexiconVersion struct {
	ID        string
	OwnerUnit string
	Number    int64  // 1, 2, 3 … in publishing order
	Terms     string // JSON lines (empty when listed without them)
	TermCount int64
	Note      string
	CreatedBy string
	CreatedAt int64
	UpdatedAt int64
	Version   int64
}

// AddLexiconVersion inserts a published lexicon.
func AddLexiconVersion(tx *Tx, v LexiconVersion) error {
	_, err := tx.Exec(`INSERT INTO lexicon_versions(id, owner_unit, number, terms, term_count, note, created_by, created_at, updated_at, version)
		VALUES (?,?,?,?,?,?,?,?,?,?)`,
		v.ID, v.OwnerUnit, v.Number, v.Terms, v.TermCount, v.Note, v.CreatedBy, v.CreatedAt, v.UpdatedAt, v.Version)
	return err
}

// LexiconVersions lists the published lexicons, newest (highest number)
// first, without their terms.
func LexiconVersions(q Querier) ([]LexiconVersion, error) {
	rows, err := q.Query(`SELECT id, owner_unit, number, term_count, note, created_by, created_at, updated_at, version
		FROM lexicon_versions ORDER BY number DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LexiconVersion
	for rows.Next() {
		var v LexiconVersion
		if err := rows.Scan(&v.ID, &v.OwnerUnit, &v.Number, &v.TermCount, &v.Note, &v.CreatedBy, &v.CreatedAt, &v.UpdatedAt, &v.Version); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// LexiconVersionTerms returns the terms (JSON lines) of one published
// lexicon.
func LexiconVersionTerms(q Querier, id string) (string, error) {
	var terms string
	err := q.QueryRow("SELECT terms FROM lexicon_versions WHERE id = ?", id).Scan(&terms)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return terms, err
}
