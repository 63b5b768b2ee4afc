package app

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	textunicode "golang.org/x/text/encoding/unicode"

	"mediadesk/app/checker"
	"mediadesk/data"
)

// Importing a term list into HQ's working lexicon. A file is read into a
// TermFile (ParseTermsTXT, ParseTermsXLSX: pure, for any bytes), checked
// against the working list into a preview (PreviewTerms: each line new,
// already present or invalid, with its line number and reason), and
// applied all or nothing (ApplyTermImport): a list with an invalid line
// is refused whole, so a term is never dropped without anyone noticing;
// HQ fixes the file and imports it again.
//
//   - TXT: one term per line, optionally followed by a tab and the
//     category, and another tab and the action; blank lines and lines
//     starting with # are skipped. Columns are separated by tabs only:
//     a line without a tab that has a comma, or a category code or an
//     action after a space, is invalid (a term needs neither: matching
//     ignores spaces and punctuation). UTF-8 with or without a
//     byte-order mark, UTF-16 with one (Windows "Unicode") or, told by
//     its line breaks, without, or else GB18030 (GBK), which the preview
//     names. A file in one encoding with lines in the other (pasted from
//     another file, or a character cut off) is read in the encoding most
//     of its lines are in; the other lines are invalid.
//   - XLSX: the first sheet; a header row naming 词条, 类别 and 处置
//     (or term, category, action) in any order, or else columns A, B and
//     C from the first row.
//
// A category is a code (art18.2) or its Chinese name; an action is
// BLOCK, NEEDS_APPROVAL or WARN, or 禁止, 需审批, 提醒. A line that names
// neither takes the defaults chosen for the import.

// Limits of an imported file: its size, and its term lines.
const (
	MaxTermFileBytes = 20 << 20
	maxTermFileLines = 200000
)

// Encodings a TXT term list may come in.
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF16   = "UTF-16"
	EncodingGB18030 = "GB18030"
)

// TermLine is one term line of an imported file.
type TermLine struct {
	Line     int // the line (TXT) or row (XLSX), from 1
	Term     string
	Category string         // a category code, or "" for the default
	Action   checker.Action // or "" for the default
	Err      string         // why the line cannot be imported, "中文 / English"; "" if it can
}

// TermFile is a term list as read from a file.
type TermFile struct {
	Format   string // "TXT" or "XLSX"
	Encoding string // TXT: EncodingUTF8, EncodingUTF16 or EncodingGB18030
	Lines    []TermLine
}

// ErrTermFile: the file cannot be read as a term list at all.
var ErrTermFile = errors.New("无法读取词条清单，请确认是 TXT 或 XLSX 文件 / the term list cannot be read: use a TXT or XLSX file")

// actionWords are the words an imported action may be written as.
var actionWords = map[string]checker.Action{
	"BLOCK": checker.Block, "NEEDS_APPROVAL": checker.NeedsApproval, "WARN": checker.Warn,
	"禁止": checker.Block, "禁止发布": checker.Block,
	"需审批": checker.NeedsApproval, "须审批": checker.NeedsApproval, "需要审批": checker.NeedsApproval,
	"提醒": checker.Warn, "提醒核实": checker.Warn,
}

// categoryOf reads an imported category: a code (any case) or a name.
func categoryOf(s string) (string, bool) {
	for _, c := range checker.Categories() {
		if strings.EqualFold(s, c.Code) || s == c.Label {
			return c.Code, true
		}
	}
	return "", false
}

// termLine checks the fields of one line.
func termLine(line int, term, category, action string) TermLine {
	tl := TermLine{Line: line, Term: strings.TrimSpace(term)}
	category, action = strings.TrimSpace(category), strings.TrimSpace(action)
	if p := termTextProblem(tl.Term); p != "" {
		tl.Err = p
		return tl
	}
	if category != "" {
		code, ok := categoryOf(category)
		if !ok {
			tl.Err = fmt.Sprintf("类别“%s”无法识别，请写类别代码（如 art18.2）或类别名称 / category “%s” is unknown: write a code such as art18.2 or the category's name", category, category)
			return tl
		}
		tl.Category = code
	}
	if action != "" {
		a, ok := actionWords[strings.ToUpper(action)]
		if !ok {
			tl.Err = fmt.Sprintf("处置“%s”无法识别，请写禁止、需审批或提醒（BLOCK、NEEDS_APPROVAL、WARN）/ action “%s” is unknown: write BLOCK, NEEDS_APPROVAL or WARN", action, action)
			return tl
		}
		tl.Action = a
	}
	return tl
}

