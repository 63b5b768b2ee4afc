package app

import (
	"errors"
	"testing"
	"time"

	"mediadesk/data"
)

var cheap = data.Options{KDF: data.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}}

func testConfig(t *testing.T) Config {
	t.Helper()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	return Config{Dir: t.TempDir(), Store: cheap, Now: func() time.Time { now = now.Add(time.Second); return now }}
}

func setupStation(t *testing.T) (*Session, Config, string) {
	t.Helper()
	cfg := testConfig(t)
	s, rk, err := Setup(cfg, SetupRequest{Kind: Station, UnitName: "城关派出所", AdminName: "admin", AdminDisplayName: "王所长", Password: "station-pass-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, cfg, rk
}

func TestSetupValidation(t *testing.T) {
	cfg := testConfig(t)
	cases := map[string]SetupRequest{
		"kind":       {Kind: "x", UnitName: "u", AdminName: "a", Password: "long enough"},
		"unit_name":  {Kind: Station, UnitName: "  ", AdminName: "a", Password: "long enough"},
		"admin_name": {Kind: HQ, UnitName: "宣传科", AdminName: "a\nb", Password: "long enough"},
		"password":   {Kind: HQ, UnitName: "宣传科", AdminName: "a", Password: "short"},
	}
	for field, req := range cases {
		_, _, err := Setup(cfg, req)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: got %v", field, err)
		}
	}
	if IsSetUp(cfg.Dir) {
		t.Fatal("a refused setup left a store behind")
	}
}

func TestSetupSignInAndUnit(t *testing.T) {
	s, cfg, _ := setupStation(t)
	if u := s.Unit(); u.Name != "城关派出所" || u.Kind != Station || u.ID == "" {
		t.Fatalf("unit: %+v", u)
	}
	if u := s.User(); u.Role != StationAdmin || u.DisplayName != "王所长" {
		t.Fatalf("user: %+v", u)
	}
	s.Close()
	if _, err := SignIn(cfg, "admin", "wrong-password"); !errors.Is(err, data.ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	s2, err := SignIn(cfg, "ADMIN", "station-pass-1")
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if s2.Unit().Name != "城关派出所" {
		t.Fatal("unit lost")
	}
}

func TestUserAdminRules(t *testing.T) {
	s, cfg, _ := setupStation(t)
	officer, err := s.AddUser(NewUser{Name: "li", DisplayName: "李警官", Role: Officer, Password: "officer-pass"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(NewUser{Name: "LI", Role: Officer, Password: "officer-pass"}); err == nil {
		t.Fatal("duplicate name accepted")
	}
	var fe *FieldError
	if _, err := s.AddUser(NewUser{Name: "zhao", Role: HQStaff, Password: "officer-pass"}); !errors.As(err, &fe) || fe.Field != "role" {
		t.Fatalf("HQ role at a station: %v", err)
	}
	if err := s.DisableUser(s.User().ID); !errors.Is(err, ErrSelf) {
		t.Fatalf("disable self: %v", err)
	}
	if err := s.DisableUser(officer.ID); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := SignIn(cfg, "li", "officer-pass"); err == nil {
		t.Fatal("disabled user signed in")
	}
	s, err = SignIn(cfg, "admin", "station-pass-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnableUser(officer.ID, "new-officer-pass"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	o, err := SignIn(cfg, "li", "new-officer-pass")
	if err != nil {
		t.Fatalf("re-enabled user: %v", err)
	}
	if _, err := o.Users(); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("officer listed users: %v", err)
	}
	if _, err := o.AddUser(NewUser{Name: "x", Role: Officer, Password: "whatever-1"}); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("officer added a user: %v", err)
	}
	if err := o.ChangePassword("new-officer-pass", "own-choice-99"); err != nil {
		t.Fatal(err)
	}
	o.Close()
	if _, err := SignIn(cfg, "li", "own-choice-99"); err != nil {
		t.Fatalf("own password change: %v", err)
	}
}

func TestLastAdminCannotBeDisabled(t *testing.T) {
	s, _, _ := setupStation(t)
	second, err := s.AddUser(NewUser{Name: "admin2", Role: StationAdmin, Password: "admin2-pass"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DisableUser(second.ID); err != nil {
		t.Fatal(err)
	}
	// only one active admin remains, and it is the signed-in one
	if err := s.DisableUser(s.User().ID); !errors.Is(err, ErrSelf) {
		t.Fatalf("got %v", err)
	}
	n, err := s.activeAdmins()
	if err != nil || n != 1 {
		t.Fatalf("active admins %d %v", n, err)
	}
}

func TestRecoveryKeyResetsPassword(t *testing.T) {
	s, cfg, rk := setupStation(t)
	s.Close()
	if _, err := RecoverWithKey(cfg, "AAAA-AAAA", "admin", "fresh-password"); !errors.Is(err, data.ErrWrongRecoveryKey) {
		t.Fatalf("bad key: %v", err)
	}
	r, err := RecoverWithKey(cfg, rk, "admin", "fresh-password")
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if _, err := SignIn(cfg, "admin", "station-pass-1"); !errors.Is(err, data.ErrWrongPassword) {
		t.Fatalf("old password still works: %v", err)
	}
	s2, err := SignIn(cfg, "admin", "fresh-password")
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
}

func TestLockUnlockAndIdle(t *testing.T) {
	s, _, _ := setupStation(t)
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Users(); !errors.Is(err, ErrLocked) {
		t.Fatalf("locked session worked: %v", err)
	}
	if _, err := s.People(); !errors.Is(err, ErrLocked) {
		t.Fatalf("locked session named its people: %v", err)
	}
	if err := s.Unlock("nope-nope-nope"); !errors.Is(err, data.ErrWrongPassword) {
		t.Fatalf("bad unlock: %v", err)
	}
	if err := s.Unlock("station-pass-1"); err != nil {
		t.Fatal(err)
	}
	if s.IdleMinutes() != DefaultIdleMinutes {
		t.Fatal("default idle minutes")
	}
	if err := s.SetIdleMinutes(0); err == nil {
		t.Fatal("0 minutes accepted")
	}
	if err := s.SetIdleMinutes(3); err != nil || s.IdleMinutes() != 3 {
		t.Fatalf("set idle: %v", err)
	}
	start := time.Now()
	it := NewIdleTimer(start, 3)
	if it.Due(start.Add(2 * time.Minute)) {
		t.Fatal("due too early")
	}
	it.Touch(start.Add(2 * time.Minute))
	if it.Due(start.Add(4 * time.Minute)) {
		t.Fatal("touch ignored")
	}
	if !it.Due(start.Add(5 * time.Minute)) {
		t.Fatal("not due after the limit")
	}
}

func TestAuditRecordsSecurityActs(t *testing.T) {
	s, _, _ := setupStation(t)
	s.Lock()
	s.Unlock("station-pass-1")
	if _, err := s.AddUser(NewUser{Name: "li", Role: Officer, Password: "officer-pass"}); err != nil {
		t.Fatal(err)
	}
	entries, err := data.ListAudit(s.store.Reader(), data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for i := len(entries) - 1; i >= 0; i-- {
		actions = append(actions, entries[i].Action)
	}
	want := []string{"setup", "lock", "unlock", "user.add"}
	if len(actions) != len(want) {
		t.Fatalf("actions %v", actions)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("actions %v, want %v", actions, want)
		}
	}
	if n, err := data.VerifyAudit(s.store.Reader()); err != nil || n != 4 {
		t.Fatalf("verify %d %v", n, err)
	}
}

func TestPasswordStrength(t *testing.T) {
	cases := map[string]Strength{"": TooShort, "1234567": TooShort, "abcdefgh": Weak, "abcdefgh12": Fair,
		"Abcdefgh12!x": Strong, "汤阴派出所密码很长很长很长很长很长长": Weak}
	for pw, want := range cases {
		if got := PasswordStrength(pw); got != want {
			t.Errorf("%q: %v, want %v", pw, got, want)
		}
	}
}

func TestAuditBrowseAndVerify(t *testing.T) {
	s, _, _ := setupStation(t)
	officer, err := s.AddUser(NewUser{Name: "li", Role: Officer, Password: "officer-pass"})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Audit(AuditQuery{})
	if err != nil || len(all) != 2 || all[0].Action != "user.add" {
		t.Fatalf("audit: %+v %v", all, err)
	}
	only, _ := s.Audit(AuditQuery{Action: "setup"})
	if len(only) != 1 || only[0].Target != "城关派出所" {
		t.Fatalf("filter: %+v", only)
	}
	if n, err := s.VerifyAudit(); err != nil || n != 2 {
		t.Fatalf("verify: %d %v", n, err)
	}
	o := &Session{cfg: s.cfg, store: s.store, unit: s.unit, user: officer}
	if _, err := o.Audit(AuditQuery{}); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("officer reads the audit trail: %v", err)
	}
}
