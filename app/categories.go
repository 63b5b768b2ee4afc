package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"mediadesk/data"
)

const keyPostCategories = "post.categories"

// PostCategories returns the unit's list of post categories.
func (s *Session) PostCategories() []string {
	v, err := data.Setting(s.store.Reader(), keyPostCategories)
	if err != nil {
		return slices.Clone(DefaultPostCategories)
	}
	var list []string
	if json.Unmarshal([]byte(v), &list) != nil || len(list) == 0 {
		return slices.Clone(DefaultPostCategories)
	}
	return list
}

// SetPostCategories replaces the list of post categories (admins only).
// Posts keep the category they were saved with.
func (s *Session) SetPostCategories(list []string) error {
	if err := s.requireAdmin(); err != nil {
		return err
	}
	var clean []string
	for _, c := range list {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if utf8.RuneCountInString(c) > 20 || strings.ContainsAny(c, "\r\n\t") {
			return &FieldError{Field: "categories", Msg: fmt.Sprintf("类别 %q 太长或含换行（最多 20 字）/ category %q is too long or has a line break (at most 20 characters)", c, c)}
		}
		if !slices.Contains(clean, c) {
			clean = append(clean, c)
		}
	}
	if len(clean) == 0 {
		return &FieldError{Field: "categories", Msg: "至少保留一个类别 / keep at least one category"}
	}
	b, _ := json.Marshal(clean)
	return s.store.Write(func(tx *data.Tx) error {
		if err := data.SetSetting(tx, keyPostCategories, string(b)); err != nil {
			return err
		}
		return data.AppendAudit(tx, s.now(), s.User().Name, "settings.post_categories", "", string(b))
	})
}
