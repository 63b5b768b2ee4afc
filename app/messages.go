package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"mediadesk/app/checker"
	"mediadesk/data"
)

// Netizen messages (Art. 24): a message is logged (受理) with the deadline
// its type allows, in working days; it is then transferred to a
// department (流转, optional), handled (处置), answered (反馈) and closed
// (办结), or answered at once with the proper channel when the matter is
// not this unit's to handle (非本机关职权).
//
// Deadlines. due_on is the last working day allowed, fixed when the
// message is logged: the n-th working day after the day it was received
// (Calendar.AddWorkingDays). The day of receipt never counts, working day
// or not, so a message received on a Saturday or a holiday has the next
// working day as its first day, like one received on Friday evening.
// Dates are reckoned in the location of the received time (local time on
// the desk). Changing the deadlines or the holiday table later does not
// move the due date of a message already logged.
//
// Overdue. A message is overdue when it is not closed and today (the
// date of now) is after due_on: it may be closed any time on its last
// day. Closed means 办结 or 非本机关职权; both set closed_at. A closed
// message was closed on time when closed_at falls on or before due_on
// (closed_at ≤ the end of due_on), else late: both facts are stored, so
// the assessment (Art. 28) counts on-time and late closings from them.

// MessageTypes lists the message types in the order forms show them.
var MessageTypes = []MessageType{Inquiry, Complaint, Report, Suggestion, General}

var messageTypeNames = map[MessageType]string{Inquiry: "咨询", Complaint: "投诉", Report: "举报", Suggestion: "建议", General: "一般留言"}

// Name is the type's Chinese name, as app messages cite it.
func (t MessageType) Name() string {
	if n, ok := messageTypeNames[t]; ok {
		return n
	}
	return string(t)
}

// Valid reports whether t is one of the five message types.
func (t MessageType) Valid() bool { return slices.Contains(MessageTypes, t) }

// Limits of the message texts, in characters.
const (
	MaxMessageContent = 5000
	MaxMessageReply   = 2000
	MaxMessageNote    = 1000
)

// Message is a netizen message as screens see it.
type Message struct {
	ID         string
	Platform   string
	AccountID  string // one of the unit's accounts on Platform, or empty
	Handle     string
	ReceivedAt time.Time
	Type       MessageType
	Content    string
	Status     MessageStatus
	Department string // 流转: the department it went to
	Reply      string
	Channel    string    // 非本机关职权: the proper channel
	DueOn      string    // YYYY-MM-DD, the last working day allowed
	ClosedAt   time.Time // zero while open
	CreatedBy  string
	UpdatedAt  time.Time
	Version    int64
}

func messageFrom(m data.Message) Message {
	out := Message{ID: m.ID, Platform: m.Platform, AccountID: m.AccountID, Handle: m.Handle,
		ReceivedAt: time.UnixMilli(m.ReceivedAt), Type: MessageType(m.Type), Content: m.Content,
		Status: MessageStatus(m.Status), Department: m.Department, Reply: m.Reply, Channel: m.Channel, DueOn: m.DueOn,
		CreatedBy: m.CreatedBy, UpdatedAt: time.UnixMilli(m.UpdatedAt), Version: m.Version}
	if m.ClosedAt != 0 {
		out.ClosedAt = time.UnixMilli(m.ClosedAt)
	}
	return out
}

// Closed reports whether the message is finished (办结 or 非本机关职权).
func (m Message) Closed() bool { return !m.ClosedAt.IsZero() }

// Overdue reports whether, as of now, the message is open past its last
// day: not closed and now's date after DueOn.
func (m Message) Overdue(now time.Time) bool {
	return !m.Closed() && now.Format(time.DateOnly) > m.DueOn
}

// Late reports whether a closed message was closed after the end of its
// last day (false for an open one: see Overdue).
func (m Message) Late() bool {
	return m.Closed() && m.ClosedAt.Format(time.DateOnly) > m.DueOn
}

