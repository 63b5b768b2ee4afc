package app

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"mediadesk/data"
)

func TestLibraryTemplateWorkflow(t *testing.T) {
	hq := setupHQ(t)
	staff := hqStaffSession(t, hq)
	for _, c := range []struct {
		name  string
		form  TemplateForm
		field string
	}{
		{"no category", TemplateForm{Title: "t", Body: "b"}, "category"},
		{"no title", TemplateForm{Category: "咨询答复", Body: "b"}, "title"},
		{"no body", TemplateForm{Category: "咨询答复", Title: "t", Body: "  "}, "body"},
		{"long body", TemplateForm{Category: "咨询答复", Title: "t", Body: strings.Repeat("字", 2001)}, "body"},
		{"misspelt placeholder", TemplateForm{Category: "咨询答复", Title: "t", Body: "{网友}您好"}, "body"},
	} {
		_, err := staff.SaveLibraryTemplate(c.form)
		wantField(t, c.name, err, c.field)
	}
	tp, err := staff.SaveLibraryTemplate(TemplateForm{Category: "咨询答复", Title: "户口迁移咨询", Body: "{网民}您好！户口迁移请到{单位}户籍窗口办理。"})
	if err != nil {
		t.Fatal(err)
	}
	if tp.Status != data.TemplateDraft || tp.Version != 1 || tp.Source != TemplateHQ {
		t.Fatalf("new template %+v", tp)
	}
	if _, err := staff.PublishTemplate(tp.ID, tp.Version); !errors.Is(err, ErrTemplateStatus) {
		t.Errorf("published a draft: %v", err)
	}
	tp, err = staff.SubmitTemplate(tp.ID, tp.Version)
	if err != nil || tp.Status != data.TemplateReview || tp.Version != 2 {
		t.Fatalf("submitted %+v %v", tp, err)
	}
	if _, err := staff.ApproveTemplate(tp.ID, tp.Version); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("staff approved: %v", err)
	}
	if _, err := hq.ApproveTemplate(tp.ID, tp.Version-1); !errors.Is(err, ErrTemplateChanged) {
		t.Errorf("approved an old version: %v", err)
	}
	tp, err = hq.ApproveTemplate(tp.ID, tp.Version)
	if err != nil || tp.Status != data.TemplateApproved {
		t.Fatalf("approved %+v %v", tp, err)
	}
	tp, err = staff.PublishTemplate(tp.ID, tp.Version)
	if err != nil || tp.Status != data.TemplatePublished || tp.Version != 4 {
		t.Fatalf("published %+v %v", tp, err)
	}
	// An edit goes back to draft with a new version; saving the same text
	// again changes nothing.
	edited, err := staff.SaveLibraryTemplate(TemplateForm{ID: tp.ID, Category: "咨询答复", Title: "户口迁移咨询", Body: "{网民}您好！户口迁移请携带身份证到{单位}户籍窗口办理。"})
	if err != nil || edited.Status != data.TemplateDraft || edited.Version != 5 || edited.CreatedAt != tp.CreatedAt {
		t.Fatalf("edited %+v %v", edited, err)
	}
	same, _ := staff.SaveLibraryTemplate(TemplateForm{ID: tp.ID, Category: "咨询答复", Title: "户口迁移咨询", Body: edited.Body})
	if same.Version != 5 {
		t.Errorf("an unchanged save bumped the version to %d", same.Version)
	}
	// The chief may approve a draft directly.
	if _, err := hq.ApproveTemplate(edited.ID, edited.Version); err != nil {
		t.Fatal(err)
	}
	list, _ := hq.LibraryTemplates("咨询答复", false)
	if len(list) != 1 || list[0].Status != data.TemplateApproved {
		t.Fatalf("library %+v", list)
	}
	retired, err := staff.RetireTemplate(list[0].ID, list[0].Version)
	if err != nil || retired.Status != data.TemplateRetired {
		t.Fatalf("retired %+v %v", retired, err)
	}
	if _, err := staff.SaveLibraryTemplate(TemplateForm{ID: tp.ID, Category: "咨询答复", Title: "x", Body: "y"}); !errors.Is(err, ErrTemplateStatus) {
		t.Errorf("edited a retired template: %v", err)
	}
	if l, _ := hq.LibraryTemplates("", false); len(l) != 0 {
		t.Errorf("retired template listed: %+v", l)
	}
	if l, _ := hq.LibraryTemplates("", true); len(l) != 1 {
		t.Errorf("with retired: %+v", l)
	}
	st := newStation(t)
	if _, err := st.admin.SaveLibraryTemplate(TemplateForm{Category: "咨询答复", Title: "t", Body: "b"}); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a station wrote to HQ's library: %v", err)
	}
}

