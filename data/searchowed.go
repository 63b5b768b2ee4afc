package data

// Deferred search indexing (schema 19).
//
// Keeping the FTS4 index in step inside a bundle import's transaction
// costs more than the rest of the import together: importing 20,000 posts
// at HQ took twice as long with it. So an import does not index the posts
// it writes; it owes their entries instead, and they are indexed after it
// commits, in small writes, in the background.
//
// post_search_pending lists the docids of the posts whose entry is owed:
// every post is either in the index with its current text, or in
// post_search_pending and not in the index. The triggers keep that true:
// while post_search_deferring holds its one row (only inside an import's
// transaction, see Importer.Begin and Finish), a change to a post's text
// drops its entry if it has one and owes it; at other times a change to a
// post that is owed leaves it owed, and the index is not touched. Posts
// owed when an import finishes are indexed in the same transaction when
// there are few (indexNowLimit), else in the background, indexBatch at a
// time, oldest first, each batch one journaled write like any other; a
// store opened with entries owed (closed or crashed meanwhile) catches up
// the same way. An index rebuild indexes every post and so clears the list.
// SearchPosts says how many posts are owed, so that a search never misses
// them silently.

import (
	"strings"
)

const (
	// searchOwedSchema is the schema version that added owed entries.
	searchOwedSchema = 19
	// indexNowLimit is the most owed entries an import makes in its own
	// transaction: a bundle of a few hundred posts is searchable the
	// moment it is in.
	indexNowLimit = 1000
	// indexBatch is how many owed entries one background write makes:
	// about 50 ms of work, so that a user's write never waits long.
	indexBatch = 500
)

