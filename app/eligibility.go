package app

import (
	"errors"
	"strings"

	"mediadesk/app/checker"
)

// ErrArt14 refuses an account that Art. 14 forbids; its message cites the
// article.
var ErrArt14 = errors.New("依据《规定》第十四条，国保、反恐等部门（警种）及其民警不得以人民警察身份开设新媒体，重点涉密岗位民警不得开设新媒体，此账号不能报备 / under Art. 14, domestic-security (国保) and counter-terrorism (反恐) units and their officers may not open accounts as police, and officers in key classified posts may not open accounts: this account cannot be filed")

// restrictedDepartments are the department words Art. 14 names.
var restrictedDepartments = []string{"国保", "国内安全保卫", "反恐", "反恐怖"}

// RestrictedDepartment reports whether a unit, department or post name is
// one Art. 14 bars from opening police accounts. The name is compared as
// the content checker normalises text (checker.Normalize: NFKC, width
// folding, traditional → simplified, separators of any kind dropped), so
// 國保大隊, 国　保 and 国-保 are 国保.
func RestrictedDepartment(name string) bool {
	norm, _ := checker.Normalize(name)
	n := string(norm)
	for _, w := range restrictedDepartments {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// AccountHolder is what Art. 14 looks at when an account is filed: the
// owning unit and department and, for a personal work account, the
// officer.
type AccountHolder struct {
	Unit              string // the owning unit's name (Art. 14 bars 国保, 反恐 units as well as departments)
	Department        string // the owning unit's department or 警种
	Personal          bool   // an officer's personal work account
	OfficerDepartment string // the officer's department or post
	KeyClassifiedPost bool   // the officer holds a key classified post (重点涉密岗位)
}

// CheckArt14 refuses, as the form is filled, an account Art. 14 forbids.
// It returns a FieldError on the field that decides it; the unit, which
// the form does not ask for, is field "unit".
func CheckArt14(h AccountHolder) error {
	if RestrictedDepartment(h.Unit) {
		return &FieldError{Field: "unit", Msg: ErrArt14.Error()}
	}
	if RestrictedDepartment(h.Department) {
		return &FieldError{Field: "department", Msg: ErrArt14.Error()}
	}
	if h.Personal && RestrictedDepartment(h.OfficerDepartment) {
		return &FieldError{Field: "officer", Msg: ErrArt14.Error()}
	}
	if h.Personal && h.KeyClassifiedPost {
		return &FieldError{Field: "officer", Msg: ErrArt14.Error()}
	}
	return nil
}
