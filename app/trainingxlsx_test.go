package app

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestHoursRowHeightCap: a cell that wraps into more lines than a row can
// hold gets the highest row a workbook allows (409 points), not an error.
func TestHoursRowHeightCap(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	w := &xlsxSheet{f: f, sheet: f.GetSheetName(0), widths: []float64{30}, lines: map[int]int{}}
	w.text(1, 1, strings.Repeat("培训主题", 200), 0)
	w.fitRow(1)
	w.text(1, 2, "政治素质", 0)
	w.fitRow(2)
	if w.err != nil {
		t.Fatal(w.err)
	}
	for row, want := range map[int]float64{1: excelize.MaxRowHeight, 2: lineHeight + 6} {
		if h, err := f.GetRowHeight(w.sheet, row); err != nil || h != want {
			t.Errorf("row %d: %v points, want %v (%v)", row, h, want, err)
		}
	}
}
