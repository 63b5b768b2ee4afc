package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"mediadesk/app/checker"
	"mediadesk/data"
)

// PostStatus is where a post stands in review (design.md §6).
type PostStatus string

// The post statuses.
const (
	Draft      PostStatus = "draft"       // 草稿
	Submitted  PostStatus = "submitted"   // 送审: waits for the shift leader
	Returned   PostStatus = "returned"    // 退回修改
	AwaitingHQ PostStatus = "awaiting_hq" // 报宣传科审批
	Ready      PostStatus = "ready"       // 待发布
	Published  PostStatus = "published"   // 已发布
	TakenDown  PostStatus = "taken_down"  // 已撤下: published, then deleted from the platform (final; see takedown.go)
)

// Errors of the post workflow.
var (
	ErrWrongStatus    = errors.New("稿件当前状态不允许此操作，请刷新后再试 / the post's status does not allow this: refresh and retry")
	ErrOwnPost        = errors.New("不能审核自己起草的稿件，请交其他带班领导审核 / you cannot review your own post: ask another shift leader")
	ErrChanged        = errors.New("稿件在您打开后已被修改，请重新审阅最新内容 / the post changed after you opened it: review the latest text")
	ErrWarnings       = errors.New("还有未说明理由的提醒，请逐条说明理由或退回修改 / some warnings have no reason yet: give a reason for each or return the post")
	ErrPublishedFinal = errors.New("已发布的稿件不能再修改，如需更正请另起草一篇 / a published post cannot change: draft a correction instead")
)

// ErrBlocked matches every BlockedError (errors.Is).
var ErrBlocked = errors.New("稿件含有禁止发布的内容，请按提示修改后再送审 / the post contains prohibited content: fix what the checker marks, then submit")

// BlockedError refuses a post with a BLOCK finding and names it.
type BlockedError struct{ Finding checker.Finding }

func (e *BlockedError) Error() string {
	return fmt.Sprintf("稿件含有禁止发布的内容“%s”（%s），请按提示修改后再送审 / the post contains prohibited content %q (%s): fix it, then submit",
		e.Finding.Text, e.Finding.Article, e.Finding.Text, e.Finding.Article)
}

// Is makes errors.Is(err, ErrBlocked) true.
func (e *BlockedError) Is(target error) bool { return target == ErrBlocked }

// firstBlock returns a BlockedError for the first BLOCK finding, or nil.
func firstBlock(findings []checker.Finding) error {
	for _, f := range findings {
		if f.Action == checker.Block {
			return &BlockedError{Finding: f}
		}
	}
	return nil
}

// ErrRescreen matches every RescreenError.
var ErrRescreen = errors.New("按现行词库此稿不能按原审批发布，请作者修改或重新保存后再送审 / under the current lexicon this post cannot go out on its earlier approval: the author edits or saves it again, then submits it")

// RescreenError refuses to publish a ready post that the current lexicon,
// newer than the one it was reviewed under, no longer clears: a BLOCK
// finding, or the post now needs HQ's approval (Art. 20, 21) and HQ has
// not approved this content.
type RescreenError struct {
	Finding checker.Finding // the BLOCK or NEEDS_APPROVAL finding (empty Text: the post's own marks)
	Version string          // the lexicon screened with
}

func (e *RescreenError) Error() string {
	f := e.Finding
	if f.Action == checker.Block {
		return fmt.Sprintf("现行词库（%s）禁止发布“%s”（%s），此稿不能登记发布；请作者修改稿件后重新送审 / the current lexicon (%s) prohibits %q (%s): this post cannot be published; the author edits it and submits it again",
			e.Version, f.Text, f.Article, e.Version, f.Text, f.Article)
	}
	if f.Text == "" {
		return fmt.Sprintf("按现行词库（%s）此稿须报宣传科审批，宣传科尚未同意这一版本，不能登记发布；请作者打开“编辑”保存后重新送审 / under the current lexicon (%s) this post needs the publicity section's approval, which this version does not have: the author opens Edit, saves and submits it again",
			e.Version, e.Version)
	}
	return fmt.Sprintf("按现行词库（%s），“%s”（%s）须报宣传科审批，宣传科尚未同意这一版本，不能登记发布；请作者打开“编辑”保存后重新送审 / under the current lexicon (%s) %q (%s) needs the publicity section's approval, which this version does not have: the author opens Edit, saves and submits it again",
		e.Version, f.Text, f.Article, e.Version, f.Text, f.Article)
}