// tooLarge refuses a file over the size limit.
func tooLarge(n int) error {
	if n > MaxTermFileBytes {
		return fmt.Errorf("文件超过 %d MB，请拆分后分批导入 / the file is over %d MB: split it and import the parts", MaxTermFileBytes>>20, MaxTermFileBytes>>20)
	}
	return nil
}

// errTooManyTerms refuses a list over the term limit.
var errTooManyTerms = fmt.Errorf("词条超过 %d 条，请拆分后分批导入 / more than %d terms: split the list and import the parts", maxTermFileLines, maxTermFileLines)

// errTermEncoding refuses a file whose encoding cannot be told, rather
// than every line of it.
var errTermEncoding = errors.New("文件编码无法识别，请另存为 UTF-8 后重新导入 / the file's encoding cannot be recognised: save it as UTF-8 and import again")

// decodeText turns a TXT file into UTF-8 and names its encoding. A file
// that is not all UTF-8 is read line by line (decodeMixed); the lines it
// cannot read in the file's encoding come back by index from 0 with the
// reason to refuse them.
func decodeText(b []byte) (string, string, map[int]string, error) {
	switch {
	case bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) && utf8.Valid(b[3:]):
		return string(b[3:]), EncodingUTF8, nil, nil
	case bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")): // lines pasted in from a GBK file
		text, enc, bad := decodeMixed(b[3:])
		return text, enc, bad, nil
	case bytes.HasPrefix(b, []byte("\xFF\xFE")) || bytes.HasPrefix(b, []byte("\xFE\xFF")):
		text, _ := textunicode.UTF16(textunicode.LittleEndian, textunicode.UseBOM).NewDecoder().Bytes(b)
		return string(text), EncodingUTF16, nil, nil
	case bytes.IndexByte(b, 0) >= 0:
		text, err := decodeUTF16NoBOM(b)
		return text, EncodingUTF16, nil, err
	case utf8.Valid(b) && !narrowOnly(b):
		return string(b), EncodingUTF8, nil, nil
	}
	text, enc, bad := decodeMixed(b)
	return text, enc, bad, nil
}

// lineKind is what the bytes of a line read as.
type lineKind int

const (
	asciiLine   lineKind = iota // ASCII only: the same in either encoding
	wideLine                    // valid UTF-8 with a character of three bytes or more, as Chinese is
	narrowLine                  // valid UTF-8 but only with two-byte characters, as GBK bytes may be by chance
	invalidLine                 // not UTF-8
)

// kindOf tells what a line reads as. GBK bytes are valid UTF-8 now and
// then, but as two-byte characters (Greek, Cyrillic, accented letters),
// hardly ever as the three-byte characters Chinese is in UTF-8.
func kindOf(line []byte) lineKind {
	switch {
	case !utf8.Valid(line):
		return invalidLine
	case bytes.ContainsFunc(line, func(r rune) bool { return r >= 0x800 }):
		return wideLine
	case bytes.ContainsFunc(line, func(r rune) bool { return r >= utf8.RuneSelf }):
		return narrowLine
	}
	return asciiLine
}

// Why a line in another encoding than the rest of its file is refused.
const (
	errNotUTF8Line = "此行的编码看来与文件其余各行（UTF-8）不同（可能是从别的文件粘贴来的，或有字被截断），请在文本编辑器中重新输入这一行，把文件另存为 UTF-8 后重新导入 / this line seems not to be in UTF-8 like the rest of the file (pasted from another file, or a character cut off): retype it in a text editor, save the file as UTF-8 and import again"
	errUTF8Line    = "此行是 UTF-8 编码，而文件其余各行是 GB18030（GBK），按 GBK 读会变成别的字：请在文本编辑器中重新输入这一行，把文件另存为 UTF-8 后重新导入 / this line is UTF-8 but the rest of the file is GB18030 (GBK), as which it would read as other characters: retype it in a text editor, save the file as UTF-8 and import again"
)

