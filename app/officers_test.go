package app

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestOfficerRoster(t *testing.T) {
	st := newStation(t)
	zhang := OfficerForm{Name: "张伟", PoliceNo: "410523", Department: "城关派出所社区中队", Spokesperson: true, Active: true}
	o, err := st.leader.SaveOfficer(zhang)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.officer.SaveOfficer(OfficerForm{Name: "x", PoliceNo: "1234", Department: "y", Active: true}); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("officer edits the roster: %v", err)
	}
	var fe *FieldError
	for field, f := range map[string]OfficerForm{
		"name":       {PoliceNo: "123456", Department: "d"},
		"police_no":  {Name: "李", PoliceNo: "12a4", Department: "d"},
		"department": {Name: "李", PoliceNo: "123457"},
	} {
		if _, err := st.admin.SaveOfficer(f); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	if _, err := st.admin.SaveOfficer(OfficerForm{Name: "李", PoliceNo: "410523", Department: "d", Active: true}); !errors.As(err, &fe) || fe.Field != "police_no" {
		t.Fatalf("duplicate police number: %v", err)
	}
	zhang.ID, zhang.Active = o.ID, false
	if _, err := st.admin.SaveOfficer(zhang); err != nil {
		t.Fatal(err)
	}
	active, _ := st.officer.Officers(false)
	all, _ := st.officer.Officers(true)
	if len(active) != 0 || len(all) != 1 || all[0].Version != 2 || !all[0].Spokesperson {
		t.Fatalf("roster: active %v all %+v", active, all)
	}
}

// TestPoliceNumberAtTwoStations: an officer who moved keeps his police
// number, so the old station's (inactive) entry and the new station's
// both reach HQ; within one station the number stays unique.
func TestPoliceNumberAtTwoStations(t *testing.T) {
	c := newCounty(t, 2)
	a, b := c.stations[0], c.stations[1]
	old, err := a.leader.SaveOfficer(OfficerForm{Name: "周强", PoliceNo: "410777", Department: "社区中队", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	moved := OfficerForm{ID: old.ID, Name: "周强", PoliceNo: "410777", Department: "社区中队"}
	if _, err := a.leader.SaveOfficer(moved); err != nil {
		t.Fatal(err)
	}
	if _, err := b.leader.SaveOfficer(OfficerForm{Name: "周强", PoliceNo: "410777", Department: "治安中队", Active: true}); err != nil {
		t.Fatalf("the new station adds the moved officer: %v", err)
	}
	var fe *FieldError
	if _, err := b.leader.SaveOfficer(OfficerForm{Name: "别人", PoliceNo: "410777", Department: "d", Active: true}); !errors.As(err, &fe) || fe.Field != "police_no" {
		t.Fatalf("the same number twice at one station: %v", err)
	}
	c.receive(c.hq, Imported, c.send(a.leader, "")...)
	c.receive(c.hq, Imported, c.send(b.leader, "")...)
	all, err := c.hq.store.Reader().Query("SELECT owner_unit, active FROM officers WHERE police_no = '410777' ORDER BY owner_unit")
	if err != nil {
		t.Fatal(err)
	}
	defer all.Close()
	var got []string
	for all.Next() {
		var unit string
		var active bool
		if err := all.Scan(&unit, &active); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %v", unit, active))
	}
	if strings.Join(got, " ") != "st1 false st2 true" {
		t.Fatalf("HQ holds %v, want both stations' entries", got)
	}
}

// TestPoliceNumberSwapReachesHQ: a station passes a number from one entry
// to another and edits the first again; the bundle carries the second
// entry first, and HQ, which still holds the first with that number,
// takes it all the same.
func TestPoliceNumberSwapReachesHQ(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	a, err := st.leader.SaveOfficer(OfficerForm{Name: "甲", PoliceNo: "410001", Department: "社区中队", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.leader.SaveOfficer(OfficerForm{Name: "乙", PoliceNo: "410002", Department: "社区中队", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	for _, f := range []OfficerForm{
		{ID: a.ID, Name: "甲", PoliceNo: "410003", Department: "社区中队", Active: true},
		{ID: b.ID, Name: "乙", PoliceNo: "410001", Department: "社区中队", Active: true},
		{ID: a.ID, Name: "甲", PoliceNo: "410003", Department: "治安中队", Active: true},
	} {
		if _, err := st.leader.SaveOfficer(f); err != nil {
			t.Fatal(err)
		}
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	var n int
	if err := c.hq.store.Reader().QueryRow("SELECT count(*) FROM officers WHERE police_no = '410001' AND id = ?", b.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("HQ's roster after the swap: %d %v", n, err)
	}
}
