package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	"mediadesk/data"
)

// calendarNow is the clock of the campaign tests: Wednesday 2026-11-25, 09:00.
var calendarNow = time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)

// calendarStation is a station whose sessions all read the clock *now.
func calendarStation(t *testing.T, now *time.Time) station {
	st := newStation(t)
	for _, s := range []*Session{st.admin, st.officer, st.leader} {
		s.cfg.Now = func() time.Time { return *now }
	}
	return st
}

func calDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.Local) }

func wantCampaignField(t *testing.T, what string, err error, field string) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != field {
		t.Errorf("%s: got %v, want a message at %q", what, err, field)
	}
}

// auditOf lists the audit actions on target, newest first.
func auditOf(t *testing.T, s *Session, target string) []string {
	t.Helper()
	entries, err := s.Audit(AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Target == target {
			out = append(out, e.Action)
		}
	}
	return out
}

func winterCampaign() CampaignForm {
	return CampaignForm{Title: "冬季防火宣传月", Kind: PublicityCampaign, StartsOn: calDay(2026, 11, 20), EndsOn: calDay(2026, 11, 27),
		Description: "进社区、进校园宣传防火知识"}
}

func TestCampaignFormValidation(t *testing.T) {
	now := calendarNow
	st := calendarStation(t, &now)
	long := strings.Repeat("字", maxCampaignDetails+1)
	for field, change := range map[string]func(*CampaignForm){
		"title":       func(f *CampaignForm) { f.Title = "  " },
		"kind":        func(f *CampaignForm) { f.Kind = "party" },
		"starts_on":   func(f *CampaignForm) { f.StartsOn = time.Time{} },
		"ends_on":     func(f *CampaignForm) { f.EndsOn = calDay(2026, 11, 19) },
		"description": func(f *CampaignForm) { f.Description = long },
	} {
		f := winterCampaign()
		change(&f)
		_, err := st.officer.SaveCampaign(f)
		wantCampaignField(t, field, err, field)
	}
	f := winterCampaign()
	for _, bad := range []string{"进社区\x00", "进社区\x1b[31m", "进社区\x07", "进社\u0085区"} {
		f.Description = bad
		_, err := st.officer.SaveCampaign(f)
		wantCampaignField(t, "control character", err, "description")
	}
	f = winterCampaign()
	f.EndsOn = time.Time{}
	_, err := st.officer.SaveCampaign(f)
	wantCampaignField(t, "no end", err, "ends_on")
	f.StartsOn, f.EndsOn = calDay(1999, 12, 31), calDay(2000, 1, 2)
	_, err = st.officer.SaveCampaign(f)
	wantCampaignField(t, "year", err, "starts_on")
	f.StartsOn, f.EndsOn = calDay(2026, 1, 1), calDay(2027, 1, 2)
	_, err = st.officer.SaveCampaign(f)
	wantCampaignField(t, "too long", err, "ends_on")
	if got, _ := st.officer.Campaigns(calDay(2000, 1, 1), calDay(2100, 1, 1)); len(got) != 0 {
		t.Fatalf("refused forms saved %d campaigns", len(got))
	}

	// One day is a campaign; the same day may end it.
	f = winterCampaign()
	f.EndsOn = f.StartsOn.Add(15 * time.Hour)
	if _, err := st.officer.SaveCampaign(f); err != nil {
		t.Fatalf("one-day campaign: %v", err)
	}
	// The description counts without the spaces around it; line breaks
	// and tabs are text.
	f = winterCampaign()
	f.Description = "进社区\r\n进校园\t宣传"
	if _, err := st.officer.SaveCampaign(f); err != nil {
		t.Fatalf("line breaks and tabs: %v", err)
	}
	f = winterCampaign()
	f.Description = "  " + strings.Repeat("字", maxCampaignDetails) + "\n"
	if c, err := st.officer.SaveCampaign(f); err != nil || c.Description != strings.Repeat("字", maxCampaignDetails) {
		t.Fatalf("a full description with spaces around it: %q %v", c.Description, err)
	}
}

