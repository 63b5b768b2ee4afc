package app

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"mediadesk/data"
)

// Taking a published post down (撤下). A post that went out may later be
// deleted from its platform: the publicity section's rectification notice
// asks for it (整改通知, Art. 26), or the station found an error. The
// station records that here: the post moves 已发布 → 已撤下 (TakenDown)
// with a post event of kind "take_down" that carries the reason (its
// Comment) and the time the post came down (its At; the audit entry has
// the time it was recorded). The trail lists that step last whatever its
// time (data.PostEvents), since it is final.
//
// Rules:
//   - Who: a shift leader (带班领导, who answers for what the unit
//     publishes, Art. 19) or the station admin; not an officer. Officers
//     delete the post on the platform when told to, the leader records it.
//   - The reason is required (at most MaxTakeDownReason characters).
//   - The time is read from a form to the minute, like Publish's: not
//     before the minute of publication (a time within that minute counts
//     as the publication time itself), not after now plus the same five
//     minutes Publish allows for clocks; the start of the current minute
//     means now.
//   - Final: no undo and no second take-down; the post cannot be edited
//     or get new numbers afterwards. A wrong entry is corrected by a new
//     post, as a published one is.
//   - Optionally the take-down answers a rectification notice addressed to
//     this unit and not closed: the same transaction adds the station's
//     answer to that notice (as AnswerNotice does), saying which post came
//     down, when and why, and the trail's reason names the notice.
//
// The post, its new event and any answer travel to HQ in the next bundle
// like every other post change. HQ's home lists the recent take-downs
// (Session.TakenDownPosts, which reads the answered notice back from the
// reason by noticeAnswerMark); the assessment no longer counts the post
// (data.AssessmentFacts).

// EventTakeDown is the kind of the post event that takes a post down.
const EventTakeDown = "take_down"

// MaxTakeDownReason bounds a take-down's reason, in characters.
const MaxTakeDownReason = 500

// Errors of taking a post down.
var (
	ErrTakenDownFinal = errors.New("这篇稿件已撤下，撤下不能撤销，稿件也不能再修改；如需更正请另起草一篇 / this post was taken down: that cannot be undone and the post cannot change; draft a new post to correct it")
	// ErrTakeDownRole refuses an officer; errors.Is(err, ErrNotAllowed) holds.
	ErrTakeDownRole error = &kindError{"只有带班领导或站点管理员可以登记撤下，请他们登录后操作 / only a shift leader or the station admin can record a take-down: ask one of them to sign in and do it", ErrNotAllowed}
)

// kindError is an error with its own words that errors.Is matches to a
// more general one.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

// mayTakeDown reports whether role r records take-downs.
func mayTakeDown(r Role) bool { return r == ShiftLeader || r == StationAdmin }

// MayTakeDown reports whether the signed-in user may take p down now: at
// a station, a shift leader or the admin, while p is published. The
// screen offers 撤下… only then.
func (s *Session) MayTakeDown(p Post) bool {
	return s.unit.Kind == Station && mayTakeDown(s.User().Role) && p.Status == Published
}

// TakeDownForm is what the 撤下 dialog collects.
type TakeDownForm struct {
	Reason   string
	At       time.Time // when the post came down, to the minute
	NoticeID string    // the rectification notice it answers, empty for none
}

// TakeDownNotices lists the rectification notices a take-down may answer:
// those addressed to this unit and not closed.
func (s *Session) TakeDownNotices() ([]Notice, error) {
	return s.NoticesForMe(NoticesOpen)
}

