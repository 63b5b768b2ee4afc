package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app/checker"
	"mediadesk/ui/i18n"
)

// How the checker's findings show: a row per finding (what the action
// means in words, the category and article, the matched text, the advice)
// and the 标注视图, a read-only copy of the text with each finding's range
// in the colour of its action and numbered like the rows. Fyne's Entry
// cannot colour parts of its text, hence the copy.

// maxFindingRows bounds the rows built for one text; the count above the
// rows still says how many there are.
const maxFindingRows = 200

// severity orders the actions, the most serious highest.
func severity(a checker.Action) int {
	switch a {
	case checker.Block:
		return 3
	case checker.NeedsApproval:
		return 2
	case checker.Warn:
		return 1
	}
	return 0
}

// actionLabel is an action in words: 禁止, 需审批, 提醒.
func actionLabel(a checker.Action) string {
	switch a {
	case checker.Block:
		return i18n.L("finding.block")
	case checker.NeedsApproval:
		return i18n.L("finding.needs_approval")
	}
	return i18n.L("finding.warn")
}

// actionImportance is the colour of an action's label.
func actionImportance(a checker.Action) widget.Importance {
	switch a {
	case checker.Block:
		return widget.DangerImportance
	case checker.NeedsApproval:
		return widget.WarningImportance
	}
	return widget.HighImportance
}

// severityColour is the colour of a highlighted range of a severity.
func severityColour(sev int) fyne.ThemeColorName {
	switch sev {
	case 3:
		return theme.ColorNameError
	case 2:
		return theme.ColorNameWarning
	case 1:
		return theme.ColorNamePrimary
	}
	return theme.ColorNameForeground
}

// categoryText is a category's label and article in the UI language.
func (d *desk) categoryText(code string) (label, article string) {
	c, ok := checker.CategoryInfo(code)
	if !ok {
		return code, ""
	}
	if d.lang == i18n.English {
		return c.LabelEN, c.ArticleEN
	}
	return c.Label, c.Article
}

// adviceText is a finding's advice in the UI language.
func (d *desk) adviceText(f checker.Finding) string {
	if d.lang == i18n.English && f.AdviceEN != "" {
		return f.AdviceEN
	}
	return f.Advice
}

// findingSummary counts findings by action, e.g. "禁止 1 · 需审批 0 · 提醒 2",
// or says that there are none.
func findingSummary(fs []checker.Finding) string {
	if len(fs) == 0 {
		return i18n.L("finding.none")
	}
	var n [4]int
	for _, f := range fs {
		n[severity(f.Action)]++
	}
	return i18n.L("finding.summary", map[string]any{"Block": n[3], "Approval": n[2], "Warn": n[1]})
}

