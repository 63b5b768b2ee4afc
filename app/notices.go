package app

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"mediadesk/app/checker"
	"mediadesk/data"
)

// Rectification notices (整改通知, Art. 26). HQ writes a notice to one
// registered station: what to fix, the article (and item) of the
// regulation it rests on, and the last day allowed. The notice travels to
// the station in HQ's next bundle; the station answers with what it fixed
// (as often as it likes while the notice is not closed), and the answers
// travel back. HQ then closes the notice (办结) or reopens it with a
// reason, which goes back to the station the same way.
//
// States. open (issued) → closed → reopened → closed …; an open or
// reopened notice that has an answer may also be reopened directly, when
// the answer does not do. Only HQ moves a notice; the station only
// answers, and only while it is not closed.
//
//   - Answered. A notice not closed is answered when an answer's time is
//     at or after the time it was issued or last reopened (its UpdatedAt:
//     HQ changes a notice only to issue, close or reopen it). A station
//     dates an answer no earlier than the notice it answers, so a station
//     clock running behind HQ's cannot hide an answer to a reopened notice.
//   - Close needs an answer since the notice was issued or last reopened:
//     办结 means HQ accepted the station's fix.
//   - Reopen needs a reason, which is appended to the notice's text with
//     the date (so the station reads it), and a deadline not in the past:
//     a new one, or the current one if it has not passed.
//
// Deadlines and lateness. due_on is the last day allowed. A notice is
// overdue when it is not closed and today (the local date of now) is after
// due_on — the rule the station home counts with (due_on < today). A closed
// notice was closed late when the local date of closed_at is after due_on
// (NoticeClosedLate), as the notice screens show. The assessment (Art. 28)
// does not judge the station by HQ's closing, which waits for a bundle and
// for HQ: a notice is late (整改逾期) when the station's first answer since
// it was issued or last reopened came on a local day after due_on or, with
// no such answer, due_on has passed (data.AssessmentFacts; the audit entry
// of the last reopening, data.NoticeReopenAction, dates it once the notice
// is closed again). A reopened notice is judged against its deadline after
// reopening.

// NoticeStatus is where a notice stands.
type NoticeStatus string

// Notice statuses.
const (
	NoticeOpen     NoticeStatus = "open"     // 待整改 (issued)
	NoticeReopened NoticeStatus = "reopened" // 重新打开
	NoticeClosed   NoticeStatus = "closed"   // 已办结
)

// Limits of notices, in characters and days.
const (
	MaxNoticeTitle  = 60
	MaxNoticeBody   = 2000
	MaxNoticeItem   = 60
	MaxNoticeAnswer = 2000
	MaxNoticeReason = 500
	// DefaultNoticeDays is the deadline a new notice's form suggests, in
	// days from today.
	DefaultNoticeDays = 14
	// MaxNoticeDays is the latest deadline allowed, in days from today.
	MaxNoticeDays = 90
)

// Errors of the notice workflow.
var (
	ErrNoticeClosed     = errors.New("这份整改通知已办结；如需继续整改，宣传科可重新打开 / this rectification notice is closed: HQ can reopen it if more must be fixed")
	ErrNoticeUnanswered = errors.New("所队尚未就这份通知（或重新打开后）作出整改答复，不能办结；请等所队答复后再办结 / the station has not answered this notice since it was issued or reopened: wait for its answer before closing it")
	ErrNoticeWaiting    = errors.New("这份通知正在等待所队答复，无需重新打开 / this notice is waiting for the station's answer already: no need to reopen it")
)

// NoticeArticle is an article of the regulation a notice may rest on.
type NoticeArticle struct {
	Code   string // as the regulation writes it, e.g. "第十一条"
	Name   string // short Chinese name
	NameEN string // short English name
}

// Label is the article with its short name, e.g. "第十一条 开设报备".
func (a NoticeArticle) Label() string { return a.Code + " " + a.Name }

