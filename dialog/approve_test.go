package dialog

import (
	"testing"
	"time"

	"talaash"
)

func TestEnrolmentCommands(t *testing.T) {
	for text, want := range map[string]Command{
		"/approve":              {Name: CmdApprove},
		"APPROVE 12":            {Name: CmdApprove, Arg: "12"},
		"approve १२":            {Name: CmdApprove, Arg: "12"},
		"/approve@TalaashBot 3": {Name: CmdApprove, Arg: "3"},
		"POLICE abcd efgh":      {Name: CmdPolice, Arg: "abcdefgh"},
		"/police ABCD-EFGH":     {Name: CmdPolice, Arg: "ABCD-EFGH"},
	} {
		if got, ok := ParseCommand(text); !ok || got != want {
			t.Errorf("ParseCommand(%q) = %+v %v, want %+v", text, got, ok, want)
		}
	}
	for _, text := range []string{"approve twelve", "approve 1 2", "approve 1234567890", "police a b c"} {
		if c, ok := ParseCommand(text); ok && (c.Name == CmdApprove || c.Arg != "") {
			t.Errorf("ParseCommand(%q) = %+v", text, c)
		}
	}
	// Approving is for officers: anyone else is told so, and no action reaches the core.
	for police, want := range map[bool]int{true: 1, false: 0} {
		res := Step(nil, talaash.Inbound{Channel: "telegram", Sender: "1", Text: "/approve 1"}, Env{Now: time.Now(), Police: police})
		if len(res.Actions) != want || (want == 1 && (res.Actions[0].Kind != ActApprove || res.Actions[0].Arg != "1")) {
			t.Errorf("police %v: actions %+v, replies %+v", police, res.Actions, res.Replies)
		}
	}
}
