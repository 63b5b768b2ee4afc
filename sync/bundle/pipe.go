package bundle

import (
	"hash"
	"io"
	"sync/atomic"
)

// pipeBuffers and pipeBufferSize bound the memory of a pipeWriter.
const (
	pipeBuffers    = 4
	pipeBufferSize = 256 << 10
)

// pipeWriter hands what is written to a goroutine that writes it on to
// dst while another hashes it, so that encrypting (the caller), hashing
// and writing to disk overlap. Memory is a few fixed buffers.
type pipeWriter struct {
	dst    io.Writer
	h      hash.Hash
	cur    []byte
	full   chan []byte
	free   chan []byte
	done   chan struct{}
	err    error // the goroutine's first error, read after done
	failed atomic.Bool
}

// newPipeWriter starts writing to dst what is written to it, and hashing
// it with h.
func newPipeWriter(dst io.Writer, h hash.Hash) *pipeWriter {
	p := &pipeWriter{dst: dst, h: h, full: make(chan []byte, pipeBuffers), free: make(chan []byte, pipeBuffers), done: make(chan struct{})}
	for range pipeBuffers - 1 {
		p.free <- make([]byte, 0, pipeBufferSize)
	}
	p.cur = make([]byte, 0, pipeBufferSize)
	go p.run()
	return p
}

func (p *pipeWriter) run() {
	defer close(p.done)
	toHash, hashed := make(chan []byte), make(chan struct{})
	defer close(toHash)
	go func() {
		for b := range toHash {
			p.h.Write(b)
			hashed <- struct{}{}
		}
	}()
	for b := range p.full {
		if p.err == nil {
			toHash <- b
			if _, err := p.dst.Write(b); err != nil {
				p.err = err
				p.failed.Store(true)
			}
			<-hashed
		}
		p.free <- b[:0]
	}
}

// Write queues p; it fails once the goroutine has failed.
func (p *pipeWriter) Write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		if p.failed.Load() {
			return n, p.wait()
		}
		m := copy(p.cur[len(p.cur):cap(p.cur)], b)
		p.cur = p.cur[:len(p.cur)+m]
		n += m
		b = b[m:]
		if len(p.cur) == cap(p.cur) {
			p.full <- p.cur
			p.cur = <-p.free
		}
	}
	return n, nil
}

// Close writes what is queued and returns the first error.
func (p *pipeWriter) Close() error {
	if len(p.cur) > 0 && !p.failed.Load() {
		p.full <- p.cur
		p.cur = nil
	}
	return p.wait()
}

// wait stops the goroutine and returns its error.
func (p *pipeWriter) wait() error {
	select {
	case <-p.done:
	default:
		close(p.full)
		<-p.done
	}
	return p.err
}
