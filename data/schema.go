package data

import (
	"fmt"
)

// migrations are the schema versions in order; migrations[i] brings the
// schema from version i to i+1. Each runs in one write transaction, so a
// crash leaves the schema at a whole version. Never edit a released entry:
// append a new one.
var migrations = []string{
	// 1: unit settings and users.
	`CREATE TABLE settings (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	) STRICT;
	CREATE TABLE users (
		id           TEXT PRIMARY KEY,
		name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
		display_name TEXT NOT NULL,
		role         TEXT NOT NULL,
		active       INTEGER NOT NULL DEFAULT 1,
		created_at   INTEGER NOT NULL,
		updated_at   INTEGER NOT NULL
	) STRICT;`,
	// 2: the hash-chained audit trail.
	`CREATE TABLE audit (
		seq       INTEGER PRIMARY KEY,
		at        INTEGER NOT NULL,
		actor     TEXT NOT NULL,
		action    TEXT NOT NULL,
		target    TEXT NOT NULL,
		detail    TEXT NOT NULL,
		prev_hash BLOB NOT NULL,
		hash      BLOB NOT NULL
	) STRICT;
	CREATE INDEX audit_at ON audit(at);`,
	// 3: sealed attachments.
	`CREATE TABLE attachments (
		id         TEXT PRIMARY KEY,
		file       TEXT NOT NULL,
		file_key   BLOB NOT NULL,
		sha256     BLOB NOT NULL,
		size       INTEGER NOT NULL,
		name       TEXT NOT NULL,
		mime       TEXT NOT NULL,
		created_at INTEGER NOT NULL
	) STRICT;
	CREATE INDEX attachments_sha ON attachments(sha256);
	CREATE TABLE meta (
		key   TEXT PRIMARY KEY,
		value BLOB NOT NULL
	) STRICT;`,
	// 4: posts, their review trail, comments, images, findings and metrics.
	`CREATE TABLE posts (
		id              TEXT PRIMARY KEY,
		owner_unit      TEXT NOT NULL,
		author_id       TEXT NOT NULL REFERENCES users(id),
		title           TEXT NOT NULL,
		body            TEXT NOT NULL,
		category        TEXT NOT NULL,
		targets         TEXT NOT NULL,
		personal        INTEGER NOT NULL DEFAULT 0,
		flags           TEXT NOT NULL DEFAULT '',
		sensitive       INTEGER NOT NULL DEFAULT 0,
		status          TEXT NOT NULL,
		content_hash    BLOB NOT NULL,
		approved_hash   BLOB,
		approved_by     TEXT,
		hq_hash         BLOB,
		lexicon_version TEXT NOT NULL DEFAULT '',
		published_at    INTEGER,
		published_on    TEXT,
		published_url   TEXT,
		published_by    TEXT,
		created_at      INTEGER NOT NULL,
		updated_at      INTEGER NOT NULL,
		version         INTEGER NOT NULL DEFAULT 1
	) STRICT;
	CREATE INDEX posts_status ON posts(status, updated_at);
	CREATE INDEX posts_author ON posts(author_id, updated_at);
	CREATE INDEX posts_updated ON posts(updated_at);
	CREATE TABLE post_events (
		id           TEXT PRIMARY KEY,
		post_id      TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
		at           INTEGER NOT NULL,
		actor        TEXT NOT NULL,
		kind         TEXT NOT NULL,
		from_status  TEXT NOT NULL,
		to_status    TEXT NOT NULL,
		content_hash BLOB NOT NULL,
		comment      TEXT NOT NULL DEFAULT ''
	) STRICT;
	CREATE INDEX post_events_post ON post_events(post_id, at);
	CREATE TABLE post_comments (
		id        TEXT PRIMARY KEY,
		post_id   TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
		parent_id TEXT,
		at        INTEGER NOT NULL,
		author    TEXT NOT NULL,
		body      TEXT NOT NULL
	) STRICT;
	CREATE INDEX post_comments_post ON post_comments(post_id, at);
	CREATE TABLE post_images (
		post_id       TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
		position      INTEGER NOT NULL,
		attachment_id TEXT NOT NULL REFERENCES attachments(id),
		PRIMARY KEY (post_id, position)
	) STRICT;
	CREATE TABLE post_overrides (
		post_id      TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
		content_hash BLOB NOT NULL,
		rule         TEXT NOT NULL,
		start        INTEGER NOT NULL,
		at           INTEGER NOT NULL,
		actor        TEXT NOT NULL,
		reason       TEXT NOT NULL,
		PRIMARY KEY (post_id, content_hash, rule, start)
	) STRICT;
	CREATE TABLE post_metrics (
		post_id  TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
		day      TEXT NOT NULL,
		reads    INTEGER NOT NULL,
		likes    INTEGER NOT NULL,
		comments INTEGER NOT NULL,
		reposts  INTEGER NOT NULL,
		at       INTEGER NOT NULL,
		actor    TEXT NOT NULL,
		PRIMARY KEY (post_id, day)
	) STRICT;`,
	// 5: full-text search over posts (data/search.go) and indexes for the
	// post list's orders and filters. post_search_docs gives each post a
	// docid (existing posts oldest first, then in insert order) and copies
	// the columns search filters on, in a table small enough to check per
	// match. post_search is an FTS4 index whose content is the view
	// post_search_content: each post's title, body and comments as
	// search_text() turns them into index tokens. The index is filled by
	// first open after this migration (see syncSearchIndex in search.go), which
	// records the segmentation it used in post_search_version. Triggers
	// keep it in step with posts and post_comments: FTS4 removes a row by
	// re-reading its old content, so each change drops a post's entry
	// BEFORE its text changes and adds it back AFTER.
	`CREATE TABLE post_search_docs (
		docid      INTEGER PRIMARY KEY,
		post_id    TEXT NOT NULL UNIQUE,
		status     TEXT NOT NULL,
		author_id  TEXT NOT NULL,
		category   TEXT NOT NULL,
		targets    TEXT NOT NULL,
		updated_at INTEGER NOT NULL
	) STRICT;
	INSERT INTO post_search_docs(post_id, status, author_id, category, targets, updated_at)
		SELECT id, status, author_id, category, targets, updated_at FROM posts ORDER BY created_at, id;
	CREATE INDEX post_search_docs_updated ON post_search_docs(updated_at);
	CREATE VIEW post_search_content(rowid, title, body, comments) AS
		SELECT d.docid, search_text(p.title), search_text(p.body), search_text(coalesce((SELECT
			group_concat(c.body, char(10) ORDER BY c.at, c.rowid) FROM post_comments c WHERE c.post_id = p.id), ''))
		FROM post_search_docs d JOIN posts p ON p.id = d.post_id;
	CREATE VIRTUAL TABLE post_search USING fts4(content="post_search_content", title, body, comments,
		tokenize=simple, prefix="3", order=DESC);
	CREATE TABLE post_search_version (version TEXT NOT NULL) STRICT;
	CREATE TRIGGER post_search_insert AFTER INSERT ON posts BEGIN
		INSERT INTO post_search_docs(post_id, status, author_id, category, targets, updated_at)
			VALUES (new.id, new.status, new.author_id, new.category, new.targets, new.updated_at);
		INSERT INTO post_search(docid, title, body, comments) SELECT rowid, title, body, comments
			FROM post_search_content WHERE rowid = (SELECT docid FROM post_search_docs WHERE post_id = new.id);
	END;
	CREATE TRIGGER post_search_update_before BEFORE UPDATE OF title, body ON posts
	WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN
		DELETE FROM post_search WHERE docid = (SELECT docid FROM post_search_docs WHERE post_id = old.id);
	END;
	CREATE TRIGGER post_search_update AFTER UPDATE OF id, title, body, status, author_id, category, targets, updated_at
	ON posts BEGIN
		UPDATE post_search_docs SET post_id = new.id, status = new.status, author_id = new.author_id,
			category = new.category, targets = new.targets, updated_at = new.updated_at WHERE post_id = old.id;
		INSERT INTO post_search(docid, title, body, comments) SELECT rowid, title, body, comments
			FROM post_search_content WHERE (old.title IS NOT new.title OR old.body IS NOT new.body)
			AND rowid = (SELECT docid FROM post_search_docs WHERE post_id = new.id);
	END;
	CREATE TRIGGER post_search_delete_before BEFORE DELETE ON posts BEGIN
		DELETE FROM post_search WHERE docid = (SELECT docid FROM post_search_docs WHERE post_id = old.id);
	END;
	CREATE TRIGGER post_search_delete AFTER DELETE ON posts BEGIN
		DELETE FROM post_search_docs WHERE post_id = old.id;
	END;
	CREATE TRIGGER post_search_comment_insert_before BEFORE INSERT ON post_comments BEGIN
		DELETE FROM post_search WHERE docid = (SELECT docid FROM post_search_docs WHERE post_id = new.post_id);
	END;
	CREATE TRIGGER post_search_comment_insert AFTER INSERT ON post_comments BEGIN
		INSERT INTO post_search(docid, title, body, comments) SELECT rowid, title, body, comments
			FROM post_search_content WHERE rowid = (SELECT docid FROM post_search_docs WHERE post_id = new.post_id);
	END;
	CREATE TRIGGER post_search_comment_update_before BEFORE UPDATE OF post_id, at, body ON post_comments BEGIN
		DELETE FROM post_search WHERE docid = (SELECT docid FROM post_search_docs WHERE post_id = old.post_id);
		DELETE FROM post_search WHERE old.post_id IS NOT new.post_id
			AND docid = (SELECT docid FROM post_search_docs WHERE post_id = new.post_id);
	END;
	CREATE TRIGGER post_search_comment_update AFTER UPDATE OF post_id, at, body ON post_comments BEGIN
		INSERT INTO post_search(docid, title, body, comments) SELECT rowid, title, body, comments
			FROM post_search_content WHERE rowid = (SELECT docid FROM post_search_docs WHERE post_id = old.post_id);
		INSERT INTO post_search(docid, title, body, comments) SELECT rowid, title, body, comments
			FROM post_search_content WHERE old.post_id IS NOT new.post_id
			AND rowid = (SELECT docid FROM post_search_docs WHERE post_id = new.post_id);
	END;
	-- When a post's deletion takes its comments with it, the post is gone
	-- already and so is its entry.
	CREATE TRIGGER post_search_comment_delete_before BEFORE DELETE ON post_comments
	WHEN EXISTS (SELECT 1 FROM posts WHERE id = old.post_id) BEGIN
		DELETE FROM post_search WHERE docid = (SELECT docid FROM post_search_docs WHERE post_id = old.post_id);
	END;
	CREATE TRIGGER post_search_comment_delete AFTER DELETE ON post_comments
	WHEN EXISTS (SELECT 1 FROM posts WHERE id = old.post_id) BEGIN
		INSERT INTO post_search(docid, title, body, comments) SELECT rowid, title, body, comments
			FROM post_search_content WHERE rowid = (SELECT docid FROM post_search_docs WHERE post_id = old.post_id);
	END;
	CREATE INDEX posts_created ON posts(created_at);
	CREATE INDEX posts_title ON posts(title);
	CREATE INDEX posts_category ON posts(category, updated_at);`,
	// 6: the editor's autosaved working copy, one per user.
	`CREATE TABLE post_autosave (
		user_id TEXT PRIMARY KEY REFERENCES users(id),
		content TEXT NOT NULL,
		at      INTEGER NOT NULL
	) STRICT;`,
	// 7: the officer roster (Art. 14, 25, 27).
	`CREATE TABLE officers (
		id             TEXT PRIMARY KEY,
		owner_unit     TEXT NOT NULL,
		name           TEXT NOT NULL,
		police_no      TEXT NOT NULL UNIQUE,
		department     TEXT NOT NULL,
		key_classified INTEGER NOT NULL DEFAULT 0,
		spokesperson   INTEGER NOT NULL DEFAULT 0,
		commentator    INTEGER NOT NULL DEFAULT 0,
		active         INTEGER NOT NULL DEFAULT 1,
		created_at     INTEGER NOT NULL,
		updated_at     INTEGER NOT NULL,
		version        INTEGER NOT NULL DEFAULT 1
	) STRICT;
	CREATE INDEX officers_name ON officers(active, name);`,
	// 8: account filings (Art. 11, 13, 14) and account metrics.
	`CREATE TABLE accounts (
		id           TEXT PRIMARY KEY,
		owner_unit   TEXT NOT NULL,
		action       TEXT NOT NULL,
		platform     TEXT NOT NULL,
		name         TEXT NOT NULL,
		platform_id  TEXT NOT NULL,
		url          TEXT NOT NULL DEFAULT '',
		kind         TEXT NOT NULL,
		department   TEXT NOT NULL,
		officer_id   TEXT REFERENCES officers(id),
		responsible  TEXT NOT NULL,
		contact      TEXT NOT NULL,
		admins       TEXT NOT NULL DEFAULT '',
		verification TEXT NOT NULL DEFAULT '',
		purpose      TEXT NOT NULL DEFAULT '',
		filed_on     TEXT NOT NULL,
		status       TEXT NOT NULL,
		declarations TEXT NOT NULL DEFAULT '',
		reason       TEXT NOT NULL DEFAULT '',
		created_at   INTEGER NOT NULL,
		updated_at   INTEGER NOT NULL,
		version      INTEGER NOT NULL DEFAULT 1,
		UNIQUE (platform, platform_id)
	) STRICT;
	CREATE INDEX accounts_status ON accounts(status, updated_at);
	CREATE TABLE account_metrics (
		account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
		day        TEXT NOT NULL,
		followers  INTEGER NOT NULL,
		posts      INTEGER NOT NULL,
		at         INTEGER NOT NULL,
		actor      TEXT NOT NULL,
		PRIMARY KEY (account_id, day)
	) STRICT;`,
}

// SchemaVersion is the schema version this build writes.
var SchemaVersion = len(migrations)

// UserVersion returns the schema version of the live database.
func (s *Store) UserVersion() (int, error) {
	var v int
	err := s.db.QueryRow("PRAGMA user_version").Scan(&v)
	return v, err
}

// migrate brings the schema to the newest version (or to the test limit),
// one transaction per version. A database newer than this build is refused.
func (s *Store) migrate() error {
	target := len(migrations)
	if s.opts.schemaLimit > 0 {
		target = s.opts.schemaLimit
	}
	cur, err := s.UserVersion()
	if err != nil {
		return err
	}
	if cur > len(migrations) {
		return ErrNewerVersion
	}
	for v := cur + 1; v <= target; v++ {
		err := s.Write(func(tx *Tx) error {
			if _, err := tx.Exec(migrations[v-1]); err != nil {
				return fmt.Errorf("data: migration to schema %d: %w", v, err)
			}
			_, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", v))
			return err
		})
		if err != nil {
			return err
		}
	}
	if target >= searchSchema {
		return s.syncSearchIndex()
	}
	return nil
}
