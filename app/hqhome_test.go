package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"mediadesk/data"
)

// hqRows writes rows of HQ's own records (notices, assessment results)
// straight into its store, as the screens that make them would.
func hqRows(t *testing.T, s *Session, query string, rows ...[]any) {
	t.Helper()
	err := s.store.Write(func(tx *data.Tx) error {
		for _, r := range rows {
			if _, err := tx.Exec(query, r...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestHQHome(t *testing.T) {
	c := newCounty(t, 2)
	st1 := c.stations[0]
	post := sensitivePost(t, st1, "重大警情通报")
	filing, err := st1.leader.SaveAccountFiling(unitFiling(st1.cfg.now()))
	if err == nil {
		filing, err = st1.leader.FileAccount(filing.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(st1.admin, "")...)
	junk := filepath.Join(t.TempDir(), "st2-to-hq-000001.mdbundle")
	if err := os.WriteFile(junk, []byte("not a bundle"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Refused, junk)

	now := c.hq.cfg.now()
	today := now.Format(time.DateOnly)
	day := func(n int) string { return now.AddDate(0, 0, n).Format(time.DateOnly) }
	hqID := c.hq.Unit().ID
	hqRows(t, c.hq, `INSERT INTO notices(id, owner_unit, unit_id, title, body, due_on, status, issued_at, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, '整改内容', ?, ?, 1, 'admin', 1, 1)`,
		[]any{"n-late", hqID, "st1", "账号长期未更新", day(-2), "open"},
		[]any{"n-reopened", hqID, "st2", "信息泄露整改", day(-1), "reopened"},
		[]any{"n-today", hqID, "st1", "今日到期", today, "open"},
		[]any{"n-closed", hqID, "st2", "已办结的", day(-5), "closed"})
	hqRows(t, c.hq, `INSERT INTO assessment_results(id, owner_unit, unit_id, period, scheme_id, score, rank, units, detail, published_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, 's1', ?, ?, 2, '{}', ?, 1, 1)`,
		[]any{"r1", hqID, "st1", "2026-09", 90.0, 1, 100},
		[]any{"r2", hqID, "st2", "2026-09", 80.0, 2, 100},
		[]any{"r3", hqID, "st1", "2026-10", 70.5, 2, 200},
		[]any{"r4", hqID, "st2", "2026-10", 88.0, 1, 200})

	h, err := c.hq.HQHome()
	if err != nil {
		t.Fatal(err)
	}
	if h.Imported != 1 || h.Refused != 1 || len(h.Today) != 4 || h.Today[3].Result != "registered" || h.Today[1].PeerName != "派出所st1" || h.Today[1].Records == 0 {
		t.Errorf("today's bundles: %d imported, %d refused, %+v", h.Imported, h.Refused, h.Today)
	}
	if h.PostsWaiting != 1 || h.FilingsWaiting != 1 {
		t.Errorf("queues: %d posts, %d filings, want 1 and 1", h.PostsWaiting, h.FilingsWaiting)
	}
	if h.OverdueNotices != 2 || len(h.Overdue) != 2 || h.Overdue[0].ID != "n-late" || h.Overdue[1].UnitName != "派出所st2" {
		t.Errorf("overdue notices: %d, %+v", h.OverdueNotices, h.Overdue)
	}
	if len(h.Late) != 0 || h.SyncWarnDays != DefaultSyncWarnDays {
		t.Errorf("late stations on the day they registered: %+v (limit %d)", h.Late, h.SyncWarnDays)
	}
	if h.Period != "2026-10" || len(h.Ranking) != 2 || h.Ranking[0].UnitName != "派出所st2" || h.Ranking[0].Rank != 1 || h.Ranking[1].Score != 70.5 {
		t.Errorf("ranking %q %+v", h.Period, h.Ranking)
	}

	// Deciding empties the queues.
	if _, err := c.hq.DecidePost(post.ID, post.ContentHash, true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.hq.DecideFiling(filing.ID, StepAccept, ""); err != nil {
		t.Fatal(err)
	}
	if h, _ = c.hq.HQHome(); h.PostsWaiting != 0 || h.FilingsWaiting != 0 {
		t.Errorf("queues after deciding: %d posts, %d filings", h.PostsWaiting, h.FilingsWaiting)
	}

	// Eight days on, both stations are late (st2 never sent anything), the
	// one silent longer first; nothing came in that day.
	later := withClock(c.hq, func() time.Time { return now.AddDate(0, 0, 8) })
	h, _ = later.HQHome()
	if len(h.Today) != 0 || len(h.Late) != 2 || h.Late[0].ID != "st2" || !h.Late[0].LastIn.IsZero() || h.Late[1].LastIn.IsZero() || h.Late[1].Days != 8 {
		t.Errorf("eight days on: today %+v, late %+v", h.Today, h.Late)
	}
	if err := c.hq.SetSyncWarnDays(10); err != nil {
		t.Fatal(err)
	}
	if h, _ = later.HQHome(); len(h.Late) != 0 || h.SyncWarnDays != 10 {
		t.Errorf("with a 10-day limit: late %+v", h.Late)
	}
	if _, err := st1.admin.HQHome(); err == nil {
		t.Error("a station read HQ's home")
	}
}
