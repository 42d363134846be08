package talaash

import "strings"

// PairSep joins the two refs of a candidate pair into one token,
// "K-4821-7--K-93017-4": the one form alert buttons carry and officers are
// shown. Refs never hold a double dash, and the token still reads as one
// reference to the dialog's "YES REF".
const PairSep = "--"

// PairRef names a pair in one token.
func PairRef(missing, sighting string) string { return missing + PairSep + sighting }

// SplitPair reads the refs an officer gave for a review: a pair token
// ("M--S"), or the two refs written apart as people type them ("M S", and
// "M:S", "M|S", "M,S", "M/S"); one ref comes back as a with b "", none as
// two empty strings. Refs are returned as written.
func SplitPair(s string) (a, b string) {
	s = strings.ReplaceAll(s, PairSep, " ")
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == ':' || r == '|' || r == ',' || r == '/'
	})
	switch len(f) {
	case 0:
		return "", ""
	case 1:
		return f[0], ""
	}
	return f[0], f[1]
}
