package bot

import (
	"reflect"
	"testing"

	"agencybot/summaries"
	"agencybot/testkit"
)

// fullPlans stands for a store with every coordinators' method.
type fullPlans struct{ PlanAdmin }

// fakeFiles stands for the Bot API's downloads.
type fakeFiles struct{ Downloader }

// New wires every dependency of every feature: no field of a feature is
// left nil when the bot has a store, the coordinators' store and the Bot
// API's downloads (a nil one would only show when the feature is used).
func TestNewWiresEveryFeature(t *testing.T) {
	b := New(Deps{Data: onFakes("vi"), Plans: fullPlans{}, Files: fakeFiles{}, API: &fakeTelegram{}, Outbox: &fakeOutbox{},
		Summaries: summaries.New(summaries.Options{}), Clock: testkit.Pinned(testkit.At())})
	bv := reflect.ValueOf(b).Elem()
	features := 0
	for i := 0; i < bv.NumField(); i++ {
		f := bv.Field(i)
		name := bv.Type().Field(i).Name
		if f.Kind() != reflect.Pointer || f.Type().Elem().Kind() != reflect.Struct {
			continue
		}
		if f.IsNil() {
			t.Errorf("Bot.%s is nil", name)
			continue
		}
		if name == "Runtime" || name == "Summaries" {
			continue
		}
		features++
		fv := f.Elem()
		for j := 0; j < fv.NumField(); j++ {
			ff := fv.Field(j)
			switch ff.Kind() {
			case reflect.Pointer, reflect.Interface, reflect.Func:
				if ff.IsNil() && fv.Type().Field(j).Name != "jobsCtx" { // jobsCtx: Run's, set when it starts

					t.Errorf("%s.%s is nil", fv.Type().Name(), fv.Type().Field(j).Name)
				}
			}
		}
	}
	if features < 20 {
		t.Errorf("only %d features found", features)
	}
}
