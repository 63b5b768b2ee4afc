package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"mediadesk/data"
)

// The demo county (mediadesk demo, make demo, make screenshots): HQ and
// up to MaxDemoUnits stations, each a real install in its own folder,
// with about two months of work done through the same functions the
// window calls — users, roster, account filings, posts in every state,
// campaigns, trainings, netizen messages, rectification notices, reply
// templates, a lexicon update and a published assessment of last month —
// and every change carried between the installs in real, signed and
// encrypted sync bundles, left in the bundles folder like on a USB stick.
//
// The work is a script of dated events (demoEvent) run in time order on
// a clock the demo sets (Config.Now), from 60 days ago to a few minutes
// before now, so that deadlines, overdue messages, zombie accounts, the
// calendar and the assessment of the last finished month look as they
// would after two real months.

// DemoPassword is the password of every user of the demo county.
const DemoPassword = "demo-pass-1"

// DefaultDemoUnits is how many stations the demo sets up unless told.
const DefaultDemoUnits = 3

// FastDemoStore derives keys cheaply (Argon2id, one pass over 1 MiB):
// for demos and tests only. Anyone holding such a folder can guess its
// passwords quickly; real installs use data.DefaultKDF.
var FastDemoStore = data.Options{KDF: data.KDFParams{Time: 1, MemoryKiB: 1024, Threads: 1}}

// DemoRequest says what demo county to build.
type DemoRequest struct {
	Dir   string       // an empty (or new) folder for every install
	Units int          // stations, 1 to MaxDemoUnits
	Store data.Options // key derivation; FastDemoStore for demos only
	Now   time.Time    // the demo's "now" (zero: the real time)
}

// DemoUser is a user to sign in with.
type DemoUser struct {
	Name        string
	DisplayName string
	Role        Role
	Password    string
}

// DemoInstall is one install of the demo county.
type DemoInstall struct {
	Dir         string // open it with mediadesk --data Dir
	Kind        Kind
	UnitID      string
	UnitName    string
	RecoveryKey string
	Users       []DemoUser
}

// DemoCounty is what BuildDemo made.
type DemoCounty struct {
	HQ       DemoInstall
	Stations []DemoInstall
	Bundles  string // the folder of every file exchanged
	Period   string // the assessment period published (last month)
}

// demoSyncDays are the days (before today) of the weekly exchange: each
// station sends its bundle, HQ decides and answers, in the afternoon.
var demoSyncDays = []int{57, 50, 43, 36, 29, 22, 15, 8, 1}

// demoLateFrom: with three or more stations the last one stops sending
// after this day, so HQ sees a station silent for too long.
const demoLateFrom = 15

// BuildDemo builds a demo county in req.Dir: HQ in hq/ and each station
// in a folder named by its unit id, all with DemoPassword.
func BuildDemo(req DemoRequest) (DemoCounty, error) {
	if req.Units < 1 || req.Units > MaxDemoUnits {
		return DemoCounty{}, &FieldError{Field: "units", Msg: fmt.Sprintf("所队数应为 1 到 %d / the number of stations is 1 to %d", MaxDemoUnits, MaxDemoUnits)}
	}
	if err := emptyFolder(req.Dir); err != nil {
		return DemoCounty{}, err
	}
	now := req.Now
	if now.IsZero() {
		now = time.Now()
	}
	b := &demoBuild{req: req, now: now, today: midnightOf(now), clock: &demoClock{},
		stick: filepath.Join(req.Dir, "bundles"), posts: map[string]*demoPost{}, accounts: map[string]*demoAccount{}}
	b.period = PeriodOf(MonthPeriod, now).Previous().Key
	err := os.MkdirAll(b.stick, 0o700)
	if err == nil {
		err = b.setUp()
	}
	if err == nil {
		b.plan()
		err = b.run()
	}
	if cerr := b.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return DemoCounty{}, err
	}
	b.county.Bundles, b.county.Period = b.stick, b.period
	return b.county, nil
}

