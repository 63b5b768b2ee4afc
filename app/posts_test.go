package app

import (
	"bytes"
	"encoding/hex"
	"errors"
	"image"
	imgpng "image/png"
	"io"
	"strings"
	"testing"
	"time"

	"mediadesk/app/checker"
	"mediadesk/data"
)

// station sets up a station with an officer (author), two shift leaders
// and returns sessions for each; they share one store, as on one PC.
type station struct {
	admin, officer, leader *Session
	cfg                    Config
}

func newStation(t *testing.T) station {
	t.Helper()
	admin, cfg, _ := setupStation(t)
	for _, u := range []NewUser{{Name: "li", DisplayName: "李警官", Role: Officer, Password: "officer-pass"},
		{Name: "wang", DisplayName: "王所长", Role: ShiftLeader, Password: "leader-pass1"}} {
		if _, err := admin.AddUser(u); err != nil {
			t.Fatal(err)
		}
	}
	as := func(name string) *Session {
		u, err := data.UserByName(admin.store.Reader(), name)
		if err != nil {
			t.Fatal(err)
		}
		return &Session{cfg: cfg, store: admin.store, unit: admin.unit, user: userFrom(u)}
	}
	return station{admin: admin, officer: as("li"), leader: as("wang"), cfg: cfg}
}

func plainDraft() PostDraft {
	return PostDraft{Title: "冬季防火提示", Body: "天干物燥，请大家注意用火安全。", Category: "防范提示", Targets: []string{"weibo", "wechat"}}
}

func mustPost(t *testing.T) func(Post, error) Post {
	return func(p Post, err error) Post {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
}

func TestPostHappyPathPlain(t *testing.T) {
	st := newStation(t)
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	if p.Status != Draft || p.Sensitive {
		t.Fatalf("new draft: %+v", p)
	}
	p = mustPost(t)(st.officer.Submit(p.ID))
	if p.Status != Submitted {
		t.Fatalf("submitted: %s", p.Status)
	}
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, "同意"))
	if p.Status != Ready || p.ApprovedBy != "wang" {
		t.Fatalf("approved: %+v", p)
	}
	at := st.cfg.now()
	acc := liveAccount(t, st, "weibo", "pa_tangyin")
	p = mustPost(t)(st.officer.Publish(p.ID, "weibo", acc.ID, "https://weibo.example/123", at))
	if p.Status != Published || p.PublishedOn != "weibo" {
		t.Fatalf("published: %+v", p)
	}
	if err := st.officer.RecordMetrics(p.ID, Metrics{Day: at, Reads: 100, Likes: 5}); err != nil {
		t.Fatal(err)
	}
	d, err := st.officer.Post(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range d.Events {
		kinds = append(kinds, e.Kind)
	}
	if strings.Join(kinds, ",") != "submit,approve,publish" || len(d.Metrics) != 1 {
		t.Fatalf("trail %v metrics %v", kinds, d.Metrics)
	}
	if _, err := st.officer.SaveDraft(PostDraft{ID: p.ID, Title: "改", Body: "x", Category: "其他", Targets: []string{"weibo"}}); !errors.Is(err, ErrPublishedFinal) {
		t.Fatalf("edit after publish: %v", err)
	}
}

func TestReturnResubmitAndEditVoidsApproval(t *testing.T) {
	st := newStation(t)
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	p = mustPost(t)(st.officer.Submit(p.ID))
	var fe *FieldError
	if _, err := st.leader.Return(p.ID, p.ContentHash, "  "); !errors.As(err, &fe) {
		t.Fatalf("return without comment: %v", err)
	}
	p = mustPost(t)(st.leader.Return(p.ID, p.ContentHash, "标题请更具体"))
	if p.Status != Returned {
		t.Fatal(p.Status)
	}
	d := p.PostDraft
	d.Title = "冬季居家防火五点提示"
	p = mustPost(t)(st.officer.SaveDraft(d))
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	approvedHash := p.ContentHash
	// an edit after approval sends it back to draft and voids the approval
	d = p.PostDraft
	d.Body += "如遇火情请拨打 119。"
	p = mustPost(t)(st.officer.SaveDraft(d))
	if p.Status != Draft || p.ApprovedBy != "" || p.ContentHash == approvedHash {
		t.Fatalf("after edit: %+v", p)
	}
	if _, err := st.officer.Publish(p.ID, "weibo", "", "https://x.example/1", st.cfg.now()); !errors.Is(err, ErrWrongStatus) {
		t.Fatalf("publish a voided post: %v", err)
	}
	// saving unchanged content changes nothing
	again := mustPost(t)(st.officer.SaveDraft(p.PostDraft))
	if again.UpdatedAt != p.UpdatedAt {
		t.Fatal("unchanged save touched the post")
	}
}

