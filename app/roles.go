// Package app is the application core: who is signed in, what they may
// do, and the rules of every workflow. It has no window; the screens in
// ui/ and the command line call it, and tests drive it directly.
package app

import "slices"

// Kind is the kind of install: a station or the HQ publicity section.
type Kind string

// The two kinds of install.
const (
	Station Kind = "station" // 派出所/所队
	HQ      Kind = "hq"      // 宣传科
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Station || k == HQ }

// Role is what a user may do.
type Role string

// The roles. Station installs have officers, shift leaders and station
// admins; the HQ install has publicity-section staff and HQ admins.
const (
	Officer      Role = "officer"  // 民警
	ShiftLeader  Role = "leader"   // 带班领导
	StationAdmin Role = "admin"    // 站点管理员
	HQStaff      Role = "hq-staff" // 宣传科
	HQAdmin      Role = "hq-admin" // 宣传科管理员
)

// RolesFor lists the roles an install of kind k can give.
func RolesFor(k Kind) []Role {
	if k == HQ {
		return []Role{HQStaff, HQAdmin}
	}
	return []Role{Officer, ShiftLeader, StationAdmin}
}

// AdminRole is the administrator role of an install of kind k.
func AdminRole(k Kind) Role {
	if k == HQ {
		return HQAdmin
	}
	return StationAdmin
}

// IsAdmin reports whether r manages users and settings.
func (r Role) IsAdmin() bool { return r == StationAdmin || r == HQAdmin }

// ValidFor reports whether r belongs to an install of kind k.
func (r Role) ValidFor(k Kind) bool { return slices.Contains(RolesFor(k), r) }
