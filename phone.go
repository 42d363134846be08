package talaash

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// NormalizePhone turns a phone number as people type it in India ("98765 43210",
// "098765-43210", "+91-98765-43210", Devanagari digits) into E.164 (+919876543210).
// Numbers that cannot be a phone get an EINVALID error.
func NormalizePhone(s string) (string, error) {
	s = strings.Map(func(r rune) rune {
		if r >= '०' && r <= '९' {
			return '0' + (r - '०')
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "whatsapp:")
	num, err := phonenumbers.Parse(s, "IN")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", Errorf(EINVALID, "%q is not a valid phone number", redact(s))
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// IsIndianMobile reports whether an E.164 number is an Indian mobile (+91, ten digits from 6-9).
func IsIndianMobile(e164 string) bool {
	return len(e164) == 13 && strings.HasPrefix(e164, "+91") && e164[3] >= '6' && e164[3] <= '9'
}

// MaskPhone hides all but the last two digits, for logs: "+91******10".
func MaskPhone(s string) string { return redact(s) }

func redact(s string) string {
	if len(s) <= 4 {
		return "****"
	}
	b := []byte(s)
	for i := 3; i < len(b)-2; i++ {
		if b[i] >= '0' && b[i] <= '9' {
			b[i] = '*'
		}
	}
	return string(b)
}
