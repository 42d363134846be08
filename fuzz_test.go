package talaash

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzNormalizePhone: any text gives E.164 or an EINVALID error whose
// message does not carry the number in clear; E.164 normalises to itself.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"98765 43210", "098765-43210", "+91-98765-43210", "९८७६५ ४३२१०", "whatsapp:+919876543210",
		"whatsapp:", "", "+", "12345", "+1 415 555 2671", "+9198765432109876543210", "0091 98765 43210", "tel:+919876543210",
		"98765\x0043210", "+91 98765 43210 ext. 5", "٩٨٧٦٥٤٣٢١٠", strings.Repeat("9", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := NormalizePhone(s)
		if err != nil {
			if ErrorCode(err) != EINVALID || p != "" {
				t.Fatalf("NormalizePhone(%q) = %q, %v", s, p, err)
			}
			if d := asciiDigits(s); len(d) >= 8 && strings.Contains(ErrorMessage(err), d) {
				t.Fatalf("NormalizePhone(%q): the error shows the number: %v", s, err)
			}
			return
		}
		if !strings.HasPrefix(p, "+") || len(p) < 8 || len(p) > 16 {
			t.Fatalf("NormalizePhone(%q) = %q", s, p)
		}
		if q, err := NormalizePhone(p); err != nil || q != p {
			t.Fatalf("NormalizePhone(%q) = %q, then %q, %v", s, p, q, err)
		}
	})
}

// asciiDigits keeps the ASCII digits of s, for the test above.
func asciiDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FuzzValidate: any record in the record format validates or is refused
// with EINVALID and a field named; a valid one stays valid once tidied.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{
		`{"kind":"missing","age":8,"time":"2025-06-01T10:00:00Z"}`,
		`{"kind":"sighting","age_min":16,"age_max":22,"time":"2025-06-01T10:00:00Z"}`,
		`{"kind":"sighting","age_min":21,"age_max":25,"time":"2025-06-01T10:00:00Z"}`,
		`{"kind":"found","age_max":25,"time":"2025-06-01T10:00:00Z"}`,
		`{"kind":" Found ","gender":"F","contact":{"phone":"098765-43210"},"time":"2025-06-01T10:00:00Z"}`,
		`{"kind":"found","contact":{"phone":"  "},"lat":91,"time":"2025-06-01T10:00:00Z"}`,
		`{"kind":"missing","height_cm":-1,"status":"lost","history":[{"to":"x"}],"time":"0001-01-01T00:00:00Z"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var r Record
		if json.Unmarshal([]byte(s), &r) != nil {
			return
		}
		bad := r.BadField()
		err := r.Validate()
		if err != nil {
			if ErrorCode(err) != EINVALID || bad == "" {
				t.Fatalf("Validate(%s) = %v, bad field %q", s, err, bad)
			}
			return
		}
		if bad != "" {
			t.Fatalf("Validate(%s) passed, bad field %q", s, bad)
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("tidied record refused: %v", err)
		}
		if lo, hi, ok := r.Ages(); ok && (lo > AgeLimit(r.Kind) || hi > MaxAgeGiven) {
			t.Fatalf("ages %v-%v of a %s accepted", lo, hi, r.Kind)
		}
		if r.Time.Before(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("time %v accepted", r.Time)
		}
	})
}
