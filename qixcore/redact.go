package qixcore

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces every secret RedactURL, RedactText and RedactError
// mask.
const Redacted = "REDACTED"

// secretNames are query parameter and field names whose values are
// credentials, compared in lower case without '-' and '_': Qlik tickets,
// CSRF tokens and xrfkeys, JWTs, OAuth tokens, API keys and passwords.
var secretNames = map[string]bool{
	"qlikticket": true, "ticket": true, "qlikjwt": true, "jwt": true,
	"accesstoken": true, "idtoken": true, "refreshtoken": true, "token": true, "authtoken": true,
	"qlikcsrftoken": true, "csrftoken": true, "xsrftoken": true, "xqlikxrfkey": true, "xrfkey": true,
	"apikey": true, "password": true, "passwd": true, "pwd": true, "qpassword": true,
	"secret": true, "clientsecret": true, "signature": true, "sig": true,
	"authorization": true, "auth": true, "cookie": true, "session": true, "xqliksession": true,
}

// secretSuffixes catch variants such as myToken or dbPassword.
var secretSuffixes = []string{"token", "secret", "password", "ticket", "jwt", "apikey", "xrfkey"}

// SecretName reports whether a parameter or field called name carries a
// credential (see secretNames), so its value must never be shown.
func SecretName(name string) bool {
	n := strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(name))
	if secretNames[n] {
		return true
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

var (
	// name=value pairs in query strings, form bodies and messages.
	pairRE = regexp.MustCompile(`([A-Za-z][A-Za-z0-9_.%-]*)=([^&#;?=\s"'<>]*)`)
	// "name":"value" in JSON text.
	jsonRE = regexp.MustCompile(`"([A-Za-z][A-Za-z0-9_-]*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"`)
	// Authorization-like header lines: everything after the colon.
	headerRE = regexp.MustCompile(`(?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-qlik-xrfkey|x-qlik-session)(\s*:\s*)[^\r\n"]+`)
	// Bearer and Basic credentials wherever they appear.
	schemeRE = regexp.MustCompile(`(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{4,}`)
	// JWTs (three base64url parts, the first one a JSON object).
	jwtRE = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*`)
	// Passwords in URL userinfo: scheme://user:password@host.
	userinfoRE = regexp.MustCompile(`(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@"]*):[^@\s/"]*@`)
	// Session identities in QIX paths: whoever knows one can attach to the
	// session on engines without per-user auth.
	identityRE = regexp.MustCompile(`(/identity/)[^/?#\s"']+`)
)

// RedactText masks credentials in free text such as an error message: the
// values of secret name=value pairs and "name":"value" JSON fields (see
// SecretName), Authorization/Cookie/xrfkey header values, Bearer and Basic
// credentials, JWTs, URL userinfo passwords and /identity/<x> path
// segments. Everything else is kept, so the text still says what failed.
func RedactText(s string) string {
	if s == "" {
		return s
	}
	s = headerRE.ReplaceAllString(s, "${1}${2}"+Redacted)
	s = schemeRE.ReplaceAllString(s, "${1}${2}"+Redacted)
	s = jwtRE.ReplaceAllString(s, Redacted)
	s = userinfoRE.ReplaceAllString(s, "${1}:"+Redacted+"@")
	s = identityRE.ReplaceAllString(s, "${1}"+Redacted)
	s = pairRE.ReplaceAllStringFunc(s, func(m string) string {
		name, value, _ := strings.Cut(m, "=")
		// Punctuation that ends a sentence or an error ("…=v: cause")
		// stays outside the mask.
		value = strings.TrimRight(value, ":.,)]}")
		if value == "" || value == Redacted {
			return m
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if !SecretName(name) {
			return m
		}
		return name0(m) + Redacted + m[len(name0(m))+len(value):]
	})
	s = jsonRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := jsonRE.FindStringSubmatch(m)
		if !SecretName(sub[1]) || sub[3] == "" {
			return m
		}
		return `"` + sub[1] + `"` + sub[2] + `"` + Redacted + `"`
	})
	return s
}

// name0 is the "name=" head of a name=value match.
func name0(m string) string {
	i := strings.IndexByte(m, '=')
	return m[:i+1]
}

// RedactURL returns an engine URL safe to show in errors and logs: the
// values of secret query parameters (qlikTicket, qlik-csrf-token, jwt, …,
// however their names are escaped) and fragment parameters, userinfo
// passwords, JWTs anywhere and /identity/<x> segments are replaced by
// REDACTED. The rest is kept byte for byte (the URL is not re-encoded), so
// it still says where the client went; malformed URLs are masked as well.
func RedactURL(raw string) string {
	head, frag, hasFrag := strings.Cut(raw, "#")
	base, query, hasQuery := strings.Cut(head, "?")
	out := base
	if hasQuery {
		out += "?" + redactPairs(query)
	}
	if hasFrag {
		out += "#" + redactPairs(frag) // OAuth puts #access_token=… here
	}
	return RedactText(out)
}

// redactPairs masks the values of secret parameters in a query string.
func redactPairs(q string) string {
	parts := strings.Split(q, "&")
	for i, p := range parts {
		name, value, ok := strings.Cut(p, "=")
		if !ok || value == "" {
			continue
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if SecretName(name) {
			parts[i] = p[:len(p)-len(value)] + Redacted
		}
	}
	return strings.Join(parts, "&")
}

// RedactError returns err with credentials masked from its text (see
// RedactText), for errors that may quote a URL or a header: failed dials,
// resumes, HTTP upgrades. errors.Is and errors.As still see the original
// chain; a *url.Error in it gets its URL redacted in place, so the URL is
// not recoverable that way either. err itself is returned when its text
// holds nothing to mask.
func RedactError(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = RedactURL(ue.URL)
	}
	msg := err.Error()
	red := RedactText(msg)
	if red == msg {
		return err
	}
	return &redactedError{msg: red, err: err}
}

// redactedError is an error whose text was redacted; it unwraps to the
// original so its kind can still be tested.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
