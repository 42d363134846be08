package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"talaash"
	"talaash/bot/kannel"
	"talaash/gsm"
	"talaash/locales"
	"talaash/store/bolt"
)

// kannelEnv is a Kannel configuration pointed at sendsms.
func kannelEnv(t *testing.T, sendsms string) map[string]string {
	return map[string]string{
		"TALAASH_DB":         filepath.Join(t.TempDir(), "talaash.db"),
		"TALAASH_LISTEN":     freeAddr(t),
		"KANNEL_SENDSMS_URL": sendsms,
		"KANNEL_USERNAME":    "talaash",
		"KANNEL_PASSWORD":    "pw",
		"KANNEL_FROM":        "TALASH",
		"KANNEL_SECRET":      "s3cret",
	}
}

// serveWith runs serve with env until stop is called; it returns the error
// serve ends with at start, if it does.
func serveWith(t *testing.T, env map[string]string, logs io.Writer) (stop func(), err error) {
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, logs
	m.Logger = slog.New(slog.NewTextHandler(logs, nil))
	m.Getenv = func(k string) string { return env[k] }
	listening := make(chan string, 1)
	m.Listening = listening
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve"}) }()
	select {
	case <-listening:
	case err := <-done:
		cancel()
		m.Close()
		return func() {}, err
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		m.Close()
	}, nil
}

func TestKannelConfigErrors(t *testing.T) {
	dir := t.TempDir()
	badTemplates := filepath.Join(dir, "bad.txt")
	os.WriteFile(badTemplates, []byte("en:sms.too_long 1107000000000000001\nen:report.savd 1107000000000000002\n"), 0o600)
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"missing secret", map[string]string{"KANNEL_SECRET": ""}, "KANNEL_SECRET must be set"},
		{"missing header", map[string]string{"KANNEL_FROM": ""}, "KANNEL_FROM"},
		{"templates with unknown ids", map[string]string{"TALAASH_DLT_TEMPLATES": badTemplates, "TALAASH_DLT_ENTITY_ID": "11"}, `line 2: "en:report.savd" is no SMS message id`},
		{"entity without templates", map[string]string{"TALAASH_DLT_ENTITY_ID": "11"}, "TALAASH_DLT_ENTITY_ID needs TALAASH_DLT_TEMPLATES"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := kannelEnv(t, "http://127.0.0.1:9/cgi-bin/sendsms")
			for k, v := range tc.env {
				env[k] = v
			}
			stop, err := serveWith(t, env, io.Discard)
			stop()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("serve: %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// An unreachable sendsms is a warning: Kannel may come up after us.
func TestKannelUnreachableWarns(t *testing.T) {
	logs := &lockedBuffer{}
	stop, err := serveWith(t, kannelEnv(t, "http://"+freeAddr(t)+"/cgi-bin/sendsms"), logs)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	waitFor(t, "the warning", 5*time.Second, func() bool { return strings.Contains(logs.String(), "kannel sendsms does not answer") })
}

// With DLT on, replies carry the registered template ids as SMPP TLVs, and a
// reply with no registered template is not sent; the log names it.
func TestKannelDLT(t *testing.T) {
	var mu sync.Mutex
	var sent []url.Values
	sendsms := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if r.URL.Query().Get("to") != "" { // not the start-up probe
			sent = append(sent, r.URL.Query())
		}
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, "0: Accepted for delivery")
	}))
	defer sendsms.Close()
	first := locales.SMSTemplate("en", "choose_language") + "+" + locales.SMSTemplate("en", "choices")
	templates := filepath.Join(t.TempDir(), "dlt.txt")
	os.WriteFile(templates, []byte("# from the operator's portal\n"+first+" 1107000000000000042\n"), 0o600)
	env := kannelEnv(t, sendsms.URL+"/cgi-bin/sendsms")
	env["TALAASH_DLT_ENTITY_ID"], env["TALAASH_DLT_TEMPLATES"] = "1101000000000000007", templates
	env["KANNEL_TLV_TEMPLATE"] = "dlt_template_id"
	logs := &lockedBuffer{}
	stop, err := serveWith(t, env, logs)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	get := func(id, text string) {
		q := url.Values{"id": {id}, "sender": {"919876543210"}, "to": {"56767"}, "message": {text}, "ts": {"1741944600"}, "coding": {"0"}, "secret": {"s3cret"}}
		resp, err := http.Get("http://" + env["TALAASH_LISTEN"] + "/kannel/receive?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("receive: %d", resp.StatusCode)
		}
	}
	get("0b0c3e52-0000-4000-8000-000000000001", "hi")
	mu.Lock()
	if len(sent) != 1 || sent[0].Get("meta-data") != "?smpp?PE_ID=1101000000000000007&dlt_template_id=1107000000000000042" {
		t.Fatalf("sent %v", sent)
	}
	mu.Unlock()
	get("0b0c3e52-0000-4000-8000-000000000002", "2") // English: the menu, not registered
	mu.Lock()
	defer mu.Unlock()
	if len(sent) != 1 {
		t.Errorf("an unregistered message was sent: %v", sent[1:])
	}
	if !strings.Contains(logs.String(), "no DLT template registered") || !strings.Contains(logs.String(), "message_id=en:") {
		t.Errorf("the log does not say which message lacks a template:\n%s", logs)
	}
}

