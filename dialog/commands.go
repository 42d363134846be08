package dialog

import (
	"regexp"
	"strings"

	"talaash"
	"talaash/locales"
)

// Command is a keyword or slash command recognised at any point of any
// conversation, on any channel.
type Command struct {
	Name string // one of the Cmd constants
	Ref  string // a record reference, where the command takes one
	Arg  string // a code, a reason, a page, "hi"/"en"/"hi-Latn", "yes"/"no"
}

// Command names.
const (
	CmdHelp     = "help"
	CmdStop     = "stop"
	CmdStart    = "start" // the SMS START keyword: messages again after STOP
	CmdMenu     = "menu"  // /start on Telegram, "menu"
	CmdReport   = "report"
	CmdSeen     = "seen"
	CmdFound    = "found"
	CmdLost     = "lost"
	CmdStatus   = "status"
	CmdLang     = "lang"
	CmdPolice   = "police" // enrolment, Arg = code
	CmdRevoke   = "revoke"
	CmdApprove  = "approve" // an officer accepts enrolment request Arg; no Arg lists them
	CmdCase     = "case"
	CmdReview   = "review" // Arg = "yes" | "no"
	CmdReunited = "reunited"
	CmdClose    = "close"
	CmdOpen     = "open"
	CmdMatches  = "matches"
	CmdStats    = "stats"
	CmdCancel   = "cancel"
	CmdBack     = "back"
)

// ActApprove approves enrolment request Arg (a number), or lists the pending
// ones when Arg is empty (police only).
const ActApprove ActionKind = "approve"

// whole maps a message that is only a keyword to its command.
var whole = map[string]string{}

func init() {
	for name, ws := range map[string][]string{
		CmdHelp:    {"help", "/help", "मदद", "madad", "madat", "sahayata", "सहायता", "?"},
		CmdStop:    {"stop", "/stop", "बंद", "band", "bandh", "unsubscribe", "stopall"},
		CmdStart:   {"start", "शुरू", "shuru", "unstop", "subscribe"},
		CmdMenu:    {"/start", "menu", "/menu", "मेनू", "मेन्यू", "hi", "hello", "namaste", "नमस्ते", "hey"},
		CmdReport:  {"report", "/report", "शिकायत", "shikayat", "shikayat", "shikaayat", "sikayat", "missing", "लापता", "lapata", "laapata"},
		CmdSeen:    {"seen", "/seen", "देखा", "देखी", "dekha", "dekhi", "sighting", "saw"},
		CmdFound:   {"found", "/found", "मिला", "मिली", "mila", "mili"},
		CmdLost:    {"lost", "/lost"},
		CmdCancel:  {"cancel", "/cancel", "रद्द", "radd", "rad", "khatam", "ख़त्म", "खत्म"},
		CmdBack:    {"back", "/back", "पीछे", "peeche", "piche", "pichhe", "वापस", "wapas", "vapas"},
		CmdMatches: {"matches", "/matches"},
		CmdStats:   {"stats", "/stats", "figures"},
		CmdRevoke:  {"/revoke"},
	} {
		for _, w := range ws {
			whole[fold(w)] = name
		}
	}
}

