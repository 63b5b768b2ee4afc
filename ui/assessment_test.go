package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"mediadesk/app"
)

// TestAssessmentScreen: HQ computes October 2026 for two stations with no
// data (both score the same: on-time share 8 and the four penalty
// indicators' 10, so 18 each, sharing rank 1), publishes it after the
// confirmation, cannot publish the running month, edits the scheme into a
// draft (a typo and a wrong sum shown at their places) and activates it;
// the station then sees its result on its home.
func TestAssessmentScreen(t *testing.T) {
	c := setUpCounty(t, 2)
	h := newHarness(t, c.hq)
	h.signIn("admin", adminPassword)
	v := newAssessmentView(h.d)
	h.w.SetContent(v.content)

	// The last finished month is chosen; the running one is offered first.
	if v.period.Selected != "2026年10月" || len(v.period.Options) != 24 || v.period.Options[0] != "2026年11月" {
		t.Fatalf("period %q of %d, first %q", v.period.Selected, len(v.period.Options), v.period.Options[0])
	}
	if !v.publish.Disabled() || !v.export.Disabled() {
		t.Error("publish or export enabled before computing")
	}
	test.Tap(v.compute)
	h.r.settle(t)
	wantMessage(t, "computed", v.msg, "2 个单位，平均 18 分")
	if len(v.shown.Units) != 2 || v.cell(0, 0) != "1" || v.cell(1, 0) != "1" || v.cell(0, 2) != "18" {
		t.Errorf("ranking: %d units, %q %q %q", len(v.shown.Units), v.cell(0, 0), v.cell(1, 0), v.cell(0, 2))
	}
	if v.header(3) != "原创稿件" || len(v.bars.bars) != 2 || v.bars.bars[0].Value != 18 {
		t.Errorf("header %q, bars %+v", v.header(3), v.bars.bars)
	}
	if len(v.trend.labels) != trendPeriods || v.trend.labels[trendPeriods-1] != "2026-10" || len(v.trend.series) != 2 {
		t.Errorf("trend %v, %d series", v.trend.labels, len(v.trend.series))
	}
	v.trendUnit.SetSelected(v.trendUnit.Options[1])
	if len(v.trend.series) != 1 {
		t.Errorf("one unit's trend has %d series", len(v.trend.series))
	}

	test.Tap(v.publish)
	if v.confirm == nil {
		t.Fatal("no confirmation before publishing")
	}
	test.Tap(button(t, h.topOverlay(), "发布"))
	h.r.settle(t)
	wantMessage(t, "published", v.msg, "已发布2026年10月的考核结果（2 个单位）")
	if res, err := h.d.session.PublishedResults("2026-10"); err != nil || len(res) != 2 || res[0].Rank != 1 || res[1].Rank != 1 {
		t.Fatalf("published %+v %v", res, err)
	}

	v.period.SetSelected("2026年11月")
	if !v.publish.Disabled() {
		t.Error("another period kept the results of the first")
	}
	test.Tap(v.compute)
	h.r.settle(t)
	test.Tap(v.publish)
	test.Tap(button(t, h.topOverlay(), "发布"))
	h.r.settle(t)
	wantMessage(t, "running month", v.msg, "考核周期尚未结束")

	// 考核方案
	v.tabs.SelectIndex(1)
	e := v.scheme
	if !strings.Contains(e.versions.Text, "现行方案：第 1 版") || e.rows[0].weight.Text != "12" || e.rows[6].per.Disabled() {
		t.Fatalf("scheme shown: %q, weight %q", e.versions.Text, e.rows[0].weight.Text)
	}
	if !e.rows[0].target.Disabled() || e.rows[5].target.Disabled() || e.rows[5].target.Text != "5" {
		t.Error("the numbers a rule does not use are not disabled")
	}
	e.rows[0].weight.SetText("十二")
	test.Tap(e.save)
	wantMessage(t, "not a number", e.rows[0].msg, "权重请填写数字")
	e.rows[0].weight.SetText("10")
	if !strings.Contains(e.sum.Text, "98") {
		t.Errorf("sum %q", e.sum.Text)
	}
	test.Tap(e.save)
	wantNoMessage(t, "fixed typo", e.rows[0].msg)
	if !labelWith(e.content, "各项权重之和应为 100，现为 98") {
		t.Error("no message about the sum")
	}
	e.rows[1].weight.SetText("10")
	test.Type(e.note, "原创权重下调")
	test.Tap(e.save)
	wantMessage(t, "saved", e.form.msg, "已保存为第 2 版草稿")
	if !strings.Contains(e.versions.Text, "草稿：第 2 版") || e.activate.Disabled() {
		t.Fatalf("versions %q, activate disabled %v", e.versions.Text, e.activate.Disabled())
	}
	test.Tap(e.activate)
	test.Tap(button(t, h.topOverlay(), "启用"))
	wantMessage(t, "activated", e.form.msg, "第 2 版考核方案已启用")
	if sc, err := h.d.session.ActiveScheme(); err != nil || sc.Number != 2 || sc.Note != "原创权重下调" {
		t.Fatalf("active %+v %v", sc, err)
	}
	if !e.activate.Disabled() || e.rows[0].weight.Text != "10" {
		t.Error("after activation")
	}

	// 稿件评分: no post was published.
	v.tabs.SelectIndex(2)
	if v.ratings.count.Text != "这个考核周期没有已发布的稿件。" {
		t.Errorf("ratings %q", v.ratings.count.Text)
	}

	// The station's home shows its result once HQ's bundle arrived.
	st := newHarness(t, c.stations[0])
	st.signIn("admin", adminPassword)
	files, err := h.d.session.ExportBundles(context.Background(), t.TempDir(), "st1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := st.d.session.ImportBundles(context.Background(), files, nil); r[0].Result != app.Imported {
		t.Fatalf("import at st1: %s %v", r[0].Result, r[0].Err)
	}
	st.d.shell.home.reload()
	if !labelWith(st.d.shell.home.content, "得分 18，第 1 名（共 2 个单位）") {
		t.Error("the station home shows no result")
	}
}

