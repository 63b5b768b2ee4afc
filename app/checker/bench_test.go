package checker

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// benchDraftPart is one section of a realistic station post; benchDraft
// repeats it with small changes to about 9 KB.
const benchDraftPart = `【平安汤阴】城关派出所开展“护航开学季”校园周边安全整治行动

为切实维护辖区校园周边治安秩序，营造安全稳定的学习环境，近日，城关派出所结合“夏季治安打击整治行动”，组织警力对辖区中小学、幼儿园周边开展集中整治。

行动中，民警重点检查了校园周边的网吧、娱乐场所、小卖部和出租房屋，对无证经营、向未成年人出售烟酒等问题当场责令整改。同时，民警走进教室，为师生讲解防范电信网络诈骗、预防校园欺凌、交通安全和防溺水等知识，发放宣传资料三百余份。

“网传开学后学校门口有陌生人发放‘免费文具’并要求扫码，这是真的吗？”面对家长的疑问，民警耐心解释：这类信息多为刷单返利类诈骗的引流手段，请大家不要扫码，不要透露个人信息，遇到可疑情况及时拨打110报警。

另据群众反映，人民路与光明街交叉口早晚高峰车辆乱停乱放现象突出。派出所联合交警中队在上下学时段增派警力疏导交通，设立“护学岗”，对违停车辆进行劝离和处罚。一辆车牌为豫E12345的小型轿车多次违停，驾驶人已被依法处理。

在走访中，民警得知家住汤阴县城关镇人民路12号3单元201室的独居老人近期接到可疑电话，对方自称“公检法”工作人员，要求其将存款转入“安全账户”。民警第一时间上门劝阻，成功避免老人遭受损失。提醒广大群众：公安机关不会通过电话办案，更没有所谓“安全账户”。

此外，一名12岁男孩放学后未按时回家，家长焦急报警。民警调取沿途监控，仅用四十分钟便在城郊公园找到孩子，并将其安全送回家中。家长留下的联系电话13800138000已由民警登记回访。

下一步，城关派出所将持续加大校园周边巡逻防控力度，深化警校联动机制，坚决依法打击各类侵害师生合法权益的违法犯罪行为，为广大师生营造安全、和谐、稳定的校园环境。如有线索，请拨打派出所值班电话0372-5521234或到所反映。

`

var benchDraft = func() string {
	var b strings.Builder
	for i := 0; b.Len() < 9*1024; i++ {
		part := benchDraftPart
		switch i % 3 {
		case 0:
			part = strings.ReplaceAll(part, "13800138000", "13800138000，身份证号410523199003071234")
		case 1:
			part = strings.ReplaceAll(part, "豫E12345", "豫ED12345")
			part = strings.ReplaceAll(part, "13800138000", "139-0013-9000")
		case 2:
			part = strings.ReplaceAll(part, "12岁男孩", "14岁女孩")
		}
		b.WriteString(part)
	}
	// Cut to 9 KiB at a character boundary.
	s := b.String()
	n := 9 * 1024
	for !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}()

