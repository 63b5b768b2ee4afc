package ui

import (
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestSmokeCapture(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shot.png")

	// What Mesa's llvmpipe reads back on Xvfb: nothing.
	blank := image.NewRGBA(image.Rect(0, 0, 8, 8))
	if err := writePNG(path, blank); !errors.Is(err, errBlankCapture) {
		t.Fatalf("blank capture: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("a blank capture left a file")
	}

	// A window without an alpha channel, read back with alpha 0.
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = []uint8{200, 30, 30, 0}[i%4]
	}
	if err := writePNG(path, img); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if c := color.NRGBAModel.Convert(got.At(3, 3)).(color.NRGBA); c != (color.NRGBA{R: 200, G: 30, B: 30, A: 0xff}) {
		t.Errorf("pixel %v, want opaque red", c)
	}
}
