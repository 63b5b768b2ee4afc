package data

import (
	"database/sql"
	"errors"
)

// Officer is a roster entry.
type Officer struct {
	ID            string
	OwnerUnit     string
	Name          string
	PoliceNo      string // 警号, unique
	Department    string // department or post
	KeyClassified bool   // holds a key classified post (重点涉密岗位)
	Spokesperson  bool   // 网络发言人 (Art. 25)
	Commentator   bool   // 网络评论员 (Art. 25)
	Active        bool
	CreatedAt     int64
	UpdatedAt     int64
	Version       int64
}

const officerColumns = `id, owner_unit, name, police_no, department, key_classified, spokesperson, commentator, active,
	created_at, updated_at, version`

func scanOfficer(sc scanner) (Officer, error) {
	var o Officer
	err := sc.Scan(&o.ID, &o.OwnerUnit, &o.Name, &o.PoliceNo, &o.Department, &o.KeyClassified, &o.Spokesperson,
		&o.Commentator, &o.Active, &o.CreatedAt, &o.UpdatedAt, &o.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return o, ErrNotFound
	}
	return o, err
}

// SaveOfficer inserts or replaces a roster entry.
func SaveOfficer(tx *Tx, o Officer) error {
	_, err := tx.Exec(`INSERT INTO officers(`+officerColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET name=excluded.name, police_no=excluded.police_no, department=excluded.department,
		key_classified=excluded.key_classified, spokesperson=excluded.spokesperson, commentator=excluded.commentator,
		active=excluded.active, updated_at=excluded.updated_at, version=excluded.version`,
		o.ID, o.OwnerUnit, o.Name, o.PoliceNo, o.Department, o.KeyClassified, o.Spokesperson, o.Commentator, o.Active,
		o.CreatedAt, o.UpdatedAt, o.Version)
	return err
}

// OfficerByID reads one roster entry.
func OfficerByID(q Querier, id string) (Officer, error) {
	return scanOfficer(q.QueryRow("SELECT "+officerColumns+" FROM officers WHERE id = ?", id))
}

// OfficerByPoliceNo finds a unit's roster entry by police number (a
// number is unique within a unit; an officer who moved is on two).
func OfficerByPoliceNo(q Querier, unit, no string) (Officer, error) {
	return scanOfficer(q.QueryRow("SELECT "+officerColumns+" FROM officers WHERE owner_unit = ? AND police_no = ?", unit, no))
}

// ListOfficers returns the roster by name; inactive entries only when
// asked.
func ListOfficers(q Querier, withInactive bool) ([]Officer, error) {
	query := "SELECT " + officerColumns + " FROM officers"
	if !withInactive {
		query += " WHERE active = 1"
	}
	rows, err := q.Query(query + " ORDER BY name, police_no")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Officer
	for rows.Next() {
		o, err := scanOfficer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
