package sms

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

var gsmCost = func() map[rune]int {
	m := make(map[rune]int, 140)
	for _, r := range gsmBasic {
		m[r] = 1
	}
	for _, r := range gsmExtension {
		m[r] = 2
	}
	return m
}()

// Segments returns the encoding an SMS of text goes out in and how many parts
// (each paid for) it takes. One character outside GSM-7 (Devanagari, a curly
// quote, an emoji) makes the whole message UCS-2, where characters outside the
// Basic Multilingual Plane take two units. Parts never split an escape pair or
// a surrogate pair. An empty text still costs one part.
func Segments(text string) (encoding string, parts int) {
	costs := make([]int, 0, len(text))
	encoding = GSM7
	for _, r := range text {
		c, ok := gsmCost[r]
		if !ok {
			encoding = UCS2
			break
		}
		costs = append(costs, c)
	}
	single, part := gsmSingle, gsmPart
	if encoding == UCS2 {
		single, part = ucs2Single, ucs2Part
		costs = costs[:0]
		for _, r := range text {
			if r == utf8.RuneError || utf8.RuneLen(r) < 4 {
				costs = append(costs, 1)
			} else {
				costs = append(costs, 2) // a surrogate pair
			}
		}
	}
	total := 0
	for _, c := range costs {
		total += c
	}
	if total <= single {
		return encoding, 1
	}
	parts, used := 1, 0
	for _, c := range costs {
		if used+c > part {
			parts++
			used = 0
		}
		used += c
	}
	return encoding, parts
}

// Length returns the size of text in its SMS encoding's units (septets or
// UTF-16 units), for messages that must fit a given number of parts.
func Length(text string) int {
	enc, _ := Segments(text)
	n := 0
	for _, r := range text {
		switch {
		case enc == GSM7:
			n += gsmCost[r]
		case utf8.RuneLen(r) == 4:
			n += 2
		default:
			n++
		}
	}
	return n
}
