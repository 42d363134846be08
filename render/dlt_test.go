package render_test

import (
	"fmt"
	"strings"
	"testing"

	"talaash"
	"talaash/gsm"
	"talaash/locales"
	"talaash/render"
)

// dlt is a Kannel route with DLT on: registered templates only.
var dlt = talaash.Capabilities{Encoding: talaash.EncodingSMS, PartsEn: 1, PartsHi: 2, Templates: true}

func choices(ids ...string) []render.Choice {
	var cs []render.Choice
	for _, id := range ids {
		cs = append(cs, render.Choice{ID: id, Data: id})
	}
	return cs
}

var editFields = choices("field.name", "field.age", "field.gender", "field.complexion", "field.height", "field.clothes",
	"field.marks", "field.place", "field.time", "field.photo", "field.guardian", "field.phone")

func TestRepliesTemplates(t *testing.T) {
	long := map[string]any{"Short": "Anjali Kumari Sharma, 8, girl, red frock with yellow flowers, Moti Jheel", "Summary": "x"}
	for _, tc := range []struct {
		lang string
		m    render.Message
		// want: per message its template and variables, as "name vars"
		want  []string
		ucs2  bool
		parts []int
	}{
		{"en", render.Message{ID: "sms.too_long", Data: map[string]any{"Max": 1600}},
			[]string{"en:sms.too_long map[Max:1600]"}, false, []int{1}},
		{"en", render.Message{ID: "report.gender", Choices: choices("gender.male", "gender.female", "choice.unknown")},
			[]string{"en:report.gender+en:choices.sms map[Options:1 Boy, 2 Girl, 3 Don't know]"}, false, []int{1}},
		{"hi", render.Message{ID: "report.gender", Choices: choices("gender.male", "gender.female")},
			[]string{"hi:report.gender+hi:choices.sms map[Options:1 लड़का, 2 लड़की]"}, true, []int{1}},
		{"en", render.Message{ID: "report.confirm", Data: long, Choices: choices("choice.confirm", "choice.edit", "choice.cancel")},
			[]string{"en:report.confirm.sms#3+en:choices.sms map[Options:1 Confirm, 2 Edit, 3 Cancel Short1:Anjali Kumari Sharma, 8, girl Short2:red frock with yellow flowers Short3:Moti Jheel]"},
			false, []int{1}},
		{"hi", render.Message{ID: "report.confirm", Data: map[string]any{"Short": "अंजलि कुमारी शर्मा, 8, लड़की, पीले फूलों वाली लाल फ्रॉक, मोती झील"},
			Choices: choices("choice.confirm", "choice.edit", "choice.cancel")},
			[]string{"hi:report.confirm.sms#3+hi:choices.sms#2 map[Options1:1 पक्का करें, 2 बदलें Options2:3 रद्द करें Short1:अंजलि कुमारी शर्मा, 8, लड़की Short2:पीले फूलों वाली लाल फ्रॉक Short3:मोती झील]"},
			true, []int{2}},
		// Twelve fields: three variables' worth in the question, the rest
		// numbered on in continuations.
		{"en", render.Message{ID: "edit.which", Choices: editFields},
			[]string{
				"en:edit.which.sms+en:choices.sms#3 map[Options1:1 Name, 2 Age, 3 Boy/girl Options2:4 Complexion, 5 Height Options3:6 Clothes, 7 Marks, 8 Place]",
				"en:choices.more.sms#2 map[Options1:9 Time, 10 Photo, 11 Guardian Options2:12 Phone]",
			}, false, []int{1, 1}},
	} {
		outs := render.Replies(dlt, "sms", "+919876543210", tc.lang, tc.m)
		var got []string
		for i, o := range outs {
			got = append(got, fmt.Sprintf("%s %v", o.Template, o.Vars))
			isGSM, _, parts := gsm.Parts(o.Text)
			if isGSM == tc.ucs2 || i >= len(tc.parts) || parts != tc.parts[i] {
				t.Errorf("%s %s message %d: GSM-7 %v, %d parts: %q", tc.lang, tc.m.ID, i, isGSM, parts, o.Text)
			}
			for k, v := range o.Vars {
				if len([]rune(v)) > locales.DLTVarMax || !strings.Contains(o.Text, v) {
					t.Errorf("%s: variable %s %q over %d or not in %q", o.Template, k, v, locales.DLTVarMax, o.Text)
				}
			}
			if o.To != "+919876543210" || o.Channel != "sms" {
				t.Errorf("addressed %s %s", o.Channel, o.To)
			}
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s %s:\n got %s\nwant %s", tc.lang, tc.m.ID, strings.Join(got, "\n     "), strings.Join(tc.want, "\n     "))
		}
		// Each template is one sms-templates lists.
		listed := map[string]bool{}
		for _, tp := range locales.SMSTemplates(tc.m.ID) {
			listed[tp.Name] = true
		}
		for _, o := range outs {
			if !listed[o.Template] {
				t.Errorf("%s is not listed by sms-templates", o.Template)
			}
		}
		// Reply is the first of them.
		if r := render.Reply(dlt, "sms", "+919876543210", tc.lang, tc.m); r.Text != outs[0].Text || r.Template != outs[0].Template {
			t.Errorf("Reply %q, Replies %q", r.Template, outs[0].Template)
		}
	}
}

// A question whose choices would take it over its parts keeps fewer of them
// and sends the rest on.
func TestRepliesTemplatesPartsBudget(t *testing.T) {
	one := dlt
	m := render.Message{ID: "help", Choices: choices("menu.report", "menu.seen", "menu.found", "menu.lost", "menu.help")}
	outs := render.Replies(one, "sms", "+919876543210", "en", m)
	all := ""
	for _, o := range outs {
		if _, _, p := gsm.Parts(o.Text); p > one.PartsEn {
			t.Errorf("%s: %d parts: %q", o.Template, p, o.Text)
		}
		all += o.Text + "\n"
	}
	for i := range m.Choices {
		if !strings.Contains(all, fmt.Sprintf("%d %s", i+1, locales.RenderSMS("en", m.Choices[i].ID, nil))) {
			t.Errorf("choice %d missing from %q", i+1, all)
		}
	}
	if len(outs) != 2 || outs[1].Template != "en:choices.more.sms" || !strings.HasPrefix(outs[1].Text, "More: 5 ") {
		t.Errorf("the help with the menu's five choices over one part: %q", all)
	}
}

// Notices on a DLT route are fitted too.
func TestNoticeTemplates(t *testing.T) {
	o := render.Notice(dlt, "sms", "+91", "en", "alerts.desk.open.last", map[string]any{"Total": 4, "Page": 2,
		"List": "K-4821-7 Anjali Kumari girl 8y, K-4822-1 Sita girl 5y Kanpur, K-4830-2 Ravi boy 7y, K-4831-9 Asha girl 3y"})
	if o.Template != "en:alerts.desk.open.last.sms#3" || o.Vars["List1"] == "" || o.Vars["List3"] == "" || o.Vars["Total"] != "4" {
		t.Errorf("%s %v", o.Template, o.Vars)
	}
	for _, v := range o.Vars {
		if !strings.Contains(o.Text, v) {
			t.Errorf("%q not in %q", v, o.Text)
		}
	}
}
