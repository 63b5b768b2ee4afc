package data

import (
	"fmt"
	"testing"
	"time"

	"mediadesk/internal/benchmeter"
)

// benchZone is China Standard Time, the generated county's.
var benchZone = time.FixedZone("CST", 8*3600)

// fillCounty writes a year (2026) of a county of units stations, 's0' …,
// at HQ in one statement per table (recursive CTEs): posts posts spread
// evenly over the year, each published on one of 5 accounts of its unit
// (every tenth account closed), with two days of numbers each and every
// tenth rated; messages messages (every tenth still open, closed after
// 0–6 days with a 5-day deadline); a weekly follower snapshot of every
// account; 40 officers per unit and trainings/40 per unit with 5
// attendees; 10 campaigns per unit (every other one an interaction
// activity); an override on every 40th post; 10 notices per unit.
func fillCounty(tb testing.TB, s *Store, units, posts, messages, trainings int) {
	tb.Helper()
	year := time.Date(2026, 1, 1, 0, 0, 0, 0, benchZone).UnixMilli()
	step := int64(365*msPerDay) / int64(posts)
	accounts, officers, campaigns, notices := units*5, units*40, units*10, units*10
	seq := func(n int) string {
		return fmt.Sprintf("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d) ", n-1)
	}
	unit := fmt.Sprintf("'s' || (i %% %d)", units)
	stmts := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO users(id, name, display_name, role, active, created_at, updated_at) VALUES ('u1', 's/u1', '民警', 'officer', 0, 0, 0)`, nil},
		{"INSERT INTO accounts(id, owner_unit, action, platform, name, platform_id, kind, department, responsible, contact, filed_on, status, created_at, updated_at) " +
			seq(accounts) + "SELECT 'a' || i, " + unit + ", 'open', 'weibo', '平安' || i, 'pid' || i, 'unit', '宣传', '张三', '0372-1234567', '2026-01-01', " +
			"CASE WHEN i % 10 = 9 THEN 'closed' ELSE 'verified' END, 0, 0 FROM n", nil},
		{"INSERT INTO account_metrics(account_id, day, followers, posts, at, actor) " + seq(accounts*53) +
			"SELECT 'a' || (i / 53), date('2026-01-01', '+' || ((i % 53) * 7) || ' days'), 1000 + (i % 53) * 10 + i / 53, 0, 0, 'x' FROM n", nil},
		{"INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, status, content_hash, created_at, updated_at, published_at, account_id) " +
			seq(posts) + "SELECT 'p' || i, " + unit + `, 'u1', '稿件' || i, '汤阴县公安局提醒' || i, 'notice', '["weibo"]', 'published',
				x'00', ? + i * ?, ? + i * ?, ? + i * ?, 'a' || (i % ?) FROM n`,
			[]any{year, step, year, step, year, step, accounts}},
		{"INSERT INTO post_metrics(post_id, day, reads, likes, comments, reposts, at, actor) " + seq(posts*2) +
			`SELECT 'p' || (i / 2), date((? + (i / 2) * ?) / 1000, 'unixepoch', '+' || (1 + (i % 2) * 3) || ' days'),
				i % 500, i % 50, i % 20, i % 10, 0, 'x' FROM n`, []any{year, step}},
		{"INSERT INTO post_ratings(post_id, rating, note, rated_by, rated_at) " + seq(posts/10) +
			"SELECT 'p' || (i * 10), 1 + i % 5, '', 'hq', 0 FROM n", nil},
		{"INSERT INTO post_overrides(post_id, content_hash, rule, start, at, actor, reason) " + seq(posts/40) +
			"SELECT 'p' || (i * 40), x'00', 'phone', 0, ? + i * 40 * ?, 'x', '已核实' FROM n", []any{year, step}},
		{"INSERT INTO messages(id, owner_unit, platform, handle, received_at, type, content, status, due_on, closed_at, created_by, created_at, updated_at) " +
			seq(messages) + "SELECT 'm' || i, " + unit + `, 'weibo', '网友' || i, ? + i * ?, 'consult', '请问', 'closed',
				date((? + i * ?) / 1000, 'unixepoch', '+5 days'),
				CASE WHEN i % 10 = 0 THEN NULL ELSE ? + i * ? + (i % 7) * ? END, 'x', 0, 0 FROM n`,
			[]any{year, 365 * msPerDay / messages, year, 365 * msPerDay / messages, year, 365 * msPerDay / messages, msPerDay}},
		{"INSERT INTO campaigns(id, owner_unit, title, kind, starts_on, ends_on, created_by, created_at, updated_at) " + seq(campaigns) +
			"SELECT 'c' || i, " + unit + ", '活动', CASE WHEN i % 2 = 0 THEN 'interaction' ELSE 'campaign' END, " +
			"date('2026-01-01', '+' || (i % 360) || ' days'), date('2026-01-01', '+' || (i % 360 + 3) || ' days'), 'x', 0, 0 FROM n", nil},
		{"INSERT INTO officers(id, owner_unit, name, police_no, department, created_at, updated_at) " + seq(officers) +
			"SELECT 'o' || i, " + unit + ", '民警' || i, printf('%06d', i), '宣传', 0, 0 FROM n", nil},
		{"INSERT INTO trainings(id, owner_unit, held_on, minutes, form, topics, trainer, place, created_by, created_at, updated_at) " +
			seq(trainings) + "SELECT 't' || i, " + unit + ", date('2026-01-01', '+' || (i % 365) || ' days'), 90, 'lecture', 'politics', '李四', '会议室', 'x', 0, 0 FROM n", nil},
		// attendee j of training i: an officer of the same unit (i % units)
		{"INSERT INTO training_attendees(training_id, officer_id) " + seq(trainings*5) +
			fmt.Sprintf("SELECT 't' || (i / 5), 'o' || ((i / 5) %% %d + %d * ((i / 5 / %d + i %% 5) %% 40)) FROM n", units, units, units), nil},
		{"INSERT INTO notices(id, owner_unit, unit_id, title, body, due_on, status, issued_at, closed_at, created_by, created_at, updated_at) " +
			seq(notices) + "SELECT 'n' || i, 'hq', " + fmt.Sprintf("'s' || (i %% %d)", units) + `, '整改', '请整改',
				date('2026-01-10', '+' || (i % 350) || ' days'), CASE WHEN i % 2 = 0 THEN 'closed' ELSE 'open' END,
				? + (i % 350) * ?, CASE WHEN i % 2 = 0 THEN ? + (i % 350 + 9 + i % 4) * ? END, 'hq', 0, 0 FROM n`,
			[]any{year, msPerDay, year, msPerDay}},
	}
	for _, st := range stmts {
		if err := s.Write(func(tx *Tx) error { _, err := tx.Exec(st.sql, st.args...); return err }); err != nil {
			tb.Fatalf("%.80s…: %v", st.sql, err)
		}
	}
}

// yearRange is 2026 in China Standard Time, judged on 2027-01-05.
func yearRange() AssessmentRange {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, benchZone)
	return AssessmentRange{From: start.UnixMilli(), To: start.AddDate(1, 0, 0).UnixMilli(), FirstDay: "2026-01-01", LastDay: "2026-12-31",
		Today: "2027-01-05", Offset: 8 * 3600 * 1000, ZombieDays: 14}
}

func TestAssessmentFactsOfACounty(t *testing.T) {
	s, _, _ := newTestStore(t)
	fillCounty(t, s, 4, 4_000, 400, 40)
	facts, err := AssessmentFacts(s.Reader(), yearRange())
	if err != nil {
		t.Fatal(err)
	}
	if len(facts) != 4 {
		t.Fatalf("%d units", len(facts))
	}
	var posts, msgs, open, rated, overrides, notices, interactions int64
	for _, f := range facts {
		posts += f.Posts
		msgs += f.Messages
		open += f.Messages - f.Replied
		rated += f.RatedPosts
		overrides += f.Overrides
		notices += f.Notices
		interactions += f.Interactions
		if f.Officers != 40 || f.TrainingMinutes != 10*5*90 {
			t.Errorf("officers %d, training minutes %d, want 40 and 4,500", f.Officers, f.TrainingMinutes)
		}
		// 4,000 posts a year on 5 accounts per unit: about one a day per
		// account, so no account goes 14 days without one. Each live account
		// (4 or 5 per unit) gains 52 × 10 followers.
		if growth := f.Followers - f.FollowersStart; f.ZombieDays != 0 || growth != 4*520 && growth != 5*520 {
			t.Errorf("zombie days %d, followers %d from %d", f.ZombieDays, f.Followers, f.FollowersStart)
		}
	}
	if posts != 4000 || msgs != 400 || open != 40 || rated != 400 || overrides != 100 || notices != 40 || interactions != 20 {
		t.Errorf("posts %d messages %d open %d rated %d overrides %d notices %d interactions %d", posts, msgs, open, rated, overrides, notices, interactions)
	}

	// A month only sees its own posts. One unit's accounts stop posting in
	// October, so in November its 4 live accounts, idle since September,
	// are zombies every day: 30 days each.
	if err := s.Write(func(tx *Tx) error {
		_, err := tx.Exec("UPDATE posts SET status = 'ready', published_at = NULL, account_id = NULL WHERE owner_unit = 's1' AND published_at >= ?",
			time.Date(2026, 10, 1, 0, 0, 0, 0, benchZone).UnixMilli())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	nov := time.Date(2026, 11, 1, 0, 0, 0, 0, benchZone)
	r := AssessmentRange{From: nov.UnixMilli(), To: nov.AddDate(0, 1, 0).UnixMilli(), FirstDay: "2026-11-01", LastDay: "2026-11-30",
		Today: "2026-12-03", Offset: 8 * 3600 * 1000, ZombieDays: 14}
	facts, err = AssessmentFacts(s.Reader(), r)
	if err != nil {
		t.Fatal(err)
	}
	if facts["s1"].Posts != 0 || facts["s1"].ZombieDays != 4*30 || facts["s0"].ZombieDays != 0 || facts["s0"].Posts < 50 {
		t.Errorf("November: s1 %+v, s0 %+v", *facts["s1"], *facts["s0"])
	}
}

// BenchmarkAssessmentYear reads the numbers the assessment of a year
// needs for 40 units over 80,000 posts (160,000 days of numbers), 20,000
// messages, 200 accounts with weekly snapshots, 1,600 officers and 1,000
// trainings (goal: Compute("2026") ≤ 1 s; this is its reading part). It
// reports the CPU time per read too (cpu-ms/op; Linux):
//
//	go test -run '^$' -bench AssessmentYear ./data
func BenchmarkAssessmentYear(b *testing.B) {
	s, _, _ := newTestStore(b)
	start := time.Now()
	fillCounty(b, s, 40, 80_000, 20_000, 1_000)
	b.Logf("county written in %v", time.Since(start).Round(time.Millisecond))
	r := yearRange()
	cpu := benchmeter.ProcessCPU()
	b.ResetTimer()
	for b.Loop() {
		facts, err := AssessmentFacts(s.Reader(), r)
		if err != nil {
			b.Fatal(err)
		}
		if len(facts) != 40 || facts["s0"].Posts != 2000 {
			b.Fatalf("%d units, s0 %d posts", len(facts), facts["s0"].Posts)
		}
	}
	// On a shared machine the wall clock also counts waiting for the CPU.
	b.ReportMetric(float64(benchmeter.ProcessCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// TestAssessmentLateNotices: a notice due in the period is late when the
// station's first answer since it was issued or last reopened falls on a
// local (UTC+8) day after due_on or, with no such answer, due_on has
// passed; when HQ closed it does not count. Each notice is its own unit's.
func TestAssessmentLateNotices(t *testing.T) {
	s, _, _ := newTestStore(t)
	at := func(day, hour, minute int) int64 {
		return time.Date(2026, 10, day, hour, minute, 0, 0, benchZone).UnixMilli()
	}
	notices := []struct {
		id, due  string
		answers  []int64
		reopened int64 // 0: never
		closed   int64 // 0: not closed
		late     bool
	}{
		{"answered-on-time-closed-late", "2026-10-10", []int64{at(8, 10, 0)}, 0, at(12, 9, 0), false},
		{"answered-late", "2026-10-10", []int64{at(11, 10, 0)}, 0, at(12, 9, 0), true},
		{"answered-23:30-on-due", "2026-10-10", []int64{at(10, 23, 30)}, 0, at(12, 9, 0), false},
		{"answered-00:30-after-due", "2026-10-10", []int64{at(11, 0, 30)}, 0, at(12, 9, 0), true},
		{"supplement-after-due", "2026-10-10", []int64{at(8, 10, 0), at(15, 10, 0)}, 0, at(16, 9, 0), false},
		{"answered-not-closed", "2026-10-10", []int64{at(9, 10, 0)}, 0, 0, false},
		{"unanswered", "2026-10-10", nil, 0, 0, true},
		{"reopened-answered-late", "2026-10-20", []int64{at(5, 10, 0), at(21, 10, 0)}, at(7, 9, 0), at(22, 9, 0), true},
		{"reopened-answered-on-time", "2026-10-20", []int64{at(5, 10, 0), at(15, 10, 0)}, at(7, 9, 0), at(25, 9, 0), false},
		{"reopened-unanswered", "2026-10-20", []int64{at(5, 10, 0)}, at(7, 9, 0), 0, true},
		{"reopened-answered-open", "2026-10-20", []int64{at(5, 10, 0), at(19, 10, 0)}, at(7, 9, 0), 0, false},
		{"due-in-november", "2026-11-05", nil, 0, 0, false},
	}
	mustWrite(t, s, func(tx *Tx) error {
		for _, c := range notices {
			n := Notice{ID: c.id, OwnerUnit: "hq", UnitID: c.id, Title: "整改", Body: "请整改", DueOn: c.due, Status: "open",
				IssuedAt: at(3, 9, 0), CreatedBy: "hq", CreatedAt: at(3, 9, 0), UpdatedAt: at(3, 9, 0), Version: 1}
			if c.reopened != 0 {
				n.Status, n.UpdatedAt = "reopened", c.reopened
				if err := AppendAudit(tx, c.reopened, "admin", NoticeReopenAction, c.id, "重新打开"); err != nil {
					return err
				}
			}
			if c.closed != 0 {
				n.Status, n.ClosedAt, n.UpdatedAt = "closed", c.closed, c.closed
			}
			if err := InsertNotice(tx, n); err != nil {
				return err
			}
			for i, a := range c.answers {
				if err := InsertNoticeAnswer(tx, NoticeAnswer{ID: fmt.Sprintf("%s-%d", c.id, i), OwnerUnit: c.id, NoticeID: c.id,
					Body: "已整改", AnsweredAt: a, Actor: "x", CreatedAt: a, UpdatedAt: a, Version: 1}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	oct := time.Date(2026, 10, 1, 0, 0, 0, 0, benchZone)
	facts, err := AssessmentFacts(s.Reader(), AssessmentRange{From: oct.UnixMilli(), To: oct.AddDate(0, 1, 0).UnixMilli(),
		FirstDay: "2026-10-01", LastDay: "2026-10-31", Today: "2026-11-03", Offset: 8 * 3600 * 1000, ZombieDays: 14})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range notices {
		f := facts[c.id]
		if f == nil || f.Notices != 1 || (f.LateNotices == 1) != c.late || f.LateNotices > 1 {
			t.Errorf("%s: %+v, want late %v", c.id, f, c.late)
		}
	}
}

// TestAssessmentTrainingActiveOfficers: 人均培训学时 counts the same officers
// above and below the line, those active on the unit's roster: one active
// and one departed officer at a 10-hour training are 600 minutes for one
// officer, not 1,200.
func TestAssessmentTrainingActiveOfficers(t *testing.T) {
	s, _, _ := newTestStore(t)
	mustWrite(t, s, func(tx *Tx) error {
		for _, o := range []Officer{
			{ID: "o-on", OwnerUnit: "s1", Name: "在岗民警", PoliceNo: "100001", Department: "宣传", Active: true, Version: 1},
			{ID: "o-left", OwnerUnit: "s1", Name: "离岗民警", PoliceNo: "100002", Department: "宣传", Active: false, Version: 1},
		} {
			if err := SaveOfficer(tx, o); err != nil {
				return err
			}
		}
		if err := SaveTraining(tx, Training{ID: "t1", OwnerUnit: "s1", HeldOn: "2026-10-12", Minutes: 600, Form: "lecture",
			Topics: "politics", Trainer: "李四", Place: "会议室", CreatedBy: "x", Version: 1}); err != nil {
			return err
		}
		return SetTrainingAttendees(tx, "t1", []string{"o-on", "o-left"})
	})
	oct := time.Date(2026, 10, 1, 0, 0, 0, 0, benchZone)
	facts, err := AssessmentFacts(s.Reader(), AssessmentRange{From: oct.UnixMilli(), To: oct.AddDate(0, 1, 0).UnixMilli(),
		FirstDay: "2026-10-01", LastDay: "2026-10-31", Today: "2026-11-03", Offset: 8 * 3600 * 1000, ZombieDays: 14})
	if err != nil {
		t.Fatal(err)
	}
	if f := facts["s1"]; f == nil || f.TrainingMinutes != 600 || f.Officers != 1 {
		t.Errorf("s1: %+v, want 600 minutes of 1 officer", f)
	}
}