// decodeMixed reads a file that is not all UTF-8, line by line (a line
// break is never part of a GB18030 character). It is UTF-8 with some
// broken lines when at least as many of its lines read as UTF-8 Chinese
// (wideLine) as are not UTF-8 at all, else GB18030 (GBK). Each line is
// refused whose bytes are not in that encoding, rather than read as other
// characters: UTF-8 Chinese is valid GB18030 too, and reads as other,
// plausible Chinese. GB18030 turns bytes it cannot read into U+FFFD,
// which termLine refuses.
func decodeMixed(b []byte) (string, string, map[int]string) {
	lines := bytes.Split(b, []byte("\n"))
	kinds := make([]lineKind, len(lines))
	count := map[lineKind]int{}
	for i, l := range lines {
		kinds[i] = kindOf(l)
		count[kinds[i]]++
	}
	enc := EncodingGB18030
	if count[wideLine] > 0 && count[wideLine] >= count[invalidLine] {
		enc = EncodingUTF8
	}
	bad := map[int]string{}
	text := make([]string, len(lines))
	for i, l := range lines {
		switch {
		case kinds[i] == asciiLine, enc == EncodingUTF8 && kinds[i] == wideLine:
			text[i] = string(l)
		case enc == EncodingUTF8:
			text[i], bad[i] = strings.ToValidUTF8(string(l), "\uFFFD"), errNotUTF8Line
		case kinds[i] == wideLine:
			text[i], bad[i] = string(l), errUTF8Line
		default:
			gb, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(l)
			text[i] = string(gb)
		}
	}
	return strings.Join(text, "\n"), enc, bad
}

// narrowOnly reports whether valid UTF-8 text has non-ASCII characters
// but none of three bytes or more: no Chinese at all. That is a GBK file
// whose every word happens to read as two-byte UTF-8 (圣战, 虐童), not a
// term list of this bureau's; decodeMixed reads it as GB18030.
func narrowOnly(b []byte) bool {
	wide, narrow := false, false
	for l := range bytes.SplitSeq(b, []byte("\n")) {
		switch kindOf(l) {
		case wideLine:
			wide = true
		case narrowLine:
			narrow = true
		}
	}
	return narrow && !wide
}

// decodeUTF16NoBOM reads a file with NUL bytes, which text in UTF-8 or
// GB18030 never has, as UTF-16 without a byte-order mark. Its byte order
// is the one its line breaks are in (0A 00 little-endian, 00 0A
// big-endian; where the NULs fall cannot tell, as characters such as 一
// U+4E00 put theirs on the other side). A file without line breaks, or
// that does not then read as clean text (a NUL, a control character
// other than tab and line breaks, a broken surrogate pair: UTF-32, a
// binary file), is errTermEncoding.
func decodeUTF16NoBOM(b []byte) (string, error) {
	if len(b)%2 != 0 {
		return "", errTermEncoding
	}
	le, be := 0, 0
	for i := 0; i < len(b); i += 2 {
		switch {
		case b[i] == '\n' && b[i+1] == 0:
			le++
		case b[i] == 0 && b[i+1] == '\n':
			be++
		}
	}
	order := textunicode.LittleEndian
	switch {
	case be > le:
		order = textunicode.BigEndian
	case be == le:
		return "", errTermEncoding
	}
	text, err := textunicode.UTF16(order, textunicode.IgnoreBOM).NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsFunc(text, func(r rune) bool {
		return r == utf8.RuneError || (unicode.IsControl(r) && r != '\t' && r != '\r' && r != '\n')
	}) {
		return "", errTermEncoding
	}
	return string(text), nil
}

// ParseTermsTXT reads a TXT term list (see the top of this file). Lines
// with problems are kept with their reason; the error is for a file that
// cannot be a term list (too large, too many terms, an encoding it cannot
// tell).
func ParseTermsTXT(b []byte) (TermFile, error) {
	if err := tooLarge(len(b)); err != nil {
		return TermFile{}, err
	}
	text, enc, mixed, err := decodeText(b)
	if err != nil {
		return TermFile{}, err
	}
	f := TermFile{Format: "TXT", Encoding: enc}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if len(f.Lines) == maxTermFileLines {
			return TermFile{}, errTooManyTerms
		}
		cols := strings.Split(line, "\t")
		for len(cols) > 3 && strings.TrimSpace(cols[len(cols)-1]) == "" {
			cols = cols[:len(cols)-1]
		}
		tl := TermLine{Line: i + 1, Term: strings.TrimSpace(cols[0])}
		switch {
		case mixed[i] != "":
			tl.Err = mixed[i]
		case len(cols) > 3:
			tl.Err = "每行最多三列：词条、类别、处置，用 Tab 分隔 / at most three columns, separated by tabs: term, category, action"
		case len(cols) == 1 && untabbedColumns(line):
			tl.Err = "各列之间请用 Tab 分隔：此行没有 Tab，却有逗号，或空格后跟着类别、处置；如果逗号或空格是词条的一部分，请删去（比对时忽略空格和标点）/ separate the columns with tabs: this line has no tab but a comma, or a category or action after a space; if the comma or space is part of the term, leave it out (matching ignores spaces and punctuation)"
		default:
			cols = append(cols, "", "")
			tl = termLine(i+1, cols[0], cols[1], cols[2])
		}
		f.Lines = append(f.Lines, tl)
	}
	return f, nil
}

