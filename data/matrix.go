package data

// HQ's decisions on account filings travel to the station, which applies
// them and sends the account back with a newer version. Until that version
// arrives, HQ holds the filing as the station last sent it, and the
// decision is pending. HQ keeps, beside each decision, the version of the
// account it decided on (decision_basis): the decision is pending while
// the account HQ holds is no newer (the station makes a new version when
// it applies the decision, and when it files anew after a rejection; the
// numbers it enters travel with the account but make no new version).
// Versions are the station's own counter, so no clock is compared.
// Decisions made before that table existed fall back on HQ's change log:
// pending while no change of the account arrived since HQ decided.

// filingPending is the condition "decision d on account a is pending".
const filingPending = `d.subject_kind = 'account' AND d.subject_id = a.id
	AND COALESCE(a.version <= (SELECT b.subject_version FROM decision_basis b WHERE b.decision_id = d.id),
		(SELECT c.seq FROM sync_changes c WHERE c.kind = 'decision' AND c.record_id = d.id) >
		(SELECT c.seq FROM sync_changes c WHERE c.kind = 'account' AND c.record_id = a.id))`

// SaveDecisionBasis records the version of the account HQ decided on with
// decision id.
func SaveDecisionBasis(tx *Tx, decisionID string, subjectVersion int64) error {
	_, err := tx.Exec("INSERT INTO decision_basis(decision_id, subject_version) VALUES (?, ?)", decisionID, subjectVersion)
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
