// Package dialog holds Talaash's conversations as looplab/fsm machines: a
// parent's report, a bystander's sighting (question by question or in one
// message), a police officer's found child and a lost child's call for help,
// plus the keywords valid everywhere. It is pure: Step takes a session, one
// inbound message and the world as the core sees it, and returns the replies
// (as locale message ids), a record to save and actions only the core can do.
package dialog

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"talaash"
	"talaash/locales"
)

// Env is what the core tells the dialog about the world for this turn.
type Env struct {
	Now    time.Time
	Police bool // the sender is an enrolled police officer
	// Extract reads a one-message description (gender, ages, place, clothes,
	// marks): the matcher's reader, so a sighting is read as it is matched.
	// Nil keeps only the text, and the dialog asks for what it needs.
	Extract func(text string) talaash.Record
	Caps    talaash.Capabilities // what the sender's channel can carry
	// NoPolice reports that no officer would hear of a record this sender
	// makes, so that nobody is told police will see it; nil: police would.
	// Asked only when a record is saved.
	NoPolice func() bool
}

// Choice is an option offered with a reply.
type Choice struct {
	ID   string `json:"id"`   // locale message id of the label
	Data string `json:"data"` // what choosing it sends back (at most 64 bytes)
}

// Reply is one message to send, by locale message id.
type Reply struct {
	ID      string         // locale message id
	Data    map[string]any // template data; "Ref" is filled by the core
	Choices []Choice
	Inline  bool        // inline buttons (callbacks) rather than a reply keyboard
	Ask     talaash.Ask // request location / contact where the channel can
}

// ActionKind names something only the core can do.
type ActionKind string

// Actions.
const (
	ActCase     ActionKind = "case"     // look up Ref (police only)
	ActStatus   ActionKind = "status"   // the sender's own records (Ref optional)
	ActEnrol    ActionKind = "enrol"    // Arg = code
	ActRevoke   ActionKind = "revoke"   // the officer leaves the police list
	ActStop     ActionKind = "stop"     // no more messages to this sender
	ActStart    ActionKind = "start"    // messages again after stop
	ActReview   ActionKind = "review"   // Ref, Confirm
	ActReunited ActionKind = "reunited" // Ref
	ActClose    ActionKind = "close"    // Ref, Arg = reason
	ActOpen     ActionKind = "open"     // Arg = page
	ActMatches  ActionKind = "matches"
	ActStats    ActionKind = "stats"
	ActQuestion ActionKind = "question" // a follow-up question about the sender's case; Arg = its topic (QuestionTopics)
)

// Action is something the core answers itself.
type Action struct {
	Kind    ActionKind
	Ref     string
	Arg     string
	Confirm bool
}

// Result is what one turn produces.
type Result struct {
	Replies []Reply
	// Save is a record to store now: new (Ref "") or the same Ref again to
	// enrich it. The core stores it in the turn's transaction, then calls Saved.
	Save    *talaash.Record
	Actions []Action
}

// Limits on what people send.
const (
	maxText  = 4000 // runes of a message the dialog reads
	maxField = 500  // runes kept in one free-text field
	maxName  = 80
	expiry   = 24 * time.Hour
)

// turn is one Step in progress.
type turn struct {
	s    *Session
	in   talaash.Inbound
	env  Env
	text string // cleaned text
	data string // the choice picked (callback, label or number), if any
	res  Result

	skipPhone   bool      // the guardian's contact was shared: the phone question is answered
	danger      bool      // emergency numbers already given this turn
	keepOffered bool      // the question asked before still stands, with its choices
	future      time.Time // a time given that is still to come: the day before, to offer
	adultAge    bool      // an age read from free text was no child's: say so when asking it
}

