package main

// Several replicas of the program on one PostgreSQL database (a real server,
// store/pgtest), with the fakes of the other end-to-end tests.

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"talaash"
	"talaash/bot/telegram/telegramtest"
	"talaash/locales"
	"talaash/store/pgtest"
	"talaash/store/postgres"
)

const hookSecret = "r3plica-s3cret"

// replicas makes n services on one new PostgreSQL database, sharing the fake
// Bot API and Twilio, Telegram in webhook mode; Telegram updates made through
// the first go to each replica in turn.
func replicas(t *testing.T, n int) []*service {
	t.Helper()
	dsn := pgtest.DSN(t)
	first := newService(t)
	first.db = dsn
	out := []*service{first}
	for i := 1; i < n; i++ {
		out = append(out, &service{t: t, db: dsn, api: first.api, tw: first.tw, logs: first.logs, sid: 100000 * i, upd: first.upd})
	}
	var next atomic.Int64
	first.updates = func(body []byte) {
		s := out[int(next.Add(1)-1)%len(out)]
		postUpdate(t, s.addr, body)
	}
	for _, s := range out {
		s.extra = map[string]string{"TELEGRAM_WEBHOOK_SECRET": hookSecret}
	}
	return out
}

// postUpdate posts a Telegram update to a replica's webhook, as the Bot API
// does, and expects it taken.
func postUpdate(t *testing.T, addr string, body []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/telegram/webhook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hookSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook answered %d", resp.StatusCode)
	}
}

// TestReplicasJourney is the whole journey with two replicas on one
// database, each message to the next replica: a parent's report on Telegram,
// a signed SMS sighting, the alert at the police chat once, Confirm, and the
// parent told that police have a possible match, and nothing more.
func TestReplicasJourney(t *testing.T) {
	rs := replicas(t, 2)
	for _, s := range rs {
		s.start(nil)
	}
	a, b := rs[0], rs[1]
	const parent = int64(5151)
	mref := a.report(parent, "AgACparentphoto") // its turns alternate between a and b
	sref, _ := b.sighting(bystander, sightingText)

	waitFor(t, "the alert at the police chat", 15*time.Second, func() bool { return len(alertsFor(a.api, mref, sref)) > 0 })
	alert := alertsFor(a.api, mref, sref)[0]
	confirm := alertButtons(t, alert.Markup)[locales.Render("en", "alerts.button.confirm", nil)]
	if confirm == "" {
		t.Fatalf("alert without Confirm: %q", alert.Markup)
	}
	before := len(chatCalls(a.api, e2ePolice))
	a.tgUpdate(e2ePolice, "", confirm, "")
	if reply := waitChat(t, a.api, e2ePolice, before+1)[before]; !strings.Contains(reply.Text, mref) {
		t.Errorf("officer's answer to Confirm: %q", reply.Text)
	}
	got := waitChat(t, a.api, parent, reportReplies+1)[reportReplies]
	if want := locales.Render("en", "alerts.notify.match", map[string]any{"Ref": mref}); got.Text != want {
		t.Errorf("parent told %q, want %q", got.Text, want)
	}
	for _, secret := range []string{sref, bystander, "9812345678", "Central", "AgAC", "red shirt"} {
		if strings.Contains(strings.ToLower(got.Text), strings.ToLower(secret)) {
			t.Errorf("parent's notification discloses %q: %q", secret, got.Text)
		}
	}
	// Both replicas see both records matched; the alert went once, from
	// whichever replica leads the outbox, and so did the parent's notice.
	for _, s := range rs {
		if m, sg := s.record(mref), s.record(sref); m.Status != talaash.StatusMatched || sg.Status != talaash.StatusMatched {
			t.Errorf("replica sees %s %s, %s %s", mref, m.Status, sref, sg.Status)
		}
	}
	time.Sleep(1500 * time.Millisecond) // a second alert, were there one, would be out by now
	if n := len(alertsFor(a.api, mref, sref)); n != 1 {
		t.Errorf("the alert reached the police chat %d times", n)
	}
	if n := len(chatCalls(a.api, parent)); n != reportReplies+1 {
		t.Errorf("parent's chat got %d messages, want %d", n, reportReplies+1)
	}
	if n := strings.Count(a.logs.String(), "msg=leading job=outbox"); n != 1 {
		t.Errorf("%d replicas lead the outbox, want 1", n)
	}
}

