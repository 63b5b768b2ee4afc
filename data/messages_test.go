package data

import (
	"errors"
	"fmt"
	"testing"
)

// testMessage is message i, received i minutes after a fixed time, due
// on the given day; closed ones were closed a day later.
func testMessage(i int, due string, closed bool) Message {
	m := Message{ID: fmt.Sprintf("m%06d", i), OwnerUnit: "u", Platform: "weibo", Handle: "网友", ReceivedAt: 1_790_000_000_000 + int64(i)*60_000,
		Type: "inquiry", Content: "咨询", Status: "accepted", DueOn: due, CreatedBy: "admin", Version: 1}
	m.CreatedAt, m.UpdatedAt = m.ReceivedAt, m.ReceivedAt
	if closed {
		m.Status, m.ClosedAt = "closed", m.ReceivedAt+86_400_000
	}
	return m
}

func TestUpdateMessageVersionAndCounts(t *testing.T) {
	s, _, _ := newTestStore(t)
	defer s.Close()
	mustWrite(t, s, func(tx *Tx) error {
		for i, due := range []string{"2026-11-20", "2026-11-24", "2026-11-30"} {
			if err := InsertMessage(tx, testMessage(i, due, false)); err != nil {
				return err
			}
		}
		return InsertMessage(tx, testMessage(3, "2026-11-01", true))
	})
	open, overdue, err := CountMessages(s.Reader(), "2026-11-25")
	if err != nil || open != 3 || overdue != 2 {
		t.Fatalf("counts %d %d %v", open, overdue, err)
	}
	m, err := MessageByID(s.Reader(), "m000000")
	if err != nil {
		t.Fatal(err)
	}
	stale := m
	m.Status, m.Reply, m.ClosedAt, m.UpdatedAt = "out_of_scope", "请向12345反映", 1_790_100_000_000, 1_790_100_000_000
	mustWrite(t, s, func(tx *Tx) error { return UpdateMessage(tx, &m) })
	if m.Version != 2 {
		t.Fatalf("version %d after an update", m.Version)
	}
	stale.Status = "handled"
	if err := s.Write(func(tx *Tx) error { return UpdateMessage(tx, &stale) }); !errors.Is(err, ErrStale) {
		t.Fatalf("an update of a stale read: %v", err)
	}
	got, _ := MessageByID(s.Reader(), "m000000")
	if got.Status != "out_of_scope" || got.Version != 2 || got.ClosedAt != m.ClosedAt || got.Reply != m.Reply {
		t.Fatalf("stored %+v", got)
	}
	if open, overdue, _ := CountMessages(s.Reader(), "2026-11-25"); open != 2 || overdue != 1 {
		t.Fatalf("after closing: %d %d", open, overdue)
	}
	if _, err := MessageByID(s.Reader(), "none"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing message: %v", err)
	}
}

func TestListTemplatesByStatusAndCategory(t *testing.T) {
	s, _, _ := newTestStore(t)
	defer s.Close()
	mustWrite(t, s, func(tx *Tx) error {
		for i, c := range []struct{ category, title, status string }{
			{"咨询答复", "乙", TemplateActive}, {"咨询答复", "甲", TemplateActive}, {"办结回访", "丙", TemplateActive},
			{"咨询答复", "旧", "retired"},
		} {
			err := SaveTemplate(tx, Template{ID: fmt.Sprint(i), OwnerUnit: "hq", Category: c.category, Title: c.title,
				Body: "您好", Status: c.status, Source: "hq", Version: 1})
			if err != nil {
				return err
			}
		}
		return nil
	})
	list, err := ListTemplates(s.Reader(), TemplateActive, "咨询答复")
	if err != nil || len(list) != 2 {
		t.Fatalf("%+v %v", list, err)
	}
	if list[0].Title > list[1].Title {
		t.Fatal("not by title")
	}
	all, _ := ListTemplates(s.Reader(), TemplateActive, "")
	if len(all) != 3 {
		t.Fatalf("%d active templates", len(all))
	}
	mustWrite(t, s, func(tx *Tx) error {
		t := all[0]
		t.Body, t.Version = "更新后", 2
		return SaveTemplate(tx, t)
	})
	again, _ := ListTemplates(s.Reader(), TemplateActive, all[0].Category)
	if again[0].Body != "更新后" || again[0].Version != 2 {
		t.Fatalf("updated: %+v", again[0])
	}
}

// BenchmarkMessageCounts measures what the station home asks of the
// messages: the open and overdue counts, among 50,000 messages of which
// 500 are open.
func BenchmarkMessageCounts(b *testing.B) {
	s, _, _ := newTestStore(b)
	defer s.Close()
	mustWrite(b, s, func(tx *Tx) error {
		for i := range 50_000 {
			due := fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28)
			if err := InsertMessage(tx, testMessage(i, due, i%100 != 0)); err != nil {
				return err
			}
		}
		return nil
	})
	for b.Loop() {
		open, overdue, err := CountMessages(s.Reader(), "2026-07-01")
		if err != nil || open != 500 || overdue == 0 {
			b.Fatal(open, overdue, err)
		}
	}
}
