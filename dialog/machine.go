package dialog

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/looplab/fsm"
)

// States outside the flows.
const (
	StateNew      = ""
	StateLanguage = "choose_language"
	StateMenu     = "menu"
	StateDone     = "done"
)

// Flow names; a flow's states are "flow.field".
const (
	FlowReport   = "report"   // a parent's report of a missing child
	FlowSighting = "sighting" // a bystander's sighting, question by question
	FlowFound    = "found"    // police record a child found
	FlowLost     = "lost"     // a lost child writes to us
	FlowQuick    = "quick"    // a one-message sighting: only the missing essentials
)

// Events of the machine.
const (
	evGreet    = "greet"    // a first message: offer the languages
	evLanguage = "language" // choose_language -> menu
	evAnswer   = "answer"   // a question answered (or skipped) -> the next one
	evBack     = "back"     // -> the previous question
	evReview   = "review"   // an edited field answered -> the summary
	evConfirm  = "confirm"  // summary confirmed -> done
	evFinish   = "finish"   // the last question of lost / quick answered -> done
	evCancel   = "cancel"   // -> menu, draft dropped
	evMenu     = "menu"     // -> menu
	evExpire   = "expire"   // draft untouched for 24 h -> menu
	evEditPfx  = "edit:"    // "edit:age": summary -> that question
	evStartPfx = "start:"   // "start:report": -> the flow's first question
	evQuickPfx = "quick:"   // "quick:place": a one-message sighting asks for what it lacks
)

// flowOf returns the flow a state belongs to, "" for the states outside flows.
func flowOf(state string) string {
	if i := strings.IndexByte(state, '.'); i > 0 {
		return state[:i]
	}
	return ""
}

// fieldOf returns the field a question asks for: "report.age" -> "age".
func fieldOf(state string) string {
	if i := strings.IndexByte(state, '.'); i > 0 {
		return state[i+1:]
	}
	return ""
}

// allStates lists every state of the machine.
func allStates() []string {
	out := []string{StateNew, StateLanguage, StateMenu, StateDone}
	for _, f := range []string{FlowReport, FlowSighting, FlowFound, FlowLost, FlowQuick} {
		out = append(out, flows[f]...)
	}
	return out
}

// events is the machine's table of transitions, built once.
var events = buildEvents()

func buildEvents() []fsm.EventDesc {
	all := allStates()
	ev := []fsm.EventDesc{
		{Name: evGreet, Src: []string{StateNew, StateMenu, StateDone}, Dst: StateLanguage},
		{Name: evLanguage, Src: []string{StateNew, StateLanguage}, Dst: StateMenu},
		{Name: evCancel, Src: all, Dst: StateMenu},
		{Name: evMenu, Src: all, Dst: StateMenu},
		{Name: evExpire, Src: all, Dst: StateMenu},
	}
	for _, f := range []string{FlowReport, FlowSighting, FlowFound, FlowLost} {
		ev = append(ev, fsm.EventDesc{Name: evStartPfx + f, Src: all, Dst: flows[f][0]})
	}
	entry := []string{StateNew, StateLanguage, StateMenu, StateDone, "quick.place", "quick.age"}
	for _, q := range flows[FlowQuick] {
		ev = append(ev, fsm.EventDesc{Name: evQuickPfx + fieldOf(q), Src: entry, Dst: q})
	}
	for _, f := range []string{FlowReport, FlowSighting, FlowFound, FlowLost, FlowQuick} {
		qs := flows[f]
		for i, q := range qs {
			if i+1 < len(qs) {
				ev = append(ev, fsm.EventDesc{Name: evAnswer, Src: []string{q}, Dst: qs[i+1]})
			}
			if i > 0 {
				ev = append(ev, fsm.EventDesc{Name: evBack, Src: []string{q}, Dst: qs[i-1]})
			}
		}
		last := qs[len(qs)-1]
		if strings.HasSuffix(last, ".confirm") {
			ev = append(ev, fsm.EventDesc{Name: evConfirm, Src: []string{last}, Dst: StateDone})
			for _, q := range qs[:len(qs)-1] {
				ev = append(ev,
					fsm.EventDesc{Name: evEditPfx + fieldOf(q), Src: []string{last}, Dst: q},
					fsm.EventDesc{Name: evReview, Src: []string{q}, Dst: last})
			}
		} else {
			ev = append(ev, fsm.EventDesc{Name: evFinish, Src: []string{last}, Dst: StateDone})
		}
	}
	ev = append(ev, fsm.EventDesc{Name: evFinish, Src: []string{"quick.place"}, Dst: StateDone})
	return ev
}

// errNoEvent is returned when an event does not apply to the current state: a
// bug in the dialog, never the person's fault.
var errNoEvent = errors.New("dialog: event not allowed in this state")

// machines reuses looplab/fsm machines: building one indexes every
// transition, which costs more than the rest of a turn. A machine taken from
// the pool is set to the session's state before use.
var machines = sync.Pool{New: func() any { return fsm.NewFSM(StateNew, events, nil) }}

// fire moves the session's state by event through a looplab/fsm machine.
func fire(s *Session, event string) error {
	m := machines.Get().(*fsm.FSM)
	defer machines.Put(m)
	m.SetState(s.State)
	err := m.Event(context.Background(), event)
	var same fsm.NoTransitionError
	if err != nil && !errors.As(err, &same) {
		var inv fsm.InvalidEventError
		var unk fsm.UnknownEventError
		if errors.As(err, &inv) || errors.As(err, &unk) {
			return errNoEvent
		}
		return err
	}
	s.State = m.Current()
	return nil
}

// Can reports whether event applies to state, for tests and the core.
func Can(state, event string) bool {
	m := machines.Get().(*fsm.FSM)
	defer machines.Put(m)
	m.SetState(state)
	return m.Can(event)
}

// States returns every state of the machine.
func States() []string { return allStates() }
