package app

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// matrixNames lists the station and name of each entry, in order.
func matrixNames(t *testing.T, s *Session, f AccountFilter) []string {
	t.Helper()
	m, err := s.Matrix(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range m {
		out = append(out, c.Station+" "+c.Name)
	}
	return out
}

func TestMatrixFiltersAndFlags(t *testing.T) {
	c := newCounty(t, 2)
	st1, st2 := c.stations[0], c.stations[1]
	weibo := liveAccount(t, st1, "weibo", "pa_cg_wb")
	wechat := liveAccount(t, st1, "wechat", "pa_cg_wx")
	p := mustPost(t)(st1.officer.SaveDraft(plainDraft()))
	p = mustPost(t)(st1.officer.Submit(p.ID))
	p = mustPost(t)(st1.leader.Approve(p.ID, p.ContentHash, ""))
	p = mustPost(t)(st1.officer.Publish(p.ID, "wechat", wechat.ID, "https://mp.weixin.example/1", st1.cfg.now()))
	personal := personalFiling(t, st2, "李四", "lisi_wb")
	c.receive(c.hq, Imported, append(c.send(st1.admin, ""), c.send(st2.admin, "")...)...)

	all := []string{"派出所st1 平安汤阴城关", "派出所st1 平安汤阴城关", "派出所st2 民警李四"}
	for _, tc := range []struct {
		name string
		f    AccountFilter
		want []string
	}{
		{"all", AccountFilter{}, all},
		{"unit", AccountFilter{Unit: "st1"}, all[:2]},
		{"kind", AccountFilter{Kind: PersonalAccount}, all[2:]},
		{"platform", AccountFilter{Platform: "weibo"}, []string{all[0], all[2]}},
		{"status", AccountFilter{Status: FilingFiled}, all[2:]},
		{"unit and status", AccountFilter{Unit: "st2", Status: FilingAccepted}, nil},
	} {
		if got := matrixNames(t, c.hq, tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}

	m, _ := c.hq.Matrix(AccountFilter{})
	byID := map[string]CountyAccount{}
	for _, e := range m {
		byID[e.ID] = e
	}
	if e := byID[wechat.ID]; !e.LastPost.Equal(p.PublishedAt) || e.Activity != Active {
		t.Errorf("wechat account: last post %v (want %v), %s", e.LastPost, p.PublishedAt, e.Activity)
	}
	if e := byID[personal.ID]; !e.Waiting() || e.Activity != "" || e.Station != "派出所st2" {
		t.Errorf("filed personal account: waiting %v, activity %q, station %q", e.Waiting(), e.Activity, e.Station)
	}
	if e := byID[weibo.ID]; e.Waiting() || !e.LastPost.IsZero() {
		t.Errorf("live weibo account: waiting %v, last post %v", e.Waiting(), e.LastPost)
	}

	// HQ's activity rule flags idle accounts of every unit.
	now := c.hq.cfg.now()
	for _, tc := range []struct {
		later time.Time
		want  Activity
	}{{now.AddDate(0, 0, 20), Zombie}, {now.AddDate(0, 4, 0), Sleeping}} {
		m, _ := withClock(c.hq, func() time.Time { return tc.later }).Matrix(AccountFilter{Platform: "weibo", Unit: "st1"})
		if len(m) != 1 || m[0].Activity != tc.want {
			t.Errorf("at %s: %+v, want %s", tc.later.Format(time.DateOnly), m, tc.want)
		}
	}

	units, err := c.hq.MatrixUnits()
	if err != nil || len(units) != 2 || units[0].ID != "st1" || units[1].ID != "st2" {
		t.Errorf("matrix units %+v %v", units, err)
	}
	if _, err := st1.leader.Matrix(AccountFilter{}); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a station read the county matrix: %v", err)
	}
	// The station's own registry is untouched by the new filters.
	if got, _ := st1.leader.AccountRegistry(AccountFilter{Unit: "st1", Kind: UnitAccount}); len(got) != 2 {
		t.Errorf("station registry by unit and kind: %d accounts, want 2", len(got))
	}
}

// TestDecisionPendingUntilApplied: HQ verifies an accepted account; before
// the station imports the verification it enters followers, or changes
// the account's contact details, and sends that. Either reaches HQ as the
// account, but applies nothing: the decision stays pending (HQ cannot
// verify again) until the station's account with it applied arrives.
func TestDecisionPendingUntilApplied(t *testing.T) {
	for name, meanwhile := range map[string]func(st station, id string) error{
		"followers": func(st station, id string) error {
			return st.leader.RecordAccountMetrics(id, st.cfg.now(), 1200, 30)
		},
		"contact details": func(st station, id string) error {
			cur, err := st.leader.Account(id)
			if err != nil {
				return err
			}
			f := FormOf(cur.Account)
			f.Contact = "0372-6210000"
			_, err = st.leader.ChangeAccount(f)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := newCounty(t, 1)
			st := c.stations[0]
			a, err := st.leader.SaveAccountFiling(unitFiling(st.cfg.now()))
			if err == nil {
				a, err = st.leader.FileAccount(a.ID)
			}
			if err != nil {
				t.Fatal(err)
			}
			c.receive(c.hq, Imported, c.send(st.admin, "")...)
			if _, err := c.hq.DecideFiling(a.ID, StepAccept, ""); err != nil {
				t.Fatal(err)
			}
			c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
			c.receive(c.hq, Imported, c.send(st.admin, "")...)
			if _, err := c.hq.DecideFiling(a.ID, StepVerify, ""); err != nil {
				t.Fatal(err)
			}
			if err := meanwhile(st, a.ID); err != nil {
				t.Fatal(err)
			}
			c.receive(c.hq, Imported, c.send(st.admin, "")...)
			m, err := c.hq.Matrix(AccountFilter{})
			if err != nil || len(m) != 1 {
				t.Fatalf("matrix: %d %v", len(m), err)
			}
			if len(m[0].Pending) != 1 || m[0].Effective != FilingVerified || m[0].Status != string(FilingAccepted) {
				t.Fatalf("before the station applied it: status %s, %d pending, effective %s", m[0].Status, len(m[0].Pending), m[0].Effective)
			}
			if _, err := c.hq.DecideFiling(a.ID, StepVerify, ""); !errors.Is(err, ErrTransition) {
				t.Fatalf("verified twice: %v", err)
			}
			c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
			c.receive(c.hq, Imported, c.send(st.admin, "")...)
			if m, _ = c.hq.Matrix(AccountFilter{}); len(m[0].Pending) != 0 || m[0].Status != string(FilingVerified) {
				t.Fatalf("after the station applied it: status %s, %d pending", m[0].Status, len(m[0].Pending))
			}
		})
	}
}