// Is makes errors.Is(err, ErrRescreen) true, and errors.Is(err,
// ErrBlocked) for a BLOCK finding.
func (e *RescreenError) Is(target error) bool {
	return target == ErrRescreen || target == ErrBlocked && e.Finding.Action == checker.Block
}

// rescreen checks ready post p (draft d) against findings, the current
// lexicon lex's findings of its text: nil if its approvals still suffice,
// else a RescreenError.
func rescreen(lex *checker.Lexicon, p data.Post, d PostDraft, findings []checker.Finding) error {
	for _, f := range findings {
		if f.Action == checker.Block {
			return &RescreenError{Finding: f, Version: lex.Version()}
		}
	}
	if !SensitiveDraft(d, findings) || (len(p.HQHash) > 0 && bytes.Equal(p.HQHash, p.ContentHash)) {
		return nil
	}
	e := &RescreenError{Version: lex.Version()}
	for _, f := range findings {
		if f.Action == checker.NeedsApproval {
			e.Finding = f
			break
		}
	}
	e.Finding.Action = checker.NeedsApproval
	return e
}

// PostDraft is what the editor saves.
type PostDraft struct {
	ID       string // empty for a new post
	Title    string
	Body     string
	Category string
	Targets  []string // platform codes (accounts once the registry exists)
	Personal bool     // targets an officer's personal work account
	Flags    []string // sensitive categories the author marks (art20.*, art21.*)
	Images   []string // attachment IDs, in order
	// Planning, not content: neither is in the content hash, so changing
	// them voids no approval (see savePlan).
	CampaignID string    // the campaign the post belongs to (Art. 22), empty for none
	PlannedAt  time.Time // the planned publication time, zero for none
}

