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
	// post list's filters and orders. post_search holds each post's title,
	// body and comments as search_text() segments them; post_search_docs
	// gives each post a stable docid (oldest first for existing posts,
	// then in insert order). Triggers keep both in step with posts and
	// post_comments.
	`CREATE TABLE post_search_docs (
		docid   INTEGER PRIMARY KEY,
		post_id TEXT NOT NULL UNIQUE
	) STRICT;
	CREATE VIRTUAL TABLE post_search USING fts4(title, body, comments, tokenize=simple, order=DESC);
	INSERT INTO post_search_docs(post_id) SELECT id FROM posts ORDER BY created_at, id;
	INSERT INTO post_search(docid, title, body, comments)
		SELECT d.docid, search_text(p.title), search_text(p.body), search_text(coalesce((SELECT
			group_concat(c.body, char(10) ORDER BY c.at, c.rowid) FROM post_comments c WHERE c.post_id = p.id), ''))
		FROM post_search_docs d JOIN posts p ON p.id = d.post_id ORDER BY d.docid;
	-- An outer INSERT OR REPLACE imposes its conflict mode on these
	-- statements and fires no delete trigger: drop what the replaced row
	-- left, then index the post under a new docid.
	CREATE TRIGGER post_search_insert AFTER INSERT ON posts BEGIN
		DELETE FROM post_search WHERE docid = (SELECT docid FROM post_search_docs WHERE post_id = new.id);
		DELETE FROM post_search_docs WHERE post_id = new.id;
		INSERT INTO post_search_docs(post_id) VALUES (new.id);
		INSERT INTO post_search(docid, title, body, comments)
			SELECT docid, search_text(new.title), search_text(new.body), search_text(coalesce((SELECT
				group_concat(body, char(10) ORDER BY at, rowid) FROM post_comments WHERE post_id = new.id), ''))
			FROM post_search_docs WHERE post_id = new.id;
	END;
	CREATE TRIGGER post_search_update AFTER UPDATE OF id, title, body ON posts
	WHEN old.id IS NOT new.id OR old.title IS NOT new.title OR old.body IS NOT new.body BEGIN
		UPDATE post_search_docs SET post_id = new.id WHERE post_id = old.id;
		UPDATE post_search SET title = search_text(new.title), body = search_text(new.body)
			WHERE docid = (SELECT docid FROM post_search_docs WHERE post_id = new.id);
	END;
	CREATE TRIGGER post_search_delete AFTER DELETE ON posts BEGIN
		DELETE FROM post_search WHERE docid = (SELECT docid FROM post_search_docs WHERE post_id = old.id);
		DELETE FROM post_search_docs WHERE post_id = old.id;
	END;
	CREATE TRIGGER post_search_comment_insert AFTER INSERT ON post_comments BEGIN
		UPDATE post_search SET comments = search_text(coalesce((SELECT
			group_concat(body, char(10) ORDER BY at, rowid) FROM post_comments WHERE post_id = new.post_id), ''))
			WHERE docid = (SELECT docid FROM post_search_docs WHERE post_id = new.post_id);
	END;
	CREATE TRIGGER post_search_comment_update AFTER UPDATE OF post_id, at, body ON post_comments BEGIN
		UPDATE post_search SET comments = search_text(coalesce((SELECT
			group_concat(body, char(10) ORDER BY at, rowid) FROM post_comments WHERE post_id = old.post_id), ''))
			WHERE docid = (SELECT docid FROM post_search_docs WHERE post_id = old.post_id);
		UPDATE post_search SET comments = search_text(coalesce((SELECT
			group_concat(body, char(10) ORDER BY at, rowid) FROM post_comments WHERE post_id = new.post_id), ''))
			WHERE docid = (SELECT docid FROM post_search_docs WHERE post_id = new.post_id)
			AND new.post_id IS NOT old.post_id;
	END;
	-- A post's own deletion removes its index row; the comments it takes
	-- with it need no re-indexing.
	CREATE TRIGGER post_search_comment_delete AFTER DELETE ON post_comments
	WHEN EXISTS (SELECT 1 FROM posts WHERE id = old.post_id) BEGIN
		UPDATE post_search SET comments = search_text(coalesce((SELECT
			group_concat(body, char(10) ORDER BY at, rowid) FROM post_comments WHERE post_id = old.post_id), ''))
			WHERE docid = (SELECT docid FROM post_search_docs WHERE post_id = old.post_id);
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
	return nil
}
