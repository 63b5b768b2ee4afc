package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The stations' part of the demo script (demo.go): what each station
// does over the two months, through the same functions the window calls.

// demoPostDays are the days (before today) a station drafts the posts it
// publishes; some are left out per station so that the units differ.
var demoPostDays = []int{55, 51, 47, 44, 40, 36, 33, 30, 26, 23, 19, 16, 12, 9, 6, 3}

// The slots of demoPostDays with a special post.
const (
	demoSlotReturned  = 5  // HQ returns it once; fixed and published
	demoSlotSensitive = 10 // approved by HQ and published
	demoSlotPersonal  = 12 // on an officer's personal work account
)

// planRoster: the station admin enters the roster the day after setup.
func (b *demoBuild) planRoster(u *demoUnit) {
	b.add(b.at(59, 9, u.index), u.info.Name+" 民警名册 / roster", func() error {
		for k, st := range demoRoster {
			o, err := u.admin().SaveOfficer(OfficerForm{Name: demoPerson(u.index*len(demoRoster) + k),
				PoliceNo: fmt.Sprintf("4105%02d%02d", u.index+1, k+1), Department: st.Department,
				Spokesperson: k == 1, Commentator: k == 2, Active: st.Active})
			if err != nil {
				return err
			}
			u.roster = append(u.roster, o)
		}
		return nil
	})
}

// demoAccountURL is where a demo account of a platform lives: under the
// reserved .example domain, so that the demo names no real site.
func demoAccountURL(platform string) string { return "https://" + platform + ".example/" }

// accountForm is the filing form of an account of unit u.
func (b *demoBuild) accountForm(u *demoUnit, spec demoAccountSpec) AccountForm {
	pid := "ty-" + u.info.ID + "-" + spec.Key
	f := AccountForm{Action: "open", Platform: spec.Platform, PlatformID: pid, URL: demoAccountURL(spec.Platform) + pid,
		Kind: spec.Kind, Department: u.info.Name, Responsible: u.leader().User().DisplayName,
		Contact: fmt.Sprintf("0372-62%02d%03d", u.index+1, len(spec.Key)*37), FiledOn: b.clock.now(),
		Admins: u.admin().User().DisplayName + "、" + u.users[2].User().DisplayName, Verification: "单位认证",
		Purpose: "发布警情通报、防范提示和便民服务信息，受理网民咨询、投诉和建议。"}
	name := spec.Name
	if spec.Kind == PersonalAccount {
		holder := u.roster[spec.Officer]
		f.OfficerID, f.Responsible, f.Admins, f.Verification = holder.ID, holder.Name, holder.Name, "个人实名认证"
		f.Purpose, f.Declarations = "以民警身份开展防范宣传，回应群众关切。", Art13Declarations
		name = strings.ReplaceAll(name, "{officer}", holder.Name)
	}
	f.Name = u.info.fill(name)
	return f
}

// planAccounts: the station files its accounts; HQ decides at the next
// exchange (hqDecides); one is only planned, one filed after the last
// exchange, one suspended later.
func (b *demoBuild) planAccounts(u *demoUnit) {
	for _, spec := range demoAccounts {
		a := &demoAccount{spec: spec}
		u.accounts[spec.Key] = a
		at, file := b.at(spec.Filed, 10, u.index), true
		switch spec.Filed {
		case 0:
			at, file = b.at(3, 10, u.index), false
		case -1:
			at = b.at(1, 17, 55+u.index)
		}
		b.add(at, u.info.Name+" 账号报备 / filing "+spec.Key, func() error {
			by := u.leader()
			if spec.Kind == PersonalAccount {
				by = u.users[spec.Officer]
			}
			saved, err := by.SaveAccountFiling(b.accountForm(u, spec))
			if err != nil {
				return err
			}
			a.id, a.posts = saved.ID, spec.Followers/100
			b.accounts[saved.ID] = a
			if file {
				_, err = by.FileAccount(saved.ID)
			}
			return err
		})
		if spec.Suspend > 0 {
			b.add(b.at(spec.Suspend, 10, 30+u.index), u.info.Name+" 停用账号 / suspend", func() error {
				_, err := u.admin().SuspendAccount(a.id)
				return err
			})
		}
	}
}

