package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"mediadesk/data"
)

// The assessment (绩效考核, Art. 28). HQ scores every registered station
// per period — a month "2026-11", a quarter "2026-Q4" or a year "2026" —
// on the indicators below, with the weights and scoring rules of its
// scheme in force, ranks them, and publishes the results: each unit's row
// travels to that unit in HQ's next bundle.
//
// What each indicator counts (the SQL is in data/assessment.go), for a
// unit and a period, in the desk's local time:
//
//   - 原创稿件 original_posts: its posts published in the period, except
//     those taken down since (已撤下, takedown.go): a post deleted from its
//     platform after a rectification notice or for an error earns no
//     credit, here nor in the indicators below that sum or rate the
//     period's posts (reposts, comments, posting frequency, influence,
//     content quality). Zombie days still see it: the account was active.
//   - 转发 reposts, 评论 comments: the sums over those posts of their
//     latest recorded numbers. A post's numbers for a day are the totals
//     the platform showed that day, so its newest row is its total; a post
//     counts in the period it was published in, with everything recorded
//     for it up to the computation.
//   - 粉丝总数 followers: the followers of its live accounts (已备案 or
//     已认证) by each account's newest snapshot on or before the period's
//     last day; 粉丝增长 follower_growth: that minus the same sum at the
//     period's start (each account's newest snapshot before its first day,
//     or for an account with none, its first snapshot in the period).
//   - 发文频次 posting_frequency: the posts published in the period per week
//     (posts × 7 ÷ the days of the period judged so far: up to today for
//     a period still running).
//   - 僵尸天数 zombie_days: summed over its live accounts, the days of the
//     period (up to today) on which the account had gone the zombie
//     threshold of days (ActivityRule, 14 by default) or more without a
//     published post, counting from its filing day when it had none.
//     An account that posted on day p is a zombie from day p + 14 to the
//     day of its next post, excluded.
//   - 影响力 influence: reads + likes of the period's posts, as above.
//   - 内容质量 content_quality: the mean of HQ's ratings (1–5) of the
//     period's posts that HQ rated; 0 when none is rated.
//   - 网络舆论引导 opinion_guidance and 协作联动 collaboration (协作联动、
//     服务警务实战): the mean of HQ's monthly ratings (1–5, RateUnit) of
//     the unit in the period's months; 0 when none. The default scheme
//     leaves them out: HQ gives them a weight in its scheme when it rates.
//   - 回复网民 replies: netizen messages received in the period and closed
//     (办结 or 非本机关职权); 按时办结率 on_time_share: of the messages
//     received in the period that are closed or past their last day, the
//     percentage closed on or before it (100 when none is due yet).
//   - 网上互动 interactions: its online interaction activities (campaigns
//     of kind interaction) overlapping the period.
//   - 人均培训学时 training_hours: the hours of every attendance at its
//     trainings held in the period by its active officers, divided by
//     those officers (an officer no longer active counts in neither).
//   - 忽略检查警告 overrides: checker warnings overridden on its posts in the
//     period; 整改通知 notices: rectification notices issued to it in the
//     period; 整改逾期 late_notices: notices due in the period that the
//     station answered late — its first answer since the notice was issued
//     or last reopened came on a day after the deadline — or, not answered
//     since, whose deadline has passed. When HQ closes the notice does not
//     count (the answer waits for a bundle, then for HQ); a reopened
//     notice is judged against its deadline after reopening.
//
// The rules (a scheme gives one per indicator, with a weight; the weights
// add up to 100):
//
//   - relative: points = weight × value ÷ the best unit's value (0 when
//     the best is 0; negative values count as 0);
//   - target: points = weight × value ÷ target, full points at or above
//     the target;
//   - deduct (penalty indicators): points = weight − per × value, at most
//     cap taken off (a cap above the weight makes points negative).
//
// Points are rounded to hundredths and the total is their sum, so the
// circular's columns add up; units with equal totals share a rank (1, 1,
// 3).

// Indicator names a scored quantity.
type Indicator string

// The indicators, in the order tables show them.
const (
	IndOriginalPosts    Indicator = "original_posts"
	IndReposts          Indicator = "reposts"
	IndComments         Indicator = "comments"
	IndFollowers        Indicator = "followers"
	IndFollowerGrowth   Indicator = "follower_growth"
	IndPostingFrequency Indicator = "posting_frequency"
	IndZombieDays       Indicator = "zombie_days"
	IndInfluence        Indicator = "influence"
	IndContentQuality   Indicator = "content_quality"
	IndReplies          Indicator = "replies"
	IndOnTimeShare      Indicator = "on_time_share"
	IndInteractions     Indicator = "interactions"
	IndOpinionGuidance  Indicator = "opinion_guidance"
	IndCollaboration    Indicator = "collaboration"
	IndTrainingHours    Indicator = "training_hours"
	IndOverrides        Indicator = "overrides"
	IndNotices          Indicator = "notices"
	IndLateNotices      Indicator = "late_notices"
)

// Indicators lists every indicator in table order.
var Indicators = []Indicator{IndOriginalPosts, IndReposts, IndComments, IndFollowers, IndFollowerGrowth,
	IndPostingFrequency, IndZombieDays, IndInfluence, IndContentQuality, IndReplies, IndOnTimeShare,
	IndInteractions, IndOpinionGuidance, IndCollaboration, IndTrainingHours, IndOverrides, IndNotices, IndLateNotices}

