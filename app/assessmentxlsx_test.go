package app

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// TestCircularReadBack writes October's circular of the small county and
// reads it back: the title, the header, one row per unit with its rank,
// name, total and points, the summary, and the values sheet.
func TestCircularReadBack(t *testing.T) {
	c, rated := smallCounty(t)
	for i, r := range []int{4, 5, 3} {
		if err := c.hq.RatePost(rated[i], r, ""); err != nil {
			t.Fatal(err)
		}
	}
	a, err := c.hq.Compute("2026-10")
	if err != nil {
		t.Fatal(err)
	}
	f := exportCircular(t, c.hq, a)
	rows, err := f.GetRows(CircularSheet)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "汤阴县公安局新媒体工作绩效考核通报（2026年10月）" {
		t.Errorf("title %q", rows[0][0])
	}
	if !strings.Contains(rows[1][0], "2026年10月1日至2026年10月31日") || !strings.Contains(rows[1][0], "第1版") {
		t.Errorf("subtitle %q", rows[1][0])
	}
	head := rows[2]
	if len(head) != 3+len(DefaultScheme().Indicators) || head[0] != "名次" || head[2] != "总分" || head[3] != "原创稿件\n（12分）" || head[18] != "整改逾期\n（2分）" {
		t.Errorf("header %q", head)
	}
	want := [][]string{
		{"1", "派出所st1", "73.43", "12", "4", "2.5"},
		{"2", "派出所st2", "72.37", "6", "8", "6"},
		{"3", "派出所st3", "18.73", "0", "0", "0"},
	}
	for i, w := range want {
		if got := rows[3+i][:6]; strings.Join(got, " ") != strings.Join(w, " ") {
			t.Errorf("row %d: %q, want %q", 4+i, got, w)
		}
	}
	text := ""
	for _, r := range rows[6:] {
		text += strings.Join(r, "") + "\n"
	}
	for _, s := range []string{"共 3 个单位", "平均得分 54.84 分", "最高分 派出所st1（73.43 分）", "最低分 派出所st3（18.73 分）",
		"僵尸天数（4分）：每次（天）扣 0.2 分，最多扣 4 分", "发文频次（6分）：达到 5 得满分"} {
		if !strings.Contains(text, s) {
			t.Errorf("summary lacks %q:\n%s", s, text)
		}
	}
	values, err := f.GetRows(ValuesSheet)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(values[2][:9], " "); got != "1 派出所st1 4 10 10 1200 200 0.9 7" {
		t.Errorf("values of st1: %q", got)
	}
	if layout, err := f.GetPageLayout(CircularSheet); err != nil || *layout.Orientation != "landscape" || *layout.FitToWidth != 1 {
		t.Errorf("page layout %+v %v", layout, err)
	}
}

// tiedCircular is an assessment of October with n units whose names are
// 27 characters long, all on score except the last, which has last.
func tiedCircular(t *testing.T, hq *Session, n int, score, last float64) Assessment {
	t.Helper()
	p, err := ParsePeriod("2026-10", time.Local)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := hq.ActiveScheme()
	if err != nil {
		t.Fatal(err)
	}
	a := Assessment{Period: p, Scheme: sc, At: hq.cfg.now()}
	for i := range n {
		name := fmt.Sprintf("汤阴县公安局城关镇第%03d号社区警务服务工作站联络小组", i+1)
		if utf8.RuneCountInString(name) != 27 {
			t.Fatalf("%q is not 27 characters long", name)
		}
		u := UnitScore{Unit: fmt.Sprintf("st%d", i+1), Name: name, Values: map[Indicator]float64{}, Points: map[Indicator]float64{},
			Total: score, Rank: 1}
		if i == n-1 && last != score {
			u.Total, u.Rank = last, n
		}
		a.Units = append(a.Units, u)
	}
	return a
}

// exportCircular exports a's circular and opens it (CIRCULAR_OUT=/tmp/c.xlsx
// also writes it there, to look at).
func exportCircular(t *testing.T, hq *Session, a Assessment) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := hq.ExportAssessmentXLSX(&buf, a); err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("CIRCULAR_OUT"); out != "" {
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// circularSummary exports a and returns the text of its summary rows and
// the highest row of the circular sheet.
func circularSummary(t *testing.T, hq *Session, a Assessment) (string, float64) {
	t.Helper()
	f := exportCircular(t, hq, a)
	rows, err := f.GetRows(CircularSheet)
	if err != nil {
		t.Fatal(err)
	}
	text, highest := "", 0.0
	for i, r := range rows {
		if i > circularHeaderRow+len(a.Units) {
			text += strings.Join(r, "") + "\n"
		}
		h, err := f.GetRowHeight(CircularSheet, i+1)
		if err != nil {
			t.Fatal(err)
		}
		highest = max(highest, h)
	}
	return text, highest
}

// TestCircularAllTied: 60 units with 27-character names, all on 18 points,
// make one line saying they all scored the same, not every name under both
// 最高分 and 最低分 (a row too high for a workbook: the export failed).
func TestCircularAllTied(t *testing.T) {
	hq := newHQ(t)
	text, highest := circularSummary(t, hq, tiedCircular(t, hq, 60, 18, 18))
	if !strings.Contains(text, "本期共 60 个单位参加考核，全部单位得分相同，均为 18 分") || strings.Contains(text, "最高分") ||
		strings.Contains(text, "最低分") || strings.Contains(text, "第001号") {
		t.Errorf("summary:\n%s", text)
	}
	if highest > excelize.MaxRowHeight {
		t.Errorf("a row of %v points", highest)
	}
}

// TestCircularRowHeightCap: 200 units with long names, all but one tied
// at the top, list 199 names under 最高分: the row is held at 409 points,
// the most a workbook allows, and the export succeeds.
func TestCircularRowHeightCap(t *testing.T) {
	hq := newHQ(t)
	text, highest := circularSummary(t, hq, tiedCircular(t, hq, 200, 18, 12))
	if !strings.Contains(text, "最高分 汤阴县公安局城关镇第001号") || !strings.Contains(text, "最低分 汤阴县公安局城关镇第200号社区警务服务工作站联络小组（12 分）") {
		t.Errorf("summary:\n%.300s", text)
	}
	if highest != excelize.MaxRowHeight {
		t.Errorf("the highest row has %v points, want %d", highest, excelize.MaxRowHeight)
	}
}
