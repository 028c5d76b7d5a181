package embedded

// FerretDB v1 makes an update a read followed by a write, with nothing
// holding the document in between: two connections updating one document
// at once can both read it before either writes, so that both conditional
// updates "win" (a claim taken twice) and one of two $sets is lost. One
// connection is atomic, because FerretDB answers a connection's commands one
// after the other; and each process connects with one (store.Connect) — but
// the bot and a second process on the socket (a command, a second instance)
// are two connections: measured, three processes racing for one invite,
// 163 of 200 were not won exactly once, and of 200 pairs of $sets of two
// fields of one document, 26 lost one.
//
// So FerretDB listens only on a loopback port that nobody is told of, and
// every client — this process's own and those on DATA_DIR/ferretdb.sock —
// reaches it through serializer, which lets the commands that read and then
// write a document (update, findAndModify, delete) through to FerretDB one
// at a time, whatever connection they came on. Inserts (atomic by their
// unique _id) and reads go through at once, so that a long read of a
// command on the socket does not hold up the bot. Each client connection
// keeps its own connection to FerretDB (cursors live there). A write's
// turn is held from sending it to FerretDB until its answer is read, never
// while a client is slow to send or to read.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// Wire protocol (MongoDB): every message starts with a 16-byte header,
// its length first; OP_MSG carries flag bits after it.
const (
	headerLen      = 16
	maxMessage     = 64 << 20 // well above MongoDB's 48 MB message limit
	opMsg          = 2013
	flagChecksum   = 1 << 0
	flagMoreToCome = 1 << 1
)

// serializer accepts client connections on its listeners and relays them to
// FerretDB at upstream, the read-then-write commands one at a time across
// all of them.
type serializer struct {
	upstream string // FerretDB's loopback address
	turn     sync.Mutex

	mu        sync.Mutex
	listeners []net.Listener
	conns     map[net.Conn]struct{}
	clients   map[string]int // connections by the listener they came on
	peak      map[string]int
	closed    bool
	observe   atomic.Pointer[func(command string, turn bool)] // tests
	wg        sync.WaitGroup
}

func newSerializer(upstream string) *serializer {
	return &serializer{upstream: upstream, conns: map[net.Conn]struct{}{}, clients: map[string]int{}, peak: map[string]int{}}
}

// serve accepts connections on l until close.
func (s *serializer) serve(l net.Listener) {
	s.mu.Lock()
	s.listeners = append(s.listeners, l)
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			if !s.track(c, true) {
				c.Close()
				return
			}
			network := l.Addr().Network()
			s.count(network, 1)
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer s.count(network, -1)
				defer s.track(c, false)
				s.relay(c)
			}()
		}
	}()
}

// track adds (or removes) a connection to close at close; false once closed.
func (s *serializer) track(c net.Conn, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !add {
		delete(s.conns, c)
		return true
	}
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

// count notes a client connection opened (+1) or closed (-1).
func (s *serializer) count(network string, d int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[network] += d
	s.peak[network] = max(s.peak[network], s.clients[network])
}

// relay passes a client's commands to FerretDB on a connection of its own,
// each round trip in its turn.
func (s *serializer) relay(client net.Conn) {
	defer client.Close()
	up, err := net.Dial("tcp", s.upstream)
	if err != nil {
		return
	}
	if !s.track(up, true) {
		up.Close()
		return
	}
	defer s.track(up, false)
	defer up.Close()
	in, upIn := bufio.NewReaderSize(client, 64<<10), bufio.NewReaderSize(up, 64<<10)
	for {
		req, err := readMessage(in)
		if err != nil {
			return
		}
		answers, err := s.roundTrip(up, upIn, req)
		if err != nil {
			return
		}
		if _, err := (*net.Buffers)(&answers).WriteTo(client); err != nil {
			return
		}
	}
}

// roundTrip sends one request to FerretDB and reads its answers (none for a
// request that says more is to come; several while an answer says so),
// holding the turn throughout when it is a read-then-write command.
func (s *serializer) roundTrip(up net.Conn, upIn io.Reader, req []byte) ([][]byte, error) {
	name := commandName(req)
	turn := readsThenWrites[name]
	if f := s.observe.Load(); f != nil {
		(*f)(name, turn)
	}
	if turn {
		s.turn.Lock()
		defer s.turn.Unlock()
	}
	if _, err := up.Write(req); err != nil {
		return nil, err
	}
	var answers [][]byte
	for more := !moreToCome(req); more; {
		a, err := readMessage(upIn)
		if err != nil {
			return nil, err
		}
		answers = append(answers, a)
		more = moreToCome(a)
	}
	return answers, nil
}

// readMessage reads one whole wire message.
func readMessage(r io.Reader) ([]byte, error) {
	var h [headerLen]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, err
	}
	n := int(int32(binary.LittleEndian.Uint32(h[:4])))
	if n < headerLen || n > maxMessage {
		return nil, fmt.Errorf("wire message of %d bytes", n)
	}
	m := make([]byte, n)
	copy(m, h[:])
	if _, err := io.ReadFull(r, m[headerLen:]); err != nil {
		return nil, err
	}
	return m, nil
}

// readsThenWrites are the commands FerretDB v1 carries out as a read and
// then a write of each document they match.
var readsThenWrites = map[string]bool{"update": true, "findAndModify": true, "delete": true}

// commandName is the command an OP_MSG request carries: the first key of
// its body section ("" for anything else).
func commandName(m []byte) string {
	if len(m) < headerLen+4 || binary.LittleEndian.Uint32(m[12:16]) != opMsg {
		return ""
	}
	end := len(m)
	if binary.LittleEndian.Uint32(m[headerLen:headerLen+4])&flagChecksum != 0 {
		end -= 4
	}
	for i := headerLen + 4; i+5 <= end; {
		kind, size := m[i], int(int32(binary.LittleEndian.Uint32(m[i+1:i+5])))
		if size < 5 || i+1+size > end {
			return ""
		}
		if kind == 0 { // the body: int32 size, then the first element's type and name
			doc := m[i+1 : i+1+size]
			if len(doc) < 6 {
				return ""
			}
			name := doc[5:]
			if j := bytes.IndexByte(name, 0); j >= 0 {
				return string(name[:j])
			}
			return ""
		}
		i += 1 + size // a document sequence: its size counts itself
	}
	return ""
}

// moreToCome tells whether an OP_MSG has its moreToCome flag: a request
// that wants no answer, or an answer that others follow.
func moreToCome(m []byte) bool {
	if len(m) < headerLen+4 || binary.LittleEndian.Uint32(m[12:16]) != opMsg {
		return false
	}
	return binary.LittleEndian.Uint32(m[headerLen:headerLen+4])&flagMoreToCome != 0
}

// close stops accepting, drops every connection and waits for the relays.
func (s *serializer) close() error {
	s.mu.Lock()
	s.closed = true
	var errs []error
	for _, l := range s.listeners {
		if err := l.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return errors.Join(errs...)
}
