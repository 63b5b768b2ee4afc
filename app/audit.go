package app

import (
	"time"

	"mediadesk/data"
)

// AuditEntry is one row of the audit trail as screens show it.
type AuditEntry struct {
	Seq    int64
	At     time.Time
	Actor  string
	Action string
	Target string
	Detail string
}

// AuditQuery filters the audit trail; zero fields match everything.
type AuditQuery struct {
	Actor  string
	Action string
	From   time.Time
	To     time.Time // exclusive
	Limit  int
}

func (s *Session) requireOverseer() error {
	if err := s.checkActive(); err != nil {
		return err
	}
	switch s.User().Role {
	case StationAdmin, ShiftLeader, HQAdmin, HQStaff:
		return nil
	}
	return ErrNotAllowed
}

// Audit lists audit entries, newest first (admins, shift leaders and the
// publicity section).
func (s *Session) Audit(q AuditQuery) ([]AuditEntry, error) {
	if err := s.requireOverseer(); err != nil {
		return nil, err
	}
	f := data.AuditFilter{Actor: q.Actor, Action: q.Action, Limit: q.Limit}
	if !q.From.IsZero() {
		f.From = q.From.UnixMilli()
	}
	if !q.To.IsZero() {
		f.To = q.To.UnixMilli()
	}
	rows, err := data.ListAudit(s.store.Reader(), f)
	if err != nil {
		return nil, err
	}
	out := make([]AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = AuditEntry{Seq: r.Seq, At: time.UnixMilli(r.At), Actor: r.Actor, Action: r.Action, Target: r.Target, Detail: r.Detail}
	}
	return out, nil
}

// VerifyAudit walks the whole hash chain and returns how many entries it
// checked, or an error naming the first changed, inserted or deleted one.
func (s *Session) VerifyAudit() (int, error) {
	if err := s.requireOverseer(); err != nil {
		return 0, err
	}
	return data.VerifyAudit(s.store.Reader())
}
