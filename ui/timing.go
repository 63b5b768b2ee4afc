package ui

import "time"

// Delays of the work that follows typing: the checker and the search run
// once typing pauses briefly, the autosave once it pauses a little longer.
const (
	checkDelay    = 300 * time.Millisecond
	searchDelay   = 300 * time.Millisecond
	autosaveDelay = 2 * time.Second
)

// debouncer runs a function once calls to trigger have paused for its
// delay: each trigger cancels the one before. It lives on the UI
// goroutine, and so does the function it runs.
type debouncer struct {
	d     *desk
	delay time.Duration
	gen   int    // counts triggers; a due call of an older one does nothing
	stopT func() // stops the pending timer, nil when none
}

func newDebouncer(d *desk, delay time.Duration) *debouncer {
	return &debouncer{d: d, delay: delay}
}

// trigger (re)starts the delay; f runs when it passes without another
// trigger or a stop.
func (b *debouncer) trigger(f func()) {
	b.stop()
	gen := b.gen
	b.stopT = b.d.after(b.delay, func() {
		// A timer that fired just before it was stopped still queues
		// its call on the UI goroutine; the generation tells.
		if gen != b.gen {
			return
		}
		b.stopT = nil
		f()
	})
}

// stop cancels a pending call.
func (b *debouncer) stop() {
	b.gen++
	if b.stopT != nil {
		b.stopT()
		b.stopT = nil
	}
}

// serial runs background jobs one at a time, in the order they were
// queued, each with desk.run: so an autosave queued before a save cannot
// land after it. It lives on the UI goroutine.
type serial struct {
	d       *desk
	busy    bool
	pending []func()
}

// do queues work (off the UI goroutine) and then done (on it).
func (q *serial) do(work, done func()) {
	q.pending = append(q.pending, func() {
		q.d.run(work, func() {
			q.busy = false
			done()
			q.next()
		})
	})
	q.next()
}

func (q *serial) next() {
	if q.busy || len(q.pending) == 0 {
		return
	}
	job := q.pending[0]
	q.pending = q.pending[1:]
	q.busy = true
	job()
}
