package talaash

import "strings"

// RefPrefix starts every ref Talaash makes: "K-4821-7". One letter is easy to
// say on the phone; people may leave it out and only type the digits.
const RefPrefix = "K"

// CanonicalRef is the form refs are indexed and compared in: upper case, with
// spaces, dashes, dots and slashes removed and Devanagari digits made ASCII.
// "k 4821-7", "K48217" and "K-४८२१-७" are all "K48217".
func CanonicalRef(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '०' && r <= '९':
			b.WriteRune('0' + (r - '०'))
		case r == ' ' || r == '-' || r == '.' || r == '/' || r == '_' || r == '\t' || r == '#':
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CheckRef reports whether s looks like a ref Talaash makes with a correct
// check digit (prefix optional). It lets a dialog say "that number has a
// typo" before looking anything up.
func CheckRef(s string) bool {
	c := strings.TrimPrefix(CanonicalRef(s), RefPrefix)
	return len(c) >= 5 && AllDigits(c) && LuhnValid(c)
}

// AllDigits reports whether s is a non-empty run of ASCII digits.
func AllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// LuhnDigit is the Luhn check digit for the decimal string digits.
func LuhnDigit(digits string) byte {
	sum := 0
	double := true // the rightmost payload digit is doubled, since the check digit follows it
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// LuhnValid reports whether the last digit of s is the Luhn check of the rest.
func LuhnValid(s string) bool {
	return len(s) >= 2 && LuhnDigit(s[:len(s)-1]) == s[len(s)-1]
}
