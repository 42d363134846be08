package render

import (
	"testing"

	"talaash"
	"talaash/gsm"
)

func TestSMSSafeAndTitled(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"लाल कमीज़ – “नीली” जींस…", `lal kamiz - "nili" jins...`},
		{"café  crêpe 👕\tshirt", "café crepe shirt"}, // é is GSM-7, ê is not; emoji dropped
		{"Sonu’s ढीला कुर्ता", "Sonu's dhila kurta"},
	} {
		got := SMSSafe(c.in)
		if gsm, _, _ := gsm.Parts(got); !gsm {
			t.Errorf("SMSSafe(%q) = %q is not GSM-7", c.in, got)
		}
		if got != c.want {
			t.Errorf("SMSSafe(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for in, want := range map[string]string{"अंजलि": "Anjali", "गोविंद नगर": "Govind Nagar", "rahul": "rahul", "रवि kumar": "Ravi Kumar"} {
		if got := Titled(in); got != want {
			t.Errorf("Titled(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLatinCoversDevanagari: every letter and sign of the Devanagari block a
// Hindi record uses comes out as GSM-7 Latin, none left behind.
func TestLatinCoversDevanagari(t *testing.T) {
	for r := rune(0x0900); r <= 0x097F; r++ {
		in := "क" + string(r) + "ल"
		out := SMSSafe(in)
		if gsm, _, _ := gsm.Parts(out); !gsm || talaash.Devanagari(out) {
			t.Errorf("%U in %q -> %q", r, in, out)
		}
	}
}
