// Package icons holds the application icon and other bundled images, embedded
// into the binary so the app needs no files beside it.
//
// The icon is drawn for this project (no real police emblem): mediadesk.svg is
// the source; mediadesk.png is rendered from it with
//
//	convert -background none -density 384 icons/mediadesk.svg -resize 512x512 -depth 8 -strip icons/mediadesk.png
//	convert -background none -density 384 icons/mediadesk.svg -resize 144x144 -depth 8 -strip icons/mediadesk-144.png
//
// Re-run those commands after editing the SVG.
package icons

import _ "embed"

// AppIconPNG is the 512×512 PNG application icon, for the window and
// app icon (for example fyne.NewStaticResource("mediadesk.png", AppIconPNG))
// and for FyneApp.toml.
//
//go:embed mediadesk.png
var AppIconPNG []byte

// BrandPNG is the icon at 144×144, for the 72-point brand of the login
// and lock screens (twice that on a high-density screen): scaling it down
// is cheap, where the 512-pixel icon costs the first frame tens of
// milliseconds.
//
//go:embed mediadesk-144.png
var BrandPNG []byte

// AppIconSVG is the SVG source of the application icon, for places that scale
// it (Fyne renders SVG resources at any size).
//
//go:embed mediadesk.svg
var AppIconSVG []byte