func TestReviewRefusals(t *testing.T) {
	st := newStation(t)
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	if _, err := st.leader.Approve(p.ID, p.ContentHash, ""); !errors.Is(err, ErrWrongStatus) {
		t.Fatalf("approve a draft: %v", err)
	}
	if _, err := st.leader.Submit(p.ID); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("submit someone else's draft: %v", err)
	}
	p = mustPost(t)(st.officer.Submit(p.ID))
	if _, err := st.officer.Submit(p.ID); !errors.Is(err, ErrWrongStatus) {
		t.Fatalf("submit twice: %v", err)
	}
	if _, err := st.officer.Approve(p.ID, p.ContentHash, ""); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("officer approves: %v", err)
	}
	if _, err := st.admin.Approve(p.ID, p.ContentHash, ""); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("admin approves: %v", err)
	}
	if _, err := st.leader.Approve(p.ID, strings.Repeat("0", 64), ""); !errors.Is(err, ErrChanged) {
		t.Fatalf("approve another hash: %v", err)
	}
	// a leader's own post
	own := mustPost(t)(st.leader.SaveDraft(plainDraft()))
	own = mustPost(t)(st.leader.Submit(own.ID))
	if _, err := st.leader.Approve(own.ID, own.ContentHash, ""); !errors.Is(err, ErrOwnPost) {
		t.Fatalf("approve own post: %v", err)
	}
	if _, err := st.leader.Return(own.ID, own.ContentHash, "自己退回"); !errors.Is(err, ErrOwnPost) {
		t.Fatalf("return own post: %v", err)
	}
	if _, err := st.officer.Publish(p.ID, "weibo", "", "https://x.example/1", st.cfg.now()); !errors.Is(err, ErrWrongStatus) {
		t.Fatalf("publish before approval: %v", err)
	}
	if err := st.officer.RecordMetrics(p.ID, Metrics{Day: st.cfg.now()}); !errors.Is(err, ErrWrongStatus) {
		t.Fatalf("metrics before publication: %v", err)
	}
	st.officer.Lock()
	if _, err := st.officer.SaveDraft(plainDraft()); !errors.Is(err, ErrLocked) {
		t.Fatalf("locked session saved: %v", err)
	}
}

func TestBlockedPostCannotBeSubmitted(t *testing.T) {
	st := newStation(t)
	d := plainDraft()
	d.Body = "内部机密文件请勿外传，涉 密内容。"
	p := mustPost(t)(st.officer.SaveDraft(d))
	if _, err := st.officer.Submit(p.ID); !errors.Is(err, ErrBlocked) {
		t.Fatalf("blocked post submitted: %v", err)
	}
	d = p.PostDraft
	d.Body = "群众身份证号 410523199001011238 已核实。"
	p = mustPost(t)(st.officer.SaveDraft(d))
	var found bool
	for _, f := range st.officer.CheckText(PostText(d.Title, d.Body)) {
		found = found || (f.Rule == "pii.resident_id" && f.Action == checker.Block)
	}
	if !found {
		t.Fatal("a valid resident ID number is not a BLOCK finding")
	}
	if _, err := st.officer.Submit(p.ID); !errors.Is(err, ErrBlocked) {
		t.Fatalf("ID number submitted: %v", err)
	}
	d.Body = "群众身份信息已核实。"
	p = mustPost(t)(st.officer.SaveDraft(d))
	if p = mustPost(t)(st.officer.Submit(p.ID)); p.Status != Submitted {
		t.Fatalf("fixed post: %s", p.Status)
	}
}

func TestSensitivePostNeedsHQ(t *testing.T) {
	st := newStation(t)
	d := plainDraft()
	d.Flags = []string{"art20.major_sensitive"}
	p := mustPost(t)(st.officer.SaveDraft(d))
	if !p.Sensitive {
		t.Fatal("flagged post not sensitive")
	}
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	if p.Status != AwaitingHQ {
		t.Fatalf("sensitive post went to %s", p.Status)
	}
	if _, err := st.officer.Publish(p.ID, "weibo", "", "https://x.example/1", st.cfg.now()); !errors.Is(err, ErrWrongStatus) {
		t.Fatalf("published without HQ: %v", err)
	}
	if _, err := st.officer.hqDecidesPost(p.ID, strings.Repeat("ab", 32), true, "", "宣传科"); !errors.Is(err, ErrChanged) {
		t.Fatalf("HQ approval of another hash: %v", err)
	}
	p = mustPost(t)(st.officer.hqDecidesPost(p.ID, p.ContentHash, true, "同意发布", "宣传科"))
	if p.Status != Ready || !p.HQApproved {
		t.Fatalf("after HQ: %+v", p)
	}
	if _, err := st.officer.hqDecidesPost(p.ID, p.ContentHash, true, "", "宣传科"); !errors.Is(err, ErrWrongStatus) {
		t.Fatalf("second HQ decision: %v", err)
	}
	// HQ return
	q := mustPost(t)(st.officer.SaveDraft(d))
	q = mustPost(t)(st.officer.Submit(q.ID))
	q = mustPost(t)(st.leader.Approve(q.ID, q.ContentHash, ""))
	q = mustPost(t)(st.officer.hqDecidesPost(q.ID, q.ContentHash, false, "暂缓发布", "宣传科"))
	if q.Status != Returned || q.ApprovedBy != "" {
		t.Fatalf("after HQ return: %+v", q)
	}
}

