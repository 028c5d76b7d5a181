package scheduler

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// InstanceID returns the name this process gives its claims (Deps.Instance),
// kept in dir (DATA_DIR) so that the same installation restarted after a
// kill takes back its own claims at once instead of waiting for them to
// expire. The file stays locked while the process lives: a second process
// on the same directory (possible with MONGODB_URI) gets a name of its own,
// so two live processes never share one. On any error a fresh random name
// is returned with the error, fit to use.
func InstanceID(dir string) (string, error) {
	random := func() string {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		return host + "-" + hex.EncodeToString(b)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return random(), fmt.Errorf("instance id: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "instance-id"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return random(), fmt.Errorf("instance id: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return random(), nil // another live process has this directory's name
	}
	held.Lock() // the file (and its lock) stays open for the life of the process
	held.files = append(held.files, f)
	held.Unlock()
	b := make([]byte, 128)
	n, _ := f.ReadAt(b, 0)
	if id := strings.TrimSpace(string(b[:n])); id != "" {
		return id, nil
	}
	id := random()
	if _, err := f.WriteAt([]byte(id+"\n"), 0); err != nil {
		return id, fmt.Errorf("instance id: %w", err)
	}
	if err := f.Sync(); err != nil {
		return id, fmt.Errorf("instance id: %w", err)
	}
	return id, nil
}

// held keeps the locked id files open (a closed file, or one the garbage
// collector finalised, would drop its lock).
var held struct {
	sync.Mutex
	files []*os.File
}
