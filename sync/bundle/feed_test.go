package bundle

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
)

// TestWriteManyAttachments writes attachments read one after the other
// by one goroutine: of several sizes (empty, one byte, across buffer
// boundaries), authenticated or hashed, one listed twice; each arrives
// whole, once, in order, and each is opened once and closed.
func TestWriteManyAttachments(t *testing.T) {
	f := keysFixture(t)
	var contents [][]byte
	for i, n := range []int{0, 1, 5000, pipeBufferSize, pipeBufferSize + 1, 3*pipeBufferSize - 7, 2 << 20} {
		contents = append(contents, pseudoRandom(n, byte(i+1)))
	}
	opened, closed := map[Hash]int{}, map[Hash]int{}
	var atts []Attachment
	for i, c := range contents {
		a := memAttachment(c)
		a.Authenticated = i%2 == 0
		open := a.Open
		a.Open = func() (io.ReadCloser, error) {
			opened[a.SHA256]++
			rc, err := open()
			return struct {
				io.Reader
				io.Closer
			}{rc, closerFunc(func() error { closed[a.SHA256]++; return nil })}, err
		}
		atts = append(atts, a)
	}
	atts = append(atts, atts[3]) // the same content again
	dir := t.TempDir()
	w, err := Write(context.Background(), dir, f.dataHeader(1), source(testRecords(5, "")), atts, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if w.Manifest.Payload.Attachments != int64(len(contents)) {
		t.Errorf("manifest lists %d attachments, want %d", w.Manifest.Payload.Attachments, len(contents))
	}
	_, got := readAll(t, f, w.Paths[0])
	for i, c := range contents {
		sum := atts[i].SHA256
		if !bytes.Equal(got[sum], c) || opened[sum] != 1 || closed[sum] != 1 {
			t.Errorf("attachment %d (%d bytes): got %d bytes, opened %d, closed %d times", i, len(c), len(got[sum]), opened[sum], closed[sum])
		}
	}

	// An attachment that cannot be opened fails the write with its error,
	// after the ones before it were read; nothing is left behind.
	gone := errors.New("attachment file gone")
	bad := memAttachment([]byte("missing"))
	bad.Open = func() (io.ReadCloser, error) { return nil, gone }
	dir = t.TempDir()
	if _, err := Write(context.Background(), dir, f.dataHeader(2), source(testRecords(5, "")), []Attachment{atts[5], bad, atts[6]}, WriteOptions{}); !errors.Is(err, gone) {
		t.Fatalf("Write with a missing attachment: %v", err)
	}
	if left := listDir(t, dir); len(left) != 0 {
		t.Errorf("failed write left %v", left)
	}
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }
