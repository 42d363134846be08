package matchscore

import (
	"math"
	"strings"
	"testing"
)

func TestScore(t *testing.T) {
	truth, err := ReadTruth(strings.NewReader(`{"sighting":"S1","missing":"M1"}
{"sighting":"S2","missing":"M2"}

{"sighting":"S3","missing":"M3"}
{"sighting":"S4","missing":"M4"}
`))
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := ReadPairs(strings.NewReader(`{"missing":"M1","sighting":"S1","score":9,"alert":true,"reasons":["x"]}
{"missing":"M9","sighting":"S1","score":2,"alert":false}
{"missing":"M8","sighting":"S2","score":7,"alert":true}
{"missing":"M2","sighting":"S2","score":5,"alert":false}
{"missing":"M5","sighting":"S3","score":9}
{"missing":"M6","sighting":"S3","score":8}
{"missing":"M7","sighting":"S3","score":7}
{"missing":"M8","sighting":"S3","score":6}
{"missing":"M9","sighting":"S3","score":5}
{"missing":"M3","sighting":"S3","score":4}
{"missing":"M1","sighting":"S9","score":8,"alert":true}
{"missing":"M2","sighting":"S9","score":7,"alert":true}
`))
	if err != nil {
		t.Fatal(err)
	}
	r := Score(truth, pairs)
	near := func(name string, got, want float64) {
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	// S1 first, S2 second, S3 sixth, S4 absent.
	near("recall@1", r.Recall1, 0.25)
	near("recall@5", r.Recall5, 0.5)
	// Alerts: S1-M1 true, S2-M8 false, S9-M1 and S9-M2 false (S9 unreported).
	near("precision", r.Precision, 0.25)
	near("alert recall", r.AlertRecall, 0.25)
	if r.Alerts != 4 || r.FalseUnreported != 1 || r.Unreported != 1 || r.Pairs != 12 {
		t.Errorf("alerts %d, false unreported %d, unreported %d, pairs %d", r.Alerts, r.FalseUnreported, r.Unreported, r.Pairs)
	}
	if s := r.Short(Mins{Recall5: 0.5, Precision: 0.3}); len(s) != 1 || !strings.HasPrefix(s[0], "precision") {
		t.Errorf("short = %v", s)
	}
	if !strings.Contains(r.String(), "recall@5 0.500") {
		t.Errorf("String = %q", r)
	}
}

func TestBadLine(t *testing.T) {
	if _, err := ReadPairs(strings.NewReader("{\"missing\":\"M1\"}\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("err = %v, want line 2", err)
	}
}
