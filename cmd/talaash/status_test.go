package main

import (
	"context"
	"testing"

	"talaash"
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
		if d, err := tx.DeliveryStatus("SM1"); err != nil || d.Status != "delivered" {
			t.Errorf("SM1 status = %+v %v", d, err)
		}
		if d, err := tx.DeliveryStatus("SM2"); err != nil || d.Code != "21610" {
			t.Errorf("SM2 status = %+v %v", d, err)
		}
		if stopped, _ := tx.Stopped("sms", "+919876543210"); stopped {
			t.Error("a delivered number was stopped")
		}
		if stopped, _ := tx.Stopped("sms", "+919812345678"); !stopped {
			t.Error("21610 did not stop the number")
		}
		return nil
	})
}
