package ui

import (
	"strings"
	"testing"
	"time"
)

func TestRecoverySheets(t *testing.T) {
	h := newHarness(t, testConfig(t))
	v := newRecoveryKeyView(h.d, "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567", "城关<派出所>", "完成", func() {})
	now := time.Date(2026, 11, 25, 9, 30, 0, 0, time.Local)
	text := v.text(now)
	for _, want := range []string{"ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567", "单位：城关<派出所>", "生成时间：2026-11-25 09:30", "只显示这一次"} {
		if !strings.Contains(text, want) {
			t.Errorf("text sheet lacks %q:\n%s", want, text)
		}
	}
	page := v.page(now)
	if !strings.Contains(page, "单位：城关&lt;派出所&gt;") || strings.Contains(page, "<派出所>") {
		t.Errorf("print page does not escape the unit name:\n%s", page)
	}
	if !strings.Contains(page, "<code>ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567</code>") {
		t.Errorf("print page lacks the key:\n%s", page)
	}
}
