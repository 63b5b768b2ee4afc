package app

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"mediadesk/data"
)

// The training log (Art. 27): each session with its date, length, form,
// topics, trainer, place, attendees from the roster, materials (sealed
// attachments) and summary, and the hours each officer has had in a
// period.
//
// Who writes: any user of a station logs a training (an officer who ran
// or attended one knows it best); the one who logged it may correct it,
// and so may shift leaders and station admins, whoever logged it.

// TrainingChoice is a form or a topic of training: its stored code and
// its names.
type TrainingChoice struct {
	Code   string
	Name   string // Chinese, shown first
	NameEN string
}

// TrainingFormOther is the code of the form 其他, which needs its own
// words (TrainingForm.FormOther).
const TrainingFormOther = "other"

// TrainingForms are the forms of training Art. 27 names, then 其他.
var TrainingForms = []TrainingChoice{
	{Code: "observation", Name: "现场观摩", NameEN: "On-site observation"},
	{Code: "exchange", Name: "经验交流", NameEN: "Experience exchange"},
	{Code: "lecture", Name: "专家授课", NameEN: "Expert lecture"},
	{Code: "case", Name: "案例教学", NameEN: "Case teaching"},
	{Code: TrainingFormOther, Name: "其他", NameEN: "Other"},
}

// TrainingTopics are the topics Art. 27 names; a training covers one or
// more.
var TrainingTopics = []TrainingChoice{
	{Code: "political", Name: "政治素质", NameEN: "Political quality"},
	{Code: "business", Name: "业务知识", NameEN: "Business knowledge"},
	{Code: "secrecy", Name: "保密观念", NameEN: "Confidentiality"},
	{Code: "communication", Name: "沟通技巧", NameEN: "Communication skills"},
	{Code: "writing", Name: "文字能力", NameEN: "Writing"},
	{Code: "network", Name: "网络运用", NameEN: "Network use"},
}

func choiceByCode(list []TrainingChoice, code string) (TrainingChoice, bool) {
	i := slices.IndexFunc(list, func(c TrainingChoice) bool { return c.Code == code })
	if i < 0 {
		return TrainingChoice{}, false
	}
	return list[i], true
}

// TrainingFormName is a training's form in Chinese: the form's name, or
// for 其他 the words given.
func TrainingFormName(t Training) string {
	if t.Form == TrainingFormOther && t.FormOther != "" {
		return "其他（" + t.FormOther + "）"
	}
	if c, ok := choiceByCode(TrainingForms, t.Form); ok {
		return c.Name
	}
	return t.Form
}

// TopicCodes splits a training's stored topics into their codes.
func TopicCodes(topics string) []string {
	if topics == "" {
		return nil
	}
	return strings.Split(topics, ",")
}

// TrainingTopicNames is a training's topics in Chinese, joined with 、.
func TrainingTopicNames(t Training) string {
	var names []string
	for _, code := range TopicCodes(t.Topics) {
		if c, ok := choiceByCode(TrainingTopics, code); ok {
			names = append(names, c.Name)
		} else {
			names = append(names, code)
		}
	}
	return strings.Join(names, "、")
}

// Limits of the training form.
const (
	MaxTrainingMinutes = 24 * 60   // one session lasts at most a day
	MaxTrainingSummary = 2000      // characters
	MaxMaterialBytes   = 200 << 20 // one material file (a recorded lecture fits)
	MaxMaterials       = 20        // files per training
)

// EarliestTraining is the earliest day a training can be logged for:
// police new media began with Weibo in 2009, so an earlier date is a typo.
var EarliestTraining = time.Date(2010, 1, 1, 0, 0, 0, 0, time.Local)

// hoursPattern is a number of hours as typed: digits with a decimal
// point or not ("2", "1.5", ".5", "2."), a sign allowed so that a negative
// number gets its own message.
var hoursPattern = regexp.MustCompile(`^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)$`)

