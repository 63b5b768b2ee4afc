package app

import "errors"

// ErrTransition refuses a step the state machine does not allow from the
// current state.
var ErrTransition = errors.New("当前状态下不能执行此操作，请刷新查看最新状态后再试 / this step is not allowed from the current state: refresh to see where it stands now, then try again")

// FilingStatus is where an account filing stands (Art. 11, 13).
type FilingStatus string

// Filing statuses.
const (
	FilingPlanned   FilingStatus = "planned"   // 拟开设
	FilingFiled     FilingStatus = "filed"     // 已报备 (sent to HQ)
	FilingAccepted  FilingStatus = "accepted"  // 已备案
	FilingRejected  FilingStatus = "rejected"  // 退回
	FilingVerified  FilingStatus = "verified"  // 已认证
	FilingSuspended FilingStatus = "suspended" // 停用
	FilingClosed    FilingStatus = "closed"    // 已注销
)

// FilingStep is an action on a filing; Station steps are the station's,
// the others HQ's decisions.
type FilingStep string

// Filing steps.
const (
	StepFile    FilingStep = "file"    // station sends it to HQ
	StepAccept  FilingStep = "accept"  // HQ
	StepReject  FilingStep = "reject"  // HQ, with a reason
	StepVerify  FilingStep = "verify"  // HQ marks it 认证
	StepSuspend FilingStep = "suspend" // station
	StepResume  FilingStep = "resume"  // station
	StepClose   FilingStep = "close"   // station
)

var filingMoves = map[FilingStatus]map[FilingStep]FilingStatus{
	FilingPlanned:   {StepFile: FilingFiled, StepClose: FilingClosed},
	FilingFiled:     {StepAccept: FilingAccepted, StepReject: FilingRejected},
	FilingRejected:  {StepFile: FilingFiled, StepClose: FilingClosed},
	FilingAccepted:  {StepVerify: FilingVerified, StepSuspend: FilingSuspended, StepClose: FilingClosed},
	FilingVerified:  {StepSuspend: FilingSuspended, StepClose: FilingClosed},
	FilingSuspended: {StepResume: FilingVerified, StepClose: FilingClosed},
}

// NextFiling returns the status a step leads to, or ErrTransition.
func NextFiling(from FilingStatus, step FilingStep) (FilingStatus, error) {
	if to, ok := filingMoves[from][step]; ok {
		return to, nil
	}
	return from, ErrTransition
}

// MessageStatus is where a netizen message stands (Art. 24).
type MessageStatus string

// Message statuses.
const (
	MsgAccepted    MessageStatus = "accepted"     // 受理
	MsgTransferred MessageStatus = "transferred"  // 流转 (to a named department)
	MsgHandled     MessageStatus = "handled"      // 处置
	MsgFeedback    MessageStatus = "feedback"     // 反馈
	MsgClosed      MessageStatus = "closed"       // 办结
	MsgOutOfScope  MessageStatus = "out_of_scope" // 非本机关职权 (the reply names the proper channel)
)

var messageMoves = map[MessageStatus][]MessageStatus{
	MsgAccepted:    {MsgTransferred, MsgHandled, MsgOutOfScope},
	MsgTransferred: {MsgHandled},
	MsgHandled:     {MsgFeedback},
	MsgFeedback:    {MsgClosed},
}

// CanMoveMessage reports whether a message may go from one status to
// another: 受理 → 流转 → 处置 → 反馈 → 办结 (a message the unit handles
// itself skips 流转), or 受理 → 非本机关职权.
func CanMoveMessage(from, to MessageStatus) bool {
	for _, s := range messageMoves[from] {
		if s == to {
			return true
		}
	}
	return false
}
