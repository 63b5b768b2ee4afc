package app

import (
	"errors"
	"strings"
	"testing"
)

// Art. 14 names are compared as the content checker normalises text:
// traditional characters, full-width and ideographic spaces, separators.
func TestRestrictedDepartmentNormalised(t *testing.T) {
	for _, name := range []string{"國保大隊", "国　保", "国-保", "国 保 大 队", "國內安全保衛支隊", "反·恐大队", "反\u200b恐"} {
		if !RestrictedDepartment(name) {
			t.Errorf("%q passes Art. 14", name)
		}
	}
	for _, name := range []string{"城关派出所", "交警大队", "宣传科", ""} {
		if RestrictedDepartment(name) {
			t.Errorf("%q refused", name)
		}
	}
	st := newStation(t)
	f := unitFiling(st.cfg.now())
	f.Department = "國保大隊"
	var fe *FieldError
	if err := st.leader.CheckAccountForm(f); !errors.As(err, &fe) || fe.Field != "department" || !strings.Contains(fe.Msg, "第十四条") {
		t.Errorf("department 國保大隊: %v", err)
	}
}

// A unit Art. 14 bars files no account, whatever department it writes.
func TestArt14UnitName(t *testing.T) {
	s, _, err := Setup(testConfig(t), SetupRequest{Kind: Station, UnitName: "汤阴县公安局國保大隊", AdminName: "admin",
		AdminDisplayName: "赵队长", Password: "station-pass-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := unitFiling(s.cfg.now())
	f.Department = "综合室"
	var fe *FieldError
	if _, err := s.SaveAccountFiling(f); !errors.As(err, &fe) || fe.Field != "unit" || !strings.Contains(fe.Msg, "第十四条") {
		t.Fatalf("a 国保 unit files an account: %v", err)
	}
	if err := CheckArt14(AccountHolder{Unit: "城关派出所", Department: "综合室"}); err != nil {
		t.Errorf("an ordinary unit refused: %v", err)
	}
}

// Filing checks Art. 14 again: the roster may have changed since the
// filing was saved.
func TestFileAccountChecksArt14Again(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	for i, change := range []func(*OfficerForm){
		func(o *OfficerForm) { o.Department = "国保大队" },
		func(o *OfficerForm) { o.KeyClassified = true },
	} {
		form := OfficerForm{Name: "孙", PoliceNo: []string{"100301", "100302"}[i], Department: "社区中队", Active: true}
		o, err := st.leader.SaveOfficer(form)
		if err != nil {
			t.Fatal(err)
		}
		f := unitFiling(now)
		f.Kind, f.OfficerID, f.Declarations, f.PlatformID = PersonalAccount, o.ID, Art13Declarations, "sun_"+o.PoliceNo
		a, err := st.officer.SaveAccountFiling(f)
		if err != nil {
			t.Fatal(err)
		}
		form.ID = o.ID
		change(&form)
		if _, err := st.leader.SaveOfficer(form); err != nil {
			t.Fatal(err)
		}
		var fe *FieldError
		if _, err := st.officer.FileAccount(a.ID); !errors.As(err, &fe) || fe.Field != "officer" || !strings.Contains(fe.Msg, "第十四条") {
			t.Errorf("case %d: filed for an officer Art. 14 bars: %v", i, err)
		}
		if d, _ := st.officer.Account(a.ID); d.Status != string(FilingPlanned) {
			t.Errorf("case %d: status %s, want still %s", i, d.Status, FilingPlanned)
		}
	}
}

// TestResumeChecksArt14Again: a suspended personal account whose officer
// moved to a barred department meanwhile is not put back to use.
func TestResumeChecksArt14Again(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	form := OfficerForm{Name: "钱", PoliceNo: "100309", Department: "社区中队", Active: true}
	o, err := st.leader.SaveOfficer(form)
	if err != nil {
		t.Fatal(err)
	}
	f := unitFiling(now)
	f.Kind, f.OfficerID, f.Declarations, f.PlatformID = PersonalAccount, o.ID, Art13Declarations, "qian_100309"
	a, err := st.officer.SaveAccountFiling(f)
	if err == nil {
		_, err = st.officer.FileAccount(a.ID)
	}
	if err == nil {
		_, err = st.leader.hqDecidesFiling(a.ID, StepAccept, "", "宣传科赵", now)
	}
	if err == nil {
		_, err = st.officer.SuspendAccount(a.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	form.ID, form.Department = o.ID, "国保大队"
	if _, err := st.leader.SaveOfficer(form); err != nil {
		t.Fatal(err)
	}
	var fe *FieldError
	if _, err := st.officer.ResumeAccount(a.ID); !errors.As(err, &fe) || !strings.Contains(fe.Msg, "第十四条") {
		t.Fatalf("resumed for an officer Art. 14 bars: %v", err)
	}
	if d, _ := st.officer.Account(a.ID); d.Status != string(FilingSuspended) {
		t.Fatalf("status %s, want still %s", d.Status, FilingSuspended)
	}
}

// TestMovingOfficerWithLiveAccountToBarredPost: an officer whose personal
// work account is in use cannot be moved to a barred department or a key
// classified post until the account is suspended (Art. 14).
func TestMovingOfficerWithLiveAccountToBarredPost(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	form := OfficerForm{Name: "孙", PoliceNo: "100310", Department: "社区中队", Active: true}
	o, err := st.leader.SaveOfficer(form)
	if err != nil {
		t.Fatal(err)
	}
	f := unitFiling(now)
	f.Kind, f.OfficerID, f.Declarations, f.PlatformID = PersonalAccount, o.ID, Art13Declarations, "sun_100310"
	a, err := st.officer.SaveAccountFiling(f)
	if err == nil {
		_, err = st.officer.FileAccount(a.ID)
	}
	if err == nil {
		_, err = st.leader.hqDecidesFiling(a.ID, StepAccept, "", "宣传科赵", now)
	}
	if err != nil {
		t.Fatal(err)
	}
	form.ID = o.ID
	var fe *FieldError
	for field, moved := range map[string]OfficerForm{
		"department":     {ID: o.ID, Name: "孙", PoliceNo: "100310", Department: "國保大隊", Active: true},
		"key_classified": {ID: o.ID, Name: "孙", PoliceNo: "100310", Department: "社区中队", KeyClassified: true, Active: true},
	} {
		if _, err := st.leader.SaveOfficer(moved); !errors.As(err, &fe) || fe.Field != field || !strings.Contains(fe.Msg, "第十四条") {
			t.Fatalf("moved to a barred post (%s) with a live account: %v", field, err)
		}
	}
	if got, _ := st.officer.Officers(true); got[0].Department != "社区中队" || got[0].KeyClassified || got[0].Version != 1 {
		t.Fatalf("refused move changed the roster: %+v", got[0])
	}
	form.Department = "社区警务室"
	if _, err := st.leader.SaveOfficer(form); err != nil {
		t.Fatalf("an unbarred move: %v", err)
	}
	if _, err := st.officer.SuspendAccount(a.ID); err != nil {
		t.Fatal(err)
	}
	form.Department = "国保大队"
	if _, err := st.leader.SaveOfficer(form); err != nil {
		t.Fatalf("moved with the account suspended: %v", err)
	}
}
