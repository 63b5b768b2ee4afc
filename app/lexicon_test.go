package app

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"mediadesk/app/checker"
	"mediadesk/data"
)

// hqStaffSession adds a publicity-section staff member (not an admin) to
// HQ and returns their session.
func hqStaffSession(t *testing.T, hq *Session) *Session {
	t.Helper()
	if _, err := hq.AddUser(NewUser{Name: "zhou", DisplayName: "周干事", Role: HQStaff, Password: "hq-staff-pass1"}); err != nil {
		t.Fatal(err)
	}
	u, err := data.UserByName(hq.store.Reader(), "zhou")
	if err != nil {
		t.Fatal(err)
	}
	return &Session{cfg: hq.cfg, store: hq.store, unit: hq.unit, user: userFrom(u)}
}

// wantField fails unless err is a FieldError of field.
func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != field {
		t.Errorf("%s: got %v, want an error at %q", what, err, field)
	}
}

func TestLexiconSeededOnceFromBuiltin(t *testing.T) {
	hq := setupHQ(t)
	terms, err := hq.LexiconTerms("", false)
	if err != nil {
		t.Fatal(err)
	}
	builtin := checker.Builtin().Terms()
	if len(terms) != len(builtin) {
		t.Fatalf("seeded %d terms, the built-in lexicon has %d", len(terms), len(builtin))
	}
	// Regulation order: the first term is an Art. 18(1) one.
	if terms[0].Category != "art18.1" {
		t.Errorf("first term is in %s", terms[0].Category)
	}
	if err := hq.RetireTerm(terms[0].ID); err != nil {
		t.Fatal(err)
	}
	again, _ := hq.LexiconTerms("", false)
	if len(again) != len(builtin)-1 {
		t.Errorf("after retiring one: %d active terms, want %d (no second seeding)", len(again), len(builtin)-1)
	}
	all, _ := hq.LexiconTerms("", true)
	if len(all) != len(builtin) {
		t.Errorf("with retired: %d", len(all))
	}
	found, _ := hq.LexiconTerms("涉密", false)
	if len(found) == 0 || !slices.ContainsFunc(found, func(t LexiconTerm) bool { return t.Term == "涉密" }) {
		t.Errorf("search 涉密 found %v", found)
	}

	// Stations have no working list.
	st, _, _ := setupStation(t)
	if _, err := st.LexiconTerms("", false); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a station read the working list: %v", err)
	}
	if _, err := st.PublishLexicon("x"); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a station published: %v", err)
	}
}

func TestSaveTermValidationAndVersions(t *testing.T) {
	hq := setupHQ(t)
	for _, c := range []struct {
		name  string
		form  TermForm
		field string
	}{
		{"empty", TermForm{Term: "  ", Category: "art18.2", Action: checker.Block}, "term"},
		{"only punctuation", TermForm{Term: "，。！", Category: "art18.2", Action: checker.Block}, "term"},
		{"too long", TermForm{Term: strings.Repeat("长", 51), Category: "art18.2", Action: checker.Block}, "term"},
		{"tab inside", TermForm{Term: "夜巡\t路线", Category: "art18.2", Action: checker.Block}, "term"},
		{"unknown category", TermForm{Term: "夜巡路线", Category: "art99", Action: checker.Block}, "category"},
		{"unknown action", TermForm{Term: "夜巡路线", Category: "art18.2", Action: "block"}, "action"},
		{"duplicate of a built-in term", TermForm{Term: "涉 密", Category: "art18.2", Action: checker.Block}, "term"},
		{"duplicate, traditional", TermForm{Term: "國家秘密", Category: "art18.2", Action: checker.Block}, "term"},
		{"long note", TermForm{Term: "夜巡路线", Category: "art18.2", Action: checker.Warn, Note: strings.Repeat("注", 201)}, "note"},
	} {
		_, err := hq.SaveTerm(c.form)
		wantField(t, c.name, err, c.field)
	}
	term, err := hq.SaveTerm(TermForm{Term: " 夜巡路线 ", Category: "art18.2", Action: checker.Warn, Note: "勤务部署"})
	if err != nil {
		t.Fatal(err)
	}
	if term.Term != "夜巡路线" || term.Version != 1 || term.Retired {
		t.Fatalf("saved %+v", term)
	}
	edited, err := hq.SaveTerm(TermForm{ID: term.ID, Term: "夜间巡逻路线", Category: "art18.2", Action: checker.NeedsApproval})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Version != 2 || edited.UpdatedAt <= term.UpdatedAt || edited.Action != string(checker.NeedsApproval) {
		t.Errorf("edit: %+v", edited)
	}
	same, err := hq.SaveTerm(TermForm{ID: term.ID, Term: "夜间巡逻路线", Category: "art18.2", Action: checker.NeedsApproval})
	if err != nil || same.Version != 2 {
		t.Errorf("saving without a change bumped the version: %+v %v", same, err)
	}
	// A term may keep its own text; another active term may not take it.
	other, _ := hq.SaveTerm(TermForm{Term: "卡口位置", Category: "art18.2", Action: checker.Warn})
	_, err = hq.SaveTerm(TermForm{ID: other.ID, Term: "夜间巡逻路线", Category: "art18.2", Action: checker.Warn})
	wantField(t, "edit into a duplicate", err, "term")

	if err := hq.RetireTerm(term.ID); err != nil {
		t.Fatal(err)
	}
	retired, _ := data.LexiconTermByID(hq.store.Reader(), term.ID)
	if !retired.Retired || retired.Version != 3 {
		t.Errorf("retired: %+v", retired)
	}
	if err := hq.RetireTerm(term.ID); !errors.Is(err, ErrTermRetired) {
		t.Errorf("retired twice: %v", err)
	}
	if _, err := hq.SaveTerm(TermForm{ID: term.ID, Term: "夜间巡逻路线", Category: "art18.2", Action: checker.Warn}); !errors.Is(err, ErrTermRetired) {
		t.Errorf("edited a retired term: %v", err)
	}
	// A retired term's text is free again.
	if _, err := hq.SaveTerm(TermForm{Term: "夜间巡逻路线", Category: "art18.2", Action: checker.Warn}); err != nil {
		t.Errorf("re-adding a retired term: %v", err)
	}
}

