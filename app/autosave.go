package app

import (
	"encoding/json"
	"errors"
	"time"

	"mediadesk/data"
)

// Autosave keeps the editor's working copy for the signed-in user, as
// typed and unvalidated, so a crash or power cut loses at most the last
// few seconds. Every call is a journaled, fsynced write.
func (s *Session) Autosave(d PostDraft) error {
	if err := s.requireStation(); err != nil {
		return err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return s.store.Write(func(tx *data.Tx) error {
		return data.SaveAutosave(tx, s.User().ID, string(b), s.now())
	})
}

// AutosavedDraft returns the signed-in user's autosaved working copy and
// when it was kept; ok is false when there is none.
func (s *Session) AutosavedDraft() (d PostDraft, at time.Time, ok bool, err error) {
	if err := s.checkActive(); err != nil {
		return d, at, false, err
	}
	content, ms, err := data.Autosave(s.store.Reader(), s.User().ID)
	if errors.Is(err, data.ErrNotFound) {
		return d, at, false, nil
	}
	if err != nil {
		return d, at, false, err
	}
	if err := json.Unmarshal([]byte(content), &d); err != nil {
		return d, at, false, err
	}
	return d, time.UnixMilli(ms), true, nil
}

// DiscardAutosave drops the signed-in user's working copy (after a save,
// or when the user chooses not to restore it).
func (s *Session) DiscardAutosave() error {
	return s.store.Write(func(tx *data.Tx) error { return data.DeleteAutosave(tx, s.User().ID) })
}
