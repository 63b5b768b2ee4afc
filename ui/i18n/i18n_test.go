package i18n

import (
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
)

// placeholder is the only template syntax the translations may use.
var placeholder = regexp.MustCompile(`\{\{\.([A-Za-z]+)\}\}`)

func mustCatalogue(t *testing.T, l Language) map[string]string {
	t.Helper()
	_, messages, err := catalogue(l)
	if err != nil {
		t.Fatal(err)
	}
	return messages
}

func placeholders(s string) []string {
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

func TestCataloguesMatch(t *testing.T) {
	zh, en := mustCatalogue(t, Chinese), mustCatalogue(t, English)
	for key := range zh {
		if _, ok := en[key]; !ok {
			t.Errorf("key %q is in zh.json but not in en.json", key)
		}
	}
	for key := range en {
		if _, ok := zh[key]; !ok {
			t.Errorf("key %q is in en.json but not in zh.json", key)
		}
	}
	for name, messages := range map[string]map[string]string{"zh": zh, "en": en} {
		for key, text := range messages {
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s.json: %q is empty", name, key)
			}
			if rest := placeholder.ReplaceAllString(text, ""); strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
				t.Errorf("%s.json: %q = %q: use only {{.Name}} placeholders", name, key, text)
			}
		}
	}
	for key, text := range zh {
		if en, ok := en[key]; ok && !slices.Equal(placeholders(text), placeholders(en)) {
			t.Errorf("%q: placeholders differ: zh %v, en %v", key, placeholders(text), placeholders(en))
		}
	}
}

func TestChineseIsChinese(t *testing.T) {
	han := regexp.MustCompile(`\p{Han}`)
	for key, text := range mustCatalogue(t, Chinese) {
		if !han.MatchString(text) && !strings.HasPrefix(key, "settings.language.") {
			t.Errorf("zh.json: %q = %q has no Chinese characters", key, text)
		}
	}
}

// TestFyneKeysCovered checks that every text Fyne translates itself is in our
// catalogues, so Fyne's dialogs follow the chosen language after an upgrade.
func TestFyneKeysCovered(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Fatalf("locating the Fyne module: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "lang", "translations", "base.en.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fyneTexts map[string]any
	if err := json.Unmarshal(data, &fyneTexts); err != nil {
		t.Fatal(err)
	}
	ours := mustCatalogue(t, Chinese)
	for _, key := range slices.Sorted(maps.Keys(fyneTexts)) {
		if _, ok := ours[key]; !ok {
			t.Errorf("Fyne's text %q is missing from our translations", key)
		}
	}
}

func TestUseRejectsUnknownLanguage(t *testing.T) {
	for _, l := range []Language{"fr", "zh-TW", "../en", "EN"} {
		if err := Use(l); err == nil {
			t.Errorf("Use(%q) succeeded, want an error", l)
		}
	}
}

// Environment of the child process that TestUseForcesLanguage runs.
const (
	childLanguage = "MEDIADESK_I18N_TEST_LANGUAGE" // the Language to Use; "default" for ""
	childBefore   = "MEDIADESK_I18N_TEST_BEFORE"   // what Fyne says for "Cancel" before Use
)

// TestUseForcesLanguage runs TestChildUse in a fresh process per case, because
// go-locale reads the locale environment and Fyne sets its localizer up once
// per process. Each case also states what Fyne shows before Use, proving the
// locale really took effect in the child.
func TestUseForcesLanguage(t *testing.T) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "android", "js":
		t.Skipf("go-locale does not read the locale from the environment on %s", runtime.GOOS)
	}
	cases := []struct {
		name   string
		env    []string
		use    string
		before string
	}{
		{"english locale, chinese chosen", localeEnv("en_US.UTF-8"), "zh", "Cancel"},
		{"chinese locale, english chosen", localeEnv("zh_CN.UTF-8"), "en", "取消"},
		{"english locale, english chosen", localeEnv("en_US.UTF-8"), "en", "Cancel"},
		{"chinese locale, chinese chosen", localeEnv("zh_CN.UTF-8"), "zh", "取消"},
		{"english locale, default", localeEnv("en_US.UTF-8"), "default", "Cancel"},
		{"french locale, chinese chosen", localeEnv("fr_FR.UTF-8"), "zh", "Annuler"},
		{"taiwan locale, english chosen", localeEnv("zh_TW.UTF-8"), "en", "取消"},
		// Fyne picks German here: en-GB is not an exact match for its "en".
		{"LANGUAGE list, chinese chosen", []string{"LANG=en_GB.UTF-8", "LANGUAGE=en_GB:de_DE:en"}, "zh", "Abbrechen"},
		{"C.UTF-8, chinese chosen", []string{"LANG=C.UTF-8"}, "zh", "Cancel"},
		{"no locale, chinese chosen", nil, "zh", "Cancel"},
		{"no locale, english chosen", nil, "en", "Cancel"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestChildUse$", "-test.count=1", "-test.v")
			cmd.Env = append(withoutLocale(os.Environ()), c.env...)
			cmd.Env = append(cmd.Env, childLanguage+"="+c.use, childBefore+"="+c.before)
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "--- PASS: TestChildUse") {
				t.Fatalf("child failed (%v):\n%s", err, out)
			}
		})
	}
}

// localeEnv sets every locale variable to loc, as a user's session would.
func localeEnv(loc string) []string {
	lang, _, _ := strings.Cut(loc, ".")
	return []string{"LANGUAGE=" + lang, "LC_ALL=" + loc, "LANG=" + loc}
}

func withoutLocale(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return name == "LANGUAGE" || name == "LANG" || strings.HasPrefix(name, "LC_")
	})
}

// TestChildUse is the child half of TestUseForcesLanguage; run on its own it
// is skipped.
func TestChildUse(t *testing.T) {
	use, ok := os.LookupEnv(childLanguage)
	if !ok {
		t.Skip("run by TestUseForcesLanguage")
	}
	if got, want := lang.L("Cancel"), os.Getenv(childBefore); got != want {
		t.Fatalf("before Use, Fyne shows %q for Cancel, want %q: the locale environment did not take effect", got, want)
	}

	l := Language(use)
	if use == "default" {
		l = ""
	}
	if err := Use(l); err != nil {
		t.Fatal(err)
	}

	want := Chinese
	if l == English {
		want = English
	}
	for key, text := range mustCatalogue(t, want) {
		data := map[string]any{}
		for _, name := range placeholders(text) {
			data[name] = "<" + name + ">"
		}
		expected := placeholder.ReplaceAllString(text, "<$1>")
		if got := L(key, data); got != expected {
			t.Errorf("L(%q) = %q, want %q", key, got, expected)
		}
	}
}
