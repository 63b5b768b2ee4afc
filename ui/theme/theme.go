// Package theme is Media Desk's Fyne theme: Fyne's standard look with a
// police-blue primary colour, a light/dark/system appearance setting, and an
// embedded CJK font so Chinese renders on a computer with no Chinese fonts.
//
// The embedded font is Droid Sans Fallback (Apache-2.0, see fonts/README.md).
// It is used for regular, bold, italic and monospace text. It has CJK glyphs
// but almost no Latin ones, and Fyne falls back per character to its own
// fonts of the same style, so Latin letters and digits still come from Fyne's
// regular, bold, italic or monospace fonts while Chinese comes from this one.
// Fyne's monospace font has no CJK glyphs, which is why monospace text uses
// the CJK font too. Chinese text has no bold or italic face: it renders
// regular in every style. Fyne parses a font once for each style it is
// asked for (7.3 MB allocated and 4 ms of CPU each time for this one, whose
// outlines are CFF and whose unreachable glyphs were dropped for that
// reason: see fonts/README.md), so the screens use regular and bold text
// only, and monospace just for recovery keys.
//
// Install it once at start-up:
//
//	a.Settings().SetTheme(theme.New(theme.System))
package theme

import (
	_ "embed"
	"image/color"

	"fyne.io/fyne/v2"
	fynetheme "fyne.io/fyne/v2/theme"
)

// Variant is the appearance the user chose in the settings (外观).
// Its values are stable strings, suitable for storing in the settings.
type Variant string

// The appearances. Any other value behaves like System.
const (
	// System follows the operating system's light or dark mode (跟随系统).
	System Variant = "system"
	// Light is always the light appearance (浅色).
	Light Variant = "light"
	// Dark is always the dark appearance (深色).
	Dark Variant = "dark"
)

//go:embed fonts/DroidSansFallbackFull.otf
var cjkFontData []byte

var cjkFont = fyne.NewStaticResource("DroidSansFallbackFull.otf", cjkFontData)

// Police blue. The dark appearance uses lighter shades so the colour keeps
// its contrast against the dark background; theme_test.go checks the ratios.
var (
	primaryLight   = color.NRGBA{R: 0x1a, G: 0x4e, B: 0x9c, A: 0xff}
	primaryDark    = color.NRGBA{R: 0x34, G: 0x73, B: 0xd1, A: 0xff}
	hyperlinkLight = primaryLight
	hyperlinkDark  = color.NRGBA{R: 0x6f, G: 0xa3, B: 0xf0, A: 0xff}
	onPrimary      = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
)

// Fyne's alpha for the focus and selection tints of its primary colour.
const (
	focusAlpha     = 0x2a
	selectionAlpha = 0x40
)

// New returns the Media Desk theme in the given appearance.
func New(v Variant) fyne.Theme {
	return &mediaTheme{variant: v}
}

type mediaTheme struct {
	variant Variant
}

// Color returns Fyne's standard colours for the chosen appearance, with the
// primary, focus, selection and hyperlink colours in police blue.
func (t *mediaTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch t.variant {
	case Light:
		v = fynetheme.VariantLight
	case Dark:
		v = fynetheme.VariantDark
	}

	primary, hyperlink := primaryLight, hyperlinkLight
	if v == fynetheme.VariantDark {
		primary, hyperlink = primaryDark, hyperlinkDark
	}

	switch n {
	case fynetheme.ColorNamePrimary:
		return primary
	case fynetheme.ColorNameHyperlink:
		return hyperlink
	case fynetheme.ColorNameForegroundOnPrimary:
		return onPrimary
	case fynetheme.ColorNameFocus:
		return withAlpha(primary, focusAlpha)
	case fynetheme.ColorNameSelection:
		return withAlpha(primary, selectionAlpha)
	}
	return fynetheme.DefaultTheme().Color(n, v)
}

// Font returns the embedded CJK font for every text style except symbols.
func (t *mediaTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Symbol {
		return fynetheme.DefaultTheme().Font(s)
	}
	return cjkFont
}

// Icon returns Fyne's standard icons.
func (t *mediaTheme) Icon(n fyne.ThemeIconName) fyne.Resource {
	return fynetheme.DefaultTheme().Icon(n)
}

// Size returns Fyne's standard sizes.
func (t *mediaTheme) Size(n fyne.ThemeSizeName) float32 {
	return fynetheme.DefaultTheme().Size(n)
}

func withAlpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}
