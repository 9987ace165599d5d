package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

const (
	testWI     = "wi-123"
	testOrigin = "https://mashup.example.com"
)

// cookieServer is an emulator in AuthCookie mode with one web integration.
func cookieServer(t *testing.T, flavor string, proxies ...string) *httptest.Server {
	t.Helper()
	_, hs := testServer(t, Config{
		Flavor:          flavor,
		Auth:            AuthCookie,
		WebIntegrations: map[string][]string{testWI: {testOrigin}},
		VirtualProxies:  proxies,
	})
	return hs
}

// login signs in as user and returns the session cookie header.
func login(t *testing.T, hs *httptest.Server, user string) string {
	t.Helper()
	resp, err := http.Post(hs.URL+"/_emulator/login?user="+url.QueryEscape(user), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %s", resp.Status)
	}
	for _, c := range resp.Cookies() {
		if c.Name == SessionCookie {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
				t.Fatalf("cookie attributes: %+v", c)
			}
			return c.Name + "=" + c.Value
		}
	}
	t.Fatal("login set no session cookie")
	return ""
}

// get sends a GET with headers and returns the response, body read.
func get(t *testing.T, method, u string, hdr http.Header) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, nil)
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// errorCode reads the code of a Qlik Cloud-style JSON error body.
func errorCode(t *testing.T, body string) string {
	t.Helper()
	var e struct {
		Errors []struct {
			Code, Title string
		} `json:"errors"`
		TraceID string `json:"traceId"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || len(e.Errors) != 1 || e.TraceID == "" {
		t.Fatalf("error body %q: %v", body, err)
	}
	return e.Errors[0].Code
}

// csrfToken fetches the Cloud CSRF token as a page on testOrigin would.
func csrfToken(t *testing.T, hs *httptest.Server, cookie string) string {
	t.Helper()
	resp, body := get(t, "GET", hs.URL+"/api/v1/csrf-token", http.Header{
		"Cookie": {cookie}, "Origin": {testOrigin}, "Qlik-Web-Integration-Id": {testWI}})
	tok := resp.Header.Get("qlik-csrf-token")
	if resp.StatusCode != http.StatusOK || tok == "" {
		t.Fatalf("csrf-token: %s %q", resp.Status, body)
	}
	return tok
}

func TestCookieAuthOffByDefault(t *testing.T) {
	_, hs := testServer(t, Config{Flavor: FlavorCloud})
	for _, p := range []string{"/api/v1/csrf-token", "/vp/qps/csrftoken"} {
		if resp, _ := get(t, "GET", hs.URL+p, nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("%s: %s, want 404 outside cookie mode", p, resp.Status)
		}
	}
	if resp, err := http.Post(hs.URL+"/_emulator/login", "", nil); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("login outside cookie mode: %v %v", resp, err)
	}
	dial(t, hs, "/app/Sales", nil) // no cookie needed
}

func TestCookieAuthCloudCSRFEndpoint(t *testing.T) {
	hs := cookieServer(t, FlavorCloud)
	cookie := login(t, hs, "alice")
	cases := []struct {
		name   string
		hdr    http.Header
		status int
		code   string
		cors   bool
	}{
		{"not signed in", http.Header{"Origin": {testOrigin}, "Qlik-Web-Integration-Id": {testWI}}, 401, "EMU-AUTH-NOT-SIGNED-IN", true},
		{"stale cookie", http.Header{"Cookie": {SessionCookie + "=nope"}, "Origin": {testOrigin}, "Qlik-Web-Integration-Id": {testWI}}, 401, "EMU-AUTH-NOT-SIGNED-IN", true},
		{"no web integration", http.Header{"Cookie": {cookie}, "Origin": {testOrigin}}, 403, "EMU-AUTH-NO-WEB-INTEGRATION", false},
		{"unknown web integration", http.Header{"Cookie": {cookie}, "Origin": {testOrigin}, "Qlik-Web-Integration-Id": {"other"}}, 403, "EMU-AUTH-UNKNOWN-WEB-INTEGRATION", false},
		{"origin not allowed", http.Header{"Cookie": {cookie}, "Origin": {"https://evil.example"}, "Qlik-Web-Integration-Id": {testWI}}, 403, "EMU-AUTH-ORIGIN-NOT-ALLOWED", false},
	}
	for _, c := range cases {
		resp, body := get(t, "GET", hs.URL+"/api/v1/csrf-token", c.hdr)
		if resp.StatusCode != c.status || errorCode(t, body) != c.code || resp.Header.Get("qlik-csrf-token") != "" {
			t.Errorf("%s: %s %q", c.name, resp.Status, body)
		}
		if got := resp.Header.Get("Access-Control-Allow-Origin") != ""; got != c.cors {
			t.Errorf("%s: CORS headers %v, want %v", c.name, got, c.cors)
		}
	}

	resp, _ := get(t, "GET", hs.URL+"/api/v1/csrf-token", http.Header{
		"Cookie": {cookie}, "Origin": {testOrigin}, "Qlik-Web-Integration-Id": {testWI}})
	if resp.StatusCode != 200 || len(resp.Header.Get("qlik-csrf-token")) != 32 ||
		resp.Header.Get("Access-Control-Allow-Origin") != testOrigin ||
		resp.Header.Get("Access-Control-Allow-Credentials") != "true" ||
		!strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "qlik-csrf-token") {
		t.Fatalf("allowed cross-origin fetch: %s %v", resp.Status, resp.Header)
	}
	if again := csrfToken(t, hs, cookie); again != resp.Header.Get("qlik-csrf-token") {
		t.Fatal("token changed within one sign-in")
	}
	if other := csrfToken(t, hs, login(t, hs, "alice")); other == resp.Header.Get("qlik-csrf-token") {
		t.Fatal("two sign-ins share a token")
	}

	// Preflight: only for origins some web integration allows.
	pre := http.Header{"Origin": {testOrigin}, "Access-Control-Request-Method": {"GET"}, "Access-Control-Request-Headers": {"qlik-web-integration-id"}}
	resp, _ = get(t, "OPTIONS", hs.URL+"/api/v1/csrf-token", pre)
	if resp.StatusCode != 204 || !strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "qlik-web-integration-id") {
		t.Fatalf("preflight: %s %v", resp.Status, resp.Header)
	}
	pre.Set("Origin", "https://evil.example")
	if resp, _ = get(t, "OPTIONS", hs.URL+"/api/v1/csrf-token", pre); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from a foreign origin allowed: %v", resp.Header)
	}
}

func TestCookieAuthSameOriginFetchIsOriginChecked(t *testing.T) {
	hs := cookieServer(t, FlavorCloud)
	cookie := login(t, hs, "bob")
	// A same-origin GET carries no Origin; Sec-Fetch-Site says where it is from.
	resp, body := get(t, "GET", hs.URL+"/api/v1/csrf-token", http.Header{
		"Cookie": {cookie}, "Sec-Fetch-Site": {"same-origin"}, "Qlik-Web-Integration-Id": {testWI}})
	if resp.StatusCode != 403 || errorCode(t, body) != "EMU-AUTH-ORIGIN-NOT-ALLOWED" {
		t.Fatalf("same-origin page not in the web integration: %s %q", resp.Status, body)
	}
}

// upgradeStatus dials and returns the HTTP status and error code of a refusal.
func upgradeStatus(t *testing.T, hs *httptest.Server, path string, hdr http.Header) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, resp, err := websocket.Dial(ctx, wsURL(hs, path), &websocket.DialOptions{HTTPHeader: hdr})
	if err == nil {
		ws.CloseNow()
		return 101, ""
	}
	if resp == nil {
		t.Fatalf("%s: %v", path, err)
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, errorCode(t, string(b))
}

func TestCookieAuthCloudUpgrade(t *testing.T) {
	hs := cookieServer(t, FlavorCloud)
	cookie := login(t, hs, "carol")
	tok := csrfToken(t, hs, cookie)
	good := "/app/Sales?qlik-web-integration-id=" + testWI + "&qlik-csrf-token=" + tok
	page := http.Header{"Cookie": {cookie}, "Origin": {testOrigin}}
	cases := []struct {
		name, path string
		hdr        http.Header
		status     int
		code       string
	}{
		{"no cookie", good, http.Header{"Origin": {testOrigin}}, 401, "EMU-AUTH-NOT-SIGNED-IN"},
		{"no web integration", "/app/Sales?qlik-csrf-token=" + tok, page, 403, "EMU-AUTH-NO-WEB-INTEGRATION"},
		{"unknown web integration", "/app/Sales?qlik-web-integration-id=x&qlik-csrf-token=" + tok, page, 403, "EMU-AUTH-UNKNOWN-WEB-INTEGRATION"},
		{"origin not allowed", good, http.Header{"Cookie": {cookie}, "Origin": {"http://localhost:1234"}}, 403, "EMU-AUTH-ORIGIN-NOT-ALLOWED"},
		{"no csrf token", "/app/Sales?qlik-web-integration-id=" + testWI, page, 403, "EMU-AUTH-NO-CSRF-TOKEN"},
		{"wrong csrf token", "/app/Sales?qlik-web-integration-id=" + testWI + "&qlik-csrf-token=abc", page, 403, "EMU-AUTH-BAD-CSRF-TOKEN"},
	}
	for _, c := range cases {
		if st, code := upgradeStatus(t, hs, c.path, c.hdr); st != c.status || code != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, st, code, c.status, c.code)
		}
	}
	cl, state := dial(t, hs, good, page)
	if state != "SESSION_CREATED" {
		t.Fatalf("state %s", state)
	}
	r := cl.call(-1, "GetAuthenticatedUser", nil).ok(t)
	if !strings.Contains(string(r["qReturn"]), "UserId=carol") {
		t.Fatalf("user %s", r["qReturn"])
	}

	// Signing out invalidates the cookie for new sockets.
	req, _ := http.NewRequest("POST", hs.URL+"/_emulator/logout", nil)
	req.Header.Set("Cookie", cookie)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("logout: %v %v", resp, err)
	}
	if st, code := upgradeStatus(t, hs, good, page); st != 401 || code != "EMU-AUTH-NOT-SIGNED-IN" {
		t.Fatalf("after logout: %d %s", st, code)
	}
}

func TestCookieAuthEnterprise(t *testing.T) {
	hs := cookieServer(t, FlavorCore, "vp")
	cookie := login(t, hs, "dave")
	resp, body := get(t, "GET", hs.URL+"/vp/qps/csrftoken", nil)
	if resp.StatusCode != 401 || errorCode(t, body) != "EMU-AUTH-NOT-SIGNED-IN" {
		t.Fatalf("not signed in: %s %q", resp.Status, body)
	}
	resp, body = get(t, "GET", hs.URL+"/wrong/qps/csrftoken", http.Header{"Cookie": {cookie}})
	if resp.StatusCode != 404 || errorCode(t, body) != "EMU-AUTH-UNKNOWN-VIRTUAL-PROXY" {
		t.Fatalf("wrong prefix: %s %q", resp.Status, body)
	}
	resp, _ = get(t, "GET", hs.URL+"/vp/qps/csrftoken", http.Header{"Cookie": {cookie}})
	tok := resp.Header.Get("qlik-csrf-token")
	if resp.StatusCode != 200 || tok == "" {
		t.Fatalf("csrftoken: %s", resp.Status)
	}
	hdr := http.Header{"Cookie": {cookie}}
	if st, code := upgradeStatus(t, hs, "/vp/app/Sales", hdr); st != 403 || code != "EMU-AUTH-NO-CSRF-TOKEN" {
		t.Fatalf("no token: %d %s", st, code)
	}
	if st, code := upgradeStatus(t, hs, "/other/app/Sales?qlik-csrf-token="+tok, hdr); st != 404 || code != "EMU-AUTH-UNKNOWN-VIRTUAL-PROXY" {
		t.Fatalf("wrong prefix: %d %s", st, code)
	}
	if st, code := upgradeStatus(t, hs, "/vp/app/Sales?qlik-csrf-token="+tok, nil); st != 401 || code != "EMU-AUTH-NOT-SIGNED-IN" {
		t.Fatalf("no cookie: %d %s", st, code)
	}
	cl, _ := dial(t, hs, "/vp/app/Sales?qlik-csrf-token="+tok, hdr)
	r := cl.call(-1, "GetAuthenticatedUser", nil).ok(t)
	if !strings.Contains(string(r["qReturn"]), "UserId=dave") {
		t.Fatalf("user %s", r["qReturn"])
	}
}

func TestCookieAuthLoginIsLoopbackOnly(t *testing.T) {
	s := New(Config{Auth: AuthCookie, Library: newFakeLib("Sales"), Logf: func(string, ...any) {}})
	defer s.Close()
	for _, c := range []struct {
		remote, origin string
		want           int
	}{
		{"192.0.2.1:1234", "", http.StatusForbidden},
		{"127.0.0.1:1234", "https://evil.example", http.StatusForbidden},
		{"127.0.0.1:1234", "", http.StatusOK},
	} {
		r := httptest.NewRequest("POST", "/_emulator/login", nil)
		r.RemoteAddr = c.remote
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != c.want {
			t.Errorf("%s %q: %d, want %d", c.remote, c.origin, w.Code, c.want)
		}
	}
}

func TestCookieAuthWebIntegrationAdmin(t *testing.T) {
	hs := cookieServer(t, FlavorCloud)
	resp, err := http.Post(hs.URL+"/_emulator/web-integrations", "application/json",
		strings.NewReader(`{"validOrigins":["http://page.test:9"]}`))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("add: %v %v", resp, err)
	}
	var in integrationJSON
	_ = json.NewDecoder(resp.Body).Decode(&in)
	resp.Body.Close()
	if in.ID == "" {
		t.Fatal("no id minted")
	}
	cookie := login(t, hs, "erin")
	resp, _ = get(t, "GET", hs.URL+"/api/v1/csrf-token", http.Header{
		"Cookie": {cookie}, "Origin": {"http://page.test:9"}, "Qlik-Web-Integration-Id": {in.ID}})
	if resp.StatusCode != 200 || resp.Header.Get("qlik-csrf-token") == "" {
		t.Fatalf("csrf with the added integration: %s", resp.Status)
	}
	_, body := get(t, "GET", hs.URL+"/_emulator/web-integrations", nil)
	if !strings.Contains(body, in.ID) || !strings.Contains(body, testWI) {
		t.Fatalf("list %s", body)
	}
	if resp, _ := http.Post(hs.URL+"/_emulator/web-integrations", "application/json", strings.NewReader(`{"id":"x"}`)); resp.StatusCode != 400 {
		t.Fatalf("no origins: %s", resp.Status)
	}
}
