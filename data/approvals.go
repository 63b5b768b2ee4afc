package data

// QueuedPost is a station's post that waits for HQ's approval, as HQ's
// approval queue lists it.
type QueuedPost struct {
	ID, Title   string
	UnitName    string // the name of the station that sent it (its id if unknown)
	AuthorName  string // the author's display name, empty if unknown
	SentAt      int64  // Unix ms of its last step into awaiting_hq (its last change if none is recorded)
	ContentHash []byte
	// DecisionID names HQ's decision on this very content that the station
	// has not applied yet, empty while it waits. A decided post stays in
	// the queue until the station's next version (with the decision
	// applied) arrives; if the station then sends the same content again
	// (returned, resubmitted unchanged), it waits for a new decision.
	DecisionID string
}

// decisionDelivered is the condition "HQ's decision d has reached its
// unit": the unit acknowledged a bundle that carried it (its change in
// HQ's log is at or below what the unit's acknowledgements cover). The
// unit imported it then, applying it or, if it no longer fitted (the post
// was being edited, the account was suspended), keeping it for the record
// without effect; and the bundle carrying the acknowledgement brought the
// unit's records as they were after that import, so a delivered decision
// the records HQ holds do not show applied was dropped, and will never
// be: HQ may decide again.
//
// What a unit acknowledged is kept in sync_peers.delivered_change, which
// only grows: a new registration starts acked_change afresh (everything
// is sent again), but what was delivered before stays delivered.
const decisionDelivered = `COALESCE((SELECT c.seq FROM sync_changes c WHERE c.kind = 'decision' AND c.record_id = d.id) <=
	(SELECT s.delivered_change FROM sync_peers s WHERE s.unit_id = d.unit_id), 0)`

// DecisionDelivered reports whether HQ's decision id has reached its unit
// (see decisionDelivered).
func DecisionDelivered(q Querier, id string) (bool, error) {
	var ok bool
	err := q.QueryRow("SELECT "+decisionDelivered+" FROM decisions d WHERE d.id = ?", id).Scan(&ok)
	if isNoRows(err) {
		return false, ErrNotFound
	}
	return ok, err
}

// postDecision is the newest decision HQ made on post p's current content
// that the station has not applied, or NULL (a correlated subquery on the
// decisions_subject index). A decision applied at the station left a post
// event of kind hq_approve or hq_return at its time, on its content; one
// the station received and did not apply (decisionDelivered) never will be.
const postDecision = `(SELECT d.id FROM decisions d WHERE d.subject_kind = 'post' AND d.subject_id = p.id
	AND d.content_hash = p.content_hash AND NOT EXISTS (SELECT 1 FROM post_events e WHERE e.post_id = p.id
		AND e.kind IN ('hq_approve', 'hq_return') AND e.at = d.decided_at AND e.content_hash = d.content_hash)
	AND NOT ` + decisionDelivered + `
	ORDER BY d.decided_at DESC, d.id DESC LIMIT 1)`

// queuedPostSelect reads QueuedPost rows; a WHERE clause follows.
const queuedPostSelect = `SELECT p.id, p.title, COALESCE(u.name, p.owner_unit), COALESCE(a.display_name, ''),
		COALESCE((SELECT MAX(e.at) FROM post_events e WHERE e.post_id = p.id AND e.to_status = 'awaiting_hq'), p.updated_at) AS sent,
		p.content_hash, COALESCE(` + postDecision + `, '')
	FROM posts p LEFT JOIN units u ON u.id = p.owner_unit LEFT JOIN users a ON a.id = p.author_id`

func scanQueuedPost(sc scanner) (QueuedPost, error) {
	var p QueuedPost
	err := sc.Scan(&p.ID, &p.Title, &p.UnitName, &p.AuthorName, &p.SentAt, &p.ContentHash, &p.DecisionID)
	if isNoRows(err) {
		return p, ErrNotFound
	}
	return p, err
}

// PostQueue lists the posts awaiting HQ, the first sent first, with their
// station, author and HQ's decision on their current content if any.
func PostQueue(q Querier) ([]QueuedPost, error) {
	return queryList(q, scanQueuedPost, queuedPostSelect+" WHERE p.status = 'awaiting_hq' ORDER BY sent, p.id LIMIT ?", -1)
}

// QueuedPostByID reads one post as the queue shows it (in any status), or
// ErrNotFound.
func QueuedPostByID(q Querier, id string) (QueuedPost, error) {
	return scanQueuedPost(q.QueryRow(queuedPostSelect+" WHERE p.id = ?", id))
}
