package ops

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"

	"github.com/robfig/cron/v3"
)

// BackupJob writes a backup into Dir on a schedule (BACKUP_CRON) and keeps
// the newest Keep of them. Files are named agencybot-<UTC time>.tar.gz;
// other files in Dir are never touched.
type BackupJob struct {
	Dir   string
	Keep  int
	Clock func() time.Time // default time.Now
	// Write writes one backup to path (it must not leave a partial file there).
	Write   func(ctx context.Context, path string) error
	Metrics *Metrics
	Log     *slog.Logger
}

var backupName = regexp.MustCompile(`^agencybot-\d{8}T\d{6}Z\.tar\.gz$`)

// Run takes one backup and prunes the old ones; it returns the new file.
func (j *BackupJob) Run(ctx context.Context) (string, error) {
	clock := j.Clock
	if clock == nil {
		clock = time.Now
	}
	now := clock()
	if err := os.MkdirAll(j.Dir, 0o750); err != nil {
		return "", fmt.Errorf("backup directory: %w", err)
	}
	path := filepath.Join(j.Dir, "agencybot-"+now.UTC().Format("20060102T150405Z")+".tar.gz")
	if err := j.Write(ctx, path); err != nil {
		return "", err
	}
	removed, err := j.prune()
	if err != nil {
		return path, err
	}
	j.Metrics.JobSucceeded("backup", now)
	if j.Log != nil {
		j.Log.Info("backup written", "file", path, "removed_old", removed)
	}
	return path, nil
}

// prune deletes all but the newest Keep backups (names sort by time).
func (j *BackupJob) prune() ([]string, error) {
	entries, err := os.ReadDir(j.Dir)
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && backupName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	keep := max(j.Keep, 1)
	var removed []string
	for len(names) > keep {
		if err := os.Remove(filepath.Join(j.Dir, names[0])); err != nil {
			return removed, fmt.Errorf("remove old backup: %w", err)
		}
		removed = append(removed, names[0])
		names = names[1:]
	}
	return removed, nil
}

// CronJob is the job for robfig/cron; a failure is logged.
func (j *BackupJob) CronJob(timeout time.Duration) cron.Job {
	return cron.FuncJob(func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		if _, err := j.Run(ctx); err != nil && j.Log != nil {
			j.Log.Error("scheduled backup", "err", err)
		}
	})
}
