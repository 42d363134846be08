package kv

import (
	"encoding/binary"
	"reflect"
	"testing"

	"talaash"
)

func TestCandidatesCodec(t *testing.T) {
	list := []talaash.Candidate{
		{Missing: "M000028", Sighting: "K-4821-7", Score: 9.25, Alert: true,
			Reasons: []talaash.Reason{{En: "same mole on left cheek", Hi: "बाएं गाल पर वही तिल"}, {En: "", Hi: ""}}},
		{Missing: "K-1092-6", Sighting: "K-4821-7", Score: -3.5},
	}
	ref, got, err := DecodeCandidates(EncodeCandidates("K-4821-7", list))
	if err != nil || ref != "K-4821-7" || !reflect.DeepEqual(got, list) {
		t.Fatalf("round trip: %q %+v %v", ref, got, err)
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
