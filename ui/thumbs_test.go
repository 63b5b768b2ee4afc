package ui

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
)

// claimingPNG is a 1×1 PNG whose header claims w×h pixels.
func claimingPNG(t *testing.T, w, h uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	// The signature (8 bytes), then IHDR: length (4), type (4), width (4),
	// height (4), 5 more bytes, CRC of type and data (4).
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestThumbnailRefusesHugePicture(t *testing.T) {
	huge := claimingPNG(t, 8000, 8000) // 64 megapixels in a few bytes
	if cfg, err := png.DecodeConfig(bytes.NewReader(huge)); err != nil || cfg.Width != 8000 || cfg.Height != 8000 {
		t.Fatalf("crafted header: %+v %v", cfg, err)
	}
	if img, err := thumbnail(bytes.NewReader(huge)); !errors.Is(err, errTooLarge) || img != nil {
		t.Fatalf("a 64-megapixel picture gave %v, %v", img, err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 640, 320))); err != nil {
		t.Fatal(err)
	}
	img, err := thumbnail(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != thumbPixels || b.Dy() != thumbPixels/2 {
		t.Errorf("thumbnail size %v", b)
	}
}

// TestEditorHugeImagePlaceholder: a picture too large to decode gets a
// card that says so.
func TestEditorHugeImagePlaceholder(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	v := h.posts()
	e := h.newPost()
	path := filepath.Join(t.TempDir(), "huge.png")
	if err := os.WriteFile(path, claimingPNG(t, 30000, 30000), 0o600); err != nil {
		t.Fatal(err)
	}
	v.dropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(path)})
	h.r.settle(t)
	if len(e.images) != 1 || !labelWith(e.thumbs, "huge.png") {
		t.Fatalf("the picture was not attached: %v", e.images)
	}
	if !labelWith(e.thumbs, "图片过大，无法预览") {
		t.Error("the card does not say the picture is too large to preview")
	}
}
