package data

// HQ's decisions on account filings travel to the station, which applies
// them and sends the account back with a newer version. Until that version
// arrives, HQ holds the filing as the station last sent it, and the
// decision is pending. HQ's own change log orders the two: a decision is
// pending while its change sequence is above the account's, that is, while
// no version of the account has arrived since HQ decided (the station
// changes the account when it applies the decision, and when it files it
// anew after a rejection). The log is HQ's alone, so the stations' clocks,
// which nothing keeps in step offline, do not matter. (Numbers a station
// enters for the account also arrive as a change of it.)

// filingPending is the condition "decision d on account a is pending".
const filingPending = `d.subject_kind = 'account' AND d.subject_id = a.id
	AND (SELECT c.seq FROM sync_changes c WHERE c.kind = 'decision' AND c.record_id = d.id) >
		(SELECT c.seq FROM sync_changes c WHERE c.kind = 'account' AND c.record_id = a.id)`

// PendingFilingDecisions returns HQ's pending decisions by account id, each
// account's oldest first.
func PendingFilingDecisions(q Querier) (map[string][]Decision, error) {
	rows, err := queryList(q, scanDecision, `SELECT d.id, d.owner_unit, d.unit_id, d.subject_kind, d.subject_id, d.decision,
			d.content_hash, d.comment, d.decided_by, d.decided_at, d.version
		FROM decisions d JOIN accounts a ON a.id = d.subject_id
		WHERE `+filingPending+` ORDER BY d.decided_at, d.id LIMIT ?`, -1)
	if err != nil {
		return nil, err
	}
	out := map[string][]Decision{}
	for _, d := range rows {
		out[d.SubjectID] = append(out[d.SubjectID], d)
	}
	return out, nil
}
