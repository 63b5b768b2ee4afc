package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"mediadesk/data"
)

// Reply templates (回复口径, Art. 23). HQ keeps the library and sends it
// to the stations in bundles (source "hq"); until it arrives, a station
// has a local starter set (source "starter"), put in once, the first time
// the templates are listed. A template may hold placeholders that
// InsertTemplate fills: {网民} the netizen's handle, {单位} the unit's
// name, {渠道} the proper channel (非本机关职权). Parts marked （请填写…）
// are for the officer to write; MoveMessage refuses a reply that still
// has them.

// ReplyTemplate is a reply template as screens see it.
type ReplyTemplate = data.Template

// TemplateCategories are the categories of reply templates, in the order
// lists show them.
var TemplateCategories = []string{"咨询答复", "投诉受理", "举报受理", "建议感谢", "流转告知", "非本机关职权引导", "办结回访"}

// TemplateStarter is the source of the local starter set (HQ's templates
// have source "hq").
const TemplateStarter = "starter"

// keyStarterTemplates marks a station whose starter set is in: a starter
// template HQ later retires does not come back.
const keyStarterTemplates = "templates.starter"

// starterTemplates is the local starter set.
var starterTemplates = []struct{ Category, Title, Body string }{
	{"咨询答复", "一般咨询答复", "{网民}您好！感谢您对{单位}工作的关注。关于您咨询的问题，答复如下：（请填写答复内容）。如有其他疑问，欢迎继续留言，也可在工作时间到{单位}窗口咨询。"},
	{"咨询答复", "户籍证件业务咨询", "{网民}您好！您咨询的业务需本人携带有效身份证件到{单位}户籍窗口办理，所需材料为：（请填写所需材料）。办理时间为（请填写办理时间）。感谢您的理解与支持！"},
	{"投诉受理", "投诉已受理", "{网民}您好！您反映的问题我们已收到并登记受理，将按规定认真核查处理，并在办理时限内向您反馈结果。感谢您对公安工作的监督！"},
	{"投诉受理", "投诉核查结果", "{网民}您好！关于您投诉的问题，经核查，情况如下：（请填写核查情况和处理结果）。如您对处理结果仍有异议，可继续留言或到{单位}当面反映。感谢您的监督！"},
	{"举报受理", "举报线索已受理", "{网民}您好！您提供的举报线索已收到，{单位}将依法核查处理，并对举报人信息严格保密。请勿在公开评论区发布个人信息和线索细节。感谢您对平安建设的支持！"},
	{"举报受理", "紧急情况请报警", "{网民}您好！如遇正在发生的违法犯罪或需要紧急救助，请立即拨打110报警，网上留言不能代替报警。感谢您的理解与配合！"},
	{"建议感谢", "感谢建议", "{网民}您好！感谢您提出的宝贵建议，我们已认真研究，将在今后的工作中改进完善。欢迎您继续关注和支持{单位}的工作！"},
	{"建议感谢", "感谢留言支持", "{网民}您好！感谢您的留言和对{单位}工作的关心支持，我们将继续努力，守护一方平安。"},
	{"流转告知", "已转相关部门办理", "{网民}您好！您反映的问题已转交相关部门办理，我们将跟踪办理进度，并在规定时限内向您反馈。感谢您的耐心等待！"},
	{"非本机关职权引导", "告知受理渠道", "{网民}您好！您反映的问题不属于公安机关职权范围，建议您向{渠道}反映，他们将依职责为您办理。感谢您的理解！"},
	{"非本机关职权引导", "民事纠纷引导", "{网民}您好！您反映的属于民事纠纷，不属于公安机关管辖范围，建议您通过{渠道}依法解决。如纠纷中出现违法犯罪行为，请及时拨打110报警。"},
	{"办结回访", "办结告知", "{网民}您好！您反映的问题已办理完毕，处理结果为：（请填写处理结果）。如对办理结果有意见或建议，欢迎继续留言。感谢您的支持与监督！"},
}