func TestWarningsNeedReasonsAndPersonalConsent(t *testing.T) {
	st := newStation(t)
	d := plainDraft()
	d.Body = "请失主拨打 13812345678 认领。"
	d.Personal = true
	d.Flags = []string{"art21.statistics"}
	p := mustPost(t)(st.officer.SaveDraft(d))
	p = mustPost(t)(st.officer.Submit(p.ID))
	open, err := st.leader.OpenWarnings(p.ID)
	if err != nil || len(open) == 0 {
		t.Fatalf("open warnings: %v %v", open, err)
	}
	if _, err := st.leader.Approve(p.ID, p.ContentHash, ""); !errors.Is(err, ErrWarnings) {
		t.Fatalf("approved with open warnings: %v", err)
	}
	var fe *FieldError
	if err := st.leader.OverrideWarning(p.ID, p.ContentHash, open[0], "短"); !errors.As(err, &fe) {
		t.Fatalf("short reason: %v", err)
	}
	if err := st.officer.OverrideWarning(p.ID, p.ContentHash, open[0], "失主联系电话，需公开"); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("officer override: %v", err)
	}
	for _, f := range open {
		if err := st.leader.OverrideWarning(p.ID, p.ContentHash, f, "失主联系电话，需公开"); err != nil {
			t.Fatal(err)
		}
	}
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	if p.Status != AwaitingHQ {
		t.Fatalf("flagged personal post: %s", p.Status)
	}
	dd, _ := st.leader.Post(p.ID)
	var consent bool
	for _, e := range dd.Events {
		consent = consent || e.Kind == "unit_consent"
	}
	if !consent {
		t.Fatal("unit consent for a personal work account not recorded")
	}
	entries, _ := data.ListAudit(st.admin.store.Reader(), data.AuditFilter{Action: "post.override"})
	if len(entries) != len(open) {
		t.Fatalf("overrides audited: %d", len(entries))
	}
}

func TestDraftValidationAndPublishInput(t *testing.T) {
	st := newStation(t)
	var fe *FieldError
	for field, d := range map[string]PostDraft{
		"title":    {Title: " ", Body: "x", Category: "其他", Targets: []string{"weibo"}},
		"targets":  {Title: "t", Body: "x", Category: "其他"},
		"category": {Title: "t", Body: "x", Targets: []string{"weibo"}},
		"flags":    {Title: "t", Body: "x", Category: "其他", Targets: []string{"weibo"}, Flags: []string{"art18.2"}},
	} {
		if _, err := st.officer.SaveDraft(d); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	p := mustPost(t)(st.officer.SaveDraft(plainDraft()))
	p = mustPost(t)(st.officer.Submit(p.ID))
	p = mustPost(t)(st.leader.Approve(p.ID, p.ContentHash, ""))
	acc, other := liveAccount(t, st, "weibo", "pa_tangyin"), liveAccount(t, st, "wechat", "pa_tangyin")
	for field, try := range map[string]func() error{
		"url": func() error {
			_, err := st.officer.Publish(p.ID, "weibo", acc.ID, "not a url", st.cfg.now())
			return err
		},
		"at": func() error {
			_, err := st.officer.Publish(p.ID, "weibo", acc.ID, "https://x.example", st.cfg.now().Add(time.Hour))
			return err
		},
		"platform": func() error {
			_, err := st.officer.Publish(p.ID, "douyin", acc.ID, "https://x.example", st.cfg.now())
			return err
		},
		"account": func() error { // an account on another platform
			_, err := st.officer.Publish(p.ID, "weibo", other.ID, "https://x.example", st.cfg.now())
			return err
		},
	} {
		if err := try(); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("publish %s: %v", field, err)
		}
	}
	if _, err := hex.DecodeString(p.ContentHash); err != nil || len(p.ContentHash) != 64 {
		t.Fatalf("content hash %q", p.ContentHash)
	}
}

