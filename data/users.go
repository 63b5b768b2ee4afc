package data

import (
	"database/sql"
	"errors"
)

// User is a person who signs in. The password lives only in the user's
// key slot; the row holds who they are and what they may do.
type User struct {
	ID          string
	Name        string // sign-in name, unique ignoring case
	DisplayName string
	Role        string
	Active      bool
	CreatedAt   int64 // Unix milliseconds
	UpdatedAt   int64
}

const userColumns = "id, name, display_name, role, active, created_at, updated_at"

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	err := sc.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Role, &u.Active, &u.CreatedAt, &u.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// InsertUser adds a user row.
func InsertUser(tx *Tx, u User) error {
	_, err := tx.Exec("INSERT INTO users("+userColumns+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		u.ID, u.Name, u.DisplayName, u.Role, u.Active, u.CreatedAt, u.UpdatedAt)
	return err
}

// UpdateUser rewrites a user's display name, role and active flag.
func UpdateUser(tx *Tx, u User) error {
	res, err := tx.Exec("UPDATE users SET display_name = ?, role = ?, active = ?, updated_at = ? WHERE id = ?",
		u.DisplayName, u.Role, u.Active, u.UpdatedAt, u.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// UserByName finds a user by sign-in name, ignoring case.
func UserByName(q Querier, name string) (User, error) {
	return scanUser(q.QueryRow("SELECT "+userColumns+" FROM users WHERE name = ?", name))
}

// UserByID finds a user by ID.
func UserByID(q Querier, id string) (User, error) {
	return scanUser(q.QueryRow("SELECT "+userColumns+" FROM users WHERE id = ?", id))
}

// ListUsers returns every user, by name.
func ListUsers(q Querier) ([]User, error) {
	rows, err := q.Query("SELECT " + userColumns + " FROM users ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Setting returns a unit setting, or ErrNotFound.
func Setting(q Querier, key string) (string, error) {
	var v string
	err := q.QueryRow("SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return v, err
}

// SetSetting stores a unit setting.
func SetSetting(tx *Tx, key, value string) error {
	_, err := tx.Exec("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	return err
}
