package data

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3" // the plain "sqlite3" driver: no search_text
)

// schemaObjects lists the named objects of a database, "type name", sorted.
func schemaObjects(t *testing.T, q Querier) []string {
	t.Helper()
	rows, err := q.Query("SELECT type || ' ' || name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// TestExportPlainOpensAnywhere: the plain export leaves out the search
// objects (they need search_text and SQLite 3.44+) and keeps everything
// else; it opens with a connection that has no search_text, and with the
// sqlite3 tool when one is installed.
func TestExportPlainOpensAnywhere(t *testing.T) {
	s, _ := searchStore(t)
	savePosts(t, s, testPost("p1", "汤阴县反诈宣传", "民警提醒：谨防电信诈骗。", 1), testPost("p2", "交通安全 APP", "文明出行。", 2))
	addComment(t, s, "c1", "p1", "照片很清晰", 3)
	if got := search(t, s.Reader(), "反诈", PostFilter{}); len(got.Hits) != 1 {
		t.Fatalf("live search before the export: %+v", got)
	}
	out := filepath.Join(t.TempDir(), "plain.db")
	if err := s.ExportPlain(out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(out + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("temp file left: %v", err)
	}
	// The live store keeps its search index.
	if got := search(t, s.Reader(), "反诈", PostFilter{}); len(got.Hits) != 1 {
		t.Fatalf("live search after the export: %+v", got)
	}

	db, err := sql.Open("sqlite3", out)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ic string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ic); err != nil || ic != "ok" {
		t.Fatalf("integrity_check: %q %v", ic, err)
	}
	var fk int
	if err := db.QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&fk); err != nil || fk != 0 {
		t.Fatalf("foreign_key_check: %d %v", fk, err)
	}
	var posts, comments int
	if err := db.QueryRow("SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM post_comments)").Scan(&posts, &comments); err != nil || posts != 2 || comments != 1 {
		t.Fatalf("posts %d, comments %d: %v", posts, comments, err)
	}
	var title string
	if err := db.QueryRow("SELECT title FROM posts WHERE id = 'p1'").Scan(&title); err != nil || title != "汤阴县反诈宣传" {
		t.Fatalf("post p1: %q %v", title, err)
	}
	// Everything but the search objects is there.
	var want []string
	for _, o := range schemaObjects(t, s.Reader()) {
		if !strings.Contains(o, " post_search") {
			want = append(want, o)
		}
	}
	got := schemaObjects(t, db)
	if !slices.Equal(got, want) {
		t.Fatalf("exported objects:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, o := range got {
		if strings.Contains(o, "search") {
			t.Errorf("search object exported: %s", o)
		}
	}
	var uv int
	if err := db.QueryRow("PRAGMA user_version").Scan(&uv); err != nil || uv != SchemaVersion {
		t.Errorf("user_version %d, want %d: %v", uv, SchemaVersion, err)
	}
	// No trigger left calls search_text: posts and comments can be written.
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("UPDATE posts SET title = '改' WHERE id = 'p1'"); err != nil {
		t.Errorf("update a post in the export: %v", err)
	}
	if _, err := tx.Exec("DELETE FROM post_comments WHERE id = 'c1'"); err != nil {
		t.Errorf("delete a comment in the export: %v", err)
	}
	tx.Rollback()

	tool, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Log("no sqlite3 tool installed: skipped opening the export with it")
		return
	}
	for _, c := range []struct{ arg, want string }{
		{".tables", "posts"},
		{"PRAGMA integrity_check;", "ok"},
		{"SELECT count(*) FROM posts;", "2"},
		{".schema", "CREATE TABLE post_comments"},
	} {
		b, err := exec.Command(tool, "-bail", out, c.arg).CombinedOutput()
		if err != nil || !strings.Contains(string(b), c.want) || strings.Contains(string(b), "rror") {
			t.Errorf("sqlite3 %s %q: %v\n%s", out, c.arg, err, b)
		}
	}
}