// Cursor continues a message list after m (MessageQuery.After).
func (m Message) Cursor() data.MessageCursor {
	c := data.MessageCursor{ID: m.ID, DueOn: m.DueOn, ReceivedAt: m.ReceivedAt.UnixMilli()}
	if m.Closed() {
		c.ClosedAt = m.ClosedAt.UnixMilli()
	}
	return c
}

// dueOn is the last working day allowed for a message received at
// received with n working days.
func dueOn(cal Calendar, received time.Time, n int) string {
	return cal.AddWorkingDays(received, n).AddDate(0, 0, -1).Format(time.DateOnly)
}

// MessageRules are the deadline of each type in working days (1 to
// MaxDeadlineDays) and the holiday table. HQ's admin sets them for the
// whole county and they travel to every station (HQ's assessment counts
// messages closed on time, so every station reckons due dates alike);
// until they arrive a station's admin may set its own.
type MessageRules struct {
	Deadlines map[MessageType]int
	Holidays  []string  // YYYY-MM-DD: days off (public holidays)
	Workdays  []string  // YYYY-MM-DD: weekend days worked in their place (调休)
	SetByHQ   bool      // the county's rules, from HQ
	SetBy     string    // with SetByHQ: who at HQ set them, and when
	SetAt     time.Time // (HQ's clock)
}

// ErrRulesSetByHQ: a station cannot change the county's message rules.
var ErrRulesSetByHQ = errors.New("留言办理期限和节假日表已由宣传科统一设定，所队不能修改；如需调整请联系宣传科 / the publicity section sets the deadlines and the holiday table for the whole county: ask it for a change")

// countyRulesID is the one row of the county's message rules.
const countyRulesID = "county-message-rules"

// Calendar is the working-day calendar of the holiday table.
func (r MessageRules) Calendar() Calendar {
	c := Calendar{Holidays: map[string]bool{}, Workdays: map[string]bool{}}
	for _, d := range r.Holidays {
		c.Holidays[d] = true
	}
	for _, d := range r.Workdays {
		c.Workdays[d] = true
	}
	return c
}

// Setting keys of the message rules.
const (
	keyMessageDeadlines = "messages.deadlines" // JSON object: type → working days
	keyMessageCalendar  = "messages.calendar"  // JSON object: holidays, workdays
)

// maxCalendarDays bounds each list of the holiday table.
const maxCalendarDays = 500

type calendarSetting struct {
	Holidays []string `json:"holidays"`
	Workdays []string `json:"workdays"`
}

// messageRules reads the rules in force: the county's (HQ's) when set,
// else the unit's own settings, where a missing or unreadable setting
// gives the defaults (DefaultDeadlines, no holidays).
func messageRules(q data.Querier) MessageRules {
	if row, err := data.CountyMessageRules(q); err == nil {
		if r, ok := parseRules(row.Deadlines, row.Calendar); ok {
			r.SetByHQ, r.SetBy, r.SetAt = true, row.SetBy, time.UnixMilli(row.UpdatedAt)
			return r
		}
	}
	deadlines, _ := data.Setting(q, keyMessageDeadlines)
	calendar, _ := data.Setting(q, keyMessageCalendar)
	r, _ := parseRules(deadlines, calendar)
	return r
}

// parseRules reads rules as stored (JSON); a part missing or unreadable
// takes the default, and ok reports whether both parts were read.
func parseRules(deadlines, calendar string) (r MessageRules, ok bool) {
	r.Deadlines = maps.Clone(DefaultDeadlines)
	var d map[MessageType]int
	dOK := json.Unmarshal([]byte(deadlines), &d) == nil && ValidateDeadlines(d) == nil
	if dOK {
		r.Deadlines = d
	}
	var c calendarSetting
	cOK := json.Unmarshal([]byte(calendar), &c) == nil
	if cOK {
		r.Holidays, r.Workdays = c.Holidays, c.Workdays
	}
	return r, dOK && cOK
}

// MessageRules returns the configured deadlines and holiday table.
func (s *Session) MessageRules() MessageRules { return messageRules(s.store.Reader()) }

