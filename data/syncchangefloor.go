package data

import (
	"fmt"
	"strings"
)

// The change log (sync_changes) keeps one entry per record, moved to the
// end by each change, so that a bundle sends what changed after what the
// peer acknowledged. A record's child rows (a post's events, comments…)
// move their parent's entry too, each moving it again: an import of
// 20,000 posts with their events moved every entry twice. While an import
// runs, sync_change_floor holds the last change sequence from before it,
// and a child row moves its parent's entry only if it is at or below the
// floor: an entry above it has moved already in this transaction, past
// everything any bundle has carried. Outside imports the table is empty
// and every change moves the entry, as before.

// childChangeTriggers are the change-log triggers of child tables: the
// table, the record type and column of its parent, and the statements
// (i insert, u update, d delete) that have one. It restates what
// syncKinds says of the children on purpose: a migration's text must not
// change when record types do later (syncchangefloor_test.go checks it
// against the triggers schema 21 has).
var childChangeTriggers = []struct {
	table, kind, parent, ops string
}{
	{"account_metrics", "account", "account_id", "iu"},
	{"post_events", "post", "post_id", "iu"},
	{"post_comments", "post", "post_id", "iu"},
	{"post_images", "post", "post_id", "iud"},
	{"post_overrides", "post", "post_id", "iu"},
	{"post_metrics", "post", "post_id", "iu"},
	{"training_attendees", "training", "training_id", "iud"},
	{"training_materials", "training", "training_id", "iud"},
	{"message_steps", "message", "message_id", "iu"},
}

// changeFloorMigration makes sync_change_floor and the child tables'
// change-log triggers that heed it.
func changeFloorMigration() string {
	var b strings.Builder
	b.WriteString("CREATE TABLE sync_change_floor (one INTEGER PRIMARY KEY CHECK (one = 1), seq INTEGER NOT NULL) STRICT;\n")
	for _, t := range childChangeTriggers {
		for _, op := range t.ops {
			name, event, row := fmt.Sprintf("sync_%s_%c", t.table, op), "INSERT", "NEW"
			switch op {
			case 'u':
				event = "UPDATE"
			case 'd':
				event, row = "DELETE", "OLD"
			}
			fmt.Fprintf(&b, `DROP TRIGGER %s;
CREATE TRIGGER %s AFTER %s ON %s BEGIN
	INSERT INTO sync_changes(kind, record_id) VALUES ('%s', %s.%s)
		ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1
		WHERE seq <= coalesce((SELECT seq FROM sync_change_floor), seq);
END;
`, name, name, event, t.table, t.kind, row, t.parent)
		}
	}
	return b.String()
}

// raiseChangeFloor starts an import's change-log floor at the last change
// so far.
func raiseChangeFloor(tx *Tx) error {
	_, err := tx.Exec("INSERT INTO sync_change_floor(one, seq) SELECT 1, coalesce(MAX(seq), 0) FROM sync_changes")
	return err
}

// lowerChangeFloor ends the import's floor: what the transaction writes
// after the import moves entries as any write does.
func lowerChangeFloor(tx *Tx) error {
	_, err := tx.Exec("DELETE FROM sync_change_floor")
	return err
}
