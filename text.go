package talaash

import "time"

// IST is India Standard Time, in which people read dates and mean "5pm". It
// is fixed (India keeps no daylight saving), so no tz database is needed.
var IST = time.FixedZone("IST", 5*3600+1800)

// Devanagari reports whether s has a Devanagari letter or sign: such text is
// Hindi. Devanagari digits and the danda do not count; they turn up in text
// written otherwise too.
func Devanagari(s string) bool {
	for _, r := range s {
		if DevanagariLetter(r) {
			return true
		}
	}
	return false
}

// DevanagariLetter reports whether r is in the Devanagari block and is not
// one of its digits or punctuation (danda, double danda, abbreviation sign).
func DevanagariLetter(r rune) bool {
	return r >= 0x0900 && r <= 0x097F && !(r >= '०' && r <= '९') && r != '।' && r != '॥' && r != '॰'
}

// Clip cuts s to at most n runes, adding more (an ellipsis, say, or nothing)
// when it cut anything.
func Clip(s string, n int, more string) string {
	if len(s) <= n {
		return s // fewer bytes than n: fewer runes too
	}
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:max(n, 0)]) + more
}
