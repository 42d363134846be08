package talaash

import "testing"

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"9876543210", "+919876543210"},
		{"098765 43210", "+919876543210"},
		{"+91-98765-43210", "+919876543210"},
		{"+91 98765 43210", "+919876543210"},
		{"९८७६५४३२१०", "+919876543210"},
		{"whatsapp:+919876543210", "+919876543210"},
		{"12345", ""},
		{"hello", ""},
		{"", ""},
	} {
		got, err := NormalizePhone(tc.in)
		if got != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if !IsIndianMobile("+919876543210") || IsIndianMobile("+914412345678") {
		t.Error("IsIndianMobile misjudges")
	}
	if m := MaskPhone("+919876543210"); m != "+91********10" {
		t.Errorf("MaskPhone = %q", m)
	}
}