// NoticeArticles are the articles a station can fall short of, in the
// regulation's order (the general provisions and HQ's own duties are left
// out).
var NoticeArticles = []NoticeArticle{
	{"第七条", "协作联动机制", "Coordination among departments"},
	{"第八条", "管理员素质", "Administrators' competence"},
	{"第九条", "运维保障", "Premises and equipment"},
	{"第十一条", "开设报备", "Filing before opening an account"},
	{"第十二条", "不良信息与商业活动", "Bad information and commercial activity"},
	{"第十三条", "个人新媒体报备认证", "Personal accounts: filing and verification"},
	{"第十四条", "禁止开设新媒体", "Units and posts barred from accounts"},
	{"第十五条", "联动协作", "Joint action with other accounts"},
	{"第十六条", "平台衔接", "Link with the public service platform"},
	{"第十七条", "发布原则", "Lawful, timely, true and convenient"},
	{"第十八条", "禁止发布的内容", "Prohibited content"},
	{"第十九条", "审核发布制度", "Review before publication"},
	{"第二十条", "重大敏感信息审批", "Approval of major and sensitive information"},
	{"第二十一条", "个人工作新媒体敏感信息", "Sensitive information on personal accounts"},
	{"第二十二条", "警民互动活动", "Police-public interaction"},
	{"第二十三条", "回复口径", "Unified reply wording"},
	{"第二十四条", "网民诉求办理", "Handling netizens' requests"},
	{"第二十六条", "内容更新与保密", "Content, updates and confidentiality"},
	{"第二十八条", "考核指标", "Assessment indicators"},
}

// NoticeArticleByCode finds an article of NoticeArticles by its code.
func NoticeArticleByCode(code string) (NoticeArticle, bool) {
	for _, a := range NoticeArticles {
		if a.Code == code {
			return a, true
		}
	}
	return NoticeArticle{}, false
}

// NoticeItems suggests the items of an article, for its item field: the
// twelve items of Art. 18 ("第（二）项：危害国家安全，泄露国家秘密和工作秘密");
// none for the other articles.
func NoticeItems(article string) []string {
	var out []string
	for _, c := range checker.Categories() {
		if item, ok := strings.CutPrefix(c.Article, article); ok && item != "" {
			out = append(out, item+"："+c.Label)
		}
	}
	return out
}

// Notice is a rectification notice as screens see it.
type Notice struct {
	ID       string
	UnitID   string // the station it is addressed to
	UnitName string // its name, where known
	Title    string
	Body     string
	Article  string
	Item     string
	DueOn    string // YYYY-MM-DD, the last day allowed
	Status   NoticeStatus
	IssuedAt time.Time
	// OpenedAt is when it was issued or last reopened (for a closed one:
	// when it was closed).
	OpenedAt time.Time
	ClosedAt time.Time // zero unless closed
	// CreatedBy is the issuer's display name (HQ's users do not travel;
	// notices issued before it was stored show the login).
	CreatedBy string
	// Answers counts the station's answers; LastAnswerAt is the latest
	// one's time (zero if none).
	Answers      int
	LastAnswerAt time.Time
	// Overdue is NoticeOverdue as of the session's clock when read.
	Overdue bool
	Version int64
}

// Closed reports whether the notice is closed (办结).
func (n Notice) Closed() bool { return n.Status == NoticeClosed }

// Answered reports whether the station answered the notice since it was
// issued or last reopened (a closed one: whether it was ever answered).
func (n Notice) Answered() bool {
	if n.Closed() {
		return n.Answers > 0
	}
	return n.Answers > 0 && !n.LastAnswerAt.Before(n.OpenedAt)
}

// ClosedLate reports whether a closed notice was closed after its last day.
func (n Notice) ClosedLate() bool { return n.Closed() && NoticeClosedLate(n.DueOn, n.ClosedAt) }

// NoticeOverdue reports whether a notice with last day dueOn, closed or
// not, is overdue at now: not closed and now's date after dueOn.
func NoticeOverdue(dueOn string, closed bool, now time.Time) bool {
	return !closed && now.Format(time.DateOnly) > dueOn
}

// NoticeClosedLate reports whether a notice with last day dueOn that was
// closed at closedAt was closed late: the local date of closedAt is after
// dueOn.
func NoticeClosedLate(dueOn string, closedAt time.Time) bool {
	return closedAt.In(time.Local).Format(time.DateOnly) > dueOn
}

// noticeFrom converts a stored notice as of now.
func noticeFrom(r data.NoticeRow, now time.Time) Notice {
	n := Notice{ID: r.ID, UnitID: r.UnitID, UnitName: r.UnitName, Title: r.Title, Body: r.Body, Article: r.Article, Item: r.Item,
		DueOn: r.DueOn, Status: NoticeStatus(r.Status), IssuedAt: time.UnixMilli(r.IssuedAt), OpenedAt: time.UnixMilli(r.UpdatedAt),
		CreatedBy: r.CreatedBy, Answers: r.Answers, Version: r.Version}
	if r.ClosedAt != 0 {
		n.ClosedAt = time.UnixMilli(r.ClosedAt)
	}
	if r.LastAnswerAt != 0 {
		n.LastAnswerAt = time.UnixMilli(r.LastAnswerAt)
	}
	n.Overdue = NoticeOverdue(n.DueOn, n.Closed(), now)
	return n
}

