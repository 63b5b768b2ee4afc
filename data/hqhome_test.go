package data

import "testing"

// TestHQHomeWithdrawnResult: a result withdrawn when its period was
// published again (rank 0: the unit, revoked, was not assessed) shows
// neither in HQ's home ranking nor in the period's or the unit's results.
func TestHQHomeWithdrawnResult(t *testing.T) {
	s, _, _ := newTestStore(t)
	mustWrite(t, s, func(tx *Tx) error {
		for _, r := range []AssessmentResult{
			{ID: "r1", UnitID: "s1", Score: 0, Rank: 0, Units: 2, Version: 2},
			{ID: "r2", UnitID: "s2", Score: 80, Rank: 1, Units: 2, Version: 2},
			{ID: "r3", UnitID: "s3", Score: 70, Rank: 2, Units: 2, Version: 2},
		} {
			r.OwnerUnit, r.Period, r.SchemeID, r.Detail, r.PublishedAt = "hq", "2026-10", "sc1", `{"scheme":1}`, 500
			if err := SaveAssessmentResult(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	h, err := HQHomeData(s.Reader(), HQHomeQuery{Today: "2026-11-25", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if h.Period != "2026-10" || len(h.Ranking) != 2 || h.Ranking[0].UnitName != "s2" || h.Ranking[1].UnitName != "s3" {
		t.Errorf("ranking of %s: %+v", h.Period, h.Ranking)
	}
	if list, err := PeriodAssessmentResults(s.Reader(), "2026-10"); err != nil || len(list) != 2 || list[0].UnitID != "s2" {
		t.Errorf("period results %+v %v", list, err)
	}
	if list, err := UnitAssessmentResults(s.Reader(), "s1"); err != nil || len(list) != 0 {
		t.Errorf("s1's results %+v %v", list, err)
	}
	if r, err := AssessmentResultOf(s.Reader(), "s1", "2026-10"); err != nil || r.Rank != 0 {
		t.Errorf("s1's withdrawn row %+v %v", r, err)
	}
}
