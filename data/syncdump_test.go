package data

import (
	"strings"
	"testing"
)

func ownedDump(t *testing.T, s *Store, scope DumpScope) string {
	t.Helper()
	d, err := OwnedDump(s.Reader(), scope)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestOwnedDumpAgreesAfterSync(t *testing.T) {
	st := stationWithRecords(t)
	mustWrite(t, st, func(tx *Tx) error { return AppendAudit(tx, 7, "wang", "post.submit", "p1", "") })
	hq, _, _ := newTestStore(t)
	mustWrite(t, hq, func(tx *Tx) error { return SetSetting(tx, "unit.id", "hq") })
	up := ExportScope{Self: "st1", Side: StationSide, Peer: "hq"}
	in := ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}
	mine := DumpScope{Owner: "st1"}

	if got := ownedDump(t, hq, mine); got != "" {
		t.Fatalf("HQ holds nothing of st1 yet, dump:\n%s", got)
	}
	e := exportFrom(t, st, up)
	if _, err := importInto(t, hq, st, in, e); err != nil {
		t.Fatal(err)
	}
	atStation, atHQ := ownedDump(t, st, mine), ownedDump(t, hq, mine)
	if atStation != atHQ {
		t.Fatalf("after a sync the dumps differ:\nstation:\n%s\nHQ:\n%s", atStation, atHQ)
	}
	for _, want := range []string{"user u1 ", `"name":"wang"`, "post p1 ", `"attachment_sha256":`, "audit 1 ", "training t1 ", "message m1 "} {
		if !strings.Contains(atHQ, want) {
			t.Errorf("dump lacks %q:\n%s", want, atHQ)
		}
	}
	if user, _, _ := strings.Cut(atHQ, "\n"); strings.Contains(atHQ, `"id":"p2"`) || strings.Contains(user, `"active"`) {
		t.Errorf("the dump holds a private draft or the active flag:\n%s", atHQ)
	}
	if got := ownedDump(t, hq, DumpScope{Owner: "st1", Types: []string{"post"}}); strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, "post p1 ") {
		t.Errorf("posts only: %q", got)
	}

	// A change at the station shows until it has travelled.
	mustWrite(t, st, func(tx *Tx) error {
		_, err := tx.Exec("UPDATE posts SET title = '反诈提醒（修改）', version = 2 WHERE id = 'p1'")
		return err
	})
	if ownedDump(t, st, mine) == ownedDump(t, hq, mine) {
		t.Fatal("the dumps agree although HQ has an older post")
	}
	up.After = e.high
	if _, err := importInto(t, hq, st, in, exportFrom(t, st, up)); err != nil {
		t.Fatal(err)
	}
	if ownedDump(t, st, mine) != ownedDump(t, hq, mine) {
		t.Fatal("the dumps differ after the change travelled")
	}

	// HQ's records for st1: its decisions for st1 and the templates it
	// published, not another unit's decisions or a draft template.
	mustWrite(t, hq, func(tx *Tx) error {
		for _, d := range []Decision{{ID: "d1", OwnerUnit: "hq", UnitID: "st1", SubjectKind: "post", SubjectID: "p1", Decision: "approve", DecidedBy: "zhao", DecidedAt: 9},
			{ID: "d2", OwnerUnit: "hq", UnitID: "st2", SubjectKind: "post", SubjectID: "px", Decision: "approve", DecidedBy: "zhao", DecidedAt: 9}} {
			if err := SaveDecision(tx, d); err != nil {
				return err
			}
		}
		for _, tp := range []Template{{ID: "t-pub", Status: "published"}, {ID: "t-draft", Status: "draft"}} {
			tp.OwnerUnit, tp.Category, tp.Title, tp.Body, tp.Source, tp.Version = "hq", "咨询答复", "答复", "您好", "hq", 1
			if err := SaveTemplate(tx, tp); err != nil {
				return err
			}
		}
		return nil
	})
	theirs := DumpScope{Owner: "hq", Side: HQSide, To: "st1"}
	atHQ = ownedDump(t, hq, theirs)
	if !strings.Contains(atHQ, "decision d1 ") || !strings.Contains(atHQ, "reply_template t-pub ") ||
		strings.Contains(atHQ, "d2") || strings.Contains(atHQ, "t-draft") {
		t.Fatalf("HQ's records for st1:\n%s", atHQ)
	}
	if _, err := importInto(t, st, hq, ImportScope{Self: "st1", Sender: "hq", SenderSide: HQSide},
		exportFrom(t, hq, ExportScope{Self: "hq", Side: HQSide, Peer: "st1"})); err != nil {
		t.Fatal(err)
	}
	if got := ownedDump(t, st, theirs); got != atHQ {
		t.Fatalf("station and HQ differ on HQ's records:\nstation:\n%s\nHQ:\n%s", got, atHQ)
	}
}
