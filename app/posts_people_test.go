package app

import (
	"testing"
	"time"
)

// TestPostPeople: the detail names people by their display names, at the
// station and, for the station's post, at HQ (whose copies of the
// station's users are named "<unit>/<name>"); HQ's own admin, whose user
// name the station's admin shares, does not lend it its display name; HQ's
// approval shows at the station with its decider's display name.
func TestPostPeople(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	p := sensitivePost(t, st, "防范电信诈骗")

	d := mustPostDetail(t)(st.leader.Post(p.ID))
	if got := d.People.Name("wang"); got != "王所长" {
		t.Errorf("station: Person(wang) = %q, want 王所长", got)
	}
	if got := d.People.Name(p.ApprovedBy); got != "王所长" {
		t.Errorf("station: approver %q shown as %q, want 王所长", p.ApprovedBy, got)
	}
	if got := d.People.Name("nobody"); got != "nobody" {
		t.Errorf("station: Person(nobody) = %q, want the name itself", got)
	}

	c.receive(c.hq, "imported", c.send(st.admin, "")...)
	d = mustPostDetail(t)(c.hq.Post(p.ID))
	for _, e := range d.Events {
		if e.Kind == "submit" && d.People.Name(e.Actor) != "李警官" {
			t.Errorf("HQ: submitter %q shown as %q, want 李警官", e.Actor, d.People.Name(e.Actor))
		}
	}
	if got := d.People.Name("wang"); got != "王所长" {
		t.Errorf("HQ: Person(wang) = %q, want 王所长", got)
	}
	// Both units have a user "admin": the station's post names the
	// station's one.
	if want, got := st.admin.User().DisplayName, d.People.Name("admin"); got != want || got == "赵科长" {
		t.Errorf("HQ: Person(admin) = %q, want the station admin's %q", got, want)
	}

	// HQ's users do not travel: its decision names the decider by display
	// name, and the station's trail shows it.
	if _, err := c.hq.DecidePost(p.ID, p.ContentHash, true, ""); err != nil {
		t.Fatal(err)
	}
	c.receive(st.admin, "imported", c.send(c.hq, "")...)
	d = mustPostDetail(t)(st.leader.Post(p.ID))
	var by string
	for _, e := range d.Events {
		if e.Kind == "hq_approve" {
			by = d.People.Name(e.Actor)
		}
	}
	if by != "宣传科 赵科长" {
		t.Errorf("station: HQ's approval by %q, want 宣传科 赵科长", by)
	}
}

// TestRecordPeople: a message's logger and steps and an account's filing
// steps (at the station and, for the station's records, at HQ) and the
// users of the sync ledger are named by display name.
func TestRecordPeople(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	m := mustMessage(t)(st.officer.ReceiveMessage(inquiry(st.cfg.now().Add(-time.Hour))))
	if _, err := st.leader.MoveMessage(m.ID, MessageMove{To: MsgTransferred, Department: "户籍室"}); err != nil {
		t.Fatal(err)
	}
	a := liveAccount(t, st, "weibo", "ty-people")
	checkNames := func(where string, s *Session) {
		t.Helper()
		md, err := s.Message(m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := md.People.Name(md.Message.CreatedBy); got != "李警官" {
			t.Errorf("%s: message logged by %q, want 李警官", where, got)
		}
		if n := len(md.Steps); n != 2 || md.People.Name(md.Steps[1].Actor) != "王所长" {
			t.Errorf("%s: steps %+v named %q, want the move by 王所长", where, md.Steps, md.People.Name(md.Steps[n-1].Actor))
		}
	}
	checkNames("station", st.leader)
	ad, err := st.leader.Account(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ad.History) == 0 || ad.People.Name(ad.History[0].Actor) != "王所长" {
		t.Errorf("filing history %+v not named 王所长", ad.History)
	}

	c.receive(c.hq, "imported", c.send(st.admin, "")...)
	checkNames("HQ", c.hq)
	// HQ sees the station's filing steps (its audit trail arrived) with
	// the station's names.
	ad, err = c.hq.Account(a.ID)
	if err != nil || len(ad.History) == 0 || ad.People.Name(ad.History[0].Actor) != "王所长" {
		t.Errorf("HQ: filing history %+v not named 王所长 (%v)", ad.History, err)
	}
	people, err := st.admin.People()
	if err != nil {
		t.Fatal(err)
	}
	ledger, err := st.admin.Ledger(1)
	if err != nil || len(ledger) != 1 || people.Name(ledger[0].Actor) != st.admin.User().DisplayName {
		t.Errorf("ledger %+v: exported by %q, want %q (%v)", ledger, people.Name(ledger[0].Actor), st.admin.User().DisplayName, err)
	}
}
