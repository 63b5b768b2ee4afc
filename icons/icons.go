// Package icons holds the application icon. The window's icon and the
// screens' brand are embedded into the binary (Icon144PNG); the 512-pixel
// mediadesk.png and the SVG source are the packages' icons (FyneApp.toml,
// scripts/dist.sh).
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

// Icon144PNG is the icon at 144×144, for the window's icon and the
// 72-point brand of the login and lock screens (twice that on a
// high-density screen): a title bar or task bar shows at most 64 pixels,
// scaling this down is cheap, and the 512-pixel icon costs the first frame
// tens of milliseconds (decoding it, and on X11 sending its megabyte of
// pixels to the server).
//
//go:embed mediadesk-144.png
var Icon144PNG []byte
