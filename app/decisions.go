package app

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"mediadesk/app/checker"
	"mediadesk/data"
)

// HQ's decisions on station records (Art. 11, 20, 21): HQ writes a
// decision record, it travels to the station in HQ's next bundle, and the
// station applies it to its own record (docs/sync-records.md §4). HQ never
// edits a station's record itself.

// Decision kinds on posts.
const (
	DecisionApprove = "approve" // 宣传科同意发布
	DecisionReturn  = "return"  // 宣传科退回
)

// ErrAlreadyDecided: HQ has already decided on this content.
var ErrAlreadyDecided = errors.New("已对这一版本作出决定，决定会在下次同步时送达 / already decided on this version: the decision goes out with the next bundle")

// ApproveBlockedError refuses HQ's approval of a post that HQ's current
// lexicon BLOCKs, naming the finding. errors.Is(err, ErrBlocked) is true.
type ApproveBlockedError struct{ Finding checker.Finding }

func (e *ApproveBlockedError) Error() string {
	return fmt.Sprintf("稿件含有按现行词库禁止发布的内容“%s”（%s），不能同意发布；请退回并写明修改意见 / the post contains %q (%s), which the current lexicon prohibits: it cannot be approved; return it saying what to change",
		e.Finding.Text, e.Finding.Article, e.Finding.Text, e.Finding.Article)
}

// Is makes errors.Is(err, ErrBlocked) true.
func (e *ApproveBlockedError) Is(target error) bool { return target == ErrBlocked }

// requireHQStaff checks the desk is not locked and the user works at HQ.
func (s *Session) requireHQStaff() error {
	if err := s.checkActive(); err != nil {
		return err
	}
	if s.unit.Kind != HQ {
		return ErrHQOnly
	}
	return nil
}

// DecidePost (HQ) approves or returns a station's post that awaits HQ. hash
// is the content hash the decider read: if the post changed since, it is
// ErrChanged. Returning needs a comment.
func (s *Session) DecidePost(postID, hash string, approve bool, comment string) (data.Decision, error) {
	if err := s.requireHQStaff(); err != nil {
		return data.Decision{}, err
	}
	comment = strings.TrimSpace(comment)
	if !approve && comment == "" {
		return data.Decision{}, &FieldError{Field: "comment", Msg: "退回时请写明修改意见 / say what to change when returning a post"}
	}
	lex := s.Lexicon()
	var d data.Decision
	err := s.store.Write(func(tx *data.Tx) error {
		p, err := data.PostByID(tx, postID)
		if err != nil {
			return err
		}
		if p.Status != string(AwaitingHQ) {
			return ErrWrongStatus
		}
		if hex.EncodeToString(p.ContentHash) != hash {
			return ErrChanged
		}
		// A decision on this content still on its way to the station
		// stands; one the station applied (and then sent the same content
		// again: returned, resubmitted unchanged) does not, nor one the
		// station received and could not apply (the post was being edited
		// then; it came back to this content since).
		earlier, err := data.DecisionsOn(tx, "post", postID)
		if err != nil {
			return err
		}
		events, err := data.PostEvents(tx, postID)
		if err != nil {
			return err
		}
		for _, e := range earlier {
			if !bytes.Equal(e.ContentHash, p.ContentHash) {
				continue
			}
			applied := slices.ContainsFunc(events, func(ev data.PostEvent) bool { return ev.ID == decisionEventID(e.ID) })
			delivered, err := data.DecisionDelivered(tx, e.ID)
			if err != nil {
				return err
			}
			if !applied && !delivered {
				return ErrAlreadyDecided
			}
		}
		if approve {
			images, err := data.PostImages(tx, postID)
			if err != nil {
				return err
			}
			for _, f := range findingsOf(lex, draftOf(p, images)) {
				if f.Action == checker.Block {
					return &ApproveBlockedError{Finding: f}
				}
			}
		}
		kind := DecisionReturn
		if approve {
			kind = DecisionApprove
		}
		d = data.Decision{ID: uuid.Must(uuid.NewV7()).String(), OwnerUnit: s.unit.ID, UnitID: p.OwnerUnit, SubjectKind: "post", SubjectID: postID,
			Decision: kind, ContentHash: p.ContentHash, Comment: comment, DecidedBy: s.User().DisplayName, DecidedAt: s.now(), Version: 1}
		if err := data.SaveDecision(tx, d); err != nil {
			return err
		}
		return data.AppendAudit(tx, d.DecidedAt, s.User().Name, "decision.post."+kind, postID, comment)
	})
	return d, err
}

