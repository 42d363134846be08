package dialog

import (
	"strings"

	"talaash"
)

var (
	seenW = set("seen", "saw", "see", "spotted", "sighted", "noticed", "dekha", "dekhi", "dekhe", "dekhaa", "dikha", "dikhi", "dikhe",
		"देखा", "देखी", "देखे", "दिखा", "दिखी", "दिखे", "dekhā")
	aloneW = set("alone", "crying", "lost", "roaming", "wandering", "begging", "akela", "akeli", "akele", "rota", "roti", "ro",
		"bhatak", "अकेला", "अकेली", "अकेले", "रोता", "रोती", "रो", "भटक", "भीख", "bheekh", "bhikh")
	missingW = set("missing", "lapata", "laapata", "लापता", "गुम", "gum", "gumshuda", "गुमशुदा", "kidnapped", "agwa", "अगवा",
		"kho", "खो", "khoya", "खोया", "khoyi", "खोई")
	dangerW = set("danger", "dangerous", "khatra", "khatre", "खतरा", "खतरे", "hurt", "injured", "bleeding", "blood", "ghayal", "घायल",
		"chot", "चोट", "kidnap", "kidnapping", "kidnapper", "agwa", "अगवा", "beating", "beaten", "pitai", "पिटाई", "maar", "मार",
		"unconscious", "behosh", "बेहोश", "trafficking", "trafficker", "emergency", "bachao", "बचाओ", "help!", "sick", "bimar", "बीमार")
)

// Danger reports whether text says the child is hurt or in danger.
func Danger(text string) bool {
	ws := words(fold(text))
	if hasAny(ws, dangerW) {
		return true
	}
	f := " " + strings.Join(ws, " ") + " "
	for _, p := range []string{" le ja raha", " le ja rahe", " le ja rahi", " खींच ", " ले जा रहा", " ले जा रहे", " pull", " drag"} {
		if strings.Contains(f, p) {
			return true
		}
	}
	return false
}

// missingWords reports text that reads like a parent's "my child is missing".
func missingWords(text string) bool {
	return hasAny(words(fold(text)), missingW) && !hasAny(words(fold(text)), seenW)
}

// IsSighting reports whether one message describes a child someone saw: a
// "seen" word with something more, or a boy/girl seen alone or crying.
func IsSighting(text string) bool {
	ws := words(fold(text))
	if len(ws) < 2 {
		return false
	}
	if hasAny(ws, seenW) && !hasAny(ws, missingW) {
		return true
	}
	_, g := ParseGender(text)
	return g && hasAny(ws, aloneW) && len(ws) >= 3
}

// quickStart handles a one-message sighting: the record is saved at once and
// only the missing essentials (where, about how old) are asked for.
func (t *turn) quickStart() bool {
	if t.text == "" || !IsSighting(t.text) {
		return false
	}
	// One reader of free text, the core's: without it the record keeps only
	// the text and the questions ask for what it needs.
	var r talaash.Record
	if t.env.Extract != nil {
		r = t.env.Extract(t.text)
	}
	d := &talaash.Record{
		Kind: talaash.KindSighting, Text: clip(t.text, 1000),
		Gender: r.Gender, Age: r.Age, AgeMin: r.AgeMin, AgeMax: r.AgeMax, HeightCM: r.HeightCM,
		Complex: clip(r.Complex, maxField), Clothes: clip(r.Clothes, maxField), Marks: clip(r.Marks, maxField),
		Place: clip(r.Place, maxField), Lat: r.Lat, Lon: r.Lon, Name: clip(r.Name, maxName),
	}
	if at, ok := ParseTime(t.text, t.env.Now); ok {
		d.Time = at.UTC().Truncate(1e9)
	}
	if len(t.in.Photos) > 0 {
		d.Photos = append(d.Photos, t.in.Photos...)
	}
	if l := t.in.Location; l != nil {
		d.Lat, d.Lon = talaash.Num(l.Lat), talaash.Num(l.Lon)
	}
	if Danger(t.text) {
		d.Safe = "danger"
	}
	t.s.Draft, t.s.Ref, t.s.Editing = d, "", false
	t.res.Save = t.record()
	// The quick replies carry 1098 and 112 themselves; the separate emergency
	// message would cost an SMS a second part for the same numbers.
	if d.Safe == "danger" && !t.env.Caps.SMS() {
		t.emergency()
	}
	t.danger = true
	need := t.quickNeed()
	if need == "" {
		t.fire(evQuickPfx + "place")
		t.fire(evFinish)
		t.s.Draft = nil
		t.reply(t.saved("quick.saved")).Data = map[string]any{"Ref": ""}
		return true
	}
	t.reply("quick.thanks").Data = map[string]any{"Ref": ""}
	t.fire(evQuickPfx + need)
	t.ask()
	return true
}

// quickNeed names the first essential a one-message sighting lacks.
func (t *turn) quickNeed() string {
	d := t.draft()
	if d.Place == "" && (d.Lat == nil || d.Lon == nil) {
		return "place"
	}
	if _, _, ok := d.Ages(); !ok {
		return "age"
	}
	return ""
}

// quickNext saves the enriched sighting (same Ref) and asks for what is still missing.
func (t *turn) quickNext() {
	t.res.Save = t.record()
	switch need := t.quickNeed(); {
	case need == "age" && t.s.State == "quick.place":
		t.fire(evAnswer)
		t.ask()
	default:
		t.fire(evFinish)
		t.s.Draft = nil
		t.reply(t.saved("quick.saved")).Data = map[string]any{"Ref": t.s.Ref}
	}
}
