package ui

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	_ "image/gif" // decoders for the image formats app.AttachImage takes
	_ "image/jpeg"
	_ "image/png"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// thumbPixels is the longest side of a thumbnail, in pixels.
const thumbPixels = 160

// maxDecodePixels is the largest picture, in pixels, decoded for a
// thumbnail: decoded it takes up to 8 bytes a pixel, 320 MB at this size.
// A small file can claim far more (a 30000×30000 PNG of a few MB).
const maxDecodePixels = 40_000_000

// errTooLarge is a picture of more than maxDecodePixels pixels.
var errTooLarge = errors.New("image too large to preview")

// loadThumbnail decodes attachment id and scales it down. It reads the
// whole image, so it runs off the UI goroutine.
func loadThumbnail(s *app.Session, id string) (image.Image, error) {
	r, err := s.OpenAttachment(id)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return thumbnail(r)
}

// thumbnail decodes a PNG, JPEG or GIF and scales it to fit thumbPixels.
// A picture of more than maxDecodePixels pixels, by its header, is not
// decoded: the error is errTooLarge.
func thumbnail(r io.Reader) (image.Image, error) {
	var head bytes.Buffer
	cfg, _, err := image.DecodeConfig(io.TeeReader(r, &head))
	if err != nil {
		return nil, err
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxDecodePixels {
		return nil, errTooLarge
	}
	img, _, err := image.Decode(io.MultiReader(&head, r))
	if err != nil {
		return nil, err
	}
	return scaleDown(img, thumbPixels), nil
}

// noThumb stands in for a thumbnail that could not be made (err): an
// image icon, with a note when the picture is too large to preview.
func noThumb(err error) fyne.CanvasObject {
	icon := widget.NewIcon(theme.FileImageIcon())
	if !errors.Is(err, errTooLarge) {
		return icon
	}
	note := widget.NewLabelWithStyle(i18n.L("editor.images.too_large"), fyne.TextAlignCenter, fyne.TextStyle{})
	note.SizeName = theme.SizeNameCaptionText
	note.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, note, nil, nil, icon)
}

// scaleDown shrinks img so that its longer side is at most size pixels,
// averaging up to 4×4 samples of each source block; a smaller image is
// returned as it is.
func scaleDown(img image.Image, size int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= size && h <= size || w == 0 || h == 0 {
		return img
	}
	tw, th := size, size
	if w > h {
		th = max(1, h*size/w)
	} else {
		tw = max(1, w*size/h)
	}
	out := image.NewNRGBA(image.Rect(0, 0, tw, th))
	for y := range th {
		y0, y1 := b.Min.Y+y*h/th, b.Min.Y+(y+1)*h/th
		for x := range tw {
			x0, x1 := b.Min.X+x*w/tw, b.Min.X+(x+1)*w/tw
			var r, g, bl, a, n uint32
			for sy := y0; sy < y1; sy += max(1, (y1-y0)/4) {
				for sx := x0; sx < x1; sx += max(1, (x1-x0)/4) {
					cr, cg, cb, ca := img.At(sx, sy).RGBA()
					r, g, bl, a, n = r+cr, g+cg, bl+cb, a+ca, n+1
				}
			}
			if n == 0 {
				continue
			}
			// Set turns the premultiplied average into NRGBA.
			c := color.RGBA64{R: uint16(r / n), G: uint16(g / n), B: uint16(bl / n), A: uint16(a / n)}
			out.Set(x, y, c)
		}
	}
	return out
}
