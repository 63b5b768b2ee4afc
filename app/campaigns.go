package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"mediadesk/data"
)

// The campaign calendar (Art. 22): the unit plans publicity campaigns and
// online interaction activities around campaigns and hot topics, each
// spanning whole days, and links posts to them. The calendar shows the
// campaigns with the posts planned (posts.planned_at) or published on
// each day.
//
// Who may do what: any station user enters a campaign; its creator, the
// shift leaders and the station admins may change it. A post's campaign
// and planned time are planning, not content: they are outside the
// content hash, so setting them voids no approval. The editor sets both
// (the author, while the post is not published); LinkPost and UnlinkPost
// set the campaign alone and are open to the author and to the unit's
// shift leaders and admins, on published posts too, so that what went
// out can be counted towards the campaign afterwards.

// Campaign kinds.
const (
	PublicityCampaign   = "campaign"    // 宣传活动
	InteractionActivity = "interaction" // 网上互动活动
)

// CampaignKinds lists the campaign kinds in the order forms offer them.
var CampaignKinds = []string{PublicityCampaign, InteractionActivity}

// Limits of the campaign form and the calendar.
const (
	maxCampaignDays    = 366 // a campaign lasts at most about a year
	calendarMaxDays    = 100 // the calendar asks for at most this many days at once
	planAheadLimit     = 366 * 24 * time.Hour
	maxCampaignTitle   = 60
	maxCampaignDetails = 2000
)

// ErrCalendarRange refuses a calendar request whose end precedes its start
// or that spans too many days.
var ErrCalendarRange = errors.New("日历的日期范围不正确，请重新选择月份或周 / the calendar's date range is wrong: choose the month or week again")

// Campaign is a campaign as screens see it; StartsOn and EndsOn are
// YYYY-MM-DD.
type Campaign = data.Campaign

// CalendarPost is a post as the calendar and a campaign's detail show it.
type CalendarPost = data.CalendarPost

// CampaignForm is what the campaign form collects.
type CampaignForm struct {
	ID          string // empty for a new campaign
	Title       string
	Kind        string    // PublicityCampaign or InteractionActivity
	StartsOn    time.Time // the first day (any time of it)
	EndsOn      time.Time // the last day, not before StartsOn
	Description string
}

// validate checks the form field by field.
func (f CampaignForm) validate() error {
	if err := validName("title", f.Title, maxCampaignTitle); err != nil {
		return err
	}
	if f.Kind != PublicityCampaign && f.Kind != InteractionActivity {
		return &FieldError{Field: "kind", Msg: "请选择宣传活动或网上互动活动 / choose campaign or online interaction activity"}
	}
	if f.StartsOn.IsZero() {
		return &FieldError{Field: "starts_on", Msg: "请填写开始日期 / enter the first day"}
	}
	if y := f.StartsOn.Year(); y < 2000 || y > 2100 {
		return &FieldError{Field: "starts_on", Msg: "开始日期应在 2000 年到 2100 年之间 / the first day must lie between 2000 and 2100"}
	}
	if f.EndsOn.IsZero() {
		return &FieldError{Field: "ends_on", Msg: "请填写结束日期 / enter the last day"}
	}
	start, end := dayKey(f.StartsOn), dayKey(f.EndsOn)
	if end < start {
		return &FieldError{Field: "ends_on", Msg: "结束日期不能早于开始日期 / the last day cannot precede the first"}
	}
	if end > dayKey(midnightOf(f.StartsOn).AddDate(0, 0, maxCampaignDays-1)) {
		return &FieldError{Field: "ends_on", Msg: fmt.Sprintf("一项活动最长 %d 天，请分期登记 / a campaign lasts at most %d days: enter it in parts", maxCampaignDays, maxCampaignDays)}
	}
	return validText("description", f.Description, maxCampaignDetails, false)
}

// midnightOf is local midnight of t's day.
func midnightOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// mayEditCampaign reports whether the signed-in user may change c.
func (s *Session) mayEditCampaign(c Campaign) bool {
	if c.OwnerUnit != s.unit.ID {
		return false
	}
	r := s.User().Role
	return c.CreatedBy == s.User().ID || r == ShiftLeader || r == StationAdmin
}

