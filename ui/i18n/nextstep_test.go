package i18n

import (
	"strings"
	"testing"
)

// TestFailuresSayWhatToDo: these messages of a failure go on to say what
// to do next, in both languages.
func TestFailuresSayWhatToDo(t *testing.T) {
	zh, en := mustCatalogue(t, Chinese), mustCatalogue(t, English)
	for key, want := range map[string][2]string{
		"audit.broken":           {"立即报告宣传科", "report it to the publicity section"},
		"editor.autosave_failed": {"手动保存", "Save the draft by hand"},
		"recovery.save_failed":   {"换一个位置", "Choose another place"},
		"discard.confirm":        {"请点“取消”", "choose Cancel"},
	} {
		if !strings.Contains(zh[key], want[0]) {
			t.Errorf("zh %q = %q does not say what to do (%q)", key, zh[key], want[0])
		}
		if !strings.Contains(en[key], want[1]) {
			t.Errorf("en %q = %q does not say what to do (%q)", key, en[key], want[1])
		}
	}
}
