package match

import (
	"strconv"
	"strings"
	"unicode"
)

// isDeva reports whether s has a letter of the Devanagari block.
func isDeva(s string) bool {
	for _, r := range s {
		if r >= 0x0900 && r <= 0x097F {
			return true
		}
	}
	return false
}

// tokens splits text into lower-case word tokens: letters, digits and marks of
// any script; hyphens and apostrophes inside words are dropped ("t-shirt" =
// "tshirt"), except between digits ("8-10" stays one token). Devanagari digits
// become ASCII. Separators that end a clause become ",".
func (v *vocab) tokens(s string) []string { return v.tokenize(s, true) }

// tokenize is tokens, optionally keeping the letters as written (case,
// nukta, chandrabindu: to show a name or a place as written); the token
// boundaries are the same either way.
func (v *vocab) tokenize(s string, lower bool) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r >= '०' && r <= '९':
			b.WriteRune('0' + (r - '०'))
		case r == '़' && lower:
			// nukta: फ़ ~ फ for matching; the letter alone carries the word
		case r == 'ँ' && lower:
			b.WriteRune('ं') // chandrabindu ~ anusvara
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			if lower {
				r = unicode.ToLower(r)
			}
			b.WriteRune(r)
		case (r == '-' || r == '\'' || r == '’' || r == '.') && b.Len() > 0 && i+1 < len(rs) && (unicode.IsLetter(rs[i+1]) || unicode.IsDigit(rs[i+1])):
			prevDigit := i > 0 && unicode.IsDigit(rs[i-1])
			nextDigit := unicode.IsDigit(rs[i+1]) || (rs[i+1] >= '०' && rs[i+1] <= '९')
			if r == '-' && prevDigit && nextDigit {
				b.WriteRune('-')
			} else if r == '.' && !(prevDigit && nextDigit) {
				flush()
			} else if r == '.' {
				b.WriteRune('.')
			}
		case r == ',' || r == ';' || r == '.' || r == '|' || r == '\n' || r == '/' || r == '(' || r == ')' || r == '!' || r == '?' || r == '।':
			flush()
			if len(out) > 0 && out[len(out)-1] != "," {
				out = append(out, ",")
			}
		default:
			flush()
		}
	}
	flush()
	return out
}

// parseNum reads "8", "8.5", "8-10" and "8से10"-free forms; lo==hi for one number.
func parseNum(t string) (lo, hi float64, ok bool) {
	if t == "" || t[0] < '0' || t[0] > '9' {
		return 0, 0, false
	}
	if a, b, found := strings.Cut(t, "-"); found {
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		if err1 != nil || err2 != nil {
			return 0, 0, false
		}
		if y < x {
			x, y = y, x
		}
		return x, y, true
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil {
		// "8yrs", "10saal": digits then a unit
		i := 0
		for i < len(t) && (t[i] >= '0' && t[i] <= '9') {
			i++
		}
		x, err = strconv.ParseFloat(t[:i], 64)
		if err != nil {
			return 0, 0, false
		}
	}
	return x, x, true
}