// ensureStarterTemplates puts the starter set in once, at a station.
func (s *Session) ensureStarterTemplates() error {
	if s.unit.Kind != Station {
		return nil
	}
	if _, err := data.Setting(s.store.Reader(), keyStarterTemplates); !errors.Is(err, data.ErrNotFound) {
		return err
	}
	now := s.now()
	return s.store.Write(func(tx *data.Tx) error {
		if _, err := data.Setting(tx, keyStarterTemplates); !errors.Is(err, data.ErrNotFound) {
			return err // put in meanwhile, or unreadable
		}
		for _, st := range starterTemplates {
			t := ReplyTemplate{ID: uuid.Must(uuid.NewV7()).String(), OwnerUnit: s.unit.ID, Category: st.Category,
				Title: st.Title, Body: st.Body, Status: data.TemplateActive, Source: TemplateStarter,
				CreatedAt: now, UpdatedAt: now, Version: 1}
			if err := data.SaveTemplate(tx, t); err != nil {
				return err
			}
		}
		if err := data.SetSetting(tx, keyStarterTemplates, "1"); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "templates.starter", "", "本地回复口径初始模板 / local starter templates")
	})
}

// Templates lists the reply templates in use of a category (all with
// ""): the starter set and HQ's published ones, by category in
// TemplateCategories order, then title. At a station the first call puts
// the starter set in.
func (s *Session) Templates(category string) ([]ReplyTemplate, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	if err := s.ensureStarterTemplates(); err != nil {
		return nil, err
	}
	list, err := data.ListTemplatesIn(s.store.Reader(), []string{data.TemplateActive, data.TemplatePublished}, category)
	if err != nil {
		return nil, err
	}
	sortTemplates(list)
	return list, nil
}

// SuggestedTemplateCategory is the category of templates that fits a
// reply: the guide to the proper channel for 非本机关职权, else the one of
// the message's type.
func SuggestedTemplateCategory(to MessageStatus, t MessageType) string {
	if to == MsgOutOfScope {
		return "非本机关职权引导"
	}
	switch t {
	case Inquiry:
		return "咨询答复"
	case Complaint:
		return "投诉受理"
	case Report:
		return "举报受理"
	}
	return "建议感谢"
}

// TemplateVars fill a template's placeholders.
type TemplateVars struct {
	Netizen string // {网民}: the netizen's handle
	Channel string // {渠道}: the proper channel; left as is when empty
}

// InsertTemplate returns reply with template t added at its end (on a new
// line when reply has text), its placeholders filled: {网民}, {单位} (this
// unit), {渠道} when v has a channel.
func (s *Session) InsertTemplate(reply string, t ReplyTemplate, v TemplateVars) string {
	pairs := []string{"{单位}", s.unit.Name}
	if n := strings.TrimSpace(v.Netizen); n != "" {
		pairs = append(pairs, "{网民}", n)
	}
	if c := strings.TrimSpace(v.Channel); c != "" {
		pairs = append(pairs, "{渠道}", c)
	}
	text := strings.NewReplacer(pairs...).Replace(t.Body)
	if strings.TrimSpace(reply) == "" {
		return text
	}
	return strings.TrimRight(reply, "\n") + "\n" + text
}

// HQ's library (Art. 23: unified wording, graded review). HQ writes a
// template as a draft (草稿), sends it for review (待审核), the section
// chief (HQ admin) approves it (已审核), and HQ publishes it (已发布); a
// template no longer wanted is retired (已停用). Published and retired
// templates travel to every station, where published ones show in the
// reply picker beside the starter set (source "hq") and retired ones
// disappear.
//
// One row per template, its version bumped by every change (an edit or a
// step), so "apply if newer" carries each step. reply_templates keeps no
// earlier text: editing a published template sends it back to draft in
// place, and since drafts do not travel, the stations keep the text last
// published until the edited one is approved and published again. HQ's
// own list shows the working text.

// Errors of the template library.
var (
	ErrTemplateStatus  = errors.New("回复口径当前状态不允许此操作，请刷新后再试 / the template's status does not allow this: refresh and retry")
	ErrTemplateChanged = errors.New("回复口径在您打开后已被修改，请重新查看最新内容 / the template changed after you opened it: read the latest text")
)

// Template statuses (ReplyTemplate.Status).
const (
	TemplateActive    = data.TemplateActive    // a station's starter template in use
	TemplateDraft     = data.TemplateDraft     // HQ: 草稿, being written or edited
	TemplateReview    = data.TemplateReview    // HQ: 待审核, waiting for the section chief
	TemplateApproved  = data.TemplateApproved  // HQ: 已审核, may be published
	TemplatePublished = data.TemplatePublished // HQ: 已发布, in use at every station
	TemplateRetired   = data.TemplateRetired   // withdrawn: hidden from the picker
)

