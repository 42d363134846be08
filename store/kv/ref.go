package kv

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"talaash"
)

// newRef picks an unused ref. The number of digits grows with the number of
// records so that a random pick is almost always free: 4 digits while there
// are under 1,000 records, up to 7 digits (9 million numbers) for a million.
func (tx *Tx) newRef() string {
	n := int(tx.bucket(BRecords).Sequence()) // cheap; counts every id ever given
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
		ref := talaash.RefPrefix + "-" + num + "-" + string(talaash.LuhnDigit(num))
		if tx.bucket(BRef).Get([]byte(talaash.CanonicalRef(ref))) == nil {
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
	c := talaash.CanonicalRef(strings.TrimSpace(ref))
	if c == "" {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no ref given")
	}
	idx := tx.bucket(BRef)
	if v := idx.Get([]byte(c)); v != nil {
		return clone(v), nil
	}
	digits := strings.TrimPrefix(c, talaash.RefPrefix)
	if talaash.AllDigits(digits) {
		if !talaash.LuhnValid(digits) {
			return nil, talaash.Errorf(talaash.ENOTFOUND, "%s is not a valid case number: check the digits", clipRef(ref))
		}
		if v := idx.Get([]byte(talaash.RefPrefix + digits)); v != nil {
			return clone(v), nil
		}
	}
	return nil, talaash.Errorf(talaash.ENOTFOUND, "no record %s", clipRef(ref))
}

func clipRef(s string) string { return talaash.Clip(strings.TrimSpace(s), 24, "...") }
