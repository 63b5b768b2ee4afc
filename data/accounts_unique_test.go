package data

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// accountsObjects lists the indexes and triggers on accounts (name and
// SQL) and the tables that refer to it.
func accountsObjects(t *testing.T, q Querier) string {
	t.Helper()
	rows, err := q.Query(`SELECT type, name, coalesce(sql, '') FROM sqlite_schema
		WHERE (tbl_name = 'accounts' AND type IN ('index', 'trigger'))
		   OR (type = 'table' AND name <> 'accounts' AND sql LIKE '%REFERENCES accounts(id)%') ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, sql string
		rows.Scan(&typ, &name, &sql)
		if strings.HasPrefix(name, "sqlite_autoindex_") {
			sql = "(auto)"
		}
		fmt.Fprintf(&b, "%s %s %s\n", typ, name, sql)
	}
	return b.String()
}

func testAccount(id, unit, platformID, status string) Account {
	return Account{ID: id, OwnerUnit: unit, Action: "open", Platform: "weibo", Name: "账号" + id, PlatformID: platformID,
		Kind: "unit", Department: "城关派出所", Responsible: "王所长", Contact: "0372-5500000", FiledOn: "2025-03-01",
		Status: status, CreatedAt: 1, UpdatedAt: 2, Version: 3}
}

// TestMigration20AccountsKeepEverything: a store at schema 19 with
// accounts, their metrics and the posts and messages that refer to them
// migrates to 20 in one rebuild record; the rows, the references, the
// status index and the change-log triggers stay; the platform ID is no
// longer unique, and has an index.
func TestMigration20AccountsKeepEverything(t *testing.T) {
	opts := testOpts
	opts.schemaLimit = 19
	dir := t.TempDir()
	s, _ := createT(t, dir, opts, nil)
	mustWrite(t, s, func(tx *Tx) error {
		if err := InsertUser(tx, User{ID: "u1", Name: "wang", DisplayName: "王", Role: "officer", Active: true}); err != nil {
			return err
		}
		if err := SaveOfficer(tx, Officer{ID: "o1", OwnerUnit: "st1", Name: "张三", PoliceNo: "100101", Department: "社区中队",
			Active: true, Version: 1}); err != nil {
			return err
		}
		personal := testAccount("a2", "st1", "zhangsan", "verified")
		personal.Kind, personal.OfficerID, personal.Declarations, personal.AppliedDecision = "personal", "o1", `["x"]`, "d1"
		for _, a := range []Account{testAccount("a1", "st1", "pa_cg", "accepted"), personal, testAccount("a3", "st2", "pa_x", "planned")} {
			if err := SaveAccount(tx, a); err != nil {
				return err
			}
		}
		if err := SaveAccountSnapshot(tx, AccountSnapshot{AccountID: "a1", Day: "2025-03-02", Followers: 10, Posts: 2, At: 5, Actor: "wang"}); err != nil {
			return err
		}
		if err := SavePost(tx, testPost("p1", "标题", "正文", 3)); err != nil {
			return err
		}
		if err := SetPostAccount(tx, "p1", "a1"); err != nil {
			return err
		}
		return InsertMessage(tx, Message{ID: "m1", OwnerUnit: "st1", Platform: "weibo", AccountID: "a2", Handle: "网友",
			ReceivedAt: 4, Type: "inquiry", Content: "问", Status: "accepted", DueOn: "2025-03-10", CreatedBy: "u1", CreatedAt: 4,
			UpdatedAt: 4, Version: 1})
	})
	tables := tableColumns(t, s.Reader())
	before := dumpTables(t, s.Reader(), tables)
	objects := accountsObjects(t, s.Reader())
	if !strings.Contains(objects, "sqlite_autoindex_accounts_2") {
		t.Fatalf("schema 19 has no unique platform ID to drop:\n%s", objects)
	}
	s.Close()

	s = openT(t, dir, testOpts)
	defer s.Close()
	if v, _ := s.UserVersion(); v < 20 {
		t.Fatalf("user_version %d after the upgrade", v)
	}
	if got := dumpTables(t, s.Reader(), tables); got != before {
		t.Fatalf("rows changed by migration 20:\n%s", firstDiff(before, got))
	}
	// The same objects but the unique index, plus the new plain index.
	var want []string
	for _, l := range strings.Split(strings.TrimSpace(objects), "\n") {
		if !strings.Contains(l, "sqlite_autoindex_accounts_2") {
			want = append(want, l)
		}
	}
	want = append(want, "index accounts_platform_id CREATE INDEX accounts_platform_id ON accounts(platform, platform_id)")
	got := strings.Split(strings.TrimSpace(accountsObjects(t, s.Reader())), "\n")
	norm := func(l []string) []string {
		out := slices.Clone(l)
		for i := range out {
			out[i] = strings.Join(strings.Fields(out[i]), " ")
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(norm(got), norm(want)) {
		t.Fatalf("objects on accounts after migration 20:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var fks int
	if err := s.Reader().QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&fks); err != nil || fks != 0 {
		t.Fatalf("foreign_key_check: %d %v", fks, err)
	}
	if ic, _ := s.IntegrityCheck(); ic != "ok" {
		t.Fatalf("integrity %q", ic)
	}
	var plan string
	if err := s.Reader().QueryRow("SELECT group_concat(detail) FROM (EXPLAIN QUERY PLAN SELECT id FROM accounts WHERE platform = 'weibo' AND platform_id = 'pa_cg')").Scan(&plan); err != nil {
		// EXPLAIN cannot be a subquery everywhere: ask directly.
		rows, err := s.Reader().Query("EXPLAIN QUERY PLAN SELECT id FROM accounts WHERE platform = 'weibo' AND platform_id = 'pa_cg'")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			plan += detail
		}
		rows.Close()
	}
	if !strings.Contains(plan, "accounts_platform_id") {
		t.Errorf("a lookup by platform ID does not use the index: %s", plan)
	}

	// The migration is one rebuild record (kind 3).
	recs, err := readJournal(s.journal.path, s.storeID, s.gen, s.dek)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, r := range recs.records {
		kind, stmts, err := decodeRecord(r)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(stmts, func(st stmt) bool { return st.SQL == migrations[19] }) {
			found++
			if kind != recordRebuild {
				t.Errorf("migration 20 journaled as kind %d, want %d (rebuild)", kind, recordRebuild)
			}
		}
	}
	if found != 1 {
		t.Fatalf("migration 20 in %d journal records", found)
	}

	// Two units (and a closed account and a new one) may have one ID; the
	// change-log triggers still fire, and a cascade still reaches metrics.
	mustWrite(t, s, func(tx *Tx) error {
		if _, err := tx.Exec("DELETE FROM sync_changes WHERE kind = 'account'"); err != nil {
			return err
		}
		if err := SaveAccount(tx, testAccount("a4", "st2", "pa_cg", "filed")); err != nil {
			return err
		}
		a1 := testAccount("a1", "st1", "pa_x", "accepted") // st1 takes st2's ID too
		a1.Version = 4
		return SaveAccount(tx, a1)
	})
	var changed []string
	rows, err := s.Reader().Query("SELECT record_id FROM sync_changes WHERE kind = 'account' ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		changed = append(changed, id)
	}
	rows.Close()
	if !slices.Equal(changed, []string{"a4", "a1"}) {
		t.Errorf("change log after an insert and an update: %v", changed)
	}
	var n int
	s.Reader().QueryRow("SELECT count(*) FROM accounts WHERE platform = 'weibo' AND platform_id = 'pa_cg'").Scan(&n)
	if n != 1 {
		t.Errorf("%d accounts with pa_cg, want 1 (a4; a1 moved to pa_x)", n)
	}
	s.Reader().QueryRow("SELECT count(*) FROM accounts WHERE platform = 'weibo' AND platform_id = 'pa_x'").Scan(&n)
	if n != 2 {
		t.Errorf("%d accounts with pa_x, want 2", n)
	}
	if err := s.Write(func(tx *Tx) error {
		_, err := tx.Exec("DELETE FROM accounts WHERE id = 'a3'")
		return err
	}); err != nil {
		t.Errorf("delete an account no row refers to: %v", err)
	}
	if err := s.Write(func(tx *Tx) error {
		_, err := tx.Exec("DELETE FROM accounts WHERE id = 'a1'") // p1 refers to it
		return err
	}); err == nil {
		t.Error("foreign keys to the rebuilt accounts are not enforced")
	}
}