func TestSaveCampaign(t *testing.T) {
	now := calendarNow
	st := calendarStation(t, &now)
	c, err := st.officer.SaveCampaign(winterCampaign())
	if err != nil {
		t.Fatal(err)
	}
	if c.StartsOn != "2026-11-20" || c.EndsOn != "2026-11-27" || c.Version != 1 || c.Kind != PublicityCampaign {
		t.Fatalf("saved %+v", c)
	}
	other := winterCampaign()
	other.Title, other.Kind, other.StartsOn, other.EndsOn = "网上警民恳谈", InteractionActivity, calDay(2026, 12, 3), calDay(2026, 12, 3)
	if _, err := st.leader.SaveCampaign(other); err != nil {
		t.Fatal(err)
	}

	// The creator and a shift leader may change it; another officer may not.
	edit := winterCampaign()
	edit.ID, edit.Title = c.ID, "冬季防火宣传月（延长）"
	edit.EndsOn = calDay(2026, 11, 30)
	if c, err = st.officer.SaveCampaign(edit); err != nil || c.Version != 2 || c.EndsOn != "2026-11-30" {
		t.Fatalf("creator edits: %+v %v", c, err)
	}
	if _, err := st.leader.SaveCampaign(edit); err != nil {
		t.Fatalf("leader edits: %v", err)
	}
	zhao := extraOfficer(t, st, "zhao")
	if _, err := zhao.SaveCampaign(edit); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("another officer edits: %v", err)
	}
	if got := auditOf(t, st.admin, c.ID); len(got) != 3 || got[0] != "campaign.edit" || got[2] != "campaign.create" {
		t.Fatalf("audit %v", got)
	}

	// Overlap: a range that touches a campaign's first or last day finds it.
	for _, r := range []struct {
		from, to time.Time
		want     int
	}{
		{calDay(2026, 11, 1), calDay(2026, 11, 19), 0},
		{calDay(2026, 11, 1), calDay(2026, 11, 20), 1},
		{calDay(2026, 11, 30), calDay(2026, 12, 2), 1},
		{calDay(2026, 11, 30), calDay(2026, 12, 31), 2},
		{calDay(2026, 12, 4), calDay(2026, 12, 31), 0},
	} {
		if got, err := st.officer.Campaigns(r.from, r.to); err != nil || len(got) != r.want {
			t.Errorf("%s..%s: %d campaigns (%v), want %d", dayKey(r.from), dayKey(r.to), len(got), err, r.want)
		}
	}
	open, err := st.officer.OpenCampaigns()
	if err != nil || len(open) != 2 {
		t.Fatalf("open campaigns: %d %v", len(open), err)
	}
	now = time.Date(2026, 12, 1, 8, 0, 0, 0, time.Local)
	if open, _ = st.officer.OpenCampaigns(); len(open) != 1 || open[0].Title != "网上警民恳谈" {
		t.Fatalf("after the first ended: %+v", open)
	}
}

// extraOfficer adds an officer called name and returns their session.
func extraOfficer(t *testing.T, st station, name string) *Session {
	t.Helper()
	if _, err := st.admin.AddUser(NewUser{Name: name, DisplayName: name, Role: Officer, Password: "officer-pass"}); err != nil {
		t.Fatal(err)
	}
	u, err := data.UserByName(st.admin.store.Reader(), name)
	if err != nil {
		t.Fatal(err)
	}
	return &Session{cfg: st.officer.cfg, store: st.admin.store, unit: st.admin.unit, user: userFrom(u)}
}

