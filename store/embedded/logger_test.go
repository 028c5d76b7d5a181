package embedded

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// stringer counts how often it is printed.
type stringer struct{ n *int }

func (s stringer) String() string { *s.n++; return "printed" }

func TestDeferredAttrsPrintOnlyWhatIsWritten(t *testing.T) {
	var buf bytes.Buffer
	var printed int
	l := quietLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})))
	ctx := context.Background()

	// FerretDB's shape: With(args) then a debug line, with debug off.
	l.With(slog.Any("args", stringer{&printed})).DebugContext(ctx, ">>> SELECT 1")
	if printed != 0 || buf.Len() != 0 {
		t.Fatalf("a debug line with debug off printed its attributes %d times, wrote %q", printed, buf.String())
	}
	// A line that is written carries every attribute, groups included.
	l.With("a", 1).WithGroup("g").With("b", stringer{&printed}).Info("written")
	got := buf.String()
	if printed != 1 || !strings.Contains(got, "a=1") || !strings.Contains(got, "g.b=printed") || !strings.Contains(got, "msg=written") {
		t.Fatalf("written line %q (printed %d)", got, printed)
	}
	// Nothing at all when no logger is given.
	quietLogger(nil).With(slog.Any("args", stringer{&printed})).Error("x")
	if printed != 1 {
		t.Fatalf("the discarding logger printed attributes")
	}
}
