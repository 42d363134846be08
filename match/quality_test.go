package match

import (
	"bufio"
	"bytes"
	"encoding/json"
	"hash/fnv"
	"os"
	"strings"
	"testing"

	"talaash"
	"talaash/devdata"
	"talaash/match/matchscore"
)

func loadCases(t testing.TB) ([]*talaash.Record, map[string]string) {
	t.Helper()
	f, err := os.Open(devdata.CasesFile)
	if err != nil {
		t.Fatalf("development data missing: %v", err)
	}
	defer f.Close()
	var recs []*talaash.Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r talaash.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, &r)
	}
	tf := devdata.Read(t, devdata.TruthFile)
	truth := map[string]string{}
	for _, l := range strings.Split(string(tf), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		var p struct{ Sighting, Missing string }
		if err := json.Unmarshal([]byte(l), &p); err != nil {
			t.Fatal(err)
		}
		truth[p.Sighting] = p.Missing
	}
	return recs, truth
}

func newDevMatcher(t testing.TB) *Matcher {
	t.Helper()
	m, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// half splits sightings into two halves by a hash of the ref: weights were
// tuned looking at half 0 only; half 1 checks that they generalise.
func half(ref string) int {
	h := fnv.New32a()
	h.Write([]byte(ref))
	return int(h.Sum32() % 2)
}

type metrics struct {
	n, r1, r5, alerts, tp int
}

func (x metrics) String() string {
	p := 0.0
	if x.alerts > 0 {
		p = float64(x.tp) / float64(x.alerts)
	}
	n := float64(max(x.n, 1))
	return strings.Join([]string{
		"true", itoa(x.n), "recall@1", ftoa(float64(x.r1) / n), "recall@5", ftoa(float64(x.r5) / n),
		"precision", ftoa(p), "alert-recall", ftoa(float64(x.tp) / n), "alerts", itoa(x.alerts)}, " ")
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
func ftoa(f float64) string {
	b, _ := json.Marshal(float64(int(f*1000)) / 1000)
	return string(b)
}

// runDev adds every record, matches every sighting/found record, and returns
// the pairs plus metrics per half.
func runDev(t testing.TB) ([]talaash.Candidate, [2]metrics, map[string]string) {
	recs, truth := loadCases(t)
	m := newDevMatcher(t)
	for _, r := range recs {
		m.Add(r)
	}
	var pairs []talaash.Candidate
	var ms [2]metrics
	for _, r := range recs {
		if r.Kind == talaash.KindMissing {
			continue
		}
		cs := m.Match(r, 5)
		pairs = append(pairs, cs...)
		h := half(r.Ref)
		want, reported := truth[r.Ref]
		if reported {
			ms[h].n++
			for i, c := range cs {
				if c.Missing == want {
					ms[h].r5++
					if i == 0 {
						ms[h].r1++
					}
				}
			}
		}
		for _, c := range cs {
			if c.Alert {
				ms[h].alerts++
				if reported && c.Missing == want {
					ms[h].tp++
				}
			}
		}
	}
	return pairs, ms, truth
}

// TestQuality is the quality bar: the scorer over the
// development file must pass recall@5 >= 0.90, alert precision >= 0.90 and
// alert recall >= 0.55.
func TestQuality(t *testing.T) {
	pairs, ms, _ := runDev(t)
	t.Logf("tuning half: %v", ms[0])
	t.Logf("held-out half: %v", ms[1])
	ps := make([]matchscore.Pair, 0, len(pairs))
	for _, c := range pairs {
		ps = append(ps, matchscore.Pair{Missing: c.Missing, Sighting: c.Sighting, Score: c.Score, Alert: c.Alert})
	}
	truth, err := matchscore.ReadTruth(bytes.NewReader(devdata.Read(t, devdata.TruthFile)))
	if err != nil {
		t.Fatal(err)
	}
	res := matchscore.Score(truth, ps)
	t.Logf("match-score:\n%s", res)
	if short := res.Short(matchscore.Mins{Recall5: 0.90, Precision: 0.90, AlertRecall: 0.55}); len(short) > 0 {
		t.Fatalf("quality bar not met: %v", short)
	}
}