// NoticeForm is what the 下发整改通知 form collects.
type NoticeForm struct {
	UnitID  string // a registered station
	Title   string
	Body    string // what to fix
	Article string // the Code of one of NoticeArticles
	Item    string // optional
	DueOn   string // YYYY-MM-DD, today to MaxNoticeDays ahead
}

// NoticeUnits lists the stations a notice may go to: the registered ones,
// by name (HQ only).
func (s *Session) NoticeUnits() ([]data.Unit, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	units, err := data.ListUnits(s.store.Reader())
	var out []data.Unit
	for _, u := range units {
		if u.Kind == string(Station) && u.State == UnitRegistered {
			out = append(out, u)
		}
	}
	return out, err
}

// validDue checks a deadline typed as YYYY-MM-DD: not before today, at
// most MaxNoticeDays ahead. It returns the date as stored.
func (s *Session) validDue(due string) (string, error) {
	due = strings.TrimSpace(due)
	if due == "" {
		return "", &FieldError{Field: "due", Msg: "请填写整改期限 / enter the deadline"}
	}
	d, err := time.Parse(time.DateOnly, due)
	if err != nil {
		return "", &FieldError{Field: "due", Msg: "日期请按“2026-12-10”的格式填写 / write the date as 2026-12-10"}
	}
	now := s.cfg.now()
	today := now.Format(time.DateOnly)
	last := now.AddDate(0, 0, MaxNoticeDays).Format(time.DateOnly)
	due = d.Format(time.DateOnly)
	switch {
	case due < today:
		return "", &FieldError{Field: "due", Msg: fmt.Sprintf("整改期限不能早于今天（%s） / the deadline cannot be before today (%s)", today, today)}
	case due > last:
		return "", &FieldError{Field: "due", Msg: fmt.Sprintf("整改期限最多 %d 天，最晚 %s / the deadline is at most %d days ahead: %s at the latest", MaxNoticeDays, last, MaxNoticeDays, last)}
	}
	return due, nil
}

// validateNotice checks the form field by field and returns it cleaned.
func (s *Session) validateNotice(q data.Querier, f NoticeForm) (NoticeForm, error) {
	u, err := data.UnitByID(q, f.UnitID)
	if err != nil && !errors.Is(err, data.ErrNotFound) {
		return f, err
	}
	if err != nil || u.Kind != string(Station) || u.State != UnitRegistered {
		return f, &FieldError{Field: "unit", Msg: "请选择一个已登记的所队 / choose a registered station"}
	}
	if err := validName("title", f.Title, MaxNoticeTitle); err != nil {
		return f, err
	}
	if err := validText("body", f.Body, MaxNoticeBody, true); err != nil {
		return f, err
	}
	if _, ok := NoticeArticleByCode(f.Article); !ok {
		return f, &FieldError{Field: "article", Msg: "请选择通知依据的条款 / choose the article of the regulation the notice rests on"}
	}
	if strings.TrimSpace(f.Item) != "" {
		if err := validName("item", f.Item, MaxNoticeItem); err != nil {
			return f, err
		}
	}
	due, err := s.validDue(f.DueOn)
	if err != nil {
		return f, err
	}
	return NoticeForm{UnitID: f.UnitID, Title: strings.TrimSpace(f.Title), Body: strings.TrimSpace(f.Body), Article: f.Article,
		Item: strings.TrimSpace(f.Item), DueOn: due}, nil
}

