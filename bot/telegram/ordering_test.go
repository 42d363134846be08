package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"talaash"
	"talaash/bot/telegram/telegramtest"
)

// orderCore records the order of each chat's turns and whether two turns of
// one chat ever overlapped. Chat 1's first turn waits until released.
type orderCore struct {
	mu       sync.Mutex
	inFlight map[string]int
	order    map[string][]int64
	overlap  bool
	hold     chan struct{} // chat 1's first turn waits on it
	held     chan struct{} // closed when chat 1's first turn has begun
	once     sync.Once
}

func (o *orderCore) Handle(_ context.Context, in talaash.Inbound) ([]talaash.Outbound, error) {
	id, _ := strconv.ParseInt(in.ID, 10, 64)
	o.mu.Lock()
	o.inFlight[in.Sender]++
	if o.inFlight[in.Sender] > 1 {
		o.overlap = true
	}
	first := len(o.order[in.Sender]) == 0
	o.order[in.Sender] = append(o.order[in.Sender], id)
	o.mu.Unlock()
	if in.Sender == "1" && first {
		o.once.Do(func() { close(o.held) })
		<-o.hold
	}
	time.Sleep(time.Millisecond)
	o.mu.Lock()
	o.inFlight[in.Sender]--
	o.mu.Unlock()
	return nil, nil
}

func (o *orderCore) turns(chat string) []int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]int64(nil), o.order[chat]...)
}

func update(id int64, chat int) []byte {
	b, _ := json.Marshal(map[string]any{"update_id": id, "message": map[string]any{
		"message_id": id, "date": 1767225600, "chat": map[string]any{"id": chat, "type": "private"}, "text": "m"}})
	return b
}

func postUpdate(h http.Handler, body []byte) int {
	req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", bytes.NewReader(body))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// TestPerChatOrdering posts many updates of one chat at once, in shuffled
// order, while the chat is busy: they are turned one at a time in update
// order, and other chats' updates, posted at the same time, are turned
// meanwhile (chats run in parallel).
func TestPerChatOrdering(t *testing.T) {
	api := telegramtest.NewServer(t)
	o := &orderCore{inFlight: map[string]int{}, order: map[string][]int64{}, hold: make(chan struct{}), held: make(chan struct{})}
	ch, err := New(Config{Token: api.Token, APIURL: api.URL, WebhookSecret: "s3cret", HTTPClient: &http.Client{Timeout: 5 * time.Second}}, o)
	if err != nil {
		t.Fatal(err)
	}
	wh := ch.WebhookHandler()

	const per = 30
	var wg sync.WaitGroup
	codes := make(chan int, 3*per)
	postAsync := func(id int64, chat int) {
		wg.Add(1)
		go func() { defer wg.Done(); codes <- postUpdate(wh, update(id, chat)) }()
	}
	// Update ids are numbered across chats, as the Bot API does: chat 1
	// has 1000, 1003, 1006, ...; chat 2 1001, ...; chat 3 1002, ...
	ids := map[int][]int64{}
	for i := range per {
		for chat := 1; chat <= 3; chat++ {
			ids[chat] = append(ids[chat], int64(1000+3*i+chat-1))
		}
	}
	postAsync(ids[1][0], 1)
	select {
	case <-o.held:
	case <-time.After(5 * time.Second):
		t.Fatal("chat 1's first update never reached the core")
	}
	rest := append([]int64(nil), ids[1][1:]...)
	rand.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	for _, id := range rest {
		postAsync(id, 1)
	}
	for chat := 2; chat <= 3; chat++ {
		for _, id := range ids[chat] {
			postAsync(id, chat)
		}
	}
	// Chats 2 and 3 finish while chat 1 is held.
	deadline := time.Now().Add(10 * time.Second)
	for len(o.turns("2")) < per || len(o.turns("3")) < per || ch.waiting(1) < per-1 {
		if time.Now().After(deadline) {
			t.Fatalf("while chat 1 was busy: chat 2 had %d turns, chat 3 %d, chat 1 %d waiting",
				len(o.turns("2")), len(o.turns("3")), ch.waiting(1))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n := len(o.turns("1")); n != 1 {
		t.Fatalf("chat 1 had %d turns while its first was running", n)
	}
	close(o.hold)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK {
			t.Errorf("status %d", c)
		}
	}
	if o.overlap {
		t.Error("two turns of one chat ran at the same time")
	}
	for chat := 1; chat <= 3; chat++ {
		got := o.turns(strconv.Itoa(chat))
		if len(got) != per {
			t.Fatalf("chat %d: %d turns, want %d", chat, len(got), per)
		}
		// Chats 2 and 3 were posted without a busy chat, so their order is
		// the order of arrival; chat 1's must be the update order.
		if chat == 1 {
			for i := range got {
				if got[i] != ids[1][i] {
					t.Fatalf("chat 1 turned %v, want %v", got, ids[1])
				}
			}
		}
	}
	if n := ch.lines.size(); n != 0 {
		t.Errorf("%d chats left in the lines", n)
	}
}

// waiting is how many updates of chat wait for their turn.
func (c *Channel) waiting(chat int64) int {
	c.lines.mu.Lock()
	defer c.lines.mu.Unlock()
	if ln := c.lines.chats[chat]; ln != nil {
		return len(ln.waiting)
	}
	return 0
}

func TestLinesAbandonedTicket(t *testing.T) {
	var l lines
	a := l.enqueue(7, 1)
	b := l.enqueue(7, 3)
	c := l.enqueue(7, 2)
	if err := l.wait(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.wait(ctx, c); err == nil {
		t.Fatal("a cancelled wait held the chat")
	}
	l.done(a)
	// 2 left the line, so 3 is next.
	select {
	case <-b.ready:
	case <-time.After(time.Second):
		t.Fatal("the chat was not passed on past the abandoned ticket")
	}
	l.done(b)
	if l.size() != 0 {
		t.Fatalf("%d chats left", l.size())
	}
}