// RatedIndicators are the indicators HQ rates each unit on, month by
// month (RateUnit): Art. 28 names them, and no record counts them.
var RatedIndicators = []Indicator{IndOpinionGuidance, IndCollaboration}

var indicatorNames = map[Indicator]string{
	IndOriginalPosts: "原创稿件", IndReposts: "转发量", IndComments: "评论量", IndFollowers: "粉丝总数",
	IndFollowerGrowth: "粉丝增长", IndPostingFrequency: "发文频次", IndZombieDays: "僵尸天数", IndInfluence: "影响力",
	IndContentQuality: "内容质量", IndReplies: "回复网民", IndOnTimeShare: "按时办结率", IndInteractions: "网上互动",
	IndTrainingHours: "人均培训学时", IndOverrides: "忽略检查警告", IndNotices: "整改通知", IndLateNotices: "整改逾期",
	IndOpinionGuidance: "网络舆论引导", IndCollaboration: "协作联动",
}

// Name is the indicator's Chinese name, as the circular and messages cite it.
func (i Indicator) Name() string {
	if n, ok := indicatorNames[i]; ok {
		return n
	}
	return string(i)
}

// Valid reports whether i is a known indicator.
func (i Indicator) Valid() bool { return slices.Contains(Indicators, i) }

// Penalty reports whether more of i is worse: such an indicator is
// scored by deduction only.
func (i Indicator) Penalty() bool {
	return i == IndZombieDays || i == IndOverrides || i == IndNotices || i == IndLateNotices
}

// Rule is how an indicator's value becomes points.
type Rule string

// The scoring rules.
const (
	RuleRelative Rule = "relative" // weight × value ÷ the best unit's value
	RuleTarget   Rule = "target"   // weight × value ÷ target, at most weight
	RuleDeduct   Rule = "deduct"   // weight − per × value, at most cap off
)

// Rules lists the scoring rules.
var Rules = []Rule{RuleRelative, RuleTarget, RuleDeduct}

// IndicatorRule is one indicator's weight and scoring rule in a scheme.
type IndicatorRule struct {
	Indicator Indicator `json:"indicator"`
	Weight    float64   `json:"weight"`
	Rule      Rule      `json:"rule"`
	Target    float64   `json:"target,omitempty"` // RuleTarget: full points at or above it
	Per       float64   `json:"per,omitempty"`    // RuleDeduct: points off per unit of the value
	Cap       float64   `json:"cap,omitempty"`    // RuleDeduct: the most points taken off
}

// SchemeDefinition is a scheme's content: the scored indicators, each
// at most once. It is stored as JSON in assessment_schemes.definition.
type SchemeDefinition struct {
	Indicators []IndicatorRule `json:"indicators"`
}

// DefaultScheme is the scheme HQ starts with: every indicator but the
// ones HQ rates by hand (RatedIndicators), weights adding up to 100.
func DefaultScheme() SchemeDefinition {
	rel := func(i Indicator, w float64) IndicatorRule {
		return IndicatorRule{Indicator: i, Weight: w, Rule: RuleRelative}
	}
	target := func(i Indicator, w, t float64) IndicatorRule {
		return IndicatorRule{Indicator: i, Weight: w, Rule: RuleTarget, Target: t}
	}
	deduct := func(i Indicator, w, per, cap float64) IndicatorRule {
		return IndicatorRule{Indicator: i, Weight: w, Rule: RuleDeduct, Per: per, Cap: cap}
	}
	return SchemeDefinition{Indicators: []IndicatorRule{
		rel(IndOriginalPosts, 12), rel(IndReposts, 8), rel(IndComments, 6), rel(IndFollowers, 8), rel(IndFollowerGrowth, 6),
		target(IndPostingFrequency, 6, 5), deduct(IndZombieDays, 4, 0.2, 4), rel(IndInfluence, 10),
		target(IndContentQuality, 10, 5), rel(IndReplies, 6), target(IndOnTimeShare, 8, 100), rel(IndInteractions, 4),
		rel(IndTrainingHours, 6), deduct(IndOverrides, 2, 0.5, 2), deduct(IndNotices, 2, 1, 2), deduct(IndLateNotices, 2, 1, 2),
	}}
}

// maxWeight bounds a single weight and a cap.
const maxWeight = 100