// SaveCampaign enters a new campaign or changes one (its creator, a shift
// leader or an admin).
func (s *Session) SaveCampaign(f CampaignForm) (Campaign, error) {
	if err := s.requireStation(); err != nil {
		return Campaign{}, err
	}
	if err := f.validate(); err != nil {
		return Campaign{}, err
	}
	now := s.now()
	var saved Campaign
	err := s.store.Write(func(tx *data.Tx) error {
		c := Campaign{ID: f.ID, OwnerUnit: s.unit.ID, CreatedBy: s.User().ID, CreatedAt: now, Version: 1}
		action := "campaign.create"
		if f.ID == "" {
			c.ID = uuid.Must(uuid.NewV7()).String()
		} else {
			old, err := data.CampaignByID(tx, f.ID)
			if err != nil {
				return err
			}
			if !s.mayEditCampaign(old) {
				return ErrNotAllowed
			}
			c, action = old, "campaign.edit"
			c.Version++
		}
		c.Title, c.Kind, c.Description = strings.TrimSpace(f.Title), f.Kind, strings.TrimSpace(f.Description)
		c.StartsOn, c.EndsOn, c.UpdatedAt = dayKey(f.StartsOn), dayKey(f.EndsOn), now
		if err := data.SaveCampaign(tx, c); err != nil {
			return err
		}
		saved = c
		return data.AppendAudit(tx, now, s.User().Name, action, c.ID, c.Title+" "+c.StartsOn+"～"+c.EndsOn)
	})
	return saved, err
}

// Campaigns lists the campaigns that overlap the days from to to (both
// included), by first day and title.
func (s *Session) Campaigns(from, to time.Time) ([]Campaign, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	return data.ListCampaigns(s.store.Reader(), dayKey(from), dayKey(to))
}

// OpenCampaigns lists the campaigns that have not ended yet (current and
// upcoming), for the editor's campaign picker.
func (s *Session) OpenCampaigns() ([]Campaign, error) {
	return s.Campaigns(s.cfg.now(), time.Date(9999, 12, 31, 0, 0, 0, 0, time.Local))
}

// CampaignDetail is a campaign with the posts linked to it.
type CampaignDetail struct {
	Campaign Campaign
	Posts    []CalendarPost // by when they went out or are planned to; unplanned last
	CanEdit  bool           // the signed-in user may change the campaign
}

// Campaign returns one campaign with its linked posts.
func (s *Session) Campaign(id string) (CampaignDetail, error) {
	if err := s.checkActive(); err != nil {
		return CampaignDetail{}, err
	}
	q := s.store.Reader()
	c, err := data.CampaignByID(q, id)
	if err != nil {
		return CampaignDetail{}, err
	}
	posts, err := data.CampaignPosts(q, id)
	if err != nil {
		return CampaignDetail{}, err
	}
	return CampaignDetail{Campaign: c, Posts: posts, CanEdit: s.mayEditCampaign(c)}, nil
}

// CalendarItemKind is what a calendar item is.
type CalendarItemKind string

// The calendar item kinds; the calendar colours each differently.
const (
	ItemCampaign  CalendarItemKind = "campaign"  // a campaign or interaction activity, on each of its days
	ItemPlanned   CalendarItemKind = "planned"   // a post planned for that day, not yet published
	ItemPublished CalendarItemKind = "published" // a post published that day
)

// CalendarItem is one entry of a calendar day.
type CalendarItem struct {
	Kind  CalendarItemKind
	ID    string // the campaign's or the post's
	Title string
	// Campaigns: their kind, first and last day (YYYY-MM-DD).
	CampaignKind     string
	StartsOn, EndsOn string
	// Posts: the planned or publication time, the status, the campaign.
	At         time.Time
	Status     PostStatus
	CampaignID string
}

// CalendarDay is one day of the calendar with its items: the campaigns
// running that day (by first day, then title), then the posts (by time).
type CalendarDay struct {
	Date  time.Time // local midnight
	Items []CalendarItem
}

// CalendarItems returns every day from from to to (both included, at
// most calendarMaxDays) with the campaigns that run on it and the posts
// published on it or, not yet published, planned for it. A published post
// shows on its publication day only.
func (s *Session) CalendarItems(from, to time.Time) ([]CalendarDay, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	first, last := midnightOf(from), midnightOf(to)
	if last.Before(first) {
		return nil, ErrCalendarRange
	}
	n := 1 // days from first to last
	for !first.AddDate(0, 0, n).After(last) {
		if n++; n > calendarMaxDays {
			return nil, ErrCalendarRange
		}
	}
	days := make([]CalendarDay, n)
	index := make(map[string]int, n)
	for i := range days {
		days[i].Date = first.AddDate(0, 0, i)
		index[dayKey(days[i].Date)] = i
	}
	q := s.store.Reader()
	campaigns, err := data.ListCampaigns(q, dayKey(first), dayKey(last))
	if err != nil {
		return nil, err
	}
	for _, c := range campaigns {
		it := CalendarItem{Kind: ItemCampaign, ID: c.ID, Title: c.Title, CampaignKind: c.Kind, StartsOn: c.StartsOn, EndsOn: c.EndsOn}
		for i := range days {
			if k := dayKey(days[i].Date); c.StartsOn <= k && k <= c.EndsOn {
				days[i].Items = append(days[i].Items, it)
			}
		}
	}
	posts, err := data.CalendarPosts(q, first.UnixMilli(), first.AddDate(0, 0, n).UnixMilli())
	if err != nil {
		return nil, err
	}
	for _, p := range posts {
		it := CalendarItem{Kind: ItemPlanned, ID: p.ID, Title: p.Title, Status: PostStatus(p.Status), CampaignID: p.CampaignID,
			At: time.UnixMilli(p.PlannedAt).In(first.Location())}
		if p.PublishedAt != 0 {
			it.Kind, it.At = ItemPublished, time.UnixMilli(p.PublishedAt).In(first.Location())
		}
		if i, ok := index[dayKey(it.At)]; ok {
			days[i].Items = append(days[i].Items, it)
		}
	}
	return days, nil
}

