package dialog

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"talaash"
	"talaash/locales"
)

// Refused answers a turn whose record the core could not save because the
// store refused it as invalid (talaash.EINVALID; field is what
// talaash.Record.BadField named, "" if unknown). s is the session as it was
// before the turn, which the core keeps. The person is told what is wrong
// and asked that one thing again, with the rest of the draft kept, rather
// than told to send the same message again, which would fail the same way.
// Where there is nothing to ask (a one-message sighting, a field no question
// of the flow asks), they are told the report could not be saved and given
// the question they were at, or the menu.
func Refused(s *Session, in talaash.Inbound, env Env, field string) (res Result) {
	if s == nil {
		s = NewSession(in.Channel, in.Sender)
	}
	if env.Now.IsZero() {
		env.Now = time.Now()
	}
	if s.Lang == "" {
		s.Lang = guessLang(clean(in.Text), in.LangHint)
	}
	t := &turn{s: s, in: in, env: env, text: clean(in.Text)}
	defer func() {
		if r := recover(); r != nil {
			slog.Error("dialog: refused panicked; session reset to the menu", "state", s.State, "panic", fmt.Sprint(r))
			s.State, s.Draft, s.Editing, s.Ref = StateMenu, nil, false, ""
			res = Result{Replies: []Reply{{ID: "err.save"}, t.menuReply()}}
			s.Offered = res.Replies[1].Choices
		}
	}()
	flow := flowOf(s.State)
	if !knownState[s.State] {
		s.State, s.Draft, s.Editing = StateMenu, nil, false
		flow = ""
	}
	q := flow + "." + questionOf(flow, field)
	if _, asks := questions[q]; flow != "" && s.Draft != nil && asks && field != "" {
		clearField(s.Draft, field)
		switch {
		case strings.HasSuffix(s.State, ".confirm") && Can(s.State, evEditPfx+fieldOf(q)):
			t.fire(evEditPfx + fieldOf(q))
			s.Editing = true
		default:
			// lost and quick have no summary to come back to: their
			// questions go on from the one asked again.
			s.State, s.Editing = q, false
		}
		t.reply("err.save.field").Data = map[string]any{"Field": locales.Render(t.lang(), "field."+fieldOf(q), nil)}
		t.ask()
	} else {
		t.reply("err.save")
		if flow != "" && s.Draft != nil {
			t.ask()
		} else {
			s.State, s.Draft, s.Editing = StateMenu, nil, false
			t.res.Replies = append(t.res.Replies, t.menuReply())
		}
	}
	if n := len(t.res.Replies); n > 0 {
		s.Offered = t.res.Replies[n-1].Choices
	}
	s.Updated = env.Now
	return t.res
}

// questionOf is the question of flow that asks for a record field as
// talaash.Record.BadField names it.
func questionOf(flow, field string) string {
	if field == "contact" && flow == FlowReport {
		return "phone"
	}
	return field
}

// clearField empties a record field as talaash.Record.BadField names it.
func clearField(d *talaash.Record, field string) {
	switch field {
	case "age":
		d.Age, d.AgeMin, d.AgeMax = nil, nil, nil
	case "height":
		d.HeightCM = nil
	case "place":
		d.Place, d.Lat, d.Lon = "", nil, nil
	case "time":
		d.Time = time.Time{}
	case "gender":
		d.Gender = ""
	case "contact":
		if d.Contact != nil {
			d.Contact.Phone = ""
		}
	}
}