// publishDirectly records that post id went out at at, as Publish does.
func publishDirectly(t *testing.T, s *Session, id string, at time.Time) {
	t.Helper()
	err := s.store.Write(func(tx *data.Tx) error {
		p, err := data.PostByID(tx, id)
		if err != nil {
			return err
		}
		p.Status, p.PublishedAt, p.PublishedOn, p.PublishedURL, p.PublishedBy = string(Published), at.UnixMilli(), "weibo", "https://weibo.example/1", "x"
		p.Version++
		return data.SavePost(tx, p)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDraftPlan(t *testing.T) {
	now := calendarNow
	st := calendarStation(t, &now)
	c, err := st.leader.SaveCampaign(winterCampaign())
	if err != nil {
		t.Fatal(err)
	}

	d := plainDraft()
	d.PlannedAt = now.Add(-time.Hour)
	_, err = st.officer.SaveDraft(d)
	wantCampaignField(t, "planned in the past", err, "planned_at")
	d.PlannedAt = now.AddDate(2, 0, 0)
	_, err = st.officer.SaveDraft(d)
	wantCampaignField(t, "planned two years ahead", err, "planned_at")
	d.PlannedAt, d.CampaignID = now.Add(25*time.Hour+30*time.Second), "no-such-campaign"
	_, err = st.officer.SaveDraft(d)
	wantCampaignField(t, "unknown campaign", err, "campaign")
	if n, _ := st.officer.CountPosts(PostQuery{}); n != 0 {
		t.Fatalf("a refused draft was saved: %d posts", n)
	}

	d.CampaignID = c.ID
	p := mustPost(t)(st.officer.SaveDraft(d))
	want := time.Date(2026, 11, 26, 10, 0, 0, 0, time.Local)
	if !p.PlannedAt.Equal(want) || p.CampaignID != c.ID {
		t.Fatalf("plan %v %q, want %v %q", p.PlannedAt, p.CampaignID, want, c.ID)
	}
	hash := p.ContentHash

	// Under review, a change of plan alone keeps the status and the hash.
	p = mustPost(t)(st.officer.Submit(p.ID))
	d = p.PostDraft
	d.PlannedAt, d.CampaignID = want.Add(24*time.Hour), ""
	p = mustPost(t)(st.officer.SaveDraft(d))
	if p.Status != Submitted || p.ContentHash != hash || p.CampaignID != "" || !p.PlannedAt.Equal(want.Add(24*time.Hour)) {
		t.Fatalf("re-planned: status %s, hash changed %v, %q %v", p.Status, p.ContentHash != hash, p.CampaignID, p.PlannedAt)
	}
	if got := auditOf(t, st.admin, p.ID); len(got) < 2 || got[0] != "post.plan" {
		t.Fatalf("audit %v", got)
	}
	// Saving again with nothing changed writes nothing.
	before, _ := data.PostByID(st.officer.store.Reader(), p.ID)
	mustPost(t)(st.officer.SaveDraft(d))
	if again, _ := data.PostByID(st.officer.store.Reader(), p.ID); again.Version != before.Version {
		t.Fatalf("an unchanged save was written: version %d to %d", before.Version, again.Version)
	}

	// Once the planned time has passed, keeping it is allowed; a new past one is not.
	now = want.Add(48 * time.Hour)
	d.Body += "补充一句。"
	p = mustPost(t)(st.officer.SaveDraft(d))
	if p.Status != Draft || !p.PlannedAt.Equal(want.Add(24*time.Hour)) {
		t.Fatalf("content edit: %s %v", p.Status, p.PlannedAt)
	}
	d.PlannedAt = want
	_, err = st.officer.SaveDraft(d)
	wantCampaignField(t, "moved into the past", err, "planned_at")
	d.PlannedAt = time.Time{}
	if p = mustPost(t)(st.officer.SaveDraft(d)); !p.PlannedAt.IsZero() {
		t.Fatalf("plan not cleared: %v", p.PlannedAt)
	}
}

func mustPostDetail(t *testing.T) func(PostDetail, error) PostDetail {
	return func(d PostDetail, err error) PostDetail {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
}

func TestLinkPost(t *testing.T) {
	now := calendarNow
	st := calendarStation(t, &now)
	c, err := st.officer.SaveCampaign(winterCampaign())
	if err != nil {
		t.Fatal(err)
	}
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	if err := st.officer.LinkPost(p.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	detail, err := st.officer.Campaign(c.ID)
	if err != nil || len(detail.Posts) != 1 || detail.Posts[0].ID != p.ID || !detail.CanEdit {
		t.Fatalf("campaign detail %+v %v", detail, err)
	}
	after := mustPostDetail(t)(st.officer.Post(p.ID)).Post
	if after.ContentHash != p.ContentHash || after.Status != Draft || after.CampaignID != c.ID {
		t.Fatalf("linking changed the post: %+v", after)
	}

	// Another officer may neither link nor unlink it; a shift leader may.
	zhao := extraOfficer(t, st, "zhao")
	if err := zhao.UnlinkPost(p.ID); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("another officer unlinks: %v", err)
	}
	if d, _ := zhao.Campaign(c.ID); d.CanEdit {
		t.Error("another officer may edit the campaign")
	}
	if err := st.leader.UnlinkPost(p.ID); err != nil {
		t.Fatal(err)
	}
	if d, _ := st.officer.Campaign(c.ID); len(d.Posts) != 0 {
		t.Fatalf("unlinked post still listed: %+v", d.Posts)
	}
	wantCampaignField(t, "unknown campaign", st.officer.LinkPost(p.ID, "nope"), "campaign")
	wantCampaignField(t, "no campaign", st.officer.LinkPost(p.ID, ""), "campaign")
	if _, err := st.officer.Campaign("nope"); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("unknown campaign: %v", err)
	}

	// A published post can still be linked: what went out counts towards the campaign.
	publishDirectly(t, st.officer, p.ID, now.Add(-time.Hour))
	if err := st.officer.LinkPost(p.ID, c.ID); err != nil {
		t.Fatalf("link a published post: %v", err)
	}
	if got := auditOf(t, st.admin, p.ID); len(got) != 3 || got[0] != "post.campaign" || got[1] != "post.campaign" {
		t.Fatalf("audit %v", got)
	}
	// Linking it again changes nothing.
	if err := st.officer.LinkPost(p.ID, c.ID); err != nil || len(auditOf(t, st.admin, p.ID)) != 3 {
		t.Fatalf("linking again: %v", err)
	}
}

func TestCalendarItems(t *testing.T) {
	now := calendarNow
	st := calendarStation(t, &now)
	c, err := st.officer.SaveCampaign(winterCampaign()) // 11-20 to 11-27
	if err != nil {
		t.Fatal(err)
	}
	talk := CampaignForm{Title: "网上警民恳谈", Kind: InteractionActivity, StartsOn: calDay(2026, 11, 26), EndsOn: calDay(2026, 11, 26)}
	if _, err := st.officer.SaveCampaign(talk); err != nil {
		t.Fatal(err)
	}
	planned := plainDraft()
	planned.Title, planned.CampaignID, planned.PlannedAt = "防火提示（计划）", c.ID, time.Date(2026, 11, 26, 10, 0, 0, 0, time.Local)
	a := mustPost(t)(st.officer.SaveDraft(planned))
	published := plainDraft()
	published.Title = "已发布稿"
	published.PlannedAt = time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local) // planned later, went out early
	b := mustPost(t)(st.officer.SaveDraft(published))
	publishDirectly(t, st.officer, b.ID, time.Date(2026, 11, 24, 23, 59, 0, 0, time.Local))
	both := plainDraft() // planned and published the same day: listed once, as published
	both.Title, both.PlannedAt = "当日稿", time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	publishDirectly(t, st.officer, mustPost(t)(st.officer.SaveDraft(both)).ID, time.Date(2026, 11, 25, 9, 30, 0, 0, time.Local))
	later := plainDraft()
	later.Title, later.PlannedAt = "下月稿", time.Date(2026, 12, 1, 0, 0, 0, 0, time.Local)
	mustPost(t)(st.officer.SaveDraft(later))
	mustPost(t)(st.officer.SaveDraft(plainDraft())) // not planned: not on the calendar

	days, err := st.officer.CalendarItems(calDay(2026, 11, 23), time.Date(2026, 11, 29, 18, 0, 0, 0, time.Local))
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 7 || dayKey(days[0].Date) != "2026-11-23" || dayKey(days[6].Date) != "2026-11-29" {
		t.Fatalf("%d days from %v", len(days), days[0].Date)
	}
	got := map[string][]string{}
	for _, d := range days {
		for _, it := range d.Items {
			got[dayKey(d.Date)] = append(got[dayKey(d.Date)], string(it.Kind)+":"+it.Title)
		}
	}
	want := map[string][]string{
		"2026-11-23": {"campaign:冬季防火宣传月"},
		"2026-11-24": {"campaign:冬季防火宣传月", "published:已发布稿"},
		"2026-11-25": {"campaign:冬季防火宣传月", "published:当日稿"},
		"2026-11-26": {"campaign:冬季防火宣传月", "campaign:网上警民恳谈", "planned:防火提示（计划）"},
		"2026-11-27": {"campaign:冬季防火宣传月"},
	}
	if len(got) != len(want) {
		t.Errorf("days with items: %v", got)
	}
	for k, w := range want {
		if strings.Join(got[k], "|") != strings.Join(w, "|") {
			t.Errorf("%s: %v, want %v", k, got[k], w)
		}
	}
	it := days[3].Items[2]
	if it.ID != a.ID || it.CampaignID != c.ID || it.Status != Draft || it.At.Hour() != 10 {
		t.Errorf("planned item %+v", it)
	}
	if camp := days[3].Items[0]; camp.StartsOn != "2026-11-20" || camp.EndsOn != "2026-11-27" || camp.CampaignKind != PublicityCampaign {
		t.Errorf("campaign item %+v", camp)
	}

	// The month grid of December: the post planned at midnight of the 1st.
	days, err = st.officer.CalendarItems(calDay(2026, 11, 30), calDay(2027, 1, 10))
	if err != nil || len(days) != 42 || len(days[1].Items) != 1 || days[1].Items[0].Title != "下月稿" || len(days[0].Items) != 0 {
		t.Fatalf("December: %d days, %v", len(days), err)
	}
	for _, r := range [][2]time.Time{{calDay(2026, 11, 2), calDay(2026, 11, 1)}, {calDay(2026, 1, 1), calDay(2026, 12, 31)}} {
		if _, err := st.officer.CalendarItems(r[0], r[1]); !errors.Is(err, ErrCalendarRange) {
			t.Errorf("%v..%v: %v", r[0], r[1], err)
		}
	}
}
