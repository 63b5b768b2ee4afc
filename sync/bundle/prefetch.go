package bundle

import "io"

// prefetchReader reads its sources ahead, one after the other, in a
// goroutine, handing each chunk to the source's tap there (to hash it), so
// that reading the stick (or decrypting the store's files) and hashing
// overlap the caller's own work. Memory is a few fixed buffers, shared by
// all the sources.
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

// prefetchSource is one source of a prefetchReader: open is called in
// the goroutine when the source before it has been read to its end, and
// the reader it returns is closed there; tap, if set, sees every chunk.
type prefetchSource struct {
	open func() (io.ReadCloser, error)
	tap  func([]byte)
}

// newPrefetchReader starts reading r, which holds about size bytes (this
// only bounds the buffers).
func newPrefetchReader(r io.Reader, size int64, tap func([]byte)) *prefetchReader {
	open := func() (io.ReadCloser, error) { return io.NopCloser(r), nil }
	return newPrefetchSeq(min(pipeBufferSize, max(size, 0)+1), []prefetchSource{{open: open, tap: tap}})
}

// newPrefetchSeq starts reading sources in order, in buffers of bufSize
// bytes. Read returns io.EOF at the end of each source; next moves on.
func newPrefetchSeq(bufSize int64, sources []prefetchSource) *prefetchReader {
	p := &prefetchReader{full: make(chan chunk, pipeBuffers), free: make(chan []byte, pipeBuffers),
		stop: make(chan struct{}), done: make(chan struct{})}
	for range pipeBuffers {
		p.free <- make([]byte, bufSize)
	}
	go p.run(sources)
	return p
}

func (p *prefetchReader) run(sources []prefetchSource) {
	defer close(p.done)
	for _, s := range sources {
		if !p.read(s) {
			return
		}
	}
}

// read reads one source to its end and reports whether the next may
// follow (not after an error or Close).
func (p *prefetchReader) read(s prefetchSource) bool {
	r, err := s.open()
	if err != nil {
		p.send(chunk{err: err})
		return false
	}
	defer r.Close()
	for {
		var buf []byte
		select {
		case buf = <-p.free:
		case <-p.stop:
			return false
		}
		n, err := fill(r, buf)
		if s.tap != nil {
			s.tap(buf[:n])
		}
		if !p.send(chunk{buf[:n], err}) {
			return false
		}
		if err != nil {
			return err == io.EOF
		}
	}
}

// send hands c to the reader; false if Close came first.
func (p *prefetchReader) send(c chunk) bool {
	select {
	case p.full <- c:
		return true
	case <-p.stop:
		return false
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

// Read returns the current source's bytes in order, then its error
// (io.EOF at its end).
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
		p.buf, p.cur, p.err = c.b[:cap(c.b)], c.b, c.err // buf nil: an error before any buffer was taken
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// next moves on to the next source once Read has returned io.EOF for
// this one, and reports whether it did.
func (p *prefetchReader) next() bool {
	if p.err != io.EOF || len(p.cur) > 0 {
		return false
	}
	p.err = nil
	return true
}

// Close stops the goroutine and waits until it no longer touches the
// sources (it closes the one it has open); the reader must not be used
// after.
func (p *prefetchReader) Close() {
	close(p.stop)
	<-p.done
}
