package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestEditPostCategories(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	v := h.settings()
	if v.categories == nil {
		t.Fatal("a station admin sees no category list")
	}
	v.categories.SetText(" \n  ")
	test.Tap(v.categoriesSave)
	if f := v.idleForm.fields["categories"]; f == nil || !f.msg.Visible() || f.msg.Text == "" {
		t.Fatal("an empty list shows no message at the field")
	}
	v.categories.SetText("反诈宣传\n警情通报\n反诈宣传\n")
	test.Tap(v.categoriesSave)
	if got := strings.Join(h.d.session.PostCategories(), ","); got != "反诈宣传,警情通报" {
		t.Fatalf("categories %q", got)
	}
	if v.categories.Text != "反诈宣传\n警情通报" {
		t.Fatalf("entry shows %q", v.categories.Text)
	}
}
