// Package icons holds the application icon and other bundled images, embedded
// into the binary so the app needs no files beside it.
//
// The icon is drawn for this project (no real police emblem): mediadesk.svg is
// the source; mediadesk.png is rendered from it with
//
//	convert -background none -density 384 icons/mediadesk.svg -resize 512x512 -depth 8 -strip icons/mediadesk.png
//
// Re-run that command after editing the SVG.
package icons

import _ "embed"

// AppIconPNG is the 512×512 PNG application icon, for the window and
// app icon (for example fyne.NewStaticResource("mediadesk.png", AppIconPNG))
// and for FyneApp.toml.
//
//go:embed mediadesk.png
var AppIconPNG []byte

// AppIconSVG is the SVG source of the application icon, for places that scale
// it (Fyne renders SVG resources at any size).
//
//go:embed mediadesk.svg
var AppIconSVG []byte
