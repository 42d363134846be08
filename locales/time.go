package locales

import (
	"strconv"
	"time"
)

// ist is India Standard Time, the zone every time shown to people is in.
var ist = time.FixedZone("IST", 5*3600+1800)

var months = map[string][12]string{
	"en":   {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	"hi":   {"जन॰", "फ़र॰", "मार्च", "अप्रैल", "मई", "जून", "जुल॰", "अग॰", "सित॰", "अक्तू॰", "नव॰", "दिस॰"},
	HiLatn: {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
}

// dayParts name the part of the day a Hindi clock time is in, as people say
// it ("शाम 5:30"): from hour 4 morning, 12 afternoon, 16 evening, 20 night.
var dayParts = map[string][4]string{
	"hi":   {"सुबह", "दोपहर", "शाम", "रात"},
	HiLatn: {"subah", "dopahar", "shaam", "raat"},
}

// Time is t as people read it in lang, always with the zone, so that nobody
// wonders whose 5:30 it is: "2 Dec, 5:30 pm IST", "2 दिस॰, शाम 5:30 IST",
// "2 Dec, shaam 5:30 IST"; withYear adds the year after the month ("2 Dec
// 2025, ..."), for times that may be old.
func Time(lang string, t time.Time, withYear bool) string {
	if t.IsZero() {
		return ""
	}
	lang = Lang(lang)
	t = t.In(ist)
	date := strconv.Itoa(t.Day()) + " " + months[lang][t.Month()-1]
	if withYear {
		date += " " + strconv.Itoa(t.Year())
	}
	h12 := t.Hour() % 12
	if h12 == 0 {
		h12 = 12
	}
	clock := strconv.Itoa(h12) + t.Format(":04")
	parts, ok := dayParts[lang]
	if !ok {
		return date + ", " + clock + " " + t.Format("pm") + " IST"
	}
	var p string
	switch h := t.Hour(); {
	case h >= 4 && h < 12:
		p = parts[0]
	case h >= 12 && h < 16:
		p = parts[1]
	case h >= 16 && h < 20:
		p = parts[2]
	default:
		p = parts[3]
	}
	return date + ", " + p + " " + clock + " IST"
}
