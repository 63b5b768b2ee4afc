package ui

import (
	"image"
	"image/color"
	_ "image/gif" // decoders for the image formats app.AttachImage takes
	_ "image/jpeg"
	_ "image/png"
	"io"

	"mediadesk/app"
)

// thumbPixels is the longest side of a thumbnail, in pixels.
const thumbPixels = 160

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
func thumbnail(r io.Reader) (image.Image, error) {
	img, _, err := image.Decode(r)
	if err != nil {
		return nil, err
	}
	return scaleDown(img, thumbPixels), nil
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
