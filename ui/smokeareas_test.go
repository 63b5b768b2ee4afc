package ui

import (
	"reflect"
	"testing"

	"mediadesk/app"
)

func TestParseSmokeAreas(t *testing.T) {
	got, err := parseSmokeAreas("login=login.png, nav.home=station-home.png,nav.assessment+previous+tap=assessment.compute=a.png", "/tmp/shots")
	if err != nil {
		t.Fatal(err)
	}
	want := []smokeTarget{{smokeLogin, nil, "/tmp/shots/login.png"}, {"nav.home", nil, "/tmp/shots/station-home.png"},
		{"nav.assessment", []string{"previous", "tap=assessment.compute"}, "/tmp/shots/a.png"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
	for _, bad := range []string{"nav.home", "nav.home=", "=x.png", "nav.home=../x.png", "nav.home=a.png,login=b.png"} {
		if _, err := parseSmokeAreas(bad, ""); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

// TestSmokeTargets: each key opens what it names; an area the install
// lacks is an error.
func TestSmokeTargets(t *testing.T) {
	cfg, _ := setUpStation(t)
	s, err := app.SignIn(cfg, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveOfficer(app.OfficerForm{Name: "李警官", PoliceNo: "41050101", Department: "社区警务队", Active: true}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	if err := h.d.openSmokeTarget("nav.calendar"); err != nil || h.d.shell.openKey() != "nav.calendar" {
		t.Fatalf("nav.calendar: %v, open %s", err, h.d.shell.openKey())
	}
	if err := h.d.openSmokeTarget(smokeEditor); err != nil {
		t.Fatal(err)
	}
	h.r.settle(t)
	e := h.d.shell.posts.editor
	if h.d.shell.openKey() != "nav.posts" || e == nil || e.title.Text != smokeDraft.Title || e.body.Text != smokeDraft.Body {
		t.Fatalf("the editor shot shows %s with %+v", h.d.shell.openKey(), e)
	}
	if err := h.d.openSmokeTarget("nav.matrix"); err == nil {
		t.Error("a station opened HQ's matrix")
	}

	// Actions: a row is picked; a missing row, button or period is an
	// error.
	if err := h.d.openSmokeTarget("nav.roster"); err != nil {
		t.Fatal(err)
	}
	h.r.settle(t)
	if err := h.d.smokeAction("pick=1"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"pick=2", "pick=x", "tap=nosuch.key", "previous", "jump"} {
		if err := h.d.smokeAction(bad); err == nil {
			t.Errorf("%s in a roster of one was taken", bad)
		}
	}
	if err := h.d.smokeAction("tap=roster.add"); err != nil {
		t.Error(err)
	}
}