// TestTemplatesTravelToStations: published templates reach every station
// beside the starter set; an edit stays at HQ until it is published again
// (the station keeps the published text); a retired one disappears.
func TestTemplatesTravelToStations(t *testing.T) {
	c := newCounty(t, 2)
	publish := func(f TemplateForm) ReplyTemplate {
		t.Helper()
		tp, err := c.hq.SaveLibraryTemplate(f)
		if err == nil {
			tp, err = c.hq.ApproveTemplate(tp.ID, tp.Version)
		}
		if err == nil {
			tp, err = c.hq.PublishTemplate(tp.ID, tp.Version)
		}
		if err != nil {
			t.Fatal(err)
		}
		return tp
	}
	sync := func() {
		t.Helper()
		for _, st := range c.stations {
			c.receive(st.admin, Imported, c.send(c.hq, st.admin.Unit().ID)...)
		}
	}
	hqOf := func(st station) []ReplyTemplate {
		t.Helper()
		list, err := st.officer.Templates("")
		if err != nil {
			t.Fatal(err)
		}
		return slices.DeleteFunc(list, func(tp ReplyTemplate) bool { return tp.Source != TemplateHQ })
	}
	text1 := "{网民}您好！户口迁移请到{单位}户籍窗口办理。"
	tp := publish(TemplateForm{Category: "咨询答复", Title: "户口迁移咨询", Body: text1})
	if _, err := c.hq.SaveLibraryTemplate(TemplateForm{Category: "投诉受理", Title: "仅草稿", Body: "不外发"}); err != nil {
		t.Fatal(err)
	}
	sync()
	for _, st := range c.stations {
		got := hqOf(st)
		if len(got) != 1 || got[0].ID != tp.ID || got[0].Body != text1 || got[0].Status != data.TemplatePublished {
			t.Fatalf("station %s has %+v", st.admin.Unit().ID, got)
		}
		all, _ := st.officer.Templates("")
		if len(all) != len(starterTemplates)+1 {
			t.Errorf("station %s lists %d templates, want the starter set and HQ's", st.admin.Unit().ID, len(all))
		}
		if filled := st.officer.InsertTemplate("", got[0], TemplateVars{Netizen: "@市民"}); !strings.HasPrefix(filled, "@市民您好") {
			t.Errorf("inserted %q", filled)
		}
	}

	// Edited: back to draft at HQ; stations keep the published text.
	text2 := "{网民}您好！户口迁移请携带身份证到{单位}户籍窗口办理。"
	edited, err := c.hq.SaveLibraryTemplate(TemplateForm{ID: tp.ID, Category: "咨询答复", Title: "户口迁移咨询", Body: text2})
	if err != nil {
		t.Fatal(err)
	}
	sync()
	if got := hqOf(c.stations[0]); len(got) != 1 || got[0].Body != text1 {
		t.Fatalf("while HQ's edit is a draft the station has %+v", got)
	}
	// Approved and published again: the new text arrives.
	edited, _ = c.hq.ApproveTemplate(edited.ID, edited.Version)
	edited, err = c.hq.PublishTemplate(edited.ID, edited.Version)
	if err != nil {
		t.Fatal(err)
	}
	sync()
	if got := hqOf(c.stations[1]); len(got) != 1 || got[0].Body != text2 || got[0].Version != edited.Version {
		t.Fatalf("after republishing the station has %+v", got)
	}
	// Retired: gone from the picker.
	if _, err := c.hq.RetireTemplate(edited.ID, edited.Version); err != nil {
		t.Fatal(err)
	}
	sync()
	for _, st := range c.stations {
		if got := hqOf(st); len(got) != 0 {
			t.Errorf("station %s still offers %+v", st.admin.Unit().ID, got)
		}
	}
}
