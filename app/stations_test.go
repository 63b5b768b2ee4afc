package app

import (
	"context"
	"errors"
	"testing"
	"time"
)

// setClock makes s's clock stand at *now.
func setClock(s *Session, now *time.Time) { s.cfg.Now = func() time.Time { return *now } }

func TestStationsOverview(t *testing.T) {
	c := newCounty(t, 3)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local)
	setClock(c.hq, &now)
	for _, st := range c.stations {
		setClock(st.admin, &now)
	}
	// st1 sends two bundles, the first lost; st2 sends one; HQ answers all.
	c.send(c.stations[0].admin, "")
	second := c.send(c.stations[0].admin, "")
	c.receive(c.hq, Imported, second...)
	c.receive(c.hq, Imported, c.send(c.stations[1].admin, "")...)
	c.send(c.hq, "all")
	// st3's laptop is lost; a fourth station is enrolled, not yet registered.
	if err := c.hq.RevokeUnit("st3"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.hq.EnrollUnit("st4", "派出所st4", c.stick); err != nil {
		t.Fatal(err)
	}

	now = now.Add(8*24*time.Hour + time.Hour)
	list, err := c.hq.StationsOverview()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 {
		t.Fatalf("%d stations, want 4", len(list))
	}
	byID := map[string]StationOverview{}
	for _, o := range list {
		byID[o.Unit.ID] = o
	}
	st1 := byID["st1"]
	if st1.Unit.State != UnitRegistered || st1.Fingerprint == "" || st1.SentSeq != 1 || st1.Received != 2 ||
		!st1.Synced || st1.DaysSinceSync != 8 || !st1.Late || st1.LastIn == 0 || st1.LastOut == 0 {
		t.Errorf("st1: %+v", st1)
	}
	if st2 := byID["st2"]; st2.Received != 1 || !st2.Late {
		t.Errorf("st2: %+v", st2)
	}
	if st3 := byID["st3"]; st3.Unit.State != UnitRevoked || st3.Late || st3.Fingerprint == "" || st3.Synced {
		t.Errorf("st3 (revoked): %+v", st3)
	}
	if st4 := byID["st4"]; st4.Unit.State != UnitEnrolled || st4.Late || st4.Fingerprint != "" {
		t.Errorf("st4 (enrolled): %+v", st4)
	}

	// A longer limit clears the flag; limits out of range are refused.
	if err := c.hq.SetSyncWarnDays(8); err != nil {
		t.Fatal(err)
	}
	list, _ = c.hq.StationsOverview()
	for _, o := range list {
		if o.Late {
			t.Errorf("%s late with a limit of 8 days after 8 days", o.Unit.ID)
		}
	}
	for _, n := range []int{0, 91, -3} {
		var fe *FieldError
		if err := c.hq.SetSyncWarnDays(n); !errors.As(err, &fe) || fe.Field != "sync_warn_days" {
			t.Errorf("limit %d: %v", n, err)
		}
	}
	if got := c.hq.SyncWarnDays(); got != 8 {
		t.Errorf("limit %d after refusals, want 8", got)
	}
	if _, err := c.stations[0].admin.StationsOverview(); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a station read HQ's register: %v", err)
	}
	if err := c.stations[0].admin.SetSyncWarnDays(5); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a station set HQ's limit: %v", err)
	}
}

func TestSinceLastSync(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0].admin
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local)
	setClock(st, &now)
	if _, synced, err := st.SinceLastSync(); err != nil || synced {
		t.Fatalf("before any bundle: synced %v, %v", synced, err)
	}
	c.send(st, "")
	now = now.Add(3*24*time.Hour - time.Minute)
	if days, synced, err := st.SinceLastSync(); err != nil || !synced || days != 2 {
		t.Fatalf("after an export: %d days, synced %v, %v", days, synced, err)
	}
}

func TestRegisterStationWantsTheFingerprint(t *testing.T) {
	hq := setupHQ(t)
	stick := t.TempDir()
	st := newStation(t)
	enroll, err := hq.EnrollUnit("st1", "城关派出所", stick)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := st.admin.Join(context.Background(), enroll, stick)
	if err != nil {
		t.Fatal(err)
	}
	for _, typed := range []string{"", "   ", "0000 0000 0000 0000 0000 0000"} {
		var fe *FieldError
		if _, err := hq.RegisterStation(context.Background(), reg, typed); !errors.As(err, &fe) || fe.Field != "fingerprint" {
			t.Errorf("typed %q: %v", typed, err)
		}
	}
	keys, _ := st.admin.Keys()
	spaced := ""
	for _, r := range keys.Fingerprint {
		if r != ' ' {
			spaced += string(r) + " "
		}
	}
	if _, err := hq.RegisterStation(context.Background(), reg, spaced); err != nil {
		t.Fatalf("fingerprint typed with other spaces: %v", err)
	}
	units, _ := hq.Units()
	if len(units) != 1 || units[0].State != UnitRegistered {
		t.Fatalf("units %+v", units)
	}
}
