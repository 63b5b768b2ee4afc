package ui

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// planFields are the editor's two optional planning fields: 所属活动 (one
// of the current and upcoming campaigns, or 不关联活动) and 计划发布时间 (a
// date and an hh:mm time). They put the post on the campaign calendar;
// neither is part of the post's content, so changing them voids no
// review.
type planFields struct {
	campaign    *widget.Select
	campaignIDs []string // the campaigns of campaign's options after the first, 不关联活动
	date        *dateField
	clock       *widget.Entry
}

// addPlanFields adds the planning fields of draft to f (keys "campaign"
// and "planned_at"); changed runs when the user changes either.
func addPlanFields(d *desk, f *form, draft app.PostDraft, changed func()) *planFields {
	p := &planFields{date: newDateField(d), clock: widget.NewEntry()}
	campaigns, err := d.session.OpenCampaigns()
	if draft.CampaignID != "" && !slices.ContainsFunc(campaigns, func(c app.Campaign) bool { return c.ID == draft.CampaignID }) {
		if cd, derr := d.session.Campaign(draft.CampaignID); derr == nil { // a campaign that has ended
			campaigns = append(campaigns, cd.Campaign)
		}
	}
	options := []string{i18n.L("editor.campaign.none")}
	for _, c := range campaigns {
		options = append(options, c.Title+"（"+dayRange(c.StartsOn, c.EndsOn)+"）")
		p.campaignIDs = append(p.campaignIDs, c.ID)
	}
	p.campaign = widget.NewSelect(options, nil)
	p.campaign.SetSelectedIndex(slices.Index(p.campaignIDs, draft.CampaignID) + 1) // 0, none, when not found
	p.clock.SetPlaceHolder(i18n.L("editor.planned_at.time_placeholder"))
	if !draft.PlannedAt.IsZero() {
		p.date.set(draft.PlannedAt)
		p.clock.SetText(draft.PlannedAt.Format("15:04"))
	}
	p.campaign.OnChanged = func(string) { changed() }
	p.date.changed = changed
	p.clock.OnChanged = func(string) { changed() }

	field := f.add("campaign", i18n.L("editor.campaign"), p.campaign)
	if err != nil {
		field.setError(d.errText(err))
	}
	f.add("planned_at", i18n.L("editor.planned_at"), container.NewGridWithColumns(2, p.date.content, p.clock),
		d.para(i18n.L("editor.planned_at.hint")))
	return p
}

// campaignID is the chosen campaign, empty for none.
func (p *planFields) campaignID() string {
	if i := p.campaign.SelectedIndex(); i > 0 {
		return p.campaignIDs[i-1]
	}
	return ""
}

// plannedAt is the planned time typed, zero when both parts are empty;
// a part missing or unreadable is an error at the field.
func (p *planFields) plannedAt() (time.Time, error) {
	day, ok, err := p.date.date()
	if err != nil {
		return time.Time{}, &app.FieldError{Field: "planned_at", Msg: i18n.L("date.invalid")}
	}
	clock := strings.TrimSpace(strings.ReplaceAll(p.clock.Text, "：", ":")) // a Chinese input method types the full-width colon
	switch {
	case !ok && clock == "":
		return time.Time{}, nil
	case !ok:
		return time.Time{}, &app.FieldError{Field: "planned_at", Msg: i18n.L("editor.planned_at.no_date")}
	case clock == "":
		return time.Time{}, &app.FieldError{Field: "planned_at", Msg: i18n.L("editor.planned_at.no_time")}
	}
	hm, err := time.Parse("15:04", clock)
	if err != nil {
		return time.Time{}, &app.FieldError{Field: "planned_at", Msg: i18n.L("editor.planned_at.bad_time")}
	}
	return time.Date(day.Year(), day.Month(), day.Day(), hm.Hour(), hm.Minute(), 0, 0, time.Local), nil
}
