package app

import "mediadesk/data"

// SyncStats is what `mediadesk stats` prints: the records here per type and
// owner unit, the ledger's bundles per direction and result, and the
// exchange with each peer.
type SyncStats struct {
	Unit    string                    `json:"unit"`
	Kind    Kind                      `json:"kind"`
	Records map[string]map[string]int `json:"records"` // type > owner unit > count
	Ledger  map[string]int            `json:"ledger"`  // "in imported", "out exported", … > count
	Peers   []PeerStats               `json:"peers"`
}

// PeerStats is the exchange with one unit, as SyncStatus reports it.
type PeerStats struct {
	Unit     string `json:"unit"`
	Name     string `json:"name"`
	State    string `json:"state"`
	SentSeq  int64  `json:"sent_seq"`
	AckedSeq int64  `json:"acked_seq"`
	Received int64  `json:"received"`
	Pending  int    `json:"pending"`
	LastIn   int64  `json:"last_in"`
	LastOut  int64  `json:"last_out"`
	// AskingResend: restored from a backup, this install asks the unit
	// to send all its records again.
	AskingResend bool `json:"asking_resend"`
}

// SyncStats counts what this install holds and has exchanged (not for
// officers, like export).
func (s *Session) SyncStats() (SyncStats, error) {
	if err := s.checkActive(); err != nil {
		return SyncStats{}, err
	}
	if s.User().Role == Officer {
		return SyncStats{}, ErrNotAllowed
	}
	records, ledger, err := data.SyncCounts(s.store.Reader())
	if err != nil {
		return SyncStats{}, err
	}
	status, err := s.SyncStatus()
	if err != nil {
		return SyncStats{}, err
	}
	st := SyncStats{Unit: s.unit.ID, Kind: s.unit.Kind, Records: records, Ledger: ledger, Peers: []PeerStats{}}
	for _, p := range status {
		st.Peers = append(st.Peers, PeerStats{Unit: p.Unit.ID, Name: p.Unit.Name, State: p.Unit.State, SentSeq: p.SentSeq, AckedSeq: p.AckedSeq,
			Received: p.Received, Pending: p.Pending, LastIn: p.LastIn, LastOut: p.LastOut, AskingResend: p.AskingResend})
	}
	return st, nil
}
