package icons

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"testing"
)

func TestAppIconPNG(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(AppIconPNG))
	if err != nil {
		t.Fatalf("AppIconPNG is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Errorf("AppIconPNG is %dx%d, want 512x512", b.Dx(), b.Dy())
	}
	// The tile has rounded corners: the corner pixel is transparent, the
	// centre is opaque.
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Errorf("corner pixel alpha = %d, want 0 (transparent background)", a)
	}
	if _, _, _, a := img.At(256, 256).RGBA(); a != 0xffff {
		t.Errorf("centre pixel alpha = %d, want opaque", a)
	}
}

func TestAppIconSVG(t *testing.T) {
	var root struct {
		XMLName xml.Name
		ViewBox string `xml:"viewBox,attr"`
	}
	if err := xml.Unmarshal(AppIconSVG, &root); err != nil {
		t.Fatalf("AppIconSVG is not XML: %v", err)
	}
	if root.XMLName.Local != "svg" || root.ViewBox != "0 0 512 512" {
		t.Errorf("AppIconSVG root = <%s viewBox=%q>, want <svg viewBox=\"0 0 512 512\">", root.XMLName.Local, root.ViewBox)
	}
}
