package data

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// homeDay is the generated registers' "today" (2026-09-05 08:00 UTC).
var homeDay = time.Date(2026, 9, 5, 8, 0, 0, 0, time.UTC)

// fillRegisters writes generated registers in one statement per table
// (recursive CTEs, so the journal holds a few statements, not rows):
// posts posts (every 50th waiting in each of the four waiting states, the
// rest published on one of the first 90% of the accounts), accounts
// accepted accounts, trainings trainings with 5 attendees each, messages
// messages (every 20th open, half of those overdue) and notices notices
// (every other one closed, every third of the open ones late).
func fillRegisters(tb testing.TB, s *Store, posts, accounts, trainings, messages, notices int) {
	tb.Helper()
	base := homeDay.AddDate(0, 0, -100).UnixMilli()
	seq := func(n int) string {
		return fmt.Sprintf("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d) ", n-1)
	}
	stmts := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO users(id, name, display_name, role, active, created_at, updated_at) VALUES ('u1', 'u1', '民警', 'officer', 1, 0, 0), ('u2', 'u2', '带班', 'shift_leader', 1, 0, 0)`, nil},
		{"INSERT INTO officers(id, owner_unit, name, police_no, department, created_at, updated_at) " + seq(100) +
			"SELECT 'o' || i, 'unit', '民警' || i, printf('%06d', i), '宣传', 0, 0 FROM n", nil},
		{"INSERT INTO accounts(id, owner_unit, action, platform, name, platform_id, kind, department, responsible, contact, filed_on, status, created_at, updated_at) " +
			seq(accounts) + "SELECT 'a' || i, 'unit', 'open', 'weibo', '平安汤阴' || i, 'pid' || i, 'unit', '宣传', '张三', '0372-1234567', '2026-01-01', 'accepted', ?, ? FROM n",
			[]any{base, base}},
		{"INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, status, content_hash, created_at, updated_at, published_at, account_id) " +
			seq(posts) + `SELECT 'p' || i, 'unit', CASE WHEN i % 2 = 0 THEN 'u1' ELSE 'u2' END, '稿件' || i, '汤阴县公安局提醒' || i, 'notice', '["weibo"]',
				CASE i % 50 WHEN 0 THEN 'submitted' WHEN 1 THEN 'returned' WHEN 2 THEN 'awaiting_hq' WHEN 3 THEN 'ready' ELSE 'published' END,
				x'00', ? + i * 60000, ? + i * 60000,
				CASE WHEN i % 50 < 4 THEN NULL ELSE ? + i * 60000 END,
				CASE WHEN i % 50 < 4 THEN NULL ELSE 'a' || (i % ?) END FROM n`,
			[]any{base, base, base, accounts * 9 / 10}},
		{"INSERT INTO trainings(id, owner_unit, held_on, minutes, form, topics, trainer, place, created_by, created_at, updated_at) " +
			seq(trainings) + "SELECT 't' || i, 'unit', date('2026-01-01', '+' || (i % 240) || ' days'), 90, 'lecture', 'politics', '李四', '会议室', 'u1', 0, 0 FROM n", nil},
		{"INSERT INTO training_attendees(training_id, officer_id) " + seq(trainings*5) +
			"SELECT 't' || (i / 5), 'o' || ((i / 5 + i % 5) % 100) FROM n", nil},
		{"INSERT INTO messages(id, owner_unit, platform, handle, received_at, type, content, status, due_on, closed_at, created_by, created_at, updated_at) " +
			seq(messages) + `SELECT 'm' || i, 'unit', 'weibo', '网友' || i, ? + i * 1000, 'consult', '请问办理居住证需要什么材料', 
				CASE WHEN i % 20 = 0 THEN 'accepted' ELSE 'closed' END,
				CASE WHEN i % 40 = 0 THEN '2026-09-01' ELSE '2026-09-20' END,
				CASE WHEN i % 20 = 0 THEN NULL ELSE ? + i * 1000 END, 'u1', 0, 0 FROM n`,
			[]any{base, base}},
		{"INSERT INTO notices(id, owner_unit, unit_id, title, body, due_on, status, issued_at, created_by, created_at, updated_at) " +
			seq(notices) + `SELECT 'n' || i, 'hq', 'unit', '整改通知' || i, '请整改', CASE WHEN i % 6 = 1 THEN '2026-09-01' ELSE '2026-09-30' END,
				CASE WHEN i % 2 = 0 THEN 'closed' ELSE 'open' END, 0, 'hq', 0, 0 FROM n`, nil},
		{"INSERT INTO settings(key, value) VALUES (?, ?)", []any{LastSyncSetting, fmt.Sprint(homeDay.AddDate(0, 0, -3).UnixMilli())}},
	}
	for _, st := range stmts {
		if err := s.Write(func(tx *Tx) error { _, err := tx.Exec(st.sql, st.args...); return err }); err != nil {
			tb.Fatalf("%.60s…: %v", st.sql, err)
		}
	}
}

func homeQueryFor(limit int) HomeQuery {
	return HomeQuery{
		UserID:     "u1",
		Today:      homeDay.Format(time.DateOnly),
		IdleBefore: homeDay.AddDate(0, 0, -14).UnixMilli(),
		Limit:      limit,
	}
}

func TestStationHome(t *testing.T) {
	s, _, _ := newTestStore(t)
	h, err := StationHomeData(s.Reader(), homeQueryFor(5))
	if err != nil {
		t.Fatal(err)
	}
	if len(h.PostCounts) != 0 || h.OpenMessages != 0 || h.LiveAccounts != 0 || h.OpenNotices != 0 || h.LastSyncAt != 0 || h.Idle != nil {
		t.Fatalf("empty store: %+v", h)
	}

	// 1,000 posts published at base + i minutes, on accounts a0..a8: all
	// within the first 17 hours of the 100 days, so every account is idle.
	fillRegisters(t, s, 1000, 10, 20, 200, 12)
	h, err = StationHomeData(s.Reader(), homeQueryFor(5))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"submitted": 20, "returned": 20, "awaiting_hq": 20, "ready": 20}
	if fmt.Sprint(h.PostCounts) != fmt.Sprint(want) {
		t.Errorf("post counts %v, want %v", h.PostCounts, want)
	}
	if h.MyReturned != 0 { // i % 50 == 1 is odd: u2's
		t.Errorf("u1 has %d returned, want 0", h.MyReturned)
	}
	if len(h.ToReview) != 5 || h.ToReview[0].ID != "p0" || h.ToReview[1].ID != "p50" {
		t.Errorf("to review %+v, want p0, p50, … (oldest first, 5)", h.ToReview)
	}
	if h.OpenMessages != 10 || h.Overdue != 5 {
		t.Errorf("messages open %d overdue %d, want 10 and 5", h.OpenMessages, h.Overdue)
	}
	if len(h.OverdueList) != 5 || h.OverdueList[0].DueOn != "2026-09-01" {
		t.Errorf("overdue list %+v", h.OverdueList)
	}
	if h.LiveAccounts != 10 || len(h.Idle) != 10 {
		t.Fatalf("live %d idle %d, want 10 and 10", h.LiveAccounts, len(h.Idle))
	}
	// a9 never posted: idle since its filing, the oldest; the others by
	// their last post.
	if h.Idle[0].ID != "a9" || h.Idle[0].LastPost != 0 {
		t.Errorf("first idle %+v, want a9 with no post", h.Idle[0])
	}
	last := h.Idle[len(h.Idle)-1]
	if last.LastPost != homeDay.AddDate(0, 0, -100).UnixMilli()+999*60000 && last.ID != "a0" {
		t.Errorf("last idle %+v", last)
	}
	if !slices.IsSortedFunc(h.Idle, func(a, b IdleAccount) int { return int(a.Since - b.Since) }) {
		t.Errorf("idle not longest first: %+v", h.Idle)
	}
	if h.OpenNotices != 6 || h.LateNotices != 2 || len(h.Notices) != 5 {
		t.Errorf("notices open %d late %d list %d, want 6, 2, 5", h.OpenNotices, h.LateNotices, len(h.Notices))
	}
	if h.LastSyncAt != homeDay.AddDate(0, 0, -3).UnixMilli() {
		t.Errorf("last sync %d", h.LastSyncAt)
	}

	// A recent post on a5 takes it off the idle list.
	if err := s.Write(func(tx *Tx) error {
		_, err := tx.Exec("UPDATE posts SET published_at = ? WHERE id = 'p104'", homeDay.AddDate(0, 0, -1).UnixMilli())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	h, _ = StationHomeData(s.Reader(), homeQueryFor(5))
	if len(h.Idle) != 9 || slices.ContainsFunc(h.Idle, func(a IdleAccount) bool { return a.ID == "a5" }) {
		t.Errorf("after a post on a5: idle %+v", h.Idle)
	}
}

// BenchmarkStationHome computes the station home over 100,000 posts, 2,000
// accounts, 5,000 trainings, 50,000 messages (goal ≤ 50 ms):
//
//	go test -run '^$' -bench StationHome ./data
func BenchmarkStationHome(b *testing.B) {
	s, _, _ := newTestStore(b)
	start := time.Now()
	fillRegisters(b, s, 100_000, 2_000, 5_000, 50_000, 200)
	b.Logf("registers written in %v", time.Since(start).Round(time.Millisecond))
	q := homeQueryFor(10)
	b.ResetTimer()
	for b.Loop() {
		h, err := StationHomeData(s.Reader(), q)
		if err != nil {
			b.Fatal(err)
		}
		if h.OpenMessages != 2500 || h.LiveAccounts != 2000 {
			b.Fatalf("open %d live %d", h.OpenMessages, h.LiveAccounts)
		}
	}
}