// Step runs one turn of the conversation. It never panics and always returns
// at least one reply or action; a bug resets the person to the menu.
func Step(s *Session, in talaash.Inbound, env Env) (res Result) {
	if s == nil {
		s = NewSession(in.Channel, in.Sender)
	}
	if env.Now.IsZero() {
		env.Now = in.At
	}
	if env.Now.IsZero() {
		env.Now = time.Now()
	}
	t := &turn{s: s, in: in, env: env, text: clean(in.Text)}
	defer func() {
		if r := recover(); r != nil {
			slog.Error("dialog: step panicked; session reset to the menu", "state", s.State, "panic", fmt.Sprint(r))
			s.State, s.Draft, s.Editing, s.Ref = StateMenu, nil, false, ""
			if s.Lang == "" {
				s.Lang = "en"
			}
			res = Result{Replies: []Reply{{ID: "error"}, t.menuReply()}}
			s.Offered = res.Replies[1].Choices
		}
	}()
	t.run()
	if len(t.res.Replies) == 0 && len(t.res.Actions) == 0 {
		t.res.Replies = append(t.res.Replies, t.menuReply())
	}
	if n := len(t.res.Replies); n > 0 && !t.keepOffered {
		s.Offered = t.res.Replies[n-1].Choices
	}
	s.Updated = env.Now
	return t.res
}

// clean drops control characters and caps the length of a message.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r), r == '\uFEFF':
			return -1
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > maxText {
		s = string([]rune(s)[:maxText])
	}
	return strings.TrimSpace(s)
}

// clip keeps an answer to n runes without the spaces around it.
func clip(s string, n int) string {
	return strings.TrimSpace(talaash.Clip(strings.TrimSpace(s), n, ""))
}

func (t *turn) reply(id string) *Reply {
	// A lost child is spoken to as a child (तुम) throughout: the flow's own
	// wording of a refusal or of help, where it has one.
	if (strings.HasPrefix(id, "err.") || id == "help.flow") && flowOf(t.s.State) == FlowLost && locales.Has(t.lang(), "lost."+id) {
		id = "lost." + id
	}
	t.res.Replies = append(t.res.Replies, Reply{ID: id})
	return &t.res.Replies[len(t.res.Replies)-1]
}

func (t *turn) act(a Action) { t.res.Actions = append(t.res.Actions, a) }

func (t *turn) fire(event string) {
	if err := fire(t.s, event); err != nil {
		panic(fmt.Sprintf("%s in %q: %v", event, t.s.State, err))
	}
}

// guessLang picks the language of a new conversation: the script of what they
// wrote (Devanagari: Hindi; Hindi words in Latin letters: Hinglish), then the
// client's language.
func guessLang(text, hint string) string {
	switch {
	case talaash.Devanagari(text):
		return "hi"
	case Hinglish(text):
		return locales.HiLatn
	case hint != "":
		return locales.Lang(hint)
	}
	return "en"
}

// followWriting answers people the way they write: Devanagari gets Hindi,
// Hindi in Latin letters gets Hinglish (they write Latin because that is what
// they read or type best, and their SMS then stays GSM-7). English words in a
// Hinglish session are Hinglish as people write it, so English is only ever
// chosen; and a chosen English is kept against Latin text, which reads as
// Hindi by a couple of words only.
func followWriting(s *Session, text string) {
	switch {
	case talaash.Devanagari(text):
		s.Lang = "hi"
	case s.Lang == locales.HiLatn:
	case Hinglish(text) && (s.Lang == "hi" || !s.LangChosen):
		s.Lang = locales.HiLatn
	}
}

// chooseLang sets the language the person asked for.
func (s *Session) chooseLang(l string) {
	s.Lang, s.LangChosen = locales.Lang(l), true
}

