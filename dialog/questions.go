package dialog

import "talaash"

// question is one row of the table: a field that some flows ask for, how it
// is asked and how an answer is read.
type question struct {
	id    string  // the field: "age"; in flow f the state, and the prompt's message id, is "f.age"
	flows flowSet // the flows that ask it, at this row's place in their order
	// read reads the answer into the draft; it returns the id of the
	// explanation to give when the answer is wrong. nil for the summary,
	// which confirm handles.
	read    func(t *turn) string
	choices func(t *turn) []Choice // offered with the prompt
	ask     talaash.Ask            // a location or contact the channel may request
}

// flowSet is a set of flows, one bit each.
type flowSet uint8

const (
	inReport flowSet = 1 << iota
	inSighting
	inFound
	inLost
	inQuick
)

// flowBits names the flow of each bit of a flowSet.
var flowBits = []string{FlowReport, FlowSighting, FlowFound, FlowLost, FlowQuick}

// table is every question of every flow. A flow asks its questions in the
// order of the table, so a row that two flows ask at different points is
// written twice (gender comes first in a sighting, after age in a report).
// Adding a question is adding a row and its prompt messages ("flow.id" and,
// where SMS needs it shorter, "flow.id.sms") to locales.
var table = []question{
	{id: "name", flows: inReport, read: readName(required)},
	{id: "name", flows: inFound | inLost, read: readName(optional), choices: offer(unknownChoice)},
	{id: "gender", flows: inSighting, read: readGender, choices: offer(genderChoices...)},
	{id: "age", flows: inReport | inSighting, read: readAge(required)},
	{id: "age", flows: inFound | inLost, read: readAge(optional), choices: offer(unknownChoice)},
	{id: "gender", flows: inReport | inFound | inLost, read: readGender, choices: offer(genderChoices...)},
	{id: "complexion", flows: inReport | inFound, read: readComplexion, choices: offer(complexionChoices...)},
	{id: "height", flows: inReport | inFound, read: readHeight, choices: offer(skipChoice)},
	{id: "clothes", flows: inReport | inFound, read: readText(clothesOf, required)},
	{id: "clothes", flows: inSighting, read: readText(clothesOf, optional), choices: offer(skipChoice)},
	{id: "marks", flows: inReport | inSighting | inFound, read: readText(marksOf, optional), choices: offer(noneChoice)},
	{id: "place", flows: inReport | inSighting | inFound | inLost | inQuick, read: readPlace, ask: talaash.AskLocation},
	{id: "age", flows: inQuick, read: readAge(required)},
	{id: "time", flows: inReport, read: readTime, choices: offer(timeToday, timeYesterday)},
	{id: "time", flows: inSighting | inFound, read: readTime, choices: offer(seenTimes...)},
	{id: "photo", flows: inReport | inSighting | inFound, read: readPhoto, choices: offer(skipChoice)},
	{id: "guardian", flows: inReport, read: readGuardian, ask: talaash.AskContact},
	{id: "phone", flows: inReport, read: readPhone, choices: selfChoices(required), ask: talaash.AskContact},
	{id: "safe", flows: inSighting, read: readSafe, choices: offer(safeChoices...)},
	{id: "contact", flows: inSighting, read: readContact, choices: selfChoices(optional), ask: talaash.AskContact},
	{id: "station", flows: inFound, read: readText(stationOf, required)},
	{id: "confirm", flows: inReport | inSighting | inFound, choices: offer(confirmChoices...)},
}

// flows lists each flow's questions (states) in order; "back" goes to the
// one before. questions is the row of each state.
var flows, questions = fromTable(table)

func fromTable(tab []question) (map[string][]string, map[string]question) {
	fl := map[string][]string{}
	qs := map[string]question{}
	for _, q := range tab {
		for bit, f := range flowBits {
			if q.flows&(1<<bit) == 0 {
				continue
			}
			st := f + "." + q.id
			if _, dup := qs[st]; dup {
				panic("dialog: question table asks " + st + " twice")
			}
			fl[f] = append(fl[f], st)
			qs[st] = q
		}
	}
	return fl, qs
}

// offer is a question's fixed choices.
func offer(cs ...Choice) func(*turn) []Choice {
	return func(*turn) []Choice { return cs }
}

// Whether a question may be left unanswered: an optional one takes "skip",
// "don't know", "-" and leaves its field empty.
const (
	required = false
	optional = true
)
