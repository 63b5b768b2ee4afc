package app

import (
	"bytes"
	"os"
	"strings"
	"testing"

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
	var buf bytes.Buffer
	if err := c.hq.ExportAssessmentXLSX(&buf, a); err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("CIRCULAR_OUT"); out != "" { // to look at it: CIRCULAR_OUT=/tmp/c.xlsx
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
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
	if len(head) != 3+len(Indicators) || head[0] != "名次" || head[2] != "总分" || head[3] != "原创稿件\n（12分）" || head[18] != "整改逾期\n（2分）" {
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
