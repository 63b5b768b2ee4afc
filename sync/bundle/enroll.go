package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"mediadesk/sync/internal/frames"
	"mediadesk/sync/internal/refuse"
	"mediadesk/sync/internal/splitfile"
)

// Enrollment limits and names (docs/bundle-format.md §8).
const (
	maxEnrollmentJSON    = 16 << 20
	maxEnrollmentRecords = 100_000
	maxNameRunes         = 100
	enrollmentFormat     = "mediadesk-enrollment"
	memberEnrollment     = "enrollment.json"
	memberEnrollmentSig  = "enrollment.json.minisig"
)

// Enrollment is what HQ gives a new station: who HQ is (its public keys,
// to compare by fingerprint), who the station is, and the records it
// starts with (reply templates, lexicon, …).
type Enrollment struct {
	// ID is a UUIDv7; empty means a new one when written.
	ID string
	// Issued is when HQ wrote it; zero means now.
	Issued time.Time
	// HQUnit and HQName name HQ; HQ holds its public keys (set from the
	// signing keys when written).
	HQUnit, HQName string
	HQ             PublicKeys
	// Unit and UnitName name the station being enrolled.
	Unit, UnitName string
	// Records are owned by HQ.
	Records []Record
}

// enrollmentJSON is the enrollment.json object.
type enrollmentJSON struct {
	Format           string       `json:"format"`
	Version          int          `json:"version"`
	MinReaderVersion int          `json:"min_reader_version"`
	EnrollmentID     string       `json:"enrollment_id"`
	Issued           time.Time    `json:"issued"`
	HQ               hqJSON       `json:"hq"`
	Unit             unitJSON     `json:"unit"`
	Records          []recordJSON `json:"records"`
}

type hqJSON struct {
	Unit     string `json:"unit"`
	Name     string `json:"name"`
	KeyID    string `json:"key_id"`
	Minisign string `json:"minisign"`
	Age      string `json:"age"`
}

type unitJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type recordJSON struct {
	Type    string          `json:"type"`
	ID      string          `json:"id"`
	Owner   string          `json:"owner"`
	Version int64           `json:"version"`
	Data    json.RawMessage `json:"data"`
}

// EnrollmentFileName returns the file name of a unit's enrollment file.
func EnrollmentFileName(unit string) string { return unit + ".mdenroll" }

func (j *enrollmentJSON) trustedComment() string {
	return fmt.Sprintf("%s v%d id:%s unit:%s", enrollmentFormat, FormatVersion, j.EnrollmentID, j.Unit.ID)
}

// WriteEnrollment writes e, signed with HQ's keys, into dir as
// <unit>.mdenroll (temp name, fsync, read back, rename) and returns its
// path.
func WriteEnrollment(dir string, hq *Keys, e Enrollment) (string, error) {
	if hq == nil {
		return "", refuse.New(refuse.InvalidInput, "缺少 HQ 密钥", "HQ keys missing")
	}
	e.HQ = hq.Public()
	if e.ID == "" {
		u, err := uuid.NewV7()
		if err != nil {
			return "", err
		}
		e.ID = u.String()
	}
	if e.Issued.IsZero() {
		e.Issued = time.Now()
	}
	j := enrollmentJSON{Format: enrollmentFormat, Version: FormatVersion, MinReaderVersion: 1,
		EnrollmentID: e.ID, Issued: e.Issued.UTC().Truncate(time.Second),
		HQ:   hqJSON{Unit: e.HQUnit, Name: e.HQName, KeyID: e.HQ.KeyID(), Minisign: e.HQ.Minisign(), Age: e.HQ.Age()},
		Unit: unitJSON{ID: e.Unit, Name: e.UnitName}, Records: []recordJSON{}}
	for _, r := range e.Records {
		j.Records = append(j.Records, recordJSON(r))
	}
	if err := j.validate(); err != nil {
		return "", refuse.New(refuse.InvalidInput, "登记信息无效", err.Error())
	}
	body, err := json.Marshal(&j)
	if err != nil {
		return "", err
	}
	body = append(body, '\n')
	if len(body) > maxEnrollmentJSON {
		return "", refuse.New(refuse.Oversized, "enrollment.json 超过 16 MiB", "enrollment.json is over 16 MiB")
	}
	sig := sign(hq, body, j.trustedComment(), "HQ "+e.HQUnit)
	file, err := appendMember(nil, memberEnrollment, body, j.Issued)
	if err == nil {
		file, err = appendMember(file, memberEnrollmentSig, sig, j.Issued)
	}
	if err != nil {
		return "", err
	}
	file = append(file, make([]byte, trailerSize)...)
	return writeSmallFile(dir, EnrollmentFileName(e.Unit), file, func(b []byte) error {
		_, err := ParseEnrollment(b)
		return err
	})
}

// writeSmallFile writes data as dir/name durably, checking what it reads
// back with check before the rename.
func writeSmallFile(dir, name string, data []byte, check func([]byte) error) (string, error) {
	w, err := splitfile.Create(dir, name, math.MaxInt64, 0)
	if err != nil {
		return "", writeErr(err)
	}
	if _, err := w.Write(data); err != nil {
		w.Abort()
		return "", writeErr(err)
	}
	if err := w.Sync(); err != nil {
		w.Abort()
		return "", writeErr(err)
	}
	back, err := os.ReadFile(w.TempPaths()[0])
	if err == nil && !bytes.Equal(back, data) {
		err = refuse.New(refuse.Damaged, "写入后读回的内容不同", "what was read back differs from what was written")
	}
	if err == nil {
		err = check(back)
	}
	if err != nil {
		w.Abort()
		return "", writeErr(err)
	}
	paths, err := w.Commit()
	if err != nil {
		return "", writeErr(err)
	}
	return paths[0], nil
}

