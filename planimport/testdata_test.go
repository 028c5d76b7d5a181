package planimport

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateFixtures = flag.Bool("update", false, "rewrite testdata/ from the seed plans")

// The committed CSV fixtures (a Vietnamese-locale Excel's "CSV UTF-8": BOM,
// ';', CRLF, quoted line breaks) are the seed plans' tables in office form;
// `go test ./planimport -run TestFixturesAreCurrent -update` rewrites them.
// They read back as the seed plans (TestImportSeedPlansInOfficeForms checks
// the same content generated in memory).
func TestFixturesAreCurrent(t *testing.T) {
	for _, p := range seedPlans(t) {
		rows, _ := officeRows(p, false)
		want := csvOf(t, rows, ';', true)
		path := filepath.Join("testdata", "plan-"+p.Code+".csv")
		if *updateFixtures {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to write it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what the seed plan gives; run with -update", path)
		}
		tb, err := Parse(path, got, Options{})
		if err != nil || len(tb.Tasks) != len(p.Tasks) {
			t.Errorf("%s: %d tasks, %v", path, len(tb.Tasks), err)
		}
	}
}
