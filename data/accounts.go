package data

import (
	"database/sql"
	"errors"
)

// Account is an account filing and, once accepted, the account itself.
type Account struct {
	ID           string
	OwnerUnit    string
	Action       string // open, change, close (开设, 变更, 注销)
	Platform     string
	Name         string
	PlatformID   string
	URL          string
	Kind         string // unit or personal
	Department   string
	OfficerID    string // personal work accounts: the roster entry
	Responsible  string
	Contact      string
	Admins       string
	Verification string
	Purpose      string
	FiledOn      string // YYYY-MM-DD
	Status       string
	Declarations string // JSON array of the Art. 13 declarations confirmed
	Reason       string // HQ's reason when it rejects
	CreatedAt    int64
	UpdatedAt    int64
	Version      int64
}

const accountColumns = `id, owner_unit, action, platform, name, platform_id, url, kind, department, officer_id, responsible,
	contact, admins, verification, purpose, filed_on, status, declarations, reason, created_at, updated_at, version`

func scanAccount(sc interface{ Scan(...any) error }) (Account, error) {
	var a Account
	var officer sql.NullString
	err := sc.Scan(&a.ID, &a.OwnerUnit, &a.Action, &a.Platform, &a.Name, &a.PlatformID, &a.URL, &a.Kind, &a.Department,
		&officer, &a.Responsible, &a.Contact, &a.Admins, &a.Verification, &a.Purpose, &a.FiledOn, &a.Status,
		&a.Declarations, &a.Reason, &a.CreatedAt, &a.UpdatedAt, &a.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	a.OfficerID = officer.String
	return a, err
}

// SaveAccount inserts or replaces an account filing.
func SaveAccount(tx *Tx, a Account) error {
	_, err := tx.Exec(`INSERT INTO accounts(`+accountColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET action=excluded.action, platform=excluded.platform, name=excluded.name,
		platform_id=excluded.platform_id, url=excluded.url, kind=excluded.kind, department=excluded.department,
		officer_id=excluded.officer_id, responsible=excluded.responsible, contact=excluded.contact, admins=excluded.admins,
		verification=excluded.verification, purpose=excluded.purpose, filed_on=excluded.filed_on, status=excluded.status,
		declarations=excluded.declarations, reason=excluded.reason, updated_at=excluded.updated_at, version=excluded.version`,
		a.ID, a.OwnerUnit, a.Action, a.Platform, a.Name, a.PlatformID, a.URL, a.Kind, a.Department, nullString(a.OfficerID),
		a.Responsible, a.Contact, a.Admins, a.Verification, a.Purpose, a.FiledOn, a.Status, a.Declarations, a.Reason,
		a.CreatedAt, a.UpdatedAt, a.Version)
	return err
}

// AccountByID reads one account.
func AccountByID(q Querier, id string) (Account, error) {
	return scanAccount(q.QueryRow("SELECT "+accountColumns+" FROM accounts WHERE id = ?", id))
}

// AccountByPlatformID finds the account with this ID on a platform.
func AccountByPlatformID(q Querier, platform, platformID string) (Account, error) {
	return scanAccount(q.QueryRow("SELECT "+accountColumns+" FROM accounts WHERE platform = ? AND platform_id = ?", platform, platformID))
}

// ListAccounts returns every account, by platform and name.
func ListAccounts(q Querier) ([]Account, error) {
	rows, err := q.Query("SELECT " + accountColumns + " FROM accounts ORDER BY platform, name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
