// Package gsm knows the GSM 03.38 alphabet that plain SMS travels in, and what
// a text costs: one character outside it (Devanagari, a curly quote, an emoji)
// makes the whole message UCS-2, 70 characters a part instead of 160.
package gsm

import "unicode/utf8"

// Encodings Segments reports.
const (
	GSM7 = "GSM-7"
	UCS2 = "UCS-2"
)

// Part sizes of the SMS standard: a single message carries 160 GSM-7 septets
// or 70 UCS-2 units; split messages lose room to the concatenation header.
const (
	gsmSingle, gsmPart   = 160, 153
	ucs2Single, ucs2Part = 70, 67
)

// gsmBasic is the GSM 03.38 default alphabet (one septet each); the escape
// character 0x1B is left out because a person cannot type it.
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtension is the extension table: each costs an escape plus itself, two septets.
const gsmExtension = "\f^{}\\[~]|€"

// gsmLatin holds the septet cost of the GSM-7 characters below U+0100, gsmOther
// of the rest (Greek capitals and €); 0 means not in GSM-7.
var gsmLatin, gsmOther = func() (latin [256]uint8, other map[rune]uint8) {
	other = map[rune]uint8{}
	add := func(s string, cost uint8) {
		for _, r := range s {
			if r < 256 {
				latin[r] = cost
			} else {
				other[r] = cost
			}
		}
	}
	add(gsmBasic, 1)
	add(gsmExtension, 2)
	return latin, other
}()

func gsmCost(r rune) int {
	if r >= 0 && r < 256 {
		return int(gsmLatin[r])
	}
	return int(gsmOther[r])
}

// Segments returns the encoding an SMS of text goes out in and how many parts
// (each paid for) it takes. One character outside GSM-7 (Devanagari, a curly
// quote, an emoji) makes the whole message UCS-2, where characters outside the
// Basic Multilingual Plane take two units. Parts never split an escape pair or
// a surrogate pair. An empty text still costs one part.
func Segments(text string) (encoding string, parts int) {
	encoding = GSM7
	for _, r := range text {
		if gsmCost(r) == 0 {
			encoding = UCS2
			break
		}
	}
	single, part := gsmSingle, gsmPart
	if encoding == UCS2 {
		single, part = ucs2Single, ucs2Part
	}
	if Length(text) <= single {
		return encoding, 1
	}
	parts, used := 1, 0
	for _, r := range text {
		c := unitCost(encoding, r)
		if used+c > part {
			parts++
			used = 0
		}
		used += c
	}
	return encoding, parts
}

// unitCost is the size of r in septets (GSM-7) or UTF-16 units (UCS-2).
func unitCost(encoding string, r rune) int {
	switch {
	case encoding == GSM7:
		return gsmCost(r)
	case r > 0xFFFF && r <= utf8.MaxRune:
		return 2 // a surrogate pair
	default:
		return 1
	}
}

// Length returns the size of text in its SMS encoding's units (septets or
// UTF-16 units), for messages that must fit a given number of parts.
func Length(text string) int {
	enc := GSM7
	for _, r := range text {
		if gsmCost(r) == 0 {
			enc = UCS2
			break
		}
	}
	n := 0
	for _, r := range text {
		n += unitCost(enc, r)
	}
	return n
}

// Parts reports whether s is pure GSM-7, its length in that encoding's units
// and how many parts it costs.
func Parts(s string) (isGSM bool, units, parts int) {
	enc, parts := Segments(s)
	return enc == GSM7, Length(s), parts
}

// Is7 reports whether r is in the GSM-7 alphabet (default or extension table).
func Is7(r rune) bool { return gsmCost(r) != 0 }
