package data

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestAppendJSONStringAsEncodingJSON checks the export's string writer
// against encoding/json: every escape, U+2028 and U+2029, invalid UTF-8
// (bytes cut from a character, a lone continuation byte, surrogates,
// overlong forms) and random byte strings.
func TestAppendJSONStringAsEncodingJSON(t *testing.T) {
	cases := []string{"", "平安汤阴", `["weibo"]`, "a\"b\\c", "<script>&amp;</script>", "\b\f\n\r\t\x00\x01\x1f\x7f",
		"\u2028\u2029\u2027\u202a", "😀", "\xe5\xb9", "x\x80y", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "\xff汤"}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("ab\"\\<>&\n\x01\xe2\x80\xa8\xa9\xe5\xb9\xb3\xf0\x9f\x98\x80\xff")
	for range 2000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		want, _ := json.Marshal(s)
		if got := appendJSONString([]byte("x"), s); string(got[1:]) != string(want) {
			t.Fatalf("%q: got %s, encoding/json %s", s, got[1:], want)
		}
	}
}

// TestChangedAttachmentsBothWays checks that ChangedAttachments lists what
// the records refer to whether it walks the image rows (all changes: 8
// posts, 7 images) or the changes (the last two), private drafts' images
// left out either way.
func TestChangedAttachmentsBothWays(t *testing.T) {
	st := stationWithRecords(t)
	var imgs []string
	for i := range 6 {
		a, err := st.PutAttachment(strings.NewReader(fmt.Sprint("照片", i)), "p.jpg", "image/jpeg", 6)
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, a.ID)
	}
	mustWrite(t, st, func(tx *Tx) error {
		for i, img := range imgs {
			id := fmt.Sprint("ip", i)
			status := "submitted"
			if i == 4 {
				status = "draft" // never submitted: its image stays home
			}
			if _, err := tx.Exec(`INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, status, content_hash, created_at, updated_at)
				VALUES (?, 'st1', 'u1', '图', '正文', 'notice', '[]', ?, x'01', 1, 2)`, id, status); err != nil {
				return err
			}
			if status == "submitted" {
				if _, err := tx.Exec("INSERT INTO post_events(id, post_id, at, actor, kind, from_status, to_status, content_hash) VALUES (?, ?, 2, 'wang', 'submit', 'draft', 'submitted', x'01')", "ev"+id, id); err != nil {
					return err
				}
			}
			if _, err := tx.Exec("INSERT INTO post_images(post_id, position, attachment_id) VALUES (?, 0, ?)", id, img); err != nil {
				return err
			}
		}
		return nil
	})
	all := exportFrom(t, st, ExportScope{Self: "st1", Side: StationSide, Peer: "hq"})
	for _, after := range []int64{0, all.high - 2} {
		scope := ExportScope{Self: "st1", Side: StationSide, Peer: "hq", After: after}
		want := exportFrom(t, st, scope)
		got, high, err := ChangedAttachments(st.Reader(), scope)
		if err != nil || high != want.high {
			t.Fatalf("after %d: high %d (want %d), %v", after, high, want.high, err)
		}
		ids := func(refs []AttachmentRef) []string {
			var out []string
			for _, r := range refs {
				out = append(out, r.ID)
			}
			slices.Sort(out)
			return out
		}
		if !slices.Equal(ids(got), ids(want.refs)) || len(got) == 0 {
			t.Errorf("after %d: listed %v, records refer to %v", after, ids(got), ids(want.refs))
		}
		if slices.Contains(ids(got), imgs[4]) {
			t.Errorf("after %d: a draft's image listed", after)
		}
	}
}
