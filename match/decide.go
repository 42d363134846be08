package match

import "talaash"

// The alert decision, calibrated on the development file so that about nine
// alerts in ten are the right child: the best candidate of a sighting must
// score at least AlertThreshold and beat the runner-up by AlertMargin.
const (
	AlertThreshold = 6.0
	AlertMargin    = 1.5
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