// TestReplicasConcurrentSaves: a parent's report confirmed on one replica at
// the same moment as a matching sighting arrives on the other. Neither
// replica's matcher may have held the other's record when it matched; the
// pair is still compared, and the police chat gets one alert.
func TestReplicasConcurrentSaves(t *testing.T) {
	rs := replicas(t, 2)
	for _, s := range rs {
		s.start(nil)
	}
	a, b := rs[0], rs[1]
	const parent = int64(5252)
	a.draft(parent, "")
	a.updates = func(body []byte) { postUpdate(t, a.addr, body) } // the confirmation goes to a
	var mref, sref string
	var wg sync.WaitGroup
	start := make(chan struct{})
	wg.Add(2)
	go func() { defer wg.Done(); <-start; mref = a.confirmReport(parent, "") }()
	go func() { defer wg.Done(); <-start; sref, _ = b.sighting(bystander, sightingText) }()
	close(start)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	waitFor(t, "the alert at the police chat", 15*time.Second, func() bool { return len(alertsFor(a.api, mref, sref)) > 0 })
	time.Sleep(2 * time.Second) // a second alert, were there one, would be out by now
	if n := len(alertsFor(a.api, mref, sref)); n != 1 {
		t.Errorf("the pair was alerted %d times", n)
	}
	for _, s := range rs {
		s.view(func(tx talaash.Tx) error {
			if ok, err := tx.Alerted(mref, sref); !ok || err != nil {
				t.Errorf("the pair is not marked alerted: %v", err)
			}
			return nil
		})
	}
}

