package locales

import (
	"testing"
	"time"
)

func TestTime(t *testing.T) {
	at := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC) // 17:30 IST
	for _, c := range []struct {
		lang string
		t    time.Time
		year bool
		want string
	}{
		{"en", at, false, "2 Dec, 5:30 pm IST"},
		{"hi", at, false, "2 दिस॰, शाम 5:30 IST"},
		{HiLatn, at, false, "2 Dec, shaam 5:30 IST"},
		{"en", at.Add(-12 * time.Hour), true, "2 Dec 2026, 5:30 am IST"},
		{"hi", at.Add(-12 * time.Hour), false, "2 दिस॰, सुबह 5:30 IST"},
		{HiLatn, at.Add(-15 * time.Hour), false, "2 Dec, raat 2:30 IST"},
		{HiLatn, at.Add(-5 * time.Hour), false, "2 Dec, dopahar 12:30 IST"},
		{"en", at.Add(-5 * time.Hour), false, "2 Dec, 12:30 pm IST"},
		{"hi", time.Date(2026, 1, 5, 15, 0, 0, 0, time.UTC), true, "5 जन॰ 2026, रात 8:30 IST"},
		{"en", time.Time{}, false, ""},
	} {
		if got := Time(c.lang, c.t, c.year); got != c.want {
			t.Errorf("Time(%s, %v) = %q, want %q", c.lang, c.t, got, c.want)
		}
	}
}
