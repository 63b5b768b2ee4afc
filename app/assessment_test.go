package app

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"mediadesk/data"
)

// oct is a local time in October 2026 (or, with month, another month).
func oct(day, hour, minute int) time.Time {
	return time.Date(2026, time.October, day, hour, minute, 0, 0, time.Local)
}

// hqWrite writes station records straight into HQ's store, as if they had
// arrived in bundles (a test-only path: exact times, no bundles needed).
func hqWrite(t *testing.T, hq *Session, fn func(w *hqWriter)) {
	t.Helper()
	err := hq.store.Write(func(tx *data.Tx) error {
		w := &hqWriter{tx: tx}
		fn(w)
		return w.err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hqWriter writes records and keeps the first error.
type hqWriter struct {
	tx  *data.Tx
	err error
	n   int
}

func (w *hqWriter) check(err error) {
	if w.err == nil {
		w.err = err
	}
}

func (w *hqWriter) id(prefix string) string {
	w.n++
	return fmt.Sprintf("%s%d", prefix, w.n)
}

// user adds the station's author as HQ keeps it.
func (w *hqWriter) user(unit string) {
	w.check(data.InsertUser(w.tx, data.User{ID: "u-" + unit, Name: unit + "/li", DisplayName: "李警官", Role: string(Officer)}))
}

// account adds a live (verified) account of unit filed on filed, or one in
// status st.
func (w *hqWriter) account(unit, id, filed, st string) {
	w.check(data.SaveAccount(w.tx, data.Account{ID: id, OwnerUnit: unit, Action: "open", Platform: "weibo", Name: "平安" + id,
		PlatformID: "pid-" + id, Kind: "unit", Department: "宣传", Responsible: "张三", Contact: "0372-1234567", FiledOn: filed,
		Status: st, Version: 1}))
}

// followers records an account's followers on a day.
func (w *hqWriter) followers(account, day string, n int64) {
	w.check(data.SaveAccountSnapshot(w.tx, data.AccountSnapshot{AccountID: account, Day: day, Followers: n, Actor: "x"}))
}

// post adds a post of unit published at at on account, and returns its id.
func (w *hqWriter) post(unit, account string, at time.Time) string {
	id := w.id("p-" + unit + "-")
	w.check(data.SavePost(w.tx, data.Post{ID: id, OwnerUnit: unit, AuthorID: "u-" + unit, Title: "稿件 " + id, Body: "正文",
		Category: "防范提示", Targets: `["weibo"]`, Status: string(Published), ContentHash: []byte{1}, PublishedAt: at.UnixMilli(),
		PublishedOn: "weibo", PublishedURL: "https://weibo.example/" + id, CreatedAt: at.Add(-time.Hour).UnixMilli(),
		UpdatedAt: at.UnixMilli(), Version: 1}))
	w.check(data.SetPostAccount(w.tx, id, account))
	return id
}

// metrics records a post's totals on a day.
func (w *hqWriter) metrics(post, day string, reads, likes, comments, reposts int64) {
	w.check(data.SavePostMetrics(w.tx, data.PostMetrics{PostID: post, Day: day, Reads: reads, Likes: likes, Comments: comments,
		Reposts: reposts, Actor: "x"}))
}

// message adds a netizen message received at received, due on due, closed
// at closed (zero: open).
func (w *hqWriter) message(unit string, received time.Time, due string, closed time.Time) {
	m := data.Message{ID: w.id("m-"), OwnerUnit: unit, Platform: "weibo", Handle: "网友", ReceivedAt: received.UnixMilli(),
		Type: string(Inquiry), Content: "请问", Status: string(MsgAccepted), DueOn: due, CreatedBy: "x", Version: 1}
	if !closed.IsZero() {
		m.Status, m.ClosedAt = string(MsgClosed), closed.UnixMilli()
	}
	w.check(data.InsertMessage(w.tx, m))
}

// campaign adds a campaign of kind from starts to ends.
func (w *hqWriter) campaign(unit, kind, starts, ends string) {
	w.check(data.SaveCampaign(w.tx, data.Campaign{ID: w.id("c-"), OwnerUnit: unit, Title: "活动", Kind: kind, StartsOn: starts,
		EndsOn: ends, CreatedBy: "x", Version: 1}))
}

// officers adds n active officers of unit (and one who left) and returns
// the active ones' ids.
func (w *hqWriter) officers(unit string, n int) []string {
	var ids []string
	for i := range n + 1 {
		id := w.id("o-")
		w.check(data.SaveOfficer(w.tx, data.Officer{ID: id, OwnerUnit: unit, Name: "民警" + id, PoliceNo: id, Department: "宣传",
			Active: i < n, Version: 1}))
		if i < n {
			ids = append(ids, id)
		}
	}
	return ids
}

// training adds a training of unit held on day for minutes with attendees.
func (w *hqWriter) training(unit, day string, minutes int64, attendees ...string) {
	id := w.id("t-")
	w.check(data.SaveTraining(w.tx, data.Training{ID: id, OwnerUnit: unit, HeldOn: day, Minutes: minutes, Form: "lecture",
		Topics: "politics", Trainer: "李四", Place: "会议室", CreatedBy: "x", Version: 1}))
	w.check(data.SetTrainingAttendees(w.tx, id, attendees))
}

// override records an overridden checker warning on post at at.
func (w *hqWriter) override(post, rule string, at time.Time) {
	w.check(data.AddOverride(w.tx, data.Override{PostID: post, ContentHash: []byte{1}, Rule: rule, At: at.UnixMilli(), Actor: "x", Reason: "已核实"}))
}

// notice adds HQ's notice to unit issued at issued, due on due, answered
// by the station at answered (zero: not answered), closed at closed
// (zero: open).
func (w *hqWriter) notice(unit string, issued time.Time, due string, answered, closed time.Time) {
	n := data.Notice{ID: w.id("n-"), OwnerUnit: "hq", UnitID: unit, Title: "整改", Body: "请整改", DueOn: due,
		Status: string(NoticeOpen), IssuedAt: issued.UnixMilli(), CreatedBy: "x", UpdatedAt: issued.UnixMilli(), Version: 1}
	if !closed.IsZero() {
		n.Status, n.ClosedAt, n.UpdatedAt = string(NoticeClosed), closed.UnixMilli(), closed.UnixMilli()
	}
	w.check(data.InsertNotice(w.tx, n))
	if !answered.IsZero() {
		w.check(data.InsertNoticeAnswer(w.tx, data.NoticeAnswer{ID: w.id("na-"), OwnerUnit: unit, NoticeID: n.ID, Body: "已整改",
			AnsweredAt: answered.UnixMilli(), Actor: "x", Version: 1}))
	}
}

// smallCounty is HQ with stations st1, st2, st3 and October 2026 as the
// table in TestComputeByHand describes; it returns the posts st1's A1, A2
// and st2's B1, which the test rates.
func smallCounty(t *testing.T) (*county, [3]string) {
	t.Helper()
	c := newCounty(t, 3)
	var rated [3]string
	hqWrite(t, c.hq, func(w *hqWriter) {
		for _, u := range []string{"st1", "st2", "st3"} {
			w.user(u)
		}
		// st1: account acc1 filed long ago; posts on Sep 30 (outside),
		// Oct 1, 5, 10, 31 23:30, and Nov 1 00:00 (outside).
		w.account("st1", "acc1", "2026-01-10", string(FilingVerified))
		old := w.post("st1", "acc1", time.Date(2026, 9, 30, 23, 59, 0, 0, time.Local))
		w.metrics(old, "2026-10-01", 1000, 100, 100, 100)
		a1 := w.post("st1", "acc1", oct(1, 9, 0))
		w.metrics(a1, "2026-10-02", 100, 10, 5, 2)
		w.metrics(a1, "2026-10-05", 300, 20, 8, 6) // the latest: A1's totals
		a2 := w.post("st1", "acc1", oct(5, 10, 0))
		w.metrics(a2, "2026-10-06", 200, 10, 2, 4)
		w.post("st1", "acc1", oct(10, 8, 0)) // A3: no numbers
		a4 := w.post("st1", "acc1", oct(31, 23, 30))
		w.metrics(a4, "2026-11-02", 100, 10, 0, 0)
		w.post("st1", "acc1", time.Date(2026, 11, 1, 0, 0, 0, 0, time.Local))
		w.followers("acc1", "2026-09-25", 1000)
		w.followers("acc1", "2026-10-15", 1100)
		w.followers("acc1", "2026-10-31", 1200)
		w.followers("acc1", "2026-11-10", 1500)
		w.override(a2, "phone", oct(5, 9, 0))
		w.message("st1", oct(8, 10, 0), "2026-10-15", oct(14, 16, 0))
		w.message("st1", oct(20, 10, 0), "2026-10-27", oct(28, 9, 0))
		w.message("st1", oct(29, 10, 0), "2026-11-05", time.Time{})
		w.message("st1", time.Date(2026, 9, 28, 10, 0, 0, 0, time.Local), "2026-10-09", oct(2, 9, 0))
		w.campaign("st1", InteractionActivity, "2026-09-25", "2026-10-03")
		w.campaign("st1", InteractionActivity, "2026-10-20", "2026-10-21")
		w.campaign("st1", PublicityCampaign, "2026-10-10", "2026-10-12")
		o1 := w.officers("st1", 4)
		w.training("st1", "2026-10-12", 90, o1[0], o1[1], o1[2])
		w.training("st1", "2026-09-30", 60, o1[0])
		w.notice("st1", oct(3, 9, 0), "2026-10-10", oct(8, 15, 0), oct(9, 17, 0))

		// st2: account acc2 filed Sep 1; posts Oct 2 and Oct 20.
		w.account("st2", "acc2", "2026-09-01", string(FilingAccepted))
		b1 := w.post("st2", "acc2", oct(2, 9, 0))
		w.metrics(b1, "2026-10-03", 500, 60, 20, 5)
		b2 := w.post("st2", "acc2", oct(20, 9, 0))
		w.metrics(b2, "2026-10-21", 100, 0, 4, 15)
		w.followers("acc2", "2026-10-05", 800)
		w.followers("acc2", "2026-10-30", 1100)
		for _, rule := range []string{"phone", "id_card", "plate"} {
			w.override(b1, rule, oct(2, 8, 0))
		}
		w.message("st2", oct(3, 10, 0), "2026-10-10", oct(10, 23, 0))
		w.campaign("st2", InteractionActivity, "2026-10-30", "2026-11-05")
		w.campaign("st2", InteractionActivity, "2026-11-01", "2026-11-03")
		o2 := w.officers("st2", 2)
		w.training("st2", "2026-10-20", 120, o2...)
		w.notice("st2", oct(5, 9, 0), "2026-10-12", oct(13, 10, 0), oct(14, 9, 0))
		w.notice("st2", time.Date(2026, 9, 20, 9, 0, 0, 0, time.Local), "2026-10-08", time.Time{}, time.Time{})
		w.notice("st2", oct(25, 9, 0), "2026-11-08", time.Time{}, time.Time{})

		// st3: a live account filed Oct 10 and never posted on; a closed
		// one, which does not count.
		w.account("st3", "acc3", "2026-10-10", string(FilingAccepted))
		w.account("st3", "acc3x", "2025-01-01", string(FilingClosed))
		w.followers("acc3", "2026-10-25", 50)
		w.campaign("st3", InteractionActivity, "2026-10-15", "2026-10-15")
		w.officers("st3", 3)
		rated = [3]string{a1, a2, b1}
	})
	return c, rated
}

// wantNear fails unless got is want to a hundredth.
func wantNear(t *testing.T, what string, got, want float64) {
	t.Helper()
	if d := got - want; d > 0.005 || d < -0.005 {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestComputeByHand scores October 2026 (31 days, over: today is Nov 25)
// with the default scheme. The numbers, unit by unit:
//
//	                      st1                       st2                  st3
//	original_posts        4 (Oct 1, 5, 10, 31)      2                    0
//	reposts               6+4+0+0 = 10              5+15 = 20            0
//	comments              8+2+0+0 = 10              20+4 = 24            0
//	followers             1200 (Oct 31)             1100 (Oct 30)        50
//	follower_growth       1200−1000 (Sep 25) = 200  1100−800 (first) = 300  50−50 = 0
//	posting_frequency     4×7/31 = 0.9032           2×7/31 = 0.4516      0
//	zombie_days           7 (Oct 24–30)             1 (Oct 1) + 4 (Oct 16–19) = 5   8 (Oct 24–31)
//	influence             (300+200+0+100)+(20+10+0+10) = 640   (500+100)+(60+0) = 660   0
//	content_quality       (4+5)/2 = 4.5             3                    0 (none rated)
//	replies               2 closed of 3             1                    0
//	on_time_share         1 of 3 = 33.33            100                  100 (none due)
//	interactions          2                         1 (Oct 30–Nov 5)     1
//	training_hours        3×90 min / 60 / 4 = 1.125 2×120/60/2 = 2       0 (3 officers)
//	overrides             1                         3                    0
//	notices               1                         2 (Oct 5, Oct 25)    0
//	late_notices          0 (answered Oct 8 ≤ Oct 10)  2 (answered Oct 13 > Oct 12; unanswered past Oct 8)   0
//
// Zombie days (14): st1's account posted Sep 30, Oct 1, 5, 10, 31: only
// the gap Oct 10 to Oct 31 reaches 14 days, on Oct 24 … 30 (7 days).
// st2's account, filed Sep 1 (the cut-off Sep 17 stands for it), is a
// zombie on Oct 1 (Sep 17 + 14), posts Oct 2, is a zombie Oct 16 … 19,
// posts Oct 20. st3's account, filed Oct 10, is a zombie from Oct 24 to
// the end: 8 days.
//
// Points (weight, rule), rounded to hundredths:
//
//	original_posts  12 rel (best 4):      12            12×2/4 = 6           0
//	reposts          8 rel (best 20):     8×10/20 = 4   8                    0
//	comments         6 rel (best 24):     6×10/24 = 2.5 6                    0
//	followers        8 rel (best 1200):   8             8×1100/1200 = 7.33   8×50/1200 = 0.33
//	follower_growth  6 rel (best 300):    6×200/300 = 4 6                    0
//	posting_freq     6 target 5:          6×0.9032/5 = 1.08   6×0.4516/5 = 0.54   0
//	zombie_days      4 −0.2 each, cap 4:  4−1.4 = 2.6   4−1.0 = 3            4−1.6 = 2.4
//	influence       10 rel (best 660):    10×640/660 = 9.70   10             0
//	content_quality 10 target 5:          10×4.5/5 = 9  10×3/5 = 6           0
//	replies          6 rel (best 2):      6             3                    0
//	on_time_share    8 target 100:        8×33.33/100 = 2.67  8              8
//	interactions     4 rel (best 2):      4             2                    2
//	training_hours   6 rel (best 2):      6×1.125/2 = 3.38    6              0
//	overrides        2 −0.5 each, cap 2:  1.5           0.5                  2
//	notices          2 −1 each, cap 2:    1             0                    2
//	late_notices     2 −1 each, cap 2:    2             0                    2
//
//	total: st1 12+4+2.5+8+4+1.08+2.6+9.70+9+6+2.67+4+3.38+1.5+1+2 = 73.43
//	       st2 6+8+6+7.33+6+0.54+3+10+6+3+8+2+6+0.5+0+0 = 72.37
//	       st3 0.33+2.4+8+2+2+2+2 = 18.73
func TestComputeByHand(t *testing.T) {
	c, rated := smallCounty(t)
	for i, r := range []int{4, 5, 3} {
		if err := c.hq.RatePost(rated[i], r, ""); err != nil {
			t.Fatal(err)
		}
	}
	a, err := c.hq.Compute("2026-10")
	if err != nil {
		t.Fatal(err)
	}
	if a.Scheme.Number != 1 || a.Scheme.Status != SchemeActive || len(a.Units) != 3 {
		t.Fatalf("scheme %d %s, %d units", a.Scheme.Number, a.Scheme.Status, len(a.Units))
	}
	byUnit := map[string]UnitScore{}
	for _, u := range a.Units {
		byUnit[u.Unit] = u
	}
	values := map[string][]float64{ // in the order of Indicators
		"st1": {4, 10, 10, 1200, 200, 4.0 * 7 / 31, 7, 640, 4.5, 2, 100.0 / 3, 2, 0, 0, 1.125, 1, 1, 0},
		"st2": {2, 20, 24, 1100, 300, 2.0 * 7 / 31, 5, 660, 3, 1, 100, 1, 0, 0, 2, 3, 2, 2},
		"st3": {0, 0, 0, 50, 0, 0, 8, 0, 0, 0, 100, 1, 0, 0, 0, 0, 0, 0},
	}
	points := map[string][]float64{
		"st1": {12, 4, 2.5, 8, 4, 1.08, 2.6, 9.70, 9, 6, 2.67, 4, 0, 0, 3.38, 1.5, 1, 2},
		"st2": {6, 8, 6, 7.33, 6, 0.54, 3, 10, 6, 3, 8, 2, 0, 0, 6, 0.5, 0, 0},
		"st3": {0, 0, 0, 0.33, 0, 0, 2.4, 0, 0, 0, 8, 2, 0, 0, 0, 2, 2, 2},
	}
	for unit, want := range values {
		u := byUnit[unit]
		for i, ind := range Indicators {
			wantNear(t, unit+" value "+string(ind), u.Values[ind], want[i])
			wantNear(t, unit+" points "+string(ind), u.Points[ind], points[unit][i])
		}
	}
	for _, w := range []struct {
		unit  string
		total float64
		rank  int
	}{{"st1", 73.43, 1}, {"st2", 72.37, 2}, {"st3", 18.73, 3}} {
		u := byUnit[w.unit]
		wantNear(t, w.unit+" total", u.Total, w.total)
		if u.Rank != w.rank {
			t.Errorf("%s rank %d, want %d", w.unit, u.Rank, w.rank)
		}
	}
	if a.Units[0].Unit != "st1" || a.Units[2].Unit != "st3" {
		t.Errorf("order %s %s %s", a.Units[0].Unit, a.Units[1].Unit, a.Units[2].Unit)
	}
	wantNear(t, "average", a.Average(), (73.43+72.37+18.73)/3)

	// The rating list: the six posts of October, st1's then st2's.
	list, err := c.hq.PostsToRate("2026-10")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 6 || list[0].ID != rated[0] || list[0].Rating != 4 || list[2].Rating != 0 || list[4].ID != rated[2] ||
		list[4].UnitName != "派出所st2" {
		t.Errorf("posts to rate: %+v", list)
	}
}

// TestSchemeVersionsAndTies: a draft does not change the scores until an
// HQ admin activates it; the new scheme (on-time share 50, target 100;
// interactions 50, relative) gives
//
//	st1 50×33.33/100 + 50×2/2 = 16.67 + 50 = 66.67
//	st2 50×100/100   + 50×1/2 = 50 + 25    = 75
//	st3 50×100/100   + 50×1/2 = 50 + 25    = 75
//
// so st2 and st3 share rank 1 (by name), and st1 is third.
func TestSchemeVersionsAndTies(t *testing.T) {
	c, _ := smallCounty(t)
	hq := c.hq
	if _, err := hq.AddUser(NewUser{Name: "staff", DisplayName: "宣传科干事", Role: HQStaff, Password: "staff-pass-1"}); err != nil {
		t.Fatal(err)
	}
	u, _ := data.UserByName(hq.store.Reader(), "staff")
	staff := &Session{cfg: hq.cfg, store: hq.store, unit: hq.unit, user: userFrom(u)}

	two := SchemeDefinition{Indicators: []IndicatorRule{
		{Indicator: IndOnTimeShare, Weight: 50, Rule: RuleTarget, Target: 100},
		{Indicator: IndInteractions, Weight: 50, Rule: RuleRelative},
	}}
	draft, err := staff.SaveSchemeDraft(two, "只考核两项")
	if err != nil {
		t.Fatal(err)
	}
	if draft.Number != 2 || draft.Status != SchemeDraft {
		t.Fatalf("draft %d %s", draft.Number, draft.Status)
	}
	a, _ := hq.Compute("2026-10")
	if a.Scheme.Number != 1 {
		t.Fatalf("a draft was used: scheme %d", a.Scheme.Number)
	}
	// Saving again replaces the open draft.
	if again, err := staff.SaveSchemeDraft(two, "只考核两项（修改）"); err != nil || again.ID != draft.ID || again.Number != 2 {
		t.Fatalf("second save: %+v %v", again, err)
	}
	if _, err := staff.ActivateScheme(draft.ID); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("staff activated a scheme: %v", err)
	}
	active, err := hq.ActivateScheme(draft.ID)
	if err != nil || active.Status != SchemeActive {
		t.Fatalf("activate: %+v %v", active, err)
	}
	if _, err := hq.ActivateScheme(draft.ID); !errors.Is(err, ErrNotDraft) {
		t.Fatalf("activated twice: %v", err)
	}
	list, _ := hq.Schemes()
	if len(list) != 2 || list[0].Status != SchemeActive || list[1].Status != SchemeRetired || list[0].Note != "只考核两项（修改）" {
		t.Fatalf("versions %+v", list)
	}

	a, err = hq.Compute("2026-10")
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, u := range a.Units {
		got += fmt.Sprintf("%s %.2f %d; ", u.Unit, u.Total, u.Rank)
	}
	if got != "st2 75.00 1; st3 75.00 1; st1 66.67 3; " {
		t.Errorf("ranking %s", got)
	}
	// A further edit is version 3.
	if next, err := staff.SaveSchemeDraft(DefaultScheme(), ""); err != nil || next.Number != 3 {
		t.Fatalf("version 3: %+v %v", next, err)
	}
}

func TestSchemeValidation(t *testing.T) {
	def := func(edit func(d *SchemeDefinition)) SchemeDefinition {
		d := DefaultScheme()
		edit(&d)
		return d
	}
	for _, c := range []struct {
		name  string
		def   SchemeDefinition
		field string
		msg   string
	}{
		{"empty", SchemeDefinition{}, "indicators", "至少"},
		{"sum", def(func(d *SchemeDefinition) { d.Indicators[0].Weight = 10 }), "weights", "现为 98"},
		{"negative", def(func(d *SchemeDefinition) { d.Indicators[1].Weight = -8 }), "weight.reposts", "0 到 100"},
		{"unknown", def(func(d *SchemeDefinition) { d.Indicators[2].Indicator = "likes" }), "indicators", "likes"},
		{"twice", def(func(d *SchemeDefinition) { d.Indicators[2].Indicator = IndReposts }), "indicators", "重复"},
		{"no rule", def(func(d *SchemeDefinition) { d.Indicators[0].Rule = "" }), "rule.original_posts", "计分规则"},
		{"deduct a good thing", def(func(d *SchemeDefinition) {
			d.Indicators[0].Rule, d.Indicators[0].Per, d.Indicators[0].Cap = RuleDeduct, 1, 1
		}),
			"rule.original_posts", "不能按扣分"},
		{"reward zombies", def(func(d *SchemeDefinition) { d.Indicators[6].Rule = RuleRelative }), "rule.zombie_days", "只能按扣分"},
		{"target 0", def(func(d *SchemeDefinition) { d.Indicators[5].Target = 0 }), "target.posting_frequency", "大于 0"},
		{"per 0", def(func(d *SchemeDefinition) { d.Indicators[6].Per = 0 }), "per.zombie_days", "大于 0"},
		{"cap 200", def(func(d *SchemeDefinition) { d.Indicators[6].Cap = 200 }), "cap.zombie_days", "上限"},
	} {
		err := c.def.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(fe.Msg, c.msg) {
			t.Errorf("%s: %v, want field %s with %q", c.name, err, c.field, c.msg)
		}
	}
	if err := DefaultScheme().Validate(); err != nil {
		t.Fatalf("the default scheme: %v", err)
	}
	hq := newHQ(t)
	bad := DefaultScheme()
	bad.Indicators[0].Weight = 0
	if _, err := hq.SaveSchemeDraft(bad, ""); err == nil {
		t.Fatal("a bad draft was saved")
	}
	if _, err := hq.SaveSchemeDraft(DefaultScheme(), strings.Repeat("长", MaxSchemeNote+1)); err == nil {
		t.Fatal("a long note was saved")
	}
	if list, _ := hq.Schemes(); len(list) != 1 {
		t.Fatalf("refused drafts left %d versions", len(list))
	}
}

func TestPeriods(t *testing.T) {
	loc := time.Local
	for _, c := range []struct {
		key, want, label, start, end string
	}{
		{"2026-11", "2026-11", "2026年11月", "2026-11-01", "2026-12-01"},
		{" 2026-q4 ", "2026-Q4", "2026年第四季度", "2026-10-01", "2027-01-01"},
		{"2026-Q1", "2026-Q1", "2026年第一季度", "2026-01-01", "2026-04-01"},
		{"2026", "2026", "2026年度", "2026-01-01", "2027-01-01"},
	} {
		p, err := ParsePeriod(c.key, loc)
		if err != nil {
			t.Errorf("%q: %v", c.key, err)
			continue
		}
		if p.Key != c.want || p.Label() != c.label || p.Start.Format(time.DateOnly) != c.start || p.End.Format(time.DateOnly) != c.end {
			t.Errorf("%q: %s %s %s %s", c.key, p.Key, p.Label(), p.Start, p.End)
		}
	}
	for _, bad := range []string{"", "2026-13", "2026-00", "2026-1", "2026-Q5", "2026-Q0", "26-11", "2026/11", "1999", "abcd", "2026-11-01", "2026-M1"} {
		var fe *FieldError
		if _, err := ParsePeriod(bad, loc); !errors.As(err, &fe) || fe.Field != "period" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	jan, _ := ParsePeriod("2026-01", loc)
	q1, _ := ParsePeriod("2026-Q1", loc)
	if jan.Previous().Key != "2025-12" || q1.Previous().Key != "2025-Q4" || PeriodOf(QuarterPeriod, time.Date(2026, 8, 15, 0, 0, 0, 0, loc)).Key != "2026-Q3" {
		t.Errorf("previous %s %s", jan.Previous().Key, q1.Previous().Key)
	}

	hq := newHQ(t) // its clock stands at 2026-11-25
	if _, err := hq.Compute("2026-12"); !errors.Is(err, ErrPeriodNotBegun) {
		t.Errorf("a future period: %v", err)
	}
	if _, err := hq.Compute("2026-11"); err != nil {
		t.Errorf("the running month: %v", err)
	}
	if _, err := hq.PublishResults("2026-11"); !errors.Is(err, ErrPeriodRunning) {
		t.Errorf("publishing a running month: %v", err)
	}
	if _, err := hq.PublishResults("2026-10"); !errors.Is(err, ErrNoUnits) {
		t.Errorf("publishing with no stations: %v", err)
	}
}

// TestPublishTravels: results go to each unit, and publishing again
// replaces them with the next version; the scheme in force goes to every
// station, a draft does not.
func TestPublishTravels(t *testing.T) {
	c, rated := smallCounty(t)
	for i, r := range []int{4, 5, 3} {
		if err := c.hq.RatePost(rated[i], r, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.hq.SaveSchemeDraft(DefaultScheme(), "草稿"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.stations[0].admin.Compute("2026-10"); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("a station computed: %v", err)
	}
	if _, err := c.hq.MyResults(); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("HQ has results of its own: %v", err)
	}
	if _, err := c.hq.PublishResults("2026-10"); err != nil {
		t.Fatal(err)
	}
	second, err := c.hq.PublishResults("2026-10")
	if err != nil {
		t.Fatal(err)
	}
	published, err := c.hq.PublishedResults("2026-10")
	if err != nil || len(published) != 3 || published[0].Unit != second.Units[0].Unit || published[0].Version != 2 || published[2].Rank != 3 {
		t.Fatalf("published %+v %v", published, err)
	}
	c.receive(c.stations[0].admin, Imported, c.send(c.hq, "st1")...)
	c.receive(c.stations[2].admin, Imported, c.send(c.hq, "st3")...)
	mine, err := c.stations[0].officer.MyResults()
	if err != nil || len(mine) != 1 {
		t.Fatalf("st1's results %+v %v", mine, err)
	}
	r := mine[0]
	if r.Unit != "st1" || r.Period.Key != "2026-10" || r.Rank != 1 || r.Units != 3 || r.Version != 2 || r.SchemeNumber != 1 ||
		len(r.Indicators) != len(DefaultScheme().Indicators) || r.Indicators[0].Points != 12 {
		t.Errorf("st1's result %+v", r)
	}
	wantNear(t, "st1 score", r.Score, 73.43)
	if other, _ := c.stations[2].admin.MyResults(); len(other) != 1 || other[0].Unit != "st3" || other[0].Rank != 3 {
		t.Errorf("st3's results %+v", other)
	}
	schemes, err := c.stations[0].admin.Schemes()
	if err != nil || len(schemes) != 1 || schemes[0].Status != SchemeActive {
		t.Errorf("schemes at the station %+v %v", schemes, err)
	}
	if sc, err := c.stations[1].admin.ActiveScheme(); !errors.Is(err, ErrNoScheme) {
		t.Errorf("st2 has a scheme before any bundle: %+v %v", sc, err)
	}
}

// TestAssessmentThroughBundles: a post published at a station reaches HQ
// in a bundle and counts there.
func TestAssessmentThroughBundles(t *testing.T) {
	c := newCounty(t, 2)
	st := c.stations[0]
	acc := liveAccount(t, st, "weibo", "tangyin-1")
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	p = mustPost(t)(st.leader.Publish(p.ID, "weibo", acc.ID, "https://weibo.example/1", st.cfg.now()))
	if err := st.leader.RecordMetrics(p.ID, Metrics{Day: st.cfg.now(), Reads: 50, Likes: 5, Comments: 2, Reposts: 3}); err != nil {
		t.Fatal(err)
	}
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	a, err := c.hq.Compute("2026-11")
	if err != nil {
		t.Fatal(err)
	}
	if a.Units[0].Unit != "st1" || a.Units[0].Values[IndOriginalPosts] != 1 || a.Units[0].Values[IndInfluence] != 55 ||
		a.Units[0].Values[IndReposts] != 3 || a.Units[1].Values[IndOriginalPosts] != 0 {
		t.Errorf("after the bundle: %+v", a.Units)
	}
	// A running month judges the days so far: Nov 1 to 25.
	wantNear(t, "posting frequency", a.Units[0].Values[IndPostingFrequency], 7.0/25)
	if err := c.hq.RatePost(p.ID, 0, ""); err == nil {
		t.Error("a rating of 0 was saved")
	}
	if err := c.hq.RatePost(p.ID, 5, strings.Repeat("好", MaxRatingNote+1)); err == nil {
		t.Error("a long note was saved")
	}
	if err := st.admin.RatePost(p.ID, 5, ""); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a station rated: %v", err)
	}
	draft := sensitivePost(t, st, "待审稿件")
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	if err := c.hq.RatePost(draft.ID, 4, ""); !errors.Is(err, ErrNotPublished) {
		t.Errorf("an unpublished post was rated: %v", err)
	}
	if err := c.hq.RatePost(p.ID, 5, "内容扎实"); err != nil {
		t.Fatal(err)
	}
	if a, _ = c.hq.Compute("2026-11"); a.Units[0].Values[IndContentQuality] != 5 {
		t.Errorf("quality after rating %v", a.Units[0].Values[IndContentQuality])
	}
	trend, err := c.hq.Trend("2026-11", 3)
	if err != nil || len(trend) != 3 || trend[0].Period.Key != "2026-09" || trend[2].Period.Key != "2026-11" ||
		trend[2].Units[0].Values[IndOriginalPosts] != 1 {
		t.Errorf("trend %d %v", len(trend), err)
	}
}

// TestLateNoticesJudgedByAnswer: 整改逾期 judges the station's first answer
// since a notice was issued or last reopened against its deadline, not
// when HQ closed it (the answer waits for a bundle, then for HQ). Through
// the screens' own calls and bundles, in October:
//
//	st1  issued Oct 3, due Oct 10; answered Oct 8; closed Oct 12           on time
//	st2  issued Oct 3, due Oct 10; answered Oct 5; closed Oct 6; reopened
//	     Oct 7, due Oct 20; answered Oct 21; closed Oct 22                  late
//	     issued Oct 3, due Oct 10; answered Oct 5; reopened Oct 7 (the
//	     answer does not do), due Oct 20; answered Oct 15; closed Oct 25    on time
//	st3  issued Oct 3, due Oct 10; answered Oct 9; not closed              on time
//	     issued Oct 3, due Oct 10; never answered                           late
func TestLateNoticesJudgedByAnswer(t *testing.T) {
	c := newCounty(t, 3)
	now := oct(3, 9, 0)
	c.setClock(&now)
	hq := c.hq
	on := func(day int) { now = oct(day, 9, 0) }
	issue := func(unit string) string {
		f := goodNotice()
		f.UnitID, f.DueOn = unit, "2026-10-10"
		return mustNotice(t)(hq.IssueNotice(f)).ID
	}
	// answer takes HQ's news to station i, answers id there, and brings
	// the answer back to HQ.
	answer := func(i int, id string) {
		st := c.stations[i]
		c.receive(st.admin, Imported, c.send(hq, st.admin.Unit().ID)...)
		if _, err := st.officer.AnswerNotice(id, "已整改，并建立每日检查。"); err != nil {
			t.Fatal(err)
		}
		c.receive(hq, Imported, c.send(st.admin, "")...)
	}
	a, b, b2, d, e := issue("st1"), issue("st2"), issue("st2"), issue("st3"), issue("st3")
	_ = e // never answered
	on(5)
	answer(1, b)
	answer(1, b2)
	on(6)
	mustNotice(t)(hq.CloseNotice(b))
	on(7)
	mustNotice(t)(hq.ReopenNotice(b, "仍有账号未更新", "2026-10-20"))
	mustNotice(t)(hq.ReopenNotice(b2, "答复不够具体", "2026-10-20"))
	on(8)
	answer(0, a)
	on(9)
	answer(2, d)
	on(12)
	if n := mustNotice(t)(hq.CloseNotice(a)); !n.ClosedLate() {
		t.Fatalf("st1's notice closed on Oct 12 is not closed late: %+v", n)
	}
	on(15)
	answer(1, b2)
	on(21)
	answer(1, b)
	on(22)
	mustNotice(t)(hq.CloseNotice(b))
	on(25)
	mustNotice(t)(hq.CloseNotice(b2))

	now = time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	as, err := hq.Compute("2026-10")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{"st1": {1, 0}, "st2": {2, 1}, "st3": {2, 1}} // notices, late
	for _, u := range as.Units {
		if got := [2]float64{u.Values[IndNotices], u.Values[IndLateNotices]}; got != want[u.Unit] {
			t.Errorf("%s: notices and late notices %v, want %v", u.Unit, got, want[u.Unit])
		}
	}
}

// TestTrainingHoursActiveOfficers: an officer who has left counts on
// neither side of 人均培训学时: one active and one departed officer at a
// 10-hour training make 10 hours per officer, not 20.
func TestTrainingHoursActiveOfficers(t *testing.T) {
	c := newCounty(t, 1)
	hqWrite(t, c.hq, func(w *hqWriter) {
		for _, o := range []data.Officer{
			{ID: "o-on", OwnerUnit: "st1", Name: "在岗民警", PoliceNo: "100001", Department: "宣传", Active: true, Version: 1},
			{ID: "o-left", OwnerUnit: "st1", Name: "离岗民警", PoliceNo: "100002", Department: "宣传", Active: false, Version: 1},
		} {
			w.check(data.SaveOfficer(w.tx, o))
		}
		w.training("st1", "2026-10-12", 600, "o-on", "o-left")
	})
	a, err := c.hq.Compute("2026-10")
	if err != nil {
		t.Fatal(err)
	}
	wantNear(t, "st1 training hours", a.Units[0].Values[IndTrainingHours], 10)
}

// TestPublishAgainWithdrawsUnitNoLongerAssessed: October is published with
// three stations; st1 is revoked and October published again. st1's result
// is withdrawn (rank 0, one version more), so neither the published list
// nor HQ's home shows its old rank out of 3 beside the new ones out of 2.
func TestPublishAgainWithdrawsUnitNoLongerAssessed(t *testing.T) {
	c, _ := smallCounty(t)
	hq := c.hq
	if _, err := hq.PublishResults("2026-10"); err != nil {
		t.Fatal(err)
	}
	if err := hq.RevokeUnit("st1"); err != nil {
		t.Fatal(err)
	}
	a, err := hq.PublishResults("2026-10")
	if err != nil || len(a.Units) != 2 {
		t.Fatalf("published again: %d units, %v", len(a.Units), err)
	}
	published, err := hq.PublishedResults("2026-10")
	if err != nil || len(published) != 2 {
		t.Fatalf("published list %+v %v", published, err)
	}
	for _, r := range published {
		if r.Unit == "st1" || r.Units != 2 || r.Version != 2 {
			t.Errorf("published %s: rank %d of %d, version %d", r.Unit, r.Rank, r.Units, r.Version)
		}
	}
	h, err := hq.HQHome()
	if err != nil || h.Period != "2026-10" || len(h.Ranking) != 2 {
		t.Fatalf("HQ home ranking of %s: %+v %v", h.Period, h.Ranking, err)
	}
	for _, r := range h.Ranking {
		if r.UnitName == "派出所st1" || r.Units != 2 {
			t.Errorf("HQ home ranks %s %d of %d", r.UnitName, r.Rank, r.Units)
		}
	}
	row, err := data.AssessmentResultOf(hq.store.Reader(), "st1", "2026-10")
	if err != nil || row.Rank != 0 || row.Score != 0 || row.Units != 2 || row.Version != 2 {
		t.Errorf("st1's result after publishing again: %+v %v", row, err)
	}
	if n, err := data.CountAudit(hq.store.Reader(), "2026-10", "assessment.publish"); err != nil || n != 2 {
		t.Errorf("%d publications audited: %v", n, err)
	}
}

// TestAssessmentBeijingDayBoundaries runs the assessment in the county's
// zone, UTC+8, as its machines do (time.Local, and the clock in it; so not
// in parallel), where 00:00–08:00 local is the day before in UTC:
//
//   - posts at 00:30 on Oct 1 and 00:20 on Nov 1 count in October and in
//     November; the first makes the account's October zombie days Oct 15
//     to 19 (it posts again on Oct 20): 5, not 6;
//   - a message due Oct 12 closed at 00:10 on Oct 12 is on time, one
//     closed at 00:10 on Oct 13 late: 50% on time;
//   - a notice due Oct 10 answered at 00:30 on Oct 11 is late, one
//     answered at 07:50 on Oct 10 is not.
func TestAssessmentBeijingDayBoundaries(t *testing.T) {
	local := time.Local
	time.Local = time.FixedZone("CST", 8*3600)
	t.Cleanup(func() { time.Local = local })
	c := newCounty(t, 1)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	c.setClock(&now)
	at := func(month time.Month, day, hour, minute int) time.Time {
		return time.Date(2026, month, day, hour, minute, 0, 0, time.Local)
	}
	hqWrite(t, c.hq, func(w *hqWriter) {
		w.user("st1")
		w.account("st1", "acc1", "2026-01-10", string(FilingVerified))
		w.post("st1", "acc1", at(10, 1, 0, 30)) // Sep 30 16:30 UTC
		w.post("st1", "acc1", at(10, 20, 12, 0))
		w.post("st1", "acc1", at(11, 1, 0, 20)) // Oct 31 16:20 UTC
		w.message("st1", at(10, 5, 10, 0), "2026-10-12", at(10, 12, 0, 10))
		w.message("st1", at(10, 5, 10, 0), "2026-10-12", at(10, 13, 0, 10)) // Oct 12 16:10 UTC
		w.notice("st1", at(10, 3, 9, 0), "2026-10-10", at(10, 10, 7, 50), at(10, 12, 9, 0))
		w.notice("st1", at(10, 3, 9, 0), "2026-10-10", at(10, 11, 0, 30), at(10, 12, 9, 0)) // Oct 10 16:30 UTC
	})
	for _, w := range []struct {
		period string
		want   map[Indicator]float64
	}{
		{"2026-09", map[Indicator]float64{IndOriginalPosts: 0}},
		{"2026-10", map[Indicator]float64{IndOriginalPosts: 2, IndZombieDays: 5, IndReplies: 2, IndOnTimeShare: 50,
			IndNotices: 2, IndLateNotices: 1}},
		{"2026-11", map[Indicator]float64{IndOriginalPosts: 1}},
	} {
		a, err := c.hq.Compute(w.period)
		if err != nil {
			t.Fatal(err)
		}
		if _, off := a.Period.Start.Zone(); off != 8*3600 || a.Period.Start.Day() != 1 || a.Period.Start.Hour() != 0 {
			t.Fatalf("%s starts %v", w.period, a.Period.Start)
		}
		for ind, v := range w.want {
			wantNear(t, w.period+" "+string(ind), a.Units[0].Values[ind], v)
		}
	}
}

// TestRatedIndicators: HQ rates each station month by month on 网络舆论引导
// and 协作联动 (Art. 28); a period's value is the mean of its months'
// ratings, and a scheme that weighs them scores them.
func TestRatedIndicators(t *testing.T) {
	c := newCounty(t, 2)
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.Local)
	c.setClock(&now)
	for _, r := range []struct {
		unit, month string
		ind         Indicator
		rating      int
	}{
		{"st1", "2026-10", IndOpinionGuidance, 4}, {"st1", "2026-11", IndOpinionGuidance, 5},
		{"st1", "2026-10", IndCollaboration, 3}, {"st2", "2026-11", IndOpinionGuidance, 2},
		{"st2", "2026-11", IndOpinionGuidance, 3}, // rated again: replaces
	} {
		if err := c.hq.RateUnit(r.unit, r.month, r.ind, r.rating, "专项行动中引导有力"); err != nil {
			t.Fatal(err)
		}
	}
	for what, err := range map[string]error{
		"indicator": c.hq.RateUnit("st1", "2026-11", IndReplies, 3, ""),
		"month":     c.hq.RateUnit("st1", "2026-Q4", IndCollaboration, 3, ""),
		"future":    c.hq.RateUnit("st1", "2027-01", IndCollaboration, 3, ""),
		"rating":    c.hq.RateUnit("st1", "2026-11", IndCollaboration, 6, ""),
		"unit":      c.hq.RateUnit("st9", "2026-11", IndCollaboration, 3, ""),
		"note":      c.hq.RateUnit("st1", "2026-11", IndCollaboration, 3, "\x00"),
		"a station": c.stations[0].admin.RateUnit("st1", "2026-11", IndCollaboration, 3, ""),
	} {
		if err == nil {
			t.Errorf("%s: accepted", what)
		}
	}
	rows, err := c.hq.UnitRatings("2026-11")
	if err != nil || len(rows) != 2 || rows[0].Ratings[IndOpinionGuidance] != 5 || rows[1].Ratings[IndOpinionGuidance] != 3 ||
		rows[0].Ratings[IndCollaboration] != 0 || rows[0].Notes[IndOpinionGuidance] != "专项行动中引导有力" {
		t.Fatalf("ratings of 2026-11: %+v %v", rows, err)
	}

	def := DefaultScheme()
	def.Indicators[0].Weight -= 10 // 原创稿件 12 → 2
	def.Indicators = append(def.Indicators, IndicatorRule{Indicator: IndOpinionGuidance, Weight: 5, Rule: RuleTarget, Target: 5},
		IndicatorRule{Indicator: IndCollaboration, Weight: 5, Rule: RuleTarget, Target: 5})
	draft, err := c.hq.SaveSchemeDraft(def, "加入舆论引导、协作联动")
	if err == nil {
		_, err = c.hq.ActivateScheme(draft.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.hq.Compute("2026-Q4")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range a.Units {
		want := map[string][4]float64{ // guidance value, points, collaboration value, points
			"st1": {4.5, 4.5, 3, 3},
			"st2": {3, 3, 0, 0},
		}[u.Unit]
		wantNear(t, u.Unit+" guidance", u.Values[IndOpinionGuidance], want[0])
		wantNear(t, u.Unit+" guidance points", u.Points[IndOpinionGuidance], want[1])
		wantNear(t, u.Unit+" collaboration", u.Values[IndCollaboration], want[2])
		wantNear(t, u.Unit+" collaboration points", u.Points[IndCollaboration], want[3])
	}
}

// TestLateNoticeReopenedWithStationClockAhead: with the station's clock
// two days fast, the answer the reopening asks to redo does not count as
// answering it, whether the notice is still open or closed again: late
// either way.
func TestLateNoticeReopenedWithStationClockAhead(t *testing.T) {
	c := newCounty(t, 1)
	now := oct(3, 9, 0)
	c.setClock(&now)
	st := c.stations[0]
	fast := withClock(st.officer, func() time.Time { return now.Add(48 * time.Hour) })
	f := goodNotice()
	f.DueOn = "2026-10-10"
	id := mustNotice(t)(c.hq.IssueNotice(f)).ID
	answer := func() {
		c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
		if _, err := fast.AnswerNotice(id, "已整改"); err != nil {
			t.Fatal(err)
		}
		c.receive(c.hq, Imported, c.send(st.admin, "")...)
	}
	now = oct(5, 9, 0)
	answer() // dated Oct 7
	now = oct(6, 9, 0)
	mustNotice(t)(c.hq.ReopenNotice(id, "答复不够具体", "2026-10-12"))
	now = oct(14, 9, 0)
	answer() // dated Oct 16, after the new deadline
	late := func(when string) {
		t.Helper()
		saved := now
		now = time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
		defer func() { now = saved }()
		a, err := c.hq.Compute("2026-10")
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Units[0].Values[IndLateNotices]; got != 1 {
			t.Errorf("%s: %v late notices, want 1", when, got)
		}
	}
	late("reopened")
	now = oct(15, 9, 0)
	mustNotice(t)(c.hq.CloseNotice(id))
	late("closed again")
}
