package icons

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"os"
	"testing"
)

func readIcon(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAppIconPNG checks both renderings of the icon: the packages' 512
// pixels and the embedded 144.
func TestAppIconPNG(t *testing.T) {
	for name, size := range map[string]int{"mediadesk.png": 512, "mediadesk-144.png": 144} {
		data := readIcon(t, name)
		if name == "mediadesk-144.png" && !bytes.Equal(data, Icon144PNG) {
			t.Fatalf("Icon144PNG is not %s", name)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s is not a PNG: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Errorf("%s is %dx%d, want %dx%d", name, b.Dx(), b.Dy(), size, size)
		}
		// The tile has rounded corners: the corner pixel is transparent,
		// the centre is opaque.
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("%s: corner pixel alpha = %d, want 0 (transparent background)", name, a)
		}
		if _, _, _, a := img.At(size/2, size/2).RGBA(); a != 0xffff {
			t.Errorf("%s: centre pixel alpha = %d, want opaque", name, a)
		}
	}
}

func TestAppIconSVG(t *testing.T) {
	var root struct {
		XMLName xml.Name
		ViewBox string `xml:"viewBox,attr"`
	}
	if err := xml.Unmarshal(readIcon(t, "mediadesk.svg"), &root); err != nil {
		t.Fatalf("mediadesk.svg is not XML: %v", err)
	}
	if root.XMLName.Local != "svg" || root.ViewBox != "0 0 512 512" {
		t.Errorf("mediadesk.svg root = <%s viewBox=%q>, want <svg viewBox=\"0 0 512 512\">", root.XMLName.Local, root.ViewBox)
	}
}
