package bot_test

import (
	"context"
	"testing"
	"time"

	"talaash"
	"talaash/bot"
	"talaash/locales"
)

// gate refuses everything from one sender: the first time with a notice,
// then silently; and everyone when closed.
type gate struct {
	closed bool
	told   bool
}

func (g *gate) Admit(talaash.Inbound, time.Time) error {
	if g.closed {
		return &talaash.Error{Code: talaash.ETHROTTLED, Message: "busy"}
	}
	return nil
}

func (g *gate) Allow(tx talaash.Tx, in talaash.Inbound, _ time.Time) (bool, string, map[string]any, error) {
	if in.Sender != "+919800000001" {
		return true, "", nil, nil
	}
	if g.told {
		return false, "", nil, nil
	}
	g.told = true
	return false, "sms.rate_limited", map[string]any{"PerMinute": 20}, nil
}

func TestGate(t *testing.T) {
	g := &gate{}
	e := newEnv(t, bot.Config{}, bot.WithGate(g))
	const limited = "+919800000001"
	notice := e.send(talaash.ChannelSMS, limited, msg{text: "hi", id: "SM1"})
	if len(notice) != 1 || notice[0].Text != locales.RenderSMS("en", "sms.rate_limited", map[string]any{"PerMinute": 20}) {
		t.Fatalf("notice %+v", notice)
	}
	// A retry of the refused message gets the same notice from the store.
	if again := e.send(talaash.ChannelSMS, limited, msg{text: "hi", id: "SM1"}); len(again) != 1 || again[0].Text != notice[0].Text {
		t.Errorf("retry of the refused message: %+v", again)
	}
	if outs := e.send(talaash.ChannelSMS, limited, msg{text: "hi", id: "SM2"}); len(outs) != 0 {
		t.Errorf("dropped message answered: %+v", outs)
	}
	if s := e.session(talaash.ChannelSMS, limited); s.State != "" {
		t.Errorf("refused messages made a session in %q", s.State)
	}
	if outs := e.send(talaash.ChannelSMS, "+919800000002", msg{text: "hi"}); len(outs) != 1 {
		t.Errorf("another sender: %+v", outs)
	}
	g.closed = true
	_, err := e.b.Handle(context.Background(), talaash.Inbound{Channel: talaash.ChannelSMS, Sender: "+919800000002", ID: "SM9", Text: "hi"})
	if talaash.ErrorCode(err) != talaash.ETHROTTLED {
		t.Errorf("closed gate: %v", err)
	}
}
