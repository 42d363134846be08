package telegram_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"talaash"
	"talaash/bot/telegram"
	"talaash/bot/telegram/telegramtest"
)

// FuzzUpdate: any JSON body posted to the webhook with the right secret is
// answered without panic (in the handler or in the chat's worker that takes
// the update on), and an update the adapter turns into a message is one
// Telegram message from a numeric chat with the update's id. A wrong secret
// is refused.
func FuzzUpdate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, true)
	}
	for _, s := range []string{
		`{}`, `null`, `[]`, `{"update_id":1}`, `{"update_id":-1,"message":{}}`, `{"update_id":1,"message":{"chat":{"id":0}}}`,
		`{"update_id":2,"message":{"chat":{"id":7},"text":"21-25","date":-99999999999}}`,
		`{"update_id":3,"message":{"chat":{"id":7},"location":{"latitude":1e308,"longitude":-1e308}}}`,
		`{"update_id":4,"message":{"chat":{"id":7},"contact":{"phone_number":"","first_name":""}}}`,
		`{"update_id":5,"message":{"chat":{"id":7},"photo":[{"file_id":"","width":-1,"height":99999999999}]}}`,
		`{"update_id":6,"callback_query":{"id":"x","from":{"id":0},"data":"` + string(make([]byte, 0)) + `"}}`,
		`{"update_id":7,"callback_query":{"id":"x","from":{"id":9},"message":{"message_id":1,"date":0,"chat":{"id":0}}}}`,
		`{"update_id":8,"edited_message":{"chat":{"id":7},"text":"x"}}`,
		`{"update_id":9223372036854775807,"message":{"chat":{"id":-9223372036854775808},"text":"\ud800"}}`,
		`{"update_id":1e400}`, `{"update_id":"1"}`, `{`, "\xff",
	} {
		f.Add([]byte(s), true)
	}
	f.Add([]byte(`{"update_id":10,"message":{"chat":{"id":7},"text":"hi"}}`), false)

	api := telegramtest.NewServer(f)
	core := newRecorder()
	core.seen = make(chan talaash.Inbound, 1<<16)
	core.replies = func(in talaash.Inbound) []talaash.Outbound {
		return []talaash.Outbound{{Channel: talaash.ChannelTelegram, To: in.Sender, Text: "ok " + in.Text}}
	}
	ch, err := telegram.New(telegram.Config{Token: api.Token, APIURL: api.URL, WebhookSecret: secret,
		HTTPClient: &http.Client{Timeout: 5 * time.Second}}, core)
	if err != nil {
		f.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ch.Run(ctx); close(done) }() // takes the webhook's updates on to the chats' workers
	f.Cleanup(func() { cancel(); <-done })
	wh := ch.WebhookHandler()
	f.Fuzz(func(t *testing.T, body []byte, rightSecret bool) {
		var upd models.Update
		if json.Unmarshal(body, &upd) == nil {
			if in, ok := telegram.Inbound(&upd, time.Now()); ok {
				if in.Channel != talaash.ChannelTelegram || in.ID != strconv.FormatInt(upd.ID, 10) {
					t.Fatalf("inbound %+v", in)
				}
				if _, err := strconv.ParseInt(in.Sender, 10, 64); err != nil {
					t.Fatalf("sender %q", in.Sender)
				}
			}
		}
		token := secret
		if !rightSecret {
			token = "wrong"
		}
		code := post(t, wh, token, body)
		switch {
		case !rightSecret && code != http.StatusUnauthorized:
			t.Fatalf("wrong secret answered %d", code)
		case rightSecret && code != http.StatusOK && code != http.StatusBadRequest && code != http.StatusRequestEntityTooLarge:
			t.Fatalf("answered %d", code)
		}
		// Let the chat's worker take the update, so a panic there shows here.
		for len(core.seen) > 0 {
			<-core.seen
		}
	})
}
