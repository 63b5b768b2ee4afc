package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"mediadesk/app/checker"
	"mediadesk/data"
)

// Lexicon maintenance (敏感词库). HQ keeps a working list of terms
// (lexicon_terms, put in once from the built-in starter lexicon the first
// time it is used) and adds, edits and retires terms or imports a list
// from a file. Publishing makes an immutable numbered version
// (lexicon_versions: the active terms as the checker's JSON lines) that
// travels to every station; every install screens with the newest
// version it has that compiles, named "hq-<number>" in every finding and
// in posts.lexicon_version, or with the built-in one before the first
// arrives.
//
// lexicon_terms has no column for allow contexts (反恐演练 for 反恐): a
// term put in from the built-in lexicon keeps the built-in term's
// contexts while its text still lies inside them; terms HQ adds have
// none.

// LexiconTerm is a term of HQ's working list as screens see it.
type LexiconTerm = data.LexiconTerm

// LexiconVersion is a published lexicon as the history lists it.
type LexiconVersion = data.LexiconVersion

// LexiconActions are the actions a term may ask for, strongest first.
var LexiconActions = []checker.Action{checker.Block, checker.NeedsApproval, checker.Warn}

// Limits of a term's fields, in characters.
const (
	maxTermRunes     = 50
	maxTermNoteRunes = 200
	maxPublishNote   = 200
)

// Errors of lexicon maintenance.
var (
	ErrLexiconUnchanged = errors.New("词库自上次发布以来没有变化，无需发布新版本 / the lexicon has not changed since the last version: there is nothing to publish")
	ErrLexiconEmpty     = errors.New("词库中没有在用的词条，不能发布空词库；请先添加词条 / the lexicon has no active terms and cannot be published empty: add terms first")
	ErrTermRetired      = errors.New("该词条已停用，不能修改；如需恢复请重新添加 / this term is retired and cannot be changed: add it again to bring it back")
)

// LexiconVersionName names published lexicon number n in findings and
// posts: "hq-3".
func LexiconVersionName(n int64) string { return "hq-" + strconv.FormatInt(n, 10) }

// TermForm is what the term dialog collects.
type TermForm struct {
	ID       string // empty for a new term
	Term     string
	Category string // a checker category code, e.g. art18.2
	Action   checker.Action
	Note     string
}

// normalTerm is a term as the checker matches it.
func normalTerm(term string) string {
	n, _ := checker.Normalize(term)
	return string(n)
}

// termTextProblem says what is wrong with a term's text, or "".
func termTextProblem(term string) string {
	switch {
	case term == "":
		return "请填写词条 / enter the term"
	case utf8.RuneCountInString(term) > maxTermRunes:
		return fmt.Sprintf("词条不能超过 %d 个字 / a term has at most %d characters", maxTermRunes, maxTermRunes)
	case !utf8.ValidString(term) || strings.ContainsRune(term, utf8.RuneError):
		return "词条含无法识别的字符，请检查文件编码 / the term has unreadable characters: check the file's encoding"
	case strings.IndexFunc(term, unicode.IsControl) >= 0:
		return "词条不能包含换行、制表符或控制字符 / a term has no line breaks, tabs or control characters"
	case normalTerm(term) == "":
		return "词条只有空格、标点或符号，请写出要匹配的文字 / the term is only spaces, punctuation or symbols: write the text to look for"
	}
	return ""
}

func validAction(a checker.Action) bool { return slices.Contains(LexiconActions, a) }