func (t *turn) run() {
	s := t.s
	if s.Channel == "" {
		s.Channel = t.in.Channel
	}
	if s.Sender == "" {
		s.Sender = t.in.Sender
	}
	if s.Lang == "" {
		s.Lang = guessLang(t.text, t.in.LangHint)
	} else if t.in.Callback == "" {
		followWriting(s, t.text)
	}
	if !knownState[s.State] {
		// A session written by an older version of the dialog: start afresh.
		s.State, s.Draft, s.Editing = StateMenu, nil, false
	}
	expired := false
	if flowOf(s.State) != "" && !s.Updated.IsZero() && t.env.Now.Sub(s.Updated) > expiry {
		s.Draft, s.Editing, s.Ref = nil, false, ""
		t.fire(evExpire)
		t.reply("expired")
		expired = true
	}
	t.data = t.pick()
	cmdText := t.text
	if t.data != "" {
		cmdText = t.data
	} else if t.in.Callback != "" {
		cmdText = clean(t.in.Callback)
	}
	if c, ok := ParseCommand(cmdText); ok {
		t.command(c)
		return
	}
	if IsLost(t.text) {
		t.startFlow(FlowLost)
		return
	}
	if expired {
		t.res.Replies = append(t.res.Replies, t.menuReply())
		return
	}
	switch s.State {
	case StateNew, StateLanguage:
		l, ok := strings.CutPrefix(t.data, "lang:")
		if !ok && t.data == "" && s.State == StateLanguage {
			l, ok = LanguageAt(t.text)
		}
		if ok {
			s.chooseLang(l)
			t.fire(evLanguage)
			t.res.Replies = append(t.res.Replies, t.menuReply())
			return
		}
		if t.question() || t.quickStart() {
			return
		}
		if s.State == StateLanguage && t.text != "" {
			// Not a language: they want to talk; keep the guessed language.
			t.fire(evLanguage)
			t.atMenu()
			return
		}
		if s.State == StateNew {
			t.fire(evGreet)
		}
		t.res.Replies = append(t.res.Replies, langReply())
	case StateMenu, StateDone:
		t.atMenu()
	default:
		t.answer()
	}
}

var knownState = func() map[string]bool {
	m := map[string]bool{}
	for _, st := range allStates() {
		m[st] = true
	}
	return m
}()

// pick resolves the choice the person made: a callback, the label of an
// offered reply-keyboard button, or where the channel has no buttons a number
// N for the N-th offered choice.
func (t *turn) pick() string {
	if cb := strings.TrimSpace(t.in.Callback); cb != "" {
		if len(cb) > 64 {
			return ""
		}
		return cb
	}
	if t.text == "" || len(t.s.Offered) == 0 {
		return ""
	}
	f := fold(t.text)
	for _, c := range t.s.Offered {
		for _, l := range locales.Languages {
			// The button label, or the shorter one an SMS showed.
			if f == fold(locales.Render(l, c.ID, nil)) || f == fold(locales.RenderSMS(l, c.ID, nil)) {
				return c.Data
			}
		}
	}
	if !t.env.Caps.Buttons {
		d := strings.TrimRight(ASCIIDigits(t.text), ".) ")
		if n, err := strconv.Atoi(d); err == nil && n >= 1 && n <= len(t.s.Offered) {
			return t.s.Offered[n-1].Data
		}
	}
	return ""
}

// emergency gives Childline and police numbers, once a turn.
func (t *turn) emergency() {
	if !t.danger {
		t.danger = true
		t.reply("emergency")
	}
}

func (t *turn) lang() string { return locales.Lang(t.s.Lang) }

// question hands a follow-up question about the sender's case ("where is my
// child", "पुलिस कब फ़ोन करेगी") to the core, which alone knows where the
// case stands; outside a flow only, where it cannot be an answer.
func (t *turn) question() bool {
	topic := Question(t.text)
	if topic == "" || t.env.Police { // officers look cases up with CASE
		return false
	}
	if t.s.State == StateNew || t.s.State == StateLanguage {
		t.fire(evLanguage)
	}
	t.act(Action{Kind: ActQuestion, Arg: topic})
	return true
}

// saved is the id of the reply that a record was saved: its ".nopolice"
// wording where it has one and no officer would hear of the record, so that
// nobody is told police will see it; the emergency numbers stand in.
func (t *turn) saved(id string) string {
	if t.env.NoPolice != nil && locales.Has(t.lang(), id+".nopolice") && t.env.NoPolice() {
		return id + ".nopolice"
	}
	return id
}
