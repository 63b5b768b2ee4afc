package data

import (
	"database/sql"
	"errors"
)

// Training is one session of the training log (Art. 27).
type Training struct {
	ID        string
	OwnerUnit string
	HeldOn    string // YYYY-MM-DD
	Minutes   int64  // > 0; hours are kept as whole minutes so sums stay exact
	Form      string // a form code (app.TrainingForms)
	FormOther string // the form in words when Form is "other"
	Topics    string // topic codes, comma-separated (app.TrainingTopics)
	Trainer   string
	Place     string
	Summary   string
	CreatedBy string // user ID of whoever logged it
	CreatedAt int64
	UpdatedAt int64
	Version   int64
}

// TrainingSummary is a training as the log lists it, with its number of
// attendees.
type TrainingSummary struct {
	Training
	Attendees int
}

const trainingColumns = `id, owner_unit, held_on, minutes, form, form_other, topics, trainer, place, summary,
	created_by, created_at, updated_at, version`

func scanTraining(sc interface{ Scan(...any) error }, extra ...any) (Training, error) {
	var t Training
	err := sc.Scan(append([]any{&t.ID, &t.OwnerUnit, &t.HeldOn, &t.Minutes, &t.Form, &t.FormOther, &t.Topics, &t.Trainer,
		&t.Place, &t.Summary, &t.CreatedBy, &t.CreatedAt, &t.UpdatedAt, &t.Version}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	return t, err
}

// SaveTraining inserts a training or replaces the one with its ID; the
// caller sets Version (1 for a new one, one more for each change).
func SaveTraining(tx *Tx, t Training) error {
	_, err := tx.Exec(`INSERT INTO trainings(`+trainingColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET held_on=excluded.held_on, minutes=excluded.minutes, form=excluded.form,
		form_other=excluded.form_other, topics=excluded.topics, trainer=excluded.trainer, place=excluded.place,
		summary=excluded.summary, updated_at=excluded.updated_at, version=excluded.version`,
		t.ID, t.OwnerUnit, t.HeldOn, t.Minutes, t.Form, t.FormOther, t.Topics, t.Trainer, t.Place, t.Summary,
		t.CreatedBy, t.CreatedAt, t.UpdatedAt, t.Version)
	return err
}

// TrainingByID reads one training.
func TrainingByID(q Querier, id string) (Training, error) {
	return scanTraining(q.QueryRow("SELECT "+trainingColumns+" FROM trainings WHERE id = ?", id))
}

// TrainingFilter selects a unit's trainings held From to To (YYYY-MM-DD,
// both days included; empty: open), newest first. Limit 0 reads them all.
type TrainingFilter struct {
	Unit          string
	From, To      string
	Limit, Offset int
}

// ListTrainings returns the trainings f selects, newest first (by day,
// then by when they were logged), each with its number of attendees.
func ListTrainings(q Querier, f TrainingFilter) ([]TrainingSummary, error) {
	query := "SELECT " + trainingColumns + `, (SELECT COUNT(*) FROM training_attendees a WHERE a.training_id = t.id)
		FROM trainings t WHERE owner_unit = ?`
	args := []any{f.Unit}
	if f.From != "" {
		query += " AND held_on >= ?"
		args = append(args, f.From)
	}
	if f.To != "" {
		query += " AND held_on <= ?"
		args = append(args, f.To)
	}
	query += " ORDER BY held_on DESC, created_at DESC, id"
	if f.Limit > 0 {
		query += " LIMIT ? OFFSET ?"
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := q.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TrainingSummary
	for rows.Next() {
		var s TrainingSummary
		if s.Training, err = scanTraining(rows, &s.Attendees); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SetTrainingAttendees replaces a training's attendees with the given
// roster entries.
func SetTrainingAttendees(tx *Tx, trainingID string, officerIDs []string) error {
	if _, err := tx.Exec("DELETE FROM training_attendees WHERE training_id = ?", trainingID); err != nil {
		return err
	}
	for _, id := range officerIDs {
		if _, err := tx.Exec("INSERT INTO training_attendees(training_id, officer_id) VALUES (?,?)", trainingID, id); err != nil {
			return err
		}
	}
	return nil
}

// TrainingAttendees returns a training's attendees from the roster, by
// name.
func TrainingAttendees(q Querier, trainingID string) ([]Officer, error) {
	return queryList(q, scanOfficer, `SELECT `+officerColumns+` FROM officers WHERE id IN
		(SELECT officer_id FROM training_attendees WHERE training_id = ?) ORDER BY name, police_no`, trainingID)
}

// SetTrainingMaterials replaces a training's materials with the given
// attachments, in order.
func SetTrainingMaterials(tx *Tx, trainingID string, attachmentIDs []string) error {
	if _, err := tx.Exec("DELETE FROM training_materials WHERE training_id = ?", trainingID); err != nil {
		return err
	}
	for i, id := range attachmentIDs {
		if _, err := tx.Exec("INSERT INTO training_materials(training_id, position, attachment_id) VALUES (?,?,?)",
			trainingID, i, id); err != nil {
			return err
		}
	}
	return nil
}

// TrainingMaterials describes a training's materials in order.
func TrainingMaterials(q Querier, trainingID string) ([]Attachment, error) {
	rows, err := q.Query(`SELECT a.id, a.name, a.mime, a.size, a.sha256, a.created_at FROM training_materials m
		JOIN attachments a ON a.id = m.attachment_id WHERE m.training_id = ? ORDER BY m.position`, trainingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		if err := rows.Scan(&a.ID, &a.Name, &a.MIME, &a.Size, &a.SHA256, &a.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AttachmentExists reports whether an attachment with this ID is kept.
func AttachmentExists(q Querier, id string) (bool, error) {
	var n int
	err := q.QueryRow("SELECT COUNT(*) FROM attachments WHERE id = ?", id).Scan(&n)
	return n > 0, err
}

// OfficerHours is one roster entry's training in a period.
type OfficerHours struct {
	OfficerID  string
	Name       string
	PoliceNo   string
	Department string
	Active     bool
	Sessions   int   // trainings attended
	Minutes    int64 // their length, summed
}

// TrainingHours sums, per roster entry of unit, the trainings of that unit
// held from to to (YYYY-MM-DD, both days included) that the entry attended.
// Every active entry is listed, with 0 when it attended none (the report
// is there to show who has not been trained); an inactive entry only when
// it attended something in the period. Ordered by department, then name.
func TrainingHours(q Querier, unit, from, to string) ([]OfficerHours, error) {
	rows, err := q.Query(`SELECT o.id, o.name, o.police_no, o.department, o.active, COUNT(t.id), COALESCE(SUM(t.minutes), 0)
		FROM officers o
		LEFT JOIN training_attendees a ON a.officer_id = o.id
		LEFT JOIN trainings t ON t.id = a.training_id AND t.owner_unit = ? AND t.held_on >= ? AND t.held_on <= ?
		WHERE o.owner_unit = ?
		GROUP BY o.id
		HAVING o.active = 1 OR COUNT(t.id) > 0
		ORDER BY o.department, o.name, o.police_no`, unit, from, to, unit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OfficerHours
	for rows.Next() {
		var h OfficerHours
		if err := rows.Scan(&h.OfficerID, &h.Name, &h.PoliceNo, &h.Department, &h.Active, &h.Sessions, &h.Minutes); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