func TestPublishLexiconVersions(t *testing.T) {
	hq := setupHQ(t)
	staff := hqStaffSession(t, hq)
	if got := hq.Lexicon().Version(); got != "builtin-1" {
		t.Fatalf("before publishing HQ screens with %s", got)
	}
	_, err := hq.PublishLexicon("  ")
	wantField(t, "publish without a note", err, "note")

	v1, err := hq.PublishLexicon("首版：内置词库")
	if err != nil {
		t.Fatal(err)
	}
	if v1.Number != 1 || v1.TermCount != int64(len(checker.Builtin().Terms())) || v1.OwnerUnit != hq.Unit().ID {
		t.Fatalf("v1 %+v", v1)
	}
	if _, err := hq.PublishLexicon("再发一次"); !errors.Is(err, ErrLexiconUnchanged) {
		t.Fatalf("publishing without a change: %v", err)
	}
	lex := hq.Lexicon()
	if lex.Version() != "hq-1" {
		t.Fatalf("HQ screens with %s after publishing v1", lex.Version())
	}
	// Built-in allow contexts survive: 反恐演练 is fine, 反恐 alone is not.
	var rules []string
	for _, f := range lex.Check("组织涉密人员保密教育") {
		rules = append(rules, f.Rule)
	}
	if slices.Contains(rules, "b18.2-01") {
		t.Errorf("the allow context of 涉密 was lost: %v", rules)
	}
	if fs := lex.Check("这是涉密材料"); len(fs) == 0 || fs[0].LexiconVersion != "hq-1" {
		t.Errorf("涉密 findings %+v", fs)
	}

	// Staff (not only the admin) maintain the lexicon; an edit, then its
	// undoing, is no change.
	added, err := staff.SaveTerm(TermForm{Term: "夜巡路线", Category: "art18.2", Action: checker.Warn})
	if err != nil {
		t.Fatal(err)
	}
	state, err := hq.LexiconState()
	if err != nil || !state.Unpublished || state.InUse.Version != "hq-1" || len(state.History) != 1 {
		t.Fatalf("state after an edit %+v %v", state, err)
	}
	if err := staff.RetireTerm(added.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := staff.PublishLexicon("撤回"); !errors.Is(err, ErrLexiconUnchanged) {
		t.Errorf("add then retire is no change: %v", err)
	}
	if _, err := staff.SaveTerm(TermForm{Term: "卡口位置", Category: "art18.2", Action: checker.NeedsApproval}); err != nil {
		t.Fatal(err)
	}
	v2, err := staff.PublishLexicon("新增卡口位置")
	if err != nil {
		t.Fatal(err)
	}
	if v2.Number != 2 || v2.TermCount != v1.TermCount+1 {
		t.Fatalf("v2 %+v", v2)
	}
	fs := hq.CheckText("今晚卡口位置调整")
	if len(fs) != 1 || fs[0].LexiconVersion != "hq-2" || fs[0].Action != checker.NeedsApproval {
		t.Errorf("findings with v2: %+v", fs)
	}
	state, _ = hq.LexiconState()
	if state.Unpublished || len(state.History) != 2 || state.History[0].Number != 2 || state.ActiveTerms != int(v2.TermCount) {
		t.Errorf("state after v2: %+v", state)
	}
	if by := state.People.Name(state.History[0].CreatedBy); by != "周干事" {
		t.Errorf("v2 published by %q, want 周干事", by)
	}
	entries, _ := hq.Audit(AuditQuery{})
	if !slices.ContainsFunc(entries, func(e AuditEntry) bool { return e.Action == "lexicon.publish" }) {
		t.Error("publishing left no audit entry")
	}
}

func TestLexiconSkipsAVersionThatDoesNotCompile(t *testing.T) {
	st := newStation(t)
	put := func(id string, n int64, terms string) {
		t.Helper()
		err := st.admin.store.Write(func(tx *data.Tx) error {
			return data.AddLexiconVersion(tx, data.LexiconVersion{ID: id, OwnerUnit: "hq", Number: n, Terms: terms, TermCount: 1,
				CreatedBy: "admin", CreatedAt: 1, UpdatedAt: 1, Version: 1})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	put("0190aaaa-0000-7000-8000-000000000001", 1, `{"id":"t1","term":"夜巡路线","category":"art18.2","action":"WARN"}`+"\n")
	put("0190aaaa-0000-7000-8000-000000000002", 2, `{"id":"t1","term":"夜巡路线","category":"art77.new","action":"WARN"}`+"\n")
	status := st.officer.LexiconInUse()
	if status.Version != "hq-1" || status.Number != 1 || status.Terms != 1 {
		t.Fatalf("in use %+v", status)
	}
	if len(status.Skipped) != 1 || status.Skipped[0].Number != 2 || !strings.Contains(status.Skipped[0].Err.Error(), "hq-2") {
		t.Fatalf("skipped %+v", status.Skipped)
	}
	p := mustPost(t)(st.officer.SaveDraft(PostDraft{Title: "夜巡路线调整", Body: "通知", Category: "防范提示", Targets: []string{"weibo"}}))
	if p.LexiconVersion != "hq-1" {
		t.Errorf("the draft records %q", p.LexiconVersion)
	}
	// A store that cannot be read screens with the version used last, not
	// the built-in one.
	if err := st.admin.store.Close(); err != nil {
		t.Fatal(err)
	}
	if got := st.officer.LexiconInUse(); got.Version != "hq-1" || got.Number != 1 {
		t.Errorf("with the store unreadable: %+v", got)
	}
}

// TestLexiconTravelsToStations: HQ adds a term and publishes; the station
// imports HQ's bundle, screens with the new version, and records it on the
// finding and on the submitted post.
func TestLexiconTravelsToStations(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	draft := PostDraft{Title: "夜巡路线调整通知", Body: "本周起夜巡路线有调整，请居民留意。", Category: "防范提示", Targets: []string{"weibo"}}
	if fs := st.officer.CheckText(PostText(draft.Title, draft.Body)); len(fs) != 0 {
		t.Fatalf("before the update the station finds %+v", fs)
	}
	term, err := c.hq.SaveTerm(TermForm{Term: "夜巡路线", Category: "art18.2", Action: checker.Warn, Note: "勤务部署，慎发"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.hq.PublishLexicon("新增夜巡路线"); err != nil {
		t.Fatal(err)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)

	if v := st.officer.LexiconInUse(); v.Version != "hq-1" || v.Number != 1 || len(v.Skipped) != 0 {
		t.Fatalf("station lexicon %+v", v)
	}
	fs := st.officer.CheckText(PostText(draft.Title, draft.Body))
	if len(fs) != 2 || fs[0].Rule != term.ID || fs[0].LexiconVersion != "hq-1" || fs[0].Action != checker.Warn {
		t.Fatalf("station findings %+v", fs)
	}
	p := mustPost(t)(st.officer.SaveDraft(draft))
	p = mustPost(t)(st.officer.Submit(p.ID))
	if p.LexiconVersion != "hq-1" {
		t.Fatalf("the submitted post records %q", p.LexiconVersion)
	}
	detail, err := st.leader.Post(p.ID)
	if err != nil || len(detail.Open) != 2 || detail.Open[0].LexiconVersion != "hq-1" {
		t.Fatalf("the shift leader sees %+v %v", detail.Open, err)
	}
	// The post reaches HQ with the version it was screened with.
	c.receive(c.hq, Imported, c.send(st.admin, "")...)
	at, err := c.hq.Post(p.ID)
	if err != nil || at.Post.LexiconVersion != "hq-1" {
		t.Fatalf("at HQ the post records %q (%v)", at.Post.LexiconVersion, err)
	}
}