// untabbedColumns reports whether a line without a tab seems to hold
// its columns separated otherwise: it has a comma (ASCII or full-width),
// or after a space a category code (art…) or, last, a category or an
// action. A term loses nothing by leaving these out, as matching ignores
// spaces and punctuation; a term with spaces and nothing like a column
// after them (夜 巡 路 线) is fine.
func untabbedColumns(line string) bool {
	if strings.ContainsAny(line, ",，") {
		return true
	}
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return false
	}
	for _, f := range fields[1:] {
		if len(f) > 3 && strings.EqualFold(f[:3], "art") && f[3] >= '0' && f[3] <= '9' {
			return true
		}
	}
	last := fields[len(fields)-1]
	_, isAction := actionWords[strings.ToUpper(last)]
	_, isCategory := categoryOf(last)
	return isAction || isCategory
}

// headerNames map the header row's words to the columns they name.
var headerNames = map[string]string{"词条": "term", "敏感词": "term", "类别": "category", "处置": "action",
	"term": "term", "category": "category", "action": "action"}

// ParseTermsXLSX reads an XLSX term list (see the top of this file). Rows
// with problems are kept with their reason; the error is for a file that
// cannot be read as a workbook or names no term column.
func ParseTermsXLSX(b []byte) (f TermFile, err error) {
	if err := tooLarge(len(b)); err != nil {
		return TermFile{}, err
	}
	defer func() {
		if recover() != nil { // a malformed workbook the library did not expect
			f, err = TermFile{}, ErrTermFile
		}
	}()
	wb, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: 4 * MaxTermFileBytes, UnzipXMLSizeLimit: MaxTermFileBytes})
	if err != nil {
		return TermFile{}, ErrTermFile
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		return TermFile{}, ErrTermFile
	}
	rows, err := wb.GetRows(sheets[0])
	if err != nil {
		return TermFile{}, ErrTermFile
	}
	f = TermFile{Format: "XLSX"}
	col := map[string]int{"term": 0, "category": 1, "action": 2}
	first := 0
	if len(rows) > 0 && isHeader(rows[0]) {
		col = map[string]int{"category": -1, "action": -1}
		for i, c := range rows[0] {
			if name, ok := headerNames[strings.ToLower(strings.TrimSpace(c))]; ok {
				col[name] = i
			}
		}
		if _, ok := col["term"]; !ok {
			return TermFile{}, errors.New("表头缺少“词条”列，请在第一行写明词条、类别、处置 / the header has no 词条 (term) column: name the columns 词条, 类别, 处置 in the first row")
		}
		first = 1
	}
	cell := func(row []string, name string) string {
		if i := col[name]; i >= 0 && i < len(row) {
			return row[i]
		}
		return ""
	}
	for i := first; i < len(rows); i++ {
		term, category, action := cell(rows[i], "term"), cell(rows[i], "category"), cell(rows[i], "action")
		if strings.TrimSpace(term+category+action) == "" {
			continue
		}
		if len(f.Lines) == maxTermFileLines {
			return TermFile{}, errTooManyTerms
		}
		f.Lines = append(f.Lines, termLine(i+1, term, category, action))
	}
	return f, nil
}

// isHeader reports whether a first row names its columns.
func isHeader(row []string) bool {
	for _, c := range row {
		if _, ok := headerNames[strings.ToLower(strings.TrimSpace(c))]; ok {
			return true
		}
	}
	return false
}

// ImportStatus is what an import does with a line.
type ImportStatus string

// The fates of an imported line.
const (
	ImportNew     ImportStatus = "new"     // added to the working list
	ImportPresent ImportStatus = "present" // in the list already (or earlier in the file): skipped
	ImportInvalid ImportStatus = "invalid" // cannot be imported: the whole import is refused
)

// ImportRow is one line of an import preview.
type ImportRow struct {
	TermLine
	Status ImportStatus
}

// TermImport is the preview of an import: every term line of the file
// with what importing does with it, and the counts.
type TermImport struct {
	Format, Encoding      string
	Rows                  []ImportRow
	New, Present, Invalid int
}

// TermDefaults are the category and action of lines that name none.
type TermDefaults struct {
	Category string
	Action   checker.Action
}

