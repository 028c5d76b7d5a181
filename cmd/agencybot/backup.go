package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"agencybot/store"
)

// writeBackupFile writes a backup to path atomically: to a temporary file in
// the same directory, synced, then renamed.
func writeBackupFile(ctx context.Context, s *store.Store, path string) (store.BackupManifest, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return store.BackupManifest{}, fmt.Errorf("backup directory: %w", err)
	}
	f, err := os.CreateTemp(dir, ".agencybot-backup-*.part")
	if err != nil {
		return store.BackupManifest{}, fmt.Errorf("backup: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after the rename it no longer exists
	m, err := s.Backup(ctx, f, dir)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return m, fmt.Errorf("backup to %s: %w", path, err)
	}
	return m, nil
}

// runBackup: agencybot backup --out FILE, while the bot runs or not.
func runBackup(ctx context.Context, args []string, w world) error {
	stdout, stderr := w.stdout, w.stderr
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "the file to write, e.g. agencybot-2025-12-24.tar.gz")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *out == "" || fs.NArg() > 0 {
		return usageError{"usage: agencybot backup --out FILE"}
	}
	return withStore(ctx, w, false, func(s *store.Store) error {
		m, err := writeBackupFile(ctx, s, *out)
		if err != nil {
			return err
		}
		how := fmt.Sprintf("consistent: nothing changed between passes %d and %d", m.Passes-1, m.Passes)
		switch {
		case m.Method == "sqlite-snapshot":
			how = "consistent: one instant of the database, copied by SQLite while the bot wrote"
		case !m.Consistent:
			how = fmt.Sprintf("NOT a consistent snapshot: the database changed in each of %d passes; restore rolls assignments forward over their history", m.Passes)
		}
		fmt.Fprintf(stdout, "backup written to %s: %d documents in %d collections (%s)\n", *out, m.Documents(), len(m.Collections), how)
		return printCollections(stdout, m)
	})
}

func printCollections(w io.Writer, m store.BackupManifest) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "collection\tdocuments\tsha256")
	for _, c := range m.Collections {
		fmt.Fprintf(tw, "%s\t%d\t%.16s…\n", c.Name, c.Count, c.SHA256)
	}
	return tw.Flush()
}

// runRestore: agencybot restore FILE [--replace]. The bot must be stopped.
func runRestore(ctx context.Context, args []string, w world) error {
	stdout, stderr := w.stdout, w.stderr
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	replace := fs.Bool("replace", false, "drop everything in the database first (it must be empty otherwise)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	rest := fs.Args()
	if len(rest) > 1 { // flags after the file name
		if err := fs.Parse(rest[1:]); err != nil {
			return usageError{err.Error()}
		}
		rest = append(rest[:1], fs.Args()...)
	}
	if len(rest) != 1 {
		return usageError{"usage: agencybot restore FILE [--replace]"}
	}
	file := rest[0]
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	cfg, err := loadConfig(w.getenv)
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg)
	// Not joining a running bot: restoring under it would mix two states.
	s, err := openStore(ctx, cfg, log, w, false)
	if errors.Is(err, store.ErrDataDirBusy) {
		return fmt.Errorf("restore: the bot is running on DATA_DIR=%s; stop it first", cfg.DataDir)
	}
	if err != nil {
		return err
	}
	defer closeStore(s, log)
	m, err := s.Restore(ctx, func() (io.ReadCloser, error) { return os.Open(file) }, *replace)
	if errors.Is(err, store.ErrNotEmpty) {
		return fmt.Errorf("restore: %w; to overwrite it, run again with --replace (agencybot backup --out FILE saves it first)", err)
	}
	if err != nil {
		return fmt.Errorf("restore %s: %w", file, err)
	}
	fmt.Fprintf(stdout, "restored %s (taken %s): %d documents in %d collections, counts and checksums verified; %d assignments rolled forward over their history\n",
		file, m.CreatedAt.Format("2006-01-02 15:04:05 MST"), m.Documents(), len(m.Collections), m.RolledForward)
	return printCollections(stdout, m)
}