// ParseHours reads the hours typed in the form ("1.5", "２", full-width
// digits too) as whole minutes. Anything that is not a number, not more
// than 0, more than 24 hours, or has more than two decimals is refused at
// the field "hours".
func ParseHours(text string) (int64, error) {
	text = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + r - '０'
		case r == '．' || r == '。':
			return '.'
		case r == '－':
			return '-'
		}
		return r
	}, strings.TrimSpace(text))
	if text == "" {
		return 0, &FieldError{Field: "hours", Msg: "请填写学时，如 1.5 / enter the hours, e.g. 1.5"}
	}
	if !hoursPattern.MatchString(text) {
		return 0, &FieldError{Field: "hours", Msg: "学时应为数字，如 1.5 / the hours must be a number, e.g. 1.5"}
	}
	if _, frac, ok := strings.Cut(text, "."); ok && len(frac) > 2 {
		return 0, &FieldError{Field: "hours", Msg: "学时最多保留两位小数 / the hours have at most two decimals"}
	}
	h, err := strconv.ParseFloat(text, 64)
	if err == nil && h <= 0 {
		return 0, &FieldError{Field: "hours", Msg: "学时必须大于 0 / the hours must be more than 0"}
	}
	if err != nil || h > MaxTrainingMinutes/60 {
		return 0, &FieldError{Field: "hours", Msg: "一次培训不能超过 24 学时 / one training lasts at most 24 hours"}
	}
	minutes := int64(math.Round(h * 60))
	return minutes, nil
}

