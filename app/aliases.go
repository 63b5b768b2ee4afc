package app

import "mediadesk/data"

// Records that screens show as the store keeps them. Screens talk to app/
// only, so the types they need are named here.
type (
	// PostHead is a post in a short list (the home's 待审核).
	PostHead = data.PostHead
	// MessageHead is a netizen message in a short list (the home's overdue ones).
	MessageHead = data.MessageHead
	// NoticeHead is a rectification notice in a short list (the home's open ones).
	NoticeHead = data.NoticeHead
	// IdleAccount is a live account without a recent post (僵尸, 睡眠).
	IdleAccount = data.IdleAccount
	// Decision is one of HQ's decisions on a post or a filing.
	Decision = data.Decision
	// UnitRecord is a unit in this install's register of units (HQ and the
	// stations) with its sync state; Unit is the install's own unit.
	UnitRecord = data.Unit
	// LedgerEntry is one bundle written or read, in the sync ledger.
	LedgerEntry = data.LedgerEntry
	// StoreOptions tune the store (Config.Store); KDFParams are its key
	// derivation's, which tests make cheap.
	StoreOptions = data.Options
	KDFParams    = data.KDFParams
)