// emptyFolder makes dir if needed and refuses one with anything in it.
func emptyFolder(dir string) error {
	if dir == "" {
		return &FieldError{Field: "data", Msg: "请指定演示县的文件夹 / name the folder for the demo county"}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("无法创建文件夹 %s / cannot create %s: %w", dir, dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return &FieldError{Field: "data", Msg: fmt.Sprintf("%s 不是空文件夹，请另选一个空文件夹 / %s is not empty: choose an empty folder", dir, dir)}
	}
	return nil
}

// demoClock is the clock of every install of the demo: set to each
// event's time, it moves on a millisecond with every reading so that
// changes keep their order, and never goes back.
type demoClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *demoClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

func (c *demoClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

// demoEvent is one dated step of the script.
type demoEvent struct {
	at   time.Time
	what string
	do   func() error
}

// demoBuild is a demo county being built.
type demoBuild struct {
	req        DemoRequest
	now, today time.Time
	clock      *demoClock
	stick      string // the bundles folder
	period     string // last month, assessed at the end
	hq         struct{ admin, staff *Session }
	units      []*demoUnit
	events     []demoEvent
	posts      map[string]*demoPost    // by post id, for HQ's decisions
	accounts   map[string]*demoAccount // by account id, for HQ's decisions
	notices    map[[2]int]string       // notice id by (demoNotices index, unit index)
	county     DemoCounty
}

// demoUnit is a station of the demo county.
type demoUnit struct {
	index     int
	info      demoUnitInfo
	users     []*Session // in demoUserNames order: admin, leader, officer1, officer2
	roster    []RosterEntry
	accounts  map[string]*demoAccount // by demoAccountSpec.Key
	campaigns []Campaign
	factor    float64 // how widely its posts are read
	late      bool    // stops sending after demoLateFrom
}

func (u *demoUnit) admin() *Session  { return u.users[0] }
func (u *demoUnit) leader() *Session { return u.users[1] }

// syncs reports whether the unit takes part in the exchange of day d.
func (u *demoUnit) syncs(d int) bool { return !u.late || d >= demoLateFrom }

// demoAccount is an account of a unit and its plan.
type demoAccount struct {
	spec  demoAccountSpec
	id    string
	posts int64 // posts on it so far, for its snapshots
}

// demoPost is a post of a unit and its plan.
type demoPost struct {
	unit       *demoUnit
	author     int // index into unit.users
	content    demoContent
	day        int // drafted this many days before today
	draftAt    time.Time
	end        PostStatus
	platform   string    // where it is published
	planned    time.Time // its planned publication, zero for none
	seed       int
	id, hash   string
	hqReturned bool // HQ has returned it once
}

// at is day d before today at hh:mm.
func (b *demoBuild) at(d, hh, mm int) time.Time {
	return time.Date(b.today.Year(), b.today.Month(), b.today.Day()-d, hh, mm, 0, 0, b.today.Location())
}

// add puts a step into the script.
func (b *demoBuild) add(at time.Time, what string, do func() error) {
	b.events = append(b.events, demoEvent{at: at, what: what, do: do})
}

// config is the store configuration of the install in dir.
func (b *demoBuild) config(dir string) Config {
	return Config{Dir: dir, Now: b.clock.now, Store: b.req.Store}
}

// colleague is the session of another user of an install already open,
// as when a colleague signs in at the same desk (without deriving a key
// for each change of hands).
func (s *Session) colleague(name string) (*Session, error) {
	u, err := data.UserByName(s.store.Reader(), name)
	if err != nil {
		return nil, err
	}
	c := &Session{cfg: s.cfg, store: s.store, unit: s.unit, user: userFrom(u)}
	return c, c.audit("sign-in", u.Name, "")
}

// setUp creates HQ and the stations 60 days ago: each station is
// enrolled, joins and is registered with real enrollment and
// registration files.
func (b *demoBuild) setUp() error {
	b.clock.set(b.at(60, 8, 30))
	dir := filepath.Join(b.req.Dir, "hq")
	admin, rk, err := Setup(b.config(dir), SetupRequest{Kind: HQ, UnitName: demoHQName, AdminName: "admin",
		AdminDisplayName: demoHQAdminName, Password: DemoPassword})
	if err != nil {
		return fmt.Errorf("宣传科 / HQ: %w", err)
	}
	b.hq.admin = admin
	if _, err := admin.AddUser(NewUser{Name: "staff", DisplayName: demoHQStaffName, Role: HQStaff, Password: DemoPassword}); err != nil {
		return err
	}
	if b.hq.staff, err = admin.colleague("staff"); err != nil {
		return err
	}
	b.county.HQ = DemoInstall{Dir: dir, Kind: HQ, UnitID: admin.Unit().ID, UnitName: demoHQName, RecoveryKey: rk,
		Users: []DemoUser{{"admin", demoHQAdminName, HQAdmin, DemoPassword}, {"staff", demoHQStaffName, HQStaff, DemoPassword}}}
	for i := range b.req.Units {
		if err := b.setUpUnit(i); err != nil {
			return fmt.Errorf("%s: %w", demoUnits[i].Name, err)
		}
	}
	return nil
}

// setUpUnit creates station i, joins it to HQ and adds its users.
func (b *demoBuild) setUpUnit(i int) error {
	info := demoUnits[i]
	b.clock.set(b.at(60, 9, 10*i))
	dir := filepath.Join(b.req.Dir, info.ID)
	person := func(k int) string { return demoPerson(i*len(demoRoster) + k) }
	admin, rk, err := Setup(b.config(dir), SetupRequest{Kind: Station, UnitName: info.Name, AdminName: demoUserNames[0].Name,
		AdminDisplayName: person(0), Password: DemoPassword})
	if err != nil {
		return err
	}
	u := &demoUnit{index: i, info: info, users: []*Session{admin}, accounts: map[string]*demoAccount{},
		factor: 1 + 0.35*float64((i*2)%3), late: b.req.Units >= 3 && i == b.req.Units-1}
	b.units = append(b.units, u)
	ctx := context.Background()
	enrollment, err := b.hq.admin.EnrollUnit(info.ID, info.Name, b.stick)
	if err != nil {
		return err
	}
	registration, err := admin.Join(ctx, enrollment, b.stick)
	if err != nil {
		return err
	}
	keys, err := admin.Keys()
	if err != nil {
		return err
	}
	if _, err := b.hq.admin.RegisterUnit(ctx, registration, keys.Fingerprint); err != nil {
		return err
	}
	install := DemoInstall{Dir: dir, Kind: Station, UnitID: info.ID, UnitName: info.Name, RecoveryKey: rk,
		Users: []DemoUser{{demoUserNames[0].Name, person(0), StationAdmin, DemoPassword}}}
	for k, un := range demoUserNames[1:] {
		if _, err := admin.AddUser(NewUser{Name: un.Name, DisplayName: person(k + 1), Role: un.Role, Password: DemoPassword}); err != nil {
			return err
		}
		s, err := admin.colleague(un.Name)
		if err != nil {
			return err
		}
		u.users = append(u.users, s)
		install.Users = append(install.Users, DemoUser{un.Name, person(k + 1), un.Role, DemoPassword})
	}
	b.county.Stations = append(b.county.Stations, install)
	return nil
}

// run plays the script in time order.
func (b *demoBuild) run() error {
	sort.SliceStable(b.events, func(i, j int) bool { return b.events[i].at.Before(b.events[j].at) })
	for _, e := range b.events {
		b.clock.set(e.at)
		if err := e.do(); err != nil {
			return fmt.Errorf("演示 %s %s / demo %s: %w", e.at.Format("2006-01-02 15:04"), e.what, e.what, err)
		}
	}
	return nil
}

// close signs every install out.
func (b *demoBuild) close() error {
	var errs []error
	for _, u := range b.units {
		errs = append(errs, u.admin().Close())
	}
	if b.hq.admin != nil {
		errs = append(errs, b.hq.admin.Close())
	}
	return errors.Join(errs...)
}

// plan writes the whole script.
func (b *demoBuild) plan() {
	b.notices = map[[2]int]string{}
	b.add(b.at(59, 10, 0), "回复口径 / templates", func() error { return b.publishTemplates(demoTemplates[:3]) })
	b.add(b.at(25, 10, 0), "回复口径 / template", func() error { return b.publishTemplates(demoTemplates[3:]) })
	b.add(b.at(30, 10, 0), "词库更新 / lexicon update", b.updateLexicon)
	b.add(b.at(59, 9, 0), "县局账号 / the bureau's accounts", b.recordBureauAccounts)
	for _, u := range b.units {
		b.planRoster(u)
		b.planAccounts(u)
		b.planCampaigns(u)
		b.planPosts(u)
		b.planMessages(u)
		b.planTrainings(u)
	}
	b.planNotices()
	b.planExchanges()
	if len(b.units) > 0 {
		u := b.units[0]
		b.add(b.at(1, 18, 30), u.info.Name+" 撤下稿件 / take-down", func() error { return b.takeDownLatest(u) })
	}
}

// takeDownLatest has u's shift leader take down its latest published
// post, as after a complaint about a wrong detail.
func (b *demoBuild) takeDownLatest(u *demoUnit) error {
	published, err := u.leader().Posts(PostQuery{Status: string(Published)})
	if err != nil || len(published) == 0 {
		return fmt.Errorf("no published post to take down: %w", err)
	}
	latest := published[0]
	for _, p := range published[1:] {
		if p.PublishedAt.After(latest.PublishedAt) {
			latest = p
		}
	}
	_, err = u.leader().TakeDown(latest.ID, TakeDownForm{Reason: "群众反映文中地址有误，已从平台删除，更正后另行发布。", At: b.clock.now()})
	return err
}

// publishTemplates has HQ write, review, approve and publish templates.
func (b *demoBuild) publishTemplates(forms []TemplateForm) error {
	for _, f := range forms {
		t, err := b.hq.staff.SaveLibraryTemplate(f)
		if err == nil {
			t, err = b.hq.staff.SubmitTemplate(t.ID, t.Version)
		}
		if err == nil {
			t, err = b.hq.admin.ApproveTemplate(t.ID, t.Version)
		}
		if err == nil {
			_, err = b.hq.staff.PublishTemplate(t.ID, t.Version)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// recordBureauAccounts has HQ record the county bureau's own accounts,
// the head of the matrix.
func (b *demoBuild) recordBureauAccounts() error {
	for _, a := range []struct{ platform, id string }{
		{"weibo", "pingan_tangyin"}, {"wechat", "pinganty_gzh"}, {"toutiao", "pingan_tangyin_tt"}, {"douyin", "pingan_tangyin_dy"},
	} {
		_, err := b.hq.admin.SaveBureauAccount(BureauAccountForm{Platform: a.platform, Name: "平安汤阴", PlatformID: a.id,
			URL: demoAccountURL(a.platform) + a.id, Responsible: b.hq.admin.User().DisplayName, Contact: "0372-6218110",
			Purpose: "发布全县警情通报、防范提示和便民服务信息，受理网民咨询。", OpenedOn: b.at(59, 9, 0).AddDate(-3, 0, 0)})
		if err != nil {
			return fmt.Errorf("%s: %w", a.platform, err)
		}
	}
	return nil
}

// updateLexicon has HQ add terms and publish a new lexicon version.
func (b *demoBuild) updateLexicon() error {
	for _, f := range demoTerms {
		if _, err := b.hq.staff.SaveTerm(f); err != nil {
			return err
		}
	}
	_, err := b.hq.staff.PublishLexicon(demoLexiconNote)
	return err
}

// send exports from one install to another and imports there.
func (b *demoBuild) send(from, to *Session, unit string) error {
	ctx := context.Background()
	files, err := from.ExportBundles(ctx, b.stick, unit, nil)
	if err != nil {
		return err
	}
	for _, r := range to.ImportBundles(ctx, files, nil) {
		if r.Result == Refused {
			return fmt.Errorf("%s: %w", filepath.Base(r.File), r.Err)
		}
	}
	return nil
}

// planExchanges schedules the weekly exchanges and the last one today:
// stations send, HQ decides and answers; at the end HQ also publishes
// the assessment of last month.
func (b *demoBuild) planExchanges() {
	for _, d := range demoSyncDays {
		for _, u := range b.units {
			if d < demoSyncDays[0] {
				b.add(b.at(d, 15, u.index), u.info.Name+" 账号数据 / account numbers", func() error { return b.snapshots(u, d) })
			}
			if u.syncs(d) {
				b.add(b.at(d, 16, u.index), u.info.Name+" 同步 / sync", func() error { return b.send(u.admin(), b.hq.admin, "") })
				b.add(b.at(d, 17, u.index), u.info.Name+" 接收 / receive", func() error { return b.send(b.hq.admin, u.admin(), u.info.ID) })
			}
		}
		b.add(b.at(d, 16, 40), "宣传科审批 / HQ decides", b.hqDecides)
	}
	// The last exchange, today: a few minutes before now, after yesterday's work.
	last := b.now.Add(-30 * time.Minute)
	if evening := b.at(1, 19, 0); last.Before(evening) {
		last = evening
	}
	for _, u := range b.units {
		if !u.late {
			b.add(last.Add(time.Duration(u.index)*20*time.Second), u.info.Name+" 同步 / sync", func() error { return b.send(u.admin(), b.hq.admin, "") })
			b.add(last.Add(15*time.Minute+time.Duration(u.index)*20*time.Second), u.info.Name+" 接收 / receive",
				func() error { return b.send(b.hq.admin, u.admin(), u.info.ID) })
		}
	}
	b.add(last.Add(10*time.Minute), "绩效考核 / assessment", b.publishAssessment)
}

// hqDecides is HQ's afternoon after the bundles came in: it approves the
// posts awaiting it (returning the one planned for it once) and accepts,
// rejects or verifies filings as their plan says.
func (b *demoBuild) hqDecides() error {
	staff := b.hq.staff
	posts, err := staff.Posts(PostQuery{Status: string(AwaitingHQ)})
	if err != nil {
		return err
	}
	for _, p := range posts {
		approve, comment := true, "同意发布。"
		if plan := b.posts[p.ID]; plan != nil && plan.content.HQComment != "" && !plan.hqReturned {
			approve, comment, plan.hqReturned = false, plan.content.HQComment, true
		}
		if _, err := staff.DecidePost(p.ID, p.ContentHash, approve, comment); err != nil && !errors.Is(err, ErrAlreadyDecided) {
			return err
		}
	}
	accounts, err := staff.Accounts()
	if err != nil {
		return err
	}
	for _, a := range accounts {
		plan := b.accounts[a.ID]
		if plan == nil {
			continue
		}
		step, reason := StepAccept, ""
		switch FilingStatus(a.Status) {
		case FilingFiled:
			if plan.spec.Reject != "" {
				step, reason = StepReject, plan.spec.Reject
			}
		case FilingAccepted:
			if !plan.spec.Verify {
				continue
			}
			step = StepVerify
		default:
			continue
		}
		if _, err := staff.DecideFiling(a.ID, step, reason); err != nil && !errors.Is(err, ErrTransition) {
			return err
		}
	}
	return nil
}

// publishAssessment has HQ rate last month's posts and each station's
// opinion guidance and collaboration, and publish the assessment of the
// month.
func (b *demoBuild) publishAssessment() error {
	posts, err := b.hq.staff.PostsToRate(b.period)
	if err != nil {
		return err
	}
	for n, p := range posts {
		rating, note := 3+(n*7+len(p.Title))%3, ""
		if rating == MaxRating {
			note = "贴近群众，表达规范，可作范例"
		}
		if err := b.hq.staff.RatePost(p.ID, rating, note); err != nil {
			return err
		}
	}
	units, err := b.hq.staff.UnitRatings(b.period)
	if err != nil {
		return err
	}
	for n, u := range units {
		if err := b.hq.staff.RateUnit(u.UnitID, b.period, IndOpinionGuidance, 3+n%3, "涉警舆情回应及时"); err != nil {
			return err
		}
		if err := b.hq.staff.RateUnit(u.UnitID, b.period, IndCollaboration, 5-n%2, ""); err != nil {
			return err
		}
	}
	_, err = b.hq.admin.PublishResults(b.period)
	return err
}
