package kv

import (
	"encoding/binary"
	"errors"
	"math"

	"talaash"
)

// Candidate lists are read and rewritten for every candidate of every record
// saved, so they are kept in a small binary form rather than JSON (decoding
// the JSON was a third of the cost of saving a record):
//
//	0x03 ref count { missing sighting score(8, float64 bits) alert(1) nreasons { en hi latn } }
//
// where strings are a uvarint length and the bytes, and counts are uvarints.
// Lists written before reasons had Hindi in Latin letters are 0x02, the same
// without latn; they still read (with Latn empty, so they show in English).
const (
	candidatesV2 = 0x02
	candidatesV3 = 0x03
)

// EncodeCandidates is the binary form of ref's candidate list.
func EncodeCandidates(ref string, list []talaash.Candidate) []byte {
	b := make([]byte, 0, 64+len(list)*256)
	b = append(b, candidatesV3)
	b = appendString(b, ref)
	b = binary.AppendUvarint(b, uint64(len(list)))
	for _, c := range list {
		b = appendString(b, c.Missing)
		b = appendString(b, c.Sighting)
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(c.Score))
		if c.Alert {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(len(c.Reasons)))
		for _, r := range c.Reasons {
			b = appendString(b, r.En)
			b = appendString(b, r.Hi)
			b = appendString(b, r.Latn)
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errCandidates = errors.New("candidate list is damaged")

// DecodeCandidates reads what EncodeCandidates wrote.
func DecodeCandidates(v []byte) (ref string, list []talaash.Candidate, err error) {
	if len(v) == 0 || v[0] != candidatesV2 && v[0] != candidatesV3 {
		return "", nil, errCandidates
	}
	latn := v[0] == candidatesV3
	d := decoder{b: v[1:]}
	ref = d.string()
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		return "", nil, errCandidates
	}
	list = make([]talaash.Candidate, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		c := talaash.Candidate{Missing: d.string(), Sighting: d.string()}
		c.Score = math.Float64frombits(d.uint64())
		c.Alert = d.byte() == 1
		nr := d.uvarint()
		if nr > uint64(len(d.b)) {
			return "", nil, errCandidates
		}
		if nr > 0 {
			c.Reasons = make([]talaash.Reason, nr)
			for j := range c.Reasons {
				c.Reasons[j] = talaash.Reason{En: d.string(), Hi: d.string()}
				if latn {
					c.Reasons[j].Latn = d.string()
				}
			}
		}
		list = append(list, c)
	}
	if d.err != nil {
		return "", nil, d.err
	}
	return ref, list, nil
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) uint64() uint64 {
	if len(d.b) < 8 {
		d.fail()
		return 0
	}
	v := binary.BigEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) < 1 {
		d.fail()
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) fail() {
	d.err = errCandidates
	d.b = nil
}
