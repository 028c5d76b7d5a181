package bot

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// resetProxy forwards to the Bot API server, but drops the connection (a TCP
// reset) on the first n sendMessage requests after reading them.
func resetProxy(t *testing.T, target string, n int32) *httptest.Server {
	t.Helper()
	host := strings.TrimPrefix(target, "http://")
	host = host[:strings.Index(host, "/")]
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: host})
	left := n
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/sendMessage") && atomic.AddInt32(&left, -1) >= 0 {
			_, _ = io.ReadAll(r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // close with RST
			}
			_ = conn.Close()
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

// A reply whose connection is reset is sent again, like after a 5xx, and
// arrives once.
func TestReplySurvivesResetConnection(t *testing.T) {
	h := newHarness(t)
	h.say(officer, "/help") // the chat exists
	proxy := resetProxy(t, h.srv.APIEndpoint(), 2)
	endpoint := proxy.URL + "/bot%s/%s"
	api, err := NewAPI(testToken, h.srv.APIEndpoint(), nil)
	if err != nil {
		t.Fatal(err)
	}
	api.SetAPIEndpoint(endpoint)
	b := &Bot{API: NewClient(api, endpoint), Config: h.cfg, Clock: h.clock.Now}
	n := len(h.srv.SentTo(officer.ID))
	b.reply(officer.ID, "Kiểm tra kết nối")
	sent := h.srv.SentTo(officer.ID)[n:]
	if len(sent) != 1 || sent[0].Text != "Kiểm tra kết nối" {
		t.Fatalf("after two reset connections the bot sent %d messages: %v", len(sent), sent)
	}
}
