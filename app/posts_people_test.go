package app

import "testing"

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
	if got := d.Person("wang"); got != "王所长" {
		t.Errorf("station: Person(wang) = %q, want 王所长", got)
	}
	if got := d.Person(p.ApprovedBy); got != "王所长" {
		t.Errorf("station: approver %q shown as %q, want 王所长", p.ApprovedBy, got)
	}
	if got := d.Person("nobody"); got != "nobody" {
		t.Errorf("station: Person(nobody) = %q, want the name itself", got)
	}

	c.receive(c.hq, "imported", c.send(st.admin, "")...)
	d = mustPostDetail(t)(c.hq.Post(p.ID))
	for _, e := range d.Events {
		if e.Kind == "submit" && d.Person(e.Actor) != "李警官" {
			t.Errorf("HQ: submitter %q shown as %q, want 李警官", e.Actor, d.Person(e.Actor))
		}
	}
	if got := d.Person("wang"); got != "王所长" {
		t.Errorf("HQ: Person(wang) = %q, want 王所长", got)
	}
	// Both units have a user "admin": the station's post names the
	// station's one.
	if want, got := st.admin.User().DisplayName, d.Person("admin"); got != want || got == "赵科长" {
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
			by = d.Person(e.Actor)
		}
	}
	if by != "宣传科 赵科长" {
		t.Errorf("station: HQ's approval by %q, want 宣传科 赵科长", by)
	}
}
