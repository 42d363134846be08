package telegram

import (
	"context"
	"sort"
	"sync"
)

// lines gives each chat one turn at a time, in update order: Telegram wants
// one chat's updates handled in order, one at a time, while different chats
// run in parallel. A chat's line holds the updates waiting for it, lowest
// update id first, so updates of one chat that arrive together (concurrent
// webhook requests, one getUpdates batch) are turned in the order Telegram
// numbered them.
type lines struct {
	mu    sync.Mutex
	chats map[int64]*line // present while a chat has a turn running or waiting
}

type line struct {
	busy    bool      // a turn holds the chat
	waiting []*ticket // sorted by update id
}

// ticket is one update's place in its chat's line. ready is closed when the
// update holds the chat.
type ticket struct {
	chat  int64
	id    int64
	ready chan struct{}
}

// enqueue puts update id of chat in its chat's line. The caller then waits
// for the ticket and must call done once its turn is over. Calling enqueue
// for several updates from one goroutine fixes their order before any runs.
func (l *lines) enqueue(chat, id int64) *ticket {
	t := &ticket{chat: chat, id: id, ready: make(chan struct{})}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.chats == nil {
		l.chats = map[int64]*line{}
	}
	ln := l.chats[chat]
	if ln == nil {
		ln = &line{}
		l.chats[chat] = ln
	}
	if !ln.busy {
		ln.busy = true
		close(t.ready)
		return t
	}
	i := sort.Search(len(ln.waiting), func(i int) bool { return ln.waiting[i].id > id })
	ln.waiting = append(ln.waiting, nil)
	copy(ln.waiting[i+1:], ln.waiting[i:])
	ln.waiting[i] = t
	return t
}

// wait blocks until t holds its chat, or ctx ends first: then t leaves the
// line (the update was not handled) and wait returns ctx's error.
func (l *lines) wait(ctx context.Context, t *ticket) error {
	select {
	case <-t.ready:
		return nil
	case <-ctx.Done():
	}
	l.mu.Lock()
	select {
	case <-t.ready:
		// Given the chat as ctx ended: pass it on rather than hold it.
		l.mu.Unlock()
		l.done(t)
		return ctx.Err()
	default:
	}
	ln := l.chats[t.chat]
	for i, w := range ln.waiting {
		if w == t {
			ln.waiting = append(ln.waiting[:i], ln.waiting[i+1:]...)
			break
		}
	}
	l.mu.Unlock()
	return ctx.Err()
}

// done ends t's turn and gives the chat to the next update waiting for it.
func (l *lines) done(t *ticket) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ln := l.chats[t.chat]
	if len(ln.waiting) == 0 {
		delete(l.chats, t.chat)
		return
	}
	next := ln.waiting[0]
	ln.waiting = ln.waiting[1:]
	close(next.ready)
}

// size is how many chats have a turn running or waiting (for tests).
func (l *lines) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.chats)
}
