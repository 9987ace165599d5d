package qixcore

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// A JWT-shaped value and other secrets the tests look for in error texts.
const (
	testJWT    = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl"
	testTicket = "TkT-9f8e7d6c5b4a"
	testCSRF   = "csrf-0a1b2c3d4e5f"
	testIdent  = "ident-77aa66bb"
)

var testSecrets = []string{testJWT, testTicket, testCSRF, testIdent, "hunter2", "xrf0123456789abc"}

func noSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, sec := range testSecrets {
		if strings.Contains(s, sec) {
			t.Errorf("%s leaks %q: %s", what, sec, s)
		}
	}
}

func TestSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"qlikTicket": true, "qlik-csrf-token": true, "qlik-jwt": true, "JWT": true, "access_token": true,
		"id_token": true, "X-Qlik-Xrfkey": true, "xrfkey": true, "api-key": true, "qPassword": true,
		"dbPassword": true, "myToken": true, "Authorization": true, "client_secret": true,
		"qlik-web-integration-id": false, "reloadUri": false, "ttl": false, "from": false, "identity": false,
		"qHandle": false, "method": false,
	} {
		if got := SecretName(name); got != want {
			t.Errorf("SecretName(%q) = %v", name, got)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"wss://t.example/app/Sales?qlikTicket=" + testTicket + "&reloadUri=x":            "wss://t.example/app/Sales?qlikTicket=REDACTED&reloadUri=x",
		"wss://t.example/app/A?qlik-web-integration-id=web1&qlik-csrf-token=" + testCSRF: "wss://t.example/app/A?qlik-web-integration-id=web1&qlik-csrf-token=REDACTED",
		"ws://h/app/A?qlik%2Dcsrf%2Dtoken=" + testCSRF:                                   "ws://h/app/A?qlik%2Dcsrf%2Dtoken=REDACTED",
		"ws://h/app/A?jwt=" + testJWT + "&ticket=":                                       "ws://h/app/A?jwt=REDACTED&ticket=",
		"ws://h/app/A/identity/" + testIdent + "/ttl/60?x=1":                             "ws://h/app/A/identity/REDACTED/ttl/60?x=1",
		"ws://bob:hunter2@h/app/A":                                                       "ws://bob:REDACTED@h/app/A",
		"ws://h/vp/" + testJWT + "/app/A":                                                "ws://h/vp/REDACTED/app/A",
		"ws://h/app/engineData":                                                          "ws://h/app/engineData",
		"ws://h/app/A?Xrfkey=xrf0123456789abc":                                           "ws://h/app/A?Xrfkey=REDACTED",
		"::not a url ?qlikTicket=" + testTicket:                                          "::not a url ?qlikTicket=REDACTED",
	} {
		got := RedactURL(in)
		if got != want {
			t.Errorf("RedactURL(%q)\n got %q\nwant %q", in, got, want)
		}
		noSecrets(t, "RedactURL", got)
	}
}

func TestRedactText(t *testing.T) {
	for in, want := range map[string]string{
		`failed to dial: Get "http://h/app/A?qlikTicket=` + testTicket + `": dial tcp: refused`: `failed to dial: Get "http://h/app/A?qlikTicket=REDACTED": dial tcp: refused`,
		"Authorization: Bearer " + testJWT:                 "Authorization: REDACTED",
		"sent bearer " + testTicket + " to the proxy":      "sent bearer REDACTED to the proxy",
		`{"qPassword":"hunter2","qFileName":"a.qvf"}`:      `{"qPassword":"REDACTED","qFileName":"a.qvf"}`,
		"X-Qlik-Xrfkey: xrf0123456789abc":                  "X-Qlik-Xrfkey: REDACTED",
		"token " + testJWT + " expired":                    "token REDACTED expired",
		"qix: GetObject on handle 1 failed: App not found": "qix: GetObject on handle 1 failed: App not found",
		"a=b&token=&c=d":                                   "a=b&token=&c=d",
		"dial ws://h/?ticket=" + testTicket + ": refused":  "dial ws://h/?ticket=REDACTED: refused",
		"dial ws://h/?jwt=" + testJWT + ": refused":        "dial ws://h/?jwt=REDACTED: refused",
		"": "",
	} {
		got := RedactText(in)
		if got != want {
			t.Errorf("RedactText(%q)\n got %q\nwant %q", in, got, want)
		}
		noSecrets(t, "RedactText", got)
	}
}