// snapshots: on exchange day d the station admin enters the followers of
// its live accounts.
func (b *demoBuild) snapshots(u *demoUnit, d int) error {
	week := float64(demoSyncDays[0]-d) / 7
	for _, spec := range demoAccounts {
		a := u.accounts[spec.Key]
		if spec.Followers == 0 || spec.Reject != "" || (spec.Suspend > 0 && d <= spec.Suspend) {
			continue
		}
		followers := int64(float64(spec.Followers) * u.factor * (1 + 0.03*week))
		if err := u.admin().RecordAccountMetrics(a.id, b.clock.now(), followers, a.posts); err != nil {
			return err
		}
	}
	return nil
}

// planCampaigns: the shift leader plans the campaigns early on.
func (b *demoBuild) planCampaigns(u *demoUnit) {
	b.add(b.at(56, 8, 30+u.index), u.info.Name+" 活动 / campaigns", func() error {
		for _, c := range demoCampaigns {
			from, to := b.at(c.From, 0, 0), b.at(c.To, 0, 0)
			if c.ThisMonth {
				from = time.Date(b.today.Year(), b.today.Month(), 1, 0, 0, 0, 0, b.today.Location())
				to = from.AddDate(0, 1, -1)
			}
			saved, err := u.leader().SaveCampaign(CampaignForm{Title: c.Title, Kind: c.Kind, StartsOn: from, EndsOn: to,
				Description: u.info.fill(c.Description)})
			if err != nil {
				return err
			}
			u.campaigns = append(u.campaigns, saved)
		}
		return nil
	})
}

// campaignOn is the campaign of unit u running on day t, or "".
func (u *demoUnit) campaignOn(t time.Time) string {
	day := dayKey(t)
	for _, c := range u.campaigns {
		if c.StartsOn <= day && day <= c.EndsOn {
			return c.ID
		}
	}
	return ""
}

// fillContent fills a post's texts for unit u.
func (u *demoUnit) fillContent(c demoContent) demoContent {
	c.Title, c.Body, c.Fixed = u.info.fill(c.Title), u.info.fill(c.Body), u.info.fill(c.Fixed)
	c.Flags = slices.Clone(c.Flags)
	return c
}

// planPosts: the posts the station publishes over the two months, and
// one in each other state at the end: two drafts, one submitted, one
// returned by the shift leader, one waiting for HQ, one ready.
func (b *demoBuild) planPosts(u *demoUnit) {
	plain := len(demoPlainPosts)
	next := u.index * 5
	skip := 3 + u.index%3
	for j, d := range demoPostDays {
		p := &demoPost{unit: u, author: 2 + j%2, day: d, end: Published, platform: "weibo", seed: u.index*31 + j*7}
		switch j {
		case demoSlotReturned:
			p.content = demoReturnedPost
		case demoSlotSensitive:
			p.content = demoSensitivePost
		case demoSlotPersonal:
			p.content, p.author = demoPersonalPost, 2
		default:
			if (j+u.index)%skip == 0 && j != len(demoPostDays)-1 {
				continue
			}
			p.content = demoPlainPosts[next%plain]
			next++
			if j%3 == 1 && d > 20 {
				p.platform = "wechat"
			}
		}
		b.planPost(p)
	}
	tomorrow := b.at(-1, 10, 0)
	for _, p := range []*demoPost{
		{day: 4, author: 3, end: Draft, content: demoPlainPosts[(u.index+3)%plain]},
		{day: 2, author: 2, end: Returned, content: demoPlainPosts[6]},
		{day: 2, author: 3, end: Ready, content: demoPlainPosts[(u.index+7)%plain], planned: tomorrow},
		{day: 1, author: 2, end: Submitted, content: demoPlainPosts[(u.index+9)%plain]},
		{day: 1, author: 2, end: Draft, content: demoPlainPosts[(u.index+10)%plain], planned: b.at(-3, 10, 0)},
		{day: 1, author: 3, end: AwaitingHQ, content: demoAwaitingPost, draftAt: b.at(1, 17, 35+u.index)},
	} {
		p.unit = u
		b.planPost(p)
	}
}

