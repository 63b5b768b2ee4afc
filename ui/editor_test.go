package ui

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"mediadesk/app"
)

// writePNGFile writes a w×h PNG to dir/name and returns its URI.
func writePNGFile(t *testing.T, dir, name string, w, h int) fyne.URI {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return storage.NewFileURI(path)
}

func TestEditorImagesDropped(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	v := h.posts()
	dir := t.TempDir()

	// Without an open editor a drop does nothing.
	v.dropped(fyne.Position{}, []fyne.URI{writePNGFile(t, dir, "a.png", 8, 8)})
	h.r.settle(t)

	e := h.newPost()
	v.dropped(fyne.Position{}, []fyne.URI{writePNGFile(t, dir, "photo.png", 640, 320)})
	h.r.settle(t)
	if len(e.images) != 1 || len(e.thumbs.Objects) != 1 || !e.dirty {
		t.Fatalf("dropped image not attached: %v, %d cards", e.images, len(e.thumbs.Objects))
	}
	if !labelWith(e.thumbs, "photo.png") {
		t.Error("the card does not name the file")
	}

	// A file that is no image is refused at the images field.
	text := filepath.Join(dir, "notes.png")
	if err := os.WriteFile(text, []byte("not an image at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	v.dropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(text)})
	h.r.settle(t)
	wantMessage(t, "not an image", e.imagesField.msg, "不是 PNG、JPEG 或 GIF 图片")
	if len(e.images) != 1 {
		t.Fatal("a refused file was added")
	}

	// The images are saved with the draft and come back with it.
	h.typeDraft(e, "图片稿件", "现场照片一张。")
	test.Tap(e.saveBtn)
	h.r.settle(t)
	pd, err := h.d.session.Post(e.id)
	if err != nil || len(pd.Post.Images) != 1 {
		t.Fatalf("saved images %v (%v)", pd.Post.Images, err)
	}
	test.Tap(button(t, e.thumbs, "移除"))
	if len(e.images) != 0 || len(e.thumbs.Objects) != 0 || !e.dirty {
		t.Fatal("移除 did not remove the image")
	}
}

func TestScaleDown(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 800, 400))
	for y := range 400 {
		for x := range 800 {
			src.SetNRGBA(x, y, color.NRGBA{R: 200, A: 0xff})
		}
	}
	out := scaleDown(src, thumbPixels)
	if b := out.Bounds(); b.Dx() != thumbPixels || b.Dy() != thumbPixels/2 {
		t.Fatalf("size %v", b)
	}
	if c := color.NRGBAModel.Convert(out.At(10, 10)).(color.NRGBA); c.R != 200 || c.A != 0xff {
		t.Errorf("colour %v", c)
	}
	small := image.NewNRGBA(image.Rect(0, 0, 10, 10))
	if scaleDown(small, thumbPixels) != image.Image(small) {
		t.Error("a small image was scaled")
	}
}

func TestPostFilters(t *testing.T) {
	cfg := setUpStationWithStaff(t)
	h := newHarness(t, cfg)
	h.signIn("zhang", officerPassword)
	v := h.posts()
	for _, title := range []string{"甲稿", "乙稿"} {
		e := h.newPost()
		h.typeDraft(e, title, "正文")
		if title == "乙稿" {
			test.Tap(e.submitBtn)
		} else {
			test.Tap(e.saveBtn)
		}
		h.r.settle(t)
		if title == "甲稿" {
			test.Tap(e.closeBtn)
		}
	}
	if v.pages.count != 2 || v.editor != nil {
		t.Fatalf("%d posts listed", v.pages.count)
	}
	v.status.SetSelected(statusLabel(app.Draft))
	h.r.settle(t)
	if p, ok := v.pages.row(0); v.pages.count != 1 || !ok || p.Title != "甲稿" {
		t.Fatalf("status filter: %d posts", v.pages.count)
	}
	v.status.SetSelectedIndex(0)
	v.order.SetSelected("按标题")
	h.r.settle(t)
	if p, _ := v.pages.row(0); v.pages.count != 2 || p.Title != "乙稿" { // 乙 U+4E59 sorts before 甲 U+7532
		t.Fatalf("order by title: %d posts, first %q", v.pages.count, p.Title)
	}
	v.platform.SetSelected("抖音")
	h.r.settle(t)
	if v.pages.count != 0 || !labelWith(v.browse, "没有符合条件的稿件") {
		t.Fatalf("platform filter: %d posts", v.pages.count)
	}
	v.platform.SetSelectedIndex(0)

	// Dates: a partial date waits, a wrong one says so, tomorrow finds nothing.
	test.Type(v.from.entry, "2026-1")
	h.r.settle(t)
	wantNoMessage(t, "partial date", v.filterMsg)
	v.from.entry.SetText("2026-13-45")
	h.r.settle(t)
	wantMessage(t, "bad date", v.filterMsg, "2026-01-31")
	v.from.entry.SetText("2999-01-01")
	h.r.settle(t)
	if v.pages.count != 0 {
		t.Fatalf("date filter: %d posts", v.pages.count)
	}

	// Ctrl+F opens 稿件 from another area and focuses the search box.
	h.d.shell.showArea("nav.home")
	h.d.menuSearch.Action()
	if h.d.shell.openKey() != "nav.posts" {
		t.Error("Ctrl+F did not open 稿件")
	}
	if v.search.Disabled() || h.w.Canvas().Focused() != v.search {
		t.Error("Ctrl+F did not focus the search box")
	}
}