// FormatHours shows minutes as hours with at most two decimals: 90 is
// "1.5", 80 is "1.33", 120 is "2".
func FormatHours(minutes int64) string {
	s := strconv.FormatFloat(float64(minutes)/60, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Training is a session of the training log as screens see it.
type Training = data.Training

// TrainingSummary is a training in the list, with its number of
// attendees.
type TrainingSummary = data.TrainingSummary

// Material describes a training material (a sealed attachment).
type Material = data.Attachment

// TrainingDetail is a training with its attendees and materials.
type TrainingDetail struct {
	Training
	Attendees []RosterEntry
	Materials []Material
}

// TrainingForm is what the training form collects.
type TrainingForm struct {
	ID        string    // empty for a new training
	HeldOn    time.Time // the day; zero when not given
	Hours     string    // as typed, e.g. "1.5"
	Form      string    // a TrainingForms code
	FormOther string    // the form in words, for TrainingFormOther
	Topics    []string  // TrainingTopics codes, at least one
	Trainer   string
	Place     string
	Summary   string
	Attendees []string // roster entry IDs, at least one
	Materials []string // attachment IDs from AttachMaterial, in order
}

// trainingInput is a training form read and checked, ready to save.
type trainingInput struct {
	t         data.Training
	attendees []string
	materials []string
}

// checkTrainingForm validates the fields that need no store, in the form's order, and
// returns the training they describe.
func (s *Session) checkTrainingForm(f TrainingForm) (trainingInput, error) {
	var c trainingInput
	if f.HeldOn.IsZero() {
		return c, &FieldError{Field: "held_on", Msg: "请填写培训日期 / enter the day of the training"}
	}
	day := f.HeldOn.Format(time.DateOnly)
	if day > s.cfg.now().Format(time.DateOnly) {
		return c, &FieldError{Field: "held_on", Msg: "培训日期不能晚于今天 / the training cannot be after today"}
	}
	if day < EarliestTraining.Format(time.DateOnly) {
		return c, &FieldError{Field: "held_on", Msg: "培训日期不能早于 2010 年，请检查年份 / the training cannot be before 2010: check the year"}
	}
	minutes, err := ParseHours(f.Hours)
	if err != nil {
		return c, err
	}
	if _, ok := choiceByCode(TrainingForms, f.Form); !ok {
		return c, &FieldError{Field: "form", Msg: "请选择培训形式 / choose the form of training"}
	}
	other := ""
	if f.Form == TrainingFormOther {
		if err := validName("form_other", f.FormOther, 20); err != nil {
			return c, &FieldError{Field: "form_other", Msg: "选择“其他”时请写明培训形式（不超过 20 个字）/ for 其他 (other), name the form (at most 20 characters)"}
		}
		other = strings.TrimSpace(f.FormOther)
	}
	var topics []string
	for _, t := range TrainingTopics { // stored in the list's order, once each
		if slices.Contains(f.Topics, t.Code) {
			topics = append(topics, t.Code)
		}
	}
	for _, code := range f.Topics {
		if _, ok := choiceByCode(TrainingTopics, code); !ok {
			return c, &FieldError{Field: "topics", Msg: "培训主题无效，请重新选择 / unknown topic: choose again"}
		}
	}
	if len(topics) == 0 {
		return c, &FieldError{Field: "topics", Msg: "请至少选择一项培训主题 / choose at least one topic"}
	}
	if err := validName("trainer", f.Trainer, 40); err != nil {
		return c, err
	}
	if err := validName("place", f.Place, 60); err != nil {
		return c, err
	}
	summary := strings.TrimSpace(f.Summary)
	if utf8.RuneCountInString(summary) > MaxTrainingSummary {
		return c, &FieldError{Field: "summary", Msg: fmt.Sprintf("内容摘要不能超过 %d 个字 / the summary has at most %d characters", MaxTrainingSummary, MaxTrainingSummary)}
	}
	if strings.ContainsRune(summary, 0) {
		return c, &FieldError{Field: "summary", Msg: "不能包含控制字符 / no control characters"}
	}
	for _, id := range f.Attendees {
		if !slices.Contains(c.attendees, id) {
			c.attendees = append(c.attendees, id)
		}
	}
	if len(c.attendees) == 0 {
		return c, &FieldError{Field: "attendees", Msg: "请至少选择一名参训民警 / choose at least one attendee"}
	}
	for _, id := range f.Materials {
		if !slices.Contains(c.materials, id) {
			c.materials = append(c.materials, id)
		}
	}
	if len(c.materials) > MaxMaterials {
		return c, &FieldError{Field: "materials", Msg: fmt.Sprintf("每次培训最多 %d 份材料 / at most %d materials per training", MaxMaterials, MaxMaterials)}
	}
	c.t = data.Training{HeldOn: day, Minutes: minutes, Form: f.Form, FormOther: other, Topics: strings.Join(topics, ","),
		Trainer: strings.TrimSpace(f.Trainer), Place: strings.TrimSpace(f.Place), Summary: summary}
	return c, nil
}

// checkAttendees refuses an attendee who is not on this unit's roster, or
// who is no longer active unless they already attended this training (an
// old entry stays correctable after an officer leaves).
func (s *Session) checkAttendees(q data.Querier, ids, before []string) error {
	for _, id := range ids {
		o, err := data.OfficerByID(q, id)
		if errors.Is(err, data.ErrNotFound) || (err == nil && o.OwnerUnit != s.unit.ID) {
			return &FieldError{Field: "attendees", Msg: "参训民警须从本单位民警名册中选择 / attendees must be chosen from this unit's roster"}
		}
		if err != nil {
			return err
		}
		if !o.Active && !slices.Contains(before, id) {
			return &FieldError{Field: "attendees", Msg: fmt.Sprintf("%s 已不在岗，不能新增为参训民警 / %s is no longer active and cannot be added", o.Name, o.Name)}
		}
	}
	return nil
}

// MayEditTraining reports whether the signed-in user may change t: the
// one who logged it, or a shift leader or station admin of its unit.
func (s *Session) MayEditTraining(t Training) bool {
	if s.unit.Kind != Station || t.OwnerUnit != s.unit.ID {
		return false
	}
	me := s.User()
	return t.CreatedBy == me.ID || me.Role == ShiftLeader || me.Role == StationAdmin
}

// SaveTraining logs a new training or corrects one. Everything is checked
// before anything is written; a bad field is a FieldError at that field
// and nothing is saved.
func (s *Session) SaveTraining(f TrainingForm) (Training, error) {
	if err := s.requireStation(); err != nil {
		return Training{}, err
	}
	c, err := s.checkTrainingForm(f)
	if err != nil {
		return Training{}, err
	}
	now := s.now()
	me := s.User()
	var saved Training
	err = s.store.Write(func(tx *data.Tx) error {
		t := data.Training{ID: f.ID, OwnerUnit: s.unit.ID, CreatedBy: me.ID, CreatedAt: now, Version: 1}
		var before []string
		action := "training.add"
		if f.ID == "" {
			t.ID = uuid.Must(uuid.NewV7()).String()
		} else {
			old, err := data.TrainingByID(tx, f.ID)
			if err != nil {
				return err
			}
			if !s.MayEditTraining(old) {
				return ErrNotAllowed
			}
			attendees, err := data.TrainingAttendees(tx, f.ID)
			if err != nil {
				return err
			}
			for _, o := range attendees {
				before = append(before, o.ID)
			}
			t = old
			t.Version++
			action = "training.edit"
		}
		if err := s.checkAttendees(tx, c.attendees, before); err != nil {
			return err
		}
		for _, id := range c.materials {
			ok, err := data.AttachmentExists(tx, id)
			if err != nil {
				return err
			}
			if !ok {
				return &FieldError{Field: "materials", Msg: "培训材料已不存在，请移除后重新添加 / a material is missing: remove it and add it again"}
			}
		}
		t.HeldOn, t.Minutes, t.Form, t.FormOther, t.Topics = c.t.HeldOn, c.t.Minutes, c.t.Form, c.t.FormOther, c.t.Topics
		t.Trainer, t.Place, t.Summary, t.UpdatedAt = c.t.Trainer, c.t.Place, c.t.Summary, now
		if err := data.SaveTraining(tx, t); err != nil {
			return err
		}
		if err := data.SetTrainingAttendees(tx, t.ID, c.attendees); err != nil {
			return err
		}
		if err := data.SetTrainingMaterials(tx, t.ID, c.materials); err != nil {
			return err
		}
		saved = t
		return data.AppendAudit(tx, now, me.Name, action, t.ID, fmt.Sprintf("%s %s %s学时 %d人 %d份材料",
			t.HeldOn, TrainingFormName(t), FormatHours(t.Minutes), len(c.attendees), len(c.materials)))
	})
	if err != nil {
		return Training{}, err
	}
	return saved, nil
}

// TrainingQuery selects trainings held From to To (days, both included;
// zero: open), newest first; Limit 0 reads them all.
type TrainingQuery struct {
	From, To      time.Time
	Limit, Offset int
}

// trainingPeriod checks a From–To pair and returns it as days; required makes
// both days necessary (a report needs a whole period).
func trainingPeriod(from, to time.Time, required bool) (string, string, error) {
	if required && from.IsZero() {
		return "", "", &FieldError{Field: "from", Msg: "请填写开始日期 / enter the first day"}
	}
	if required && to.IsZero() {
		return "", "", &FieldError{Field: "to", Msg: "请填写结束日期 / enter the last day"}
	}
	var f, t string
	if !from.IsZero() {
		f = from.Format(time.DateOnly)
	}
	if !to.IsZero() {
		t = to.Format(time.DateOnly)
	}
	if f != "" && t != "" && t < f {
		return "", "", &FieldError{Field: "to", Msg: "结束日期不能早于开始日期 / the last day cannot be before the first"}
	}
	return f, t, nil
}

// Trainings lists this unit's trainings of a period, newest first.
func (s *Session) Trainings(q TrainingQuery) ([]TrainingSummary, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	from, to, err := trainingPeriod(q.From, q.To, false)
	if err != nil {
		return nil, err
	}
	return data.ListTrainings(s.store.Reader(), data.TrainingFilter{Unit: s.unit.ID, From: from, To: to, Limit: q.Limit, Offset: q.Offset})
}

// Training reads one training with its attendees and materials.
func (s *Session) Training(id string) (TrainingDetail, error) {
	if err := s.checkActive(); err != nil {
		return TrainingDetail{}, err
	}
	q := s.store.Reader()
	t, err := data.TrainingByID(q, id)
	if err != nil {
		return TrainingDetail{}, err
	}
	d := TrainingDetail{Training: t}
	if d.Attendees, err = data.TrainingAttendees(q, id); err != nil {
		return TrainingDetail{}, err
	}
	if d.Materials, err = data.TrainingMaterials(q, id); err != nil {
		return TrainingDetail{}, err
	}
	return d, nil
}

// materialType is a kind of file a training material may be: the type
// it is stored with, and whether the file's first bytes are of that kind.
type materialType struct {
	mime    string
	matches func(head []byte) bool
}

// materialSniffed matches content that http.DetectContentType takes for want.
func materialSniffed(want string) func([]byte) bool {
	return func(head []byte) bool { return strings.HasPrefix(http.DetectContentType(head), want) }
}

// materialMagic matches content that begins with sig.
func materialMagic(sig string) func([]byte) bool {
	return func(head []byte) bool { return bytes.HasPrefix(head, []byte(sig)) }
}

const (
	oleSignature = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" // Word, Excel, PowerPoint 97–2003 and WPS
	zipSignature = "PK\x03\x04"                       // Office Open XML
)

// materialTypes are the files a training material may be, by extension:
// documents, slides, sheets, pictures, plain text and recorded video. The
// content must be of the kind its extension says.
var materialTypes = map[string]materialType{
	".pdf":  {"application/pdf", materialMagic("%PDF-")},
	".doc":  {"application/msword", materialMagic(oleSignature)},
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", materialMagic(zipSignature)},
	".wps":  {"application/vnd.ms-works", materialMagic(oleSignature)},
	".xls":  {"application/vnd.ms-excel", materialMagic(oleSignature)},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", materialMagic(zipSignature)},
	".ppt":  {"application/vnd.ms-powerpoint", materialMagic(oleSignature)},
	".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", materialMagic(zipSignature)},
	".txt":  {"text/plain; charset=utf-8", materialSniffed("text/plain")},
	".png":  {"image/png", materialSniffed("image/png")},
	".jpg":  {"image/jpeg", materialSniffed("image/jpeg")},
	".jpeg": {"image/jpeg", materialSniffed("image/jpeg")},
	".gif":  {"image/gif", materialSniffed("image/gif")},
	".mp4":  {"video/mp4", materialSniffed("video/mp4")},
}

// MaterialExtensions lists the file extensions AttachMaterial takes, for
// file dialogs.
func MaterialExtensions() []string {
	var out []string
	for ext := range materialTypes {
		out = append(out, ext)
	}
	slices.Sort(out)
	return out
}

// AttachMaterial seals a training material into the store, streaming, and
// describes it; its ID goes into TrainingForm.Materials. It refuses a file
// whose type is not one of MaterialExtensions, whose content is not what
// its extension says, or that is larger than MaxMaterialBytes.
func (s *Session) AttachMaterial(r io.Reader, name string) (Material, error) {
	return s.attachMaterial(r, name, MaxMaterialBytes)
}

// attachMaterial is AttachMaterial with a limit of limit bytes.
func (s *Session) attachMaterial(r io.Reader, name string, limit int64) (Material, error) {
	if err := s.requireStation(); err != nil {
		return Material{}, err
	}
	base := filepath.Base(name)
	kind, ok := materialTypes[strings.ToLower(filepath.Ext(base))]
	if !ok {
		return Material{}, &FieldError{Field: "materials", Msg: fmt.Sprintf("%s 的类型不能作为培训材料，请使用 PDF、Word、WPS、Excel、PowerPoint、图片、文本或 MP4 文件 / %s cannot be a material: use PDF, Word, WPS, Excel, PowerPoint, image, text or MP4 files", base, base)}
	}
	br := bufio.NewReaderSize(r, 512)
	head, _ := br.Peek(512)
	if len(head) == 0 {
		return Material{}, &FieldError{Field: "materials", Msg: fmt.Sprintf("%s 是空文件 / %s is empty", base, base)}
	}
	if !kind.matches(head) {
		return Material{}, &FieldError{Field: "materials", Msg: fmt.Sprintf("%s 的内容与扩展名不符，请确认文件完好 / %s does not hold what its extension says: check the file", base, base)}
	}
	limited := &limitReader{r: br, left: limit}
	a, err := s.store.PutAttachment(limited, base, kind.mime, s.now())
	if limited.over {
		return Material{}, &FieldError{Field: "materials", Msg: fmt.Sprintf("一份材料不能超过 %d MB / a material may have at most %d MB", MaxMaterialBytes>>20, MaxMaterialBytes>>20)}
	}
	if err != nil {
		return Material{}, err
	}
	return a, nil
}

// ErrNotMaterial: the attachment asked for is not a material of that
// training.
var ErrNotMaterial = errors.New("该文件不是这次培训的材料，请刷新后再试 / this file is not a material of that training: refresh and retry")

// OpenMaterial streams a material of a training (to save a copy or show
// it). The caller closes it.
func (s *Session) OpenMaterial(trainingID, attachmentID string) (io.ReadCloser, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	materials, err := data.TrainingMaterials(s.store.Reader(), trainingID)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(materials, func(m Material) bool { return m.ID == attachmentID }) {
		return nil, ErrNotMaterial
	}
	return s.store.OpenAttachment(attachmentID)
}

// OfficerHours is one officer's training in a report period.
type OfficerHours = data.OfficerHours

// HoursReport is the training hours per officer of the unit in a period
// (both days included), with the trainings held in it.
type HoursReport struct {
	Unit      string // the unit's name
	From, To  string // YYYY-MM-DD
	Rows      []OfficerHours
	Trainings []TrainingSummary // held in the period, newest first
	Minutes   int64             // the rows' minutes, summed
	Sessions  int               // the rows' sessions, summed (person-times, 人次)
}

// HoursReport sums each officer's training from from to to. Every active
// officer on the roster has a row, with 0 when untrained; an officer no
// longer active only when they trained in the period.
func (s *Session) HoursReport(from, to time.Time) (HoursReport, error) {
	if err := s.checkActive(); err != nil {
		return HoursReport{}, err
	}
	f, t, err := trainingPeriod(from, to, true)
	if err != nil {
		return HoursReport{}, err
	}
	q := s.store.Reader()
	r := HoursReport{Unit: s.unit.Name, From: f, To: t}
	if r.Rows, err = data.TrainingHours(q, s.unit.ID, f, t); err != nil {
		return HoursReport{}, err
	}
	if r.Trainings, err = data.ListTrainings(q, data.TrainingFilter{Unit: s.unit.ID, From: f, To: t}); err != nil {
		return HoursReport{}, err
	}
	for _, row := range r.Rows {
		r.Minutes += row.Minutes
		r.Sessions += row.Sessions
	}
	return r, nil
}
