package data

import (
	"database/sql"
	"errors"
)

// SaveAutosave keeps a user's working copy (any text, not validated).
func SaveAutosave(tx *Tx, userID, content string, at int64) error {
	_, err := tx.Exec(`INSERT INTO post_autosave(user_id, content, at) VALUES (?, ?, ?)
		ON CONFLICT(user_id) DO UPDATE SET content = excluded.content, at = excluded.at`, userID, content, at)
	return err
}

// Autosave returns a user's working copy and when it was kept, or
// ErrNotFound.
func Autosave(q Querier, userID string) (string, int64, error) {
	var content string
	var at int64
	err := q.QueryRow("SELECT content, at FROM post_autosave WHERE user_id = ?", userID).Scan(&content, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, ErrNotFound
	}
	return content, at, err
}

// DeleteAutosave drops a user's working copy.
func DeleteAutosave(tx *Tx, userID string) error {
	_, err := tx.Exec("DELETE FROM post_autosave WHERE user_id = ?", userID)
	return err
}
