package embedded

import (
	"context"
	"log/slog"
)

// FerretDB logs every SQL statement at debug level through
// logger.With(slog.Any("args", args)).DebugContext(...). A TextHandler or
// JSONHandler formats the attributes of With at once, before anyone asks
// whether debug is on, so with debug off each statement still paid for
// printing its arguments (about a fifth of a reminder run's CPU, measured on
// BenchmarkReminderRun1000). deferredAttrs keeps With's attributes aside and
// hands them to the real handler only for a record it is going to write.
type deferredAttrs struct {
	h     slog.Handler
	attrs []slog.Attr
}

// quietLogger is the logger FerretDB gets: nil (nothing logged) becomes
// slog.DiscardHandler, whose With costs nothing; any other keeps its handler
// behind deferredAttrs.
func quietLogger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(deferredAttrs{h: l.Handler()})
}

func (d deferredAttrs) Enabled(ctx context.Context, level slog.Level) bool {
	return d.h.Enabled(ctx, level)
}

func (d deferredAttrs) Handle(ctx context.Context, r slog.Record) error {
	h := d.h
	if len(d.attrs) > 0 {
		h = h.WithAttrs(d.attrs)
	}
	return h.Handle(ctx, r)
}

func (d deferredAttrs) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return d
	}
	kept := make([]slog.Attr, 0, len(d.attrs)+len(attrs))
	kept = append(append(kept, d.attrs...), attrs...)
	return deferredAttrs{h: d.h, attrs: kept}
}

func (d deferredAttrs) WithGroup(name string) slog.Handler {
	// A group applies to the attributes after it, so what was kept so far
	// goes to the real handler first.
	h := d.h
	if len(d.attrs) > 0 {
		h = h.WithAttrs(d.attrs)
	}
	return deferredAttrs{h: h.WithGroup(name)}
}