// Post is a post as screens see it.
type Post struct {
	PostDraft
	AuthorID       string
	Status         PostStatus
	Sensitive      bool
	ContentHash    string // hex SHA-256 of the content
	ApprovedBy     string
	HQApproved     bool
	LexiconVersion string
	PublishedAt    time.Time
	PublishedOn    string
	PublishedURL   string
	PublishedBy    string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// contentHash is the SHA-256 of a post's canonical content: what an
// approval names. Any change to it voids earlier approvals.
func contentHash(d PostDraft) []byte {
	targets := slices.Clone(d.Targets)
	flags := slices.Clone(d.Flags)
	slices.Sort(targets)
	slices.Sort(flags)
	canon, _ := json.Marshal(struct {
		Title, Body, Category string
		Targets, Flags        []string
		Personal              bool
		Images                []string
	}{d.Title, d.Body, d.Category, targets, flags, d.Personal, d.Images})
	sum := sha256.Sum256(canon)
	return sum[:]
}

func postFrom(p data.Post, images []string) Post {
	var targets, flags []string
	_ = json.Unmarshal([]byte(p.Targets), &targets)
	if p.Flags != "" {
		_ = json.Unmarshal([]byte(p.Flags), &flags)
	}
	out := Post{PostDraft: PostDraft{ID: p.ID, Title: p.Title, Body: p.Body, Category: p.Category, Targets: targets,
		Personal: p.Personal, Flags: flags, Images: images, CampaignID: p.CampaignID},
		AuthorID: p.AuthorID, Status: PostStatus(p.Status), Sensitive: p.Sensitive, ContentHash: hex.EncodeToString(p.ContentHash),
		ApprovedBy: p.ApprovedBy, HQApproved: len(p.HQHash) > 0, LexiconVersion: p.LexiconVersion,
		PublishedOn: p.PublishedOn, PublishedURL: p.PublishedURL, PublishedBy: p.PublishedBy,
		CreatedAt: time.UnixMilli(p.CreatedAt), UpdatedAt: time.UnixMilli(p.UpdatedAt)}
	if p.PublishedAt != 0 {
		out.PublishedAt = time.UnixMilli(p.PublishedAt)
	}
	if p.PlannedAt != 0 {
		out.PlannedAt = time.UnixMilli(p.PlannedAt)
	}
	return out
}

// validate checks a draft field by field.
func (d PostDraft) validate() error {
	if err := validName("title", d.Title, 100); err != nil {
		return err
	}
	if utf8.RuneCountInString(d.Body) > 20000 {
		return &FieldError{Field: "body", Msg: "正文不能超过 20000 字 / the body may have at most 20,000 characters"}
	}
	if strings.TrimSpace(d.Category) == "" || utf8.RuneCountInString(d.Category) > 20 {
		return &FieldError{Field: "category", Msg: "请选择稿件类别 / choose a category"}
	}
	if len(d.Targets) == 0 {
		return &FieldError{Field: "targets", Msg: "请至少选择一个发布平台 / choose at least one platform"}
	}
	for _, t := range d.Targets {
		if _, ok := PlatformByCode(t); !ok {
			return &FieldError{Field: "targets", Msg: fmt.Sprintf("未知的发布平台 %q / unknown platform %q", t, t)}
		}
	}
	for _, f := range d.Flags {
		c, ok := checker.CategoryInfo(f)
		if !ok || !(strings.HasPrefix(c.Code, "art20.") || strings.HasPrefix(c.Code, "art21.")) {
			return &FieldError{Field: "flags", Msg: fmt.Sprintf("未知的敏感类别 %q / unknown sensitive category %q", f, f)}
		}
	}
	return nil
}

// Lexicon returns the lexicon drafts are screened with: the newest
// published one this install has that compiles (HQ's, once sync brings
// it), else the built-in one (see lexicon.go). It reads the store, so an
// action takes it before its write transaction begins.
func (s *Session) Lexicon() *checker.Lexicon {
	_, lex := s.lexiconInUse()
	return lex
}

// CheckText screens a text with the current lexicon. It is safe to call
// off the UI goroutine.
func (s *Session) CheckText(text string) []checker.Finding { return s.Lexicon().Check(text) }

// findingsOf screens a post's title and body with lex; body offsets
// follow the title and a newline, as the editor shows them.
func findingsOf(lex *checker.Lexicon, d PostDraft) []checker.Finding {
	return lex.Check(PostText(d.Title, d.Body))
}

// PostText is the text the checker screens for a post: the title, a
// newline, the body. Finding offsets count characters of this text.
func PostText(title, body string) string { return title + "\n" + body }

func (s *Session) requireStation() error {
	if err := s.checkActive(); err != nil {
		return err
	}
	if s.unit.Kind != Station {
		return ErrStationOnly
	}
	return nil
}

func (s *Session) now() int64 { return s.cfg.now().UnixMilli() }

// SensitiveDraft reports whether draft d, with the checker's findings of
// its text, is sensitive and needs HQ's approval (Art. 20, 21): the author
// marked a sensitive category, or a finding needs approval. The editor
// shows it as the author types; saving and submitting record it.
func SensitiveDraft(d PostDraft, findings []checker.Finding) bool {
	if len(d.Flags) > 0 {
		return true
	}
	for _, f := range findings {
		if f.Action == checker.NeedsApproval {
			return true
		}
	}
	return false
}

// SaveDraft creates or updates the signed-in user's draft. Editing a post
// under review or approved sends it back to draft and voids every
// approval, since approvals name the exact content.
func (s *Session) SaveDraft(d PostDraft) (Post, error) {
	if err := s.requireStation(); err != nil {
		return Post{}, err
	}
	d.Title = strings.TrimSpace(d.Title)
	if err := d.validate(); err != nil {
		return Post{}, err
	}
	me := s.User()
	now := s.now()
	hash := contentHash(d)
	lex := s.Lexicon()
	findings := findingsOf(lex, d)
	var saved data.Post
	err := s.store.Write(func(tx *data.Tx) error {
		targets, _ := json.Marshal(d.Targets)
		flags := ""
		if len(d.Flags) > 0 {
			b, _ := json.Marshal(d.Flags)
			flags = string(b)
		}
		p := data.Post{ID: d.ID, OwnerUnit: s.unit.ID, AuthorID: me.ID, Status: string(Draft), CreatedAt: now, Version: 1}
		from := ""
		if d.ID == "" {
			p.ID = uuid.Must(uuid.NewV7()).String()
		} else {
			old, err := data.PostByID(tx, d.ID)
			if err != nil {
				return err
			}
			if old.AuthorID != me.ID {
				return ErrNotAllowed
			}
			if old.Status == string(Published) {
				return ErrPublishedFinal
			}
			if old.Status == string(TakenDown) {
				return ErrTakenDownFinal
			}
			// A ready post the current lexicon no longer clears goes back
			// to draft even unchanged, so that it can be submitted again.
			if string(old.ContentHash) == string(hash) && (old.Status != string(Ready) || rescreen(lex, old, d, findings) == nil) {
				saved = old
				return s.savePlan(tx, &saved, d, now) // the content did not change; the plan may have
			}
			p, from = old, old.Status
			p.Version++
			p.Status, p.ApprovedHash, p.ApprovedBy, p.HQHash = string(Draft), nil, "", nil
		}
		p.Title, p.Body, p.Category, p.Targets, p.Personal, p.Flags = d.Title, d.Body, d.Category, string(targets), d.Personal, flags
		p.ContentHash, p.Sensitive, p.LexiconVersion, p.UpdatedAt = hash, SensitiveDraft(d, findings), lex.Version(), now
		if _, err := s.applyPlan(tx, &p, d); err != nil {
			return err
		}
		if err := data.SavePost(tx, p); err != nil {
			return err
		}
		if err := data.SetPostImages(tx, p.ID, d.Images); err != nil {
			return err
		}
		saved = p
		if err := data.DeleteAutosave(tx, me.ID); err != nil {
			return err
		}
		if from != "" && from != string(Draft) {
			if err := s.postEvent(tx, p, "edit", PostStatus(from), Draft, "修改后退回草稿，此前审批作废 / edited: back to draft, earlier approvals void"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Post{}, err
	}
	return postFrom(saved, d.Images), nil
}

func (s *Session) postEvent(tx *data.Tx, p data.Post, kind string, from, to PostStatus, comment string) error {
	now := s.now()
	err := data.AddPostEvent(tx, data.PostEvent{ID: uuid.Must(uuid.NewV7()).String(), PostID: p.ID, At: now, Actor: s.User().Name,
		Kind: kind, FromStatus: string(from), ToStatus: string(to), ContentHash: p.ContentHash, Comment: comment})
	if err != nil {
		return err
	}
	return data.AppendAudit(tx, now, s.User().Name, "post."+kind, p.ID, fmt.Sprintf("%s→%s %s", from, to, comment))
}

// transition runs one workflow step on a post inside a write transaction.
func (s *Session) transition(id string, step func(tx *data.Tx, p *data.Post) error) (Post, error) {
	var out data.Post
	err := s.store.Write(func(tx *data.Tx) error {
		p, err := data.PostByID(tx, id)
		if err != nil {
			return err
		}
		if p.OwnerUnit != s.unit.ID {
			return ErrNotAllowed
		}
		if err := step(tx, &p); err != nil {
			return err
		}
		p.UpdatedAt = s.now()
		p.Version++
		out = p
		return data.SavePost(tx, p)
	})
	if err != nil {
		return Post{}, err
	}
	images, err := data.PostImages(s.store.Reader(), id)
	return postFrom(out, images), err
}

func draftOf(p data.Post, images []string) PostDraft { return postFrom(p, images).PostDraft }

// Submit sends the author's draft to the shift leader (送审). A post with
// a BLOCK finding cannot be submitted.
func (s *Session) Submit(id string) (Post, error) {
	if err := s.requireStation(); err != nil {
		return Post{}, err
	}
	lex := s.Lexicon()
	return s.transition(id, func(tx *data.Tx, p *data.Post) error {
		if p.AuthorID != s.User().ID {
			return ErrNotAllowed
		}
		if p.Status != string(Draft) && p.Status != string(Returned) {
			return ErrWrongStatus
		}
		images, err := data.PostImages(tx, p.ID)
		if err != nil {
			return err
		}
		d := draftOf(*p, images)
		findings := findingsOf(lex, d)
		if err := firstBlock(findings); err != nil {
			return err
		}
		p.Sensitive, p.LexiconVersion = SensitiveDraft(d, findings), lex.Version()
		from := PostStatus(p.Status)
		p.Status = string(Submitted)
		return s.postEvent(tx, *p, "submit", from, Submitted, "")
	})
}

// MayEdit reports whether the signed-in user may change p: its author,
// until it is published (SaveDraft's rule; a post taken down stays as it
// was). Editing a post already
// submitted voids its approvals, so the screen asks first then.
func (s *Session) MayEdit(p Post) bool {
	return p.AuthorID == s.User().ID && p.Status != Published && p.Status != TakenDown
}

// MayReview reports whether the signed-in user may approve or return p
// now: a shift leader, not its author, while it is submitted. The screen
// offers the review actions only then.
func (s *Session) MayReview(p Post) bool {
	return s.User().Role == ShiftLeader && p.AuthorID != s.User().ID && p.Status == Submitted
}

// MayReturn reports whether the signed-in user may return p to its author:
// as MayReview, and also while it is ready (待发布): a shift leader takes
// back an approval when the post should not go out as it is (the
// situation changed, or a newer lexicon no longer clears it and its
// author cannot be reached).
func (s *Session) MayReturn(p Post) bool {
	return s.User().Role == ShiftLeader && p.AuthorID != s.User().ID && (p.Status == Submitted || p.Status == Ready)
}

// reviewable checks that the signed-in user may review p at hash.
func (s *Session) reviewable(p *data.Post, hash string) error {
	if s.User().Role != ShiftLeader {
		return ErrNotAllowed
	}
	if p.AuthorID == s.User().ID {
		return ErrOwnPost
	}
	if p.Status != string(Submitted) {
		return ErrWrongStatus
	}
	if hex.EncodeToString(p.ContentHash) != hash {
		return ErrChanged
	}
	return nil
}

// OpenWarnings returns the WARN findings of a post's current content that
// no shift leader has overridden yet.
func (s *Session) OpenWarnings(id string) ([]checker.Finding, error) {
	p, err := data.PostByID(s.store.Reader(), id)
	if err != nil {
		return nil, err
	}
	images, err := data.PostImages(s.store.Reader(), id)
	if err != nil {
		return nil, err
	}
	return openWarnings(s.store.Reader(), s.Lexicon(), p, images)
}

func openWarnings(q data.Querier, lex *checker.Lexicon, p data.Post, images []string) ([]checker.Finding, error) {
	done, err := data.Overrides(q, p.ID, p.ContentHash)
	if err != nil {
		return nil, err
	}
	var open []checker.Finding
	for _, f := range findingsOf(lex, draftOf(p, images)) {
		if f.Action != checker.Warn {
			continue
		}
		if !slices.ContainsFunc(done, func(o data.Override) bool { return o.Rule == f.Rule && o.Start == f.Start }) {
			open = append(open, f)
		}
	}
	return open, nil
}

// OverrideWarning lets a shift leader accept a WARN finding with a reason
// (recorded, and valid only for this exact content).
func (s *Session) OverrideWarning(id, hash string, f checker.Finding, reason string) error {
	if err := s.requireStation(); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) < 4 {
		return &FieldError{Field: "reason", Msg: "请写明理由（至少 4 个字）/ give a reason (at least 4 characters)"}
	}
	if f.Action != checker.Warn {
		return &FieldError{Field: "reason", Msg: "只有“提醒”类问题可以说明理由放行 / only warnings can be overridden"}
	}
	return s.store.Write(func(tx *data.Tx) error {
		p, err := data.PostByID(tx, id)
		if err != nil {
			return err
		}
		if err := s.reviewable(&p, hash); err != nil {
			return err
		}
		now := s.now()
		if err := data.AddOverride(tx, data.Override{PostID: id, ContentHash: p.ContentHash, Rule: f.Rule, Start: f.Start,
			At: now, Actor: s.User().Name, Reason: reason}); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "post.override", id, f.Rule+" "+f.Text+"："+reason)
	})
}

// Approve records the shift leader's approval of the exact content they
// reviewed (hash). A sensitive post then goes to the publicity section
// (报宣传科审批); others are ready to publish. For a personal work account
// touching an Art. 21 category the approval is the unit's recorded consent.
func (s *Session) Approve(id, hash, comment string) (Post, error) {
	if err := s.requireStation(); err != nil {
		return Post{}, err
	}
	lex := s.Lexicon()
	return s.transition(id, func(tx *data.Tx, p *data.Post) error {
		if err := s.reviewable(p, hash); err != nil {
			return err
		}
		images, err := data.PostImages(tx, p.ID)
		if err != nil {
			return err
		}
		open, err := openWarnings(tx, lex, *p, images)
		if err != nil {
			return err
		}
		if len(open) > 0 {
			return ErrWarnings
		}
		findings := findingsOf(lex, draftOf(*p, images))
		if err := firstBlock(findings); err != nil {
			return err
		}
		p.Sensitive = SensitiveDraft(draftOf(*p, images), findings)
		p.ApprovedHash, p.ApprovedBy = p.ContentHash, s.User().Name
		next := Ready
		if p.Sensitive {
			next = AwaitingHQ
		}
		if p.Personal && touchesArt21(draftOf(*p, images), findings) {
			if err := s.postEvent(tx, *p, "unit_consent", Submitted, Submitted, "本单位同意个人工作账号发布（第二十一条）/ unit consent for a personal work account (Art. 21)"); err != nil {
				return err
			}
		}
		p.Status = string(next)
		return s.postEvent(tx, *p, "approve", Submitted, next, strings.TrimSpace(comment))
	})
}

func touchesArt21(d PostDraft, findings []checker.Finding) bool {
	for _, f := range d.Flags {
		if strings.HasPrefix(f, "art21.") {
			return true
		}
	}
	for _, f := range findings {
		if strings.HasPrefix(f.Category, "art21.") {
			return true
		}
	}
	return false
}

// Return sends a submitted or ready post back to its author with comments
// (退回修改); a ready post loses its approvals, since the author's next
// save is a new version.
func (s *Session) Return(id, hash, comment string) (Post, error) {
	if err := s.requireStation(); err != nil {
		return Post{}, err
	}
	comment = strings.TrimSpace(comment)
	if comment == "" {
		return Post{}, &FieldError{Field: "comment", Msg: "退回时请写明修改意见 / say what to change when returning a post"}
	}
	return s.transition(id, func(tx *data.Tx, p *data.Post) error {
		from := PostStatus(p.Status)
		if from == Ready {
			p.Status = string(Submitted) // reviewable's other checks apply alike
		}
		if err := s.reviewable(p, hash); err != nil {
			return err
		}
		p.Status = string(Returned)
		if from == Ready { // its approvals are taken back
			p.ApprovedHash, p.ApprovedBy, p.HQHash = nil, "", nil
		}
		return s.postEvent(tx, *p, "return", from, Returned, comment)
	})
}

// publishSlack is how far in the future a recorded time may be: clocks of
// desks and phones differ a little.
const publishSlack = 5 * time.Minute

// formMinute reads a time entered in a form to the minute (publication,
// take-down): the start of the current minute means now, not that start;
// notAhead is false when it lies more than publishSlack ahead of now.
func (s *Session) formMinute(at time.Time) (t time.Time, notAhead bool) {
	now := s.cfg.now()
	if at.Equal(now.Truncate(time.Minute)) {
		at = now
	}
	return at, !at.After(now.Add(publishSlack))
}

// Publish records that a ready post went out (已发布): on which platform
// and which of the unit's live accounts there, at which URL, when. at is
// read from a form to the minute: the start of the current minute means
// now, not that start (which may precede the draft).
func (s *Session) Publish(id, platform, accountID, link string, at time.Time) (Post, error) {
	if err := s.requireStation(); err != nil {
		return Post{}, err
	}
	at, notAhead := s.formMinute(at)
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Post{}, &FieldError{Field: "url", Msg: "请填写发布后的网址，以 http:// 或 https:// 开头 / enter the published address, starting with http:// or https://"}
	}
	if !notAhead {
		return Post{}, &FieldError{Field: "at", Msg: "发布时间不能晚于现在 / the publication time cannot be in the future"}
	}
	lex := s.Lexicon()
	return s.transition(id, func(tx *data.Tx, p *data.Post) error {
		if p.Status != string(Ready) {
			return ErrWrongStatus
		}
		// The lexicon may have grown since the post was reviewed: screen it
		// again with the current one.
		images, err := data.PostImages(tx, p.ID)
		if err != nil {
			return err
		}
		d := draftOf(*p, images)
		if err := rescreen(lex, *p, d, findingsOf(lex, d)); err != nil {
			return err
		}
		var targets []string
		_ = json.Unmarshal([]byte(p.Targets), &targets)
		if !slices.Contains(targets, platform) {
			return &FieldError{Field: "platform", Msg: "请选择稿件的目标平台之一 / choose one of the post's platforms"}
		}
		if err := s.checkPublishAccount(tx, accountID, platform, p.Personal); err != nil {
			return err
		}
		// the form is minute-precise: the minute the draft began counts
		if at.Truncate(time.Minute).Add(time.Minute).UnixMilli() <= p.CreatedAt {
			return &FieldError{Field: "at", Msg: "发布时间不能早于起草时间 / the publication time cannot precede the draft"}
		}
		// nor the shift leader's approval it goes out on (to the minute,
		// as the form). HQ's approval carries HQ's clock, which is never
		// compared with this station's; the post cannot be ready before
		// it arrived anyway.
		events, err := data.PostEvents(tx, p.ID)
		if err != nil {
			return err
		}
		var approved int64
		for _, e := range events {
			if e.Kind == "approve" {
				approved = max(approved, e.At)
			}
		}
		if ap := time.UnixMilli(approved).In(at.Location()); approved != 0 && at.Truncate(time.Minute).Before(ap.Truncate(time.Minute)) {
			return &FieldError{Field: "at", Msg: fmt.Sprintf("发布时间不能早于审批通过的时间 %s，请填写实际发布时间 / the publication time cannot precede the approval at %s: enter when the post actually went out",
				ap.Format("2006-01-02 15:04"), ap.Format("2006-01-02 15:04"))}
		}
		p.Status, p.PublishedAt, p.PublishedOn, p.PublishedURL, p.PublishedBy = string(Published), at.UnixMilli(), platform, u.String(), s.User().Name
		if err := data.SetPostAccount(tx, p.ID, accountID); err != nil {
			return err
		}
		return s.postEvent(tx, *p, "publish", Ready, Published, platform+" "+u.String())
	})
}

// Metrics are one day's numbers for a published post.
type Metrics struct {
	Day                             time.Time
	Reads, Likes, Comments, Reposts int64
}

// RecordMetrics enters a published post's numbers for a day.
func (s *Session) RecordMetrics(id string, m Metrics) error {
	if err := s.requireStation(); err != nil {
		return err
	}
	if m.Reads < 0 || m.Likes < 0 || m.Comments < 0 || m.Reposts < 0 {
		return &FieldError{Field: "metrics", Msg: "数字不能为负 / numbers cannot be negative"}
	}
	day := m.Day.Format(time.DateOnly)
	if day > s.cfg.now().Format(time.DateOnly) {
		return &FieldError{Field: "day", Msg: "日期不能晚于今天 / the date cannot be after today"}
	}
	return s.store.Write(func(tx *data.Tx) error {
		p, err := data.PostByID(tx, id)
		if err != nil {
			return err
		}
		if p.Status != string(Published) || p.OwnerUnit != s.unit.ID {
			return ErrWrongStatus
		}
		if day < time.UnixMilli(p.PublishedAt).Format(time.DateOnly) {
			return &FieldError{Field: "day", Msg: "日期不能早于发布日期 / the date cannot precede publication"}
		}
		now := s.now()
		if err := data.SavePostMetrics(tx, data.PostMetrics{PostID: id, Day: day, Reads: m.Reads, Likes: m.Likes,
			Comments: m.Comments, Reposts: m.Reposts, At: now, Actor: s.User().Name}); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "post.metrics", id, day)
	})
}

