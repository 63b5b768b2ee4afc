package app

import (
	"encoding/hex"
	"strings"
	"time"

	"github.com/google/uuid"

	"mediadesk/data"
)

// Shortcuts for tests of a station's side: HQ's decisions applied as an
// import applies them, without HQ and a bundle. The app offers no such
// call: a station user must never decide for HQ.

// hqDecidesPost applies HQ's decision on a post awaiting it.
func (s *Session) hqDecidesPost(id, hash string, approve bool, comment, by string) (Post, error) {
	sum, err := hex.DecodeString(hash)
	if err != nil {
		return Post{}, ErrChanged
	}
	kind := DecisionReturn
	if approve {
		kind = DecisionApprove
	}
	d := data.Decision{ID: uuid.Must(uuid.NewV7()).String(), SubjectKind: "post", SubjectID: id, Decision: kind,
		ContentHash: sum, Comment: strings.TrimSpace(comment), DecidedBy: by, DecidedAt: s.now()}
	if err := s.store.Write(func(tx *data.Tx) error { return s.applyPostDecision(tx, d) }); err != nil {
		return Post{}, err
	}
	pd, err := s.Post(id)
	return pd.Post, err
}

// hqDecidesFiling applies HQ's decision on a filing of this station.
func (s *Session) hqDecidesFiling(accountID string, decision FilingStep, reason, by string, at time.Time) (Account, error) {
	if err := s.requireStation(); err != nil {
		return Account{}, err
	}
	var out Account
	err := s.store.Write(func(tx *data.Tx) error {
		a, err := s.applyFilingDecision(tx, "", accountID, decision, reason, by, at)
		out = a
		return err
	})
	return out, err
}
