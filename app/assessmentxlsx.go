package app

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// The assessment circular (考核通报) as an XLSX workbook, which HQ sends
// round the stations (Art. 10, 28). Two sheets:
//
//   - 考核通报: the title (“<county bureau>新媒体工作绩效考核通报（2026年11月）”),
//     the period and scheme, the table 名次 单位 总分 and each indicator's
//     points (its weight in the header), then the summary: how many units,
//     the average, the top and the bottom (or that all scored the same),
//     and notes that say how each indicator was scored;
//   - 指标数值: the same units with each indicator's value.
//
// Numbers are written rounded to hundredths in the General format, so 12
// shows as 12 and 73.43 as 73.43. Rows are at most 409 points high, the
// most a workbook allows. Both sheets print on A4 landscape, one page
// wide, with the header row repeated on every page (the cell helpers and
// print setup are the training workbook's, trainingxlsx.go).

// Sheet names of the circular.
const (
	CircularSheet = "考核通报"
	ValuesSheet   = "指标数值"
)

// circularHeaderRow is the row of the circular's column titles.
const circularHeaderRow = 3

// CircularTitle is the circular's title: HQ's unit name without a
// trailing 宣传科 (the bureau speaks), and the period.
func CircularTitle(hqName string, p Period) string {
	bureau := strings.TrimSuffix(strings.TrimSpace(hqName), "宣传科")
	return fmt.Sprintf("%s新媒体工作绩效考核通报（%s）", bureau, p.Label())
}

// ruleText says in Chinese how r scores its indicator, for the notes.
func ruleText(r IndicatorRule) string {
	w := formatNumber(r.Weight)
	switch r.Rule {
	case RuleTarget:
		return fmt.Sprintf("%s（%s分）：达到 %s 得满分，未达到按比例计分", r.Indicator.Name(), w, formatNumber(r.Target))
	case RuleDeduct:
		return fmt.Sprintf("%s（%s分）：每次（天）扣 %s 分，最多扣 %s 分", r.Indicator.Name(), w, formatNumber(r.Per), formatNumber(r.Cap))
	}
	return fmt.Sprintf("%s（%s分）：按与最高单位的比值计分", r.Indicator.Name(), w)
}

// dateLabel is a day as 2026年11月1日.
func dateLabel(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

// circularWorkbook builds the workbook of assessment a for HQ unit hqName.
func circularWorkbook(a Assessment, hqName string) (*excelize.File, error) {
	f := excelize.NewFile()
	st, err := newHoursStyles(f)
	var summary int
	if err == nil {
		summary, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 11},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}})
	}
	if err == nil {
		err = f.SetSheetName(f.GetSheetName(0), CircularSheet)
	}
	if err == nil {
		_, err = f.NewSheet(ValuesSheet)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	rules := a.Scheme.Definition.Indicators
	cols := 3 + len(rules)
	titles := []string{"名次", "单位", "总分"}
	widths := []float64{7, 18, 9}
	for _, r := range rules {
		titles = append(titles, fmt.Sprintf("%s\n（%s分）", r.Indicator.Name(), formatNumber(r.Weight)))
		widths = append(widths, 10)
	}

	w := &xlsxSheet{f: f, sheet: CircularSheet}
	w.banner(1, cols, CircularTitle(hqName, a.Period), st.title, 32)
	w.banner(2, cols, fmt.Sprintf("考核周期：%s至%s　　考核方案：第%d版　　参评单位：%d个　　计算时间：%s",
		dateLabel(a.Period.Start), dateLabel(a.Period.End.AddDate(0, 0, -1)), a.Scheme.Number, len(a.Units),
		a.At.Format("2006-01-02 15:04")), st.subtitle, 22)
	w.header(circularHeaderRow, titles, widths, st.head)
	w.check(f.SetRowHeight(CircularSheet, circularHeaderRow, 2*lineHeight+8)) // name, then weight
	row := circularHeaderRow + 1
	for _, u := range a.Units {
		w.set(1, row, u.Rank, st.center)
		w.text(2, row, u.Name, st.text)
		w.set(3, row, u.Total, st.totalCount)
		for i, r := range rules {
			w.set(4+i, row, u.Points[r.Indicator], st.center)
		}
		w.fitRow(row)
		row++
	}
	lines := summaryLines(a)
	row++
	total := 0.0
	for _, wd := range widths {
		total += wd
	}
	for _, line := range lines {
		w.text(1, row, line, summary)
		w.check(f.MergeCell(CircularSheet, xlsxCell(1, row), xlsxCell(cols, row)))
		n := max(1, int(textWidth(line)/(total-2))+1)
		w.check(f.SetRowHeight(CircularSheet, row, linesHeight(n)))
		row++
	}
	w.printSetup("landscape", circularHeaderRow)

	v := &xlsxSheet{f: f, sheet: ValuesSheet}
	v.banner(1, cols-1, a.Period.Label()+" 各单位考核指标数值", st.title, 30)
	vTitles := []string{"名次", "单位"}
	vWidths := []float64{7, 18}
	for _, r := range rules {
		vTitles = append(vTitles, r.Indicator.Name())
		vWidths = append(vWidths, 11)
	}
	v.header(2, vTitles, vWidths, st.head)
	v.fitRow(2)
	for i, u := range a.Units {
		v.set(1, 3+i, u.Rank, st.center)
		v.text(2, 3+i, u.Name, st.text)
		for j, r := range rules {
			v.set(3+j, 3+i, round2(u.Values[r.Indicator]), st.center)
		}
		v.fitRow(3 + i)
	}
	v.printSetup("landscape", 2)
	if err := w.err; err != nil {
		f.Close()
		return nil, err
	}
	if err := v.err; err != nil {
		f.Close()
		return nil, err
	}
	f.SetActiveSheet(0)
	return f, nil
}

