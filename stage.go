package talaash

// Stage is where a report stands as the person who made it may be told: a
// parent reads it, so it follows what police have done. The record's status
// says whether police confirmed a match or ended the case; an alert still
// waiting for an officer says a possible match is being checked.
type Stage string

// Stages, in the order a case moves through them.
const (
	StageReported  Stage = "reported"  // police have it; nothing to check yet
	StageChecking  Stage = "checking"  // a possible match waits for an officer's review
	StageConfirmed Stage = "confirmed" // police confirmed a match and will call
	StageReunited  Stage = "reunited"  // the child is back with the family
	StageClosed    Stage = "closed"    // closed for another reason
)

// CaseStage is the stage of r: its status, and for an active record the
// alerts it is in. A pending alert whose other record has ended is nothing
// to check any more.
func CaseStage(tx Tx, r *Record) (Stage, error) {
	switch r.Status {
	case StatusReunited:
		return StageReunited, nil
	case StatusClosed:
		return StageClosed, nil
	case StatusMatched:
		return StageConfirmed, nil
	}
	stage := StageReported
	err := tx.AlertsOf(r.Ref, func(a *Alert) error {
		switch a.State {
		case AlertConfirmed:
			stage = StageConfirmed
		case AlertPending:
			if stage == StageConfirmed {
				return nil
			}
			other := a.Sighting
			if CanonicalRef(other) == CanonicalRef(r.Ref) {
				other = a.Missing
			}
			if o, err := tx.Record(other); err == nil && o.Status.Active() {
				stage = StageChecking
			} else if err != nil && ErrorCode(err) != ENOTFOUND {
				return err
			}
		}
		return nil
	})
	return stage, err
}