// cleanDates checks a list of dates of field: each YYYY-MM-DD, at most
// maxCalendarDays; it returns them sorted without repeats. With weekends,
// each must fall on a Saturday or Sunday.
func cleanDates(field string, list []string, weekends bool) ([]string, error) {
	var out []string
	for _, v := range list {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return nil, &FieldError{Field: field, Msg: fmt.Sprintf("日期 %q 请按“2026-10-01”的格式填写 / write the date %q as 2026-10-01", v, v)}
		}
		if wd := d.Weekday(); weekends && wd != time.Saturday && wd != time.Sunday {
			return nil, &FieldError{Field: field, Msg: fmt.Sprintf("%s 不是周六或周日，调休上班日只填周末 / %s is no Saturday or Sunday: list only weekend days worked", v, v)}
		}
		if !slices.Contains(out, d.Format(time.DateOnly)) {
			out = append(out, d.Format(time.DateOnly))
		}
	}
	if len(out) > maxCalendarDays {
		return nil, &FieldError{Field: field, Msg: fmt.Sprintf("最多 %d 个日期 / at most %d dates", maxCalendarDays, maxCalendarDays)}
	}
	slices.Sort(out)
	return out, nil
}

// SetMessageRules replaces the deadlines and the holiday table (admins
// only), both or neither: at HQ the county's, which travel to every
// station; at a station its own, until the county's arrive
// (ErrRulesSetByHQ after). Messages already logged keep their due dates.
func (s *Session) SetMessageRules(r MessageRules) error {
	if err := s.requireAdmin(); err != nil {
		return err
	}
	if err := ValidateDeadlines(r.Deadlines); err != nil {
		return err
	}
	deadlines := map[MessageType]int{}
	for _, t := range MessageTypes {
		deadlines[t] = r.Deadlines[t]
	}
	holidays, err := cleanDates("holidays", r.Holidays, false)
	if err != nil {
		return err
	}
	workdays, err := cleanDates("workdays", r.Workdays, true)
	if err != nil {
		return err
	}
	for _, d := range workdays {
		if slices.Contains(holidays, d) {
			return &FieldError{Field: "workdays", Msg: fmt.Sprintf("%s 同时列为放假日和上班日，请删去一处 / %s is listed both as a day off and as a day worked: remove one", d, d)}
		}
	}
	dl, _ := json.Marshal(deadlines)
	cal, _ := json.Marshal(calendarSetting{Holidays: holidays, Workdays: workdays})
	now := s.now()
	return s.store.Write(func(tx *data.Tx) error {
		county, err := data.CountyMessageRules(tx)
		switch {
		case err != nil && !errors.Is(err, data.ErrNotFound):
			return err
		case s.unit.Kind == HQ:
			if err != nil {
				county = data.MessageRulesRow{ID: countyRulesID, OwnerUnit: s.unit.ID}
			}
			county.Deadlines, county.Calendar, county.SetBy = string(dl), string(cal), s.User().DisplayName
			county.UpdatedAt, county.Version = now, county.Version+1
			if err := data.SaveCountyMessageRules(tx, county); err != nil {
				return err
			}
			return data.AppendAudit(tx, now, s.User().Name, "settings.message_rules", "", string(dl)+" "+string(cal))
		case err == nil:
			return ErrRulesSetByHQ
		}
		if err := data.SetSetting(tx, keyMessageDeadlines, string(dl)); err != nil {
			return err
		}
		if err := data.SetSetting(tx, keyMessageCalendar, string(cal)); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "settings.message_rules", "", string(dl)+" "+string(cal))
	})
}

// MaxMessageAge is how many days back a message may have been received.
// Messages are logged as they come in, so an older date is a typo (the
// year, the month); it would make the message overdue at once, and count
// against the station in HQ's assessment for good.
const MaxMessageAge = 30

// MessageForm is what the 登记留言 form collects.
type MessageForm struct {
	Platform   string
	AccountID  string // optional: one of the unit's accounts on Platform
	Handle     string // the netizen's name on the platform
	ReceivedAt time.Time
	Type       MessageType
	Content    string
}

