package app

import (
	"cmp"
	"slices"

	"mediadesk/data"
)

// The county matrix (Art. 3, 5): HQ holds every station's accounts, as
// the stations last sent them, and sees them all in one registry.

// CountyAccount is an account of any unit as HQ sees it: the registry
// entry (with its last published post and its 僵尸/睡眠 flag under HQ's
// ActivityRule), its station, and HQ's decisions on its filing that the
// station has not applied yet (they go out with HQ's next bundle).
type CountyAccount struct {
	AccountEntry
	Station string          // the owning unit's name
	Pending []data.Decision // HQ's decisions not yet applied at the station, oldest first
	// Effective is the filing status once the station applies Pending.
	Effective FilingStatus
}

// Waiting reports whether the filing waits for HQ: 已报备, and HQ has not
// decided on it yet.
func (c CountyAccount) Waiting() bool {
	return FilingStatus(c.Status) == FilingFiled && len(c.Pending) == 0
}

// Matrix (HQ) lists the accounts of every unit that f selects (its Status
// is the status the station last sent), by station, platform and name.
func (s *Session) Matrix(f AccountFilter) ([]CountyAccount, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	entries, err := s.AccountRegistry(f)
	if err != nil {
		return nil, err
	}
	q := s.store.Reader()
	pending, err := data.PendingFilingDecisions(q)
	if err != nil {
		return nil, err
	}
	names, err := unitNames(q)
	if err != nil {
		return nil, err
	}
	out := make([]CountyAccount, len(entries))
	for i, e := range entries {
		out[i] = countyAccount(e, names, pending[e.ID])
	}
	slices.SortStableFunc(out, func(a, b CountyAccount) int { return cmp.Compare(a.Station, b.Station) })
	return out, nil
}

// countyAccount is entry e with its station's name and its pending
// decisions applied to its status as the station will apply them.
func countyAccount(e AccountEntry, names map[string]string, pending []data.Decision) CountyAccount {
	c := CountyAccount{AccountEntry: e, Station: names[e.OwnerUnit], Pending: pending, Effective: FilingStatus(e.Status)}
	if c.Station == "" {
		c.Station = e.OwnerUnit
	}
	for _, d := range pending {
		if next, err := NextFiling(c.Effective, FilingStep(d.Decision)); err == nil {
			c.Effective = next
		}
	}
	return c
}

// unitNames maps the id of every unit known here to its name.
func unitNames(q data.Querier) (map[string]string, error) {
	units, err := data.ListUnits(q)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(units))
	for _, u := range units {
		names[u.ID] = u.Name
	}
	return names, nil
}

// MatrixUnits (HQ) lists the stations the matrix can be filtered by: every
// station ever enrolled, revoked ones too (their accounts stay on record),
// by name.
func (s *Session) MatrixUnits() ([]data.Unit, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	units, err := data.ListUnits(s.store.Reader())
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(units, func(u data.Unit) bool { return u.Kind != string(Station) }), nil
}
