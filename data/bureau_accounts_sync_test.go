package data

import (
	"encoding/json"
	"errors"
	"testing"
)

// hqWithBureauAccount is a store of HQ (unit "hq") holding one of the
// county bureau's own accounts, "hqa1" (平安汤阴 on Weibo), as HQ records
// them: a unit account owned by HQ.
func hqWithBureauAccount(t *testing.T) *Store {
	t.Helper()
	s, _, _ := newTestStore(t)
	mustWrite(t, s, func(tx *Tx) error {
		if err := SetSetting(tx, "unit.id", "hq"); err != nil {
			return err
		}
		return SaveAccount(tx, Account{ID: "hqa1", OwnerUnit: "hq", Action: "open", Platform: "weibo", Name: "平安汤阴",
			PlatformID: "pingantangyin", Kind: "unit", Department: "宣传科", Responsible: "赵科长", Contact: "0372",
			FiledOn: "2026-01-01", Status: "accepted", CreatedAt: 1, UpdatedAt: 1, Version: 1})
	})
	return s
}

// TestBureauAccountsDoNotTravel: the bureau's accounts are HQ's records of
// a type only stations write, so HQ's export to a station carries none,
// and a station's bundle can neither bring one in HQ's name nor overwrite
// one under its id.
func TestBureauAccountsDoNotTravel(t *testing.T) {
	hq := hqWithBureauAccount(t)
	for _, r := range exportFrom(t, hq, ExportScope{Self: "hq", Side: HQSide, Peer: "st1"}).recs {
		if r.Type == "account" {
			t.Errorf("HQ's export carries account %s", r.ID)
		}
	}

	st := stationWithRecords(t)
	e := exportFrom(t, st, ExportScope{Self: "st1", Side: StationSide, Peer: "hq"})
	in := ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}
	var account SyncRecord
	for _, r := range e.recs {
		if r.Type == "account" {
			account = r
		}
	}
	if account.ID == "" {
		t.Fatal("the station's export has no account")
	}
	retarget := func(id, owner string) SyncRecord {
		var body map[string]map[string]any
		if err := json.Unmarshal(account.Data, &body); err != nil {
			t.Fatal(err)
		}
		body["row"]["id"], body["row"]["owner_unit"] = id, owner
		for _, m := range body["children"]["account_metrics"].([]any) {
			m.(map[string]any)["account_id"] = id
		}
		r := account
		r.ID, r.Owner, r.Version = id, owner, 9
		body["row"]["version"] = 9
		var err error
		if r.Data, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tc := range []struct {
		what string
		rec  SyncRecord
	}{
		{"an account in HQ's name", retarget("hqa2", "hq")},
		{"HQ's account, rewritten by the station", retarget("hqa1", "st1")},
	} {
		_, err := importInto(t, hq, st, in, exported{recs: []SyncRecord{tc.rec}})
		var re *RecordError
		if !errors.As(err, &re) {
			t.Errorf("%s: %v, want the record refused", tc.what, err)
		}
	}
	a, err := AccountByID(hq.Reader(), "hqa1")
	if err != nil || a.OwnerUnit != "hq" || a.Name != "平安汤阴" || a.Version != 1 {
		t.Errorf("HQ's account after the refusals: %+v, %v", a, err)
	}
	if _, err := AccountByID(hq.Reader(), "hqa2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("an account in HQ's name arrived: %v", err)
	}
}
