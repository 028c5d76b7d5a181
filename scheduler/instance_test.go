package scheduler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The instance id is kept in the data directory; a second live process on
// the same directory gets an id of its own.
func TestInstanceIDKeptAndNotShared(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	id, err := InstanceID(dir)
	if err != nil || id == "" {
		t.Fatalf("id %q, %v", id, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "instance-id"))
	if err != nil || strings.TrimSpace(string(b)) != id {
		t.Fatalf("kept %q (%v), want %q", b, err, id)
	}
	other, err := InstanceID(dir)
	if err != nil || other == "" || other == id {
		t.Errorf("a second process on the directory got %q (%v); the first has %q", other, err, id)
	}
}