// IssueNotice (HQ) writes a rectification notice to a station; it goes to
// the station in HQ's next bundle for it.
func (s *Session) IssueNotice(f NoticeForm) (Notice, error) {
	if err := s.requireHQStaff(); err != nil {
		return Notice{}, err
	}
	now := s.now()
	var saved data.Notice
	err := s.store.Write(func(tx *data.Tx) error {
		f, err := s.validateNotice(tx, f)
		if err != nil {
			return err
		}
		n := data.Notice{ID: uuid.Must(uuid.NewV7()).String(), OwnerUnit: s.unit.ID, UnitID: f.UnitID, Title: f.Title, Body: f.Body,
			Article: f.Article, Item: f.Item, DueOn: f.DueOn, Status: string(NoticeOpen), IssuedAt: now, CreatedBy: s.User().DisplayName,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := data.InsertNotice(tx, n); err != nil {
			return err
		}
		saved = n
		return data.AppendAudit(tx, now, s.User().Name, "notice.issue", n.ID, fmt.Sprintf("%s %s %s 期限 %s", f.UnitID, f.Article, f.Title, f.DueOn))
	})
	if err != nil {
		return Notice{}, err
	}
	return s.readBack(saved.ID)
}

// noticeAt reads notice id as stored and as screens see it, with its
// answers.
func (s *Session) noticeAt(q data.Querier, id string) (data.Notice, Notice, []data.NoticeAnswer, error) {
	n, err := data.NoticeByID(q, id)
	if err != nil {
		return n, Notice{}, nil, err
	}
	answers, err := data.NoticeAnswers(q, id)
	if err != nil {
		return n, Notice{}, nil, err
	}
	r := data.NoticeRow{Notice: n, Answers: len(answers)}
	if u, err := data.UnitByID(q, n.UnitID); err == nil {
		r.UnitName = u.Name
	}
	for _, a := range answers {
		r.LastAnswerAt = max(r.LastAnswerAt, a.AnsweredAt)
	}
	return n, noticeFrom(r, s.cfg.now()), answers, nil
}

// readBack reads a notice after a change.
func (s *Session) readBack(id string) (Notice, error) {
	d, err := s.Notice(id)
	return d.Notice, err
}

// CloseNotice (HQ) closes a notice (办结): it must not be closed already,
// and the station must have answered it since it was issued or last
// reopened.
func (s *Session) CloseNotice(id string) (Notice, error) {
	if err := s.requireHQStaff(); err != nil {
		return Notice{}, err
	}
	now := s.now()
	err := s.store.Write(func(tx *data.Tx) error {
		row, n, _, err := s.noticeAt(tx, id)
		if err != nil {
			return err
		}
		if n.Closed() {
			return ErrNoticeClosed
		}
		if !n.Answered() {
			return ErrNoticeUnanswered
		}
		row.Status, row.ClosedAt, row.UpdatedAt = string(NoticeClosed), now, now
		if err := data.UpdateNotice(tx, &row); err != nil {
			return err
		}
		detail := "按期办结 / closed on time"
		if NoticeClosedLate(row.DueOn, time.UnixMilli(now)) {
			detail = "超期办结 / closed late"
		}
		return data.AppendAudit(tx, now, s.User().Name, "notice.close", id, detail)
	})
	if err != nil {
		return Notice{}, err
	}
	return s.readBack(id)
}

// ReopenNotice (HQ) reopens a notice with a reason: a closed one, or an
// open one whose answer does not do. due is the new last day (YYYY-MM-DD);
// empty keeps the current one, which must not have passed. The reason is
// appended to the notice's text, dated, for the station to read.
func (s *Session) ReopenNotice(id, reason, due string) (Notice, error) {
	if err := s.requireHQStaff(); err != nil {
		return Notice{}, err
	}
	if err := validText("reason", reason, MaxNoticeReason, true); err != nil {
		return Notice{}, err
	}
	now := s.now()
	err := s.store.Write(func(tx *data.Tx) error {
		row, n, _, err := s.noticeAt(tx, id)
		if err != nil {
			return err
		}
		if !n.Closed() && !n.Answered() {
			return ErrNoticeWaiting
		}
		newDue := row.DueOn
		if strings.TrimSpace(due) != "" {
			if newDue, err = s.validDue(due); err != nil {
				return err
			}
		} else if row.DueOn < s.cfg.now().Format(time.DateOnly) {
			return &FieldError{Field: "due", Msg: "原整改期限已过，请定一个新的期限 / the deadline has passed: set a new one"}
		}
		note := fmt.Sprintf("【%s 宣传科重新打开】%s", time.UnixMilli(now).Format(time.DateOnly), strings.TrimSpace(reason))
		if newDue != row.DueOn {
			note += fmt.Sprintf("（整改期限由 %s 改为 %s）", row.DueOn, newDue)
		}
		row.Body = row.Body + "\n\n" + note
		// The reopening counts from now, or from just after the answer
		// it asks to redo when the station's clock runs ahead of HQ's:
		// else that answer would already count as answering it.
		opened := now
		if n.Answers > 0 && n.LastAnswerAt.UnixMilli() >= opened {
			opened = n.LastAnswerAt.UnixMilli() + 1
		}
		row.Status, row.DueOn, row.ClosedAt, row.UpdatedAt = string(NoticeReopened), newDue, 0, opened
		if err := data.UpdateNotice(tx, &row); err != nil {
			return err
		}
		// Dated at opened, which the assessment reads back once the
		// notice is closed again (data.NoticeReopenAction).
		return data.AppendAudit(tx, opened, s.User().Name, "notice.reopen", id, note)
	})
	if err != nil {
		return Notice{}, err
	}
	return s.readBack(id)
}

// NoticeQuery selects notices for a list: UnitID (HQ; a station sees its
// own) and State, one of the Notices* states.
type NoticeQuery struct {
	UnitID string
	State  string
}

// The states a notice list selects (NoticeQuery.State).
const (
	NoticesAll      = ""                   // every notice: not closed first, by due date
	NoticesOpen     = data.NoticesOpen     // not closed
	NoticesAnswered = data.NoticesAnswered // not closed and answered since issued or reopened: HQ's turn
	NoticesOverdue  = data.NoticesOverdue  // overdue as of the session's clock
	NoticesClosed   = data.NoticesClosed   // closed, latest closed first
)

// listNotices reads a notice list as of the session's clock.
func (s *Session) listNotices(q NoticeQuery) ([]Notice, error) {
	now := s.cfg.now()
	rows, err := data.ListNotices(s.store.Reader(), data.NoticeFilter{UnitID: q.UnitID, State: q.State, Today: now.Format(time.DateOnly)})
	if err != nil {
		return nil, err
	}
	out := make([]Notice, len(rows))
	for i, r := range rows {
		out[i] = noticeFrom(r, now)
	}
	return out, nil
}

// Notices (HQ) lists the notices q selects.
func (s *Session) Notices(q NoticeQuery) ([]Notice, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	return s.listNotices(q)
}

// LostNoticeAnswer is a station's answer to a notice this install does not
// have: HQ's PC was rebuilt from a key backup after issuing it, and the
// station sent its answers again. It is kept for the record; no notice
// lists it and the assessment does not count it.
type LostNoticeAnswer struct {
	data.NoticeAnswer
	UnitName string // the station's name, where known
}

// AnswersToLostNotices (HQ) lists the answers to notices this install does
// not have, newest first.
func (s *Session) AnswersToLostNotices() ([]LostNoticeAnswer, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	q := s.store.Reader()
	answers, err := data.AnswersToMissingNotices(q)
	if err != nil {
		return nil, err
	}
	names, err := unitNames(q)
	if err != nil {
		return nil, err
	}
	out := make([]LostNoticeAnswer, len(answers))
	for i, a := range answers {
		out[i] = LostNoticeAnswer{NoticeAnswer: a, UnitName: cmp.Or(names[a.OwnerUnit], a.OwnerUnit)}
	}
	return out, nil
}

// NoticesForMe (station) lists the notices addressed to this unit in state
// (one of the Notices* states).
func (s *Session) NoticesForMe(state string) ([]Notice, error) {
	if err := s.requireStation(); err != nil {
		return nil, err
	}
	return s.listNotices(NoticeQuery{UnitID: s.unit.ID, State: state})
}

// NoticeDetail is a notice with its answers, oldest first.
type NoticeDetail struct {
	Notice  Notice
	Answers []data.NoticeAnswer
}

// Notice returns one notice with its answers: any notice at HQ, at a
// station only one addressed to it.
func (s *Session) Notice(id string) (NoticeDetail, error) {
	if err := s.checkActive(); err != nil {
		return NoticeDetail{}, err
	}
	_, n, answers, err := s.noticeAt(s.store.Reader(), id)
	if err != nil {
		return NoticeDetail{}, err
	}
	if s.unit.Kind == Station && n.UnitID != s.unit.ID {
		return NoticeDetail{}, ErrNotAllowed
	}
	return NoticeDetail{Notice: n, Answers: answers}, nil
}

// AnswerNotice (station) answers a notice addressed to this unit and not
// closed with what was fixed. The answer goes to HQ with the next bundle;
// it is dated no earlier than the notice version it answers.
func (s *Session) AnswerNotice(noticeID, body string) (data.NoticeAnswer, error) {
	if err := s.requireStation(); err != nil {
		return data.NoticeAnswer{}, err
	}
	if err := validText("body", body, MaxNoticeAnswer, true); err != nil {
		return data.NoticeAnswer{}, err
	}
	now := s.now()
	var a data.NoticeAnswer
	err := s.store.Write(func(tx *data.Tx) error {
		n, err := data.NoticeByID(tx, noticeID)
		if err != nil {
			return err
		}
		if n.UnitID != s.unit.ID {
			return ErrNotAllowed
		}
		if n.Status == string(NoticeClosed) {
			return ErrNoticeClosed
		}
		a = data.NoticeAnswer{ID: uuid.Must(uuid.NewV7()).String(), OwnerUnit: s.unit.ID, NoticeID: n.ID, Body: strings.TrimSpace(body),
			AnsweredAt: max(now, n.UpdatedAt), Actor: s.User().DisplayName, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := data.InsertNoticeAnswer(tx, a); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "notice.answer", n.ID, n.Title)
	})
	return a, err
}
