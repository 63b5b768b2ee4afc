package app

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"mediadesk/app/checker"
	"mediadesk/data"
)

var importDefaults = TermDefaults{Category: "art18.12", Action: checker.Warn}

func TestParseTermsTXT(t *testing.T) {
	text := "\uFEFF# 省厅下发补充词条\n" +
		"夜巡路线\n" +
		"卡口位置\tart18.2\t禁止\r\n" +
		"\n" +
		"  警力部署  \t危害国家安全，泄露国家秘密和工作秘密\tneeds_approval\n" +
		"，。\n" +
		"布控名单\tart99\n" +
		"抓捕方案\tart18.2\t立即删除\n" +
		"a\tb\tc\td\n" +
		"勤务安排\t\tWARN\t\t\n"
	f, err := ParseTermsTXT([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if f.Encoding != EncodingUTF8 || f.Format != "TXT" {
		t.Errorf("format %s %s", f.Format, f.Encoding)
	}
	want := []struct {
		line     int
		term     string
		category string
		action   checker.Action
		bad      bool
	}{
		{2, "夜巡路线", "", "", false},
		{3, "卡口位置", "art18.2", checker.Block, false},
		{5, "警力部署", "art18.2", checker.NeedsApproval, false},
		{6, "，。", "", "", true},
		{7, "布控名单", "", "", true},
		{8, "抓捕方案", "art18.2", "", true},
		{9, "a", "", "", true},
		{10, "勤务安排", "", checker.Warn, false},
	}
	if len(f.Lines) != len(want) {
		t.Fatalf("lines %+v", f.Lines)
	}
	for i, w := range want {
		l := f.Lines[i]
		if l.Line != w.line || l.Term != w.term || (l.Err != "") != w.bad || (!w.bad && (l.Category != w.category || l.Action != w.action)) {
			t.Errorf("line %d: %+v, want %+v", i, l, w)
		}
	}
	if !strings.Contains(f.Lines[4].Err, "art99") || !strings.Contains(f.Lines[5].Err, "立即删除") {
		t.Errorf("reasons: %q %q", f.Lines[4].Err, f.Lines[5].Err)
	}
}

func TestParseTermsTXTEncodings(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("夜巡路线\tart18.2\t禁止\n卡口位置\n"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseTermsTXT(gbk)
	if err != nil {
		t.Fatal(err)
	}
	if f.Encoding != EncodingGB18030 || len(f.Lines) != 2 || f.Lines[0].Term != "夜巡路线" || f.Lines[0].Action != checker.Block || f.Lines[1].Term != "卡口位置" {
		t.Fatalf("GBK file read as %+v", f)
	}
	// A GBK file with lines whose bytes are valid UTF-8 by chance (诈骗 is
	// D5 A9 C6 AD, UTF-8 "թƭ"; 枪支 C7 B9 D6 A7) is still all GBK.
	gbk, err = simplifiedchinese.GBK.NewEncoder().Bytes([]byte("诈骗\n夜巡路线\tart18.2\t禁止\n枪支\n网络诈骗\n"))
	if err != nil {
		t.Fatal(err)
	}
	f, err = ParseTermsTXT(gbk)
	if err != nil || f.Encoding != EncodingGB18030 || len(f.Lines) != 4 {
		t.Fatalf("GBK file read as %+v %v", f, err)
	}
	for i, want := range []string{"诈骗", "夜巡路线", "枪支", "网络诈骗"} {
		if l := f.Lines[i]; l.Term != want || l.Err != "" {
			t.Errorf("GBK line %d: %+v, want %s", i+1, l, want)
		}
	}
	// UTF-16LE with a byte-order mark, as Windows Notepad saves "Unicode".
	u16 := []byte{0xFF, 0xFE}
	for _, r := range "夜巡路线\r\n" {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	f, err = ParseTermsTXT(u16)
	if err != nil || f.Encoding != EncodingUTF16 || len(f.Lines) != 1 || f.Lines[0].Term != "夜巡路线" {
		t.Fatalf("UTF-16 file read as %+v %v", f, err)
	}
	// UTF-16 without a byte-order mark, either byte order: told by its
	// line breaks (一 puts its NUL on the other side).
	for _, order := range []string{"LE", "BE"} {
		var b []byte
		for _, r := range "一律\tart18.2\tBLOCK\r\n一刀切\n卡口位置\n" {
			if order == "LE" {
				b = append(b, byte(r), byte(r>>8))
			} else {
				b = append(b, byte(r>>8), byte(r))
			}
		}
		f, err = ParseTermsTXT(b)
		if err != nil || f.Encoding != EncodingUTF16 || len(f.Lines) != 3 || f.Lines[0].Term != "一律" || f.Lines[0].Action != checker.Block ||
			f.Lines[1].Term != "一刀切" || f.Lines[2].Term != "卡口位置" || f.Lines[2].Err != "" {
			t.Errorf("UTF-16%s without a byte-order mark read as %+v %v", order, f, err)
		}
	}
	// NUL bytes that do not read as UTF-16 text (no line break, UTF-32):
	// the whole file is refused, saying what to do.
	for name, b := range map[string][]byte{
		"no line break": {0x1C, 0x6D, 0xC6, 0x5B, 0x41, 0x00},
		"UTF-32":        {0x89, 0x6D, 0, 0, 0x0A, 0, 0, 0},
		"odd length":    {0x1C, 0x6D, 0x0A, 0x00, 0x41},
	} {
		if _, err := ParseTermsTXT(b); err == nil || !strings.Contains(err.Error(), "另存为 UTF-8") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Bytes neither UTF-8 nor GB18030 give a line error, not a wrong term.
	f, _ = ParseTermsTXT([]byte("ok\n\x81\x20bad\n"))
	if len(f.Lines) != 2 || f.Lines[0].Err != "" || f.Lines[1].Err == "" {
		t.Fatalf("undecodable line: %+v", f.Lines)
	}
	if _, err := ParseTermsTXT(make([]byte, MaxTermFileBytes+1)); err == nil {
		t.Error("an oversized file was read")
	}
}

// TestParseTermsTXTMixedEncodings: a file with lines in another encoding
// than the rest is read in the encoding most of its lines are in, and the
// other lines are invalid, so the preview refuses the file instead of
// showing UTF-8 read as GBK (or GBK as UTF-8) as new terms.
func TestParseTermsTXTMixedEncodings(t *testing.T) {
	gbk := func(s string) string {
		t.Helper()
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	cases := []struct {
		name  string
		text  string
		enc   string
		terms []string // "" where the line is invalid
		bad   string   // what the invalid lines' reason says
	}{
		{"UTF-8, last character cut off", "涉密\n反恐\n国保\n\xe6\xb6", EncodingUTF8, []string{"涉密", "反恐", "国保", ""}, "UTF-8"},
		{"UTF-8 with a GBK line", "诈骗\n网络诈骗\n" + gbk("赌博"), EncodingUTF8, []string{"诈骗", "网络诈骗", ""}, "UTF-8"},
		// 诈骗 in GBK is valid UTF-8 ("թƭ"), but not Chinese.
		{"UTF-8 with GBK lines valid by chance", "涉密\r\n反恐\r\n" + gbk("诈骗\r\n赌博\r\n"), EncodingUTF8, []string{"涉密", "反恐", "", ""}, "UTF-8"},
		{"GBK with a UTF-8 line", gbk("夜巡路线\n卡口位置\n诈骗\n") + "涉密\n", EncodingGB18030, []string{"夜巡路线", "卡口位置", "诈骗", ""}, "GBK"},
		{"UTF-8 with a BOM and a GBK line", "\xEF\xBB\xBF涉密\n反恐\n" + gbk("赌博"), EncodingUTF8, []string{"涉密", "反恐", ""}, "UTF-8"},
		// Every line reads as two-byte UTF-8 by chance: no Chinese at all.
		{"GBK valid as UTF-8 throughout", gbk("圣战\n虐童\n"), EncodingGB18030, []string{"圣战", "虐童"}, ""},
	}
	for _, c := range cases {
		f, err := ParseTermsTXT([]byte(c.text))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if f.Encoding != c.enc || len(f.Lines) != len(c.terms) {
			t.Errorf("%s: read as %s %+v", c.name, f.Encoding, f.Lines)
			continue
		}
		for i, want := range c.terms {
			l := f.Lines[i]
			switch {
			case l.Line != i+1:
				t.Errorf("%s: line %d numbered %d", c.name, i+1, l.Line)
			case want != "" && (l.Term != want || l.Err != ""):
				t.Errorf("%s: line %d %+v, want %s", c.name, i+1, l, want)
			case want == "" && (!strings.Contains(l.Err, c.bad) || !strings.Contains(l.Err, "另存为 UTF-8") || !strings.Contains(l.Err, " / ")):
				t.Errorf("%s: line %d %+v, want refused", c.name, i+1, l)
			}
		}
		invalid := 0
		for _, want := range c.terms {
			if want == "" {
				invalid++
			}
		}
		imp := previewTerms(f, importDefaults, nil)
		if imp.Invalid != invalid || imp.New+imp.Invalid != len(c.terms) {
			t.Errorf("%s: preview new %d invalid %d", c.name, imp.New, imp.Invalid)
		}
	}
}

// TestParseTermsTXTColumnSeparators: columns separated by commas or
// spaces instead of tabs make the line invalid, not one long term; spaces
// inside a term are still fine.
func TestParseTermsTXTColumnSeparators(t *testing.T) {
	bad := []string{
		"涉密,art18.2,BLOCK",
		"涉密 art18.2 BLOCK",
		"反恐  禁止",
		"涉密，art18.2，禁止",
		"卡口位置 ART18.2",
		"夜巡路线　提醒", // a full-width space
		"布控名单 needs_approval",
		"警力部署 群体性事件",
		"涉密,反恐",
	}
	good := []string{
		"夜 巡 路 线",
		"禁止 通行",
		"现代 art",
		"另一词条\t危害国家安全，泄露国家秘密和工作秘密\t需审批",
	}
	f, err := ParseTermsTXT([]byte(strings.Join(append(bad, good...), "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Lines) != len(bad)+len(good) {
		t.Fatalf("lines %+v", f.Lines)
	}
	for i, l := range f.Lines {
		if i < len(bad) {
			if l.Line != i+1 || !strings.Contains(l.Err, "Tab 分隔") || !strings.Contains(l.Err, "separate the columns with tabs") {
				t.Errorf("%q: %+v, want refused for its separators", bad[i], l)
			}
		} else if l.Err != "" {
			t.Errorf("%q: %+v, want accepted", good[i-len(bad)], l)
		}
	}
	if l := f.Lines[len(f.Lines)-1]; l.Term != "另一词条" || l.Category != "art18.2" || l.Action != checker.NeedsApproval {
		t.Errorf("tab-separated line %+v", l)
	}
}

// termWorkbook builds an XLSX whose first sheet holds rows.
func termWorkbook(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			if err := f.SetCellStr("Sheet1", xlsxCell(c+1, r+1), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseTermsXLSX(t *testing.T) {
	// A header in its own order, an empty row, a bad action.
	b := termWorkbook(t, [][]string{
		{"处置", "词条", "备注", "类别"},
		{"禁止", "卡口位置", "x", "art18.2"},
		{},
		{"", "夜巡路线", "", ""},
		{"maybe", "抓捕方案", "", "art18.2"},
	})
	f, err := ParseTermsXLSX(b)
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != "XLSX" || len(f.Lines) != 3 {
		t.Fatalf("read %+v", f)
	}
	if l := f.Lines[0]; l.Line != 2 || l.Term != "卡口位置" || l.Category != "art18.2" || l.Action != checker.Block || l.Err != "" {
		t.Errorf("row 2: %+v", l)
	}
	if l := f.Lines[1]; l.Line != 4 || l.Term != "夜巡路线" || l.Category != "" || l.Err != "" {
		t.Errorf("row 4: %+v", l)
	}
	if l := f.Lines[2]; l.Line != 5 || !strings.Contains(l.Err, "maybe") {
		t.Errorf("row 5: %+v", l)
	}

	// No header: columns A, B, C from the first row.
	f, err = ParseTermsXLSX(termWorkbook(t, [][]string{{"警力部署", "art18.2", "WARN"}, {"布控名单"}}))
	if err != nil || len(f.Lines) != 2 || f.Lines[0].Line != 1 || f.Lines[0].Action != checker.Warn || f.Lines[1].Term != "布控名单" {
		t.Fatalf("positional: %+v %v", f, err)
	}
	// A header without a term column, and bytes that are no workbook.
	if _, err := ParseTermsXLSX(termWorkbook(t, [][]string{{"类别", "处置"}, {"art18.2", "WARN"}})); err == nil {
		t.Error("a header without 词条 was accepted")
	}
	if _, err := ParseTermsXLSX([]byte("夜巡路线\n")); !errors.Is(err, ErrTermFile) {
		t.Errorf("a text file as XLSX: %v", err)
	}
}

func TestImportPreviewAndApply(t *testing.T) {
	hq := setupHQ(t)
	f, err := ParseTermsTXT([]byte("夜巡路线\n涉密\n卡口位置\tart18.2\tBLOCK\n夜 巡 路 线\n，，\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = hq.PreviewTerms(f, TermDefaults{Category: "", Action: checker.Warn})
	wantField(t, "no default category", err, "default_category")

	imp, err := hq.PreviewTerms(f, importDefaults)
	if err != nil {
		t.Fatal(err)
	}
	if imp.New != 2 || imp.Present != 2 || imp.Invalid != 1 {
		t.Fatalf("counts new %d present %d invalid %d", imp.New, imp.Present, imp.Invalid)
	}
	statuses := []ImportStatus{ImportNew, ImportPresent, ImportNew, ImportPresent, ImportInvalid}
	for i, r := range imp.Rows {
		if r.Status != statuses[i] {
			t.Errorf("row %d (line %d %q): %s, want %s", i, r.Line, r.Term, r.Status, statuses[i])
		}
	}
	if r := imp.Rows[0]; r.Category != "art18.12" || r.Action != checker.Warn {
		t.Errorf("defaults not applied: %+v", r)
	}
	if r := imp.Rows[3]; !strings.Contains(r.Err, "第 1 行") {
		t.Errorf("duplicate line reason %q", r.Err)
	}
	if r := imp.Rows[4]; r.Line != 5 || r.Err == "" {
		t.Errorf("invalid line %+v", r)
	}

	// All or nothing: a list with an invalid line adds nothing.
	before, _ := hq.LexiconTerms("", false)
	if _, err := hq.ApplyTermImport(imp); err == nil || !strings.Contains(err.Error(), "1 行错误") {
		t.Fatalf("applying a list with an error: %v", err)
	}
	if after, _ := hq.LexiconTerms("", false); len(after) != len(before) {
		t.Fatalf("a refused import changed the list: %d → %d", len(before), len(after))
	}

	// Fixed file: the new lines go in, once.
	f, _ = ParseTermsTXT([]byte("夜巡路线\n涉密\n卡口位置\tart18.2\tBLOCK\n夜 巡 路 线\n"))
	imp, _ = hq.PreviewTerms(f, importDefaults)
	n, err := hq.ApplyTermImport(imp)
	if err != nil || n != 2 {
		t.Fatalf("applied %d: %v", n, err)
	}
	after, _ := hq.LexiconTerms("卡口位置", false)
	if len(after) != 1 || after[0].Action != string(checker.Block) || after[0].Category != "art18.2" || after[0].Version != 1 {
		t.Fatalf("imported term %+v", after)
	}
	if _, err := hq.ApplyTermImport(imp); !errors.Is(err, ErrNothingToImport) {
		t.Errorf("the same preview twice: %v", err)
	}
	again, _ := hq.PreviewTerms(f, importDefaults)
	if again.New != 0 || again.Present != 4 {
		t.Errorf("preview after applying: %+v", again)
	}
	entries, _ := data.ListLexiconTerms(hq.store.Reader(), false)
	if len(entries) != len(before)+2 {
		t.Errorf("working list has %d terms, want %d", len(entries), len(before)+2)
	}
}

// FuzzParseTermsTXT: any bytes give lines or an error, never a panic, and
// every line without an error holds a term the checker can match.
func FuzzParseTermsTXT(f *testing.F) {
	f.Add([]byte("夜巡路线\tart18.2\t禁止\n# 注释\n卡口位置\n"))
	f.Add([]byte("\uFEFF涉密\tart18.2\tBLOCK\r\n"))
	f.Add([]byte{0xFF, 0xFE, 0x1C, 0x6D, 0xC6, 0x5B})
	f.Add([]byte{0x1C, 0x6D, 0xC6, 0x5B, 0x0D, 0x00, 0x0A, 0x00, 0x00, 0x4E})
	f.Add([]byte("\xd2\xb9\xd1\xb2\t\t\t\t\n\x81"))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := ParseTermsTXT(b)
		if err != nil {
			return
		}
		checkTermLines(t, file)
	})
}

// FuzzParseTermsXLSX: any bytes give lines or an error, never a panic.
func FuzzParseTermsXLSX(f *testing.F) {
	f.Add(termWorkbook(f, [][]string{{"词条", "类别", "处置"}, {"卡口位置", "art18.2", "禁止"}}))
	f.Add(termWorkbook(f, [][]string{{"夜巡路线"}}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := ParseTermsXLSX(b)
		if err != nil {
			return
		}
		checkTermLines(t, file)
	})
}

// checkTermLines fails on a line that claims to be fine but is not.
func checkTermLines(t *testing.T, f TermFile) {
	for _, l := range f.Lines {
		if l.Err != "" {
			continue
		}
		form := TermForm{Term: l.Term, Category: l.Category, Action: l.Action}
		if form.Category == "" {
			form.Category = "art18.12"
		}
		if form.Action == "" {
			form.Action = checker.Warn
		}
		if err := form.validate(); err != nil {
			t.Fatalf("line %d %q passed the parser but not the form: %v", l.Line, l.Term, err)
		}
		if _, err := checker.Compile("fuzz", []checker.Term{{ID: "t", Term: form.Term, Category: form.Category, Action: form.Action}}); err != nil {
			t.Fatalf("line %d %q does not compile: %v", l.Line, l.Term, err)
		}
	}
}

// TestImportBeyondTheTermLimit: an import that would take the working
// list over the most terms a lexicon may hold is refused whole, before
// anything is added (it could not be published).
func TestImportBeyondTheTermLimit(t *testing.T) {
	hq := setupHQ(t)
	seed, err := ParseTermsTXT([]byte("夜巡路线\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hq.PreviewTerms(seed, importDefaults); err != nil { // seeds the built-in terms
		t.Fatal(err)
	}
	before, _ := hq.LexiconTerms("", false)
	imp := TermImport{Format: "TXT"}
	for i := range checker.MaxTerms - len(before) + 1 {
		imp.Rows = append(imp.Rows, ImportRow{TermLine: TermLine{Line: i + 1, Term: fmt.Sprintf("词条%06d", i), Category: "art18.12", Action: checker.Warn},
			Status: ImportNew})
	}
	imp.New = len(imp.Rows)
	if _, err := hq.ApplyTermImport(imp); err == nil || !strings.Contains(err.Error(), "上限") {
		t.Fatalf("an import over the limit: %v", err)
	}
	if after, _ := hq.LexiconTerms("", false); len(after) != len(before) {
		t.Fatalf("the refused import added %d terms", len(after)-len(before))
	}
	imp.Rows = imp.Rows[:2]
	if n, err := hq.ApplyTermImport(imp); err != nil || n != 2 {
		t.Fatalf("an import within the limit: %d %v", n, err)
	}
}
