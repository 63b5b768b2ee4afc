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
	// AppliedDecision is the last of HQ's decisions the station applied
	// to it (its id): HQ knows from it that the decision arrived.
	AppliedDecision string
	CreatedAt       int64
	UpdatedAt       int64
	Version         int64
}

const accountColumns = `id, owner_unit, action, platform, name, platform_id, url, kind, department, officer_id, responsible,
	contact, admins, verification, purpose, filed_on, status, declarations, reason, applied_decision, created_at, updated_at, version`

func scanAccount(sc scanner) (Account, error) {
	var a Account
	var officer sql.NullString
	err := sc.Scan(&a.ID, &a.OwnerUnit, &a.Action, &a.Platform, &a.Name, &a.PlatformID, &a.URL, &a.Kind, &a.Department,
		&officer, &a.Responsible, &a.Contact, &a.Admins, &a.Verification, &a.Purpose, &a.FiledOn, &a.Status,
		&a.Declarations, &a.Reason, &a.AppliedDecision, &a.CreatedAt, &a.UpdatedAt, &a.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	a.OfficerID = officer.String
	return a, err
}

// SaveAccount inserts or replaces an account filing.
func SaveAccount(tx *Tx, a Account) error {
	_, err := tx.Exec(`INSERT INTO accounts(`+accountColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET action=excluded.action, platform=excluded.platform, name=excluded.name,
		platform_id=excluded.platform_id, url=excluded.url, kind=excluded.kind, department=excluded.department,
		officer_id=excluded.officer_id, responsible=excluded.responsible, contact=excluded.contact, admins=excluded.admins,
		verification=excluded.verification, purpose=excluded.purpose, filed_on=excluded.filed_on, status=excluded.status,
		declarations=excluded.declarations, reason=excluded.reason, applied_decision=excluded.applied_decision,
		updated_at=excluded.updated_at, version=excluded.version`,
		a.ID, a.OwnerUnit, a.Action, a.Platform, a.Name, a.PlatformID, a.URL, a.Kind, a.Department, nullString(a.OfficerID),
		a.Responsible, a.Contact, a.Admins, a.Verification, a.Purpose, a.FiledOn, a.Status, a.Declarations, a.Reason,
		a.AppliedDecision, a.CreatedAt, a.UpdatedAt, a.Version)
	return err
}

// AccountByID reads one account.
func AccountByID(q Querier, id string) (Account, error) {
	return scanAccount(q.QueryRow("SELECT "+accountColumns+" FROM accounts WHERE id = ?", id))
}

// AccountByPlatformID finds an account with this ID on a platform (the
// first by id: at HQ, which holds every unit's accounts, and after a
// closing, several may have it).
func AccountByPlatformID(q Querier, platform, platformID string) (Account, error) {
	return scanAccount(q.QueryRow("SELECT "+accountColumns+" FROM accounts WHERE platform = ? AND platform_id = ? ORDER BY id LIMIT 1",
		platform, platformID))
}

// UnitAccountWithPlatformID finds another account of unit (not except)
// with this ID on a platform that is not in one of the statuses given
// (the closed ones, whose ID may be filed again), or ErrNotFound. The
// table does not keep IDs unique (schema 20): the app does, within a
// unit, as a filing is saved.
func UnitAccountWithPlatformID(q Querier, unit, platform, platformID, except string, notIn ...string) (Account, error) {
	list, err := inList(notIn)
	if err != nil {
		return Account{}, err
	}
	return scanAccount(q.QueryRow("SELECT "+accountColumns+` FROM accounts WHERE platform = ? AND platform_id = ?
		AND owner_unit = ? AND id <> ? AND status NOT IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT 1`,
		platform, platformID, unit, except, list))
}

// OtherUnitsAccountsWithPlatformID lists the accounts of units other than
// unit with this ID on a platform, in none of the statuses given, by unit
// and name: at HQ, the same account filed by two units, or an ID typed
// wrong.
func OtherUnitsAccountsWithPlatformID(q Querier, unit, platform, platformID string, notIn ...string) ([]Account, error) {
	list, err := inList(notIn)
	if err != nil {
		return nil, err
	}
	return queryList(q, scanAccount, "SELECT "+accountColumns+` FROM accounts WHERE platform = ? AND platform_id = ?
		AND owner_unit <> ? AND status NOT IN (SELECT value FROM json_each(?)) ORDER BY owner_unit, name, id`,
		platform, platformID, unit, list)
}

// OfficerAccountIn returns a personal work account of officer in one of
// statuses, or ErrNotFound.
func OfficerAccountIn(q Querier, officer string, statuses ...string) (Account, error) {
	list, err := inList(statuses)
	if err != nil {
		return Account{}, err
	}
	return scanAccount(q.QueryRow("SELECT "+accountColumns+` FROM accounts WHERE officer_id = ? AND kind = 'personal'
		AND status IN (SELECT value FROM json_each(?)) ORDER BY name LIMIT 1`, officer, list))
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

// AccountSnapshot is one day's numbers of an account: its followers and
// how many posts it shows.
type AccountSnapshot struct {
	AccountID string
	Day       string // YYYY-MM-DD
	Followers int64
	Posts     int64
	At        int64  // when it was entered, Unix milliseconds
	Actor     string // who entered it
}

// SaveAccountSnapshot records a day's numbers of an account; entering the
// same day again replaces them.
func SaveAccountSnapshot(tx *Tx, m AccountSnapshot) error {
	_, err := tx.Exec(`INSERT INTO account_metrics(account_id, day, followers, posts, at, actor) VALUES (?,?,?,?,?,?)
		ON CONFLICT(account_id, day) DO UPDATE SET followers=excluded.followers, posts=excluded.posts, at=excluded.at,
		actor=excluded.actor`,
		m.AccountID, m.Day, m.Followers, m.Posts, m.At, m.Actor)
	return err
}

// AccountSnapshots returns an account's numbers, newest day first.
func AccountSnapshots(q Querier, accountID string) ([]AccountSnapshot, error) {
	rows, err := q.Query(`SELECT account_id, day, followers, posts, at, actor FROM account_metrics
		WHERE account_id = ? ORDER BY day DESC`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AccountSnapshot
	for rows.Next() {
		var m AccountSnapshot
		if err := rows.Scan(&m.AccountID, &m.Day, &m.Followers, &m.Posts, &m.At, &m.Actor); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// LastPublished returns, per account that has any, the time (Unix
// milliseconds) of the last post published on it.
func LastPublished(q Querier) (map[string]int64, error) {
	rows, err := q.Query(`SELECT account_id, MAX(published_at) FROM posts
		WHERE account_id IS NOT NULL AND published_at IS NOT NULL GROUP BY account_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var at int64
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		out[id] = at
	}
	return out, rows.Err()
}

// LastPublishedOn returns the time (Unix milliseconds) of the last post
// published on one account, 0 if none.
func LastPublishedOn(q Querier, accountID string) (int64, error) {
	var at sql.NullInt64
	err := q.QueryRow("SELECT MAX(published_at) FROM posts WHERE account_id = ?", accountID).Scan(&at)
	return at.Int64, err
}

// AccountAudit returns the audit entries about one account, oldest first
// (without their hashes): its filing history. Besides this install's own
// entries it takes those of the owner unit's trail that arrived by sync,
// so HQ sees what the station did as well as its own decisions.
func AccountAudit(q Querier, accountID, owner string) ([]AuditEntry, error) {
	rows, err := q.Query(`SELECT seq, at, actor, action, detail FROM audit WHERE target = ?
		UNION ALL SELECT seq, at, actor, action, detail FROM remote_audit WHERE unit_id = ? AND target = ?
		ORDER BY at, seq`, accountID, owner, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		e := AuditEntry{Target: accountID}
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Detail); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
