package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"mediadesk/data"
)

// importAll imports files into s and fails unless every one imports.
func importAll(t *testing.T, s *Session, files []string) {
	t.Helper()
	res := s.ImportBundles(context.Background(), files, nil)
	if len(res) == 0 {
		t.Fatal("nothing to import")
	}
	for _, r := range res {
		if r.Result != Imported {
			t.Fatalf("import: %s %v", r.Result, r.Err)
		}
	}
}

// hqAccountsWith counts HQ's accounts with platform ID pid on weibo.
func hqAccountsWith(t *testing.T, hq *Session, pid string) int {
	t.Helper()
	all, err := hq.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range all {
		if a.Platform == "weibo" && a.PlatformID == pid {
			n++
		}
	}
	return n
}

// TestPlatformIDSwapImportsAtHQ: a station swaps the platform IDs of two
// filings through a temporary ID; its records reach HQ in change order,
// and HQ imports them, then the station's later bundles.
func TestPlatformIDSwapImportsAtHQ(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	fa := unitFiling(st.cfg.now())
	fa.PlatformID, fa.Name = "id_x", "账号甲"
	a, err := st.leader.SaveAccountFiling(fa)
	if err != nil {
		t.Fatal(err)
	}
	fb := unitFiling(st.cfg.now())
	fb.PlatformID, fb.Name = "id_y", "账号乙"
	b, err := st.leader.SaveAccountFiling(fb)
	if err != nil {
		t.Fatal(err)
	}
	importAll(t, c.hq, c.send(st.admin, ""))
	for _, step := range []struct {
		f  AccountForm
		id string
	}{{FormOf(a), "tmp"}, {FormOf(b), "id_x"}, {FormOf(a), "id_y"}} {
		step.f.PlatformID = step.id
		if _, err := st.leader.SaveAccountFiling(step.f); err != nil {
			t.Fatal(err)
		}
	}
	importAll(t, c.hq, c.send(st.admin, ""))
	for id, want := range map[string]string{a.ID: "id_y", b.ID: "id_x"} {
		got, err := c.hq.Account(id)
		if err != nil || got.PlatformID != want {
			t.Errorf("HQ's %s: %q %v, want %s", id, got.PlatformID, err, want)
		}
	}
	// Later bundles still come across.
	sensitivePost(t, st, "重大警情通报")
	importAll(t, c.hq, c.send(st.admin, ""))
}