// Comment adds a comment to a post's thread (parentID empty for a new
// thread).
func (s *Session) Comment(id, parentID, body string) error {
	if err := s.requireStation(); err != nil {
		return err
	}
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > 2000 {
		return &FieldError{Field: "comment", Msg: "评论不能为空，且不超过 2000 字 / a comment needs 1 to 2,000 characters"}
	}
	return s.store.Write(func(tx *data.Tx) error {
		if _, err := data.PostByID(tx, id); err != nil {
			return err
		}
		return data.AddPostComment(tx, data.PostComment{ID: uuid.Must(uuid.NewV7()).String(), PostID: id, ParentID: parentID,
			At: s.now(), Author: s.User().Name, Body: body})
	})
}

// PostDetail is everything the post screen shows of one post.
type PostDetail struct {
	Post     Post
	Events   []data.PostEvent
	Comments []data.PostComment
	Metrics  []data.PostMetrics
	Findings []checker.Finding
	Open     []checker.Finding // WARN findings not yet overridden
	// People names the users of the trail, comments, approval and
	// publication record (at HQ, the post's station's users too).
	People People
	// TakeDown is the take_down step of a post taken down (已撤下): its
	// At is when the post came down, Actor who recorded it, Comment the
	// reason; nil otherwise.
	TakeDown *data.PostEvent
}