// searchOwedMigration is migration 19: the owed list, the flag an import
// raises, and the search triggers rewritten to honour both.
func searchOwedMigration() string {
	const deferring = "EXISTS (SELECT 1 FROM post_search_deferring)"
	docOf := func(post string) string { return "(SELECT docid FROM post_search_docs WHERE post_id = " + post + ")" }
	// unindex drops the entry of the post whose id is post unless it is
	// owed; reindex makes it again, or owes it during an import. cond
	// further limits both.
	unindex := func(post, cond string) string {
		return "DELETE FROM post_search WHERE docid = " + docOf(post) +
			" AND NOT EXISTS (SELECT 1 FROM post_search_pending o WHERE o.docid = post_search.docid)" + cond + ";\n"
	}
	reindex := func(post, cond string) string {
		// Not OR IGNORE: a trigger takes the conflict policy of the
		// statement that fired it (an upsert's is ABORT).
		return "INSERT INTO post_search_pending(docid) SELECT docid FROM post_search_docs d WHERE post_id = " + post +
			" AND " + deferring + " AND NOT EXISTS (SELECT 1 FROM post_search_pending o WHERE o.docid = d.docid)" + cond + ";\n" +
			"INSERT INTO post_search(docid, title, body, comments) SELECT rowid, title, body, comments FROM post_search_content c" +
			" WHERE c.rowid = " + docOf(post) + " AND NOT " + deferring +
			" AND NOT EXISTS (SELECT 1 FROM post_search_pending o WHERE o.docid = c.rowid)" + cond + ";\n"
	}
	var b strings.Builder
	b.WriteString(`CREATE TABLE post_search_pending (docid INTEGER PRIMARY KEY) STRICT;
	CREATE TABLE post_search_deferring (one INTEGER PRIMARY KEY CHECK (one = 1)) STRICT;
	DROP TRIGGER post_search_insert;
	DROP TRIGGER post_search_update_before;
	DROP TRIGGER post_search_update;
	DROP TRIGGER post_search_delete_before;
	DROP TRIGGER post_search_delete;
	DROP TRIGGER post_search_comment_insert_before;
	DROP TRIGGER post_search_comment_insert;
	DROP TRIGGER post_search_comment_update_before;
	DROP TRIGGER post_search_comment_update;
	DROP TRIGGER post_search_comment_delete_before;
	DROP TRIGGER post_search_comment_delete;
	CREATE TRIGGER post_search_insert AFTER INSERT ON posts BEGIN
		INSERT INTO post_search_docs(post_id, status, author_id, category, targets, updated_at)
			VALUES (new.id, new.status, new.author_id, new.category, new.targets, new.updated_at);
	`)
	b.WriteString(reindex("new.id", ""))
	b.WriteString(`END;
	CREATE TRIGGER post_search_update_before BEFORE UPDATE OF title, body ON posts
	WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN
	`)
	b.WriteString(unindex("old.id", ""))
	b.WriteString(`END;
	CREATE TRIGGER post_search_update AFTER UPDATE OF id, title, body, status, author_id, category, targets, updated_at
	ON posts BEGIN
		UPDATE post_search_docs SET post_id = new.id, status = new.status, author_id = new.author_id,
			category = new.category, targets = new.targets, updated_at = new.updated_at WHERE post_id = old.id;
	`)
	b.WriteString(reindex("new.id", " AND (old.title IS NOT new.title OR old.body IS NOT new.body)"))
	b.WriteString(`END;
	CREATE TRIGGER post_search_delete_before BEFORE DELETE ON posts BEGIN
	`)
	b.WriteString(unindex("old.id", ""))
	b.WriteString(`END;
	CREATE TRIGGER post_search_delete AFTER DELETE ON posts BEGIN
		DELETE FROM post_search_pending WHERE docid = ` + docOf("old.id") + `;
		DELETE FROM post_search_docs WHERE post_id = old.id;
	END;
	CREATE TRIGGER post_search_comment_insert_before BEFORE INSERT ON post_comments BEGIN
	`)
	b.WriteString(unindex("new.post_id", ""))
	b.WriteString(`END;
	CREATE TRIGGER post_search_comment_insert AFTER INSERT ON post_comments BEGIN
	`)
	b.WriteString(reindex("new.post_id", ""))
	b.WriteString(`END;
	CREATE TRIGGER post_search_comment_update_before BEFORE UPDATE OF post_id, at, body ON post_comments BEGIN
	`)
	b.WriteString(unindex("old.post_id", ""))
	b.WriteString(unindex("new.post_id", " AND old.post_id IS NOT new.post_id"))
	b.WriteString(`END;
	CREATE TRIGGER post_search_comment_update AFTER UPDATE OF post_id, at, body ON post_comments BEGIN
	`)
	b.WriteString(reindex("old.post_id", ""))
	b.WriteString(reindex("new.post_id", " AND old.post_id IS NOT new.post_id"))
	b.WriteString(`END;
	-- When a post's deletion takes its comments with it, the post is gone
	-- already and so is its entry.
	CREATE TRIGGER post_search_comment_delete_before BEFORE DELETE ON post_comments
	WHEN EXISTS (SELECT 1 FROM posts WHERE id = old.post_id) BEGIN
	`)
	b.WriteString(unindex("old.post_id", ""))
	b.WriteString(`END;
	CREATE TRIGGER post_search_comment_delete AFTER DELETE ON post_comments
	WHEN EXISTS (SELECT 1 FROM posts WHERE id = old.post_id) BEGIN
	`)
	b.WriteString(reindex("old.post_id", ""))
	b.WriteString("END;")
	return b.String()
}

// searchInsertMigration is migration 23: a new post's trigger lists its
// owed entry by the docid it was just given (last_insert_rowid inside the
// trigger), not by looking its post_id up again and checking the owed list
// first: a docid just made is owed by no one (a deleted post's owed entry
// goes with it). An import of 20,000 posts saved about 4% of its time.
func searchInsertMigration() string {
	const deferring = "EXISTS (SELECT 1 FROM post_search_deferring)"
	return `DROP TRIGGER post_search_insert;
	CREATE TRIGGER post_search_insert AFTER INSERT ON posts BEGIN
		INSERT INTO post_search_docs(post_id, status, author_id, category, targets, updated_at)
			VALUES (new.id, new.status, new.author_id, new.category, new.targets, new.updated_at);
		INSERT INTO post_search_pending(docid) SELECT last_insert_rowid() WHERE ` + deferring + `;
		INSERT INTO post_search(docid, title, body, comments) SELECT rowid, title, body, comments FROM post_search_content c
			WHERE c.rowid = (SELECT docid FROM post_search_docs WHERE post_id = new.id) AND NOT ` + deferring + `
			AND NOT EXISTS (SELECT 1 FROM post_search_pending o WHERE o.docid = c.rowid);
	END;`
}

