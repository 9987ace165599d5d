package qixcore

import (
	"math/rand/v2"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The regexp and net/url redaction that the hand-written scanners in
// redact_scan.go replaced, kept here only as the oracle of the
// differential tests below: the scanners must give the same text for every
// input.

var (
	oraclePairRE     = regexp.MustCompile(`([A-Za-z][A-Za-z0-9_.%-]*)=([^&#;?=\s"'<>]*)`)
	oracleJSONRE     = regexp.MustCompile(`"([A-Za-z][A-Za-z0-9_-]*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"`)
	oracleHeaderRE   = regexp.MustCompile(`(?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-qlik-xrfkey|x-qlik-session)(\s*:\s*)[^\r\n"]+`)
	oracleSchemeRE   = regexp.MustCompile(`(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{4,}`)
	oracleJWTRE      = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*`)
	oracleUserinfoRE = regexp.MustCompile(`(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@"]*):[^@\s/"]*@`)
	oracleIdentityRE = regexp.MustCompile(`(/identity/)[^/?#\s"']+`)
)

var oracleSecretNames = map[string]bool{
	"qlikticket": true, "ticket": true, "qlikjwt": true, "jwt": true,
	"accesstoken": true, "idtoken": true, "refreshtoken": true, "token": true, "authtoken": true,
	"qlikcsrftoken": true, "csrftoken": true, "xsrftoken": true, "xqlikxrfkey": true, "xrfkey": true,
	"apikey": true, "password": true, "passwd": true, "pwd": true, "qpassword": true,
	"secret": true, "clientsecret": true, "signature": true, "sig": true,
	"authorization": true, "auth": true, "cookie": true, "session": true, "xqliksession": true,
}

var oracleSecretSuffixes = []string{"token", "secret", "password", "ticket", "jwt", "apikey", "xrfkey"}

func oracleSecretName(name string) bool {
	n := strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(name))
	if oracleSecretNames[n] {
		return true
	}
	for _, s := range oracleSecretSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

func oracleRedactText(s string) string {
	if s == "" {
		return s
	}
	s = oracleHeaderRE.ReplaceAllString(s, "${1}${2}"+Redacted)
	s = oracleSchemeRE.ReplaceAllString(s, "${1}${2}"+Redacted)
	s = oracleJWTRE.ReplaceAllString(s, Redacted)
	s = oracleUserinfoRE.ReplaceAllString(s, "${1}:"+Redacted+"@")
	s = oracleIdentityRE.ReplaceAllString(s, "${1}"+Redacted)
	s = oraclePairRE.ReplaceAllStringFunc(s, func(m string) string {
		name, value, _ := strings.Cut(m, "=")
		value = strings.TrimRight(value, ":.,)]}")
		if value == "" || value == Redacted {
			return m
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if !oracleSecretName(name) {
			return m
		}
		head := m[:strings.IndexByte(m, '=')+1]
		return head + Redacted + m[len(head)+len(value):]
	})
	s = oracleJSONRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := oracleJSONRE.FindStringSubmatch(m)
		if !oracleSecretName(sub[1]) || sub[3] == "" {
			return m
		}
		return `"` + sub[1] + `"` + sub[2] + `"` + Redacted + `"`
	})
	return s
}

func oracleRedactURL(raw string) string {
	head, frag, hasFrag := strings.Cut(raw, "#")
	base, query, hasQuery := strings.Cut(head, "?")
	out := base
	if hasQuery {
		out += "?" + oracleRedactPairs(query)
	}
	if hasFrag {
		out += "#" + oracleRedactPairs(frag)
	}
	return oracleRedactText(out)
}

func oracleRedactPairs(q string) string {
	parts := strings.Split(q, "&")
	for i, p := range parts {
		name, value, ok := strings.Cut(p, "=")
		if !ok || value == "" {
			continue
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if oracleSecretName(name) {
			parts[i] = p[:len(p)-len(value)] + Redacted
		}
	}
	return strings.Join(parts, "&")
}

// oracleSeeds are texts on the edges of the old patterns: Unicode case
// folding (K is U+212A KELVIN SIGN, ſ U+017F LONG S, both matched by (?i)
// k and s), word boundaries next to them, whitespace and line ends around
// header colons, escapes in JSON strings, invalid UTF-8, and the leftmost
// of overlapping candidates.
var oracleSeeds = []string{
	"", "a", "Authorization: Bearer abcd", "authorization:\n", "Authorization : \t\r\nx", "Cookie: \t\n",
	"Cookie:\t \n\"", "Cookie:  \r \n", "COOKIE:a\"b", "cooKie: v", "xſet-cookie: v", "set-cooKie:v", "ſet-cookie: v",
	"proxy-authorization:: x", "X-QLIK-SESSION\f:\fv\r\nnext", "x-qlik-xrfkey:\"", "aAuthorization: x", "_cookie: x",
	"bearer abcd", "Bearer abc", "basic  ſſſſ", "BASIC KKKK", "xbearer abcd", "é bearer abcd", "bearer\nab.cd/e=",
	"bearer abcKde", "bearer ab\xffcd", "Basic\tdXNlcjpwYXNz==", "-bearer ----",
	"eyJab.cd.ef", "eyJa.cd.ef", "eyJab.c.ef", "eyJab.cd.", "eyJeyJab.cd.ef.gh", "xeyJab.cd", "eyJab.cdeyJxy.zw.q",
	"ws://u:p@h/", "WS://u:p@h", "ſ://u:p@h", "xK://u:p@h", "KK://u:p@h", "1ws://u:p@h", "_ws://u:p@h", "a.b+c-d://u:@h",
	"ws://u:p:q@h", "ws://:p@h", "ws://u@h", "ws://u:p h@x", "ws://u:p/@h", "a ws ws://x:y@z b://c:d@e", "é://u:p@h",
	"wss://ſ:p@h", "ws://u:\xff@h",
	"/identity/abc", "/identity/", "/identity//identity/x", "/identity/a b", "x/identity/é?y", "/Identity/x",
	"token=abc", "9token=abc", "a.token=x", "%74oken=abc", "to%ZZken=abc", "token=abc.", "token=:", "token=REDACTED",
	"token=REDACTED.", "token=abc)]}x", "my-token=a&b_secret=c;password=d", "x=token=y", "qlik%2Dcsrf%2Dtoken=x",
	"TOKEN=x", "toKen=x", "t+oken=x", "token=a\xffb", "==token=a", "tok en=a",
	`{"qPassword":"hunter2"}`, `{"token" : "a\"b"}`, `{"token":"a\`, `{"token":"a\` + "\n" + `"}`, `{"token":""}`,
	`"token"` + "\n:\r" + `"x"`, `""token":"x"`, `"9token":"x"`, `"to.ken":"x"`, `"my_token":"\\"`, `"token":"\é"`,
	`"a":"b","token":"c"`, `"token":"x`, `"token": "a" "b"`, `"password":"eyJab.cd.ef"`,
	"|", "token|jwt", "jwt|", "|jwt|", "ticket|x", "Q-P_A_S_S-WORD", "\u212Aey", "si|g", "TO\u212AEN", "x_secret",
	"?a&&token=x&=y&token&token=&", "?%74oken=a&to%zzken=b&t+oken=c", "?token=a=b&jwt==", "#token=x?y=z",
	"dial ws://h/?ticket=abc: refused", `Get "http://u:pw@h/app/A?qlikTicket=x&jwt=eyJab.cd.ef#access_token=z": x`,
}

func TestRedactMatchesOracle(t *testing.T) {
	for _, s := range oracleSeeds {
		if got, want := RedactText(s), oracleRedactText(s); got != want {
			t.Errorf("RedactText(%q)\n got %q\nwant %q", s, got, want)
		}
		if got, want := RedactURL(s), oracleRedactURL(s); got != want {
			t.Errorf("RedactURL(%q)\n got %q\nwant %q", s, got, want)
		}
		if got, want := SecretName(s), oracleSecretName(s); got != want {
			t.Errorf("SecretName(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestQueryUnescapeMatchesNetURL(t *testing.T) {
	for _, s := range []string{"", "a", "%", "%4", "%41", "%4g", "a+b", "%2D%2d", "%%41", "x%41%", "+%2B+", "\xff%FF"} {
		got, ok := queryUnescape(s)
		want, err := url.QueryUnescape(s)
		if ok != (err == nil) || (ok && got != want) {
			t.Errorf("queryUnescape(%q) = %q, %v; net/url: %q, %v", s, got, ok, want, err)
		}
	}
}

// FuzzRedactOracle checks the scanners against the old regexp redaction
// on arbitrary text, as RedactText, RedactURL and SecretName.
//
//	go test ./qixcore -run '^$' -fuzz FuzzRedactOracle -fuzztime 30s
func FuzzRedactOracle(f *testing.F) {
	for _, s := range oracleSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := RedactText(s), oracleRedactText(s); got != want {
			t.Fatalf("RedactText(%q)\n got %q\nwant %q", s, got, want)
		}
		if got, want := RedactURL(s), oracleRedactURL(s); got != want {
			t.Fatalf("RedactURL(%q)\n got %q\nwant %q", s, got, want)
		}
		if got, want := SecretName(s), oracleSecretName(s); got != want {
			t.Fatalf("SecretName(%q) = %v, want %v", s, got, want)
		}
		got, ok := queryUnescape(s)
		want, err := url.QueryUnescape(s)
		if ok != (err == nil) || (ok && got != want) {
			t.Fatalf("queryUnescape(%q) = %q, %v; net/url: %q, %v", s, got, ok, want, err)
		}
	})
}

// oracleTokens are the pieces the old patterns were made of, so that
// texts built from them reach the patterns' edges far more often than
// random bytes do.
var oracleTokens = []string{
	"authorization", "Proxy-Authorization", "cookie", "Set-Cookie", "x-qlik-xrfkey", "X-Qlik-Session",
	"coo\u212Aie", "\u017Fet-cookie", "bearer", "Basic", "ba\u017Fic", "\u212A", "\u017F", "\u00e9", "\xff", "\xe2\x84",
	" ", "\t", "\n", "\r", "\f", "\v", ":", "=", "&", "#", "?", ";", ",", ".", ")", "}", "\"", "'", "\\", "<", ">",
	"/", "@", "://", "ws", "wss://", "http://", "u", "p", "h", "9", "_", "-", "+", "%", "%2D", "%zz", "a", "Z",
	"eyJ", "ab", "eyJhbGciOiJIUzI1NiJ9", "/identity/", "token", "Ticket", "qlik-csrf-token", "jwt", "passwd",
	"REDACTED", "name", "{", "[", "x",
}

// oracleText builds a text from data, one token per byte.
func oracleText(data []byte) string {
	var b strings.Builder
	for _, c := range data {
		b.WriteString(oracleTokens[int(c)%len(oracleTokens)])
	}
	return b.String()
}

func checkOracle(t *testing.T, s string) {
	t.Helper()
	if got, want := RedactText(s), oracleRedactText(s); got != want {
		t.Fatalf("RedactText(%q)\n got %q\nwant %q", s, got, want)
	}
	if got, want := RedactURL(s), oracleRedactURL(s); got != want {
		t.Fatalf("RedactURL(%q)\n got %q\nwant %q", s, got, want)
	}
}

// TestRedactMatchesOracleOnTokenTexts compares the scanners with the old
// regexps on pseudo-random texts made of the patterns' pieces (a fixed
// seed, so a failure repeats).
func TestRedactMatchesOracleOnTokenTexts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 24)
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		data = data[:1+rng.IntN(cap(data))]
		for i := range data {
			data[i] = byte(rng.IntN(256))
		}
		checkOracle(t, oracleText(data))
	}
}

// FuzzRedactOracleTokens is FuzzRedactOracle on texts made of the
// patterns' pieces (see oracleText).
//
//	go test ./qixcore -run '^$' -fuzz FuzzRedactOracleTokens -fuzztime 30s
func FuzzRedactOracleTokens(f *testing.F) {
	f.Add([]byte{0, 16, 22, 16, 17})
	f.Add([]byte{48, 49, 39, 49, 46, 35, 40, 41})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkOracle(t, oracleText(data))
	})
}