// DecideFiling (HQ) accepts (StepAccept), rejects (StepReject, with a
// reason) or marks verified (StepVerify) a station's account filing.
func (s *Session) DecideFiling(accountID string, step FilingStep, reason string) (data.Decision, error) {
	if err := s.requireHQStaff(); err != nil {
		return data.Decision{}, err
	}
	if step != StepAccept && step != StepReject && step != StepVerify {
		return data.Decision{}, ErrTransition
	}
	reason = strings.TrimSpace(reason)
	if step == StepReject && reason == "" {
		return data.Decision{}, &FieldError{Field: "reason", Msg: "退回报备须写明理由 / a rejection needs a reason"}
	}
	var d data.Decision
	err := s.store.Write(func(tx *data.Tx) error {
		a, err := data.AccountByID(tx, accountID)
		if err != nil {
			return err
		}
		if a.OwnerUnit == s.unit.ID {
			return ErrBureauAccount // HQ's own: recorded, not filed (SaveBureauAccount)
		}
		// The station applies decisions in order: judge against the status
		// the decisions still on their way will bring it to (ones the
		// station's newer version already reflects are past).
		status := FilingStatus(a.Status)
		pending, err := data.PendingFilingDecisions(tx)
		if err != nil {
			return err
		}
		for _, e := range pending[accountID] {
			if next, err := NextFiling(status, FilingStep(e.Decision)); err == nil {
				status = next
			}
		}
		if _, err := NextFiling(status, step); err != nil {
			return err
		}
		d = data.Decision{ID: uuid.Must(uuid.NewV7()).String(), OwnerUnit: s.unit.ID, UnitID: a.OwnerUnit, SubjectKind: "account", SubjectID: accountID,
			Decision: string(step), Comment: reason, DecidedBy: s.User().DisplayName, DecidedAt: s.now(), Version: 1}
		if err := data.SaveDecision(tx, d); err != nil {
			return err
		}
		if err := data.SaveDecisionBasis(tx, d.ID, a.Version, a.Status); err != nil {
			return err
		}
		return data.AppendAudit(tx, d.DecidedAt, s.User().Name, "decision.account."+string(step), accountID, reason)
	})
	return d, err
}

// applyDecision applies a decision that has just arrived from HQ. One that
// no longer fits (the post was edited since, the filing moved on) is kept
// for the record and changes nothing.
func (s *Session) applyDecision(tx *data.Tx, id string) error {
	d, err := data.DecisionByID(tx, id)
	if err != nil {
		return err
	}
	switch d.SubjectKind {
	case "account":
		a, err := data.AccountByID(tx, d.SubjectID)
		if err != nil {
			return nil // not ours (HQ named an account this install does not hold)
		}
		if _, err := NextFiling(FilingStatus(a.Status), FilingStep(d.Decision)); err != nil {
			return nil
		}
		_, err = s.applyFilingDecision(tx, d.ID, d.SubjectID, FilingStep(d.Decision), d.Comment, "宣传科 "+d.DecidedBy, time.UnixMilli(d.DecidedAt))
		return err
	case "post":
		err := s.applyPostDecision(tx, d)
		if errors.Is(err, data.ErrNotFound) || errors.Is(err, ErrNotAllowed) || errors.Is(err, ErrWrongStatus) || errors.Is(err, ErrChanged) {
			return nil
		}
		return err
	}
	return nil
}

// applyPostDecision applies HQ's decision d to the station's post: it must
// await HQ with the content d names (else ErrWrongStatus or ErrChanged).
func (s *Session) applyPostDecision(tx *data.Tx, d data.Decision) error {
	p, err := data.PostByID(tx, d.SubjectID)
	if err != nil {
		return err
	}
	if p.OwnerUnit != s.unit.ID {
		return ErrNotAllowed
	}
	if p.Status != string(AwaitingHQ) {
		return ErrWrongStatus
	}
	if !bytes.Equal(p.ContentHash, d.ContentHash) || !bytes.Equal(p.ApprovedHash, d.ContentHash) {
		return ErrChanged
	}
	by := strings.TrimSpace("宣传科 " + d.DecidedBy)
	next, kind := Ready, "hq_approve"
	if d.Decision == DecisionApprove {
		p.HQHash = p.ContentHash
	} else {
		next, kind = Returned, "hq_return"
		p.ApprovedHash, p.ApprovedBy = nil, ""
	}
	p.Status = string(next)
	p.UpdatedAt, p.Version = d.DecidedAt, p.Version+1
	if err := data.SavePost(tx, p); err != nil {
		return err
	}
	if err := data.AddPostEvent(tx, data.PostEvent{ID: decisionEventID(d.ID), PostID: p.ID, At: d.DecidedAt, Actor: by,
		Kind: kind, FromStatus: string(AwaitingHQ), ToStatus: string(next), ContentHash: p.ContentHash, Comment: d.Comment}); err != nil {
		return err
	}
	return data.AppendAudit(tx, s.now(), s.User().Name, "post."+kind, p.ID, strings.TrimSpace(by+" "+d.Comment))
}
