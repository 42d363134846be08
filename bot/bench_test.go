package bot_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"talaash"
	"talaash/bot"
	"talaash/store/bolt"
)

// BenchmarkHandle measures one whole turn (dedupe, session, dialog, render,
// commit with fsync) on a real bbolt file: a person asking for the menu.
func BenchmarkHandle(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "t.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	core := bot.New(db, bot.Config{})
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		in := talaash.Inbound{Channel: talaash.ChannelSMS, Sender: "+919812345678", ID: strconv.Itoa(i), Text: "menu", At: time.Now()}
		if _, err := core.Handle(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
