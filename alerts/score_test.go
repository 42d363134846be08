package alerts

import "testing"

// TestPctLogOdds: the matcher scores in log-odds (alerts from 7.25 up); police
// see the calibrated chance, never a strong match as "9%" nor a weak one as a
// negative share or a certainty.
func TestPctLogOdds(t *testing.T) {
	for _, c := range []struct {
		score float64
		want  string
	}{
		{0.87, "87"}, {1, "100"}, {0, "0"}, // already a probability
		{7.25, "94"}, {8, "97"}, {9.4, "99"}, {40, "99"}, // log-odds at and above the alert line
		{2, "8"}, {4, "40"}, {5.5, "75"}, {-2, "0"}, {-30, "0"},
	} {
		if got := pct(c.score); got != c.want {
			t.Errorf("pct(%v) = %s, want %s", c.score, got, c.want)
		}
	}
}
