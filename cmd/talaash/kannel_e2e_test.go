package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"talaash"
	"talaash/bot/kannel"
	"talaash/gsm"
	"talaash/locales"
)

// The Kannel tests run the real talaash program against a real Kannel 1.4.5
// (bearerbox and smsbox from the Debian package kannel) with a fake SMSC, and
// drive fakesmsc (kannel-extras) as the phones. scripts/test installs both.

const (
	kannelSecret  = "k4nnel-secret"
	kannelShort   = "56767" // the virtual number people text
	kannelOfficer = "+919898989898"
	kannelFrom    = "TALASH" // the DLT header
)

// kannelBinaries finds bearerbox, smsbox and fakesmsc. Under CI the test must
// run, so their absence fails it; elsewhere it is skipped with the reason.
func kannelBinaries(t *testing.T) (bearerbox, smsbox, fakesmsc string) {
	t.Helper()
	var missing []string
	find := func(name string, dirs ...string) string {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		for _, d := range dirs {
			if p := filepath.Join(d, name); fileExists(p) {
				return p
			}
		}
		missing = append(missing, name)
		return ""
	}
	bearerbox = find("bearerbox", "/usr/sbin")
	smsbox = find("smsbox", "/usr/sbin")
	fakesmsc = find("fakesmsc", "/usr/lib/kannel/test")
	if len(missing) > 0 {
		kannelUnavailable(t, "Kannel is not installed (missing "+strings.Join(missing, ", ")+"); scripts/test installs kannel and kannel-extras")
	}
	return
}

func kannelUnavailable(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// kannelRig is a running Kannel, the talaash program pointed at it, and
// what fakesmsc has received so far.
type kannelRig struct {
	t                    *testing.T
	dir                  string
	fakesmsc             string
	smscPort, sendPort   int
	addr                 string // talaash
	m                    *Main
	logs                 *lockedBuffer
	mu                   sync.Mutex
	mts                  []mtSMS
	parts                map[string][][]byte // concatenated parts by "to|ref"
	cancel               context.CancelFunc
	done                 chan error
	bearerLog, smsboxLog string
	env                  map[string]string // talaash's settings over the rig's own
}

// mtSMS is one message Kannel delivered to a phone, parts joined.
type mtSMS struct {
	To     string // as fakesmsc shows it: 919876543210
	Coding string // text (GSM-7) | ucs2
	Parts  int
	Text   string
}

func startKannel(t *testing.T, env map[string]string) *kannelRig {
	bearerbox, smsbox, fakesmsc := kannelBinaries(t)
	k := &kannelRig{t: t, dir: t.TempDir(), fakesmsc: fakesmsc, logs: &lockedBuffer{}, parts: map[string][][]byte{}, env: env}
	admin, boxPort := freePort(t), freePort(t)
	k.smscPort, k.sendPort = freePort(t), freePort(t)
	k.addr = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	k.bearerLog, k.smsboxLog = filepath.Join(k.dir, "bearerbox.log"), filepath.Join(k.dir, "smsbox.log")
	// mo-recode: smsbox builds %a by splitting at whitespace bytes, which
	// damages UCS-2 Devanagari; recoded, Hindi arrives as UTF-8.
	// max-messages = 0: a get-url answer is never sent as an SMS; replies go
	// through sendsms. The sendsms user may send up to 10 concatenated parts.
	conf := fmt.Sprintf(`group = core
admin-port = %[1]d
admin-password = admin
admin-interface = 127.0.0.1
admin-allow-ip = 127.0.0.1
smsbox-port = %[2]d
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
log-file = %[6]q
log-level = 1
access-log = %[9]q
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake
host = 127.0.0.1
port = %[3]d
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = %[2]d
sendsms-port = %[4]d
sendsms-interface = 127.0.0.1
mo-recode = true
log-file = %[7]q
log-level = 1

group = sendsms-user
username = talaash
password = pw
user-allow-ip = 127.0.0.1
max-messages = 10
concatenation = true

group = sms-service
keyword = default
catch-all = true
max-messages = 0
get-url = "http://%[5]s/kannel/receive?id=%%I&sender=%%p&to=%%P&message=%%a&ts=%%T&coding=%%c&secret=%[8]s"
`, admin, boxPort, k.smscPort, k.sendPort, k.addr, k.bearerLog, k.smsboxLog, kannelSecret, filepath.Join(k.dir, "access.log"))
	cfg := filepath.Join(k.dir, "kannel.conf")
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	k.run(bearerbox, cfg)
	if !waitPort(boxPort, 10*time.Second) {
		kannelUnavailable(t, "bearerbox did not start:\n"+k.tail(k.bearerLog))
	}
	k.run(smsbox, cfg)
	if !waitPort(k.sendPort, 10*time.Second) {
		kannelUnavailable(t, "smsbox did not start:\n"+k.tail(k.smsboxLog))
	}
	k.startTalaash()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("bearerbox access log:\n%s", k.tail(filepath.Join(k.dir, "access.log")))
		}
	})
	return k
}