// PreviewTerms checks a term list against HQ's working list: each line
// becomes new, present (the working list or an earlier line has the same
// normalised term) or invalid (its reason from the file, or its duplicate
// line).
func (s *Session) PreviewTerms(f TermFile, def TermDefaults) (TermImport, error) {
	if err := s.requireHQStaff(); err != nil {
		return TermImport{}, err
	}
	if _, ok := checker.CategoryInfo(def.Category); !ok {
		return TermImport{}, &FieldError{Field: "default_category", Msg: "请选择默认类别 / choose the default category"}
	}
	if !validAction(def.Action) {
		return TermImport{}, &FieldError{Field: "default_action", Msg: "请选择默认处置 / choose the default action"}
	}
	if err := s.ensureLexiconSeeded(); err != nil {
		return TermImport{}, err
	}
	active, err := activeTerms(s.store.Reader())
	if err != nil {
		return TermImport{}, err
	}
	return previewTerms(f, def, active), nil
}

// previewTerms classifies the lines of f against the active terms.
func previewTerms(f TermFile, def TermDefaults, active map[string]LexiconTerm) TermImport {
	imp := TermImport{Format: f.Format, Encoding: f.Encoding, Rows: make([]ImportRow, 0, len(f.Lines))}
	seen := map[string]int{} // normalised term → line
	for _, l := range f.Lines {
		r := ImportRow{TermLine: l, Status: ImportNew}
		if r.Category == "" {
			r.Category = def.Category
		}
		if r.Action == "" {
			r.Action = def.Action
		}
		norm := normalTerm(r.Term)
		switch {
		case r.Err != "":
			r.Status = ImportInvalid
			imp.Invalid++
		case active[norm].ID != "":
			r.Status, r.Err = ImportPresent, fmt.Sprintf("词库中已有“%s” / “%s” is in the lexicon already", active[norm].Term, active[norm].Term)
			imp.Present++
		case seen[norm] > 0:
			r.Status, r.Err = ImportPresent, fmt.Sprintf("与第 %d 行重复 / the same as line %d", seen[norm], seen[norm])
			imp.Present++
		default:
			seen[norm] = r.Line
			imp.New++
		}
		imp.Rows = append(imp.Rows, r)
	}
	return imp
}

// ErrNothingToImport: the list has no term the working list lacks.
var ErrNothingToImport = errors.New("清单中没有新词条，无需导入 / the list has no new terms: nothing to import")

// ApplyTermImport adds the new terms of a preview to HQ's working list,
// all in one write, and returns how many it added. A preview with an
// invalid line is refused whole: fix the file and import it again. Terms
// added meanwhile are skipped.
func (s *Session) ApplyTermImport(imp TermImport) (int, error) {
	if err := s.requireHQStaff(); err != nil {
		return 0, err
	}
	if imp.Invalid > 0 {
		return 0, fmt.Errorf("清单中有 %d 行错误，整份清单未导入；请改正文件后重新导入 / %d lines have errors and nothing was imported: fix the file and import it again", imp.Invalid, imp.Invalid)
	}
	now := s.now()
	added := 0
	err := s.store.Write(func(tx *data.Tx) error {
		active, err := activeTerms(tx)
		if err != nil {
			return err
		}
		n := len(active)
		for _, r := range imp.Rows {
			if r.Status == ImportNew {
				n++
			}
		}
		if n > checker.MaxTerms {
			return fmt.Errorf("导入后词库将有 %d 条，超过 %d 条的上限（超出部分无法发布）；请先停用不再需要的词条，或删减清单后重新导入 / the working list would hold %d terms, over the limit of %d (it could not be published): retire terms no longer needed or trim the list, then import again",
				n, checker.MaxTerms, n, checker.MaxTerms)
		}
		for _, r := range imp.Rows {
			if r.Status != ImportNew {
				continue
			}
			f := TermForm{Term: r.Term, Category: r.Category, Action: r.Action}
			if err := f.validate(); err != nil {
				return fmt.Errorf("第 %d 行：%w", r.Line, err)
			}
			norm := normalTerm(f.Term)
			if _, ok := active[norm]; ok {
				continue
			}
			t := LexiconTerm{ID: uuid.Must(uuid.NewV7()).String(), Term: f.Term, Category: f.Category, Action: string(f.Action),
				CreatedBy: s.User().Name, CreatedAt: now, UpdatedAt: now, Version: 1}
			if err := data.SaveLexiconTerm(tx, t); err != nil {
				return err
			}
			active[norm] = t
			added++
		}
		if added == 0 {
			return ErrNothingToImport
		}
		detail := fmt.Sprintf("%s：%d 条 / %d terms", strings.TrimSpace(imp.Format+" "+imp.Encoding), added, added)
		return data.AppendAudit(tx, now, s.User().Name, "lexicon.import", "", detail)
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}
