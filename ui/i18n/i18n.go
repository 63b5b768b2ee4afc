// Package i18n holds Media Desk's translations and chooses the language the
// user set, Chinese (the default) or English, whatever the computer's locale.
//
// The texts live in translations/zh/*.json and translations/en/*.json, one
// file per area of the app (base.json for the shell and the shared texts);
// a language's files are merged and a key may appear in only one. Keys are
// dotted English ("nav.home", "wizard.recovery.confirm"); both files must have
// the same keys and the same {{.Name}} placeholders (i18n_test.go checks it).
// Keys that are plain English words ("Cancel", "Select all", "monday.short")
// are Fyne's own widget strings, taken from Fyne's lang/translations (with
// the Chinese adjusted to the app's usage, e.g. "OK" is 确定) so that Fyne's
// dialogs, menus and calendar follow the chosen language too; the tests
// check that every key Fyne ships is covered, which matters after a Fyne upgrade.
//
// Screens look texts up with L, never with Fyne's lang package directly, so
// this package stays the one place that decides how a text is found.
//
// # Forcing the language
//
// Fyne's lang package (v2.7.1) has no way to pick a language: whenever
// translations are added it matches every registered language against the
// system locales (github.com/jeandeaual/go-locale) and localises with the best
// match, falling back to English. Use therefore registers the chosen
// language's texts under every tag the matcher can pick for this computer:
//
//   - each system locale, as the same go-locale call that Fyne uses reports
//     it (en-US on an English Windows, zh-CN on a Chinese one, ...). Exact
//     matches win over Fyne's built-in languages, so zh-CN chooses our
//     messages over Fyne's zh-Hans. All locales, not just the first: with
//     LANGUAGE=en_GB:de_DE:en Fyne picks German;
//   - "en", the language Fyne and go-i18n fall back to when no locale is set
//     (LANG=C.UTF-8, an empty environment), when a locale cannot be parsed,
//     and for any text missing from the matched language.
//
// Use then looks every text up through lang and returns an error if any comes
// back in another language, so a Fyne change that defeats the trick shows up
// at start-up and in the tests rather than as a half-translated window.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/jeandeaual/go-locale"
	"golang.org/x/text/language"
)

// Language is a language the app is translated into. Its values are stable
// strings, suitable for storing in the settings.
type Language string

// The languages. The empty Language means Chinese, the default.
const (
	// Chinese (Simplified), the default.
	Chinese Language = "zh"
	// English, the second language.
	English Language = "en"
)

//go:embed translations/zh/*.json translations/en/*.json
var translations embed.FS

// fallbackTag is the language Fyne's and go-i18n's lookups fall back to.
const fallbackTag = "en"

// Use makes l the language of every text looked up with L and of Fyne's own
// widget texts, whatever the system locale. Call it once at start-up, before
// building any window: texts already on screen do not change, so a language
// chosen in the settings takes effect at the next start. An error means some
// texts may show in another language; log it and carry on.
func Use(l Language) error {
	if l == "" {
		l = Chinese
	}
	data, messages, err := catalogue(l)
	if err != nil {
		return err
	}

	tags, err := targetTags()
	// Registering under a tag can fail for an odd system locale (go-i18n
	// knows no plural rules for it); that tag then is not registered with
	// Fyne either, so it cannot be picked and only the check below matters.
	for _, tag := range tags {
		if addErr := lang.AddTranslationsForLocale(data, fyne.Locale(tag)); addErr != nil {
			err = errors.Join(err, addErr)
		}
	}

	for key, want := range messages {
		if strings.Contains(want, "{{") {
			continue // needs data; the plain texts are enough to prove the language
		}
		if got := lang.L(key); got != want {
			return errors.Join(fmt.Errorf("i18n: language %q is not in effect (locale tags %v): %q gives %q, want %q",
				l, tags, key, got, want), err)
		}
	}
	return nil
}

// L returns the text for key in the language chosen with Use. Texts with
// placeholders take their values from data[0], a map or a struct with
// exported fields:
//
//	i18n.L("status.user", map[string]any{"Name": name})
//
// An unknown key is returned as it is (and Fyne logs it).
func L(key string, data ...any) string {
	return lang.L(key, data...)
}

// catalogue returns the raw JSON of language l and its decoded texts.
func catalogue(l Language) ([]byte, map[string]string, error) {
	if l != Chinese && l != English {
		return nil, nil, fmt.Errorf("i18n: unknown language %q (want %q or %q)", l, Chinese, English)
	}
	dir := "translations/" + string(l)
	files, err := fs.Glob(translations, dir+"/*.json")
	if err != nil || len(files) == 0 {
		return nil, nil, fmt.Errorf("i18n: no texts for %q: %v", l, err)
	}
	messages := map[string]string{}
	for _, name := range files { // fs.Glob returns them sorted
		raw, err := translations.ReadFile(name)
		if err != nil {
			return nil, nil, fmt.Errorf("i18n: %w", err)
		}
		var part map[string]string
		if err := json.Unmarshal(raw, &part); err != nil {
			return nil, nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		for key, text := range part {
			if _, dup := messages[key]; dup {
				return nil, nil, fmt.Errorf("i18n: %s: key %q is already in another file of %s", name, key, dir)
			}
			messages[key] = text
		}
	}
	data, err := json.Marshal(messages)
	if err != nil {
		return nil, nil, fmt.Errorf("i18n: %w", err)
	}
	return data, messages, nil
}

// targetTags returns the language tags Fyne may pick on this computer: the
// fallback and each system locale, parsed the way Fyne parses them. The error
// reports a failure to read the system locales; the fallback is still
// returned, and it is what Fyne then uses.
func targetTags() ([]string, error) {
	tags := []string{fallbackTag}
	locales, err := locale.GetLocales()
	if err != nil {
		return tags, fmt.Errorf("i18n: reading the system locales: %w", err)
	}
	for _, loc := range locales {
		// Like Fyne, keep whatever Parse recognised even when it reports an
		// error; a tag it cannot read at all (und) makes Fyne use the fallback.
		tag, _ := language.Parse(loc)
		if tag == language.Und {
			continue
		}
		if s := tag.String(); !slices.Contains(tags, s) {
			tags = append(tags, s)
		}
	}
	return tags, nil
}