// TestReplicasFailover: two replicas (real processes) under signed SMS
// webhooks, Telegram by long polling, a missing child's record that every
// sighting matches. The leader is killed (SIGKILL); the other replica takes
// over long polling and the outbox within 15 s. Every acknowledged message
// is stored once, every alert reaches the police chat, and none twice but
// the one the dead leader may have been handing over (the resend window).
func TestReplicasFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the program twice")
	}
	const (
		sightings = 8 // half before the kill, half after
		senders   = 6 // concurrent senders of other messages
	)
	began := time.Now()
	dsn := pgtest.DSN(t)
	api := telegramtest.NewServer(t)
	env := map[string]string{
		"TALAASH_DB": dsn, "TALAASH_SIMULATOR": "off",
		"TALAASH_POLICE_TELEGRAM": strconv.FormatInt(e2ePolice, 10),
		"TELEGRAM_BOT_TOKEN":      api.Token, "TELEGRAM_API_URL": api.URL,
		"TWILIO_ACCOUNT_SID": e2eAccount, "TWILIO_AUTH_TOKEN": e2eToken, "TWILIO_FROM": e2eFrom,
		"TWILIO_API_URL": "http://127.0.0.1:9", // nothing here sends SMS through the REST API
	}
	mref := seedMissing(t, dsn)
	logs := []*lockedBuffer{{}, {}}
	kids := []*child{startChild(t, env, logs[0]), startChild(t, env, logs[1])}
	leads := func(i int, job string) bool { return strings.Contains(logs[i].String(), "msg=leading job="+job) }
	waitFor(t, "a leader", 10*time.Second, func() bool {
		return (leads(0, "outbox") || leads(1, "outbox")) && (leads(0, "poll:telegram") || leads(1, "poll:telegram"))
	})

	var alive atomic.Int64 // bit i: replica i is up
	alive.Store(3)
	client := &http.Client{Timeout: 10 * time.Second}
	var turn atomic.Int64
	// post sends a signed SMS to the replicas in turn until one answers, as
	// Twilio retries on a dropped connection: the answer's body.
	post := func(from, sid, text string) (string, bool) {
		form := url.Values{"MessageSid": {sid}, "AccountSid": {e2eAccount}, "From": {from}, "To": {e2eFrom}, "Body": {text}, "NumMedia": {"0"}}
		for tries := 0; tries < 100; tries++ {
			i := int(turn.Add(1)) % 2
			if alive.Load()&(1<<i) == 0 {
				continue
			}
			resp, err := client.Do(signedSMS(kids[i].addr, form))
			if err != nil {
				time.Sleep(20 * time.Millisecond)
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return string(b), true
			}
			time.Sleep(20 * time.Millisecond)
		}
		return "", false
	}

	// Load: senders greet, each message from a new number, until stopped.
	var stop atomic.Bool
	var acked sync.Map // sid -> from
	var nAcked atomic.Int64
	var wg sync.WaitGroup
	var next atomic.Int64
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				i := next.Add(1)
				from, sid := fmt.Sprintf("+9195%08d", i), fmt.Sprintf("SM%032d", 800000+i)
				if _, ok := post(from, sid, "hello"); ok {
					acked.Store(sid, from)
					nAcked.Add(1)
				}
			}
		}()
	}
	// Sightings, each matching the missing child, and Telegram updates.
	srefs := map[string]bool{}
	sight := func(i int) {
		body, ok := post(fmt.Sprintf("+9194%08d", i), fmt.Sprintf("SM%032d", 900000+i), sightingText)
		ref := refRE.FindString(body)
		if !ok || ref == "" {
			t.Fatalf("sighting %d not taken: %q", i, body)
		}
		srefs[ref] = true
	}
	chat := func(i int) int64 { return 730000 + int64(i) }
	for i := range sightings / 2 {
		sight(i)
		api.AddUpdate(fmt.Appendf(nil, `{"update_id":%d,"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"},"from":{"id":%d,"is_bot":false,"first_name":"A","language_code":"en"},"text":"/start"}}`,
			100+i, 100+i, time.Now().Unix(), chat(i), chat(i)))
		time.Sleep(300 * time.Millisecond)
	}

	leader := 0
	if !leads(0, "outbox") {
		leader = 1
	}
	other := 1 - leader
	if !leads(leader, "poll:telegram") || leads(other, "outbox") || leads(other, "poll:telegram") {
		t.Fatalf("before the kill replica %d should lead both jobs, alone:\n%s\n%s", leader, logs[0], logs[1])
	}
	alive.Store(int64(1 << other))
	kids[leader].kill()
	killed := time.Now()
	for i := sightings / 2; i < sightings; i++ {
		sight(i)
		api.AddUpdate(fmt.Appendf(nil, `{"update_id":%d,"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"},"from":{"id":%d,"is_bot":false,"first_name":"A","language_code":"en"},"text":"/start"}}`,
			100+i, 100+i, time.Now().Unix(), chat(i), chat(i)))
	}
	waitFor(t, "the other replica to lead", 15*time.Second, func() bool { return leads(other, "outbox") && leads(other, "poll:telegram") })
	takeover := time.Since(killed)

	// Every alert delivered; every update answered.
	waitFor(t, "every alert at the police chat", 30*time.Second, func() bool {
		for s := range srefs {
			if len(alertsFor(api, mref, s)) == 0 {
				return false
			}
		}
		return true
	})
	for i := range sightings {
		waitFor(t, "an answer to each Telegram update", 10*time.Second, func() bool { return len(chatCalls(api, chat(i))) > 0 })
	}
	stop.Store(true)
	wg.Wait()
	time.Sleep(1500 * time.Millisecond) // a late duplicate would be out by now
	twice := 0
	for s := range srefs {
		twice += len(alertsFor(api, mref, s)) - 1
	}
	kids[other].stop(t)

	db, err := postgres.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	perFrom := map[string]int{}
	missingSeen := 0
	if err := db.View(func(tx talaash.Tx) error {
		acked.Range(func(sid, from any) bool {
			if _, ok := tx.Seen(talaash.ChannelSMS, sid.(string)); !ok {
				missingSeen++
			}
			return true
		})
		return tx.EachRecord(func(r *talaash.Record) error {
			if r.Kind == talaash.KindSighting {
				perFrom[r.Address]++
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d greetings and %d sightings acknowledged; the other replica led %v after the SIGKILL; %d alerts sent twice; %v in all",
		nAcked.Load(), len(srefs), takeover.Round(time.Millisecond), twice, time.Since(began).Round(time.Millisecond))
	if missingSeen > 0 {
		t.Errorf("%d acknowledged messages not stored", missingSeen)
	}
	if len(srefs) != sightings || len(perFrom) != sightings {
		t.Errorf("%d sighting refs, %d senders stored, want %d", len(srefs), len(perFrom), sightings)
	}
	for from, n := range perFrom {
		if n != 1 {
			t.Errorf("the sighting from %s stored %d times", talaash.MaskPhone(from), n)
		}
	}
	// The outbox hands one item at a time to the provider: at most the one
	// under way at the kill goes twice.
	if twice > 1 {
		t.Errorf("%d alerts sent twice, more than the one the resend window allows", twice)
	}
}

// seedMissing stores a missing child's report that the e2e sighting matches,
// as a replica starting would find it.
func seedMissing(t *testing.T, dsn string) string {
	t.Helper()
	db, err := postgres.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := &talaash.Record{Kind: talaash.KindMissing, Language: "en", Name: "Ravi Kumar", Age: talaash.Num(8), Gender: "male",
		Clothes: "red shirt, blue jeans", Marks: "mole on left cheek", Place: "Kanpur Central", Time: time.Now().Add(-3 * time.Hour),
		Contact: &talaash.Contact{Name: "Sunita Devi", Phone: parentPhone}, Channel: talaash.ChannelTelegram, Address: "5151"}
	if err := db.Update(func(tx talaash.Tx) error { return tx.PutRecord(r) }); err != nil {
		t.Fatal(err)
	}
	return r.Ref
}