// validate checks the form field by field; Term and Note are trimmed.
func (f *TermForm) validate() error {
	f.Term, f.Note = strings.TrimSpace(f.Term), strings.TrimSpace(f.Note)
	if p := termTextProblem(f.Term); p != "" {
		return &FieldError{Field: "term", Msg: p}
	}
	if _, ok := checker.CategoryInfo(f.Category); !ok {
		return &FieldError{Field: "category", Msg: "请选择类别 / choose a category"}
	}
	if !validAction(f.Action) {
		return &FieldError{Field: "action", Msg: "请选择处置：禁止、需审批或提醒 / choose the action: block, needs approval or warn"}
	}
	if utf8.RuneCountInString(f.Note) > maxTermNoteRunes || strings.IndexFunc(f.Note, unicode.IsControl) >= 0 {
		return &FieldError{Field: "note", Msg: fmt.Sprintf("说明不能超过 %d 个字，且不能换行 / the note has at most %d characters on one line", maxTermNoteRunes, maxTermNoteRunes)}
	}
	return nil
}

// ensureLexiconSeeded puts the built-in terms into an empty working list
// (HQ, once: retired terms stay in the list, so it never empties again).
func (s *Session) ensureLexiconSeeded() error {
	if n, err := data.CountLexiconTerms(s.store.Reader()); err != nil || n > 0 {
		return err
	}
	now := s.now()
	return s.store.Write(func(tx *data.Tx) error {
		if n, err := data.CountLexiconTerms(tx); err != nil || n > 0 {
			return err // put in meanwhile, or unreadable
		}
		builtin := checker.Builtin()
		for _, t := range builtin.Terms() {
			err := data.SaveLexiconTerm(tx, LexiconTerm{ID: t.ID, Term: t.Term, Category: t.Category, Action: string(t.Action),
				Note: t.Note, CreatedBy: s.User().Name, CreatedAt: now, UpdatedAt: now, Version: 1})
			if err != nil {
				return err
			}
		}
		return data.AppendAudit(tx, now, s.User().Name, "lexicon.seed", builtin.Version(), "敏感词库以内置词库起步 / working lexicon started from the built-in one")
	})
}

// categoryRank orders categories as the regulation does.
var categoryRank = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for i, c := range checker.Categories() {
		m[c.Code] = i
	}
	return m
})

// sortTerms orders terms by category (regulation order), then term.
func sortTerms(terms []LexiconTerm) {
	rank := categoryRank()
	slices.SortStableFunc(terms, func(a, b LexiconTerm) int {
		if d := rank[a.Category] - rank[b.Category]; d != 0 {
			return d
		}
		return strings.Compare(a.Term, b.Term)
	})
}

// LexiconTerms lists HQ's working list (HQ only) by category, then term:
// those whose term, note or category name contains query (all when
// empty); retired terms only when asked. The first call puts the built-in
// terms in.
func (s *Session) LexiconTerms(query string, withRetired bool) ([]LexiconTerm, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	if err := s.ensureLexiconSeeded(); err != nil {
		return nil, err
	}
	terms, err := data.ListLexiconTerms(s.store.Reader(), withRetired)
	if err != nil {
		return nil, err
	}
	if q := strings.ToLower(strings.TrimSpace(query)); q != "" {
		nq := normalTerm(q)
		terms = slices.DeleteFunc(terms, func(t LexiconTerm) bool {
			c, _ := checker.CategoryInfo(t.Category)
			hit := strings.Contains(strings.ToLower(t.Term), q) || strings.Contains(t.Note, q) || strings.Contains(c.Label, q) ||
				(nq != "" && strings.Contains(normalTerm(t.Term), nq))
			return !hit
		})
	}
	sortTerms(terms)
	return terms, nil
}

// activeTerms maps the normalised text of every active term to it.
func activeTerms(q data.Querier) (map[string]LexiconTerm, error) {
	terms, err := data.ListLexiconTerms(q, false)
	if err != nil {
		return nil, err
	}
	m := make(map[string]LexiconTerm, len(terms))
	for _, t := range terms {
		m[normalTerm(t.Term)] = t
	}
	return m, nil
}

// duplicateTerm is the field error for a term already in the list.
func duplicateTerm(other LexiconTerm) error {
	return &FieldError{Field: "term", Msg: fmt.Sprintf("词库中已有“%s”（规范化后相同），请勿重复添加 / “%s” is in the lexicon already (the same after normalisation)", other.Term, other.Term)}
}

