package app

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func unitFiling(now time.Time) AccountForm {
	return AccountForm{Action: "open", Platform: "weibo", Name: "平安汤阴城关", PlatformID: "pa_tangyin_cg",
		URL: "https://weibo.example/pa_tangyin_cg", Kind: UnitAccount, Department: "城关派出所", Responsible: "王所长",
		Contact: "0372-5500000", FiledOn: now}
}

func TestAccountFiling(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	a, err := st.leader.SaveAccountFiling(unitFiling(now))
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != string(FilingPlanned) {
		t.Fatal(a.Status)
	}
	a, err = st.leader.FileAccount(a.ID)
	if err != nil || a.Status != string(FilingFiled) {
		t.Fatalf("file: %+v %v", a, err)
	}
	if _, err := st.leader.FileAccount(a.ID); !errors.Is(err, ErrTransition) {
		t.Fatalf("file twice: %v", err)
	}
	f := unitFiling(now)
	f.ID, f.Name = a.ID, "改名"
	if _, err := st.leader.SaveAccountFiling(f); !errors.Is(err, ErrTransition) {
		t.Fatalf("edit a filed account: %v", err)
	}
	if _, err := st.officer.SaveAccountFiling(unitFiling(now)); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("officer files a unit account: %v", err)
	}
}

func TestAccountFormRefusals(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	if _, err := st.leader.SaveAccountFiling(unitFiling(now)); err != nil {
		t.Fatal(err)
	}
	guard, _ := st.leader.SaveOfficer(OfficerForm{Name: "赵", PoliceNo: "100001", Department: "反恐大队", Active: true})
	secret, _ := st.leader.SaveOfficer(OfficerForm{Name: "钱", PoliceNo: "100002", Department: "指挥中心", KeyClassified: true, Active: true})
	plain, _ := st.leader.SaveOfficer(OfficerForm{Name: "孙", PoliceNo: "100003", Department: "社区中队", Active: true})
	personal := func(officer string, decl []string) AccountForm {
		f := unitFiling(now)
		f.Kind, f.OfficerID, f.Declarations, f.PlatformID = PersonalAccount, officer, decl, "officer_"+officer
		return f
	}
	mod := func(edit func(*AccountForm)) AccountForm {
		f := unitFiling(now)
		f.PlatformID = "other"
		edit(&f)
		return f
	}
	cases := map[string]AccountForm{
		"platform_id":  unitFiling(now), // the same platform ID on the same platform
		"url":          mod(func(f *AccountForm) { f.URL = "weibo dot com" }),
		"filed_on":     mod(func(f *AccountForm) { f.FiledOn = now.AddDate(0, 0, 2) }),
		"department":   mod(func(f *AccountForm) { f.Department = "国保大队" }),
		"officer":      personal(guard.ID, Art13Declarations),
		"declarations": personal(plain.ID, Art13Declarations[:2]),
		"kind":         mod(func(f *AccountForm) { f.Kind = "x" }),
		"action":       mod(func(f *AccountForm) { f.Action = "" }),
		"platform":     mod(func(f *AccountForm) { f.Platform = "myspace" }),
		"purpose":      mod(func(f *AccountForm) { f.Purpose = strings.Repeat("计划", 1001) }),
	}
	for field, f := range cases {
		var fe *FieldError
		if err := st.leader.CheckAccountForm(f); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: %v", field, err)
		}
		if _, err := st.leader.SaveAccountFiling(f); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("save %s: %v", field, err)
		}
	}
	var fe *FieldError
	if err := st.leader.CheckAccountForm(personal(secret.ID, Art13Declarations)); !errors.As(err, &fe) || fe.Field != "officer" {
		t.Errorf("key classified post: %v", err)
	}
	if _, err := st.officer.SaveAccountFiling(personal(plain.ID, Art13Declarations)); err != nil {
		t.Errorf("a proper personal work account: %v", err)
	}
	all, _ := st.leader.Accounts()
	if len(all) != 2 {
		t.Fatalf("saved %d accounts, want 2 (nothing half-saved)", len(all))
	}
}
