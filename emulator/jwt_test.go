package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/golang-jwt/jwt/v5"
)

const testSecret = "s3cret"

func token(t testing.TB, secret, sub string) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": sub, "exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func bearerHeader(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

func TestJWTCoreRejectsWith401(t *testing.T) {
	_, hs := testServer(t, Config{JWTSecret: testSecret})
	for _, hdr := range []http.Header{nil, bearerHeader("garbage"), bearerHeader(token(t, "other", "bob"))} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, resp, err := websocket.Dial(ctx, wsURL(hs, "/app/Sales"), &websocket.DialOptions{HTTPHeader: hdr})
		cancel()
		if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("hdr %v: err=%v resp=%v", hdr, err, resp)
		}
	}
}

func TestJWTCoreAcceptsHeaderQueryCookie(t *testing.T) {
	_, hs := testServer(t, Config{JWTSecret: testSecret})
	tok := token(t, testSecret, "bob")
	c, _ := dial(t, hs, "/app/Sales", bearerHeader(tok))
	r := c.call(-1, "GetAuthenticatedUser", nil).ok(t)
	if string(r["qReturn"]) != `"UserDirectory=; UserId=bob"` {
		t.Fatalf("user %s", r["qReturn"])
	}
	dial(t, hs, "/app/Sales?qlik-jwt="+tok, nil)
	dial(t, hs, "/app/Sales?jwt="+tok, nil)
	dial(t, hs, "/app/Sales", http.Header{"Cookie": {"qlik-jwt=" + tok}})
}

func TestJWTSessionsPerUser(t *testing.T) {
	s, hs := testServer(t, Config{JWTSecret: testSecret})
	bob, alice := token(t, testSecret, "bob"), token(t, testSecret, "alice")
	a, _ := dial(t, hs, "/app/Sales", bearerHeader(bob))
	a.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	_, st := dial(t, hs, "/app/Sales", bearerHeader(bob))
	if st != "SESSION_ATTACHED" {
		t.Fatalf("bob again: %s", st)
	}
	_, st = dial(t, hs, "/app/Sales", bearerHeader(alice))
	if st != "SESSION_CREATED" {
		t.Fatalf("alice: %s", st)
	}
	// Same X-Qlik-Session but another user: another session in JWT mode.
	h := bearerHeader(bob)
	h.Set("X-Qlik-Session", "shared")
	dial(t, hs, "/app/", h)
	h2 := bearerHeader(alice)
	h2.Set("X-Qlik-Session", "shared")
	_, st = dial(t, hs, "/app/", h2)
	if st != "SESSION_CREATED" {
		t.Fatalf("alice with bob's session id: %s", st)
	}
	if n := s.SessionCount(); n != 4 {
		t.Fatalf("sessions %d", n)
	}
}

var traceRe = regexp.MustCompile(`^[0-9a-f]{32}$`)

// checkCloudReason checks a Qlik Cloud JSON close reason.
func checkCloudReason(t testing.TB, reason, code string) {
	t.Helper()
	var r struct {
		Code    string `json:"code"`
		TraceID string `json:"traceId"`
	}
	if err := json.Unmarshal([]byte(reason), &r); err != nil || r.Code != code || !traceRe.MatchString(r.TraceID) {
		t.Fatalf("reason %q, want code %s", reason, code)
	}
}

func TestJWTCloudCloses4203(t *testing.T) {
	_, hs := testServer(t, Config{JWTSecret: testSecret, Flavor: FlavorCloud})
	c, err := tryDial(t, hs, "/app/Sales", bearerHeader("bad"))
	if err != nil {
		t.Fatal(err)
	}
	code, reason := c.closeStatus(t)
	if code != 4203 {
		t.Fatalf("code %d", code)
	}
	checkCloudReason(t, reason, "QEP-103")
}
