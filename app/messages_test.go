package app

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"mediadesk/data"
)

// day is a local time on a date: "2026-11-25", hour.
func day(t *testing.T, date string, hour int) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, date, time.Local)
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(time.Duration(hour) * time.Hour)
}

func inquiry(received time.Time) MessageForm {
	return MessageForm{Platform: "weibo", Handle: "汤阴网友", ReceivedAt: received, Type: Inquiry,
		Content: "请问身份证丢了在哪里补办？"}
}

func mustMessage(t *testing.T) func(Message, error) Message {
	return func(m Message, err error) Message {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
}

func TestReceiveMessageDueDates(t *testing.T) {
	st := newStation(t)
	must := mustMessage(t)
	cases := []struct {
		received string
		hour     int
		typ      MessageType
		due      string
	}{
		{"2026-11-25", 9, Inquiry, "2026-12-02"},    // Wednesday + 5 across a weekend
		{"2026-11-25", 9, Complaint, "2026-12-04"},  // + 7
		{"2026-11-20", 18, Inquiry, "2026-11-27"},   // Friday evening: Monday is the first day
		{"2026-11-21", 10, Inquiry, "2026-11-27"},   // Saturday: the same, the next working day first
		{"2026-11-22", 23, Report, "2026-12-01"},    // Sunday + 7
		{"2026-11-23", 0, Suggestion, "2026-11-30"}, // Monday at midnight: Monday itself does not count
		{"2026-11-24", 12, General, "2026-12-01"},   // 一般留言: 5 by default
	}
	for _, c := range cases {
		f := inquiry(day(t, c.received, c.hour))
		f.Type = c.typ
		if m := must(st.officer.ReceiveMessage(f)); m.DueOn != c.due || m.Status != MsgAccepted {
			t.Errorf("%s %s: due %s status %s, want %s", c.received, c.typ, m.DueOn, m.Status, c.due)
		}
	}

	// A configured holiday (Monday 30 November) and a Saturday worked
	// (5 December): Thursday, Friday, Tuesday, Wednesday, Thursday,
	// Friday, Saturday.
	old := must(st.officer.ReceiveMessage(MessageForm{Platform: "wechat", Handle: "网友甲", ReceivedAt: day(t, "2026-11-25", 8),
		Type: Complaint, Content: "噪音扰民"}))
	rules := st.admin.MessageRules()
	rules.Holidays, rules.Workdays = []string{"2026-11-30"}, []string{"2026-12-05"}
	if err := st.admin.SetMessageRules(rules); err != nil {
		t.Fatal(err)
	}
	f := inquiry(day(t, "2026-11-25", 8))
	f.Type = Complaint
	if m := must(st.officer.ReceiveMessage(f)); m.DueOn != "2026-12-05" {
		t.Errorf("with the holiday table: due %s, want 2026-12-05", m.DueOn)
	}
	rules.Deadlines[Complaint] = 10
	if err := st.admin.SetMessageRules(rules); err != nil {
		t.Fatal(err)
	}
	if m := must(st.officer.ReceiveMessage(f)); m.DueOn != "2026-12-09" {
		t.Errorf("with 10 days: due %s, want 2026-12-09", m.DueOn)
	}
	d, err := st.officer.Message(old.ID)
	if err != nil || d.Message.DueOn != "2026-12-04" {
		t.Errorf("a logged message's due date moved with the rules: %s %v", d.Message.DueOn, err)
	}
}

func TestMessageFormRefusals(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	err := st.admin.store.Write(func(tx *data.Tx) error {
		for _, a := range []data.Account{
			{ID: "own-weibo", OwnerUnit: st.admin.unit.ID, Platform: "weibo", PlatformID: "w1"},
			{ID: "own-wechat", OwnerUnit: st.admin.unit.ID, Platform: "wechat", PlatformID: "c1"},
			{ID: "other-weibo", OwnerUnit: "another-unit", Platform: "weibo", PlatformID: "w2"},
		} {
			a.Action, a.Name, a.Kind, a.Department, a.Responsible, a.Contact = "open", a.ID, UnitAccount, "城关派出所", "王", "1"
			a.FiledOn, a.Status, a.Version = "2026-01-01", string(FilingVerified), 1
			if err := data.SaveAccount(tx, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mod := func(edit func(*MessageForm)) MessageForm {
		f := inquiry(now.Add(-time.Hour))
		edit(&f)
		return f
	}
	cases := []struct {
		field string
		f     MessageForm
	}{
		{"platform", mod(func(f *MessageForm) { f.Platform = "" })},
		{"platform", mod(func(f *MessageForm) { f.Platform = "myspace" })},
		{"account", mod(func(f *MessageForm) { f.AccountID = "own-wechat" })},  // another platform
		{"account", mod(func(f *MessageForm) { f.AccountID = "other-weibo" })}, // another unit's
		{"account", mod(func(f *MessageForm) { f.AccountID = "nobody" })},
		{"handle", mod(func(f *MessageForm) { f.Handle = "  " })},
		{"handle", mod(func(f *MessageForm) { f.Handle = "a\nb" })},
		{"received_at", mod(func(f *MessageForm) { f.ReceivedAt = time.Time{} })},
		{"received_at", mod(func(f *MessageForm) { f.ReceivedAt = now.Add(time.Hour) })},
		{"received_at", mod(func(f *MessageForm) { f.ReceivedAt = time.Date(1901, 1, 2, 9, 0, 0, 0, time.Local) })},
		{"received_at", mod(func(f *MessageForm) { f.ReceivedAt = now.AddDate(0, 0, -MaxMessageAge-1) })},
		{"type", mod(func(f *MessageForm) { f.Type = "praise" })},
		{"content", mod(func(f *MessageForm) { f.Content = " \n " })},
		{"content", mod(func(f *MessageForm) { f.Content = strings.Repeat("字", MaxMessageContent+1) })},
	}
	for _, c := range cases {
		var fe *FieldError
		if _, err := st.officer.ReceiveMessage(c.f); !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: %v", c.field, err)
		}
	}
	if list, err := st.officer.Messages(MessageQuery{}); err != nil || len(list) != 0 {
		t.Fatalf("refused forms saved %d messages (%v)", len(list), err)
	}
	m := mustMessage(t)(st.officer.ReceiveMessage(mod(func(f *MessageForm) { f.AccountID = "own-weibo" })))
	if d, err := st.officer.Message(m.ID); err != nil || d.Account != "own-weibo" || len(d.Steps) != 1 {
		t.Fatalf("account %q steps %d: %v", d.Account, len(d.Steps), err)
	}
	accounts, err := st.officer.MessageAccounts("weibo")
	if err != nil || len(accounts) != 1 || accounts[0].ID != "own-weibo" {
		t.Fatalf("the unit's weibo accounts: %+v %v", accounts, err)
	}
	hq := newHQ(t)
	if _, err := hq.ReceiveMessage(inquiry(now.Add(-time.Hour))); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("HQ logs a message: %v", err)
	}
}

// newHQ sets up an HQ install and returns its admin's session.
func newHQ(t *testing.T) *Session {
	t.Helper()
	s, _, err := Setup(testConfig(t), SetupRequest{Kind: HQ, UnitName: "宣传科", AdminName: "admin", Password: "hq-pass-123"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// moveTo takes a new message along the shortest way to status to.
func moveTo(t *testing.T, s *Session, to MessageStatus) Message {
	t.Helper()
	must := mustMessage(t)
	m := must(s.ReceiveMessage(inquiry(s.cfg.now().Add(-time.Hour))))
	path := map[MessageStatus][]MessageMove{
		MsgAccepted:    nil,
		MsgTransferred: {{To: MsgTransferred, Department: "治安中队"}},
		MsgHandled:     {{To: MsgHandled, Note: "已核实"}},
		MsgFeedback:    {{To: MsgHandled}, {To: MsgFeedback, Reply: "您好，已为您办理。"}},
		MsgClosed:      {{To: MsgHandled}, {To: MsgFeedback, Reply: "您好，已为您办理。"}, {To: MsgClosed}},
		MsgOutOfScope:  {{To: MsgOutOfScope, Channel: "12345市民热线", Reply: "请拨打12345市民热线反映。"}},
	}
	for _, mv := range path[to] {
		m = must(s.MoveMessage(m.ID, mv))
	}
	return m
}

// TestReceiveMessageEarliest: a message received more than MaxMessageAge
// days ago (a typo in the year or the month) is refused, saying what to
// check, rather than logged overdue for good; one received on the
// earliest day allowed is logged.
func TestReceiveMessageEarliest(t *testing.T) {
	st := newStation(t)
	now := st.cfg.now()
	var fe *FieldError
	_, err := st.officer.ReceiveMessage(inquiry(time.Date(1901, 1, 2, 9, 0, 0, 0, time.Local)))
	if !errors.As(err, &fe) || fe.Field != "received_at" || !strings.Contains(fe.Msg, "请检查日期和年份") || !strings.Contains(fe.Msg, "check the date and the year") {
		t.Fatalf("received in 1901: %v", err)
	}
	earliest := now.AddDate(0, 0, -MaxMessageAge)
	earliest = time.Date(earliest.Year(), earliest.Month(), earliest.Day(), 0, 0, 0, 0, time.Local)
	if _, err := st.officer.ReceiveMessage(inquiry(earliest.Add(-time.Minute))); !errors.As(err, &fe) || fe.Field != "received_at" {
		t.Fatalf("received the day before the earliest: %v", err)
	}
	m := mustMessage(t)(st.officer.ReceiveMessage(inquiry(earliest)))
	if !m.Overdue(now) {
		t.Errorf("a message received %d days ago is not overdue: due %s", MaxMessageAge, m.DueOn)
	}
}

// TestReplyUnfilledPart: only a template's （请填写…） part stops a reply,
// not the words 请填写 in the reply's own text.
func TestReplyUnfilledPart(t *testing.T) {
	st := newStation(t)
	s := st.officer
	must := mustMessage(t)
	m := must(s.ReceiveMessage(inquiry(st.cfg.now().Add(-time.Hour))))
	must(s.MoveMessage(m.ID, MessageMove{To: MsgHandled}))
	var fe *FieldError
	for reply, part := range map[string]string{
		"您好，所需材料为：（请填写所需材料）。办理时间为工作日。": "（请填写所需材料）",
		"您好，所需材料为：(请填写所需材料)。":          "(请填写所需材料)",
		"您好，办理时间为（请填写":                 "（请填写",
	} {
		if _, err := s.MoveMessage(m.ID, MessageMove{To: MsgFeedback, Reply: reply}); !errors.As(err, &fe) || fe.Field != "reply" || !strings.Contains(fe.Msg, "“"+part+"”") {
			t.Errorf("反馈 %q: %v", reply, err)
		}
	}
	// Every starter template with a part to write is refused as inserted.
	for _, tpl := range starterTemplates {
		if !strings.Contains(tpl.Body, "（请填写") {
			continue
		}
		reply := s.InsertTemplate("", ReplyTemplate{Body: tpl.Body}, TemplateVars{Netizen: "汤阴网友"})
		if _, err := s.MoveMessage(m.ID, MessageMove{To: MsgFeedback, Reply: reply}); !errors.As(err, &fe) || fe.Field != "reply" || !strings.Contains(fe.Msg, "请填写") {
			t.Errorf("template %s as inserted: %v", tpl.Title, err)
		}
	}
	reply := "请于工作日到户籍窗口办理，现场请填写《居民身份证申领登记表》。"
	if m = must(s.MoveMessage(m.ID, MessageMove{To: MsgFeedback, Reply: reply})); m.Status != MsgFeedback || m.Reply != reply {
		t.Fatalf("反馈 with 请填写 in its text: %+v", m)
	}
}

func TestMessageHandlingPath(t *testing.T) {
	st := newStation(t)
	s := st.officer
	must := mustMessage(t)
	m := must(s.ReceiveMessage(inquiry(st.cfg.now().Add(-time.Hour))))
	var fe *FieldError
	if _, err := s.MoveMessage(m.ID, MessageMove{To: MsgTransferred, Department: " "}); !errors.As(err, &fe) || fe.Field != "department" {
		t.Fatalf("流转 without a department: %v", err)
	}
	m = must(s.MoveMessage(m.ID, MessageMove{To: MsgTransferred, Department: " 户籍室 ", Note: "请户籍室答复"}))
	if m.Status != MsgTransferred || m.Department != "户籍室" || m.Version != 2 {
		t.Fatalf("after 流转: %+v", m)
	}
	m = must(s.MoveMessage(m.ID, MessageMove{To: MsgHandled, Note: "户籍室已答复办理流程"}))
	for reply, field := range map[string]string{
		"": "reply",
		"{网民}您好，补办需要带户口簿。":                     "reply",
		"您好，所需材料为：（请填写所需材料）。":                  "reply",
		strings.Repeat("字", MaxMessageReply+1): "reply",
	} {
		if _, err := s.MoveMessage(m.ID, MessageMove{To: MsgFeedback, Reply: reply}); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("反馈 %q: %v", reply, err)
		}
	}
	if _, err := s.MoveMessage(m.ID, MessageMove{To: MsgHandled, Note: strings.Repeat("字", MaxMessageNote+1)}); !errors.Is(err, ErrTransition) {
		t.Fatalf("处置 twice: %v", err)
	}
	m = must(s.MoveMessage(m.ID, MessageMove{To: MsgFeedback, Reply: "您好，补办身份证请带户口簿到户籍室办理。"}))
	if m.Reply != "您好，补办身份证请带户口簿到户籍室办理。" || m.Closed() {
		t.Fatalf("after 反馈: %+v", m)
	}
	m = must(s.MoveMessage(m.ID, MessageMove{To: MsgClosed, Note: "网民表示满意"}))
	if m.Status != MsgClosed || !m.Closed() || m.Late() || m.Overdue(st.cfg.now().AddDate(1, 0, 0)) {
		t.Fatalf("after 办结: %+v late %v", m, m.Late())
	}
	d, err := s.Message(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, step := range d.Steps {
		trail = append(trail, step.FromStatus+">"+step.ToStatus+":"+step.Department+":"+step.Note)
	}
	want := []string{">accepted::", "accepted>transferred:户籍室:请户籍室答复", "transferred>handled::户籍室已答复办理流程",
		"handled>feedback::您好，补办身份证请带户口簿到户籍室办理。", "feedback>closed::网民表示满意"}
	if strings.Join(trail, "|") != strings.Join(want, "|") {
		t.Fatalf("steps:\n%s\nwant\n%s", strings.Join(trail, "\n"), strings.Join(want, "\n"))
	}
	entries, err := st.admin.Audit(AuditQuery{Action: "message.move"})
	if err != nil {
		t.Fatal(err)
	}
	moves := 0
	for _, e := range entries {
		if e.Action == "message.move" {
			moves++
			if strings.HasPrefix(e.Detail, "feedback") && !strings.Contains(e.Detail, "按期办结") {
				t.Errorf("closing audit: %q", e.Detail)
			}
		}
	}
	if moves != 4 {
		t.Fatalf("%d move audit entries, want 4", moves)
	}
}

func TestMessageOutOfScope(t *testing.T) {
	st := newStation(t)
	s := st.officer
	m := mustMessage(t)(s.ReceiveMessage(inquiry(st.cfg.now().Add(-time.Hour))))
	var fe *FieldError
	for _, c := range []struct{ channel, reply, field string }{
		{"", "请向市场监管部门反映。", "channel"},
		{"市场监管局12315热线", "", "reply"},
		{"市场监管局12315热线", "请向有关部门反映。", "reply"}, // the reply does not name the channel
		{"市场监管局12315热线", "请向{渠道}反映。", "reply"},
	} {
		if _, err := s.MoveMessage(m.ID, MessageMove{To: MsgOutOfScope, Channel: c.channel, Reply: c.reply}); !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%q %q: %v, want field %s", c.channel, c.reply, err, c.field)
		}
	}
	m = mustMessage(t)(s.MoveMessage(m.ID, MessageMove{To: MsgOutOfScope, Channel: "市场监管局12315热线",
		Reply: "您好，商品质量问题请向市场监管局12315热线反映。"}))
	if m.Status != MsgOutOfScope || !m.Closed() || m.Channel != "市场监管局12315热线" {
		t.Fatalf("after 非本机关职权: %+v", m)
	}
	if open, _, err := s.MessageCounts(st.cfg.now()); err != nil || open != 0 {
		t.Fatalf("an out-of-scope message counts as open: %d %v", open, err)
	}
}

func TestRefusedMessageTransitions(t *testing.T) {
	st := newStation(t)
	all := []MessageStatus{MsgAccepted, MsgTransferred, MsgHandled, MsgFeedback, MsgClosed, MsgOutOfScope}
	full := MessageMove{Department: "治安中队", Reply: "您好，请拨打12345市民热线。", Channel: "12345市民热线"}
	for _, from := range all {
		m := moveTo(t, st.officer, from)
		for _, to := range all {
			if CanMoveMessage(from, to) {
				continue
			}
			mv := full
			mv.To = to
			if _, err := st.officer.MoveMessage(m.ID, mv); !errors.Is(err, ErrTransition) {
				t.Errorf("%s > %s: %v, want refused", from, to, err)
			}
		}
		d, err := st.officer.Message(m.ID)
		if err != nil || d.Message.Status != from || d.Message.Version != m.Version {
			t.Errorf("%s: a refused step changed the message: %+v %v", from, d.Message, err)
		}
	}
	if got := NextMessageStatuses(MsgAccepted); len(got) != 3 || len(NextMessageStatuses(MsgClosed)) != 0 {
		t.Fatalf("next statuses: %v", got)
	}
	// Another unit's message (arrived with a bundle, say) is not ours to move.
	err := st.admin.store.Write(func(tx *data.Tx) error {
		return data.InsertMessage(tx, data.Message{ID: "theirs", OwnerUnit: "another-unit", Platform: "weibo", Handle: "x",
			ReceivedAt: 1, Type: string(Inquiry), Content: "x", Status: string(MsgAccepted), DueOn: "2026-01-01",
			CreatedBy: "x", CreatedAt: 1, UpdatedAt: 1, Version: 1})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.officer.MoveMessage("theirs", MessageMove{To: MsgHandled}); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("moved another unit's message: %v", err)
	}
}

func TestOverdueAndLate(t *testing.T) {
	st := newStation(t)
	s := st.officer
	must := mustMessage(t)
	// Received Monday 16 November: five working days end Monday 23.
	old := must(s.ReceiveMessage(inquiry(day(t, "2026-11-16", 10))))
	fresh := must(s.ReceiveMessage(inquiry(day(t, "2026-11-25", 8))))
	if old.DueOn != "2026-11-23" {
		t.Fatalf("due %s", old.DueOn)
	}
	if old.Overdue(day(t, "2026-11-23", 23)) || !old.Overdue(day(t, "2026-11-24", 0)) {
		t.Fatal("overdue from the day after the last day, not before")
	}
	open, overdue, err := s.MessageCounts(day(t, "2026-11-25", 12))
	if err != nil || open != 2 || overdue != 1 {
		t.Fatalf("counts %d %d %v", open, overdue, err)
	}
	if _, overdue, _ := s.MessageCounts(day(t, "2026-11-23", 12)); overdue != 0 {
		t.Fatalf("overdue on its last day: %d", overdue)
	}
	list, err := s.Messages(MessageQuery{State: MessagesOverdue})
	if err != nil || len(list) != 1 || list[0].ID != old.ID {
		t.Fatalf("overdue list %+v %v", list, err)
	}
	for _, mv := range []MessageMove{{To: MsgHandled}, {To: MsgFeedback, Reply: "您好，已办理。"}, {To: MsgClosed}} {
		old = must(s.MoveMessage(old.ID, mv))
		fresh = must(s.MoveMessage(fresh.ID, mv))
	}
	if !old.Late() || fresh.Late() || old.Overdue(day(t, "2026-12-31", 0)) {
		t.Fatalf("late %v, on time %v", old.Late(), !fresh.Late())
	}
	if open, overdue, _ := s.MessageCounts(day(t, "2026-11-25", 12)); open != 0 || overdue != 0 {
		t.Fatalf("closed messages still counted: %d %d", open, overdue)
	}
	// Closed on its last day, late in the evening: on time.
	onDay := Message{DueOn: "2026-11-23", ClosedAt: day(t, "2026-11-23", 23)}
	if onDay.Late() {
		t.Fatal("closed on the last day counted late")
	}
}

func TestMessageListFiltersAndPages(t *testing.T) {
	st := newStation(t)
	s := st.officer
	must := mustMessage(t)
	base := day(t, "2026-11-02", 9)
	var ids []string
	for i := range 7 {
		f := inquiry(base.Add(time.Duration(i) * 24 * time.Hour))
		f.Type = MessageTypes[i%len(MessageTypes)]
		if i%2 == 1 {
			f.Platform, f.Handle, f.Content = "douyin", "抖音用户"+string(rune('A'+i)), "路口红绿灯坏了"
		}
		ids = append(ids, must(s.ReceiveMessage(f)).ID)
	}
	must(s.MoveMessage(ids[0], MessageMove{To: MsgOutOfScope, Channel: "交通运输局", Reply: "请向交通运输局反映。"}))
	count := func(q MessageQuery) int {
		t.Helper()
		list, err := s.Messages(q)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	for name, c := range map[string]struct {
		q    MessageQuery
		want int
	}{
		"all":      {MessageQuery{}, 7},
		"open":     {MessageQuery{State: MessagesOpen}, 6},
		"closed":   {MessageQuery{State: MessagesClosed}, 1},
		"type":     {MessageQuery{Type: string(Complaint)}, 2},
		"platform": {MessageQuery{Platform: "douyin"}, 3},
		"text":     {MessageQuery{Text: "红绿灯"}, 3},
		"handle":   {MessageQuery{Text: "抖音用户D"}, 1},
		"combined": {MessageQuery{State: MessagesOpen, Platform: "weibo", Text: "身份证"}, 3},
	} {
		if got := count(c.q); got != c.want {
			t.Errorf("%s: %d, want %d", name, got, c.want)
		}
	}
	for _, state := range []string{MessagesAll, MessagesOpen, MessagesClosed} {
		all, err := s.Messages(MessageQuery{State: state})
		if err != nil {
			t.Fatal(err)
		}
		var paged []string
		q := MessageQuery{State: state, Limit: 2}
		for {
			page, err := s.Messages(q)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range page {
				paged = append(paged, m.ID)
			}
			if len(page) < q.Limit {
				break
			}
			q.After = page[len(page)-1].Cursor()
		}
		var whole []string
		for _, m := range all {
			whole = append(whole, m.ID)
		}
		if strings.Join(paged, ",") != strings.Join(whole, ",") {
			t.Errorf("state %q: pages %v, whole list %v", state, paged, whole)
		}
	}
	open, _ := s.Messages(MessageQuery{State: MessagesOpen})
	for i := 1; i < len(open); i++ {
		if open[i-1].DueOn > open[i].DueOn {
			t.Fatal("open messages not by due date")
		}
	}
	if all, _ := s.Messages(MessageQuery{}); all[0].ID != ids[6] {
		t.Fatal("the whole list does not start with the latest received")
	}
}

func TestMessageRulesSettings(t *testing.T) {
	st := newStation(t)
	r := st.admin.MessageRules()
	if r.Deadlines[Complaint] != 7 || r.Deadlines[Inquiry] != 5 || len(r.Holidays) != 0 {
		t.Fatalf("defaults: %+v", r)
	}
	if err := st.officer.SetMessageRules(r); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("an officer sets the rules: %v", err)
	}
	with := func(edit func(*MessageRules)) MessageRules {
		c := MessageRules{Deadlines: map[MessageType]int{}, Holidays: []string{"2026-10-01"}, Workdays: []string{"2026-10-10"}}
		for t, n := range DefaultDeadlines {
			c.Deadlines[t] = n
		}
		edit(&c)
		return c
	}
	for field, bad := range map[string][]MessageRules{
		"deadlines": {with(func(c *MessageRules) { c.Deadlines[Report] = 16 }), with(func(c *MessageRules) { c.Deadlines[Inquiry] = 0 }),
			with(func(c *MessageRules) { delete(c.Deadlines, General) })},
		"holidays": {with(func(c *MessageRules) { c.Holidays = []string{"2026-13-01"} }), with(func(c *MessageRules) { c.Holidays = []string{"10月1日"} })},
		"workdays": {with(func(c *MessageRules) { c.Workdays = []string{"2026-10-09"} }), // a Friday
			with(func(c *MessageRules) { c.Holidays = append(c.Holidays, "2026-10-10") })},
	} {
		for _, c := range bad {
			var fe *FieldError
			if err := st.admin.SetMessageRules(c); !errors.As(err, &fe) || fe.Field != field {
				t.Errorf("%s: %v", field, err)
			}
		}
	}
	var fe *FieldError
	if err := st.admin.SetMessageRules(with(func(c *MessageRules) { c.Deadlines[Complaint] = 16 })); !errors.As(err, &fe) || !strings.Contains(fe.Msg, "投诉") {
		t.Errorf("16 days for complaints: the message does not name the type: %v", err)
	}
	if got := st.admin.MessageRules(); len(got.Holidays) != 0 || got.Deadlines[Report] != 7 {
		t.Fatalf("a refused table was saved: %+v", got)
	}
	good := with(func(c *MessageRules) {
		c.Deadlines[Complaint] = 15
		c.Holidays = []string{" 2026-10-02", "2026-10-01", "", "2026-10-01"}
	})
	if err := st.admin.SetMessageRules(good); err != nil {
		t.Fatal(err)
	}
	got := st.officer.MessageRules()
	if got.Deadlines[Complaint] != 15 || strings.Join(got.Holidays, ",") != "2026-10-01,2026-10-02" ||
		strings.Join(got.Workdays, ",") != "2026-10-10" {
		t.Fatalf("saved: %+v", got)
	}
	cal := got.Calendar()
	if cal.IsWorkingDay(day(t, "2026-10-02", 0)) || !cal.IsWorkingDay(day(t, "2026-10-10", 0)) {
		t.Fatal("the saved table's calendar")
	}
}

func TestStarterTemplates(t *testing.T) {
	st := newStation(t)
	all, err := st.officer.Templates("")
	if err != nil || len(all) < 8 || len(all) > 12 {
		t.Fatalf("%d starter templates: %v", len(all), err)
	}
	again, _ := st.admin.Templates("")
	if len(again) != len(all) {
		t.Fatalf("listed twice: %d then %d", len(all), len(again))
	}
	for i, tpl := range all {
		if tpl.Source != TemplateStarter || !strings.Contains(tpl.Body, "您好") {
			t.Errorf("template %q: %+v", tpl.Title, tpl)
		}
		if i > 0 && slices.Index(TemplateCategories, all[i-1].Category) > slices.Index(TemplateCategories, tpl.Category) {
			t.Errorf("%q before %q", all[i-1].Category, tpl.Category)
		}
	}
	for _, typ := range MessageTypes {
		for _, to := range []MessageStatus{MsgFeedback, MsgOutOfScope} {
			if list, _ := st.officer.Templates(SuggestedTemplateCategory(to, typ)); len(list) == 0 {
				t.Errorf("no template suggested for %s %s", to, typ)
			}
		}
	}
	guide, err := st.officer.Templates("非本机关职权引导")
	if err != nil || len(guide) != 2 {
		t.Fatalf("非本机关职权引导: %d %v", len(guide), err)
	}
	entries, _ := st.admin.Audit(AuditQuery{Action: "templates.starter"})
	seeded := 0
	for _, e := range entries {
		if e.Action == "templates.starter" {
			seeded++
		}
	}
	if seeded != 1 {
		t.Fatalf("starter set put in %d times", seeded)
	}
	reply := st.officer.InsertTemplate("", guide[0], TemplateVars{Netizen: "网友甲", Channel: "12345市民热线"})
	if !strings.HasPrefix(reply, "网友甲您好！") || !strings.Contains(reply, "建议您向12345市民热线反映") || strings.Contains(reply, "{") {
		t.Fatalf("filled: %q", reply)
	}
	thanks, _ := st.officer.Templates("建议感谢")
	reply = st.officer.InsertTemplate("第一行\n", thanks[0], TemplateVars{})
	if !strings.HasPrefix(reply, "第一行\n{网民}您好") || !strings.Contains(reply, "城关派出所") {
		t.Fatalf("appended: %q", reply)
	}
	hq := newHQ(t)
	if list, err := hq.Templates(""); err != nil || len(list) != 0 {
		t.Fatalf("HQ got the station's starter set: %d %v", len(list), err)
	}
}

// TestCountyMessageRules: HQ's admin sets the county's deadlines and
// holiday table; they reach the station, which reckons due dates by them
// and can no longer set its own.
func TestCountyMessageRules(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	own := MessageRules{Deadlines: maps.Clone(DefaultDeadlines)}
	own.Deadlines[Inquiry] = 15
	if err := st.admin.SetMessageRules(own); err != nil {
		t.Fatalf("a station sets its own rules before HQ's: %v", err)
	}
	county := MessageRules{Deadlines: maps.Clone(DefaultDeadlines), Holidays: []string{"2026-12-31", "2027-01-01"}}
	county.Deadlines[Inquiry] = 3
	if err := c.hq.SetMessageRules(county); err != nil {
		t.Fatal(err)
	}
	if r := c.hq.MessageRules(); !r.SetByHQ || r.Deadlines[Inquiry] != 3 || r.SetBy != "赵科长" {
		t.Fatalf("HQ's rules: %+v", r)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	r := st.officer.MessageRules()
	if !r.SetByHQ || r.Deadlines[Inquiry] != 3 || strings.Join(r.Holidays, ",") != "2026-12-31,2027-01-01" {
		t.Fatalf("the station's rules after HQ's arrived: %+v", r)
	}
	// Received on Wednesday 2026-12-30: the three working days after it,
	// past the two holidays and the weekend, are 4, 5 and 6 January (by
	// the station's own 15 days it would be late January; without the
	// holidays, 4 January).
	m := mustMessage(t)(withClock(st.officer, func() time.Time { return day(t, "2026-12-30", 12) }).ReceiveMessage(inquiry(day(t, "2026-12-30", 9))))
	if m.DueOn != "2027-01-06" {
		t.Fatalf("due %s by the county's rules, want 2027-01-06", m.DueOn)
	}
	if err := st.admin.SetMessageRules(own); !errors.Is(err, ErrRulesSetByHQ) {
		t.Fatalf("a station overrides the county's rules: %v", err)
	}
	if r := st.admin.MessageRules(); r.Deadlines[Inquiry] != 3 {
		t.Fatalf("a refused change took effect: %+v", r)
	}
	county.Deadlines[Inquiry] = 4
	if err := c.hq.SetMessageRules(county); err != nil {
		t.Fatal(err)
	}
	c.receive(st.admin, Imported, c.send(c.hq, "st1")...)
	if r := st.officer.MessageRules(); r.Deadlines[Inquiry] != 4 {
		t.Fatalf("HQ's change did not reach the station: %+v", r)
	}
}
