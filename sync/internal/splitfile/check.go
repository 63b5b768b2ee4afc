package splitfile

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"syscall"
)

// job is the read-back of one window of a part.
type job struct {
	part   int
	off, n int64
	skip   int64 // leading bytes not covered by crc (the room)
	crc    uint32
	file   *os.File // the part as written, whose writeback to wait for
}

func (j job) key() [2]int64 { return [2]int64{int64(j.part), j.off} }

// checker reads windows back from the medium, in a goroutine while the
// writing goes on, then in the caller for the rest.
type checker struct {
	path     func(k int) string
	jobs     chan job
	stopped  chan struct{}
	finished bool
	verified map[[2]int64]bool
	err      error
	files    map[int]*readBack
	buf      []byte
	unsynced int64 // bytes read back since the last fsync
}

// durableEvery is how many bytes the checker reads back between the
// fsyncs it makes while the writing goes on.
const durableEvery = 8 * window

// readBack is how one part is read back: around the cache where the
// system allows, else the ordinary way.
type readBack struct {
	direct io.ReaderAt
	plain  *os.File
}

func newChecker(path func(int) string) *checker {
	c := &checker{path: path, jobs: make(chan job, 4), stopped: make(chan struct{}),
		verified: map[[2]int64]bool{}, files: map[int]*readBack{}, buf: alignedBuffer(window)}
	go c.run()
	return c
}

func (c *checker) run() {
	defer close(c.stopped)
	for j := range c.jobs {
		if c.err != nil {
			continue
		}
		waitWriteback(j.file, j.off, j.n)
		dropCache(j.file, j.off, j.n)
		if err := c.verify(j); err != nil {
			c.err = err
			continue
		}
		c.verified[j.key()] = true
		// Every durableEvery bytes the part is made durable so far (the
		// disk's own cache included), beside the writing: the final fsync
		// then has little left. An error fails the write here, as the
		// final fsync might not report it again.
		if c.unsynced += j.n; c.unsynced >= durableEvery {
			c.unsynced = 0
			if err := j.file.Sync(); err != nil {
				c.err = err
			}
		}
	}
}

// check queues a window for reading back.
func (c *checker) check(j job) {
	if !c.finished {
		c.jobs <- j
	}
}

// finish stops the goroutine and returns the windows it read back, or
// the first difference it found.
func (c *checker) finish() (map[[2]int64]bool, error) {
	if !c.finished {
		c.finished = true
		close(c.jobs)
	}
	<-c.stopped
	return c.verified, c.err
}

// verify reads one window back and compares its CRC-32C.
func (c *checker) verify(j job) error {
	b, err := c.read(j.part, j.off, j.n)
	if err != nil {
		return err
	}
	if crc32.Checksum(b[min(j.skip, int64(len(b))):], castagnoli) != j.crc {
		return fmt.Errorf("%w: part %d, bytes %d to %d", ErrReadBack, j.part+1, j.off, j.off+j.n)
	}
	return nil
}

// verifyRoom reads the room at the start of part 1 back and compares it.
func (c *checker) verifyRoom(room []byte) error {
	b, err := c.read(0, 0, int64(len(room)))
	if err != nil {
		return err
	}
	if !bytes.Equal(b, room) {
		return fmt.Errorf("%w: part 1, bytes 0 to %d", ErrReadBack, len(room))
	}
	return nil
}

// read returns n bytes of part k at off, read from the medium.
func (c *checker) read(k int, off, n int64) ([]byte, error) {
	rb, err := c.open(k)
	if err != nil {
		return nil, err
	}
	if rb.direct != nil {
		aligned := (n + directAlign - 1) &^ (directAlign - 1)
		m, err := rb.direct.ReadAt(c.buf[:aligned], off)
		switch {
		case errors.Is(err, syscall.EINVAL):
			if d, ok := rb.direct.(io.Closer); ok {
				d.Close()
			}
			rb.direct = nil
		case int64(m) >= n:
			return c.buf[:n], nil
		default:
			return nil, fmt.Errorf("%w: part %d is short: %v", ErrReadBack, k+1, err)
		}
	}
	if _, err := rb.plain.ReadAt(c.buf[:n], off); err != nil {
		return nil, fmt.Errorf("%w: part %d: %v", ErrReadBack, k+1, err)
	}
	return c.buf[:n], nil
}

func (c *checker) open(k int) (*readBack, error) {
	if rb := c.files[k]; rb != nil {
		return rb, nil
	}
	f, err := os.Open(c.path(k + 1))
	if err != nil {
		return nil, err
	}
	rb := &readBack{direct: openDirect(c.path(k + 1)), plain: f}
	c.files[k] = rb
	return rb, nil
}

// close closes the files it opened.
func (c *checker) close() {
	for _, rb := range c.files {
		rb.plain.Close()
		if d, ok := rb.direct.(io.Closer); ok {
			d.Close()
		}
	}
	c.files = map[int]*readBack{}
}