// commonHan is a pool of characters that appear in real drafts, so random
// terms built from it sometimes hit.
var commonHan = func() []rune {
	seen := map[rune]bool{}
	var out []rune
	for _, r := range benchDraftPart + builtinData {
		if r >= cjkLo && r <= cjkHi && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}()

// genTerms generates n terms of random 2–6 rune CJK strings: half from the
// whole CJK Unified Ideographs block, half from characters common in drafts.
func genTerms(n int) []Term {
	rng := rand.New(rand.NewPCG(1, 2))
	cats := Categories()
	actions := []Action{Block, NeedsApproval, Warn}
	terms := make([]Term, n)
	buf := make([]rune, 0, 6)
	for i := range terms {
		buf = buf[:0]
		for range 2 + rng.IntN(5) {
			if i%2 == 0 {
				buf = append(buf, cjkLo+rune(rng.IntN(0x9FA5-cjkLo+1)))
			} else {
				buf = append(buf, commonHan[rng.IntN(len(commonHan))])
			}
		}
		terms[i] = Term{
			ID:       fmt.Sprintf("g%06d", i),
			Term:     string(buf),
			Category: cats[i%len(cats)].Code,
			Action:   actions[i%3],
		}
	}
	return terms
}

var (
	bench50kTerms = genTerms(50000)
	bench50kLex   *Lexicon
)

func lex50k(b *testing.B) *Lexicon {
	b.Helper()
	if bench50kLex == nil {
		l, err := Compile("bench-50k", bench50kTerms)
		if err != nil {
			b.Fatal(err)
		}
		bench50kLex = l
	}
	return bench50kLex
}

// BenchmarkCheck9KB50kTerms screens a 9 KB draft with a 50,000-term lexicon.
// Goal: ≤ 1 ms per check.
func BenchmarkCheck9KB50kTerms(b *testing.B) {
	l := lex50k(b)
	b.SetBytes(int64(len(benchDraft)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(l.Check(benchDraft))
	}
	b.ReportMetric(float64(n), "findings")
}

// BenchmarkCheckLatency reports the p50 and p99 latency of checking the 9 KB
// draft with the 50,000-term lexicon over repeated runs (typing-time budget).
func BenchmarkCheckLatency(b *testing.B) {
	l := lex50k(b)
	var durs []time.Duration
	for b.Loop() {
		t0 := time.Now()
		l.Check(benchDraft)
		durs = append(durs, time.Since(t0))
	}
	slices.Sort(durs)
	pct := func(p float64) float64 {
		return float64(durs[min(len(durs)-1, int(p*float64(len(durs))))].Microseconds())
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}

// BenchmarkCompile50k compiles the 50,000-term lexicon. Goal: ≤ 200 ms and
// ≤ 50 MiB allocated. Besides B/op it reports, measured with
// runtime.MemStats on one compilation before the timed loop, the MiB
// allocated while compiling and the MiB of heap the compiled lexicon retains.
func BenchmarkCompile50k(b *testing.B) {
	alloc, retained := compileMemory(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile("bench-50k", bench50kTerms); err != nil {
			b.Fatal(err)
		}
	}
	// After the loop: resetting the timer deletes reported metrics.
	b.ReportMetric(float64(alloc)/(1<<20), "MiB-alloc")
	b.ReportMetric(float64(retained)/(1<<20), "MiB-retained")
}

// compileMemory compiles the 50,000-term lexicon once and returns the bytes
// allocated meanwhile and the heap growth the result retains after a GC.
func compileMemory(tb testing.TB) (alloc, retained uint64) {
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	l, err := Compile("mem-50k", bench50kTerms)
	if err != nil {
		tb.Fatal(err)
	}
	runtime.ReadMemStats(&ms1)
	alloc = ms1.TotalAlloc - ms0.TotalAlloc
	runtime.GC()
	runtime.ReadMemStats(&ms1)
	if ms1.HeapAlloc > ms0.HeapAlloc {
		retained = ms1.HeapAlloc - ms0.HeapAlloc
	}
	if got := l.Check(bench50kTerms[4242].Term); len(got) == 0 {
		tb.Error("a lexicon term is not found")
	}
	runtime.KeepAlive(l)
	return alloc, retained
}

// BenchmarkBulkScan screens about 1 MB of drafts in one call with the
// 50,000-term lexicon. Goal: ≥ 30 MB/s.
func BenchmarkBulkScan(b *testing.B) {
	l := lex50k(b)
	text := strings.Repeat(benchDraft, (1<<20)/len(benchDraft)+1)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		l.Check(text)
	}
}

// TestCompile50kMemory checks the memory the 50,000-term lexicon takes: at
// most 50 MiB allocated while compiling, and at most that retained.
func TestCompile50kMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	alloc, retained := compileMemory(t)
	t.Logf("compile 50k terms: %.1f MiB allocated, %.1f MiB retained", float64(alloc)/(1<<20), float64(retained)/(1<<20))
	if alloc > 50<<20 {
		t.Errorf("compiling allocated %.1f MiB, limit 50 MiB", float64(alloc)/(1<<20))
	}
	if retained > 50<<20 {
		t.Errorf("the compiled lexicon retains %.1f MiB, limit 50 MiB", float64(retained)/(1<<20))
	}
}