// Validate checks a definition: known indicators, each once; known
// rules that fit the indicator; weights from 0 to 100 adding up to 100;
// a target above 0; a deduction per unit and a cap above 0. Errors are
// FieldErrors on "<what>.<indicator>" (weight, rule, target, per, cap),
// "indicators" or "weights".
func (d SchemeDefinition) Validate() error {
	if len(d.Indicators) == 0 {
		return &FieldError{Field: "indicators", Msg: "考核方案至少要有一项指标 / a scheme needs at least one indicator"}
	}
	seen := map[Indicator]bool{}
	sum := 0.0
	for _, r := range d.Indicators {
		k := string(r.Indicator)
		if !r.Indicator.Valid() {
			return &FieldError{Field: "indicators", Msg: fmt.Sprintf("未知的考核指标“%s” / unknown indicator %q", k, k)}
		}
		if seen[r.Indicator] {
			return &FieldError{Field: "indicators", Msg: fmt.Sprintf("指标“%s”重复 / indicator %q appears twice", r.Indicator.Name(), k)}
		}
		seen[r.Indicator] = true
		if !finite(r.Weight) || r.Weight < 0 || r.Weight > maxWeight {
			return &FieldError{Field: "weight." + k, Msg: "权重应在 0 到 100 之间 / a weight must be 0 to 100"}
		}
		sum += r.Weight
		switch {
		case !slices.Contains(Rules, r.Rule):
			return &FieldError{Field: "rule." + k, Msg: "请选择计分规则 / choose a scoring rule"}
		case r.Indicator.Penalty() && r.Rule != RuleDeduct:
			return &FieldError{Field: "rule." + k, Msg: fmt.Sprintf("“%s”越多越差，只能按扣分计分 / more %s is worse: it can only be scored by deduction", r.Indicator.Name(), k)}
		case !r.Indicator.Penalty() && r.Rule == RuleDeduct:
			return &FieldError{Field: "rule." + k, Msg: fmt.Sprintf("“%s”越多越好，不能按扣分计分 / more %s is better: it cannot be scored by deduction", r.Indicator.Name(), k)}
		}
		switch r.Rule {
		case RuleTarget:
			if !finite(r.Target) || r.Target <= 0 {
				return &FieldError{Field: "target." + k, Msg: "目标值应大于 0 / the target must be above 0"}
			}
		case RuleDeduct:
			if !finite(r.Per) || r.Per <= 0 {
				return &FieldError{Field: "per." + k, Msg: "每次扣分应大于 0 / the points off per count must be above 0"}
			}
			if !finite(r.Cap) || r.Cap <= 0 || r.Cap > maxWeight {
				return &FieldError{Field: "cap." + k, Msg: "扣分上限应在 0 到 100 之间且大于 0 / the cap must be above 0 and at most 100"}
			}
		}
	}
	if math.Abs(sum-100) > 1e-6 {
		return &FieldError{Field: "weights", Msg: fmt.Sprintf("各项权重之和应为 100，现为 %s / the weights must add up to 100; now %s",
			formatNumber(sum), formatNumber(sum))}
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// formatNumber shows a number with at most two decimals: 12, 12.5, 12.25.
func formatNumber(f float64) string { return strconv.FormatFloat(round2(f), 'f', -1, 64) }

// round2 rounds to hundredths.
func round2(f float64) float64 { return math.Round(f*100) / 100 }

// points scores value under r; best is the best value among the units.
func (r IndicatorRule) points(value, best float64) float64 {
	switch r.Rule {
	case RuleRelative:
		if best <= 0 {
			return 0
		}
		return r.Weight * max(value, 0) / best
	case RuleTarget:
		return r.Weight * min(1, max(value, 0)/r.Target)
	case RuleDeduct:
		return r.Weight - min(r.Per*max(value, 0), r.Cap)
	}
	return 0
}

// parseDefinition reads a stored definition, refusing unknown fields.
func parseDefinition(text string) (SchemeDefinition, error) {
	var d SchemeDefinition
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return d, fmt.Errorf("考核方案无法读取 / the scheme cannot be read: %w", err)
	}
	return d, nil
}

// PeriodKind is the length of an assessment period.
type PeriodKind string

// The period kinds.
const (
	MonthPeriod   PeriodKind = "month"   // 月度, "2026-11"
	QuarterPeriod PeriodKind = "quarter" // 季度, "2026-Q4"
	YearPeriod    PeriodKind = "year"    // 年度, "2026"
)

// Period is an assessment period, from Start (a local midnight) to End
// (the next period's Start).
type Period struct {
	Key        string // "2026-11", "2026-Q4" or "2026"
	Kind       PeriodKind
	Year       int
	Index      int // the month (1–12) or quarter (1–4); 0 for a year
	Start, End time.Time
}

// errPeriod is the message for a period that cannot be read.
var errPeriod = &FieldError{Field: "period", Msg: "请按 2026-11（月度）、2026-Q4（季度）或 2026（年度）填写考核周期 / write the period as 2026-11 (month), 2026-Q4 (quarter) or 2026 (year)"}

// Years an assessment period may lie in.
const (
	firstPeriodYear = 2000
	lastPeriodYear  = 2099
)

// ParsePeriod reads a period key in location loc.
func ParsePeriod(key string, loc *time.Location) (Period, error) {
	key = strings.ToUpper(strings.TrimSpace(key))
	yearText, rest, hasRest := strings.Cut(key, "-")
	year, err := strconv.Atoi(yearText)
	if err != nil || len(yearText) != 4 || year < firstPeriodYear || year > lastPeriodYear {
		return Period{}, errPeriod
	}
	p := Period{Year: year}
	switch {
	case !hasRest:
		p.Kind = YearPeriod
	case len(rest) == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4':
		p.Kind, p.Index = QuarterPeriod, int(rest[1]-'0')
	case len(rest) == 2:
		m, err := strconv.Atoi(rest)
		if err != nil || m < 1 || m > 12 {
			return Period{}, errPeriod
		}
		p.Kind, p.Index = MonthPeriod, m
	default:
		return Period{}, errPeriod
	}
	return p.at(loc), nil
}

// at fills Key, Start and End of p's kind, year and index.
func (p Period) at(loc *time.Location) Period {
	switch p.Kind {
	case YearPeriod:
		p.Key = strconv.Itoa(p.Year)
		p.Start = time.Date(p.Year, 1, 1, 0, 0, 0, 0, loc)
		p.End = p.Start.AddDate(1, 0, 0)
	case QuarterPeriod:
		p.Key = fmt.Sprintf("%d-Q%d", p.Year, p.Index)
		p.Start = time.Date(p.Year, time.Month(3*p.Index-2), 1, 0, 0, 0, 0, loc)
		p.End = p.Start.AddDate(0, 3, 0)
	default:
		p.Key = fmt.Sprintf("%d-%02d", p.Year, p.Index)
		p.Start = time.Date(p.Year, time.Month(p.Index), 1, 0, 0, 0, 0, loc)
		p.End = p.Start.AddDate(0, 1, 0)
	}
	return p
}

// PeriodOf is the period of kind k that holds t.
func PeriodOf(k PeriodKind, t time.Time) Period {
	p := Period{Kind: k, Year: t.Year()}
	switch k {
	case MonthPeriod:
		p.Index = int(t.Month())
	case QuarterPeriod:
		p.Index = (int(t.Month())-1)/3 + 1
	}
	return p.at(t.Location())
}

// Previous is the period of the same kind before p.
func (p Period) Previous() Period {
	return PeriodOf(p.Kind, p.Start.AddDate(0, 0, -1))
}

var quarterNames = []string{"", "一", "二", "三", "四"}

// Label is the period in Chinese: 2026年11月, 2026年第四季度, 2026年度.
func (p Period) Label() string {
	switch p.Kind {
	case YearPeriod:
		return fmt.Sprintf("%d年度", p.Year)
	case QuarterPeriod:
		return fmt.Sprintf("%d年第%s季度", p.Year, quarterNames[p.Index])
	}
	return fmt.Sprintf("%d年%d月", p.Year, p.Index)
}

// Over reports whether the period has ended by now.
func (p Period) Over(now time.Time) bool { return !now.Before(p.End) }

// Errors of the assessment.
var (
	ErrPeriodNotBegun = &FieldError{Field: "period", Msg: "考核周期尚未开始 / the period has not begun yet"}
	ErrPeriodRunning  = errors.New("考核周期尚未结束，结束后才能发布结果 / the period is not over yet: publish its results once it has ended")
	ErrNoUnits        = errors.New("还没有已登记的所队，请先在“所队”中登记 / no station is registered yet: register stations first")
	ErrNotDraft       = errors.New("只能启用草稿版本的考核方案 / only a draft scheme can be activated")
	ErrNoScheme       = errors.New("还没有收到宣传科的考核方案 / no assessment scheme has arrived from HQ yet")
	ErrNotPublished   = errors.New("只能为已发布的稿件评分 / only published posts can be rated")
	// ErrTakenDownRating matches ErrNotPublished too.
	ErrTakenDownRating error = &kindError{"这篇稿件已撤下，不计入考核，无需评分 / this post was taken down and no longer counts: it needs no rating", ErrNotPublished}
)

// SchemeStatus is where a scheme version stands.
type SchemeStatus string

// Scheme statuses: HQ edits a draft, activates it (the active one it
// replaces is retired); active and retired versions travel to stations.
const (
	SchemeDraft   SchemeStatus = "draft"
	SchemeActive  SchemeStatus = "active"
	SchemeRetired SchemeStatus = "retired"
)

// Scheme is one version of the weights and rules.
type Scheme struct {
	ID         string
	Number     int64
	Status     SchemeStatus
	Definition SchemeDefinition
	Note       string
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func schemeFrom(r data.AssessmentScheme) (Scheme, error) {
	def, err := parseDefinition(r.Definition)
	return Scheme{ID: r.ID, Number: r.Number, Status: SchemeStatus(r.Status), Definition: def, Note: r.Note,
		CreatedBy: r.CreatedBy, CreatedAt: time.UnixMilli(r.CreatedAt), UpdatedAt: time.UnixMilli(r.UpdatedAt)}, err
}

// Rule returns the scheme's rule for indicator i, if it scores it.
func (s Scheme) Rule(i Indicator) (IndicatorRule, bool) {
	for _, r := range s.Definition.Indicators {
		if r.Indicator == i {
			return r, true
		}
	}
	return IndicatorRule{}, false
}

// MaxSchemeNote is the longest note on a scheme version, in characters.
const MaxSchemeNote = 200

// ensureScheme makes the default scheme version 1, active, when HQ has
// none yet.
func (s *Session) ensureScheme() error {
	if list, err := data.AssessmentSchemes(s.store.Reader()); err != nil || len(list) > 0 {
		return err
	}
	def, _ := json.Marshal(DefaultScheme())
	return s.store.Write(func(tx *data.Tx) error {
		if list, err := data.AssessmentSchemes(tx); err != nil || len(list) > 0 {
			return err
		}
		now := s.now()
		if err := data.SaveAssessmentScheme(tx, data.AssessmentScheme{ID: uuid.Must(uuid.NewV7()).String(), OwnerUnit: s.unit.ID,
			Number: 1, Definition: string(def), Status: string(SchemeActive), Note: "默认方案", CreatedBy: s.User().Name,
			CreatedAt: now, UpdatedAt: now, Version: 1}); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "assessment.scheme.default", "1", "")
	})
}

// Schemes lists every scheme version, newest first. At HQ the default
// scheme is made on first use; a station sees the versions HQ sent.
func (s *Session) Schemes() ([]Scheme, error) {
	if err := s.checkActive(); err != nil {
		return nil, err
	}
	if s.unit.Kind == HQ {
		if err := s.ensureScheme(); err != nil {
			return nil, err
		}
	}
	rows, err := data.AssessmentSchemes(s.store.Reader())
	if err != nil {
		return nil, err
	}
	out := make([]Scheme, 0, len(rows))
	for _, r := range rows {
		if s.unit.Kind == Station && r.Status == string(SchemeDraft) {
			continue
		}
		sc, err := schemeFrom(r)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}

// ActiveScheme returns the scheme in force.
func (s *Session) ActiveScheme() (Scheme, error) {
	list, err := s.Schemes()
	if err != nil {
		return Scheme{}, err
	}
	for _, sc := range list {
		if sc.Status == SchemeActive {
			return sc, nil
		}
	}
	return Scheme{}, ErrNoScheme
}

// SaveSchemeDraft (HQ) saves def as the draft version: the open draft is
// replaced, or a new version numbered after the newest is made. The
// scheme in force does not change until the draft is activated.
func (s *Session) SaveSchemeDraft(def SchemeDefinition, note string) (Scheme, error) {
	if err := s.requireHQStaff(); err != nil {
		return Scheme{}, err
	}
	if err := def.Validate(); err != nil {
		return Scheme{}, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxSchemeNote || strings.ContainsAny(note, "\x00") {
		return Scheme{}, &FieldError{Field: "note", Msg: fmt.Sprintf("说明不能超过 %d 个字 / the note may have at most %d characters", MaxSchemeNote, MaxSchemeNote)}
	}
	if err := s.ensureScheme(); err != nil {
		return Scheme{}, err
	}
	text, err := json.Marshal(def)
	if err != nil {
		return Scheme{}, err
	}
	var row data.AssessmentScheme
	err = s.store.Write(func(tx *data.Tx) error {
		list, err := data.AssessmentSchemes(tx)
		if err != nil {
			return err
		}
		now := s.now()
		row = data.AssessmentScheme{ID: uuid.Must(uuid.NewV7()).String(), OwnerUnit: s.unit.ID, Number: 1,
			Status: string(SchemeDraft), CreatedBy: s.User().Name, CreatedAt: now, Version: 1}
		if len(list) > 0 {
			row.Number = list[0].Number + 1
			if list[0].Status == string(SchemeDraft) {
				row = list[0]
				row.Version++
			}
		}
		row.Definition, row.Note, row.UpdatedAt = string(text), note, now
		if err := data.SaveAssessmentScheme(tx, row); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "assessment.scheme.draft", strconv.FormatInt(row.Number, 10), note)
	})
	if err != nil {
		return Scheme{}, err
	}
	return schemeFrom(row)
}

// ActivateScheme (HQ admin) puts draft id in force and retires the scheme
// it replaces; both travel to every station in the next bundles.
func (s *Session) ActivateScheme(id string) (Scheme, error) {
	if err := s.requireHQAdmin(); err != nil {
		return Scheme{}, err
	}
	var row data.AssessmentScheme
	err := s.store.Write(func(tx *data.Tx) error {
		var err error
		if row, err = data.AssessmentSchemeByID(tx, id); err != nil {
			return err
		}
		if row.Status != string(SchemeDraft) {
			return ErrNotDraft
		}
		list, err := data.AssessmentSchemes(tx)
		if err != nil {
			return err
		}
		now := s.now()
		for _, old := range list {
			if old.Status == string(SchemeActive) {
				old.Status, old.UpdatedAt, old.Version = string(SchemeRetired), now, old.Version+1
				if err := data.SaveAssessmentScheme(tx, old); err != nil {
					return err
				}
			}
		}
		row.Status, row.UpdatedAt, row.Version = string(SchemeActive), now, row.Version+1
		if err := data.SaveAssessmentScheme(tx, row); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "assessment.scheme.activate", strconv.FormatInt(row.Number, 10), "")
	})
	if err != nil {
		return Scheme{}, err
	}
	return schemeFrom(row)
}

// UnitScore is one unit's values, points, total and rank in a period.
type UnitScore struct {
	Unit, Name string
	Values     map[Indicator]float64
	Points     map[Indicator]float64
	Total      float64
	Rank       int
}

// Assessment is every registered station's score in a period under a
// scheme, best first (ties by unit name).
type Assessment struct {
	Period Period
	Scheme Scheme
	Units  []UnitScore
	At     time.Time // when it was computed
}

// Average is the mean total, 0 with no units.
func (a Assessment) Average() float64 {
	if len(a.Units) == 0 {
		return 0
	}
	sum := 0.0
	for _, u := range a.Units {
		sum += u.Total
	}
	return round2(sum / float64(len(a.Units)))
}

// period parses key in the desk's location and refuses a period that has
// not begun.
func (s *Session) period(key string) (Period, error) {
	now := s.cfg.now()
	p, err := ParsePeriod(key, now.Location())
	if err == nil && now.Before(p.Start) {
		err = ErrPeriodNotBegun
	}
	return p, err
}

// stations lists the registered stations.
func (s *Session) stations() ([]data.Unit, error) {
	units, err := data.ListUnits(s.store.Reader())
	return slices.DeleteFunc(units, func(u data.Unit) bool { return u.Kind != string(Station) || u.State != UnitRegistered }), err
}

// Compute (HQ) scores every registered station in period key with the
// scheme in force.
func (s *Session) Compute(key string) (Assessment, error) {
	if err := s.requireHQStaff(); err != nil {
		return Assessment{}, err
	}
	p, err := s.period(key)
	if err != nil {
		return Assessment{}, err
	}
	sc, err := s.ActiveScheme()
	if err != nil {
		return Assessment{}, err
	}
	units, err := s.stations()
	if err != nil {
		return Assessment{}, err
	}
	return s.compute(p, sc, units)
}

// Trend (HQ) computes the n periods of key's kind up to key (oldest
// first) with the scheme in force, for the trend chart; periods before
// firstPeriodYear are left out.
func (s *Session) Trend(key string, n int) ([]Assessment, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	p, err := s.period(key)
	if err != nil {
		return nil, err
	}
	sc, err := s.ActiveScheme()
	if err != nil {
		return nil, err
	}
	units, err := s.stations()
	if err != nil {
		return nil, err
	}
	var out []Assessment
	for ; len(out) < n && p.Year >= firstPeriodYear; p = p.Previous() {
		a, err := s.compute(p, sc, units)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	slices.Reverse(out)
	return out, nil
}

// compute scores units in p under sc.
func (s *Session) compute(p Period, sc Scheme, units []data.Unit) (Assessment, error) {
	now := s.cfg.now().In(p.Start.Location())
	_, offset := p.Start.Zone()
	facts, err := data.AssessmentFacts(s.store.Reader(), data.AssessmentRange{
		From: p.Start.UnixMilli(), To: p.End.UnixMilli(),
		FirstDay: p.Start.Format(time.DateOnly), LastDay: p.End.AddDate(0, 0, -1).Format(time.DateOnly),
		Today: now.Format(time.DateOnly), Offset: int64(offset) * 1000, ZombieDays: s.ActivityRule().ZombieDays,
	})
	if err != nil {
		return Assessment{}, err
	}
	// the days judged: the whole period, or up to today for one running
	judged := p.End
	if tomorrow := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, now.Location()); tomorrow.Before(judged) {
		judged = tomorrow
	}
	days := max(1, int(math.Round(judged.Sub(p.Start).Hours()/24)))
	a := Assessment{Period: p, Scheme: sc, At: s.cfg.now()}
	for _, u := range units {
		f := facts[u.ID]
		if f == nil {
			f = &data.UnitFacts{}
		}
		a.Units = append(a.Units, UnitScore{Unit: u.ID, Name: u.Name, Values: indicatorValues(f, days), Points: map[Indicator]float64{}})
	}
	for _, r := range sc.Definition.Indicators {
		best := 0.0
		for _, u := range a.Units {
			best = max(best, u.Values[r.Indicator])
		}
		for _, u := range a.Units {
			u.Points[r.Indicator] = round2(r.points(u.Values[r.Indicator], best))
		}
	}
	for i := range a.Units {
		total := 0.0
		for _, pts := range a.Units[i].Points {
			total += pts
		}
		a.Units[i].Total = round2(total)
	}
	rankUnits(a.Units)
	return a, nil
}

// indicatorValues turns a unit's numbers over days judged into indicator
// values.
func indicatorValues(f *data.UnitFacts, days int) map[Indicator]float64 {
	v := map[Indicator]float64{
		IndOriginalPosts:    float64(f.Posts),
		IndReposts:          float64(f.Reposts),
		IndComments:         float64(f.Comments),
		IndFollowers:        float64(f.Followers),
		IndFollowerGrowth:   float64(f.Followers - f.FollowersStart),
		IndPostingFrequency: float64(f.Posts) * 7 / float64(days),
		IndZombieDays:       float64(f.ZombieDays),
		IndInfluence:        float64(f.Reads + f.Likes),
		IndReplies:          float64(f.Replied),
		IndOnTimeShare:      100,
		IndInteractions:     float64(f.Interactions),
		IndOverrides:        float64(f.Overrides),
		IndNotices:          float64(f.Notices),
		IndLateNotices:      float64(f.LateNotices),
	}
	if f.RatedPosts > 0 {
		v[IndContentQuality] = float64(f.RatingSum) / float64(f.RatedPosts)
	}
	if f.GuidanceMonths > 0 {
		v[IndOpinionGuidance] = float64(f.GuidanceSum) / float64(f.GuidanceMonths)
	}
	if f.CollaborationMonths > 0 {
		v[IndCollaboration] = float64(f.CollaborationSum) / float64(f.CollaborationMonths)
	}
	if f.Judged > 0 {
		v[IndOnTimeShare] = 100 * float64(f.OnTime) / float64(f.Judged)
	}
	if f.Officers > 0 {
		v[IndTrainingHours] = float64(f.TrainingMinutes) / 60 / float64(f.Officers)
	}
	return v
}

// rankUnits sorts units best first (ties by name, then id) and gives
// them competition ranks: equal totals share a rank, the next rank skips.
func rankUnits(units []UnitScore) {
	cents := func(u UnitScore) int64 { return int64(math.Round(u.Total * 100)) }
	slices.SortStableFunc(units, func(a, b UnitScore) int {
		if c := cents(b) - cents(a); c != 0 {
			if c > 0 {
				return 1
			}
			return -1
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Unit, b.Unit)
	})
	for i := range units {
		units[i].Rank = i + 1
		if i > 0 && cents(units[i]) == cents(units[i-1]) {
			units[i].Rank = units[i-1].Rank
		}
	}
}

// IndicatorResult is one indicator of a published result.
type IndicatorResult struct {
	Indicator Indicator `json:"indicator"`
	Weight    float64   `json:"weight"`
	Value     float64   `json:"value"`
	Points    float64   `json:"points"`
}

// resultDetail is a result's detail JSON: the scheme version and, per
// indicator scored, its weight, value and points.
type resultDetail struct {
	Scheme     int64             `json:"scheme"`
	Indicators []IndicatorResult `json:"indicators"`
}

// Result is one unit's published result.
type Result struct {
	Unit         string
	Period       Period
	Score        float64
	Rank, Units  int
	SchemeNumber int64
	Indicators   []IndicatorResult
	PublishedAt  time.Time
	Version      int64 // 2 and more: published again
}

func (s *Session) resultFrom(r data.AssessmentResult) (Result, error) {
	p, err := ParsePeriod(r.Period, s.cfg.now().Location())
	if err != nil {
		return Result{}, err
	}
	var d resultDetail
	if err := json.Unmarshal([]byte(r.Detail), &d); err != nil {
		return Result{}, fmt.Errorf("考核结果无法读取 / the result cannot be read: %w", err)
	}
	return Result{Unit: r.UnitID, Period: p, Score: r.Score, Rank: int(r.Rank), Units: int(r.Units), SchemeNumber: d.Scheme,
		Indicators: d.Indicators, PublishedAt: time.UnixMilli(r.PublishedAt), Version: r.Version}, nil
}

// PublishResults (HQ admin) computes period key, which must be over, and writes
// each unit's result; it travels to that unit in its next bundle.
// Publishing again replaces the results (one version more), and withdraws
// (rank 0, data.AssessmentResult) the result of a unit no longer assessed,
// such as a revoked station, so that no stale rank stands beside the new
// ones.
func (s *Session) PublishResults(key string) (Assessment, error) {
	if err := s.requireHQAdmin(); err != nil {
		return Assessment{}, err
	}
	p, err := s.period(key)
	if err != nil {
		return Assessment{}, err
	}
	if !p.Over(s.cfg.now()) {
		return Assessment{}, ErrPeriodRunning
	}
	a, err := s.Compute(key)
	if err != nil {
		return Assessment{}, err
	}
	if len(a.Units) == 0 {
		return Assessment{}, ErrNoUnits
	}
	err = s.store.Write(func(tx *data.Tx) error {
		now := s.now()
		previous, err := data.PeriodAssessmentResults(tx, p.Key)
		if err != nil {
			return err
		}
		none, err := json.Marshal(resultDetail{Scheme: a.Scheme.Number})
		if err != nil {
			return err
		}
		withdrawn := 0
		for _, row := range previous {
			if slices.ContainsFunc(a.Units, func(u UnitScore) bool { return u.Unit == row.UnitID }) {
				continue
			}
			row.SchemeID, row.Score, row.Rank, row.Units, row.Detail = a.Scheme.ID, 0, 0, int64(len(a.Units)), string(none)
			row.PublishedAt, row.UpdatedAt, row.Version = now, now, row.Version+1
			if err := data.SaveAssessmentResult(tx, row); err != nil {
				return err
			}
			withdrawn++
		}
		for _, u := range a.Units {
			d := resultDetail{Scheme: a.Scheme.Number}
			for _, r := range a.Scheme.Definition.Indicators {
				d.Indicators = append(d.Indicators, IndicatorResult{Indicator: r.Indicator, Weight: r.Weight,
					Value: round4(u.Values[r.Indicator]), Points: u.Points[r.Indicator]})
			}
			detail, err := json.Marshal(d)
			if err != nil {
				return err
			}
			row, err := data.AssessmentResultOf(tx, u.Unit, p.Key)
			switch {
			case errors.Is(err, data.ErrNotFound):
				row = data.AssessmentResult{ID: uuid.Must(uuid.NewV7()).String(), OwnerUnit: s.unit.ID, UnitID: u.Unit,
					Period: p.Key, CreatedAt: now}
			case err != nil:
				return err
			}
			row.SchemeID, row.Score, row.Rank, row.Units, row.Detail = a.Scheme.ID, u.Total, int64(u.Rank), int64(len(a.Units)), string(detail)
			row.PublishedAt, row.UpdatedAt, row.Version = now, now, row.Version+1
			if err := data.SaveAssessmentResult(tx, row); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("%d个单位，方案第%d版", len(a.Units), a.Scheme.Number)
		if withdrawn > 0 {
			detail += fmt.Sprintf("，撤回%d个未参评单位的原结果", withdrawn)
		}
		return data.AppendAudit(tx, now, s.User().Name, "assessment.publish", p.Key, detail)
	})
	return a, err
}

// round4 keeps four decimals of a value for the record.
func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// PublishedResults (HQ) lists the published results of period key, best
// first.
func (s *Session) PublishedResults(key string) ([]Result, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	rows, err := data.PeriodAssessmentResults(s.store.Reader(), strings.ToUpper(strings.TrimSpace(key)))
	if err != nil {
		return nil, err
	}
	return s.resultsFrom(rows)
}

// MyResults (a station) lists the unit's results HQ published, the newest
// first.
func (s *Session) MyResults() ([]Result, error) {
	if err := s.requireStation(); err != nil {
		return nil, err
	}
	rows, err := data.UnitAssessmentResults(s.store.Reader(), s.unit.ID)
	if err != nil {
		return nil, err
	}
	return s.resultsFrom(rows)
}

func (s *Session) resultsFrom(rows []data.AssessmentResult) ([]Result, error) {
	out := make([]Result, 0, len(rows))
	for _, r := range rows {
		res, err := s.resultFrom(r)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// Ratings of published posts (content quality), 1 to 5.
const (
	MinRating     = 1
	MaxRating     = 5
	MaxRatingNote = 500
)

// PostToRate is a published post of a period with its unit and HQ's
// rating (0 when not rated yet).
type PostToRate struct {
	ID, Unit, UnitName, Title, Category, Platform string
	PublishedAt                                   time.Time
	Rating                                        int
	Note                                          string
}

// PostsToRate (HQ) lists the posts published in period key, by unit, then
// oldest first.
func (s *Session) PostsToRate(key string) ([]PostToRate, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	p, err := s.period(key)
	if err != nil {
		return nil, err
	}
	q := s.store.Reader()
	rows, err := data.PostsToRate(q, p.Start.UnixMilli(), p.End.UnixMilli())
	if err != nil {
		return nil, err
	}
	names, err := unitNames(q)
	if err != nil {
		return nil, err
	}
	out := make([]PostToRate, len(rows))
	for i, r := range rows {
		name := names[r.OwnerUnit]
		if name == "" {
			name = r.OwnerUnit
		}
		out[i] = PostToRate{ID: r.ID, Unit: r.OwnerUnit, UnitName: name, Title: r.Title, Category: r.Category, Platform: r.PublishedOn,
			PublishedAt: time.UnixMilli(r.PublishedAt), Rating: int(r.Rating), Note: r.Note}
	}
	return out, nil
}

// RatePost (HQ) rates the content quality of a published post from 1 to
// 5, with an optional note; rating it again replaces the rating.
func (s *Session) RatePost(postID string, rating int, note string) error {
	if err := s.requireHQStaff(); err != nil {
		return err
	}
	if rating < MinRating || rating > MaxRating {
		return &FieldError{Field: "rating", Msg: "请评 1 到 5 分 / rate from 1 to 5"}
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxRatingNote || strings.ContainsAny(note, "\x00") {
		return &FieldError{Field: "note", Msg: fmt.Sprintf("评语不能超过 %d 个字 / the note may have at most %d characters", MaxRatingNote, MaxRatingNote)}
	}
	return s.store.Write(func(tx *data.Tx) error {
		p, err := data.PostByID(tx, postID)
		if err != nil {
			return err
		}
		if p.Status == string(TakenDown) {
			return ErrTakenDownRating
		}
		if p.Status != string(Published) {
			return ErrNotPublished
		}
		now := s.now()
		if err := data.SavePostRating(tx, data.PostRating{PostID: postID, Rating: int64(rating), Note: note, RatedBy: s.User().Name, RatedAt: now}); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "assessment.rate", postID, strconv.Itoa(rating))
	})
}

// UnitRatingRow is a station with HQ's ratings of it in a month on the
// rated indicators (0: not rated).
type UnitRatingRow struct {
	UnitID, UnitName string
	Ratings          map[Indicator]int
	Notes            map[Indicator]string
}

// UnitRatings (HQ) lists every registered station with its ratings in
// month (YYYY-MM), by name.
func (s *Session) UnitRatings(month string) ([]UnitRatingRow, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	units, err := s.stations()
	if err != nil {
		return nil, err
	}
	rated, err := data.UnitRatingsOf(s.store.Reader(), month)
	if err != nil {
		return nil, err
	}
	out := make([]UnitRatingRow, 0, len(units))
	for _, u := range units {
		row := UnitRatingRow{UnitID: u.ID, UnitName: u.Name, Ratings: map[Indicator]int{}, Notes: map[Indicator]string{}}
		for _, r := range rated {
			if r.UnitID == u.ID {
				row.Ratings[Indicator(r.Indicator)], row.Notes[Indicator(r.Indicator)] = int(r.Rating), r.Note
			}
		}
		out = append(out, row)
	}
	slices.SortFunc(out, func(a, b UnitRatingRow) int { return strings.Compare(a.UnitName, b.UnitName) })
	return out, nil
}

// RateUnit (HQ) rates a registered station on a rated indicator
// (RatedIndicators) for month (YYYY-MM, not after this month) from 1 to
// 5, with an optional note; rating it again replaces the rating.
func (s *Session) RateUnit(unitID, month string, ind Indicator, rating int, note string) error {
	if err := s.requireHQStaff(); err != nil {
		return err
	}
	if !slices.Contains(RatedIndicators, ind) {
		return &FieldError{Field: "indicator", Msg: fmt.Sprintf("“%s”不是由宣传科评分的指标 / %q is not rated by the publicity section", ind.Name(), ind)}
	}
	p, err := ParsePeriod(month, s.cfg.now().Location())
	if err != nil || p.Kind != MonthPeriod {
		return &FieldError{Field: "month", Msg: "请选择月份（如 2026-11）/ choose a month, such as 2026-11"}
	}
	if month > s.cfg.now().Format("2006-01") {
		return &FieldError{Field: "month", Msg: "不能为将来的月份评分 / a month to come cannot be rated"}
	}
	if rating < MinRating || rating > MaxRating {
		return &FieldError{Field: "rating", Msg: "请评 1 到 5 分 / rate from 1 to 5"}
	}
	if err := validText("note", note, MaxRatingNote, false); err != nil {
		return err
	}
	units, err := s.stations()
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(units, func(u data.Unit) bool { return u.ID == unitID }) {
		return &FieldError{Field: "unit", Msg: "只能为已登记的所队评分 / only registered stations are rated"}
	}
	return s.store.Write(func(tx *data.Tx) error {
		now := s.now()
		if err := data.SaveUnitRating(tx, data.UnitRating{UnitID: unitID, Month: month, Indicator: string(ind), Rating: int64(rating),
			Note: strings.TrimSpace(note), RatedBy: s.User().Name, RatedAt: now}); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "assessment.rate_unit", unitID, fmt.Sprintf("%s %s %d", month, ind, rating))
	})
}