// TestSamePlatformIDTwoStationsImportAtHQ: two stations file the same
// platform ID (an officer who moved, a shared account); HQ imports both,
// and the second station's other records too.
func TestSamePlatformIDTwoStationsImportAtHQ(t *testing.T) {
	c := newCounty(t, 2)
	for _, st := range c.stations {
		a, err := st.leader.SaveAccountFiling(unitFiling(st.cfg.now()))
		if err == nil {
			_, err = st.leader.FileAccount(a.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	p := sensitivePost(t, c.stations[1], "重大警情通报")
	importAll(t, c.hq, c.send(c.stations[0].admin, ""))
	importAll(t, c.hq, c.send(c.stations[1].admin, ""))
	if n := hqAccountsWith(t, c.hq, unitFiling(c.hq.cfg.now()).PlatformID); n != 2 {
		t.Errorf("HQ holds %d accounts with the ID, want 2", n)
	}
	if _, err := c.hq.PostForApproval(p.ID); err != nil {
		t.Errorf("st2's post did not reach HQ: %v", err)
	}
	// HQ decides on both; each decision reaches its station.
	all, _ := c.hq.Accounts()
	for _, a := range all {
		if _, err := c.hq.DecideFiling(a.ID, StepAccept, ""); err != nil {
			t.Fatalf("accept %s: %v", a.ID, err)
		}
	}
	for i, st := range c.stations {
		importAll(t, st.admin, c.send(c.hq, "st"+string(rune('1'+i))))
		mine, _ := st.leader.Accounts()
		if len(mine) != 1 || mine[0].Status != string(FilingAccepted) {
			t.Errorf("station %d's accounts after HQ's decision: %+v", i+1, mine)
		}
	}
}

// TestPlatformIDUniqueInUnit: a station may not file a platform ID
// another of its accounts on the platform has, unless that one is closed;
// the refusal is at the field, Chinese first, and says what to do.
func TestPlatformIDUniqueInUnit(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	first, err := st.leader.SaveAccountFiling(unitFiling(now))
	if err != nil {
		t.Fatal(err)
	}
	dup := unitFiling(now)
	dup.Name = "另一个账号"
	var fe *FieldError
	_, err = st.leader.SaveAccountFiling(dup)
	if !errors.As(err, &fe) || fe.Field != "platform_id" {
		t.Fatalf("a second filing with the ID: %v", err)
	}
	if !strings.HasPrefix(fe.Msg, "该平台上这个账号 ID 已登记为本单位的另一个账号（平安汤阴城关，拟开设）") || !strings.Contains(fe.Msg, " / another of the unit's accounts") ||
		!strings.Contains(fe.Msg, "临时 ID") || !strings.Contains(fe.Msg, "close it first") {
		t.Errorf("message: %s", fe.Msg)
	}
	if err := st.leader.CheckAccountForm(dup); !errors.As(err, &fe) || fe.Field != "platform_id" {
		t.Errorf("the form's check: %v", err)
	}
	// The same ID on another platform, and the filing's own ID, are fine.
	other := dup
	other.Platform, other.URL = "douyin", ""
	if _, err := st.leader.SaveAccountFiling(other); err != nil {
		t.Errorf("the ID on another platform: %v", err)
	}
	if _, err := st.leader.SaveAccountFiling(FormOf(first)); err != nil {
		t.Errorf("saving a filing again with its own ID: %v", err)
	}
	// A change (变更) to the ID of another open account is refused too.
	b := liveAccount(t, st, "weibo", "pa_other")
	f := FormOf(b)
	f.PlatformID = first.PlatformID
	if _, err := st.leader.ChangeAccount(f); !errors.As(err, &fe) || fe.Field != "platform_id" {
		t.Errorf("a change to a used ID: %v", err)
	}
	// Once the first is closed, its ID may be filed again.
	if _, err := st.leader.CloseAccount(first.ID, now); err != nil {
		t.Fatal(err)
	}
	again, err := st.leader.SaveAccountFiling(dup)
	if err != nil {
		t.Fatalf("filing the ID of a closed account: %v", err)
	}
	if _, err := st.leader.FileAccount(again.ID); err != nil {
		t.Errorf("sending it: %v", err)
	}
	all, _ := st.leader.Accounts()
	n := 0
	for _, a := range all {
		if a.Platform == "weibo" && a.PlatformID == first.PlatformID {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d weibo accounts with the ID, want 2 (one closed)", n)
	}
}

// TestImportConflictSaysWhatToDo: a bundle whose records refer to data HQ
// does not have (here HQ lost an account it had imported) is refused in
// words that name the record and say what to do, not in SQLite's.
func TestImportConflictSaysWhatToDo(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	acc := liveAccount(t, st, "weibo", "pa_lost")
	importAll(t, c.hq, c.send(st.admin, ""))
	importAll(t, st.admin, c.send(c.hq, "st1")) // HQ's acknowledgement
	if err := c.hq.store.Write(func(tx *data.Tx) error {
		_, err := tx.Exec("DELETE FROM accounts WHERE id = ?", acc.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	if _, err := st.officer.Publish(p.ID, "weibo", acc.ID, "https://weibo.com/x/1", st.cfg.now()); err != nil {
		t.Fatal(err)
	}
	res := c.hq.ImportBundles(context.Background(), c.send(st.admin, ""), nil)
	if len(res) != 1 || res[0].Result != Refused {
		t.Fatalf("results %+v", res)
	}
	msg := res[0].Err.Error()
	t.Log(msg)
	var ce *data.ImportConflictError
	if !errors.As(res[0].Err, &ce) || !strings.HasPrefix(msg, "同步包中的记录与本机数据冲突") || !strings.Contains(msg, "稿件 "+p.ID) ||
		!strings.Contains(msg, "账号 "+acc.ID) || !strings.Contains(msg, "重新导出") || !strings.Contains(msg, "管理员指南第 9 节") ||
		strings.Contains(msg, "constraint") {
		t.Errorf("message: %s", msg)
	}
	ledger, err := c.hq.Ledger(1)
	if err != nil || len(ledger) != 1 || ledger[0].Message != msg {
		t.Errorf("ledger: %+v %v", ledger, err)
	}
}