func TestPostCategoriesEditable(t *testing.T) {
	st := newStation(t)
	if got := st.officer.PostCategories(); len(got) != len(DefaultPostCategories) {
		t.Fatalf("defaults: %v", got)
	}
	if err := st.officer.SetPostCategories([]string{"x"}); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("officer edits categories: %v", err)
	}
	var fe *FieldError
	if err := st.admin.SetPostCategories([]string{" ", ""}); !errors.As(err, &fe) {
		t.Fatalf("empty list: %v", err)
	}
	if err := st.admin.SetPostCategories([]string{"反诈宣传", "警情通报", "反诈宣传"}); err != nil {
		t.Fatal(err)
	}
	if got := st.officer.PostCategories(); strings.Join(got, ",") != "反诈宣传,警情通报" {
		t.Fatalf("edited: %v", got)
	}
}

func TestAttachImage(t *testing.T) {
	st := newStation(t)
	var png bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	if err := imgpng.Encode(&png, img); err != nil {
		t.Fatal(err)
	}
	id, err := st.officer.AttachImage(bytes.NewReader(png.Bytes()), "/tmp/现场.png")
	if err != nil {
		t.Fatal(err)
	}
	d := plainDraft()
	d.Images = []string{id}
	p := mustPost(t)(st.officer.SaveDraft(d))
	if len(p.Images) != 1 {
		t.Fatal("image not kept")
	}
	rc, err := st.officer.OpenAttachment(id)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, png.Bytes()) {
		t.Fatal("image changed")
	}
	if name, _ := st.officer.AttachmentName(id); name != "现场.png" {
		t.Fatalf("name %q", name)
	}
	var fe *FieldError
	if _, err := st.officer.AttachImage(strings.NewReader("plain text, not an image"), "a.txt"); !errors.As(err, &fe) {
		t.Fatalf("text accepted as image: %v", err)
	}
}

func TestAutosaveSurvivesReopen(t *testing.T) {
	st := newStation(t)
	half := PostDraft{Title: "", Body: "写到一半的正文，还没有标题"}
	if err := st.officer.Autosave(half); err != nil {
		t.Fatal(err)
	}
	// the working copy is on disk: sign in again from the files
	st.admin.store.Close()
	officer, err := SignIn(st.cfg, "li", "officer-pass")
	if err != nil {
		t.Fatal(err)
	}
	defer officer.Close()
	st.officer = officer
	st.leader = &Session{cfg: st.cfg, store: officer.store, unit: officer.unit, user: st.leader.user}
	d, at, ok, err := st.officer.AutosavedDraft()
	if err != nil || !ok || d.Body != half.Body || at.IsZero() {
		t.Fatalf("autosaved: %+v %v %v %v", d, at, ok, err)
	}
	if _, _, ok, _ := st.leader.AutosavedDraft(); ok {
		t.Fatal("another user sees the working copy")
	}
	d.Title, d.Category, d.Targets = "标题", "其他", []string{"weibo"}
	mustPost(t)(st.officer.SaveDraft(d))
	if _, _, ok, _ := st.officer.AutosavedDraft(); ok {
		t.Fatal("a saved draft left its working copy behind")
	}
	if err := st.officer.Autosave(half); err != nil {
		t.Fatal(err)
	}
	if err := st.officer.DiscardAutosave(); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, _ := st.officer.AutosavedDraft(); ok {
		t.Fatal("discard kept the working copy")
	}
}

func TestBlockedErrorNamesTheText(t *testing.T) {
	st := newStation(t)
	d := plainDraft()
	d.Body = "这份绝密文件请转发。"
	p := mustPost(t)(st.officer.SaveDraft(d))
	_, err := st.officer.Submit(p.ID)
	var be *BlockedError
	if !errors.Is(err, ErrBlocked) || !errors.As(err, &be) || !strings.Contains(strings.SplitN(err.Error(), " / ", 2)[0], be.Finding.Text) {
		t.Fatalf("blocked error: %v", err)
	}
	names, err := st.officer.UserNames()
	if err != nil || names[st.officer.User().ID] != "李警官" {
		t.Fatalf("names: %v %v", names, err)
	}
}

func TestSearchPostsThroughSession(t *testing.T) {
	st := newStation(t)
	d := plainDraft()
	d.Title, d.Body = "汤阴县反诈提示", "警惕电信网络诈骗，不转账不汇款。"
	mustPost(t)(st.officer.SaveDraft(d))
	mustPost(t)(st.officer.SaveDraft(plainDraft()))
	for _, q := range []string{"诈", "汤阴", "网络诈骗"} {
		res, err := st.officer.SearchPosts(q, PostQuery{}, 20)
		if err != nil || len(res.Hits) != 1 || res.Hits[0].Post.Title != d.Title {
			t.Fatalf("search %q: %+v %v", q, res, err)
		}
	}
	if n, err := st.officer.CountPosts(PostQuery{}); err != nil || n != 2 {
		t.Fatalf("count: %d %v", n, err)
	}
}
