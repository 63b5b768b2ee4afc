package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mediadesk/data"
)

// hqDecides is HQ's day: it approves the posts awaiting it (returning
// every third with a comment), accepts filed accounts (rejecting every
// fifth) and verifies accounts the stations report accepted. Decisions
// already sent are not repeated. It returns how many it made.
func hqDecides(t *testing.T, hq *Session) int {
	t.Helper()
	made := 0
	posts, err := hq.Posts(PostQuery{Status: string(AwaitingHQ)})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range posts {
		_, err := hq.DecidePost(p.ID, p.ContentHash, i%3 != 2, "请删去当事人姓名后再报")
		switch {
		case errors.Is(err, ErrAlreadyDecided):
		case err != nil:
			t.Fatal(err)
		default:
			made++
		}
	}
	accounts, err := hq.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range accounts {
		step, reason := StepAccept, ""
		switch {
		case a.Status == string(FilingFiled) && i%5 == 4:
			step, reason = StepReject, "账号名称不规范"
		case a.Status == string(FilingAccepted):
			step = StepVerify
		case a.Status != string(FilingFiled):
			continue
		}
		_, err := hq.DecideFiling(a.ID, step, reason)
		switch {
		case errors.Is(err, ErrTransition): // decided already, not yet applied by the station
		case err != nil:
			t.Fatal(err)
		default:
			made++
		}
	}
	return made
}

