package app

import (
	"errors"
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
