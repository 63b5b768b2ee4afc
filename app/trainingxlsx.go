package app

import (
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"
)

// The hours report as an XLSX workbook, for the station's files and for
// the publicity section's oversight (Art. 27). Two sheets:
//
//   - 培训学时: a title (the unit), the period, the header 序号 姓名 警号
//     部门 参训次数 学时, one row per officer, and a 合计 row;
//   - 培训场次: the trainings held in the period, oldest first: 日期 形式
//     主题 授课人 地点 学时 参训人数, and a 合计 row.
//
// Totals are SUM formulas that also carry their computed value, so a
// program that reads the file without calculating (excelize, a viewer)
// sees the right total, and the workbook asks spreadsheet programs to
// recalculate on opening. Both sheets print on A4, one page wide, with
// the header row repeated on every page.

// Sheet names of the hours workbook.
const (
	HoursSheet    = "培训学时"
	SessionsSheet = "培训场次"
)

// rowHeight is the height of a table row, in points: room for 11-point
// Chinese with air above and below.
const rowHeight = 20

// lineHeight is the height of one line of wrapped 11-point text, in
// points.
const lineHeight = 14.5

// hoursFormat shows hours with one or two decimals: 1.0, 1.5, 1.33.
const hoursFormat = "0.0#"

// xlsxSheet writes cells of one sheet and keeps the first error.
type xlsxSheet struct {
	f      *excelize.File
	sheet  string
	err    error
	widths []float64   // of the columns, from header
	lines  map[int]int // the most lines a cell of each row wraps into
}

func (w *xlsxSheet) check(err error) {
	if w.err == nil {
		w.err = err
	}
}

// xlsxCell names column col (1 is A) of row row.
func xlsxCell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// set writes v into a cell with a style.
func (w *xlsxSheet) set(col, row int, v any, style int) {
	c := xlsxCell(col, row)
	w.check(w.f.SetCellValue(w.sheet, c, v))
	w.check(w.f.SetCellStyle(w.sheet, c, c, style))
}

// text writes s as text (police numbers keep their leading zeros) and
// notes how many lines it wraps into.
func (w *xlsxSheet) text(col, row int, s string, style int) {
	c := xlsxCell(col, row)
	w.check(w.f.SetCellStr(w.sheet, c, s))
	w.check(w.f.SetCellStyle(w.sheet, c, c, style))
	if col <= len(w.widths) {
		w.lines[row] = max(w.lines[row], int(math.Ceil(textWidth(s)/(w.widths[col-1]-1))))
	}
}

// textWidth is about how many units of column width s takes in an
// 11-point font: 1.75 for a Chinese (wide) character (a width of 30 holds
// 17 of them, measured in LibreOffice), one for others.
func textWidth(s string) float64 {
	n := 0.0
	for _, r := range s {
		if r >= 0x2E80 {
			n += 1.75
		} else {
			n++
		}
	}
	return n
}

// linesHeight is the height of a row of n lines of wrapped text, at most
// the highest row a workbook allows (409 points; text beyond it is cut
// off rather than the workbook refused).
func linesHeight(n int) float64 { return min(float64(n)*lineHeight+6, excelize.MaxRowHeight) }

// fitRow makes row tall enough for its longest wrapped cell. (Spreadsheet
// programs do not all size rows to wrapped text by themselves.)
func (w *xlsxSheet) fitRow(row int) {
	w.check(w.f.SetRowHeight(w.sheet, row, max(rowHeight, linesHeight(w.lines[row]))))
}

// sum writes =SUM over rows first..last of column col into row row, with
// its value v already computed.
func (w *xlsxSheet) sum(col, row, first, last int, v float64, style int) {
	w.set(col, row, v, style)
	if last >= first {
		w.check(w.f.SetCellFormula(w.sheet, xlsxCell(col, row), fmt.Sprintf("SUM(%s:%s)", xlsxCell(col, first), xlsxCell(col, last))))
	}
}