// deferIndexing makes the triggers owe the entries of the posts tx
// changes from here on, until settleIndexing.
func deferIndexing(tx *Tx) error {
	_, err := tx.Exec("INSERT INTO post_search_deferring(one) VALUES (1)")
	return err
}

// settleIndexing ends deferIndexing and makes the owed entries now when
// there are at most limit of them; else the store makes them after the
// commit, in the background.
func settleIndexing(tx *Tx, limit int) error {
	if _, err := tx.Exec("DELETE FROM post_search_deferring"); err != nil {
		return err
	}
	owed, err := OwedSearchEntries(tx)
	if err != nil {
		return err
	}
	if owed > limit {
		tx.indexOwed = true
		return nil
	}
	_, err = indexOwed(tx, owed)
	return err
}

// OwedSearchEntries counts the posts not yet in the search index: an
// import has just brought them, and they are being indexed.
func OwedSearchEntries(q Querier) (int, error) {
	var n int
	err := q.QueryRow("SELECT count(*) FROM post_search_pending").Scan(&n)
	return n, err
}

// indexOwed makes up to limit owed entries, oldest first, and reports
// how many it made.
func indexOwed(tx *Tx, limit int) (int64, error) {
	if limit <= 0 {
		return 0, nil
	}
	const owed = "(SELECT docid FROM post_search_pending ORDER BY docid LIMIT ?)"
	if _, err := tx.Exec("INSERT INTO post_search(docid, title, body, comments) SELECT rowid, title, body, comments"+
		" FROM post_search_content WHERE rowid IN "+owed, limit); err != nil {
		return 0, err
	}
	res, err := tx.Exec("DELETE FROM post_search_pending WHERE docid IN "+owed, limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// startBackgroundIndexing makes the owed entries in a goroutine, a batch
// per write, unless one runs or the store is closing. The caller holds
// wmu.
func (s *Store) startBackgroundIndexing() {
	if s.indexing || s.closing {
		return
	}
	s.indexing = true
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		for {
			done := false
			err := s.Write(func(tx *Tx) error {
				// Under wmu: a commit that owes entries after this check
				// finds indexing off and starts another goroutine.
				if s.closing {
					s.indexing, done = false, true
					return nil
				}
				owed, err := OwedSearchEntries(tx)
				if err != nil || owed == 0 { // nothing to journal
					s.indexing, done = false, true
					return err
				}
				_, err = indexOwed(tx, s.indexBatch())
				return err
			})
			if done {
				return
			}
			if err != nil {
				// A store that cannot write (closed, stopped, full)
				// leaves the entries owed until it is next opened.
				s.wmu.Lock()
				s.indexing = false
				s.wmu.Unlock()
				return
			}
		}
	}()
}

// resumeIndexing starts background indexing when an opened store owes
// entries (the last session closed or stopped before making them).
func (s *Store) resumeIndexing() error {
	if v, err := s.UserVersion(); err != nil || v < searchOwedSchema {
		return err // a test's store held at an older schema
	}
	owed, err := OwedSearchEntries(s.db)
	if err != nil || owed == 0 {
		return err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.startBackgroundIndexing()
	return nil
}

func (s *Store) indexBatch() int {
	if s.opts.indexBatch > 0 {
		return s.opts.indexBatch
	}
	return indexBatch
}

func (s *Store) indexNowLimit() int {
	if s.opts.indexNowLimit != 0 {
		return max(s.opts.indexNowLimit, 0)
	}
	return indexNowLimit
}
