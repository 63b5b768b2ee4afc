package app

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestArt14Refusals(t *testing.T) {
	cases := []struct {
		name  string
		h     AccountHolder
		field string
	}{
		{"国保 unit account", AccountHolder{Department: "国保大队"}, "department"},
		{"国内安全保卫 unit account", AccountHolder{Department: "国内安全保卫支队"}, "department"},
		{"反恐 unit account", AccountHolder{Department: "反恐怖工作办公室"}, "department"},
		{"反恐 officer's personal account", AccountHolder{Department: "城关派出所", Personal: true, OfficerDepartment: "反恐大队"}, "officer"},
		{"key classified post", AccountHolder{Department: "城关派出所", Personal: true, KeyClassifiedPost: true}, "officer"},
	}
	for _, c := range cases {
		err := CheckArt14(c.h)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(fe.Msg, "第十四条") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	for _, ok := range []AccountHolder{{Department: "城关派出所"}, {Department: "交警大队", Personal: true, OfficerDepartment: "交警大队"},
		{Department: "宣传科", KeyClassifiedPost: true}} {
		if err := CheckArt14(ok); err != nil {
			t.Errorf("%+v refused: %v", ok, err)
		}
	}
}

func TestWorkingDayDeadlines(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time { d, _ := time.ParseInLocation(time.DateOnly, s, loc); return d }
	cal := Calendar{
		Holidays: map[string]bool{"2026-10-01": true, "2026-10-02": true, "2026-10-05": true, "2026-10-06": true, "2026-10-07": true},
		Workdays: map[string]bool{"2026-10-10": true}, // a Saturday worked
	}
	cases := []struct {
		received string
		days     int
		due      string // the deadline ends at the start of this day
	}{
		{"2026-11-20", 5, "2026-11-28"}, // Friday + 5 working days = next Friday, ends 24:00
		{"2026-11-21", 1, "2026-11-24"}, // received Saturday: Monday counts first
		{"2026-11-23", 7, "2026-12-03"}, // Monday + 7 = Wednesday of the next week
		{"2026-09-30", 5, "2026-10-14"}, // holidays 1–7 Oct: 8, 9, 10 (Saturday worked), 12, 13
		{"2026-10-09", 1, "2026-10-11"}, // Friday → the worked Saturday
		{"2026-10-01", 1, "2026-10-09"}, // received on a holiday: the next working day (Thursday 8) counts first
	}
	for _, c := range cases {
		got := cal.AddWorkingDays(at(c.received).Add(15*time.Hour), c.days)
		if !got.Equal(at(c.due)) {
			t.Errorf("%s + %d: %s, want %s", c.received, c.days, got.Format(time.RFC3339), c.due)
		}
	}
	if cal.IsWorkingDay(at("2026-10-01")) || !cal.IsWorkingDay(at("2026-10-10")) || cal.IsWorkingDay(at("2026-11-22")) {
		t.Fatal("holiday or worked weekend day misjudged")
	}
	if err := ValidateDeadlines(DefaultDeadlines); err != nil {
		t.Fatal(err)
	}
	bad := map[MessageType]int{Inquiry: 5, Suggestion: 5, Complaint: 16, Report: 7, General: 5}
	if err := ValidateDeadlines(bad); err == nil {
		t.Fatal("16 working days accepted")
	}
}

func TestZombieAndSleepingThresholds(t *testing.T) {
	last := time.Date(2026, 8, 1, 10, 0, 0, 0, time.Local)
	r := DefaultActivityRule
	cases := map[time.Time]Activity{
		last.AddDate(0, 0, 13):         Active,
		last.AddDate(0, 0, 14).Add(-1): Active,
		last.AddDate(0, 0, 14):         Zombie,
		last.AddDate(0, 3, 0).Add(-1):  Zombie,
		last.AddDate(0, 3, 0):          Sleeping,
		last.AddDate(1, 0, 0):          Sleeping,
		last:                           Active,
	}
	for now, want := range cases {
		if got := r.Classify(last, now); got != want {
			t.Errorf("%s after: %s, want %s", now.Sub(last), got, want)
		}
	}
	if got := (ActivityRule{ZombieDays: 7, SleepingMonths: 1}).Classify(last, last.AddDate(0, 0, 8)); got != Zombie {
		t.Fatalf("configured threshold: %s", got)
	}
}

func TestFilingTransitions(t *testing.T) {
	allowed := map[FilingStatus]map[FilingStep]FilingStatus{
		FilingPlanned:   {StepFile: FilingFiled, StepClose: FilingClosed},
		FilingFiled:     {StepAccept: FilingAccepted, StepReject: FilingRejected},
		FilingRejected:  {StepFile: FilingFiled, StepClose: FilingClosed},
		FilingAccepted:  {StepVerify: FilingVerified, StepSuspend: FilingSuspended, StepClose: FilingClosed},
		FilingVerified:  {StepSuspend: FilingSuspended, StepClose: FilingClosed},
		FilingSuspended: {StepResume: FilingVerified, StepClose: FilingClosed},
		FilingClosed:    {},
	}
	steps := []FilingStep{StepFile, StepAccept, StepReject, StepVerify, StepSuspend, StepResume, StepClose}
	for from, ok := range allowed {
		for _, step := range steps {
			to, err := NextFiling(from, step)
			if want, fine := ok[step]; fine {
				if err != nil || to != want {
					t.Errorf("%s --%s--> %s %v, want %s", from, step, to, err, want)
				}
			} else if !errors.Is(err, ErrTransition) || to != from {
				t.Errorf("%s --%s--> refused expected, got %s %v", from, step, to, err)
			}
		}
	}
}

func TestMessageTransitions(t *testing.T) {
	all := []MessageStatus{MsgAccepted, MsgTransferred, MsgHandled, MsgFeedback, MsgClosed, MsgOutOfScope}
	allowed := map[[2]MessageStatus]bool{
		{MsgAccepted, MsgTransferred}: true, {MsgAccepted, MsgHandled}: true, {MsgAccepted, MsgOutOfScope}: true,
		{MsgTransferred, MsgHandled}: true, {MsgHandled, MsgFeedback}: true, {MsgFeedback, MsgClosed}: true,
	}
	for _, from := range all {
		for _, to := range all {
			if got := CanMoveMessage(from, to); got != allowed[[2]MessageStatus{from, to}] {
				t.Errorf("%s → %s: %v", from, to, got)
			}
		}
	}
}