// secretURL is an engine URL carrying every kind of secret.
func secretURL(base string) string {
	return base + "/app/Sales/identity/" + testIdent + "?qlikTicket=" + testTicket + "&qlik-csrf-token=" + testCSRF + "&jwt=" + testJWT
}

func TestResumeErrorHasNoSecrets(t *testing.T) {
	next := make(chan Transport, 1)
	s, fe, log := resumable(t, SessionOptions{}, next)
	openObjects(t, s, fe)
	if err := s.Suspend(0, ""); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, EventSessionSuspended)
	// A caller's own Dial that quotes its URL.
	s.opts.Dial = func(ctx context.Context) (Transport, error) {
		return nil, fmt.Errorf("my dialer failed on %s", secretURL("wss://t.example"))
	}
	err := s.Resume(context.Background(), false)
	if err == nil {
		t.Fatal("resume succeeded")
	}
	noSecrets(t, "resume error", err.Error())
}

func TestTimeoutAndCancelCodes(t *testing.T) {
	if ErrTimeout.Code != CodeTimeout || ErrCancelled.Code != CodeCancelled {
		t.Fatal("sentinels without their codes")
	}
	if NewClientError(KindTimeout, "", nil).Code != -100 || NewClientError(KindCancelled, "", nil).Code != -101 {
		t.Fatal("documented values changed")
	}
	for _, c := range []int{CodeNotConnected, CodeObjectNotFound, CodeExpectedArrayOfPatches, CodePatchHasNoParent, CodeSessionSuspended, CodeSessionNotAttached} {
		if c == CodeTimeout || c == CodeCancelled {
			t.Fatalf("code %d collides with an enigma.js code", c)
		}
	}
}

// FuzzRedactURL puts a secret in a qlikTicket, a qlik-csrf-token or a
// /identity/ segment of an arbitrary URL: RedactURL must never show it,
// and redacting twice changes nothing.
//
//	go test ./qixcore -run '^$' -fuzz FuzzRedactURL -fuzztime 30s
func FuzzRedactURL(f *testing.F) {
	f.Add("wss://t.example/app/Sales", testTicket, uint8(0))
	f.Add("ws://h:9076/vp/app/A?x=1", testCSRF, uint8(1))
	f.Add("ws://h/app/SessionApp_1?from=Sales#frag", testIdent, uint8(2))
	f.Add("ws://u:p@h/app/", "a b&c=d#e", uint8(0))
	f.Fuzz(func(t *testing.T, base, secret string, where uint8) {
		if len(secret) < 6 || strings.Contains(base, secret) || strings.Contains(Redacted, secret) {
			return
		}
		var u string
		switch where % 3 {
		case 0:
			u = base + "?qlikTicket=" + url.QueryEscape(secret)
		case 1:
			u = base + "?a=1&qlik-csrf-token=" + url.QueryEscape(secret) + "&b=2"
		case 2:
			u = base + "/identity/" + url.PathEscape(secret)
		}
		got := RedactURL(u)
		for _, s := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret)} {
			if strings.Contains(got, s) {
				t.Fatalf("RedactURL(%q) = %q shows %q", u, got, s)
			}
		}
		if again := RedactURL(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", u, got, again)
		}
		if again := RedactText(got); again != got {
			t.Fatalf("RedactText changes RedactURL's output: %q -> %q", got, again)
		}
	})
}