// ReadEnrollment reads and checks an enrollment file: container,
// signature against the HQ key it carries, and every field. Whether that
// key is really HQ's is for people to confirm by its fingerprint.
func ReadEnrollment(path string) (*Enrollment, error) {
	name := filepath.Base(path)
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("无法打开 %s / cannot open %s: %w", name, name, err)
	}
	if st.Size() > maxEnrollmentJSON+maxSignature+8*512 {
		// Too big to be one; a bundle picked instead is told as such.
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("无法打开 %s / cannot open %s: %w", name, name, err)
		}
		defer f.Close()
		if _, _, err = readHead(f, st.Size(), []slot{{memberEnrollment, maxEnrollmentJSON, false}}); err == nil {
			err = refuse.New(refuse.Oversized, "", "")
		}
		return nil, refuse.InFile(err, name)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("无法打开 %s / cannot open %s: %w", name, name, err)
	}
	e, err := ParseEnrollment(b)
	return e, refuse.InFile(err, name)
}

// ParseEnrollment is ReadEnrollment over the file's bytes.
func ParseEnrollment(b []byte) (*Enrollment, error) {
	members, off, err := readHead(bytes.NewReader(b), int64(len(b)), []slot{
		{memberEnrollment, maxEnrollmentJSON, true},
		{memberEnrollmentSig, maxSignature, true},
	})
	if err != nil {
		return nil, err
	}
	switch rest := int64(len(b)) - off; {
	case rest < trailerSize:
		return nil, refuse.New(refuse.Truncated, "", "")
	case rest > trailerSize || !allZero(b[off:]):
		return nil, refuse.New(refuse.Damaged, "文件结尾之后还有内容", "there are bytes after the end of the archive")
	}
	body, sig := members[0].data, members[1].data
	if !bytes.HasSuffix(body, []byte("}\n")) || bytes.Count(body, []byte{'\n'}) != 1 || !json.Valid(body) {
		return nil, refuse.New(refuse.Damaged, "enrollment.json 不是一行 JSON 对象", "enrollment.json is not one JSON object on one line")
	}
	// As for a manifest: only what the signature is checked with is read
	// before it, the rest once it verifies.
	var pre struct {
		Format           string `json:"format"`
		MinReaderVersion int    `json:"min_reader_version"`
		HQ               hqJSON `json:"hq"`
	}
	if err := json.Unmarshal(body, &pre); err != nil {
		return nil, refuse.Wrap(refuse.BadSignature, err, "无法读取 HQ 公钥", "the HQ key cannot be read")
	}
	if pre.Format != enrollmentFormat {
		return nil, refuse.New(refuse.NotBundle, "", "")
	}
	if pre.MinReaderVersion > ReaderVersion {
		return nil, refuse.New(refuse.NewerFormat, "", "")
	}
	hq, err := ParsePublicKeys(pre.HQ.Minisign, pre.HQ.Age)
	if err != nil {
		return nil, refuse.Wrap(refuse.BadSignature, err, "HQ 公钥无效", "the HQ key is invalid")
	}
	trusted, err := verifySignature(hq, pre.HQ.KeyID, body, sig)
	if err != nil {
		return nil, err
	}
	var j enrollmentJSON
	if err := json.Unmarshal(body, &j); err != nil {
		return nil, refuse.Wrap(refuse.BadManifest, err, "登记信息中有类型不对的值", "a value has the wrong type: "+err.Error())
	}
	if err := checkComment(trusted, j.trustedComment()); err != nil {
		return nil, err
	}
	if err := j.validate(); err != nil {
		return nil, refuse.New(refuse.BadManifest, "登记信息无效", err.Error())
	}
	e := &Enrollment{ID: j.EnrollmentID, Issued: j.Issued, HQUnit: j.HQ.Unit, HQName: j.HQ.Name, HQ: hq,
		Unit: j.Unit.ID, UnitName: j.Unit.Name, Records: make([]Record, len(j.Records))}
	for i, r := range j.Records {
		e.Records[i] = Record(r)
	}
	return e, nil
}

// validate checks the fields; its errors are English details.
func (j *enrollmentJSON) validate() error {
	switch {
	case j.Version < 1 || j.MinReaderVersion < 1 || j.MinReaderVersion > j.Version:
		return fmt.Errorf("bad version numbers")
	case !validUUIDv7(j.EnrollmentID):
		return fmt.Errorf("enrollment_id is not a UUIDv7")
	case j.Issued.IsZero():
		return fmt.Errorf("no issued time")
	case !ValidUnitID(j.HQ.Unit) || !ValidUnitID(j.Unit.ID) || j.HQ.Unit == j.Unit.ID:
		return fmt.Errorf("bad HQ or unit id")
	case !validName(j.HQ.Name) || !validName(j.Unit.Name):
		return fmt.Errorf("names must be 1–%d characters without control characters", maxNameRunes)
	case len(j.Records) > maxEnrollmentRecords:
		return fmt.Errorf("more than %d records", maxEnrollmentRecords)
	}
	for _, r := range j.Records {
		if _, err := frames.CheckRecord(frames.Record(r)); err != nil {
			return err
		}
		if r.Owner != j.HQ.Unit {
			return fmt.Errorf("record %s %s is not owned by HQ", r.Type, r.ID)
		}
	}
	return nil
}

func validUUIDv7(s string) bool {
	id, err := uuid.Parse(s)
	return err == nil && id.Version() == 7 && id.String() == s
}

// validName reports whether s is a unit name: 1–100 characters of valid
// UTF-8 without control characters.
func validName(s string) bool {
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxNameRunes {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}
