package dialog

import (
	"strings"
	"testing"

	"talaash/locales"
)

func TestIsLostPhrasings(t *testing.T) {
	for _, in := range []string{
		"help i lost my mom", "i cant find my mummy", "I can't find my papa", "i cnt find my mumy",
		"mummy nahi mil rahi", "mumma nhi mil rhi", "papa kho gaye", "meri mummy kho gayi", "papa kahan hai",
		"मैं खो गया हूँ", "मैं खो गई हूं", "मम्मी नहीं मिल रही", "पापा कहाँ हैं", "मुझे घर नहीं मिल रहा",
		"i am lost", "im lost pls help", "where is my mom", "main kho gayi hu",
	} {
		if !IsLost(in) {
			t.Errorf("IsLost(%q) = false", in)
		}
	}
	for _, in := range []string{
		"mera beta kho gaya", "my son is lost", "i have lost my son", "मेरी बेटी खो गई",
		"saw a boy crying, cant find his mummy", "ladka dekha, papa nahi mil rahe", "बच्चा कहाँ मिला?",
		"where is my child", "mummy", "red shirt",
	} {
		if IsLost(in) {
			t.Errorf("IsLost(%q) = true", in)
		}
	}
}

// TestFirstReplyHasEmergencyNumbers: the language choice, the first reply to
// anyone, names Childline and police in every wording.
func TestFirstReplyHasEmergencyNumbers(t *testing.T) {
	for _, l := range []string{"en", "hi"} {
		for _, id := range []string{"choose_language", "choose_language.sms"} {
			if s := locales.Render(l, id, nil); !strings.Contains(s, "1098") || !strings.Contains(s, "112") {
				t.Errorf("%s %s = %q, want 1098 and 112", l, id, s)
			}
		}
	}
}
