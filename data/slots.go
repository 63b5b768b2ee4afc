package data

import (
	"errors"
	"slices"
)

// ErrSlotExists: a user slot with this name exists already.
var ErrSlotExists = errors.New("该用户名已存在 / a user with this name exists already")

// SlotID returns the key slot that unlocked this session.
func (s *Store) SlotID() string { return s.slotID }

func (s *Store) copySlots() []*keySlot {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return slices.Clone(s.slots)
}

// findSlot returns the user slot for name, or nil.
func findSlot(slots []*keySlot, name string) *keySlot {
	for _, sl := range slots {
		if sl.Kind == slotUser && sl.matches(name) {
			return sl
		}
	}
	return nil
}

// VerifyPassword checks a user's password against their slot without
// reopening the store (the lock screen) and returns the slot ID.
func (s *Store) VerifyPassword(name, password string) (string, error) {
	sl := findSlot(s.copySlots(), name)
	if sl == nil {
		return "", ErrUnknownUser
	}
	if _, err := sl.open(s.storeID, password); err != nil {
		return "", err
	}
	return sl.ID, nil
}

// VerifyRecoveryKey checks the recovery key without reopening the store.
func (s *Store) VerifyRecoveryKey(key string) error {
	for _, sl := range s.copySlots() {
		if sl.Kind == slotRecovery {
			_, err := sl.open(s.storeID, normalRecoveryKey(key))
			if errors.Is(err, ErrWrongPassword) {
				return ErrWrongRecoveryKey
			}
			return err
		}
	}
	return ErrUnknownUser
}

// AddUserSlot gives name a key slot opened by password and returns its ID.
func (s *Store) AddUserSlot(name, password string) (string, error) {
	if len([]rune(password)) < MinPasswordLength {
		return "", ErrWeakPassword
	}
	if s.HasUserSlot(name) {
		return "", ErrSlotExists // before the slow key derivation
	}
	sl, err := newSlot(s.storeID, slotUser, name, password, s.opts.kdf())
	if err != nil {
		return "", err
	}
	return sl.ID, s.rewrite(func(slots []*keySlot, dek []byte) ([]*keySlot, []byte, error) {
		if findSlot(slots, name) != nil {
			return nil, nil, ErrSlotExists
		}
		return append(slots, sl), dek, sl.wrap(s.storeID, dek)
	})
}

// SetUserPassword replaces name's slot with one opened by password (a
// password change or an admin reset) and rotates the data key. It returns
// the new slot ID.
func (s *Store) SetUserPassword(name, password string) (string, error) {
	if len([]rune(password)) < MinPasswordLength {
		return "", ErrWeakPassword
	}
	sl, err := newSlot(s.storeID, slotUser, name, password, s.opts.kdf())
	if err != nil {
		return "", err
	}
	return sl.ID, s.rewrite(func(slots []*keySlot, _ []byte) ([]*keySlot, []byte, error) {
		slots = slices.DeleteFunc(slots, func(o *keySlot) bool { return o.Kind == slotUser && o.matches(name) })
		return s.rotated(append(slots, sl))
	})
}

// RemoveUserSlot deletes name's slot and rotates the data key: the new
// snapshot and every later journal record are sealed under a key the
// removed password never opened.
func (s *Store) RemoveUserSlot(name string) error {
	return s.rewrite(func(slots []*keySlot, _ []byte) ([]*keySlot, []byte, error) {
		before := len(slots)
		slots = slices.DeleteFunc(slots, func(o *keySlot) bool { return o.Kind == slotUser && o.matches(name) })
		if len(slots) == before {
			return nil, nil, errUnchanged
		}
		return s.rotated(slots)
	})
}

// rotated wraps a new data key to copies of slots. Every slot change that
// takes a secret away (a removed user, a changed or reset password, a new
// recovery key) rotates the key: the new snapshot and every later journal
// record are sealed under a key the old secret never opened, so the old
// secret and a copy of an old store.mds read nothing written since.
// Attachments keep their own keys (in the database), so none is rewritten.
func (s *Store) rotated(slots []*keySlot) ([]*keySlot, []byte, error) {
	dek := randomBytes(32)
	for i, sl := range slots {
		c := *sl
		if err := c.wrap(s.storeID, dek); err != nil {
			return nil, nil, err
		}
		slots[i] = &c
	}
	return slots, dek, nil
}

// NewRecoveryKey replaces the recovery slot, rotates the data key and
// returns the new key.
func (s *Store) NewRecoveryKey() (string, error) {
	key := newRecoveryKey()
	sl, err := newSlot(s.storeID, slotRecovery, recoveryName, normalRecoveryKey(key), s.opts.kdf())
	if err != nil {
		return "", err
	}
	return key, s.rewrite(func(slots []*keySlot, _ []byte) ([]*keySlot, []byte, error) {
		slots = slices.DeleteFunc(slots, func(o *keySlot) bool { return o.Kind == slotRecovery })
		return s.rotated(append(slots, sl))
	})
}

// HasUserSlot reports whether name has a key slot.
func (s *Store) HasUserSlot(name string) bool { return findSlot(s.copySlots(), name) != nil }

// OpenWithAnyPassword unlocks the store with the first user slot, in the
// order the slots were made, that password opens. The command line uses
// it when no user name is given; SlotOwner then tells whose slot it was.
func OpenWithAnyPassword(dir, password string, opts Options) (*Store, error) {
	return open(dir, opts, func(sl *keySlot) bool { return sl.Kind == slotUser }, password)
}

// SlotOwner returns the name among names whose key slot unlocked this
// session, or "" when none does.
func (s *Store) SlotOwner(names []string) string {
	for _, sl := range s.copySlots() {
		if sl.ID != s.slotID {
			continue
		}
		for _, n := range names {
			if sl.matches(n) {
				return n
			}
		}
	}
	return ""
}