// Post returns one post with its trail, comments, metrics and findings.
func (s *Session) Post(id string) (PostDetail, error) {
	if err := s.checkActive(); err != nil {
		return PostDetail{}, err
	}
	q := s.store.Reader()
	p, err := data.PostByID(q, id)
	if err != nil {
		return PostDetail{}, err
	}
	images, err := data.PostImages(q, id)
	if err != nil {
		return PostDetail{}, err
	}
	d := PostDetail{Post: postFrom(p, images)}
	if d.Events, err = data.PostEvents(q, id); err != nil {
		return d, err
	}
	for i := range d.Events {
		if d.Events[i].Kind == EventTakeDown {
			d.TakeDown = &d.Events[i]
		}
	}
	if d.Comments, err = data.PostComments(q, id); err != nil {
		return d, err
	}
	if d.Metrics, err = data.PostMetricsOf(q, id); err != nil {
		return d, err
	}
	if d.People, err = s.peopleOf(q, p.OwnerUnit); err != nil {
		return d, err
	}
	lex := s.Lexicon()
	d.Findings = findingsOf(lex, d.Post.PostDraft)
	d.Open, err = openWarnings(q, lex, p, images)
	return d, err
}

// PostQuery selects posts for the list.
type PostQuery = data.PostFilter

// Posts lists posts for the post list.
func (s *Session) Posts(q PostQuery) ([]Post, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	rows, err := data.ListPosts(s.store.Reader(), q)
	if err != nil {
		return nil, err
	}
	out := make([]Post, len(rows))
	for i, p := range rows {
		out[i] = postFrom(p, nil)
	}
	return out, nil
}
