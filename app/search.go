package app

import (
	"mediadesk/data"
)

// SearchResult is a ranked full-text search over posts (title, body,
// comments) with the hits' ranges for highlighting (data.SearchResult).
type SearchResult = data.SearchResult

// SearchPosts finds posts matching query — one or more Chinese characters
// (1-character queries such as 诈 work), Latin words or digits — within
// the list filter q, best first, at most limit hits.
func (s *Session) SearchPosts(query string, q PostQuery, limit int) (SearchResult, error) {
	if err := s.checkActive(); err != nil {
		return SearchResult{}, err
	}
	return data.SearchPosts(s.store.Reader(), query, q, limit)
}

// CountPosts counts the posts the list filter q selects.
func (s *Session) CountPosts(q PostQuery) (int, error) {
	if err := s.checkActive(); err != nil {
		return 0, err
	}
	return data.CountPosts(s.store.Reader(), q)
}