var (
	reRef     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{1,31}$`)
	reDigit   = regexp.MustCompile(`[0-9]`)
	langWords = map[string]string{
		"hi": "hi", "hindi": "hi", "हिंदी": "hi", "हिन्दी": "hi", "हि": "hi", "hin": "hi",
		"en": "en", "english": "en", "eng": "en", "अंग्रेजी": "en", "angrezi": "en", "angreji": "en", "इंग्लिश": "en",
		"hinglish": locales.HiLatn, "roman": locales.HiLatn, "latin": locales.HiLatn, "hi-latn": locales.HiLatn,
		"हिंग्लिश": locales.HiLatn, "रोमन": locales.HiLatn,
	}
	// promptOnly are language words that alone are a language only where one
	// is asked for (LanguageAt): "hi" greets, "en" and "roman" may be names.
	promptOnly = map[string]bool{"hi": true, "en": true, "roman": true, "latin": true}
	// langPlease are the words around a language's name when people ask for
	// it: "english pls", "hindi mein", "in english".
	langPlease = map[string]bool{"pls": true, "plz": true, "please": true, "mein": true, "me": true, "main": true, "mai": true,
		"में": true, "in": true, "chahiye": true, "चाहिए": true}
)

func init() {
	for k, v := range langWords {
		delete(langWords, k)
		langWords[fold(k)] = v
	}
	for k := range langPlease {
		delete(langPlease, k)
		langPlease[fold(k)] = true
	}
}

// refArg reads a reference that may have been typed with spaces
// ("K 4821 7", "४८२१७"); the store compares refs in a canonical form.
func refArg(parts []string) (string, bool) {
	if len(parts) == 0 || len(parts) > 4 {
		return "", false
	}
	ref := ASCIIDigits(strings.Join(parts, " "))
	for _, p := range strings.Fields(ref) {
		if !reRefPart.MatchString(p) {
			return "", false
		}
	}
	// Refs have five digits or more ("K-4821-7"); "no 8" is an answer, not a ref.
	if len(ref) > 40 || len(reDigit.FindAllString(ref, 5)) < 4 {
		return "", false
	}
	return strings.ToUpper(ref), true
}

var reRefPart = regexp.MustCompile(`^#?[A-Za-z0-9][A-Za-z0-9./-]*$`)

// IsRef reports whether s looks like a record reference ("K-4821-7"): letters,
// digits and dashes with at least one digit.
func IsRef(s string) bool { return reRef.MatchString(s) && reDigit.MatchString(s) }

// IsLost reports whether text says a child is lost or cannot find their
// parents, in English, Hindi or Hinglish: a phrase of locales' lost.csv, or a
// word for a parent with a "cannot find" cue. "mera beta kho gaya" (a parent)
// and "saw a boy, can't find his mummy" (a bystander) are not.
func IsLost(text string) bool {
	l, t := lostVocab(), padded(text)
	return holds(t, l["phrase"]) || holds(t, l["parent"]) && holds(t, l["cue"]) && !holds(t, l["not"])
}

// LanguageAt reads the answer to the language question when it is a
// language's name alone ("roman", "en"), which elsewhere may be a word of an
// answer; "hi" stays a greeting.
func LanguageAt(text string) (string, bool) {
	w := strings.TrimRight(fold(strings.TrimSpace(text)), ".!,;:।")
	l, ok := langWords[w]
	return l, ok && w != "hi"
}

// ParseCommand recognises a keyword or command in a whole message: "HELP",
// "मदद", "madad", "/police CODE", "STATUS K-4821-7", "YES K-4821-7",
// "/close K-4821-7 reunited by family", "LANG HI", "hindi", "/start". Telegram's
// "/cmd@botname" form is accepted.
func ParseCommand(text string) (Command, bool) {
	t := strings.TrimSpace(text)
	if t == "" || len(t) > 300 {
		return Command{}, false
	}
	f := fold(t)
	fs := strings.Fields(f)
	if len(fs) == 0 {
		return Command{}, false
	}
	// Alert buttons: "rv:y:REF", "rv:n:REF", "case:REF" (REF may be a pair "M--S").
	for prefix, c := range map[string]Command{"rv:y:": {Name: CmdReview, Arg: "yes"}, "rv:n:": {Name: CmdReview, Arg: "no"}, "case:": {Name: CmdCase}} {
		if ref, ok := strings.CutPrefix(t, prefix); ok && ref != "" && !strings.ContainsAny(ref, " \t") {
			c.Ref = ref
			return c, true
		}
	}
	head := fs[0]
	if strings.HasPrefix(head, "/") {
		if i := strings.IndexByte(head, '@'); i > 0 {
			head = head[:i]
		}
	}
	head = strings.TrimRight(head, ".!,;:।")
	bare := strings.TrimPrefix(head, "/")
	orig := strings.Fields(t) // refs and codes keep their case
	rest := ""
	if len(orig) > 1 {
		rest = strings.TrimSpace(t[strings.Index(t, orig[1]):])
	}
	if len(fs) == 1 {
		if name, ok := whole[head]; ok {
			return Command{Name: name}, true
		}
		if l, ok := langWords[bare]; ok && !promptOnly[bare] {
			return Command{Name: CmdLang, Arg: l}, true
		}
	}
	if len(fs) == 2 {
		for i, w := range fs {
			w = strings.TrimRight(w, ".!,;:।")
			if l, ok := langWords[w]; ok && w != "hi" && langPlease[strings.TrimRight(fs[1-i], ".!,;:।")] {
				return Command{Name: CmdLang, Arg: l}, true
			}
		}
	}
	switch bare {
	case "lang", "language", "bhasha", "भाषा":
		c := Command{Name: CmdLang}
		if len(fs) == 2 {
			l, ok := langWords[fs[1]]
			if !ok {
				return Command{}, false
			}
			c.Arg = l
		} else if len(fs) > 2 {
			return Command{}, false
		}
		if bare != "lang" && len(fs) == 1 && !strings.HasPrefix(head, "/") {
			return Command{Name: CmdLang}, true
		}
		return c, true
	case "status", "स्थिति", "sthiti":
		if len(fs) == 1 {
			return Command{Name: CmdStatus}, true
		}
		if ref, ok := refArg(orig[1:]); ok {
			return Command{Name: CmdStatus, Ref: ref}, true
		}
	case "police", "पुलिस", "pulis":
		if len(fs) == 1 {
			return Command{Name: CmdPolice}, true
		}
		if len(fs) == 2 && (fs[1] == "revoke" || fs[1] == "logout") {
			return Command{Name: CmdRevoke}, true
		}
		if len(fs) == 2 {
			return Command{Name: CmdPolice, Arg: orig[1]}, true
		}
		// An invitation code read aloud and typed in two halves: "ABCD EFGH".
		if len(fs) == 3 && len(orig[1]) == 4 && len(orig[2]) == 4 {
			return Command{Name: CmdPolice, Arg: orig[1] + orig[2]}, true
		}
	case "approve":
		if len(fs) == 1 {
			return Command{Name: CmdApprove}, true
		}
		if n := ASCIIDigits(fs[1]); len(fs) == 2 && requestNumber(n) {
			return Command{Name: CmdApprove, Arg: n}, true
		}
	case "case":
		if ref, ok := refArg(orig[1:]); ok {
			return Command{Name: CmdCase, Ref: ref}, true
		}
		if len(fs) == 1 && strings.HasPrefix(head, "/") {
			return Command{Name: CmdCase}, true
		}
	case "yes", "no", "haan", "nahi", "हाँ", "हां", "नहीं":
		if ref, ok := refArg(orig[1:]); ok {
			a := "no"
			if bare == "yes" || bare == "haan" || bare == "हां" {
				a = "yes"
			}
			return Command{Name: CmdReview, Ref: ref, Arg: a}, true
		}
	case "reunited", "मिल गया", "reunite":
		if ref, ok := refArg(orig[1:]); ok {
			return Command{Name: CmdReunited, Ref: ref}, true
		}
	case "close":
		if len(fs) >= 2 && IsRef(orig[1]) {
			reason := ""
			if len(orig) > 2 {
				reason = strings.TrimSpace(rest[len(orig[1]):])
			}
			return Command{Name: CmdClose, Ref: strings.ToUpper(orig[1]), Arg: reason}, true
		}
	case "open":
		if len(fs) == 1 {
			return Command{Name: CmdOpen}, true
		}
		if len(fs) == 2 && reNumber.MatchString(fs[1]) && reNumber.FindString(fs[1]) == fs[1] {
			return Command{Name: CmdOpen, Arg: fs[1]}, true
		}
	}
	return Command{}, false
}

// requestNumber reports whether s is a short run of ASCII digits (a request
// number), at most 9 so it fits any integer.
func requestNumber(s string) bool { return len(s) <= 9 && talaash.AllDigits(s) }

// police gates a command to enrolled officers.
func (t *turn) police() bool {
	if !t.env.Police {
		t.reply("police.only")
		return false
	}
	return true
}

// command carries out a keyword or command recognised by ParseCommand.
func (t *turn) command(c Command) {
	s := t.s
	switch c.Name {
	case CmdHelp:
		t.help()
	case CmdStop:
		t.act(Action{Kind: ActStop})
	case CmdStart:
		t.act(Action{Kind: ActStart})
	case CmdMenu:
		if s.State == StateNew {
			t.fire(evGreet)
			t.res.Replies = append(t.res.Replies, langReply())
			return
		}
		if flowOf(s.State) != "" {
			s.Draft, s.Editing, s.Ref = nil, false, ""
		}
		t.fire(evMenu)
		t.res.Replies = append(t.res.Replies, t.menuReply())
	case CmdReport:
		t.startFlow(FlowReport)
	case CmdSeen:
		t.startFlow(FlowSighting)
	case CmdLost:
		t.startFlow(FlowLost)
	case CmdFound:
		if t.police() {
			t.startFlow(FlowFound)
		}
	case CmdStatus:
		t.act(Action{Kind: ActStatus, Ref: c.Ref})
	case CmdLang:
		l := c.Arg
		if l == "" {
			l = "hi"
			if s.Lang == "hi" {
				l = "en"
			}
		}
		s.chooseLang(l)
		if s.State == StateNew || s.State == StateLanguage {
			t.fire(evLanguage)
			t.res.Replies = append(t.res.Replies, t.menuReply())
			return
		}
		t.reply("lang.changed")
		t.again()
	case CmdPolice:
		if c.Arg == "" {
			t.reply("police.usage")
			return
		}
		t.act(Action{Kind: ActEnrol, Arg: c.Arg})
	case CmdRevoke:
		t.act(Action{Kind: ActRevoke})
	case CmdApprove:
		if t.police() {
			t.act(Action{Kind: ActApprove, Arg: c.Arg})
		}
	case CmdCase:
		if c.Ref == "" {
			t.reply("case.usage")
			return
		}
		if t.police() {
			t.act(Action{Kind: ActCase, Ref: c.Ref})
		}
	case CmdReview:
		if t.police() {
			t.act(Action{Kind: ActReview, Ref: c.Ref, Confirm: c.Arg == "yes"})
		}
	case CmdReunited:
		if t.police() {
			t.act(Action{Kind: ActReunited, Ref: c.Ref})
		}
	case CmdClose:
		if t.police() {
			t.act(Action{Kind: ActClose, Ref: c.Ref, Arg: c.Arg})
		}
	case CmdOpen:
		if t.police() {
			t.act(Action{Kind: ActOpen, Arg: c.Arg})
		}
	case CmdMatches:
		if t.police() {
			t.act(Action{Kind: ActMatches})
		}
	case CmdStats:
		if t.police() {
			t.act(Action{Kind: ActStats})
		}
	case CmdCancel:
		inFlow := flowOf(s.State) != ""
		s.Draft, s.Editing, s.Ref = nil, false, ""
		if s.State == StateNew {
			t.fire(evGreet)
			t.res.Replies = append(t.res.Replies, langReply())
			return
		}
		t.fire(evCancel)
		if inFlow {
			t.reply("cancelled")
		}
		t.res.Replies = append(t.res.Replies, t.menuReply())
	case CmdBack:
		t.back()
	}
}

// help explains the keywords; in a flow the current question follows.
//
// An SMS must stay one part in English. In a flow the question is still on
// the person's phone just above, so SMS gets a short help that points to it and
// keeps its numbered choices instead of asking it again; at the menu the
// police desk commands fill an SMS on their own, without the menu.
func (t *turn) help() {
	sms := t.env.Caps.SMS()
	inFlow := flowOf(t.s.State) != ""
	if (sms || flowOf(t.s.State) == FlowLost) && inFlow {
		t.reply("help.flow")
		t.keepOffered = true
		return
	}
	id := "help"
	if t.env.Police {
		id = "help.police"
	}
	if inFlow {
		t.reply(id)
		t.ask()
		return
	}
	r := t.menuReply()
	r.ID = id
	if sms && t.env.Police {
		r.Choices, r.Inline = nil, false
	}
	t.res.Replies = append(t.res.Replies, r)
}

// again asks the current question again (after a language switch), or shows
// the menu outside a flow.
func (t *turn) again() {
	if flowOf(t.s.State) != "" {
		t.ask()
		return
	}
	t.res.Replies = append(t.res.Replies, t.menuReply())
}

func (t *turn) back() {
	s := t.s
	switch {
	case flowOf(s.State) == "":
		if s.State == StateNew || s.State == StateLanguage {
			t.res.Replies = append(t.res.Replies, langReply())
			return
		}
		t.res.Replies = append(t.res.Replies, t.menuReply())
		return
	case s.Editing:
		s.Editing = false
		t.fire(evReview)
	case Can(s.State, evBack):
		t.fire(evBack)
	default:
		t.reply("back.first")
	}
	t.ask()
}
