package dialog

import "talaash"

// question is one state of a flow: how it is asked and how an answer is read.
type question struct {
	choices func(t *turn) []Choice
	ask     talaash.Ask
	// handle reads the answer into the draft; it returns the id of the
	// explanation to give when the answer is wrong.
	handle func(t *turn) string
}

var questions = map[string]question{
	"report.name":       nameQ(false),
	"report.age":        ageQ(false),
	"report.gender":     genderQ,
	"report.complexion": complexionQ,
	"report.height":     heightQ,
	"report.clothes":    clothesQ(false),
	"report.marks":      marksQ,
	"report.place":      placeQ,
	"report.time": timeQ(Choice{ID: "time.today", Data: "t:today"},
		Choice{ID: "time.yesterday", Data: "t:yesterday"}),
	"report.photo":    photoQ,
	"report.guardian": guardianQ,
	"report.phone":    phoneQ,
	"report.confirm":  confirmQ,

	"sighting.gender":  genderQ,
	"sighting.age":     ageQ(false),
	"sighting.clothes": clothesQ(true),
	"sighting.marks":   marksQ,
	"sighting.place":   placeQ,
	"sighting.time":    timeQ(seenTimes...),
	"sighting.photo":   photoQ,
	"sighting.safe":    safeQ,
	"sighting.contact": sightingContactQ,
	"sighting.confirm": confirmQ,

	"found.name":       nameQ(true),
	"found.age":        ageQ(true),
	"found.gender":     genderQ,
	"found.complexion": complexionQ,
	"found.height":     heightQ,
	"found.clothes":    clothesQ(false),
	"found.marks":      marksQ,
	"found.place":      placeQ,
	"found.time":       timeQ(seenTimes...),
	"found.photo":      photoQ,
	"found.station":    stationQ,
	"found.confirm":    confirmQ,

	"lost.name":  nameQ(true),
	"lost.age":   ageQ(true),
	"lost.place": placeQ,

	"quick.place": placeQ,
	"quick.age":   ageQ(false),
}
