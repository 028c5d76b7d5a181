package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"agencybot/domain"
	"agencybot/store/embedded"
)

// Issue 24, point 5: a second process on the bot's embedded database — a
// command joining through DATA_DIR/ferretdb.sock, or a second instance with
// MONGODB_URI naming that socket — connects with one connection, and its
// conditional updates stay atomic against the bot's: two processes racing
// for one invite, one wins, every time (before: both won in 176 of 200); two
// processes setting different fields of one document at once, both land.
func TestSecondProcessOnTheSocketIsAtomic(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "d")
	owner, err := Open(ctx, Options{Database: "sock", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	joined, err := Open(ctx, Options{Database: "sock", DataDir: dir, Join: true})
	if err != nil {
		t.Fatal(err)
	}
	defer joined.Close(ctx)
	uri, err := embedded.SocketURI(dir)
	if err != nil {
		t.Fatal(err)
	}
	second, err := Open(ctx, Options{URI: uri, Database: "sock"}) // a second `agencybot run` with MONGODB_URI=<the socket>
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close(ctx)
	if joined.Backend != "embedded (shared)" || second.Backend != "embedded (shared)" {
		t.Errorf("backends %q and %q", joined.Backend, second.Backend)
	}

	// Each process on the socket: one connection, however many goroutines
	// use it (and its driver's monitor).
	owner.embedded.SocketClients() // from now on
	var wg sync.WaitGroup
	for _, s := range []*Store{joined, second} {
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Offset(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	peak := owner.embedded.SocketClients()
	if peak > 4 {
		t.Errorf("the two processes on the socket held %d connections at once, want at most 2 each (one, and the driver's monitor)", peak)
	}

	const races = 200
	doubled := 0
	for i := 0; i < races; i++ {
		inv, err := owner.CreateInvite(ctx, domain.RoleLeader, "", 7, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		wins := make([]bool, 3)
		for j, s := range []*Store{owner, joined, second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := s.ClaimInvite(ctx, inv.Code, domain.Officer{TelegramID: int64(1000*i + j + 1), Name: "Cán bộ"})
				wins[j] = err == nil
			}()
		}
		wg.Wait()
		n := 0
		for _, w := range wins {
			if w {
				n++
			}
		}
		if n != 1 {
			doubled++
		}
	}
	lost := 0
	for i := 0; i < races; i++ {
		id := int64(500000 + i)
		if err := owner.SaveOfficer(ctx, domain.Officer{TelegramID: id, Role: domain.RoleOfficer, AgencyKey: "so-khcn", Active: true, Lang: "vi"}); err != nil {
			t.Fatal(err)
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			if err := owner.SetUnreachable(ctx, id, true); err != nil {
				t.Error(err)
			}
		}()
		go func() {
			defer wg.Done()
			if err := joined.TouchOfficer(ctx, id, fmt.Sprint("Cán bộ ", i), "canbo", "en"); err != nil {
				t.Error(err)
			}
		}()
		wg.Wait()
		o, err := second.Officer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !o.Unreachable || o.Lang != "en" {
			lost++
		}
	}
	if doubled != 0 || lost != 0 {
		t.Errorf("of %d invites claimed at once by three processes, %d went to more or fewer than one; of %d pairs of updates to one officer, %d lost one", races, doubled, races, lost)
	}
	t.Logf("%d invites raced by three processes: %d not won exactly once; %d pairs of concurrent updates: %d lost; %d connections on the socket at most",
		races, doubled, races, lost, peak)
}