// TemplateHQ is the source of HQ's templates.
const TemplateHQ = "hq"

// Limits of a template's fields, in characters.
const (
	maxTemplateCategory = 20
	maxTemplateTitle    = 40
	maxTemplateBody     = 2000
)

// templatePlaceholders are the placeholders InsertTemplate fills.
var templatePlaceholders = []string{"{网民}", "{单位}", "{渠道}"}

// TemplateForm is what the template editor collects.
type TemplateForm struct {
	ID       string // empty for a new template
	Category string
	Title    string
	Body     string
}

// validate checks the form field by field; every field is trimmed.
func (f *TemplateForm) validate() error {
	f.Category, f.Title, f.Body = strings.TrimSpace(f.Category), strings.TrimSpace(f.Title), strings.TrimSpace(f.Body)
	if err := validName("category", f.Category, maxTemplateCategory); err != nil {
		return err
	}
	if err := validName("title", f.Title, maxTemplateTitle); err != nil {
		return err
	}
	if f.Body == "" {
		return &FieldError{Field: "body", Msg: "请填写口径内容 / write the template's text"}
	}
	if utf8.RuneCountInString(f.Body) > maxTemplateBody {
		return &FieldError{Field: "body", Msg: fmt.Sprintf("口径内容不能超过 %d 个字 / the text has at most %d characters", maxTemplateBody, maxTemplateBody)}
	}
	rest := f.Body
	for _, p := range templatePlaceholders {
		rest = strings.ReplaceAll(rest, p, "")
	}
	if strings.ContainsAny(rest, "{}") {
		return &FieldError{Field: "body", Msg: "花括号只能用于占位符 {网民}、{单位}、{渠道}，请检查拼写 / braces are only for the placeholders {网民}, {单位} and {渠道}: check the spelling"}
	}
	return nil
}

// LibraryTemplates lists HQ's library (HQ only): the templates of a
// category (all with ""), retired ones only when asked, by category in
// TemplateCategories order, then title.
func (s *Session) LibraryTemplates(category string, withRetired bool) ([]ReplyTemplate, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	statuses := []string{data.TemplateDraft, data.TemplateReview, data.TemplateApproved, data.TemplatePublished}
	if withRetired {
		statuses = append(statuses, data.TemplateRetired)
	}
	list, err := data.ListTemplatesIn(s.store.Reader(), statuses, category)
	if err != nil {
		return nil, err
	}
	sortTemplates(list)
	return list, nil
}

// sortTemplates orders templates by category in TemplateCategories order
// (other categories after), keeping the title order within one.
func sortTemplates(list []ReplyTemplate) {
	rank := func(c string) int {
		if i := slices.Index(TemplateCategories, c); i >= 0 {
			return i
		}
		return len(TemplateCategories)
	}
	slices.SortStableFunc(list, func(a, b ReplyTemplate) int { return rank(a.Category) - rank(b.Category) })
}

// SaveLibraryTemplate writes a new template or edits one of HQ's (HQ
// only). Every edit bumps the version and sends the template back to
// draft; stations keep the text last published until it is published
// again. A retired template cannot be edited.
func (s *Session) SaveLibraryTemplate(f TemplateForm) (ReplyTemplate, error) {
	if err := s.requireHQStaff(); err != nil {
		return ReplyTemplate{}, err
	}
	if err := f.validate(); err != nil {
		return ReplyTemplate{}, err
	}
	now := s.now()
	var saved ReplyTemplate
	err := s.store.Write(func(tx *data.Tx) error {
		t := ReplyTemplate{ID: uuid.Must(uuid.NewV7()).String(), OwnerUnit: s.unit.ID, Source: TemplateHQ, CreatedAt: now}
		action := "template.add"
		if f.ID != "" {
			old, err := data.TemplateByID(tx, f.ID)
			if err != nil {
				return err
			}
			if old.OwnerUnit != s.unit.ID || old.Status == data.TemplateRetired {
				return ErrTemplateStatus
			}
			if old.Category == f.Category && old.Title == f.Title && old.Body == f.Body {
				saved = old
				return nil // nothing changed
			}
			t, action = old, "template.edit"
		}
		t.Category, t.Title, t.Body, t.Status, t.UpdatedAt = f.Category, f.Title, f.Body, data.TemplateDraft, now
		t.Version++
		if err := data.SaveTemplate(tx, t); err != nil {
			return err
		}
		saved = t
		return data.AppendAudit(tx, now, s.User().Name, action, t.ID, fmt.Sprintf("%s · %s v%d", t.Category, t.Title, t.Version))
	})
	return saved, err
}