// banner writes a title row merged across cols columns.
func (w *xlsxSheet) banner(row, cols int, text string, style int, height float64) {
	w.text(1, row, text, style)
	w.check(w.f.MergeCell(w.sheet, xlsxCell(1, row), xlsxCell(cols, row)))
	w.check(w.f.SetRowHeight(w.sheet, row, height))
}

// header sets the column widths and writes the column titles into row
// row.
func (w *xlsxSheet) header(row int, titles []string, widths []float64, style int) {
	w.widths, w.lines = widths, map[int]int{}
	for i, t := range titles {
		w.text(i+1, row, t, style)
		col, _ := excelize.ColumnNumberToName(i + 1)
		w.check(w.f.SetColWidth(w.sheet, col, col, widths[i]))
	}
	w.check(w.f.SetRowHeight(w.sheet, row, rowHeight+2))
}

// printSetup prints the sheet on A4 in the given orientation, one page
// wide, repeats the header row on every page and keeps it in view.
func (w *xlsxSheet) printSetup(orientation string, headerRow int) {
	a4, wide, tall, fit := 9, 1, 0, true
	w.check(w.f.SetPageLayout(w.sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &tall}))
	w.check(w.f.SetSheetProps(w.sheet, &excelize.SheetPropsOptions{FitToPage: &fit}))
	w.check(w.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: w.sheet,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", w.sheet, headerRow, headerRow)}))
	w.check(w.f.SetPanes(w.sheet, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: xlsxCell(1, headerRow+1), ActivePane: "bottomLeft"}))
}

// hoursStyles are the cell styles of the workbook.
type hoursStyles struct {
	title, subtitle, head, text, center, hours, totalLabel, totalCount, totalHours, date int
}

func newHoursStyles(f *excelize.File) (hoursStyles, error) {
	font := func(size float64, bold bool) *excelize.Font {
		return &excelize.Font{Family: "宋体", Size: size, Bold: bold}
	}
	border := []excelize.Border{{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1}}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	left := &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}
	hours := hoursFormat
	date := "yyyy-mm-dd"
	var st hoursStyles
	var err error
	for _, s := range []struct {
		dst   *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: font(16, true), Alignment: center}},
		{&st.subtitle, excelize.Style{Font: font(11, false), Alignment: center}},
		{&st.head, excelize.Style{Font: font(11, true), Alignment: center, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}}}},
		{&st.text, excelize.Style{Font: font(11, false), Alignment: left, Border: border}},
		{&st.center, excelize.Style{Font: font(11, false), Alignment: center, Border: border}},
		{&st.hours, excelize.Style{Font: font(11, false), Alignment: center, Border: border, CustomNumFmt: &hours}},
		{&st.totalLabel, excelize.Style{Font: font(11, true), Alignment: center, Border: border}},
		{&st.totalCount, excelize.Style{Font: font(11, true), Alignment: center, Border: border}},
		{&st.totalHours, excelize.Style{Font: font(11, true), Alignment: center, Border: border, CustomNumFmt: &hours}},
		{&st.date, excelize.Style{Font: font(11, false), Alignment: center, Border: border, CustomNumFmt: &date}},
	} {
		if *s.dst, err = f.NewStyle(&s.style); err != nil {
			return st, err
		}
	}
	return st, nil
}

// hoursOf is minutes as hours.
func hoursOf(minutes int64) float64 { return float64(minutes) / 60 }

// writeHoursSheet fills 培训学时.
func writeHoursSheet(w *xlsxSheet, r HoursReport, st hoursStyles) {
	w.banner(1, 6, r.Unit+" 民警培训学时统计", st.title, 30)
	w.banner(2, 6, fmt.Sprintf("统计期间：%s 至 %s　　培训 %d 次", r.From, r.To, len(r.Trainings)), st.subtitle, 20)
	w.header(3, []string{"序号", "姓名", "警号", "部门", "参训次数", "学时"}, []float64{7, 16, 12, 30, 11, 11}, st.head)
	row := 4
	for i, o := range r.Rows {
		name := o.Name
		if !o.Active {
			name += "（已不在岗）"
		}
		w.set(1, row, i+1, st.center)
		w.text(2, row, name, st.text)
		w.text(3, row, o.PoliceNo, st.center)
		w.text(4, row, o.Department, st.text)
		w.set(5, row, o.Sessions, st.center)
		w.set(6, row, hoursOf(o.Minutes), st.hours)
		w.fitRow(row)
		row++
	}
	w.text(1, row, "合计", st.totalLabel)
	for col := 2; col <= 4; col++ {
		w.text(col, row, "", st.totalLabel)
	}
	w.check(w.f.MergeCell(w.sheet, xlsxCell(1, row), xlsxCell(4, row)))
	w.fitRow(row)
	w.sum(5, row, 4, row-1, float64(r.Sessions), st.totalCount)
	w.sum(6, row, 4, row-1, hoursOf(r.Minutes), st.totalHours)
	w.printSetup("portrait", 3)
}