// planPost schedules a post's way: drafted, submitted, reviewed by the
// shift leader, through HQ when sensitive (at the exchanges), published,
// and its numbers entered in the days after.
func (b *demoBuild) planPost(p *demoPost) {
	u := p.unit
	p.content = u.fillContent(p.content)
	author := func() *Session { return u.users[p.author] }
	step := func(at time.Time, what string, do func() error) {
		b.add(at, fmt.Sprintf("%s 稿件 / post %q %s", u.info.Name, p.content.Title, what), do)
	}
	k := u.index
	draftAt := p.draftAt
	if draftAt.IsZero() {
		draftAt = b.at(p.day, 9, k)
	}
	step(draftAt, "draft", func() error {
		c := p.content
		targets := []string{"weibo", "wechat"}
		if c.Personal {
			targets = []string{"weibo"}
		}
		saved, err := author().SaveDraft(PostDraft{Title: c.Title, Body: c.Body, Category: c.Category, Targets: targets,
			Personal: c.Personal, Flags: c.Flags, CampaignID: u.campaignOn(b.clock.now()), PlannedAt: p.planned})
		p.id = saved.ID
		b.posts[p.id] = p
		return err
	})
	if p.end == Draft {
		return
	}
	submitAt, reviewAt := draftAt.Add(30*time.Minute), b.at(p.day, 14, k)
	if !reviewAt.After(submitAt) {
		reviewAt = submitAt.Add(10 * time.Minute)
	}
	step(submitAt, "submit", p.submit)
	if p.end == Submitted {
		return
	}
	if p.end == Returned {
		step(reviewAt, "return", func() error {
			_, err := u.leader().Return(p.id, p.hash, demoLeaderReturnComment)
			return err
		})
		return
	}
	step(reviewAt, "approve", p.approve)
	if len(p.content.Flags) == 0 {
		if p.end == Published {
			b.planPublish(p, p.day, 15)
		}
		return
	}
	// Sensitive: HQ decides at the next exchange (hqDecides), the
	// decision comes back at 17:00, the post goes out the next morning.
	s, ok := b.nextSync(u, p.day)
	if !ok || p.end != Published {
		return
	}
	if p.content.HQComment != "" {
		fixDay := s - 1
		step(b.at(fixDay, 9, k), "fix", func() error {
			d, err := author().Post(p.id)
			if err != nil {
				return err
			}
			draft := d.Post.PostDraft
			draft.Body = p.content.Fixed
			_, err = author().SaveDraft(draft)
			return err
		})
		step(b.at(fixDay, 9, 40+k), "resubmit", p.submit)
		step(b.at(fixDay, 14, k), "approve again", p.approve)
		if s, ok = b.nextSync(u, fixDay); !ok {
			return
		}
	}
	b.planPublish(p, s-1, 9)
}

// nextSync is the first exchange of unit u on or after day d (the
// largest sync day not above d), leaving out the last weekly one (day 1):
// what follows an exchange needs a day before today.
func (b *demoBuild) nextSync(u *demoUnit, d int) (int, bool) {
	for _, s := range demoSyncDays {
		if s <= d && u.syncs(s) && s > 1 {
			return s, true
		}
	}
	return 0, false
}

// submit sends the post to the shift leader.
func (p *demoPost) submit() error {
	saved, err := p.unit.users[p.author].Submit(p.id)
	p.hash = saved.ContentHash
	return err
}

// approve is the shift leader's review: every checker warning is
// accepted with a reason, then the post approved.
func (p *demoPost) approve() error {
	leader := p.unit.leader()
	open, err := leader.OpenWarnings(p.id)
	if err != nil {
		return err
	}
	for _, f := range open {
		if err := leader.OverrideWarning(p.id, p.hash, f, "已核实，属于防范宣传语境，可以发布"); err != nil {
			return err
		}
	}
	_, err = leader.Approve(p.id, p.hash, "同意发布。")
	return err
}

