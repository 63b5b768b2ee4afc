package data

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// writeSnapshotLocked writes the live database as the snapshot of s.gen.
// The caller holds wmu (or is Create, before anyone else can write).
func (s *Store) writeSnapshotLocked() error {
	img, err := s.image()
	if err != nil {
		return err
	}
	h := &snapshotHeader{Version: FormatVersion, StoreID: s.storeID, Gen: s.gen, Slots: s.slots}
	if err := writeSnapshot(s.dir, h, s.dek, img); err != nil {
		return err
	}
	return syncDir(s.dir)
}

// Compact writes the live database as a new snapshot and starts a new,
// empty journal generation. Writers wait only while the image is copied;
// sealing and writing it happen outside the write lock. A crash at any
// point leaves a store that opens with every acknowledged transaction.
func (s *Store) Compact() error {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	return s.compactLocked()
}

// compactLocked is Compact for a caller that holds cmu.
func (s *Store) compactLocked() error {
	s.wmu.Lock()
	if s.closed {
		s.wmu.Unlock()
		return ErrClosed
	}
	if s.broken != nil {
		s.wmu.Unlock()
		return s.broken
	}
	// A failed commit the journal could not cut back would be replayed
	// from it if a crash came before the new snapshot's rename.
	if s.journal.dirty {
		if err := s.journal.rewind(); err != nil {
			s.wmu.Unlock()
			return &WriteError{File: s.journal.path, Err: err}
		}
		s.journal.dirty = false
	}
	img, err := s.image()
	if err != nil {
		s.wmu.Unlock()
		return err
	}
	gen := s.gen + 1
	j, err := createJournal(s.dir, s.storeID, gen, s.dek, s.opts.wrapJournal)
	if err != nil {
		s.wmu.Unlock()
		return err
	}
	old := s.journal
	s.journal, s.gen = j, gen
	h := &snapshotHeader{Version: FormatVersion, StoreID: s.storeID, Gen: gen, Slots: s.slots}
	dek := s.dek
	s.wmu.Unlock()
	old.close()

	// Until the rename below, open replays the old snapshot, the old
	// journal and the new one.
	if err := writeSnapshot(s.dir, h, dek, img); err != nil {
		return err
	}
	// The old journals may go only once the rename is durable.
	if err := syncDir(s.dir); err != nil {
		return err
	}
	if err := s.removeOldJournals(gen); err != nil {
		return err
	}
	return syncDir(s.dir)
}

// removeOldJournals deletes the journals of generations below current.
func (s *Store) removeOldJournals(current uint64) error {
	gens, err := journalGens(s.dir)
	if err != nil {
		return err
	}
	for _, g := range gens {
		if g < current {
			os.Remove(filepath.Join(s.dir, journalName(g)))
		}
	}
	return nil
}

// startBackgroundCompaction compacts in a goroutine unless one runs.
// The caller holds wmu.
func (s *Store) startBackgroundCompaction() {
	if !s.compacting.CompareAndSwap(false, true) {
		return
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		defer s.compacting.Store(false)
		// A failure (disk full) leaves the journal in charge; the next
		// commit past the threshold tries again.
		_ = s.Compact()
	}()
}

// errUnchanged, from a rewrite's change, means there is nothing to write.
var errUnchanged = errors.New("data: key slots unchanged")

// rewrite replaces the key slots and possibly the data key, writing a new
// snapshot synchronously: the slots live in the snapshot header, so the
// rename makes slots, key and data change together. change gets a copy of
// the current slots and the current data key under both locks and returns
// the new ones, so that two changes at once cannot undo each other.
func (s *Store) rewrite(change func(slots []*keySlot, dek []byte) ([]*keySlot, []byte, error)) error {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if s.broken != nil {
		return s.broken
	}
	slots, dek, err := change(slices.Clone(s.slots), s.dek)
	if errors.Is(err, errUnchanged) {
		return nil
	}
	if err != nil {
		return err
	}
	img, err := s.image()
	if err != nil {
		return err
	}
	gen := s.gen + 1
	h := &snapshotHeader{Version: FormatVersion, StoreID: s.storeID, Gen: gen, Slots: slots}
	if err := writeSnapshot(s.dir, h, dek, img); err != nil {
		return err
	}
	// The new snapshot is in place; from here the store must move to it.
	s.journal.close()
	s.gen, s.slots, s.dek = gen, slots, dek
	// Until the rename is durable a power cut may bring back the old
	// snapshot, whose journal is closed now: write nothing more.
	if err := syncDir(s.dir); err != nil {
		s.broken = fmt.Errorf("data: store stopped: the new snapshot may not be on disk; reopen it: %w", err)
		return s.broken
	}
	j, err := createJournal(s.dir, s.storeID, gen, dek, s.opts.wrapJournal)
	if err != nil {
		s.broken = err
		return err
	}
	s.journal = j
	return s.removeOldJournals(gen)
}
