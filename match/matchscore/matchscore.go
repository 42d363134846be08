// Package matchscore scores candidate matches against the truth of which
// sighting is of which reported child, as the operators' match-score tool
// does: recall@1 and recall@5 per true sighting, alert precision and recall,
// and alerts raised for sightings of children nobody reported.
package matchscore

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Pair is one line of `talaash matches --json` (extra keys are ignored).
type Pair struct {
	Missing  string  `json:"missing"`
	Sighting string  `json:"sighting"`
	Score    float64 `json:"score"`
	Alert    bool    `json:"alert"`
}

// Result holds the figures. FalseUnreported counts sightings outside the
// truth (children nobody reported) that raised an alert.
type Result struct {
	TrueSightings   int
	Pairs           int
	Alerts          int
	Recall1         float64
	Recall5         float64
	Precision       float64
	AlertRecall     float64
	FalseUnreported int
	Unreported      int // sightings in the pairs that the truth does not hold
}

// Mins are the minimums a run must meet; a zero minimum is no bar.
type Mins struct {
	Recall5, Precision, AlertRecall float64
}

// ReadTruth reads {"sighting": REF, "missing": REF} lines.
func ReadTruth(r io.Reader) (map[string]string, error) {
	truth := map[string]string{}
	err := lines(r, func(b []byte) error {
		var t struct{ Sighting, Missing string }
		if err := json.Unmarshal(b, &t); err != nil {
			return err
		}
		truth[t.Sighting] = t.Missing
		return nil
	})
	return truth, err
}

// ReadPairs reads candidate pairs, one JSON object a line.
func ReadPairs(r io.Reader) ([]Pair, error) {
	var ps []Pair
	err := lines(r, func(b []byte) error {
		var p Pair
		if err := json.Unmarshal(b, &p); err != nil {
			return err
		}
		ps = append(ps, p)
		return nil
	})
	return ps, err
}

func lines(r io.Reader, f func([]byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		if err := f(sc.Bytes()); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}

// Score computes the figures. Candidates of a sighting are ranked by score,
// highest first; ties keep the order the pairs came in, as a stable sort does.
func Score(truth map[string]string, pairs []Pair) Result {
	type cand struct {
		score   float64
		missing string
	}
	bySighting := map[string][]cand{}
	alerted := map[[2]string]bool{}
	for _, p := range pairs {
		bySighting[p.Sighting] = append(bySighting[p.Sighting], cand{p.Score, p.Missing})
		if p.Alert {
			alerted[[2]string{p.Sighting, p.Missing}] = true
		}
	}
	res := Result{TrueSightings: len(truth), Pairs: len(pairs), Alerts: len(alerted)}
	r1, r5 := 0, 0
	for s, m := range truth {
		cs := bySighting[s]
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].score > cs[j].score })
		for i, c := range cs {
			if i >= 5 {
				break
			}
			if c.missing == m {
				if i == 0 {
					r1++
				}
				r5++
				break
			}
		}
	}
	n := float64(max(1, len(truth)))
	res.Recall1, res.Recall5 = float64(r1)/n, float64(r5)/n
	tp := 0
	falseS := map[string]bool{}
	for k := range alerted {
		if m, ok := truth[k[0]]; ok {
			if m == k[1] {
				tp++
			}
		} else {
			falseS[k[0]] = true
		}
	}
	if len(alerted) > 0 {
		res.Precision = float64(tp) / float64(len(alerted))
	}
	res.AlertRecall = float64(tp) / n
	res.FalseUnreported = len(falseS)
	for s := range bySighting {
		if _, ok := truth[s]; !ok {
			res.Unreported++
		}
	}
	return res
}

// String prints the figures as match-score does.
func (r Result) String() string {
	return fmt.Sprintf("true sightings %d, candidate pairs %d, alerts %d\n"+
		"recall@1 %.3f  recall@5 %.3f  alert precision %.3f  alert recall %.3f  sightings of unreported children alerted %d",
		r.TrueSightings, r.Pairs, r.Alerts, r.Recall1, r.Recall5, r.Precision, r.AlertRecall, r.FalseUnreported)
}

// Short lists the minimums r misses, empty when it meets them all.
func (r Result) Short(m Mins) []string {
	var out []string
	for _, c := range []struct {
		name     string
		got, min float64
	}{{"recall5", r.Recall5, m.Recall5}, {"precision", r.Precision, m.Precision}, {"alert-recall", r.AlertRecall, m.AlertRecall}} {
		if c.got < c.min {
			out = append(out, fmt.Sprintf("%s %.3f < %v", c.name, c.got, c.min))
		}
	}
	return out
}

// Files scores a pairs file against a truth file.
func Files(truthPath, pairsPath string) (Result, error) {
	tf, err := os.Open(truthPath)
	if err != nil {
		return Result{}, err
	}
	defer tf.Close()
	truth, err := ReadTruth(tf)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", truthPath, err)
	}
	pf, err := os.Open(pairsPath)
	if err != nil {
		return Result{}, err
	}
	defer pf.Close()
	pairs, err := ReadPairs(pf)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", pairsPath, err)
	}
	return Score(truth, pairs), nil
}