// TestUnitRatingsTab: 单位评分 lists the month's stations; a score given
// to one is saved and shown in its row; a quarter is rated by its months.
func TestUnitRatingsTab(t *testing.T) {
	c := setUpCounty(t, 2)
	h := newHarness(t, c.hq)
	h.signIn("admin", adminPassword)
	v := newAssessmentView(h.d)
	h.w.SetContent(v.content)
	v.tabs.SelectIndex(3)
	p := v.units
	if p.month != "2026-10" || len(p.rows) != 2 {
		t.Fatalf("month %q, %d stations", p.month, len(p.rows))
	}
	if !p.save.Disabled() {
		t.Error("save enabled before a station is chosen")
	}
	p.list.Select(0)
	test.Tap(p.save)
	wantMessage(t, "no score", fieldMessage(t, p.form, "rating.opinion_guidance"), "至少为一项打分")
	p.scores[0].SetSelected("4")
	test.Type(p.notes[0], "反诈专项中引导及时")
	test.Tap(p.save)
	wantMessage(t, "saved", p.form.msg, "已保存")
	if !strings.Contains(p.row(0), "网络舆论引导：4 分") || !strings.Contains(p.row(0), "协作联动：未评分") {
		t.Errorf("row %q", p.row(0))
	}
	rows, err := h.d.session.UnitRatings("2026-10")
	if err != nil || rows[0].Ratings[app.IndOpinionGuidance] != 4 || rows[0].Notes[app.IndOpinionGuidance] != "反诈专项中引导及时" {
		t.Fatalf("saved %+v %v", rows, err)
	}
	v.kind.SetSelected("季度")
	if p.month != "" || len(p.rows) != 0 || !strings.Contains(p.info.Text, "按月") {
		t.Fatalf("a quarter: month %q, %d rows, %q", p.month, len(p.rows), p.info.Text)
	}
}
