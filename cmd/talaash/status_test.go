package main

import (
	"context"
	"strings"
	"testing"

	"talaash"
	"talaash/bot"
	"talaash/bot/twilio"
)

// Twilio's status callbacks are recorded by SID, and 21610 (the person
// unsubscribed) stops every further message to that number.
func TestSMSStatusRecorded(t *testing.T) {
	m := NewMain()
	m.Config.DB = tempDB(t)
	if err := m.openDB(); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx := context.Background()
	m.smsStatus(ctx, twilio.Status{MessageSid: "SM1", MessageStatus: "delivered", To: "+919876543210", Channel: "sms"})
	m.smsStatus(ctx, twilio.Status{MessageSid: "SM2", MessageStatus: "undelivered", ErrorCode: "21610", To: "+919812345678", Channel: "sms"})
	m.DB.View(func(tx talaash.Tx) error {
		if v := string(tx.Get(NSDelivery, "SM1")); !strings.Contains(v, `"status":"delivered"`) {
			t.Errorf("SM1 status = %q", v)
		}
		if v := string(tx.Get(NSDelivery, "SM2")); !strings.Contains(v, `"code":"21610"`) {
			t.Errorf("SM2 status = %q", v)
		}
		if tx.Get(bot.NSStopped, "sms:+919876543210") != nil {
			t.Error("a delivered number was stopped")
		}
		if tx.Get(bot.NSStopped, "sms:+919812345678") == nil {
			t.Error("21610 did not stop the number")
		}
		return nil
	})
}