// MessageAccounts lists the unit's accounts on a platform, for the
// form's optional account.
func (s *Session) MessageAccounts(platform string) ([]Account, error) {
	all, err := s.Accounts()
	if err != nil {
		return nil, err
	}
	var out []Account
	for _, a := range all {
		if a.OwnerUnit == s.unit.ID && a.Platform == platform {
			out = append(out, a)
		}
	}
	return out, nil
}

// validateMessage checks the form field by field.
func (s *Session) validateMessage(q data.Querier, f MessageForm) error {
	if _, ok := PlatformByCode(f.Platform); !ok {
		return &FieldError{Field: "platform", Msg: "请选择平台 / choose a platform"}
	}
	if f.AccountID != "" {
		a, err := data.AccountByID(q, f.AccountID)
		if err != nil && !errors.Is(err, data.ErrNotFound) {
			return err
		}
		if err != nil || a.OwnerUnit != s.unit.ID || a.Platform != f.Platform {
			return &FieldError{Field: "account", Msg: "请选择本单位在该平台上的账号，或不指定 / choose one of this unit's accounts on that platform, or none"}
		}
	}
	if err := validName("handle", f.Handle, 64); err != nil {
		return err
	}
	if f.ReceivedAt.IsZero() {
		return &FieldError{Field: "received_at", Msg: "请填写收到的日期和时间 / enter the date and time received"}
	}
	now := s.cfg.now()
	if f.ReceivedAt.After(now) {
		return &FieldError{Field: "received_at", Msg: "收到时间不能晚于现在 / the time received cannot be in the future"}
	}
	// By dates, in the location of the received time, as due dates are.
	if earliest := now.In(f.ReceivedAt.Location()).AddDate(0, 0, -MaxMessageAge).Format(time.DateOnly); f.ReceivedAt.Format(time.DateOnly) < earliest {
		return &FieldError{Field: "received_at", Msg: fmt.Sprintf("收到时间不能早于 %d 天前（%s），请检查日期和年份 / the time received cannot be more than %d days ago (before %s): check the date and the year",
			MaxMessageAge, earliest, MaxMessageAge, earliest)}
	}
	if !f.Type.Valid() {
		return &FieldError{Field: "type", Msg: "请选择留言类型 / choose the type of message"}
	}
	return validText("content", f.Content, MaxMessageContent, true)
}

// validText checks a multi-line text: required or not, at most max
// characters.
func validText(field, v string, max int, required bool) error {
	v = strings.TrimSpace(v)
	if required && v == "" {
		return &FieldError{Field: field, Msg: "此项必填 / this field is required"}
	}
	if utf8.RuneCountInString(v) > max {
		return &FieldError{Field: field, Msg: fmt.Sprintf("不能超过 %d 个字 / at most %d characters", max, max)}
	}
	if strings.ContainsFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) {
		return &FieldError{Field: field, Msg: "不能包含控制字符，请删去后重新输入 / no control characters: remove them and type the text again"}
	}
	return nil
}