// LinkPost links a post to a campaign (the post's author, or a shift
// leader or admin of its unit; published posts too).
func (s *Session) LinkPost(postID, campaignID string) error {
	if campaignID == "" {
		return &FieldError{Field: "campaign", Msg: "请选择活动 / choose a campaign"}
	}
	return s.setPostCampaign(postID, campaignID)
}

// UnlinkPost takes a post out of its campaign (as LinkPost, who may).
func (s *Session) UnlinkPost(postID string) error { return s.setPostCampaign(postID, "") }

// setPostCampaign sets a post's campaign ("" for none), with an audit
// entry; the content and the approvals stay as they are.
func (s *Session) setPostCampaign(postID, campaignID string) error {
	if err := s.requireStation(); err != nil {
		return err
	}
	return s.store.Write(func(tx *data.Tx) error {
		p, err := data.PostByID(tx, postID)
		if err != nil {
			return err
		}
		r := s.User().Role
		if p.OwnerUnit != s.unit.ID || (p.AuthorID != s.User().ID && r != ShiftLeader && r != StationAdmin) {
			return ErrNotAllowed
		}
		if p.CampaignID == campaignID {
			return nil
		}
		if err := s.checkCampaign(tx, campaignID); err != nil {
			return err
		}
		from := p.CampaignID
		p.CampaignID, p.UpdatedAt, p.Version = campaignID, s.now(), p.Version+1
		if err := data.SavePost(tx, p); err != nil {
			return err
		}
		return data.AppendAudit(tx, p.UpdatedAt, s.User().Name, "post.campaign", p.ID, campaignChange(from, campaignID))
	})
}

// campaignChange is an audit entry's detail for a campaign change.
func campaignChange(from, to string) string {
	return "campaign " + campaignOrNone(from) + "＞" + campaignOrNone(to)
}

// campaignOrNone is a campaign ID for an audit detail, "-" for none.
func campaignOrNone(id string) string {
	if id == "" {
		return "-"
	}
	return id
}

// checkCampaign checks that a campaign to link exists ("" is none).
func (s *Session) checkCampaign(q data.Querier, id string) error {
	if id == "" {
		return nil
	}
	_, err := data.CampaignByID(q, id)
	if errors.Is(err, data.ErrNotFound) {
		return &FieldError{Field: "campaign", Msg: "所选活动不存在，请重新选择 / the chosen campaign does not exist: choose again"}
	}
	return err
}

// applyPlan puts a draft's campaign and planned time (to the minute) on
// p, checking them: the campaign must exist, and a planned time that
// changes must lie between now and a year ahead. A change is audited.
// It reports whether anything changed.
func (s *Session) applyPlan(tx *data.Tx, p *data.Post, d PostDraft) (bool, error) {
	var planned int64
	if !d.PlannedAt.IsZero() {
		planned = d.PlannedAt.Truncate(time.Minute).UnixMilli()
	}
	if planned == p.PlannedAt && d.CampaignID == p.CampaignID {
		return false, nil
	}
	if planned != p.PlannedAt && planned != 0 {
		now := s.cfg.now()
		if planned < now.Truncate(time.Minute).UnixMilli() {
			return false, &FieldError{Field: "planned_at", Msg: "计划发布时间不能早于现在 / the planned time cannot be in the past"}
		}
		if planned > now.Add(planAheadLimit).UnixMilli() {
			return false, &FieldError{Field: "planned_at", Msg: "计划发布时间不能超过一年以后 / the planned time must lie within a year"}
		}
	}
	if d.CampaignID != p.CampaignID {
		if err := s.checkCampaign(tx, d.CampaignID); err != nil {
			return false, err
		}
	}
	detail := campaignChange(p.CampaignID, d.CampaignID)
	if planned != 0 {
		detail += " planned " + time.UnixMilli(planned).Format("2006-01-02 15:04")
	}
	p.CampaignID, p.PlannedAt = d.CampaignID, planned
	return true, data.AppendAudit(tx, s.now(), s.User().Name, "post.plan", p.ID, detail)
}

// savePlan saves a change of plan alone (the content is as saved).
func (s *Session) savePlan(tx *data.Tx, p *data.Post, d PostDraft, now int64) error {
	changed, err := s.applyPlan(tx, p, d)
	if err != nil || !changed {
		return err
	}
	p.UpdatedAt, p.Version = now, p.Version+1
	return data.SavePost(tx, *p)
}