// summaryLines are the circular's summary: the overall picture, the top
// and the bottom (when every unit has the same score, one line saying so
// instead of every name under both), and how each indicator was scored.
func summaryLines(a Assessment) []string {
	lines := []string{"一、总体情况"}
	if len(a.Units) == 0 {
		return append(lines, "本期没有参评单位。")
	}
	first, last := a.Units[0], a.Units[len(a.Units)-1]
	if len(a.Units) > 1 && last.Rank == first.Rank {
		lines = append(lines, fmt.Sprintf("本期共 %d 个单位参加考核，全部单位得分相同，均为 %s 分，名次并列第一。",
			len(a.Units), formatNumber(first.Total)))
	} else {
		lines = append(lines, fmt.Sprintf("本期共 %d 个单位参加考核，平均得分 %s 分；最高分 %s（%s 分），最低分 %s（%s 分）。",
			len(a.Units), formatNumber(a.Average()), unitsWith(a, first.Total), formatNumber(first.Total),
			unitsWith(a, last.Total), formatNumber(last.Total)))
	}
	lines = append(lines, "二、计分说明")
	for i, r := range a.Scheme.Definition.Indicators {
		lines = append(lines, fmt.Sprintf("%d. %s。", i+1, ruleText(r)))
	}
	return append(lines, "总分为各项得分之和，得分相同的单位名次并列。各项数值见“"+ValuesSheet+"”工作表。")
}

// unitsWith names the units whose total is score, joined with 、.
func unitsWith(a Assessment, score float64) string {
	var names []string
	for _, u := range a.Units {
		if u.Total == score {
			names = append(names, u.Name)
		}
	}
	return strings.Join(names, "、")
}

// ExportAssessmentXLSX (HQ) writes the circular of assessment a as an XLSX
// workbook to w (see the sheets above) and notes it in the audit trail.
func (s *Session) ExportAssessmentXLSX(w io.Writer, a Assessment) error {
	if err := s.requireHQStaff(); err != nil {
		return err
	}
	f, err := circularWorkbook(a, s.unit.Name)
	if err != nil {
		return fmt.Errorf("生成通报失败 / the circular could not be made: %w", err)
	}
	defer f.Close()
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("写入通报失败，请换个位置再试 / writing the circular failed: try another place: %w", err)
	}
	return s.audit("assessment.export", a.Period.Key, fmt.Sprintf("%d个单位", len(a.Units)))
}
