package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"agencybot/config"
	"agencybot/store"
)

// runMigrate: agencybot migrate --to <MongoDB URI> copies the configured
// database (the embedded one) to MongoDB, verifies it, and can be run again.
func runMigrate(ctx context.Context, args []string, w world) error {
	stdout, stderr, getenv := w.stdout, w.stderr, w.getenv
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	to := fs.String("to", "", "MongoDB URI of the target, e.g. mongodb://user:pass@db1,db2,db3/?replicaSet=rs0")
	dbName := fs.String("db", "", "database name in the target (default MONGODB_DATABASE)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 || (!strings.HasPrefix(*to, "mongodb://") && !strings.HasPrefix(*to, "mongodb+srv://")) {
		return usageError{"usage: agencybot migrate --to mongodb://… [--db NAME]"}
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	if *dbName == "" {
		*dbName = cfg.MongoDatabase
	}
	if cfg.MongoURI == *to && cfg.MongoDatabase == *dbName {
		return usageError{"migrate: the target is the database in use (MONGODB_URI); nothing to do"}
	}
	shown := config.RedactURL(*to)
	return withStore(ctx, w, false, func(src *store.Store) error {
		if src.Backend == "embedded (shared)" {
			fmt.Fprintln(stdout, "note: the bot is running; what it writes after this copy is not in the target. Stop it and run migrate again: the second run copies only what changed.")
		}
		client, err := store.Connect(ctx, *to, false)
		if err != nil {
			return fmt.Errorf("connect to %s: %s", shown, redactErr(err, *to))
		}
		defer client.Disconnect(context.WithoutCancel(ctx))
		dst, err := store.New(ctx, client, *dbName, nil)
		if err != nil {
			return fmt.Errorf("prepare %s: %s", shown, redactErr(err, *to))
		}
		fmt.Fprintf(stdout, "migrating %s to %s, database %s\n", cfg.DatabaseDescription(), shown, *dbName)
		rs, err := src.MigrateTo(ctx, dst)
		printMigration(stdout, rs)
		if err != nil {
			return fmt.Errorf("%s", redactErr(err, *to))
		}
		var docs int64
		for _, r := range rs {
			docs += r.Source
		}
		fmt.Fprintf(stdout, "verified: %d collections, %d documents; counts and checksums match. Now set MONGODB_URI and start the bot.\n", len(rs), docs)
		return nil
	})
}

func printMigration(w io.Writer, rs []store.MigrateResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "collection\tdocuments\tcopied\talready there\toverwritten\tremoved")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\n", r.Name, r.Source, r.Copied, r.Present, r.Replaced, r.Removed)
	}
	_ = tw.Flush()
}

// redactErr is err's text without the URI's password (driver errors may
// quote the URI).
func redactErr(err error, uri string) string {
	return config.Redact(err.Error(), config.URLSecrets(uri)...)
}