// writeSessionsSheet fills 培训场次.
func writeSessionsSheet(w *xlsxSheet, r HoursReport, st hoursStyles) {
	w.banner(1, 7, fmt.Sprintf("%s 培训场次（%s 至 %s）", r.Unit, r.From, r.To), st.title, 30)
	w.header(2, []string{"日期", "形式", "主题", "授课人", "地点", "学时", "参训人数"}, []float64{13, 16, 34, 16, 24, 9, 11}, st.head)
	trainings := slices.Clone(r.Trainings)
	slices.Reverse(trainings) // oldest first
	row := 3
	var minutes int64
	var people int
	for _, t := range trainings {
		day, err := time.Parse(time.DateOnly, t.HeldOn)
		if err == nil {
			w.set(1, row, day, st.date)
		} else {
			w.text(1, row, t.HeldOn, st.center)
		}
		w.text(2, row, TrainingFormName(t.Training), st.center)
		w.text(3, row, TrainingTopicNames(t.Training), st.text)
		w.text(4, row, t.Trainer, st.text)
		w.text(5, row, t.Place, st.text)
		w.set(6, row, hoursOf(t.Minutes), st.hours)
		w.set(7, row, t.Attendees, st.center)
		minutes += t.Minutes
		people += t.Attendees
		w.fitRow(row)
		row++
	}
	w.text(1, row, "合计", st.totalLabel)
	for col := 2; col <= 5; col++ {
		w.text(col, row, "", st.totalLabel)
	}
	w.check(w.f.MergeCell(w.sheet, xlsxCell(1, row), xlsxCell(5, row)))
	w.fitRow(row)
	w.sum(6, row, 3, row-1, hoursOf(minutes), st.totalHours)
	w.sum(7, row, 3, row-1, float64(people), st.totalCount)
	w.printSetup("landscape", 2)
}

// hoursWorkbook builds the workbook of a report.
func hoursWorkbook(r HoursReport) (*excelize.File, error) {
	f := excelize.NewFile()
	st, err := newHoursStyles(f)
	if err == nil {
		err = f.SetSheetName(f.GetSheetName(0), HoursSheet)
	}
	if err == nil {
		_, err = f.NewSheet(SessionsSheet)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	hours := &xlsxSheet{f: f, sheet: HoursSheet}
	writeHoursSheet(hours, r, st)
	sessions := &xlsxSheet{f: f, sheet: SessionsSheet}
	writeSessionsSheet(sessions, r, st)
	full := true
	err = hours.err
	if err == nil {
		err = sessions.err
	}
	if err == nil {
		err = f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &full})
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	f.SetActiveSheet(0)
	return f, nil
}

// ExportHoursXLSX writes a hours report as an XLSX workbook to w (see the
// sheets above) and notes the export in the audit trail.
func (s *Session) ExportHoursXLSX(w io.Writer, r HoursReport) error {
	if err := s.checkActive(); err != nil {
		return err
	}
	f, err := hoursWorkbook(r)
	if err != nil {
		return fmt.Errorf("生成表格失败 / the workbook could not be made: %w", err)
	}
	defer f.Close()
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("写入表格失败，请换个位置再试 / writing the workbook failed: try another place: %w", err)
	}
	return s.audit("training.export", r.From+".."+r.To, fmt.Sprintf("%d人 %s学时", len(r.Rows), FormatHours(r.Minutes)))
}
