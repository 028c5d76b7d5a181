package store

import (
	"errors"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// The getMore error FerretDB v1 gives when the connection that opened the
// cursor is gone (seen in make test: the scheduler's planner reading
// assignments while a parallel test's cancelled operation closed the shared
// client's one connection) is read again; any other error is not.
func TestCursorLostWithItsConnection(t *testing.T) {
	lost := mongo.CommandError{Code: 1, Name: "InternalError", Message: "[msg_getmore.go:204 handler.(*Handler).MsgGetMore] " +
		"[msg_getmore.go:280 handler.(*Handler).makeNextBatch] [query_iterator.go:79 sqlite.(*queryIterator).Next] " +
		"[conn.go:144 clientconn.(*conn).run.func1] run exits: [msg_body.go:62 wire.ReadMessage] zero bytes read"}
	if !cursorLostWithItsConnection(fmt.Errorf("load: %w", lost)) {
		t.Error("FerretDB's lost cursor is not recognised")
	}
	for _, err := range []error{
		mongo.CommandError{Code: 43, Name: "CursorNotFound", Message: "cursor id 7 not found"},
		mongo.CommandError{Code: 1, Name: "InternalError", Message: "[msg_find.go:90 handler.(*Handler).MsgFind] disk I/O error"},
		errors.New("run exits MsgGetMore"), // not from the server
	} {
		if cursorLostWithItsConnection(err) {
			t.Errorf("%v is read again", err)
		}
	}
}