// planPublish schedules the publication on day d at hour h and the
// numbers entered one and four days later.
func (b *demoBuild) planPublish(p *demoPost, d, h int) {
	u := p.unit
	b.add(b.at(d, h, 30+u.index), u.info.Name+" 发布 / publish", func() error {
		key := p.platform
		if p.content.Personal {
			key = "personal"
		}
		a := u.accounts[key]
		link := fmt.Sprintf("%s%s/%d", demoAccountURL(a.spec.Platform), a.id[len(a.id)-12:], 4900000+p.seed)
		if _, err := u.users[p.author].Publish(p.id, a.spec.Platform, a.id, link, b.clock.now()); err != nil {
			return err
		}
		a.posts++
		return nil
	})
	reads := int64(float64(600+(p.seed*137)%2400) * u.factor)
	for n, later := range []int{1, 4} {
		if d-later < 1 {
			break
		}
		r := reads * int64(10+7*n) / 10
		b.add(b.at(d-later, 11, u.index), u.info.Name+" 稿件数据 / numbers", func() error {
			return u.users[p.author].RecordMetrics(p.id, Metrics{Day: b.clock.now(), Reads: r, Likes: r / 25, Comments: r / 80, Reposts: r / 50})
		})
	}
}

// planMessages: officers log netizen messages and handle them, some in
// time, some late, some not yet.
func (b *demoBuild) planMessages(u *demoUnit) {
	for n, m := range demoMessages {
		officer := u.users[2+n%2]
		var id string
		b.add(b.at(m.Day, m.Hour, u.index), u.info.Name+" 网民留言 / message", func() error {
			saved, err := officer.ReceiveMessage(MessageForm{Platform: m.Platform, AccountID: u.accounts[m.Platform].id,
				Handle: m.Handle, ReceivedAt: b.clock.now(), Type: m.Type, Content: u.info.fill(m.Content)})
			id = saved.ID
			return err
		})
		for _, st := range m.Steps {
			b.add(b.at(st.Day, st.Hour, u.index), u.info.Name+" 留言办理 / message "+string(st.Move.To), func() error {
				mv := st.Move
				mv.Reply, mv.Note = u.info.fill(mv.Reply), u.info.fill(mv.Note)
				_, err := officer.MoveMessage(id, mv)
				return err
			})
		}
	}
}

// planTrainings: the shift leader logs the trainings held.
func (b *demoBuild) planTrainings(u *demoUnit) {
	for _, t := range demoTrainings {
		if t.EvenOnly && u.index%2 != 0 {
			continue
		}
		b.add(b.at(t.Day, 17, 10+u.index), u.info.Name+" 培训 / training", func() error {
			var attendees []string
			for _, o := range u.roster {
				if o.Active && (t.Attendees == 0 || len(attendees) < t.Attendees) {
					attendees = append(attendees, o.ID)
				}
			}
			trainer := strings.NewReplacer("{hq}", demoHQTrainerTag+demoHQAdminName, "{hqstaff}", demoHQTrainerTag+demoHQStaffName,
				"{leader}", u.leader().User().DisplayName).Replace(t.Trainer)
			_, err := u.leader().SaveTraining(TrainingForm{HeldOn: b.clock.now(), Hours: t.Hours, Form: t.Form, Topics: t.Topics,
				Trainer: trainer, Place: u.info.fill(t.Place), Summary: t.Summary, Attendees: attendees})
			return err
		})
	}
}

// planNotices: HQ writes rectification notices after an exchange; the
// station answers, and HQ closes the notice at the exchange after.
func (b *demoBuild) planNotices() {
	for n, nt := range demoNotices {
		for _, u := range b.units {
			if nt.Parity >= 0 && u.index%2 != nt.Parity {
				continue
			}
			key := [2]int{n, u.index}
			b.add(b.at(nt.Issued, 16, 45), u.info.Name+" 整改通知 / notice", func() error {
				f := nt.Form
				f.UnitID, f.DueOn = u.info.ID, dayKey(b.at(nt.Due, 0, 0))
				saved, err := b.hq.staff.IssueNotice(f)
				b.notices[key] = saved.ID
				return err
			})
			if nt.Answered == 0 {
				continue
			}
			b.add(b.at(nt.Answered, 11, u.index), u.info.Name+" 整改答复 / answer", func() error {
				_, err := u.admin().AnswerNotice(b.notices[key], nt.Answer)
				return err
			})
			if s, ok := b.nextSync(u, nt.Answered); ok && nt.Close {
				b.add(b.at(s, 16, 45), u.info.Name+" 通知办结 / notice closed", func() error {
					_, err := b.hq.staff.CloseNotice(b.notices[key])
					return err
				})
			}
		}
	}
}
