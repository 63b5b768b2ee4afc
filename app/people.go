package app

import (
	"strings"

	"mediadesk/data"
)

// People maps the user names a unit's records give to display names,
// for the users this install knows; see Name.
type People map[string]string

// Name is the display name of the user the records call user, or user
// itself when this install does not know them (HQ's staff at a station:
// decisions carry "宣传科 <name>").
func (p People) Name(user string) string {
	if n := p[user]; n != "" {
		return n
	}
	return user
}

// People names this unit's users (who exported and imported, in the
// ledger): display names by user name (any signed-in user, not while
// locked).
func (s *Session) People() (People, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	return s.peopleOf(s.store.Reader(), s.unit.ID)
}

// peopleOf maps the user names of the unit that owns a record to display
// names: this install's own users for its own records; at HQ, for a
// station's record, the station's users, whose names here are
// "<unit id>/<name>" (they arrive by sync).
func (s *Session) peopleOf(q data.Querier, owner string) (People, error) {
	users, err := data.ListUsers(q)
	if err != nil {
		return nil, err
	}
	prefix := ""
	if owner != s.unit.ID {
		prefix = owner + "/"
	}
	people := make(People)
	for _, u := range users {
		if name, ok := strings.CutPrefix(u.Name, prefix); ok && !strings.Contains(name, "/") {
			people[name] = u.DisplayName
		}
	}
	return people, nil
}