// SaveTerm adds a term to HQ's working list or edits one (HQ only). The
// term must keep some text after normalisation, and no other active term
// may normalise to the same text. Each change bumps the term's version.
func (s *Session) SaveTerm(f TermForm) (LexiconTerm, error) {
	if err := s.requireHQStaff(); err != nil {
		return LexiconTerm{}, err
	}
	if err := f.validate(); err != nil {
		return LexiconTerm{}, err
	}
	if err := s.ensureLexiconSeeded(); err != nil {
		return LexiconTerm{}, err
	}
	now := s.now()
	var saved LexiconTerm
	err := s.store.Write(func(tx *data.Tx) error {
		t := LexiconTerm{ID: uuid.Must(uuid.NewV7()).String(), CreatedBy: s.User().Name, CreatedAt: now, Version: 1}
		action := "lexicon.term.add"
		if f.ID != "" {
			old, err := data.LexiconTermByID(tx, f.ID)
			if err != nil {
				return err
			}
			if old.Retired {
				return ErrTermRetired
			}
			if old.Term == f.Term && old.Category == f.Category && old.Action == string(f.Action) && old.Note == f.Note {
				saved = old
				return nil // nothing changed
			}
			t, action = old, "lexicon.term.edit"
			t.Version++
		}
		active, err := activeTerms(tx)
		if err != nil {
			return err
		}
		if other, ok := active[normalTerm(f.Term)]; ok && other.ID != t.ID {
			return duplicateTerm(other)
		}
		t.Term, t.Category, t.Action, t.Note, t.UpdatedAt = f.Term, f.Category, string(f.Action), f.Note, now
		if err := data.SaveLexiconTerm(tx, t); err != nil {
			return err
		}
		saved = t
		return data.AppendAudit(tx, now, s.User().Name, action, t.ID, t.Term+" "+t.Category+" "+t.Action)
	})
	return saved, err
}

// RetireTerm takes a term out of HQ's working list (HQ only): the next
// published version no longer has it.
func (s *Session) RetireTerm(id string) error {
	if err := s.requireHQStaff(); err != nil {
		return err
	}
	now := s.now()
	return s.store.Write(func(tx *data.Tx) error {
		t, err := data.LexiconTermByID(tx, id)
		if err != nil {
			return err
		}
		if t.Retired {
			return ErrTermRetired
		}
		t.Retired, t.UpdatedAt = true, now
		t.Version++
		if err := data.SaveLexiconTerm(tx, t); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "lexicon.term.retire", t.ID, t.Term)
	})
}

// builtinTerms maps the built-in terms by id.
var builtinTerms = sync.OnceValue(func() map[string]checker.Term {
	m := map[string]checker.Term{}
	for _, t := range checker.Builtin().Terms() {
		m[t.ID] = t
	}
	return m
})

// allowOf is the allow contexts a working-list term publishes with: those
// of the built-in term it was put in from that still contain its text.
func allowOf(t LexiconTerm) []string {
	b, ok := builtinTerms()[t.ID]
	if !ok {
		return nil
	}
	norm := normalTerm(t.Term)
	var out []string
	for _, a := range b.Allow {
		if strings.Contains(normalTerm(a), norm) {
			out = append(out, a)
		}
	}
	return out
}

// lexiconText is the active terms as checker JSON lines, in id order.
func lexiconText(terms []LexiconTerm) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, t := range terms {
		err := enc.Encode(checker.Term{ID: t.ID, Term: t.Term, Category: t.Category, Action: checker.Action(t.Action), Allow: allowOf(t), Note: t.Note})
		if err != nil {
			return "", err
		}
	}
	return buf.String(), nil
}

// compileLexicon parses published terms and compiles them as number n.
func compileLexicon(n int64, text string) (*checker.Lexicon, error) {
	terms, err := checker.ParseLexicon(strings.NewReader(text))
	if err != nil {
		return nil, err
	}
	return checker.Compile(LexiconVersionName(n), terms)
}

