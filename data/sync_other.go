//go:build !linux

package data

// dataSync flushes a file's data; outside Linux it is a full sync.
func dataSync(f journalFile) error { return f.Sync() }
