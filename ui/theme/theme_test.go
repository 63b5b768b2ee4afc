package theme

import (
	"bytes"
	"encoding/json"
	"image/color"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	fynetheme "fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/font"
)

func TestFontIsCJKForText(t *testing.T) {
	th := New(System)
	for _, s := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Bold: true, Italic: true}, {Monospace: true}} {
		if got := th.Font(s); !bytes.Equal(got.Content(), cjkFontData) {
			t.Errorf("Font(%+v) = %s, want the embedded CJK font", s, got.Name())
		}
	}
	sym := fyne.TextStyle{Symbol: true}
	if got := th.Font(sym); got != fynetheme.DefaultTheme().Font(sym) {
		t.Errorf("Font(Symbol) = %s, want Fyne's symbol font", got.Name())
	}
}

// TestFontCoversChinese checks, the way Fyne's renderer does (the theme's
// font first, then Fyne's own font of the style), that every character of the
// Chinese translation has a glyph, so none depends on the computer's fonts.
func TestFontCoversChinese(t *testing.T) {
	var faces []*font.Face
	for _, res := range []fyne.Resource{New(System).Font(fyne.TextStyle{}), fynetheme.DefaultTextFont()} {
		face, err := font.ParseTTF(bytes.NewReader(res.Content()))
		if err != nil {
			t.Fatalf("font %s does not load: %v", res.Name(), err)
		}
		faces = append(faces, face)
	}
	files, err := filepath.Glob("../i18n/translations/zh/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Chinese translation files: %v", err)
	}
	texts := map[string]string{}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var part map[string]string
		if err := json.Unmarshal(data, &part); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		maps.Copy(texts, part)
	}
	han := 0
	for key, text := range texts {
		for _, r := range text {
			if unicode.Is(unicode.Han, r) {
				han++
			}
			if !slices.ContainsFunc(faces, func(f *font.Face) bool { _, ok := f.NominalGlyph(r); return ok }) {
				t.Errorf("no glyph for %q (U+%04X) in %q", r, r, key)
			}
		}
	}
	if han < 100 {
		t.Fatalf("only %d Chinese characters checked; are these the Chinese translation?", han)
	}
}

// TestFontCoversUnifiedIdeographs: the embedded font keeps every
// character of the original's CJK blocks (fonts/README.md: only glyphs no
// character reaches were dropped), so rare name characters still render:
// all of CJK Unified Ideographs to U+9FA5, Extension A to U+4DB5, kana,
// CJK punctuation and full-width forms.
func TestFontCoversUnifiedIdeographs(t *testing.T) {
	face, err := font.ParseTTF(bytes.NewReader(cjkFontData))
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for _, block := range [][2]rune{{0x4E00, 0x9FA5}, {0x3400, 0x4DB5}, {0x3041, 0x3094}, {0x30A1, 0x30F6}, {0x3000, 0x3003}, {0xFF01, 0xFF5E}} {
		for r := block[0]; r <= block[1]; r++ {
			if _, ok := face.NominalGlyph(r); !ok {
				if missing++; missing <= 10 {
					t.Errorf("no glyph for %q (U+%04X)", r, r)
				}
			}
		}
	}
	if missing > 0 {
		t.Fatalf("%d characters missing", missing)
	}
}

func TestVariant(t *testing.T) {
	test.NewTempApp(t)
	light := fynetheme.DefaultTheme().Color(fynetheme.ColorNameBackground, fynetheme.VariantLight)
	dark := fynetheme.DefaultTheme().Color(fynetheme.ColorNameBackground, fynetheme.VariantDark)
	cases := []struct {
		v    Variant
		os   fyne.ThemeVariant
		want color.Color
		why  string
	}{
		{Light, fynetheme.VariantDark, light, "light despite a dark OS"},
		{Light, fynetheme.VariantLight, light, "light on a light OS"},
		{Dark, fynetheme.VariantLight, dark, "dark despite a light OS"},
		{Dark, fynetheme.VariantDark, dark, "dark on a dark OS"},
		{System, fynetheme.VariantLight, light, "follows a light OS"},
		{System, fynetheme.VariantDark, dark, "follows a dark OS"},
		{"", fynetheme.VariantDark, dark, "unknown follows the OS"},
	}
	for _, c := range cases {
		if got := New(c.v).Color(fynetheme.ColorNameBackground, c.os); got != c.want {
			t.Errorf("New(%q) with OS variant %d: background %v, want %v (%s)", c.v, c.os, got, c.want, c.why)
		}
	}
	if got := New(Dark).Color(fynetheme.ColorNamePrimary, fynetheme.VariantLight); got != primaryDark {
		t.Errorf("New(Dark) primary = %v, want %v", got, primaryDark)
	}
}

// TestContrast keeps the police blue readable (WCAG 2 ratios): text on
// primary buttons and links at least 4.5:1, the primary colour against the
// background at least 3:1, in both appearances.
func TestContrast(t *testing.T) {
	test.NewTempApp(t)
	for _, v := range []fyne.ThemeVariant{fynetheme.VariantLight, fynetheme.VariantDark} {
		th := New(System)
		bg := th.Color(fynetheme.ColorNameBackground, v)
		primary := th.Color(fynetheme.ColorNamePrimary, v)
		checks := []struct {
			what    string
			a, b    color.Color
			atLeast float64
		}{
			{"text on primary", th.Color(fynetheme.ColorNameForegroundOnPrimary, v), primary, 4.5},
			{"hyperlink on background", th.Color(fynetheme.ColorNameHyperlink, v), bg, 4.5},
			{"primary on background", primary, bg, 3},
		}
		for _, c := range checks {
			if r := contrast(c.a, c.b); r < c.atLeast {
				t.Errorf("variant %d: %s contrast %.2f, want at least %.1f", v, c.what, r, c.atLeast)
			}
		}
	}
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := color.NRGBAModel.Convert(c).RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}
