package data

// HQ's decisions on account filings travel to the station, which applies
// them and sends the account back with a newer version naming the
// decision it applied last (applied_decision). Until then HQ holds the
// filing as the station last sent it, and the decision is pending. HQ
// keeps, beside each decision, the version and status of the account it
// decided on (decision_basis): the decision is pending while the account
// HQ holds is no newer, or is newer but still in that status without the
// decision, or a later one, applied. (The numbers a station enters travel
// with the account but make no new version; a change of its contact
// details makes one but applies nothing; a decision that no longer fits
// when it arrives is kept for the record, and the account has moved on.)
// Decisions order by HQ's clock alone, so no station clock is compared.
// A decision the station has received (decisionDelivered) is pending no
// longer, applied or not: one that arrived while the account could not
// take it (suspended, say) was dropped there, and HQ may decide again.
// Decisions made before decision_basis existed fall back on HQ's change
// log: pending while no change of the account arrived since HQ decided.

// filingPending is the condition "decision d on account a is pending".
const filingPending = `d.subject_kind = 'account' AND d.subject_id = a.id
	AND COALESCE(
		(SELECT a.version <= b.subject_version OR a.status = b.subject_status
			AND COALESCE((SELECT x.decided_at FROM decisions x WHERE x.id = a.applied_decision), 0) < d.decided_at
		FROM decision_basis b WHERE b.decision_id = d.id),
		(SELECT c.seq FROM sync_changes c WHERE c.kind = 'decision' AND c.record_id = d.id) >
		(SELECT c.seq FROM sync_changes c WHERE c.kind = 'account' AND c.record_id = a.id))
	AND NOT ` + decisionDelivered

// SaveDecisionBasis records the version and status of the account HQ
// decided on with decision id.
func SaveDecisionBasis(tx *Tx, decisionID string, subjectVersion int64, subjectStatus string) error {
	_, err := tx.Exec("INSERT INTO decision_basis(decision_id, subject_version, subject_status) VALUES (?, ?, ?)",
		decisionID, subjectVersion, subjectStatus)
	return err
}

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
