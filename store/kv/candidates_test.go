package kv

import (
	"encoding/binary"
	"math"
	"reflect"
	"testing"

	"talaash"
)

func TestCandidatesCodec(t *testing.T) {
	list := []talaash.Candidate{
		{Missing: "M000028", Sighting: "K-4821-7", Score: 9.25, Alert: true,
			Reasons: []talaash.Reason{{En: "same mole on left cheek", Hi: "बाएं गाल पर वही तिल", Latn: "left cheek par wahi mole"}, {En: "", Hi: ""}}},
		{Missing: "K-1092-6", Sighting: "K-4821-7", Score: -3.5},
	}
	enc := EncodeCandidates("K-4821-7", list)
	ref, got, err := DecodeCandidates(enc)
	if err != nil || ref != "K-4821-7" || !reflect.DeepEqual(got, list) || enc[0] != candidatesV3 {
		t.Fatalf("round trip (version %#x): %q %+v %v", enc[0], ref, got, err)
	}
	// Damaged bytes are an error, never a panic or a made-up list.
	b := EncodeCandidates("K-4821-7", list)
	for i := 0; i < len(b); i++ {
		if _, _, err := DecodeCandidates(b[:i]); err == nil {
			t.Fatalf("truncated at %d decoded", i)
		}
	}
	huge := binary.AppendUvarint([]byte{candidatesV2, 0}, 1<<40)
	if _, _, err := DecodeCandidates(huge); err == nil {
		t.Fatal("a huge count decoded")
	}
	if _, _, err := DecodeCandidates([]byte(`{"ref":"x"}`)); err == nil {
		t.Fatal("JSON decoded as binary")
	}
}

// TestCandidatesV2: a list stored before reasons had Hinglish still reads,
// each reason with Latn empty, which a Hinglish reader gets in English.
func TestCandidatesV2(t *testing.T) {
	// The 0x02 layout as it was written: ref count { missing sighting
	// score alert nreasons { en hi } }.
	b := appendString([]byte{candidatesV2}, "K-4821-7")
	b = binary.AppendUvarint(b, 2)
	b = appendString(appendString(b, "M000028"), "K-4821-7")
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(9.25))
	b = append(b, 1)
	b = binary.AppendUvarint(b, 2)
	b = appendString(appendString(b, "same mole on left cheek"), "बाएं गाल पर वही तिल")
	b = appendString(appendString(b, "seen 3 hours after the child went missing"), "लापता होने के 3 घंटे बाद देखा गया")
	b = appendString(appendString(b, "K-1092-6"), "K-4821-7")
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(-3.5))
	b = append(b, 0)
	b = binary.AppendUvarint(b, 0)
	want := []talaash.Candidate{
		{Missing: "M000028", Sighting: "K-4821-7", Score: 9.25, Alert: true, Reasons: []talaash.Reason{
			{En: "same mole on left cheek", Hi: "बाएं गाल पर वही तिल"},
			{En: "seen 3 hours after the child went missing", Hi: "लापता होने के 3 घंटे बाद देखा गया"}}},
		{Missing: "K-1092-6", Sighting: "K-4821-7", Score: -3.5},
	}
	ref, got, err := DecodeCandidates(b)
	if err != nil || ref != "K-4821-7" || !reflect.DeepEqual(got, want) {
		t.Fatalf("version 2: %q %+v %v", ref, got, err)
	}
	if r := got[0].Reasons[0]; r.In("hi-Latn") != "same mole on left cheek" || r.In("hi") != "बाएं गाल पर वही तिल" {
		t.Errorf("a stored reason in Hinglish %q, in Hindi %q", r.In("hi-Latn"), r.In("hi"))
	}
	for i := 0; i < len(b); i++ {
		if _, _, err := DecodeCandidates(b[:i]); err == nil {
			t.Fatalf("version 2 truncated at %d decoded", i)
		}
	}
	// Rewritten, the list is version 3 and reads back the same.
	if enc := EncodeCandidates(ref, got); enc[0] != candidatesV3 {
		t.Errorf("rewritten as version %#x", enc[0])
	} else if _, again, err := DecodeCandidates(enc); err != nil || !reflect.DeepEqual(again, want) {
		t.Errorf("rewritten: %+v %v", again, err)
	}
}