// run starts a Kannel box; t.Cleanup kills it.
func (k *kannelRig) run(bin string, args ...string) {
	cmd := exec.Command(bin, args...)
	out, err := os.Create(filepath.Join(k.dir, filepath.Base(bin)+".out"))
	if err != nil {
		k.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		kannelUnavailable(k.t, fmt.Sprintf("%s: %v", bin, err))
	}
	k.t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		out.Close()
	})
}

func (k *kannelRig) tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}

func waitPort(port int, d time.Duration) bool {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond); err == nil {
			c.Close()
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// startTalaash runs `talaash serve` configured for this Kannel only.
func (k *kannelRig) startTalaash() {
	t := k.t
	env := map[string]string{
		"TALAASH_DB":         filepath.Join(k.dir, "talaash.db"),
		"TALAASH_LISTEN":     k.addr,
		"TALAASH_PUBLIC_URL": "http://" + k.addr,
		"TALAASH_POLICE_SMS": kannelOfficer,
		"KANNEL_SENDSMS_URL": fmt.Sprintf("http://127.0.0.1:%d/cgi-bin/sendsms", k.sendPort),
		"KANNEL_USERNAME":    "talaash",
		"KANNEL_PASSWORD":    "pw",
		"KANNEL_FROM":        kannelFrom,
		"KANNEL_SECRET":      kannelSecret,
		"KANNEL_KEYWORD":     "TALASH",
	}
	maps.Copy(env, k.env)
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, k.logs
	m.Logger = slog.New(slog.NewTextHandler(k.logs, nil))
	m.Getenv = func(name string) string { return env[name] }
	m.Wired = func(m *Main) { m.Outbox.Backoff, m.Outbox.Poll = 50*time.Millisecond, 100*time.Millisecond }
	prev := slog.Default()
	slog.SetDefault(m.Logger)
	listening := make(chan string, 1)
	m.Listening = listening
	ctx, cancel := context.WithCancel(context.Background())
	k.m, k.cancel, k.done = m, cancel, make(chan error, 1)
	go func() { k.done <- m.Run(ctx, []string{"serve"}) }()
	select {
	case <-listening:
	case err := <-k.done:
		t.Fatalf("serve ended at start: %v\n%s", err, k.logs)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	t.Cleanup(func() {
		k.cancel()
		select {
		case err := <-k.done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
		k.m.Close()
		slog.SetDefault(prev)
		// Logs never carry a phone number or the people's words in clear.
		logs := k.logs.String()
		for _, p := range []string{"9876543210", "9812345678", "9898989898", "9811112222", "laal shirt", "लाल"} {
			if i := strings.Index(logs, p); i >= 0 {
				t.Errorf("logged in clear: ...%s...", logs[max(0, i-200):min(len(logs), i+60)])
			}
		}
	})
}

var gotMessage = regexp.MustCompile(`(?s)Got message \d+: <(.*?)>\n(?:\d{4}-\d\d-\d\d |\z)`)

// phone connects fakesmsc as the phones (the fake SMSC takes one client at a
// time), sends mo ("sender receiver type data", or "" to send nothing), and
// keeps it connected until until reports true over what arrived, or 15 s.
// Everything delivered meanwhile, to anyone, is kept in k.mts. KANNEL_DEBUG=1
// logs fakesmsc's output.
func (k *kannelRig) phone(mo string, until func() bool) {
	k.t.Helper()
	args := []string{"-H", "127.0.0.1", "-r", strconv.Itoa(k.smscPort), "-i", "0.01", "-m", "1"}
	if mo == "" {
		args[len(args)-1], mo = "0", "1 2 text unused"
	}
	var out lockedBuffer
	cmd := exec.Command(k.fakesmsc, append(args, mo)...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		k.t.Fatal(err)
	}
	stop := func() {
		cmd.Process.Kill()
		cmd.Wait()
	}
	defer stop()
	seen := 0
	collect := func() {
		all := gotMessage.FindAllStringSubmatch(out.String(), -1)
		for _, m := range all[seen:] {
			k.add(m[1])
		}
		seen = len(all)
	}
	end := time.Now().Add(15 * time.Second)
	for time.Now().Before(end) {
		collect()
		if until() {
			if os.Getenv("KANNEL_DEBUG") != "" {
				defer func() { k.t.Logf("fakesmsc:\n%s", out.String()) }()
			}
			// A moment for anything sent right behind, then hang up.
			time.Sleep(150 * time.Millisecond)
			collect()
			return
		}
		time.Sleep(30 * time.Millisecond)
	}
	collect()
	if os.Getenv("KANNEL_DEBUG") != "" {
		k.t.Logf("fakesmsc:\n%s", out.String())
	}
	k.t.Fatalf("phone %q: waited 15 s; received so far %+v\nfakesmsc:\n%s\nsmsbox:\n%s", mo, k.received(), out.String(), k.tail(k.smsboxLog))
}

// add decodes one message as fakesmsc prints it: "from to text TEXT",
// "from to ucs-2 URLENCODED-UTF16BE" or, per part, "from to udh UDH data DATA".
func (k *kannelRig) add(line string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	f := strings.SplitN(line, " ", 4)
	if f[0] != kannelFrom || len(f) < 4 {
		// The fake SMSC's protocol is a line a message, so a line break in
		// a GSM-7 text starts a new "message": it continues the last one.
		if n := len(k.mts); n > 0 && k.mts[n-1].Coding == "text" {
			k.mts[n-1].Text += "\n" + line
			return
		}
		k.t.Errorf("fakesmsc line %q", line)
		return
	}
	to, typ, rest := f[1], f[2], f[3]
	switch typ {
	case "text":
		k.mts = append(k.mts, mtSMS{To: to, Coding: "text", Parts: 1, Text: rest})
	case "ucs-2", "ucs2":
		b, _ := url.QueryUnescape(rest)
		k.mts = append(k.mts, mtSMS{To: to, Coding: "ucs2", Parts: 1, Text: fromUTF16BE([]byte(b))})
	case "udh":
		udh, data, _ := strings.Cut(rest, " data ")
		h, _ := url.QueryUnescape(udh)
		d, _ := url.QueryUnescape(data)
		if len(h) < 6 {
			k.t.Errorf("udh %q", udh)
			return
		}
		ref, total := to+"|"+strconv.Itoa(int(h[3])), int(h[4])
		k.parts[ref] = append(k.parts[ref], []byte(d))
		if len(k.parts[ref]) < total {
			return
		}
		joined := bytes.Join(k.parts[ref], nil)
		delete(k.parts, ref)
		m := mtSMS{To: to, Coding: "text", Parts: total, Text: string(joined)}
		// UCS-2 parts carry high bytes 0x00 (Latin) and 0x09 (Devanagari).
		if bytes.IndexByte(joined, 0) >= 0 || bytes.IndexByte(joined, 9) >= 0 {
			m.Coding, m.Text = "ucs2", fromUTF16BE(joined)
		}
		k.mts = append(k.mts, m)
	default:
		k.t.Errorf("fakesmsc message type %q", typ)
	}
}

func fromUTF16BE(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

func (k *kannelRig) received() []mtSMS {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]mtSMS(nil), k.mts...)
}

// to returns what reached a phone (E.164) so far.
func (k *kannelRig) to(phone string) []mtSMS {
	var out []mtSMS
	for _, m := range k.received() {
		if "+"+m.To == phone {
			out = append(out, m)
		}
	}
	return out
}

// say sends text from phone (UCS-2 when it is not ASCII, as a handset
// would) and waits for n more messages to that phone; it returns them.
func (k *kannelRig) say(phone, text string, n int) []mtSMS {
	k.t.Helper()
	before := len(k.to(phone))
	mo := strings.TrimPrefix(phone, "+") + " " + kannelShort + " text " + text
	if !asciiOnly(text) {
		var b strings.Builder
		for _, u := range utf16.Encode([]rune(text)) {
			fmt.Fprintf(&b, "%%%02X%%%02X", u>>8, u&0xff)
		}
		mo = strings.TrimPrefix(phone, "+") + " " + kannelShort + " ucs2 " + b.String()
	}
	k.phone(mo, func() bool { return len(k.to(phone)) >= before+n })
	got := k.to(phone)[before:]
	if len(got) > n {
		k.t.Errorf("%s %q: %d replies, want %d: %+v", talaash.MaskPhone(phone), text, len(got), n, got)
	}
	return got
}

func asciiOnly(s string) bool {
	for _, r := range s {
		if r > 127 {
			return false
		}
	}
	return true
}

// wantSMS checks a delivered message: GSM-7 text as plain text in one part,
// anything else UCS-2 in at most two (the SMS cost rules), and what it says.
func wantSMS(t *testing.T, what string, m mtSMS, contains ...string) {
	t.Helper()
	isGSM, _, parts := gsm.Parts(m.Text)
	coding, maxParts := "ucs2", 2
	if isGSM {
		coding, maxParts = "text", 1
	}
	if m.Coding != coding || m.Parts > maxParts || m.Parts != parts {
		t.Errorf("%s: %s in %d parts, want %s in %d (at most %d): %q", what, m.Coding, m.Parts, coding, parts, maxParts, m.Text)
	}
	for _, c := range contains {
		if !strings.Contains(m.Text, c) {
			t.Errorf("%s: %q lacks %q", what, m.Text, c)
		}
	}
}

func TestKannel(t *testing.T) {
	start := time.Now()
	k := startKannel(t, nil)
	t.Logf("kannel and talaash up in %v", time.Since(start).Round(time.Millisecond))
	const parent, bystander, hinglish = "+919876543210", "+919812345678", "+919811112222"

	// A one-message sighting in Hindi (UCS-2 from the handset), the keyword first.
	got := k.say(bystander, "TALASH लड़का 8 साल लाल कमीज़ नीली जींस बाएं गाल पर तिल कानपुर सेंट्रल पर अकेला देखा", 1)
	hiRef := refRE.FindString(got[0].Text)
	wantSMS(t, "Hindi sighting reply", got[0])
	if got[0].Coding != "ucs2" {
		t.Errorf("Hindi reply as %s", got[0].Coding)
	}
	if hiRef == "" {
		t.Fatalf("Hindi sighting answered without a reference: %q", got[0].Text)
	}
	r := k.record(hiRef)
	if r.Kind != talaash.KindSighting || !strings.Contains(r.Text+r.Clothes, "लाल") || strings.Contains(r.Text, "TALASH") {
		t.Errorf("Hindi sighting stored as %+v", r)
	}

	// The same in Hinglish: GSM-7 both ways.
	got = k.say(hinglish, "TALASH dekha ladka 8 saal laal shirt neeli jeans Kanpur Central par", 1)
	wantSMS(t, "Hinglish sighting reply", got[0])
	if refRE.FindString(got[0].Text) == "" {
		t.Errorf("Hinglish sighting answered without a reference: %q", got[0].Text)
	}

	// A parent's report over several messages.
	mref := k.smsReport(parent)

	// The police alert: the report matches the sightings. Each match is an
	// alert of its own; wait until the outbox holds none still to send to the
	// officer, so that only the answer to YES follows it.
	// Kannel may still hold what left the outbox: the count must also rest.
	last, since := -1, time.Now()
	k.phone("", func() bool {
		n := len(k.to(kannelOfficer))
		if n != last {
			last, since = n, time.Now()
		}
		return n > 0 && k.outboxTo(kannelOfficer) == 0 && time.Since(since) > time.Second
	})
	alert := k.to(kannelOfficer)[0]
	// Police alerts may take two GSM-7 parts.
	if isGSM, _, parts := gsm.Parts(alert.Text); !isGSM || alert.Coding != "text" || parts > 2 || alert.Parts != parts || !strings.Contains(alert.Text, mref) {
		t.Errorf("police alert: %s in %d parts: %q", alert.Coding, alert.Parts, alert.Text)
	}
	yes := regexp.MustCompile(`YES (\S+)`).FindStringSubmatch(alert.Text)
	if yes == nil {
		t.Fatalf("alert without YES REF: %q", alert.Text)
	}
	// The officer confirms.
	got = k.say(kannelOfficer, "YES "+yes[1], 1)
	if !strings.Contains(got[0].Text, mref) || got[0].Coding != "text" {
		t.Errorf("YES answered %+v", got[0])
	}
	waitFor(t, "the pair matched", 5*time.Second, func() bool { return k.record(mref).Status == talaash.StatusMatched })

	// STOP: confirmed once, then silence.
	got = k.say(hinglish, "STOP", 1)
	wantSMS(t, "STOP answer", got[0])
	if n := k.unanswered(hinglish, "hello"); n != 0 {
		t.Errorf("a stopped number got %d more messages", n)
	}

	// Delivery receipts came back through /kannel/status and were recorded.
	waitFor(t, "a delivery receipt", 5*time.Second, func() bool { return k.deliveries()["delivered"] > 0 })
	k.dltSend()
	t.Logf("delivery receipts: %v; messages at the phones: %d; whole test %v", k.deliveries(), len(k.received()), time.Since(start).Round(time.Millisecond))
	for _, m := range k.received() {
		t.Logf("to %s: %s, %d part(s): %q", talaash.MaskPhone("+"+m.To), m.Coding, m.Parts, m.Text)
	}
}

// dltSend sends one SMS through the real sendsms with DLT on and checks that
// bearerbox hands the entity and template ids to the SMSC as SMPP meta-data.
func (k *kannelRig) dltSend() {
	t := k.t
	ch, err := kannel.New(kannel.Config{
		SendURL: fmt.Sprintf("http://127.0.0.1:%d/cgi-bin/sendsms", k.sendPort), Username: "talaash", Password: "pw",
		From: kannelFrom, Secret: kannelSecret, EntityID: "1101000000000000007",
		Templates: map[string]string{"en:sms.too_long": "1107000000000000042"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const to = "+919811113333"
	m := talaash.Outbound{To: to, Text: locales.RenderSMS("en", "sms.too_long", map[string]any{"Max": 1600}),
		Template: locales.SMSTemplate("en", "sms.too_long"), Vars: map[string]string{"Max": "1600"}}
	if _, err := ch.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	k.phone("", func() bool { return len(k.to(to)) > 0 })
	wantSMS(t, "DLT send", k.to(to)[0], "Your message is too long")
	waitFor(t, "the access log", 5*time.Second, func() bool {
		return strings.Contains(k.tail(filepath.Join(k.dir, "access.log")), "PE_ID=1101000000000000007&TEMPLATE_ID=1107000000000000042")
	})
}

// unanswered sends text from phone and returns how many messages reached
// it within 1.5 s of the message reaching talaash: none is silence.
func (k *kannelRig) unanswered(phone, text string) int {
	before := len(k.to(phone))
	var quiet time.Time
	k.phone(strings.TrimPrefix(phone, "+")+" "+kannelShort+" text "+text, func() bool {
		if quiet.IsZero() {
			quiet = time.Now().Add(1500 * time.Millisecond)
		}
		return time.Now().After(quiet)
	})
	return len(k.to(phone)) - before
}

// smsReport walks a parent's whole report by SMS in English and returns its
// reference, checking every reply is one GSM-7 part.
func (k *kannelRig) smsReport(parent string) string {
	t := k.t
	t.Helper()
	var last mtSMS
	for _, text := range []string{"hi", "2", "REPORT", "Ravi Kumar", "8", "1", "2", "4 feet", "red shirt, blue jeans", "mole on left cheek", "Kanpur Central", "1", "1", "Sunita Devi", "1", "1"} {
		got := k.say(parent, text, 1)
		last = got[0]
		wantSMS(t, fmt.Sprintf("reply to %q", text), last)
		if last.Coding != "text" {
			t.Errorf("English reply to %q as %s", text, last.Coding)
		}
		if ref := refRE.FindString(last.Text); ref != "" && strings.Contains(last.Text, locales.RenderSMS("en", "report.saved", map[string]any{"Ref": ref})[:10]) {
			return ref
		}
	}
	t.Fatalf("report not saved; last reply %q", last.Text)
	return ""
}

func (k *kannelRig) record(ref string) *talaash.Record {
	var r *talaash.Record
	err := k.m.DB.View(func(tx talaash.Tx) (err error) { r, err = tx.Record(ref); return err })
	if err != nil {
		k.t.Fatalf("record %s: %v", ref, err)
	}
	return r
}

// outboxTo counts the outbox items still to be sent to phone.
func (k *kannelRig) outboxTo(phone string) int {
	n := 0
	k.m.DB.View(func(tx talaash.Tx) error {
		return tx.EachOutbox(func(it *talaash.OutboxItem) error {
			if it.Msg.To == phone {
				n++
			}
			return nil
		})
	})
	return n
}

// deliveries counts the recorded delivery reports by state.
func (k *kannelRig) deliveries() map[string]int {
	out := map[string]int{}
	k.m.DB.View(func(tx talaash.Tx) error {
		return tx.EachDeliveryStatus(func(d *talaash.DeliveryStatus) error {
			out[d.Status]++
			return nil
		})
	})
	return out
}

// With DLT on (a templates file from sms-templates' own output and an
// entity id), what talaash sends through a real Kannel carries the entity
// and template ids as SMPP TLV meta-data, which bearerbox's access log shows
// for each message it hands the SMSC; a reply whose message has no
// registered template is not sent, and the log names the message.
func TestKannelDLTReal(t *testing.T) {
	// HELP's template is left unregistered: HELP must then get no answer.
	templates, ids := registerTemplates(t, func(name string) bool { return !strings.HasPrefix(name, "en:help") })
	const entity = "1101000000000000007"
	k := startKannel(t, map[string]string{"TALAASH_DLT_ENTITY_ID": entity, "TALAASH_DLT_TEMPLATES": templates})
	const bystander, parent = "+919812345678", "+919876543210"

	got := k.say(bystander, "TALASH dekha ladka 8 saal laal shirt neeli jeans Kanpur Central par", 1)
	wantSMS(t, "Hinglish sighting reply", got[0])
	got = k.say(bystander, "लड़का 8 साल लाल कमीज़ नीली जींस कानपुर सेंट्रल पर अकेला देखा", 1)
	wantSMS(t, "Hindi sighting reply", got[0])
	got = k.say(parent, "hi", 1)
	wantSMS(t, "language question", got[0])

	// bearerbox logs each message it sends with its meta-data:
	// "... [meta:?smpp?PE_ID=...&TEMPLATE_ID=...] ...".
	access := filepath.Join(k.dir, "access.log")
	meta := regexp.MustCompile(`\?smpp\?PE_ID=(\d+)&TEMPLATE_ID=(\d+)`)
	log := func() string { b, _ := os.ReadFile(access); return string(b) }
	waitFor(t, "three sends in the access log", 5*time.Second, func() bool { return strings.Count(log(), "Sent SMS") >= 3 })
	sends := 0
	for _, line := range strings.Split(log(), "\n") {
		if !strings.Contains(line, "Sent SMS") {
			continue
		}
		sends++
		m := meta.FindStringSubmatch(line)
		if m == nil || m[1] != entity || ids[m[2]] == "" {
			t.Errorf("sent without the DLT ids: %s", line)
		}
	}
	if sends < 3 {
		t.Errorf("%d sends in the access log:\n%s", sends, log())
	}

	// HELP's template is not registered: nothing reaches the phone, and the
	// log names the message.
	if n := k.unanswered(parent, "HELP"); n != 0 {
		t.Errorf("%d unregistered messages reached the phone", n)
	}
	if logs := k.logs.String(); !strings.Contains(logs, "no DLT template registered") || !strings.Contains(logs, "message_id=en:help") {
		t.Errorf("the log does not name the message without a template:\n%s", logs)
	}
}