// PublishLexicon (HQ) makes the working list's active terms the next
// lexicon version, numbered one above the last, with a note saying what
// changed. It travels to every station in the next bundles. It is
// refused when nothing changed since the last version, or when no term is
// active.
func (s *Session) PublishLexicon(note string) (LexiconVersion, error) {
	if err := s.requireHQStaff(); err != nil {
		return LexiconVersion{}, err
	}
	note = strings.TrimSpace(note)
	if note == "" || utf8.RuneCountInString(note) > maxPublishNote || strings.ContainsAny(note, "\r\n") {
		return LexiconVersion{}, &FieldError{Field: "note", Msg: fmt.Sprintf("请用一行写明本版改动（最多 %d 个字）/ say in one line what this version changes (at most %d characters)", maxPublishNote, maxPublishNote)}
	}
	if err := s.ensureLexiconSeeded(); err != nil {
		return LexiconVersion{}, err
	}
	now := s.now()
	var v LexiconVersion
	err := s.store.Write(func(tx *data.Tx) error {
		terms, err := data.ListLexiconTerms(tx, false)
		if err != nil {
			return err
		}
		if len(terms) == 0 {
			return ErrLexiconEmpty
		}
		text, err := lexiconText(terms)
		if err != nil {
			return err
		}
		versions, err := data.LexiconVersions(tx)
		if err != nil {
			return err
		}
		number := int64(1)
		if len(versions) > 0 {
			last, err := data.LexiconVersionTerms(tx, versions[0].ID)
			if err != nil {
				return err
			}
			if last == text {
				return ErrLexiconUnchanged
			}
			number = versions[0].Number + 1
		}
		if _, err := compileLexicon(number, text); err != nil {
			return fmt.Errorf("词库无法编译，未发布；请检查词条 / the lexicon does not compile and was not published: %w", err)
		}
		v = LexiconVersion{ID: uuid.Must(uuid.NewV7()).String(), OwnerUnit: s.unit.ID, Number: number, Terms: text,
			TermCount: int64(len(terms)), Note: note, CreatedBy: s.User().Name, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := data.AddLexiconVersion(tx, v); err != nil {
			return err
		}
		return data.AppendAudit(tx, now, s.User().Name, "lexicon.publish", v.ID,
			fmt.Sprintf("%s：%d 条 / %d terms：%s", LexiconVersionName(number), len(terms), len(terms), note))
	})
	return v, err
}

// SkippedLexicon is a published lexicon this install has but cannot
// screen with (it does not compile, e.g. a category this program does not
// know): the one before it is used instead.
type SkippedLexicon struct {
	Number int64
	Err    error
}

// LexiconStatus says which lexicon an install screens with.
type LexiconStatus struct {
	Version string // the name findings carry: "hq-3", or "builtin-1"
	Number  int64  // the published number, 0 for the built-in lexicon
	Terms   int
	Skipped []SkippedLexicon // newer versions that could not be used
}

// lexiconCache keeps compiled published lexicons, and the problems of
// those that did not compile, by version id (ids are unique, so every
// session of the process shares it), and the version each data directory
// last screened with: while a long write (a big bundle's import) keeps
// the store from being read, screening goes on with that one rather than
// falling back to the built-in lexicon.
var lexiconCache = struct {
	sync.Mutex
	good     map[string]*checker.Lexicon
	bad      map[string]error
	lastUsed map[string]LexiconVersion // data directory → version (without terms)
}{good: map[string]*checker.Lexicon{}, bad: map[string]error{}, lastUsed: map[string]LexiconVersion{}}

// maxCachedLexicons bounds the compiled lexicons kept.
const maxCachedLexicons = 8

// cachedLexicon returns published lexicon v compiled, reading its terms
// the first time.
func cachedLexicon(q data.Querier, v LexiconVersion) (*checker.Lexicon, error) {
	lexiconCache.Lock()
	lex, err := lexiconCache.good[v.ID], lexiconCache.bad[v.ID]
	lexiconCache.Unlock()
	if lex != nil || err != nil {
		return lex, err
	}
	text, err := data.LexiconVersionTerms(q, v.ID)
	if err != nil {
		return nil, err // unreadable now: not remembered
	}
	lex, err = compileLexicon(v.Number, text)
	lexiconCache.Lock()
	defer lexiconCache.Unlock()
	if err != nil {
		name := LexiconVersionName(v.Number)
		err = fmt.Errorf("词库 %s 无法使用，已改用上一版；请升级本程序或请宣传科重新发布 / lexicon %s cannot be used and the previous one is used instead; update this program or ask HQ to publish again: %w",
			name, name, err)
		if _, seen := lexiconCache.bad[v.ID]; !seen {
			log.Print(err)
		}
		lexiconCache.bad[v.ID] = err
		return nil, err
	}
	if len(lexiconCache.good) >= maxCachedLexicons {
		clear(lexiconCache.good)
	}
	lexiconCache.good[v.ID] = lex
	return lex, nil
}

// lexiconInUse finds the newest published lexicon that compiles, else the
// built-in one. It reads the store: never call it inside a write.
func (s *Session) lexiconInUse() (LexiconStatus, *checker.Lexicon) {
	var st LexiconStatus
	dir := s.store.Dir()
	versions, err := data.LexiconVersions(s.store.Reader())
	for _, v := range versions {
		lex, err := cachedLexicon(s.store.Reader(), v)
		if err != nil {
			st.Skipped = append(st.Skipped, SkippedLexicon{Number: v.Number, Err: err})
			continue
		}
		lexiconCache.Lock()
		lexiconCache.lastUsed[dir] = v
		lexiconCache.Unlock()
		st.Version, st.Number, st.Terms = lex.Version(), v.Number, len(lex.Terms())
		return st, lex
	}
	lex := checker.Builtin()
	if err != nil { // unreadable now: the one used last, if still compiled
		lexiconCache.Lock()
		last := lexiconCache.lastUsed[dir]
		if l := lexiconCache.good[last.ID]; l != nil {
			lex, st.Number = l, last.Number
		}
		lexiconCache.Unlock()
	}
	st.Version, st.Terms = lex.Version(), len(lex.Terms())
	return st, lex
}

// LexiconInUse says which lexicon this install screens with, and which
// newer published ones it had to skip.
func (s *Session) LexiconInUse() LexiconStatus {
	st, _ := s.lexiconInUse()
	return st
}

// LexiconState is the lexicon as HQ's library shows it: the version in
// use, the working list's active terms, whether they differ from the
// newest published version, and every published version, newest first.
type LexiconState struct {
	InUse       LexiconStatus
	ActiveTerms int
	Unpublished bool
	History     []LexiconVersion
	People      People // who published the versions
}

// LexiconState reads the lexicon's state (HQ only).
func (s *Session) LexiconState() (LexiconState, error) {
	if err := s.requireHQStaff(); err != nil {
		return LexiconState{}, err
	}
	if err := s.ensureLexiconSeeded(); err != nil {
		return LexiconState{}, err
	}
	st := LexiconState{InUse: s.LexiconInUse()}
	q := s.store.Reader()
	terms, err := data.ListLexiconTerms(q, false)
	if err != nil {
		return st, err
	}
	st.ActiveTerms = len(terms)
	if st.History, err = data.LexiconVersions(q); err != nil {
		return st, err
	}
	if st.People, err = s.peopleOf(q, s.unit.ID); err != nil {
		return st, err
	}
	st.Unpublished = len(terms) > 0
	if len(st.History) > 0 {
		text, err := lexiconText(terms)
		if err != nil {
			return st, err
		}
		last, err := data.LexiconVersionTerms(q, st.History[0].ID)
		if err != nil {
			return st, err
		}
		st.Unpublished = last != text
	}
	return st, nil
}
