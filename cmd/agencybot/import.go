package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"agencybot/i18n"
	"agencybot/planimport"
	"agencybot/store"
)

const importUsage = "usage: agencybot import FILE --number <số/KH-UBND> --date YYYY-MM-DD --title <title> [--sheet <name>] [--update] [--dry-run] [--lang vi|en]"

// runImport imports a plan's table from an .xlsx or .csv file; --dry-run
// prints the preview and stores nothing.
func runImport(ctx context.Context, args []string, w world) error {
	stdout, stderr := w.stdout, w.stderr
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	number := fs.String("number", "", "the plan's number, e.g. \"12/KH-UBND\"")
	date := fs.String("date", "", "the plan's date, YYYY-MM-DD")
	title := fs.String("title", "", "the plan's title")
	sheet := fs.String("sheet", "", "the sheet to read when the workbook has several tables")
	update := fs.Bool("update", false, "update the plan when it was imported before (assignments keep their history)")
	dry := fs.Bool("dry-run", false, "print the preview; store nothing")
	lang := fs.String("lang", "vi", "language of the preview: vi or en")
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error() + "\n" + importUsage}
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError{"one file only\n" + importUsage}
	}
	if file == "" {
		return usageError{"which file?\n" + importUsage}
	}
	if _, err := time.Parse(time.DateOnly, *date); err != nil {
		return usageError{fmt.Sprintf("--date %q must be YYYY-MM-DD\n%s", *date, importUsage)}
	}
	if strings.TrimSpace(*title) == "" {
		return usageError{"--title is required\n" + importUsage}
	}
	l := i18n.For(*lang)
	st, err := os.Stat(file)
	if err != nil {
		return err
	}
	if st.Size() > planimport.MaxSize {
		return errors.New(planimport.ErrorOf(planimport.ErrSize).Message(l))
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	table, err := planimport.Parse(file, data, planimport.Options{Sheet: *sheet})
	var perr *planimport.Error
	if errors.As(err, &perr) {
		return errors.New(perr.Message(l))
	}
	if err != nil {
		return err
	}
	meta := planimport.Meta{Number: strings.TrimSpace(*number), Date: *date, Title: strings.TrimSpace(*title)}
	return withStore(ctx, w, true, func(s *store.Store) error {
		ix, err := s.AgencyIndex(ctx)
		if err != nil {
			return err
		}
		if *dry {
			_, err := fmt.Fprintln(stdout, planimport.NewPreview(table, meta, ix).Text(l))
			return err
		}
		r, err := s.ImportPlan(ctx, meta, table, *update)
		var exists *store.PlanExistsError
		if errors.As(err, &exists) {
			return fmt.Errorf("%s (--update)", i18n.T(l, "import.exists", exists.Plan.Label(), exists.Plan.Date))
		}
		if err != nil {
			return err
		}
		verb := "imported"
		if r.Updated {
			verb = "updated"
		}
		_, err = fmt.Fprintf(stdout, "%s plan %s (code %s, key %s): tasks %+v, assignments %+v\n",
			verb, r.Plan.Label(), r.Plan.Code, r.Plan.Key, r.Tasks, r.Assignments)
		return err
	})
}