// ReceiveMessage logs a netizen message (受理) with its due date from the
// configured deadline of its type and the holiday table.
func (s *Session) ReceiveMessage(f MessageForm) (Message, error) {
	if err := s.requireStation(); err != nil {
		return Message{}, err
	}
	now := s.now()
	var saved data.Message
	err := s.store.Write(func(tx *data.Tx) error {
		if err := s.validateMessage(tx, f); err != nil {
			return err
		}
		rules := messageRules(tx)
		m := data.Message{ID: uuid.Must(uuid.NewV7()).String(), OwnerUnit: s.unit.ID, Platform: f.Platform,
			AccountID: f.AccountID, Handle: strings.TrimSpace(f.Handle), ReceivedAt: f.ReceivedAt.UnixMilli(),
			Type: string(f.Type), Content: strings.TrimSpace(f.Content), Status: string(MsgAccepted),
			DueOn: dueOn(rules.Calendar(), f.ReceivedAt, rules.Deadlines[f.Type]), CreatedBy: s.User().Name,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := data.InsertMessage(tx, m); err != nil {
			return err
		}
		step := data.MessageStep{ID: uuid.Must(uuid.NewV7()).String(), MessageID: m.ID, At: now, Actor: s.User().Name,
			ToStatus: m.Status}
		if err := data.AddMessageStep(tx, step); err != nil {
			return err
		}
		saved = m
		return data.AppendAudit(tx, now, s.User().Name, "message.receive", m.ID, f.Type.Name()+" "+m.Handle+" 期限 "+m.DueOn)
	})
	if err != nil {
		return Message{}, err
	}
	return messageFrom(saved), nil
}

// NextMessageStatuses lists the statuses a message may move to from.
func NextMessageStatuses(from MessageStatus) []MessageStatus {
	return slices.Clone(messageMoves[from])
}

// MessageMove is one step of a message's handling.
type MessageMove struct {
	To         MessageStatus
	Department string // 流转: required, the department it goes to
	Note       string // optional: what was done
	Reply      string // 反馈 and 非本机关职权: required, the answer to the netizen
	Channel    string // 非本机关职权: required, and the reply must name it
}

// unfilledPart finds a part of a reply template left for the officer to
// write: （请填写…）, in full-width brackets as templates mark it (or
// ASCII ones), up to its closing bracket for the message. The words 请填写
// in a reply's own text (现场请填写《…》) are no such part.
var unfilledPart = regexp.MustCompile(`[（(]请填写[^（()）\n]{0,40}[）)]?`)

// validate checks the fields the step needs. A reply is public text:
// lex screens it, and a BLOCK finding (prohibited content, a resident ID
// number…) refuses it; warnings do not.
func (mv MessageMove) validate(lex *checker.Lexicon) error {
	switch mv.To {
	case MsgTransferred:
		if err := validName("department", mv.Department, 40); err != nil {
			return err
		}
	case MsgFeedback, MsgOutOfScope:
		if mv.To == MsgOutOfScope {
			if err := validName("channel", mv.Channel, 100); err != nil {
				return err
			}
		}
		if err := validText("reply", mv.Reply, MaxMessageReply, true); err != nil {
			return err
		}
		mark := unfilledPart.FindString(mv.Reply)
		if i := slices.IndexFunc(templatePlaceholders, func(p string) bool { return strings.Contains(mv.Reply, p) }); mark == "" && i >= 0 {
			mark = templatePlaceholders[i]
		}
		if mark != "" {
			return &FieldError{Field: "reply", Msg: fmt.Sprintf("答复中还有待填写的“%s”，请补全 / the reply still has %q to fill in", mark, mark)}
		}
		if ch := strings.TrimSpace(mv.Channel); mv.To == MsgOutOfScope && !strings.Contains(mv.Reply, ch) {
			return &FieldError{Field: "reply", Msg: fmt.Sprintf("答复中须写明受理渠道“%s” / the reply must name the channel %q", ch, ch)}
		}
		if lex != nil {
			for _, f := range lex.Check(strings.TrimSpace(mv.Reply)) {
				if f.Action == checker.Block {
					return &FieldError{Field: "reply", Msg: fmt.Sprintf("答复中含有不得公开的内容“%s”（%s），请改写后再提交 / the reply contains %q (%s), which may not be made public: rewrite it, then submit",
						f.Text, f.Article, f.Text, f.Article)}
				}
			}
		}
	}
	return validText("note", mv.Note, MaxMessageNote, false)
}

// MoveMessage takes a message one step on (CanMoveMessage): 流转 needs the
// department, 反馈 the reply, 非本机关职权 the proper channel and a reply
// that names it. 办结 and 非本机关职权 close the message.
func (s *Session) MoveMessage(id string, mv MessageMove) (Message, error) {
	if err := s.requireStation(); err != nil {
		return Message{}, err
	}
	now := s.now()
	var lex *checker.Lexicon
	if mv.To == MsgFeedback || mv.To == MsgOutOfScope {
		lex = s.Lexicon() // read before the write transaction, as Submit does
	}
	var out data.Message
	err := s.store.Write(func(tx *data.Tx) error {
		m, err := data.MessageByID(tx, id)
		if err != nil {
			return err
		}
		if m.OwnerUnit != s.unit.ID {
			return ErrNotAllowed
		}
		from := MessageStatus(m.Status)
		if !CanMoveMessage(from, mv.To) {
			return ErrTransition
		}
		if err := mv.validate(lex); err != nil {
			return err
		}
		step := data.MessageStep{ID: uuid.Must(uuid.NewV7()).String(), MessageID: m.ID, At: now, Actor: s.User().Name,
			FromStatus: m.Status, ToStatus: string(mv.To), Note: strings.TrimSpace(mv.Note)}
		switch mv.To {
		case MsgTransferred:
			m.Department = strings.TrimSpace(mv.Department)
			step.Department = m.Department
		case MsgOutOfScope:
			m.Channel = strings.TrimSpace(mv.Channel)
			fallthrough
		case MsgFeedback:
			m.Reply = strings.TrimSpace(mv.Reply)
			if step.Note == "" {
				step.Note = m.Reply
			}
		}
		detail := fmt.Sprintf("%s→%s", from, mv.To)
		if mv.To == MsgClosed || mv.To == MsgOutOfScope {
			m.ClosedAt = now
			if messageFrom(m).Late() {
				detail += " 超期办结 / closed late"
			} else {
				detail += " 按期办结 / closed on time"
			}
		}
		m.Status, m.UpdatedAt = string(mv.To), now
		if err := data.UpdateMessage(tx, &m); err != nil {
			return err
		}
		if err := data.AddMessageStep(tx, step); err != nil {
			return err
		}
		out = m
		return data.AppendAudit(tx, now, s.User().Name, "message.move", m.ID, detail)
	})
	if err != nil {
		return Message{}, err
	}
	return messageFrom(out), nil
}

// MessageDetail is everything the message screen shows of one message.
type MessageDetail struct {
	Message Message
	Account string // the named account's name, empty when none
	Steps   []data.MessageStep
	// People names the users who logged the message and took its steps
	// (at HQ, the station's users).
	People People
}

// Message returns one message with the account's name and its steps.
func (s *Session) Message(id string) (MessageDetail, error) {
	if err := s.checkActive(); err != nil {
		return MessageDetail{}, err
	}
	q := s.store.Reader()
	m, err := data.MessageByID(q, id)
	if err != nil {
		return MessageDetail{}, err
	}
	d := MessageDetail{Message: messageFrom(m)}
	if m.AccountID != "" {
		a, err := data.AccountByID(q, m.AccountID)
		if err != nil {
			return d, err
		}
		d.Account = a.Name
	}
	if d.Steps, err = data.MessageSteps(q, id); err != nil {
		return d, err
	}
	d.People, err = s.peopleOf(q, m.OwnerUnit)
	return d, err
}

// MessageQuery selects messages for the list: State (one of the
// Messages* states), Type, Platform, Text; After and Limit page it.
type MessageQuery = data.MessageFilter

// The states a message list selects (MessageQuery.State).
const (
	MessagesAll     = ""                   // every message, latest received first
	MessagesOpen    = data.MessagesOpen    // not closed, most urgent first
	MessagesOverdue = data.MessagesOverdue // overdue as of the session's clock
	MessagesClosed  = data.MessagesClosed  // closed, latest closed first
)

// Messages lists messages for the message list.
func (s *Session) Messages(q MessageQuery) ([]Message, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	q.Today = s.cfg.now().Format(time.DateOnly)
	rows, err := data.ListMessages(s.store.Reader(), q)
	if err != nil {
		return nil, err
	}
	out := make([]Message, len(rows))
	for i, m := range rows {
		out[i] = messageFrom(m)
	}
	return out, nil
}

// MessageCounts counts the open messages and, among them, the overdue
// ones as of now (for the station home). It reads one index.
func (s *Session) MessageCounts(now time.Time) (open, overdue int, err error) {
	if err := s.checkActive(); err != nil {
		return 0, 0, err
	}
	return data.CountMessages(s.store.Reader(), now.Format(time.DateOnly))
}