// templateStep moves one of HQ's templates, read at version, from one of
// the statuses from to status to, bumping its version.
func (s *Session) templateStep(id string, version int64, from []string, to, action string) (ReplyTemplate, error) {
	if err := s.requireHQStaff(); err != nil {
		return ReplyTemplate{}, err
	}
	now := s.now()
	var saved ReplyTemplate
	err := s.store.Write(func(tx *data.Tx) error {
		t, err := data.TemplateByID(tx, id)
		if err != nil {
			return err
		}
		if t.OwnerUnit != s.unit.ID || !slices.Contains(from, t.Status) {
			return ErrTemplateStatus
		}
		if t.Version != version {
			return ErrTemplateChanged
		}
		t.Status, t.UpdatedAt = to, now
		t.Version++
		if err := data.SaveTemplate(tx, t); err != nil {
			return err
		}
		saved = t
		return data.AppendAudit(tx, now, s.User().Name, action, t.ID, fmt.Sprintf("%s · %s v%d", t.Category, t.Title, t.Version))
	})
	return saved, err
}

// The statuses each step of HQ's library starts from.
var (
	templateSubmitFrom  = []string{TemplateDraft}
	templateApproveFrom = []string{TemplateDraft, TemplateReview}
	templatePublishFrom = []string{TemplateApproved}
	templateRetireFrom  = []string{TemplateDraft, TemplateReview, TemplateApproved, TemplatePublished}
)

// SubmitTemplate sends a draft for the section chief's review (送审).
// version is the one the user read.
func (s *Session) SubmitTemplate(id string, version int64) (ReplyTemplate, error) {
	return s.templateStep(id, version, templateSubmitFrom, TemplateReview, "template.submit")
}

// mayApproveTemplates reports whether the user is the section chief (HQ
// admin), who approves templates.
func (s *Session) mayApproveTemplates() bool { return s.User().Role == HQAdmin }

// ApproveTemplate is the section chief's approval (HQ admin only) of the
// text at version, sent for review or still a draft.
func (s *Session) ApproveTemplate(id string, version int64) (ReplyTemplate, error) {
	if !s.mayApproveTemplates() {
		return ReplyTemplate{}, ErrNotAllowed
	}
	return s.templateStep(id, version, templateApproveFrom, TemplateApproved, "template.approve")
}

// PublishTemplate publishes an approved template to every station (it
// goes out with the next bundles).
func (s *Session) PublishTemplate(id string, version int64) (ReplyTemplate, error) {
	return s.templateStep(id, version, templatePublishFrom, TemplatePublished, "template.publish")
}

// RetireTemplate withdraws a template: the stations hide it from the
// picker once the next bundle arrives.
func (s *Session) RetireTemplate(id string, version int64) (ReplyTemplate, error) {
	return s.templateStep(id, version, templateRetireFrom, TemplateRetired, "template.retire")
}

// TemplateActions are what the library's editor offers on a template.
type TemplateActions struct {
	Save    bool // 保存: a new template, or an edit (which sends it back to draft)
	Submit  bool // 送审
	Approve bool // 审核通过 (the section chief only)
	Publish bool // 发布
	Retire  bool // 停用
}

// TemplateActionsFor is what the signed-in user may do with template t of
// HQ's library (a new one when t.ID is empty), by the rules the steps
// enforce; nothing outside HQ.
func (s *Session) TemplateActionsFor(t ReplyTemplate) TemplateActions {
	if s.unit.Kind != HQ {
		return TemplateActions{}
	}
	saved := t.ID != ""
	step := func(from []string) bool { return saved && slices.Contains(from, t.Status) }
	return TemplateActions{
		Save:    t.Status != TemplateRetired,
		Submit:  step(templateSubmitFrom),
		Approve: s.mayApproveTemplates() && step(templateApproveFrom),
		Publish: step(templatePublishFrom),
		Retire:  step(templateRetireFrom),
	}
}
