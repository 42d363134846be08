package store

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"talaash"
)

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
	return len(c) >= 5 && allDigits(c) && luhnValid(c)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// luhnDigit is the Luhn check digit for the decimal string digits.
func luhnDigit(digits string) byte {
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

// luhnValid reports whether the last digit of s is the Luhn check of the rest.
func luhnValid(s string) bool {
	return len(s) >= 2 && luhnDigit(s[:len(s)-1]) == s[len(s)-1]
}

// newRef picks an unused ref. The number of digits grows with the number of
// records so that a random pick is almost always free: 4 digits while there
// are under 1,000 records, up to 7 digits (9 million numbers) for a million.
func (tx *Tx) newRef() string {
	n := int(tx.bucket(bRecords).Sequence()) // cheap; counts every id ever given
	width := 4
	for width < 9 && n*10 >= pow10(width) {
		width++
	}
	for tries := 0; ; tries++ {
		if tries > 0 && tries%8 == 0 && width < 12 {
			width++ // crowded: widen rather than loop
		}
		lo := pow10(width - 1)
		num := strconv.Itoa(lo + rand.IntN(9*lo))
		ref := RefPrefix + "-" + num + "-" + string(luhnDigit(num))
		if tx.bucket(bRef).Get([]byte(CanonicalRef(ref))) == nil {
			return ref
		}
	}
}

func pow10(n int) int {
	p := 1
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

// lookupRef finds the record id for a ref in any tolerated form.
func (tx *Tx) lookupRef(ref string) (id []byte, err error) {
	c := CanonicalRef(strings.TrimSpace(ref))
	if c == "" {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no ref given")
	}
	idx := tx.bucket(bRef)
	if v := idx.Get([]byte(c)); v != nil {
		return clone(v), nil
	}
	digits := strings.TrimPrefix(c, RefPrefix)
	if allDigits(digits) {
		if !luhnValid(digits) {
			return nil, talaash.Errorf(talaash.ENOTFOUND, "%s is not a valid case number: check the digits", clipRef(ref))
		}
		if v := idx.Get([]byte(RefPrefix + digits)); v != nil {
			return clone(v), nil
		}
	}
	return nil, talaash.Errorf(talaash.ENOTFOUND, "no record %s", clipRef(ref))
}

func clipRef(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 24 {
		return string(r[:24]) + "..."
	}
	return s
}
