package bundle

import "io"

// prefetchReader reads its source ahead in a goroutine, handing each
// chunk to tap there (to hash it), so that reading the stick and hashing
// overlap the caller's own work. Memory is a few fixed buffers.
type prefetchReader struct {
	full chan chunk
	free chan []byte
	stop chan struct{}
	done chan struct{} // closed when the goroutine has returned
	buf  []byte        // the buffer cur lies in, returned to free when used up
	cur  []byte
	err  error
}

type chunk struct {
	b   []byte
	err error
}

// newPrefetchReader starts reading r, which holds about size bytes (this
// only bounds the buffers).
func newPrefetchReader(r io.Reader, size int64, tap func([]byte)) *prefetchReader {
	p := &prefetchReader{full: make(chan chunk, pipeBuffers), free: make(chan []byte, pipeBuffers),
		stop: make(chan struct{}), done: make(chan struct{})}
	for range pipeBuffers {
		p.free <- make([]byte, min(pipeBufferSize, max(size, 0)+1))
	}
	go p.run(r, tap)
	return p
}

func (p *prefetchReader) run(r io.Reader, tap func([]byte)) {
	defer close(p.done)
	for {
		var buf []byte
		select {
		case buf = <-p.free:
		case <-p.stop:
			return
		}
		n, err := fill(r, buf)
		if tap != nil {
			tap(buf[:n])
		}
		select {
		case p.full <- chunk{buf[:n], err}:
		case <-p.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// fill reads until buf is full or r fails (io.EOF at its end).
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Read returns the source's bytes in order, then its error (io.EOF at
// its end).
func (p *prefetchReader) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.buf != nil {
			p.free <- p.buf
			p.buf = nil
		}
		if p.err != nil {
			return 0, p.err
		}
		c := <-p.full
		p.buf, p.cur, p.err = c.b[:cap(c.b)], c.b, c.err
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// Close stops the goroutine and waits until it no longer touches the
// source (which the caller may then close); the reader must not be used
// after.
func (p *prefetchReader) Close() {
	close(p.stop)
	<-p.done
}
