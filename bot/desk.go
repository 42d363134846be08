package bot

import (
	"talaash"
	"talaash/dialog"
)

// Desk is the police desk the core hands an officer's actions to: package
// alerts' Service (cmd/talaash wires it). kind is the dialog's action
// ("case", "review", "reunited", "close", "open", "matches", "stats"), ref and
// arg as the officer gave them; the desk reads refs itself, in one place.
// Mistakes an officer can make (an unknown ref, several pending alerts) come
// back as replies in their language; an error is a failure of the store.
type Desk interface {
	Act(tx talaash.Tx, o Officer, kind, ref, arg string, confirm bool) ([]talaash.Outbound, error)
}

// DeskFunc is a function as a Desk.
type DeskFunc func(tx talaash.Tx, o Officer, kind, ref, arg string, confirm bool) ([]talaash.Outbound, error)

// Act calls f.
func (f DeskFunc) Act(tx talaash.Tx, o Officer, kind, ref, arg string, confirm bool) ([]talaash.Outbound, error) {
	return f(tx, o, kind, ref, arg, confirm)
}

// desk hands a police action to the desk. Callers have checked the sender is
// enrolled police; without a desk the answer is "not available".
func (t *turnCtx) desk(a dialog.Action) ([]talaash.Outbound, error) {
	d := t.b.desk
	if d == nil {
		return t.say("core.not_available", nil), nil
	}
	return d.Act(t.tx, t.officer(), string(a.Kind), a.Ref, a.Arg, a.Confirm)
}
