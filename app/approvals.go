package app

import (
	"cmp"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"mediadesk/data"
)

// HQ's approval queues (Art. 11, 13, 20, 21): the stations' sensitive posts
// that await HQ, and their account filings. HQ decides with DecidePost and
// DecideFiling; a decision travels to the station in HQ's next bundle, so
// an item HQ has decided on stays as decided (已决定，待下发) until the
// station's newer version arrives.

// QueuedPost is a post in HQ's approval queue.
type QueuedPost struct {
	ID, Title   string
	Station     string    // the station that sent it
	Author      string    // the author's display name, empty if unknown
	SentAt      time.Time // when the station sent it to HQ
	ContentHash string    // hex SHA-256 of the version waiting
	// Decided reports that HQ has decided on this version: the decision
	// goes out with the next bundle.
	Decided bool
}

// queuedPost converts a data row.
func queuedPost(p data.QueuedPost) QueuedPost {
	return QueuedPost{ID: p.ID, Title: p.Title, Station: p.UnitName, Author: p.AuthorName,
		SentAt: time.UnixMilli(p.SentAt), ContentHash: hex.EncodeToString(p.ContentHash), Decided: p.DecisionID != ""}
}

// PostQueue (HQ) lists the posts awaiting HQ: those still waiting for a
// decision first, then those decided, each the first sent first.
func (s *Session) PostQueue() ([]QueuedPost, error) {
	if err := s.requireHQStaff(); err != nil {
		return nil, err
	}
	rows, err := data.PostQueue(s.store.Reader())
	if err != nil {
		return nil, err
	}
	out := make([]QueuedPost, len(rows))
	for i, p := range rows {
		out[i] = queuedPost(p)
	}
	slices.SortStableFunc(out, func(a, b QueuedPost) int {
		if a.Decided != b.Decided {
			if a.Decided {
				return 1
			}
			return -1
		}
		return 0
	})
	return out, nil
}

// PostApproval is a queued post as HQ reviews it: the post with the
// checker's findings re-run on HQ's current lexicon and the station's
// review trail (PostDetail), who sent it, and HQ's decision on this
// version if it made one.
type PostApproval struct {
	PostDetail
	Queued   QueuedPost
	Decision *data.Decision // nil while the version waits
}

// Decidable reports whether HQ can still decide on the version shown: it
// awaits HQ and HQ has not decided on it.
func (a PostApproval) Decidable() bool { return a.Post.Status == AwaitingHQ && a.Decision == nil }

// PostForApproval (HQ) returns post id as HQ reviews it.
func (s *Session) PostForApproval(id string) (PostApproval, error) {
	if err := s.requireHQStaff(); err != nil {
		return PostApproval{}, err
	}
	pd, err := s.Post(id)
	if err != nil {
		return PostApproval{}, err
	}
	q := s.store.Reader()
	row, err := data.QueuedPostByID(q, id)
	if err != nil {
		return PostApproval{}, err
	}
	a := PostApproval{PostDetail: pd, Queued: queuedPost(row)}
	if row.DecisionID != "" {
		d, err := data.DecisionByID(q, row.DecisionID)
		if err != nil {
			return a, err
		}
		a.Decision = &d
	}
	return a, nil
}

// FilingStage is a part of HQ's filing queue.
type FilingStage string

// The filing queue's parts.
const (
	FilingsToDecide FilingStage = "decide" // 已报备: accept, or reject with a reason
	FilingsToVerify FilingStage = "verify" // 已备案 (or accepted, the decision on its way): may be marked 认证
)

// FilingQueue (HQ) lists the filings of a stage, the first filed first:
// to decide, those 已报备 with no decision pending; to verify, those that
// are (or, once HQ's pending decisions arrive, will be) 已备案.
func (s *Session) FilingQueue(stage FilingStage) ([]CountyAccount, error) {
	all, err := s.Matrix(AccountFilter{})
	if err != nil {
		return nil, err
	}
	out := slices.DeleteFunc(all, func(c CountyAccount) bool {
		if c.Bureau {
			return true // HQ's own accounts: recorded, not filed
		}
		if stage == FilingsToDecide {
			return !c.Waiting()
		}
		return c.Effective != FilingAccepted
	})
	slices.SortFunc(out, func(a, b CountyAccount) int {
		return cmp.Or(cmp.Compare(a.UpdatedAt, b.UpdatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Declaration is one Art. 13 declaration and whether the officer
// confirmed it.
type Declaration struct {
	Text      string
	Confirmed bool
}

// FilingReview is an account filing as HQ reviews it: the account with
// its station and pending decisions, the officer of a personal work
// account, the Art. 13 declarations and every decision HQ made on it.
type FilingReview struct {
	CountyAccount
	Officer      *RosterEntry  // personal work accounts: the roster entry; nil if none or not arrived
	Declarations []Declaration // personal work accounts: Art13Declarations, each confirmed or not
	Decisions    []data.Decision
	SameID       []SamePlatformID // other units' filings (and the bureau's accounts) with this platform ID
}

// SamePlatformID is another unit's account with the platform ID of the
// filing HQ reviews, neither closed nor only planned: the same account
// filed twice, or an ID typed wrong. HQ checks before accepting.
type SamePlatformID struct {
	Station string // the unit's name (宣传科 for the bureau's own accounts)
	Name    string // the account's name there
	Status  FilingStatus
}

// FilingForReview (HQ) returns account id as HQ reviews it.
func (s *Session) FilingForReview(id string) (FilingReview, error) {
	if err := s.requireHQStaff(); err != nil {
		return FilingReview{}, err
	}
	q := s.store.Reader()
	a, err := data.AccountByID(q, id)
	if errors.Is(err, data.ErrNotFound) {
		return FilingReview{}, ErrNoAccount
	}
	if err != nil {
		return FilingReview{}, err
	}
	last, err := data.LastPublishedOn(q, id)
	if err != nil {
		return FilingReview{}, err
	}
	pending, err := data.PendingFilingDecisions(q)
	if err != nil {
		return FilingReview{}, err
	}
	names, err := unitNames(q)
	if err != nil {
		return FilingReview{}, err
	}
	r := FilingReview{CountyAccount: countyAccount(entryOf(a, last, s.ActivityRule(), s.cfg.now()), names, pending[id])}
	if r.Decisions, err = data.DecisionsOn(q, "account", id); err != nil {
		return r, err
	}
	if a.PlatformID != "" {
		same, err := data.OtherUnitsAccountsWithPlatformID(q, a.OwnerUnit, a.Platform, a.PlatformID, string(FilingClosed), string(FilingPlanned))
		if err != nil {
			return r, err
		}
		for _, o := range same {
			r.SameID = append(r.SameID, SamePlatformID{Station: cmp.Or(names[o.OwnerUnit], o.OwnerUnit), Name: o.Name, Status: FilingStatus(o.Status)})
		}
	}
	if a.Kind != PersonalAccount {
		return r, nil
	}
	if o, err := data.OfficerByID(q, a.OfficerID); err == nil {
		r.Officer = &o
	} else if !errors.Is(err, data.ErrNotFound) {
		return r, err
	}
	var confirmed []string
	if a.Declarations != "" {
		_ = json.Unmarshal([]byte(a.Declarations), &confirmed) // unreadable: shown as not confirmed
	}
	for _, d := range Art13Declarations {
		r.Declarations = append(r.Declarations, Declaration{Text: d, Confirmed: slices.Contains(confirmed, d)})
	}
	return r, nil
}
