package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"talaash"
	"talaash/bot/telegram/telegramtest"
	"talaash/locales"
	"talaash/store/bolt"
)

// TestKillMixed: the program under signed Twilio SMS webhooks and Telegram
// webhook updates from concurrent senders, and SMS conversations walking a
// report question by question, is SIGKILLed several times and restarted on
// the same database. Whatever got no answer is sent again to the next run,
// as Twilio's retries and Telegram's redelivery do. Every message that got
// a 200 is stored exactly once, and each conversation goes on at the
// question it had reached.
func TestKillMixed(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the program several times")
	}
	const (
		kills     = 3
		perRound  = 40 // acknowledged one-message sightings between two kills
		senders   = 6  // per channel
		talks     = 8  // SMS conversations
		secret    = "k1ll-t3st"
		roundWait = 6 * time.Second
		minRound  = 400 * time.Millisecond
	)
	api := telegramtest.NewServer(t)
	// A Bot API slow to answer, so that kills land while replies are sent.
	api.SetDelay(15 * time.Millisecond)
	db := filepath.Join(t.TempDir(), "talaash.db")
	env := map[string]string{
		"TALAASH_DB": db, "TALAASH_SIMULATOR": "off",
		"TELEGRAM_BOT_TOKEN": api.Token, "TELEGRAM_API_URL": api.URL, "TELEGRAM_WEBHOOK_SECRET": secret,
		"TWILIO_ACCOUNT_SID": e2eAccount, "TWILIO_AUTH_TOKEN": e2eToken, "TWILIO_FROM": e2eFrom,
		"TWILIO_API_URL": "http://127.0.0.1:9", // nothing here sends through the REST API
	}
	logs := &lockedBuffer{}
	began := time.Now()

	type running struct {
		*child
		gen int
	}
	var cur atomic.Pointer[running] // the running program; nil while it is down
	var finished atomic.Bool        // no new sightings
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2*senders + talks}}

	// post sends one request to the running program until it gets an answer
	// other than a dropped connection (a kill): a repost to the next run is
	// the provider's retry. It returns the status and body of that answer
	// and how many posts went unanswered.
	type answer struct {
		status int
		body   string
		gen    int // the run that answered
	}
	deadline := time.Now().Add(45 * time.Second)
	var reposts atomic.Int64
	post := func(build func(addr string) *http.Request) (answer, bool) {
		for tries := 0; time.Now().Before(deadline) && tries < 200; tries++ {
			c := cur.Load()
			if c == nil {
				time.Sleep(20 * time.Millisecond)
				continue
			}
			resp, err := client.Do(build(c.addr))
			if err != nil {
				reposts.Add(1)
				time.Sleep(20 * time.Millisecond)
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				reposts.Add(1) // Telegram and Kannel post again after a 5xx
				time.Sleep(20 * time.Millisecond)
				continue
			}
			return answer{resp.StatusCode, string(b), c.gen}, true
		}
		return answer{}, false
	}
	sms := func(from, sid, text string) func(string) *http.Request {
		form := url.Values{"MessageSid": {sid}, "AccountSid": {e2eAccount}, "From": {from}, "To": {e2eFrom}, "Body": {text}, "NumMedia": {"0"}}
		return func(addr string) *http.Request { return signedSMS(addr, form) }
	}
	update := func(i int) func(string) *http.Request {
		body := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"},`+
			`"from":{"id":%d,"is_bot":false,"first_name":"B","language_code":"en"},"text":"Seen girl about 6 yrs pink frock alone at Kanpur Central"}}`,
			1+i, 1+i, time.Now().Unix(), 710000+i, 710000+i)
		return func(addr string) *http.Request {
			req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/telegram/webhook", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
			return req
		}
	}
	smsPhone := func(i int) string { return fmt.Sprintf("+9197%08d", i) }

	// One-message sightings: SMS i from its own phone, update i from its own
	// chat; each is posted until answered.
	var acked atomic.Int64
	var mu sync.Mutex
	var failures []string
	fail := func(f string, args ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(f, args...))
		mu.Unlock()
	}
	var nextSMS, nextTG atomic.Int64
	var wg sync.WaitGroup
	for range senders {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for !finished.Load() {
				i := int(nextSMS.Add(1) - 1)
				a, ok := post(sms(smsPhone(i), fmt.Sprintf("SM%032d", 900000+i), "Seen boy about 8 yrs red shirt alone at Kanpur Central"))
				if !ok || a.status != http.StatusOK {
					fail("SMS %d: %v %d", i, ok, a.status)
					return
				}
				acked.Add(1)
			}
		}()
		go func() {
			defer wg.Done()
			for !finished.Load() {
				i := int(nextTG.Add(1) - 1)
				a, ok := post(update(i))
				if !ok || a.status != http.StatusOK {
					fail("update %d: %v %d", 1+i, ok, a.status)
					return
				}
				acked.Add(1)
			}
		}()
	}

	// Conversations: each parent walks the start of a report by SMS, one
	// message after the answer to the last; each answer must ask the next
	// question, also when it came from a run that was killed since.
	script := []struct{ text, want string }{
		{"HELLO", "choose_language"}, {"2", "menu"}, {"1", "report.name"},
		{"Ravi", "report.age"}, {"8", "report.gender"}, {"1", "report.complexion"},
	}
	var talked, spanned atomic.Int64
	for p := range talks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := fmt.Sprintf("+9196%08d", p)
			first := -1
			for n, step := range script {
				// Paced, so the conversations span the kills.
				time.Sleep(300 * time.Millisecond)
				a, ok := post(sms(from, fmt.Sprintf("SM%016d%016d", p, n), step.text))
				if !ok || a.status != http.StatusOK {
					fail("conversation %d turn %d: %v %d", p, n, ok, a.status)
					return
				}
				got := twiml(a.body)
				if want := locales.RenderSMS("en", step.want, nil); !strings.Contains(got, firstLine(want)) {
					fail("conversation %d turn %d (%q): answered %q, want %s", p, n, step.text, got, step.want)
					return
				}
				if first < 0 {
					first = a.gen
				}
				if n == len(script)-1 && a.gen != first {
					spanned.Add(1) // began before a kill, went on after it
				}
			}
			talked.Add(1)
		}()
	}

	// Kills.
	runs := 0
	for k := 0; k <= kills; k++ {
		c := startChild(t, env, logs)
		runs++
		cur.Store(&running{c, k})
		if k == kills {
			break
		}
		// At least minRound, so that the paced conversations span kills.
		from, t0 := acked.Load(), time.Now()
		for (acked.Load() < from+perRound || time.Since(t0) < minRound) && time.Since(t0) < roundWait {
			time.Sleep(5 * time.Millisecond)
		}
		cur.Store(nil)
		c.kill() // SIGKILL: requests in flight get no answer
	}
	// The last run: the conversations finish, the sightings stop.
	for i := 0; talked.Load() < talks && i < 1000; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	finished.Store(true)
	wg.Wait()
	last := cur.Load()
	cur.Store(nil)
	// The last run's health and counters, as an operator sees them.
	var h Health
	if err := json.Unmarshal([]byte(get(t, "http://"+last.addr+"/healthz")), &h); err != nil || h.Status != "ok" || h.Store != "ok" ||
		h.Channels["telegram"] != "ok" || h.Channels["sms"] != "ok" || h.Channels["whatsapp"] != "ok" {
		t.Errorf("healthz: %+v %v", h, err)
	}
	text := get(t, "http://"+last.addr+"/metrics")
	for _, want := range []string{`talaash_messages_in_total{channel="sms"}`, `talaash_messages_in_total{channel="telegram"}`,
		`talaash_messages_out_total{channel="sms",kind="reply"}`, `talaash_turns_total{channel="telegram",outcome="ok"}`,
		`talaash_turn_seconds_count{channel="sms"}`, "talaash_match_seconds_count", "talaash_outbox_items 0", "talaash_http_connections_limit"} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics of the real program lacks %q", want)
		}
	}
	last.stop(t)
	for _, f := range failures {
		t.Error(f)
	}
	if t.Failed() {
		t.FailNow()
	}

	// What the database holds.
	store, err := bolt.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	perSMS, perChat := map[string]int{}, map[string]int{}
	if err := store.View(func(tx talaash.Tx) error {
		return tx.EachRecord(func(r *talaash.Record) error {
			switch r.Channel {
			case talaash.ChannelSMS:
				perSMS[r.Address]++
			case talaash.ChannelTelegram:
				perChat[r.Address]++
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	nSMS, nTG := int(nextSMS.Load()), int(nextTG.Load())
	lost, twice, stored := 0, 0, 0
	for i := range max(nSMS, nTG) {
		for _, n := range []int{perSMS[smsPhone(i)], perChat[strconv.Itoa(710000+i)]} {
			stored += min(n, 1)
			if n > 1 {
				twice++
			}
		}
		// Every sighting below next was answered 200 (the senders stop at
		// the first that is not): each must be stored.
		if i < nSMS && perSMS[smsPhone(i)] == 0 {
			lost++
		}
		if i < nTG && perChat[strconv.Itoa(710000+i)] == 0 {
			lost++
		}
	}
	// Every acknowledged update's reply reached Telegram: a kill while it was
	// being sent left the update unacknowledged, and the next run sent the
	// reply again (counted, as a reply the person may see twice).
	replies := map[string]int{}
	for _, c := range api.Calls("sendMessage") {
		replies[c.Fields["chat_id"]]++
	}
	noReply, twiceReplied := 0, 0
	for i := range nTG {
		switch n := replies[strconv.Itoa(710000+i)]; {
		case n == 0:
			noReply++
		case n > 1:
			twiceReplied++
		}
	}
	t.Logf("Telegram: %d acknowledged updates without a reply, %d replied twice (a kill mid-send, the update posted again)", noReply, twiceReplied)
	if noReply > 0 {
		t.Errorf("%d acknowledged Telegram updates got no reply", noReply)
	}
	// The senders leave a number drawn when they stop unposted at most once each.
	t.Logf("%d runs, %d SIGKILLs: %d one-message sightings acknowledged (%d SMS, %d Telegram), %d posts unanswered and sent again; "+
		"%d stored, %d lost, %d stored twice; %d of %d conversations went on at their question (%d of them across a kill); %v in all",
		runs, kills, acked.Load(), nSMS, nTG, reposts.Load(), stored, lost, twice, talked.Load(), talks, spanned.Load(), time.Since(began).Round(time.Millisecond))
	if lost > 0 || twice > 0 {
		t.Fatalf("%d acknowledged messages lost, %d stored twice", lost, twice)
	}
	if int64(stored) != acked.Load() {
		t.Fatalf("%d stored, want the %d acknowledged", stored, acked.Load())
	}
	if spanned.Load() == 0 {
		t.Error("no conversation went on across a kill")
	}
	if strings.Contains(logs.String(), "Seen boy") || strings.Contains(logs.String(), "+9197") {
		t.Error("the program logged a message's text or a phone number in clear")
	}
}

// twiml returns the <Message> texts of a TwiML answer, joined.
func twiml(body string) string {
	var doc struct {
		Messages []string `xml:"Message"`
	}
	xml.Unmarshal([]byte(body), &doc)
	return strings.Join(doc.Messages, "\n")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