// hqAnswers publishes a reply template for the stations ("答复口径").
func hqAnswers(t *testing.T, hq *Session, day int) {
	t.Helper()
	err := hq.store.Write(func(tx *data.Tx) error {
		now := hq.now()
		return data.SaveTemplate(tx, ReplyTemplate{ID: fmt.Sprintf("hq-template-%d", day), OwnerUnit: hq.Unit().ID, Category: "咨询答复",
			Title: fmt.Sprintf("第%d天答复口径", day), Body: "您好！感谢您的关注，答复如下：已转相关部门办理。", Status: "published", Source: "hq",
			CreatedAt: now, UpdatedAt: now, Version: 1})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSyncEndToEndWeek runs HQ and three stations through enrollment and
// a week of work with bundles both ways every day — one lost, one
// imported twice, two pairs imported out of order — and checks that after
// a last exchange HQ and every station agree on every record they share.
func TestSyncEndToEndWeek(t *testing.T) {
	c := newCounty(t, 3)
	hqID := c.hq.Unit().ID
	var lost []string
	var heldUp, heldDown []string // bundles kept back a day
	decisions, duplicates, replays := 0, 0, 0
	yesterday := make([]dayWork, len(c.stations))
	for day := 1; day <= 7; day++ {
		for i, st := range c.stations {
			if day > 1 {
				followUp(t, st, yesterday[i])
			}
			yesterday[i] = stationDay(t, st, day*10+i)
			up := c.send(st.admin, "")
			switch {
			case day == 2 && i == 0: // the stick is lost
				lost = append(lost, up...)
			case day == 3 && i == 1: // imported twice
				c.receive(c.hq, Imported, up...)
				c.receive(c.hq, AlreadyImported, up...)
				duplicates++
			case day == 4 && i == 2: // kept back, arrives after day 5's
				heldUp = up
			case day == 5 && i == 2:
				c.receive(c.hq, Imported, up...)
				for _, r := range c.hq.ImportBundles(context.Background(), heldUp, nil) {
					if r.Result != AlreadyImported || !errors.Is(r.Err, ErrReplayed) {
						t.Fatalf("day 4's bundle after day 5's: %s %v", r.Result, r.Err)
					}
					replays++
				}
			default:
				c.receive(c.hq, Imported, up...)
			}
		}
		decisions += hqDecides(t, c.hq)
		if day%2 == 1 {
			hqAnswers(t, c.hq, day)
		}
		for i, st := range c.stations {
			down := c.send(c.hq, st.admin.Unit().ID)
			switch {
			case day == 5 && i == 0:
				heldDown = down
			case day == 6 && i == 0:
				c.receive(st.admin, Imported, down...)
				for _, r := range st.admin.ImportBundles(context.Background(), heldDown, nil) {
					if r.Result != AlreadyImported || !errors.Is(r.Err, ErrReplayed) {
						t.Fatalf("HQ's day 5 bundle after day 6's: %s %v", r.Result, r.Err)
					}
					replays++
				}
			default:
				c.receive(st.admin, Imported, down...)
			}
		}
	}
	// The last exchange: the stations report, HQ answers, the stations
	// report what HQ's answer changed.
	for _, st := range c.stations {
		c.receive(c.hq, Imported, c.send(st.admin, "")...)
	}
	for _, st := range c.stations {
		c.receive(st.admin, Imported, c.send(c.hq, st.admin.Unit().ID)...)
	}
	for _, st := range c.stations {
		c.receive(c.hq, Imported, c.send(st.admin, "")...)
	}

	for _, st := range c.stations {
		unit := st.admin.Unit().ID
		mine := data.DumpScope{Owner: unit, Side: data.StationSide}
		atStation, atHQ := ownedDump(t, st.admin, mine), ownedDump(t, c.hq, mine)
		if atStation != atHQ {
			t.Errorf("%s's records differ between the station and HQ:\n%s", unit, firstDifference(atStation, atHQ))
		}
		theirs := data.DumpScope{Owner: hqID, Side: data.HQSide, To: unit}
		atHQ, atStation = ownedDump(t, c.hq, theirs), ownedDump(t, st.admin, theirs)
		if atStation != atHQ {
			t.Errorf("HQ's records for %s differ between HQ and the station:\n%s", unit, firstDifference(atHQ, atStation))
		}
		if !strings.HasPrefix(atHQ, "decision ") || !strings.Contains(atHQ, "reply_template hq-template-7 ") {
			t.Errorf("HQ's records for %s lack decisions or the last template", unit)
		}
		// Every sensitive post has HQ's answer, at the station and at HQ.
		for _, s := range []*Session{st.admin, c.hq} {
			waiting, err := s.Posts(PostQuery{Status: string(AwaitingHQ)})
			if err != nil {
				t.Fatal(err)
			}
			if len(waiting) != 0 {
				t.Errorf("%s still shows %d posts awaiting HQ", s.Unit().ID, len(waiting))
			}
		}
	}
	// The lost stick was never needed: its records came with the next.
	lostManifest, err := VerifyBundle(context.Background(), lost[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := data.ImportedBundle(c.hq.store.Reader(), "st1", lostManifest.Sequence, 0); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("the lost bundle is in HQ's ledger as imported: %v", err)
	}
	t.Logf("a week: %d HQ decisions, %d duplicate, %d replays refused, 1 bundle lost", decisions, duplicates, replays)
}

// TestSyncLostStick: a station's bundle holds no readable canary from a
// post body, a comment or an attachment; HQ, its receiver, reads them all.
func TestSyncLostStick(t *testing.T) {
	c := newCounty(t, 1)
	st := c.stations[0]
	canaries := map[string]string{"body": "金丝雀正文 CANARY-BODY-5d1e", "comment": "金丝雀评论 CANARY-COMMENT-93aa", "attachment": "金丝雀附件 CANARY-ATTACH-0c7f"}
	image := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte(canaries["attachment"]+" "), 2000)...)
	imageID, err := st.officer.AttachImage(bytes.NewReader(image), "现场照片.png")
	if err != nil {
		t.Fatal(err)
	}
	d := plainDraft()
	d.Body, d.Images = "通报："+canaries["body"], []string{imageID}
	p := mustPost(t)(st.officer.SaveDraft(d))
	p = mustPost(t)(st.officer.Submit(p.ID))
	if err := st.officer.Comment(p.ID, "", canaries["comment"]); err != nil {
		t.Fatal(err)
	}
	files := c.send(st.admin, "")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for what, canary := range canaries {
			for _, part := range strings.Fields(canary) { // the Chinese and the ASCII half
				if bytes.Contains(b, []byte(part)) {
					t.Errorf("%s shows the %s canary %q", filepath.Base(f), what, part)
				}
			}
		}
	}

	c.receive(c.hq, Imported, files...)
	got, err := c.hq.Post(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Post.Body, canaries["body"]) || len(got.Comments) != 1 || got.Comments[0].Body != canaries["comment"] {
		t.Fatalf("HQ does not read the post and comment: %q %+v", got.Post.Body, got.Comments)
	}
	images, err := data.PostImages(c.hq.store.Reader(), p.ID)
	if err != nil || len(images) != 1 {
		t.Fatalf("HQ's post images %v %v", images, err)
	}
	rc, err := c.hq.OpenAttachment(images[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(rc); err != nil || !bytes.Equal(buf.Bytes(), image) {
		t.Fatalf("HQ reads another attachment: %v", err)
	}
}
