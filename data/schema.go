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
	// 9: the training log (Art. 27): sessions, attendees from the roster,
	// materials as sealed attachments. minutes > 0 keeps hours exact.
	`CREATE TABLE trainings (
		id         TEXT PRIMARY KEY,
		owner_unit TEXT NOT NULL,
		held_on    TEXT NOT NULL,
		minutes    INTEGER NOT NULL CHECK (minutes > 0),
		form       TEXT NOT NULL,
		form_other TEXT NOT NULL DEFAULT '',
		topics     TEXT NOT NULL,
		trainer    TEXT NOT NULL,
		place      TEXT NOT NULL,
		summary    TEXT NOT NULL DEFAULT '',
		created_by TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		version    INTEGER NOT NULL DEFAULT 1
	) STRICT;
	CREATE INDEX trainings_held ON trainings(held_on);
	CREATE TABLE training_attendees (
		training_id TEXT NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,
		officer_id  TEXT NOT NULL REFERENCES officers(id),
		PRIMARY KEY (training_id, officer_id)
	) STRICT;
	CREATE INDEX training_attendees_officer ON training_attendees(officer_id);
	CREATE TABLE training_materials (
		training_id   TEXT NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,
		position      INTEGER NOT NULL,
		attachment_id TEXT NOT NULL REFERENCES attachments(id),
		PRIMARY KEY (training_id, position)
	) STRICT;`,
	// 10: netizen messages (Art. 23, 24), their steps, and reply templates
	// (the local starter set now; HQ's library through bundles). due_on is
	// the last working day allowed, fixed when the message is received.
	`CREATE TABLE messages (
		id          TEXT PRIMARY KEY,
		owner_unit  TEXT NOT NULL,
		platform    TEXT NOT NULL,
		account_id  TEXT REFERENCES accounts(id),
		handle      TEXT NOT NULL,
		received_at INTEGER NOT NULL,
		type        TEXT NOT NULL,
		content     TEXT NOT NULL,
		status      TEXT NOT NULL,
		department  TEXT NOT NULL DEFAULT '',
		reply       TEXT NOT NULL DEFAULT '',
		channel     TEXT NOT NULL DEFAULT '',
		due_on      TEXT NOT NULL,
		closed_at   INTEGER,
		created_by  TEXT NOT NULL,
		created_at  INTEGER NOT NULL,
		updated_at  INTEGER NOT NULL,
		version     INTEGER NOT NULL DEFAULT 1
	) STRICT;
	CREATE INDEX messages_open ON messages(closed_at, due_on);
	CREATE INDEX messages_received ON messages(received_at);
	CREATE TABLE message_steps (
		id          TEXT PRIMARY KEY,
		message_id  TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
		at          INTEGER NOT NULL,
		actor       TEXT NOT NULL,
		from_status TEXT NOT NULL,
		to_status   TEXT NOT NULL,
		department  TEXT NOT NULL DEFAULT '',
		note        TEXT NOT NULL DEFAULT ''
	) STRICT;
	CREATE INDEX message_steps_message ON message_steps(message_id, at);
	CREATE TABLE reply_templates (
		id         TEXT PRIMARY KEY,
		owner_unit TEXT NOT NULL,
		category   TEXT NOT NULL,
		title      TEXT NOT NULL,
		body       TEXT NOT NULL,
		status     TEXT NOT NULL,
		source     TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		version    INTEGER NOT NULL DEFAULT 1
	) STRICT;
	CREATE INDEX reply_templates_category ON reply_templates(status, category, title);`,
	// 11: the campaign calendar (Art. 22) and what links posts to it and to
	// the account they went out on (for the zombie and sleeping flags);
	// rectification notices (Art. 26) from HQ and the station's answers.
	`CREATE TABLE campaigns (
		id          TEXT PRIMARY KEY,
		owner_unit  TEXT NOT NULL,
		title       TEXT NOT NULL,
		kind        TEXT NOT NULL,
		starts_on   TEXT NOT NULL,
		ends_on     TEXT NOT NULL,
		description TEXT NOT NULL DEFAULT '',
		created_by  TEXT NOT NULL,
		created_at  INTEGER NOT NULL,
		updated_at  INTEGER NOT NULL,
		version     INTEGER NOT NULL DEFAULT 1,
		CHECK (ends_on >= starts_on)
	) STRICT;
	CREATE INDEX campaigns_dates ON campaigns(starts_on, ends_on);
	ALTER TABLE posts ADD COLUMN campaign_id TEXT REFERENCES campaigns(id);
	ALTER TABLE posts ADD COLUMN planned_at INTEGER;
	ALTER TABLE posts ADD COLUMN account_id TEXT REFERENCES accounts(id);
	CREATE INDEX posts_planned ON posts(planned_at) WHERE planned_at IS NOT NULL;
	CREATE INDEX posts_published ON posts(published_at) WHERE published_at IS NOT NULL;
	CREATE INDEX posts_campaign ON posts(campaign_id) WHERE campaign_id IS NOT NULL;
	CREATE INDEX posts_account ON posts(account_id, published_at) WHERE account_id IS NOT NULL;
	CREATE TABLE notices (
		id         TEXT PRIMARY KEY,
		owner_unit TEXT NOT NULL,
		unit_id    TEXT NOT NULL,
		title      TEXT NOT NULL,
		body       TEXT NOT NULL,
		article    TEXT NOT NULL DEFAULT '',
		item       TEXT NOT NULL DEFAULT '',
		due_on     TEXT NOT NULL,
		status     TEXT NOT NULL,
		issued_at  INTEGER NOT NULL,
		closed_at  INTEGER,
		created_by TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		version    INTEGER NOT NULL DEFAULT 1
	) STRICT;
	CREATE INDEX notices_open ON notices(status, due_on);
	CREATE TABLE notice_answers (
		id         TEXT PRIMARY KEY,
		owner_unit TEXT NOT NULL,
		notice_id  TEXT NOT NULL REFERENCES notices(id),
		body       TEXT NOT NULL,
		answered_at INTEGER NOT NULL,
		actor      TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		version    INTEGER NOT NULL DEFAULT 1
	) STRICT;
	CREATE INDEX notice_answers_notice ON notice_answers(notice_id, answered_at);`,
	// 12: trust and sync (docs/sync-records.md). Remote staff are kept in
	// users with their unit (they cannot sign in: no key slot). units and
	// unit_keys hold the other side's public keys, own_keys our secret ones.
	// sync_changes lists every changed record once, newest change last
	// (triggers below); a bundle sends those past what the peer acknowledged.
	// decisions are HQ's answers on station records; remote_audit holds the
	// stations' audit chains at HQ.
	`ALTER TABLE users ADD COLUMN unit_id TEXT NOT NULL DEFAULT '';
	CREATE TABLE units (
		id            TEXT PRIMARY KEY,
		name          TEXT NOT NULL,
		kind          TEXT NOT NULL,
		state         TEXT NOT NULL,
		enrolled_at   INTEGER NOT NULL,
		registered_at INTEGER,
		revoked_at    INTEGER,
		updated_at    INTEGER NOT NULL
	) STRICT;
	CREATE TABLE unit_keys (
		key_id         TEXT PRIMARY KEY,
		unit_id        TEXT NOT NULL REFERENCES units(id),
		signing_public TEXT NOT NULL,
		recipient      TEXT NOT NULL,
		fingerprint    TEXT NOT NULL,
		added_at       INTEGER NOT NULL,
		retired_at     INTEGER,
		revoked_at     INTEGER
	) STRICT;
	CREATE INDEX unit_keys_unit ON unit_keys(unit_id);
	CREATE TABLE own_keys (
		key_id     TEXT PRIMARY KEY,
		secret     BLOB NOT NULL,
		created_at INTEGER NOT NULL,
		retired_at INTEGER
	) STRICT;
	CREATE TABLE sync_changes (
		seq       INTEGER PRIMARY KEY,
		kind      TEXT NOT NULL,
		record_id TEXT NOT NULL,
		UNIQUE (kind, record_id)
	) STRICT;
	CREATE TABLE sync_peers (
		unit_id             TEXT PRIMARY KEY,
		sent_seq            INTEGER NOT NULL DEFAULT 0,
		acked_seq           INTEGER NOT NULL DEFAULT 0,
		acked_change        INTEGER NOT NULL DEFAULT 0,
		received_contiguous INTEGER NOT NULL DEFAULT 0,
		received_later      TEXT NOT NULL DEFAULT '[]'
	) STRICT;
	CREATE TABLE sync_sent (
		unit_id     TEXT NOT NULL,
		seq         INTEGER NOT NULL,
		bundle_id   TEXT NOT NULL,
		high_change INTEGER NOT NULL,
		at          INTEGER NOT NULL,
		PRIMARY KEY (unit_id, seq)
	) STRICT;
	CREATE TABLE sync_ledger (
		id          INTEGER PRIMARY KEY,
		at          INTEGER NOT NULL,
		direction   TEXT NOT NULL,
		file        TEXT NOT NULL,
		peer        TEXT NOT NULL,
		seq         INTEGER NOT NULL,
		bundle_id   TEXT NOT NULL,
		payload_sha BLOB,
		result      TEXT NOT NULL,
		message     TEXT NOT NULL DEFAULT '',
		records     INTEGER NOT NULL DEFAULT 0,
		actor       TEXT NOT NULL
	) STRICT;
	CREATE INDEX sync_ledger_peer ON sync_ledger(peer, direction, seq);
	CREATE TABLE decisions (
		id           TEXT PRIMARY KEY,
		owner_unit   TEXT NOT NULL,
		unit_id      TEXT NOT NULL,
		subject_kind TEXT NOT NULL,
		subject_id   TEXT NOT NULL,
		decision     TEXT NOT NULL,
		content_hash BLOB,
		comment      TEXT NOT NULL DEFAULT '',
		decided_by   TEXT NOT NULL,
		decided_at   INTEGER NOT NULL,
		created_at   INTEGER NOT NULL,
		updated_at   INTEGER NOT NULL,
		version      INTEGER NOT NULL DEFAULT 1
	) STRICT;
	CREATE INDEX decisions_subject ON decisions(subject_kind, subject_id, decided_at);
	CREATE TABLE remote_audit (
		unit_id   TEXT NOT NULL,
		seq       INTEGER NOT NULL,
		at        INTEGER NOT NULL,
		actor     TEXT NOT NULL,
		action    TEXT NOT NULL,
		target    TEXT NOT NULL,
		detail    TEXT NOT NULL,
		prev_hash BLOB NOT NULL,
		hash      BLOB NOT NULL,
		PRIMARY KEY (unit_id, seq)
	) STRICT;
	CREATE TRIGGER sync_users_i AFTER INSERT ON users BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('user', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_users_u AFTER UPDATE ON users BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('user', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_officers_i AFTER INSERT ON officers BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('officer', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_officers_u AFTER UPDATE ON officers BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('officer', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_campaigns_i AFTER INSERT ON campaigns BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('campaign', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_campaigns_u AFTER UPDATE ON campaigns BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('campaign', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_accounts_i AFTER INSERT ON accounts BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('account', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_accounts_u AFTER UPDATE ON accounts BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('account', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_account_metrics_i AFTER INSERT ON account_metrics BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('account', NEW.account_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_account_metrics_u AFTER UPDATE ON account_metrics BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('account', NEW.account_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_posts_i AFTER INSERT ON posts BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_posts_u AFTER UPDATE ON posts BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_post_events_i AFTER INSERT ON post_events BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', NEW.post_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_post_events_u AFTER UPDATE ON post_events BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', NEW.post_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_post_comments_i AFTER INSERT ON post_comments BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', NEW.post_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_post_comments_u AFTER UPDATE ON post_comments BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', NEW.post_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_post_images_i AFTER INSERT ON post_images BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', NEW.post_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_post_images_u AFTER UPDATE ON post_images BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', NEW.post_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_post_images_d AFTER DELETE ON post_images BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', OLD.post_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_post_overrides_i AFTER INSERT ON post_overrides BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', NEW.post_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_post_overrides_u AFTER UPDATE ON post_overrides BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', NEW.post_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_post_metrics_i AFTER INSERT ON post_metrics BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', NEW.post_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_post_metrics_u AFTER UPDATE ON post_metrics BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('post', NEW.post_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_trainings_i AFTER INSERT ON trainings BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('training', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_trainings_u AFTER UPDATE ON trainings BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('training', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_training_attendees_i AFTER INSERT ON training_attendees BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('training', NEW.training_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_training_attendees_u AFTER UPDATE ON training_attendees BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('training', NEW.training_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_training_attendees_d AFTER DELETE ON training_attendees BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('training', OLD.training_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_training_materials_i AFTER INSERT ON training_materials BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('training', NEW.training_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_training_materials_u AFTER UPDATE ON training_materials BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('training', NEW.training_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_training_materials_d AFTER DELETE ON training_materials BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('training', OLD.training_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_messages_i AFTER INSERT ON messages BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('message', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_messages_u AFTER UPDATE ON messages BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('message', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_message_steps_i AFTER INSERT ON message_steps BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('message', NEW.message_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_message_steps_u AFTER UPDATE ON message_steps BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('message', NEW.message_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_notices_i AFTER INSERT ON notices BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('notice', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_notices_u AFTER UPDATE ON notices BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('notice', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_notice_answers_i AFTER INSERT ON notice_answers BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('notice_answer', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_notice_answers_u AFTER UPDATE ON notice_answers BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('notice_answer', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_reply_templates_i AFTER INSERT ON reply_templates BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('reply_template', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_reply_templates_u AFTER UPDATE ON reply_templates BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('reply_template', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_decisions_i AFTER INSERT ON decisions BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('decision', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_decisions_u AFTER UPDATE ON decisions BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('decision', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_audit_i AFTER INSERT ON audit BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('audit', CAST(NEW.seq AS TEXT))
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;`,
	// 13: a station's own public keys travel to HQ (a rotation is a new
	// key sent in a bundle signed by the old one): change-log triggers.
	`CREATE TRIGGER sync_unit_keys_i AFTER INSERT ON unit_keys BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('unit_key', NEW.key_id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;`,
	// 14: the HQ workspace. lexicon_terms is HQ's working list; publishing
	// it makes an immutable lexicon_versions row (the whole list as JSON
	// lines) that travels to every station, which screens with its newest.
	// Assessment schemes (weights and rules, versioned) and results per unit
	// and period travel too; post_ratings is HQ's content-quality rating of
	// published posts (Art. 28), kept at HQ.
	`CREATE TABLE lexicon_terms (
		id         TEXT PRIMARY KEY,
		term       TEXT NOT NULL,
		category   TEXT NOT NULL,
		action     TEXT NOT NULL,
		note       TEXT NOT NULL DEFAULT '',
		retired    INTEGER NOT NULL DEFAULT 0,
		created_by TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		version    INTEGER NOT NULL DEFAULT 1
	) STRICT;
	CREATE UNIQUE INDEX lexicon_terms_term ON lexicon_terms(term) WHERE retired = 0;
	CREATE TABLE lexicon_versions (
		id         TEXT PRIMARY KEY,
		owner_unit TEXT NOT NULL,
		number     INTEGER NOT NULL UNIQUE,
		terms      TEXT NOT NULL,
		term_count INTEGER NOT NULL,
		note       TEXT NOT NULL DEFAULT '',
		created_by TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		version    INTEGER NOT NULL DEFAULT 1
	) STRICT;
	CREATE TABLE assessment_schemes (
		id         TEXT PRIMARY KEY,
		owner_unit TEXT NOT NULL,
		number     INTEGER NOT NULL UNIQUE,
		definition TEXT NOT NULL,
		status     TEXT NOT NULL,
		note       TEXT NOT NULL DEFAULT '',
		created_by TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		version    INTEGER NOT NULL DEFAULT 1
	) STRICT;
	CREATE TABLE assessment_results (
		id           TEXT PRIMARY KEY,
		owner_unit   TEXT NOT NULL,
		unit_id      TEXT NOT NULL,
		period       TEXT NOT NULL,
		scheme_id    TEXT NOT NULL,
		score        REAL NOT NULL,
		rank         INTEGER NOT NULL,
		units        INTEGER NOT NULL,
		detail       TEXT NOT NULL,
		published_at INTEGER NOT NULL,
		created_at   INTEGER NOT NULL,
		updated_at   INTEGER NOT NULL,
		version      INTEGER NOT NULL DEFAULT 1,
		UNIQUE (unit_id, period)
	) STRICT;
	CREATE TABLE post_ratings (
		post_id  TEXT PRIMARY KEY REFERENCES posts(id),
		rating   INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
		note     TEXT NOT NULL DEFAULT '',
		rated_by TEXT NOT NULL,
		rated_at INTEGER NOT NULL
	) STRICT;
	CREATE TRIGGER sync_lexicon_versions_i AFTER INSERT ON lexicon_versions BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('lexicon', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_lexicon_versions_u AFTER UPDATE ON lexicon_versions BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('lexicon', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_assessment_schemes_i AFTER INSERT ON assessment_schemes BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('assessment_scheme', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_assessment_schemes_u AFTER UPDATE ON assessment_schemes BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('assessment_scheme', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_assessment_results_i AFTER INSERT ON assessment_results BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('assessment_result', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_assessment_results_u AFTER UPDATE ON assessment_results BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('assessment_result', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;`,
	// 15: a police number is no longer unique in the table: an officer
	// who moves keeps his number, and HQ holds the rosters of every
	// station (the old station's entry stays, inactive); and a station
	// that swaps two numbers sends the two entries in change order, so
	// even within a unit a constraint could refuse a valid bundle. The app
	// keeps a number unique within a unit when it is entered. SQLite
	// drops a constraint only by rebuilding the table, so this runs with
	// foreign keys off (rebuildMigrations): accounts and
	// training_attendees refer to officers by name and find the new table.
	`CREATE TABLE officers_new (
		id             TEXT PRIMARY KEY,
		owner_unit     TEXT NOT NULL,
		name           TEXT NOT NULL,
		police_no      TEXT NOT NULL,
		department     TEXT NOT NULL,
		key_classified INTEGER NOT NULL DEFAULT 0,
		spokesperson   INTEGER NOT NULL DEFAULT 0,
		commentator    INTEGER NOT NULL DEFAULT 0,
		active         INTEGER NOT NULL DEFAULT 1,
		created_at     INTEGER NOT NULL,
		updated_at     INTEGER NOT NULL,
		version        INTEGER NOT NULL DEFAULT 1
	) STRICT;
	INSERT INTO officers_new(id, owner_unit, name, police_no, department, key_classified, spokesperson, commentator,
		active, created_at, updated_at, version)
		SELECT id, owner_unit, name, police_no, department, key_classified, spokesperson, commentator,
			active, created_at, updated_at, version FROM officers;
	DROP TABLE officers;
	ALTER TABLE officers_new RENAME TO officers;
	CREATE INDEX officers_name ON officers(active, name);
	CREATE INDEX officers_police_no ON officers(owner_unit, police_no);
	CREATE TRIGGER sync_officers_i AFTER INSERT ON officers BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('officer', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_officers_u AFTER UPDATE ON officers BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('officer', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;`,
	// 16: the county's rules for netizen messages (Art. 24), set by HQ and
	// sent to every station: the deadline of each type in working days
	// and the holiday table. HQ's assessment counts messages closed on
	// time, so every station reckons its due dates the same way. One row;
	// until it arrives a station keeps its own settings.
	`CREATE TABLE message_rules (
		id         TEXT PRIMARY KEY,
		owner_unit TEXT NOT NULL,
		deadlines  TEXT NOT NULL,
		calendar   TEXT NOT NULL,
		set_by     TEXT NOT NULL,
		updated_at INTEGER NOT NULL,
		version    INTEGER NOT NULL DEFAULT 1
	) STRICT;
	CREATE TRIGGER sync_message_rules_i AFTER INSERT ON message_rules BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('message_rules', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_message_rules_u AFTER UPDATE ON message_rules BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('message_rules', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;`,
	// 17: what HQ's filing decisions were made on, kept at HQ beside each
	// (it does not travel): the account's version and status. And on the
	// account, which travels, the last decision the station applied to
	// it. A decision is pending until a newer version of the account
	// arrives that has either moved on from that status or applied it (or
	// a later one): followers a station enters travel with the account
	// but make no new version, and a change of its contact details makes
	// one but applies nothing.
	`CREATE TABLE decision_basis (
		decision_id     TEXT PRIMARY KEY REFERENCES decisions(id),
		subject_version INTEGER NOT NULL,
		subject_status  TEXT NOT NULL
	) STRICT;
	ALTER TABLE accounts ADD COLUMN applied_decision TEXT NOT NULL DEFAULT '';`,
	// 18: HQ's monthly ratings of each unit on the two Art. 28 indicators
	// no record counts — 网络舆论引导 (opinion guidance) and 协作联动、服务
	// 警务实战 (collaboration): 1 to 5 with a note, kept at HQ as
	// post_ratings are.
	`CREATE TABLE unit_ratings (
		unit_id   TEXT NOT NULL,
		month     TEXT NOT NULL,
		indicator TEXT NOT NULL,
		rating    INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
		note      TEXT NOT NULL DEFAULT '',
		rated_by  TEXT NOT NULL,
		rated_at  INTEGER NOT NULL,
		PRIMARY KEY (unit_id, month, indicator)
	) STRICT;`,
	// 19: search entries a bundle import owes, made after it commits
	// (searchowed.go).
	searchOwedMigration(),
	// 20: a platform ID is no longer unique in the table, for the reasons
	// of 15: HQ holds every station's accounts, and two stations may file
	// the same ID (an officer who moved and files his personal work
	// account again at the new station, a shared official account); and a
	// station that swaps the IDs of two filings sends them in change
	// order. The app keeps an ID unique among a unit's accounts that are
	// not closed when a filing is saved. A rebuild with foreign keys off
	// (rebuildMigrations): account_metrics, messages and posts refer to
	// accounts by name and find the new table; the index and the
	// change-log triggers on accounts are made again.
	`CREATE TABLE accounts_new (
		id               TEXT PRIMARY KEY,
		owner_unit       TEXT NOT NULL,
		action           TEXT NOT NULL,
		platform         TEXT NOT NULL,
		name             TEXT NOT NULL,
		platform_id      TEXT NOT NULL,
		url              TEXT NOT NULL DEFAULT '',
		kind             TEXT NOT NULL,
		department       TEXT NOT NULL,
		officer_id       TEXT REFERENCES officers(id),
		responsible      TEXT NOT NULL,
		contact          TEXT NOT NULL,
		admins           TEXT NOT NULL DEFAULT '',
		verification     TEXT NOT NULL DEFAULT '',
		purpose          TEXT NOT NULL DEFAULT '',
		filed_on         TEXT NOT NULL,
		status           TEXT NOT NULL,
		declarations     TEXT NOT NULL DEFAULT '',
		reason           TEXT NOT NULL DEFAULT '',
		created_at       INTEGER NOT NULL,
		updated_at       INTEGER NOT NULL,
		version          INTEGER NOT NULL DEFAULT 1,
		applied_decision TEXT NOT NULL DEFAULT ''
	) STRICT;
	INSERT INTO accounts_new(id, owner_unit, action, platform, name, platform_id, url, kind, department, officer_id,
		responsible, contact, admins, verification, purpose, filed_on, status, declarations, reason, created_at,
		updated_at, version, applied_decision)
		SELECT id, owner_unit, action, platform, name, platform_id, url, kind, department, officer_id,
			responsible, contact, admins, verification, purpose, filed_on, status, declarations, reason, created_at,
			updated_at, version, applied_decision FROM accounts;
	DROP TABLE accounts;
	ALTER TABLE accounts_new RENAME TO accounts;
	CREATE INDEX accounts_status ON accounts(status, updated_at);
	CREATE INDEX accounts_platform_id ON accounts(platform, platform_id);
	CREATE TRIGGER sync_accounts_i AFTER INSERT ON accounts BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('account', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_accounts_u AFTER UPDATE ON accounts BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('account', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;`,
	// 21: what each unit has acknowledged, kept apart from acked_change,
	// which a new registration starts afresh: HQ's decisions delivered
	// before it stay delivered (data/approvals.go decisionDelivered).
	`ALTER TABLE sync_peers ADD COLUMN delivered_change INTEGER NOT NULL DEFAULT 0;
	UPDATE sync_peers SET delivered_change = acked_change;`,
	// 22: a record's child rows move its change-log entry only once per
	// import (syncchangefloor.go).
	changeFloorMigration(),
	// 23: a new post's owed search entry is listed by its new docid
	// (searchowed.go).
	searchInsertMigration(),
	// 24: a notice answer no longer needs its notice here. An HQ rebuilt
	// from a key backup alone has none of the notices it sent before; a
	// station asked to send everything again re-sends all its records,
	// answers included, and one answer to a lost notice refused the whole
	// bundle.
	// The app checks the notice when an answer is written. The table
	// keeps its rows, index and change-log triggers; no table refers to
	// it.
	`CREATE TABLE notice_answers_new (
		id         TEXT PRIMARY KEY,
		owner_unit TEXT NOT NULL,
		notice_id  TEXT NOT NULL,
		body       TEXT NOT NULL,
		answered_at INTEGER NOT NULL,
		actor      TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		version    INTEGER NOT NULL DEFAULT 1
	) STRICT;
	INSERT INTO notice_answers_new(id, owner_unit, notice_id, body, answered_at, actor, created_at, updated_at, version)
		SELECT id, owner_unit, notice_id, body, answered_at, actor, created_at, updated_at, version FROM notice_answers;
	DROP TABLE notice_answers;
	ALTER TABLE notice_answers_new RENAME TO notice_answers;
	CREATE INDEX notice_answers_notice ON notice_answers(notice_id, answered_at);
	CREATE TRIGGER sync_notice_answers_i AFTER INSERT ON notice_answers BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('notice_answer', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;
	CREATE TRIGGER sync_notice_answers_u AFTER UPDATE ON notice_answers BEGIN
		INSERT INTO sync_changes(kind, record_id) VALUES ('notice_answer', NEW.id)
			ON CONFLICT(kind, record_id) DO UPDATE SET seq = (SELECT MAX(seq) FROM sync_changes) + 1;
	END;`,
	// 25: the first bundle to a unit that asks it to send all its records
	// again, 0 when none does (this install was restored from a backup:
	// docs/sync-records.md §3).
	`ALTER TABLE sync_peers ADD COLUMN resend_from INTEGER NOT NULL DEFAULT 0;`,
}

// rebuildMigrations are the migrations that rebuild a table others refer
// to: they run with foreign-key enforcement off (Store.rebuildWrite).
var rebuildMigrations = map[int]bool{15: true, 20: true}

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
		write := s.Write
		if rebuildMigrations[v] {
			write = s.rebuildWrite
		}
		err := write(func(tx *Tx) error {
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
