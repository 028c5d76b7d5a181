// Package embedded runs the MongoDB-compatible server the program uses when
// no MONGODB_URI is set: FerretDB with its SQLite backend, in this process,
// with its files in a data directory that only one process opens.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// SocketName is the Unix socket the embedded server listens on inside
// DATA_DIR, so that a command run while the bot runs can reach its database.
const SocketName = "ferretdb.sock"

// maxSocketPath is the longest Unix socket path Linux accepts, less a margin.
const maxSocketPath = 100

// ErrDataDirBusy means another process holds DATA_DIR and does not answer
// on its socket.
var ErrDataDirBusy = errors.New("data directory is in use by another process")

// Server is a FerretDB server with the SQLite backend running inside this
// process, reachable on a loopback port and on a Unix socket in its data
// directory. Only one process opens a data directory at a time (a lock file).
type Server struct {
	URI    string // loopback TCP URI for clients in this process
	dir    string
	serial *serializer
	lock   *os.File
	cancel context.CancelFunc
	done   chan error
}

// Start starts the embedded server on dataDir. It fails with
// ErrDataDirBusy when another process holds the directory; callers may then
// connect to that process's server through SocketURI(dataDir).
func Start(ctx context.Context, dataDir string, logger *slog.Logger) (*Server, error) {
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dataDir, err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, "agencybot.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file in %s: %w", dir, err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, fmt.Errorf("%s: %w", dir, ErrDataDirBusy)
	}
	_ = lock.Truncate(0)
	_, _ = fmt.Fprintf(lock, "%d\n", os.Getpid())

	sock := filepath.Join(dir, SocketName)
	_ = os.Remove(sock) // a stale socket of a process that died; we hold the lock
	if len(sock) > maxSocketPath {
		sock = "" // the kernel refuses longer paths; other processes then cannot share this server
	}
	logger = quietLogger(logger)
	// FerretDB listens on a loopback port only; its clients, in this
	// process and on the socket, go through the serializer (serial.go).
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:  "sqlite",
		// WAL with synchronous=NORMAL: a committed write survives a crash
		// or kill of the process; only a power loss can take the last few.
		// FULL would fsync every write and makes the bot several times slower.
		SQLiteURL: (&url.URL{Scheme: "file", Path: dir + "/", RawQuery: "_pragma=synchronous(NORMAL)&_pragma=cache_size(-512)"}).String(),
		Logger:    logger,
	})
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("start embedded FerretDB in %s: %w", dir, err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e := &Server{dir: dir, lock: lock, cancel: cancel, done: make(chan error, 1)}
	go func() { e.done <- f.Run(runCtx) }()
	u, err := url.Parse(f.MongoDBURI()) // blocks until the listener is up
	if err == nil {
		e.serial = newSerializer(u.Host)
		err = e.listen("tcp", "127.0.0.1:0")
	}
	if err == nil && sock != "" {
		err = e.listen("unix", sock)
	}
	if err != nil {
		_ = e.Stop()
		return nil, fmt.Errorf("start embedded FerretDB in %s: %w", dir, err)
	}
	running.Store(dir, e)
	return e, nil
}

// listen serves the serializer on a new listener; the first (loopback TCP)
// gives the URI for this process's clients.
func (e *Server) listen(network, addr string) error {
	l, err := net.Listen(network, addr)
	if err != nil {
		return err
	}
	if e.URI == "" {
		e.URI = "mongodb://" + l.Addr().String() + "/"
	}
	e.serial.serve(l)
	return nil
}

// SocketClients is the largest number of connections the processes on the
// socket held at once since the previous call (tests: a process joining
// through the socket connects with one, plus its driver's monitor).
func (e *Server) SocketClients() int {
	e.serial.mu.Lock()
	defer e.serial.mu.Unlock()
	n := e.serial.peak["unix"]
	e.serial.peak["unix"] = e.serial.clients["unix"]
	return n
}

// SocketURI is the URI of the embedded server of the process holding dataDir.
func SocketURI(dataDir string) (string, error) {
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return "", err
	}
	sock := filepath.Join(dir, SocketName)
	if _, err := os.Stat(sock); err != nil {
		return "", fmt.Errorf("%s: %w (and no socket %s to connect to)", dir, ErrDataDirBusy, sock)
	}
	return "mongodb://" + strings.ReplaceAll(url.PathEscape(sock), "/", "%2F") + "/", nil
}

// Stop shuts the server down and releases the data directory.
func (e *Server) Stop() error {
	running.Delete(e.dir)
	var err error
	if e.serial != nil {
		err = e.serial.close()
	}
	e.cancel()
	err = errors.Join(err, <-e.done)
	_ = os.Remove(filepath.Join(e.dir, SocketName))
	_ = syscall.Flock(int(e.lock.Fd()), syscall.LOCK_UN)
	e.lock.Close()
	return err
}
