package match

import "talaash"

// The alert decision: the best candidate of a sighting must score at least
// AlertThreshold and beat the runner-up by AlertMargin. Calibrated on
// reworded copies of the development file (reword_test.go) with seeds the
// quality tests do not use: at 7.25 and 2.0 about 97 alerts in 100 are the
// right child on every copy, 1 to 3 in 100 sightings of children nobody
// reported alert, and alerts reach 67 to 71 true pairs in 100; a lower
// threshold gains true pairs but alerts for more unreported children.
const (
	AlertThreshold = 7.25
	AlertMargin    = 2.0
)

// Decide sets Alert on a list of one sighting's candidates sorted best first:
// only the first can alert, when it is strong and clearly ahead of the next.
// package cases calls it again after merging lists.
func Decide(cands []talaash.Candidate) {
	for i := range cands {
		cands[i].Alert = false
	}
	if len(cands) == 0 || cands[0].Score < AlertThreshold {
		return
	}
	if len(cands) > 1 && cands[0].Score-cands[1].Score < AlertMargin {
		return
	}
	cands[0].Alert = true
}