func TestSMSTemplatesCommand(t *testing.T) {
	r := talaashRun(t, tempDB(t), "", "sms-templates")
	if r.code != 0 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"[en:sms.too_long]", "[hi:sms.too_long]", "{#var#}", "at most 30 characters", "language: hi"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(r.stdout, "\n["); n != len(smsTemplates()) {
		t.Errorf("%d templates printed, want %d", n, len(smsTemplates()))
	}
}

// A message reported failed goes back to the outbox after 1, 2, 4 minutes,
// then is given up; every report is recorded by message id.
func TestKannelRedeliver(t *testing.T) {
	db, err := bolt.Open(tempDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	m := &Main{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
	msg := talaash.Outbound{Channel: "sms", To: "+919876543210", Text: "Report saved. Ref K-1234-5."}
	for i := 0; i < 5; i++ {
		m.kannelStatus(context.Background(), kannel.Status{ID: fmt.Sprint("id", i), Type: kannel.DLRFailed, State: "failed", Msg: &msg})
	}
	var dues []time.Duration
	db.View(func(tx talaash.Tx) error {
		return tx.EachOutbox(func(it *talaash.OutboxItem) error {
			if it.Kind != "redeliver" || it.Msg.Text != msg.Text || it.Msg.To != msg.To {
				t.Errorf("outbox item %+v", it)
			}
			dues = append(dues, it.Due.Sub(now))
			return nil
		})
	})
	if fmt.Sprint(dues) != "[1m0s 2m0s 4m0s]" {
		t.Errorf("redeliveries due after %v", dues)
	}
	n := 0
	db.View(func(tx talaash.Tx) error {
		return tx.EachDeliveryStatus(func(*talaash.DeliveryStatus) error { n++; return nil })
	})
	if n != 5 {
		t.Errorf("%d reports recorded, want 5", n)
	}
}

// registerTemplates writes a TALAASH_DLT_TEMPLATES file from sms-templates'
// own output, a made-up template id for each name keep keeps, and returns
// its path and the names by id.
func registerTemplates(t *testing.T, keep func(name string) bool) (string, map[string]string) {
	t.Helper()
	r := talaashRun(t, tempDB(t), "", "sms-templates")
	if r.code != 0 {
		t.Fatalf("sms-templates: %d %s", r.code, r.stderr)
	}
	var file strings.Builder
	ids := map[string]string{} // template id -> name
	for i, name := range regexp.MustCompile(`(?m)^\[(.+)\]$`).FindAllStringSubmatch(r.stdout, -1) {
		if !keep(name[1]) {
			continue
		}
		id := fmt.Sprintf("11070000%011d", i)
		ids[id] = name[1]
		fmt.Fprintf(&file, "%s %s\n", name[1], id)
	}
	templates := filepath.Join(t.TempDir(), "dlt.txt")
	if err := os.WriteFile(templates, []byte(file.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return templates, ids
}

// With DLT on and a templates file made from sms-templates' own output, a
// whole report, two sightings, a police YES and STOP go out with every SMS
// carrying a registered template id: none is refused for lacking one.
func TestKannelDLTConversation(t *testing.T) {
	templates, ids := registerTemplates(t, func(string) bool { return true })

	var mu sync.Mutex
	var sent []url.Values
	sendsms := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if r.URL.Query().Get("to") != "" {
			sent = append(sent, r.URL.Query())
		}
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, "0: Accepted for delivery")
	}))
	defer sendsms.Close()
	const parent, bystander, hindi, officer = "+919876543210", "+919812345678", "+919811112222", "+919900000001"
	env := kannelEnv(t, sendsms.URL+"/cgi-bin/sendsms")
	env["TALAASH_DLT_ENTITY_ID"], env["TALAASH_DLT_TEMPLATES"] = "1101000000000000007", templates
	env["TALAASH_POLICE_SMS"] = officer
	logs := &lockedBuffer{}
	stop, err := serveWith(t, env, logs)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	n := 0
	say := func(from, text string) {
		n++
		q := url.Values{"id": {fmt.Sprintf("0b0c3e52-0000-4000-8000-%012d", n)}, "sender": {strings.TrimPrefix(from, "+")},
			"to": {"56767"}, "message": {text}, "ts": {"1741944600"}, "coding": {"0"}, "secret": {"s3cret"}}
		resp, err := http.Get("http://" + env["TALAASH_LISTEN"] + "/kannel/receive?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("receive %q: %d", text, resp.StatusCode)
		}
	}
	to := func(phone string) []string {
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for _, v := range sent {
			if "+"+v.Get("to") == phone {
				out = append(out, v.Get("text"))
			}
		}
		return out
	}

	say(bystander, "seen boy about 8 yrs red shirt blue jeans mole on left cheek at Kanpur Central alone")
	say(hindi, "लड़का 8 साल लाल कमीज़ नीली जींस बाएं गाल पर तिल कानपुर सेंट्रल पर अकेला देखा")
	for _, text := range []string{"hi", "2", "REPORT", "Ravi Kumar", "8", "1", "2", "4 feet", "red shirt, blue jeans",
		"mole on left cheek", "Kanpur Central", "1", "1", "Sunita Devi", "1", "1"} {
		say(parent, text)
	}
	waitFor(t, "the police alert", 10*time.Second, func() bool {
		for _, text := range to(officer) {
			if strings.Contains(text, "YES ") {
				return true
			}
		}
		return false
	})
	var yes []string
	for _, text := range to(officer) {
		if m := regexp.MustCompile(`YES (\S+)`).FindStringSubmatch(text); m != nil {
			yes = m
			break
		}
	}
	before := len(to(officer))
	say(officer, "YES "+yes[1])
	waitFor(t, "the answer to YES", 5*time.Second, func() bool { return len(to(officer)) > before })
	// The desk by SMS: each answer goes as registered templates too.
	ref := regexp.MustCompile(`K-\d+-\d`).FindString(yes[1])
	for _, cmd := range []string{"CASE " + ref, "OPEN", "MATCHES", "STATS"} {
		before := len(to(officer))
		say(officer, cmd)
		waitFor(t, "the answer to "+cmd, 5*time.Second, func() bool { return len(to(officer)) > before })
	}
	say(bystander, "STOP")

	if strings.Contains(logs.String(), "no DLT template registered") {
		t.Errorf("an SMS was refused for want of a template:\n%s", logs)
	}
	mu.Lock()
	defer mu.Unlock()
	used := map[string]bool{}
	for _, v := range sent {
		md, err := url.ParseQuery(strings.TrimPrefix(v.Get("meta-data"), "?smpp?"))
		if err != nil || ids[md.Get("TEMPLATE_ID")] == "" || md.Get("PE_ID") != "1101000000000000007" {
			t.Errorf("sent without a registered template: %v", v)
			continue
		}
		used[ids[md.Get("TEMPLATE_ID")]] = true
	}
	if len(sent) < 20 {
		t.Errorf("only %d SMS sent", len(sent))
	}
	maxParts := map[string]int{}
	for _, v := range sent {
		text := v.Get("text")
		if v.Get("coding") == "2" {
			text = fromUTF16BE([]byte(text))
		}
		_, _, p := gsm.Parts(text)
		lang := "en"
		if v.Get("coding") == "2" {
			lang = "hi"
		}
		maxParts[lang] = max(maxParts[lang], p)
	}
	t.Logf("%d SMS sent on %d of %d templates; most parts of one: %v", len(sent), len(used), len(ids), maxParts)
}