// TakeDown records that published post id was taken down from its
// platform (已撤下); see the rules above.
func (s *Session) TakeDown(id string, f TakeDownForm) (Post, error) {
	if err := s.requireStation(); err != nil {
		return Post{}, err
	}
	if !mayTakeDown(s.User().Role) {
		return Post{}, ErrTakeDownRole
	}
	reason := strings.TrimSpace(f.Reason)
	if reason == "" {
		return Post{}, &FieldError{Field: "reason", Msg: "请写明撤下原因，例如按哪份整改通知、发现了什么错误 / give the reason, e.g. which rectification notice asked for it or what was wrong"}
	}
	if err := validText("reason", reason, MaxTakeDownReason, true); err != nil {
		return Post{}, err
	}
	if f.At.IsZero() {
		return Post{}, &FieldError{Field: "at", Msg: "请填写撤下时间 / enter when the post was taken down"}
	}
	at, notAhead := s.formMinute(f.At)
	if !notAhead {
		return Post{}, &FieldError{Field: "at", Msg: "撤下时间不能晚于现在，请填写实际撤下的时间 / the time cannot be in the future: enter when the post actually came down"}
	}
	noticeID := strings.TrimSpace(f.NoticeID)
	return s.transition(id, func(tx *data.Tx, p *data.Post) error {
		switch PostStatus(p.Status) {
		case Published:
		case TakenDown:
			return ErrTakenDownFinal
		default:
			return ErrWrongStatus
		}
		pub := time.UnixMilli(p.PublishedAt).In(at.Location())
		if at.Truncate(time.Minute).Before(pub.Truncate(time.Minute)) {
			return &FieldError{Field: "at", Msg: fmt.Sprintf("撤下时间不能早于发布时间 %s，请填写实际撤下的时间 / the time cannot precede the publication at %s: enter when the post actually came down",
				pub.Format("2006-01-02 15:04"), pub.Format("2006-01-02 15:04"))}
		}
		if at.Before(pub) { // the same minute: not before publication
			at = pub
		}
		comment := reason
		if noticeID != "" {
			title, err := s.answerWithTakeDown(tx, noticeID, *p, at, reason)
			if err != nil {
				return err
			}
			comment += noticeAnswerMark + title + "》"
		}
		p.Status = string(TakenDown)
		err := data.AddPostEvent(tx, data.PostEvent{ID: uuid.Must(uuid.NewV7()).String(), PostID: p.ID, At: at.UnixMilli(),
			Actor: s.User().Name, Kind: EventTakeDown, FromStatus: string(Published), ToStatus: string(TakenDown),
			ContentHash: p.ContentHash, Comment: comment})
		if err != nil {
			return err
		}
		return data.AppendAudit(tx, s.now(), s.User().Name, "post.take_down", p.ID,
			fmt.Sprintf("%s→%s %s %s", Published, TakenDown, at.Format("2006-01-02 15:04"), comment))
	})
}

// answerWithTakeDown answers notice noticeID with the take-down of post p
// at at for reason, and returns the notice's title.
func (s *Session) answerWithTakeDown(tx *data.Tx, noticeID string, p data.Post, at time.Time, reason string) (string, error) {
	n, err := data.NoticeByID(tx, noticeID)
	if errors.Is(err, data.ErrNotFound) || err == nil && n.UnitID != s.unit.ID {
		return "", &FieldError{Field: "notice", Msg: "找不到这份整改通知，请重新选择或不关联 / no such rectification notice: choose another or none"}
	}
	if err != nil {
		return "", err
	}
	if n.Status == string(NoticeClosed) {
		return "", &FieldError{Field: "notice", Msg: "这份整改通知已办结，不能再答复；请选择其他通知或不关联 / this rectification notice is closed and takes no answer: choose another or none"}
	}
	platform := p.PublishedOn
	if pl, ok := PlatformByCode(platform); ok {
		platform = pl.Name
	}
	now := s.now()
	body := fmt.Sprintf("稿件《%s》（%s 发布于%s）已于 %s 撤下。撤下原因：%s", p.Title,
		time.UnixMilli(p.PublishedAt).In(at.Location()).Format("2006-01-02 15:04"), platform, at.Format("2006-01-02 15:04"), reason)
	if utf8.RuneCountInString(body) > MaxNoticeAnswer {
		body = string([]rune(body)[:MaxNoticeAnswer])
	}
	a := data.NoticeAnswer{ID: uuid.Must(uuid.NewV7()).String(), OwnerUnit: s.unit.ID, NoticeID: n.ID, Body: body,
		AnsweredAt: max(now, n.UpdatedAt), Actor: s.User().DisplayName, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := data.InsertNoticeAnswer(tx, a); err != nil {
		return "", err
	}
	if err := data.AppendAudit(tx, now, s.User().Name, "notice.answer", n.ID, n.Title); err != nil {
		return "", err
	}
	return n.Title, nil
}
