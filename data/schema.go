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