// findingRow is one finding: number and action, category and article on
// the first line; the matched text and the advice below; any buttons
// (定位, 说明理由放行) at the right.
func (d *desk) findingRow(n int, f checker.Finding, buttons ...fyne.CanvasObject) fyne.CanvasObject {
	badge := widget.NewLabelWithStyle(fmt.Sprintf("[%d] %s", n, actionLabel(f.Action)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	badge.Importance = actionImportance(f.Action)
	label, article := d.categoryText(f.Category)
	if f.Article != "" && d.lang != i18n.English {
		article = f.Article
	}
	what := d.para(label + "（" + article + "）")
	matched := d.para(i18n.L("finding.matched", map[string]any{"Text": f.Text}))
	matched.TextStyle = fyne.TextStyle{Bold: true}
	rows := container.NewVBox(container.NewBorder(nil, nil, badge, nil, what), matched)
	if f.Action == checker.NeedsApproval {
		sens := widget.NewLabel(i18n.L("finding.sensitive"))
		sens.Importance = widget.WarningImportance
		rows.Add(sens)
	}
	if advice := d.adviceText(f); advice != "" {
		rows.Add(d.para(advice))
	}
	var side fyne.CanvasObject
	if len(buttons) > 0 {
		side = container.NewVBox(buttons...)
	}
	return container.NewVBox(container.NewBorder(nil, nil, nil, side, rows), widget.NewSeparator())
}

// annotate turns text (app.PostText: the title line, then the body) into
// rich-text segments: the title bold, each finding's range in the colour
// of its most serious action and bold, followed by its number [n] as the
// finding rows show it.
func annotate(text string, fs []checker.Finding) []widget.RichTextSegment {
	rs := []rune(text)
	sev := make([]int8, len(rs))
	marks := map[int][]int{} // end offset → finding numbers
	markSev := map[int]int{}
	for k, f := range fs {
		start, end := max(0, min(f.Start, len(rs))), max(0, min(f.End, len(rs)))
		s := int8(severity(f.Action))
		for i := start; i < end; i++ {
			sev[i] = max(sev[i], s)
		}
		marks[end] = append(marks[end], k+1)
		markSev[end] = max(markSev[end], int(s))
	}
	titleEnd := slices.Index(rs, '\n')
	if titleEnd < 0 {
		titleEnd = len(rs)
	}
	type state struct {
		sev   int8
		title bool
	}
	var segs []widget.RichTextSegment
	var run []rune
	var cur state
	flush := func() {
		if len(run) == 0 {
			return
		}
		style := widget.RichTextStyleInline
		style.TextStyle.Bold = cur.sev > 0 || cur.title
		style.ColorName = severityColour(int(cur.sev))
		if cur.title {
			style.SizeName = theme.SizeNameSubHeadingText
		}
		segs = append(segs, &widget.TextSegment{Text: string(run), Style: style})
		run = nil
	}
	for i := 0; i <= len(rs); i++ {
		if m := marks[i]; len(m) > 0 {
			flush()
			var b strings.Builder
			for _, n := range m {
				fmt.Fprintf(&b, "[%d]", n)
			}
			style := widget.RichTextStyleInline
			style.ColorName = severityColour(markSev[i])
			style.SizeName = theme.SizeNameCaptionText
			style.TextStyle.Bold = true
			segs = append(segs, &widget.TextSegment{Text: b.String(), Style: style})
		}
		if i == len(rs) {
			break
		}
		// A line break ends the segment it follows and never starts one:
		// Fyne 2.7 wraps the first line after a segment that begins with
		// a line break at the width left beside the segment before it.
		if rs[i] == '\n' {
			if len(run) == 0 && len(segs) > 0 {
				last := segs[len(segs)-1].(*widget.TextSegment)
				last.Text += "\n"
			} else {
				run = append(run, '\n')
			}
			continue
		}
		if st := (state{sev[i], i < titleEnd}); st != cur {
			flush()
			cur = st
		}
		run = append(run, rs[i])
	}
	flush()
	return segs
}

// annotatedView is a wrapping, read-only RichText for annotate's segments.
func annotatedView() *widget.RichText {
	rt := widget.NewRichText()
	rt.Wrapping = cjkWrap
	return rt
}

// cjkWrap is how rich text of Chinese wraps: at any character, as Chinese
// is written. Fyne's word wrap takes a run of Chinese without spaces for
// one word and moves it whole to the next line.
const cjkWrap = fyne.TextWrapBreak

// selectRunes focuses e and selects its runes [start, end), as a user
// would with the cursor keys and Shift: Fyne's Entry has no call for it.
// The cursor's row counts the wrapped lines, so the row holding start is
// found by asking the entry where each row begins.
func selectRunes(c fyne.Canvas, e *widget.Entry, start, end int) {
	c.Focus(e)
	if e.SelectedText() != "" {
		e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft}) // ends the old selection
	}
	e.CursorRow, e.CursorColumn = rowColOf(e, start)
	shift := &fyne.KeyEvent{Name: desktop.KeyShiftLeft}
	e.KeyDown(shift)
	for range end - start {
		e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	}
	e.KeyUp(shift)
}

// rowColOf is the cursor row and column of rune offset pos in e. Rows
// begin at increasing offsets (row 0 at 0), and a row past the last one
// reports offset 0; so a binary search finds the last row beginning at
// or before pos.
func rowColOf(e *widget.Entry, pos int) (row, col int) {
	begin := func(r int) int {
		e.CursorRow, e.CursorColumn = r, 0
		return e.CursorTextOffset()
	}
	lo, hi := 0, pos
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if b := begin(mid); b > 0 && b <= pos {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo, pos - begin(lo)
}
