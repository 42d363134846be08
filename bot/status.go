package bot

import (
	"strings"

	"talaash"
	"talaash/locales"
)

// status answers STATUS with the sender's own records, newest first, each
// said as where it stands (talaash.CaseStage), never anything of the other
// record of a match. A ref that is not theirs is "not found", so nobody can
// probe other people's cases. One record goes as its own message (by SMS
// always one: STATUS REF asks for another).
func (t *turnCtx) status(ref string) ([]talaash.Outbound, error) {
	var recs []*talaash.Record
	err := t.tx.RecordsByReporter(t.in.Channel, t.in.Sender, func(r *talaash.Record) error {
		if ref == "" || talaash.CanonicalRef(r.Ref) == talaash.CanonicalRef(ref) {
			recs = append(recs, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch {
	case len(recs) == 0 && ref != "":
		return t.say("core.not_found", map[string]any{"Ref": ref}), nil
	case len(recs) == 0:
		return t.say("core.status.none", nil), nil
	}
	// Newest last in the store's order; show the newest few first.
	for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
		recs[i], recs[j] = recs[j], recs[i]
	}
	max := 10
	if !t.caps.Buttons {
		max = 1
	}
	if len(recs) > max {
		recs = recs[:max]
	}
	if len(recs) == 1 {
		id, data, err := t.statusOf(recs[0])
		if err != nil {
			return nil, err
		}
		return t.say(id, data), nil
	}
	var lines []string
	for _, r := range recs {
		id, data, err := t.statusOf(r)
		if err != nil {
			return nil, err
		}
		lines = append(lines, locales.Render(t.lang, id, data))
	}
	return t.say("core.status.list", map[string]any{"Lines": strings.Join(lines, "\n")}), nil
}

// statusOf is the message that tells the sender where their record r
// stands: to a parent each stage of the case in its own words, to a
// bystander or a lost child only that police have it, to an officer the
// stage as a word.
func (t *turnCtx) statusOf(r *talaash.Record) (string, map[string]any, error) {
	stage, err := talaash.CaseStage(t.tx, r)
	if err != nil {
		return "", nil, err
	}
	data := map[string]any{"Ref": r.Ref, "Date": t.date(r.Created)}
	if t.police {
		data["Kind"] = t.kind(r.Kind)
		data["Status"] = locales.Render(t.lang, "core.state."+stateWord[stage], nil)
		return "core.status.item", data, nil
	}
	open := stage == talaash.StageReported || stage == talaash.StageChecking
	if open {
		hear, err := t.policeHear()
		if err != nil {
			return "", nil, err
		}
		if !hear {
			return "core.status." + string(r.Kind) + ".saved", data, nil
		}
	}
	switch r.Kind {
	case talaash.KindMissing:
		return "core.status.missing." + string(stage), data, nil
	case talaash.KindSighting:
		switch {
		case open:
			return "core.status.sighting.open", data, nil
		case stage == talaash.StageConfirmed:
			return "core.status.sighting.matched", data, nil
		}
		return "core.status.sighting.closed", data, nil
	}
	if r.Status.Active() {
		return "core.status.found.open", data, nil
	}
	return "core.status.found.closed", data, nil
}

// stateWord is the core.state word of each stage, as officers read it.
var stateWord = map[talaash.Stage]string{
	talaash.StageReported: "open", talaash.StageChecking: "checking", talaash.StageConfirmed: "matched",
	talaash.StageReunited: "reunited", talaash.StageClosed: "closed",
}

// question answers a follow-up question about the sender's case (topic is
// one of dialog.QuestionTopics) by where their newest missing-child report
// stands: before a match, that police are still looking and will say as soon
// as they confirm one; after, that police will call, and why the place, a
// photo and the finder are not shared in chat. A bystander is thanked, a lost
// child told to stay near people; nobody learns anything of another record.
func (t *turnCtx) question(topic string) ([]talaash.Outbound, error) {
	var parent, other *talaash.Record
	err := t.tx.RecordsByReporter(t.in.Channel, t.in.Sender, func(r *talaash.Record) error {
		switch {
		case r.Kind != talaash.KindMissing:
			other = r
		case parent == nil || r.Status.Active() || !parent.Status.Active():
			// The newest active report, else the newest one.
			parent = r
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch {
	case parent == nil && other == nil:
		return t.say("core.question.none", nil), nil
	case parent == nil && other.Safe == talaash.SafeLost:
		return t.say("core.question.lost", nil), nil
	case parent == nil:
		return t.say("core.question.reporter", map[string]any{"Ref": other.Ref}), nil
	}
	stage, err := talaash.CaseStage(t.tx, parent)
	if err != nil {
		return nil, err
	}
	data := map[string]any{"Ref": parent.Ref}
	switch stage {
	case talaash.StageReunited, talaash.StageClosed:
		return t.say("core.question."+string(stage), data), nil
	case talaash.StageConfirmed:
		return t.say("core.question."+topic+".confirmed", data), nil
	}
	hear, err := t.policeHear()
	if err != nil {
		return nil, err
	}
	if !hear {
		return t.say("core.question.nopolice", data), nil
	}
	return t.say("core.question."+topic, data), nil
}

// policeHear reports whether any officer would hear of a record the sender
// makes: one on the roster (the desk too) on a channel of the sender's kind,
// since officers of a simulated channel hear of test records only. Asked at
// most once a turn.
func (t *turnCtx) policeHear() (bool, error) {
	if t.hear == nil {
		test := t.caps.Test
		ok, err := t.b.roster.Serving(t.tx, func(ch string) bool { return t.b.caps(ch).Test == test })
		if err != nil {
			return false, err
		}
		t.hear = &ok
	}
	return *t.hear, nil
}

func (t *turnCtx) kind(k talaash.Kind) string {
	return locales.Render(t.lang, "core.kind."+string(k), nil)
}
