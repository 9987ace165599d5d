package qixcore

import "strings"

// Redacted replaces every secret RedactURL, RedactText and RedactError
// mask.
const Redacted = "REDACTED"

// secretNames are query parameter and field names whose values are
// credentials, compared in lower case without '-' and '_': Qlik tickets,
// CSRF tokens and xrfkeys, JWTs, OAuth tokens, API keys and passwords. One
// '|'-separated string rather than a map: smaller in qix.wasm.
const secretNames = "|qlikticket|ticket|qlikjwt|jwt" +
	"|accesstoken|idtoken|refreshtoken|token|authtoken" +
	"|qlikcsrftoken|csrftoken|xsrftoken|xqlikxrfkey|xrfkey" +
	"|apikey|password|passwd|pwd|qpassword" +
	"|secret|clientsecret|signature|sig" +
	"|authorization|auth|cookie|session|xqliksession|"

// secretSuffixes catch variants such as myToken or dbPassword.
var secretSuffixes = [...]string{"token", "secret", "password", "ticket", "jwt", "apikey", "xrfkey"}

// dropSeparators removes every '-' and '_' so that qlik-csrf-token,
// qlik_csrf_token and qlikCsrfToken compare alike.
func dropSeparators(s string) string {
	if strings.IndexByte(s, '-') < 0 && strings.IndexByte(s, '_') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '-' && s[i] != '_' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// SecretName reports whether a parameter or field called name carries a
// credential (see secretNames), so its value must never be shown.
func SecretName(name string) bool {
	n := strings.ToLower(dropSeparators(name))
	if n != "" && strings.IndexByte(n, '|') < 0 && strings.Contains(secretNames, "|"+n+"|") {
		return true
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// RedactText masks credentials in free text such as an error message: the
// values of secret name=value pairs and "name":"value" JSON fields (see
// SecretName), Authorization/Cookie/xrfkey header values, Bearer and Basic
// credentials, JWTs, URL userinfo passwords and /identity/<x> path
// segments. Everything else is kept, so the text still says what failed.
// Each kind is one pass of a scanner in redact_scan.go, in this order.
func RedactText(s string) string {
	if s == "" {
		return s
	}
	s = redactHeaders(s)
	s = redactSchemes(s)
	s = redactJWTs(s)
	s = redactUserinfo(s)
	s = redactIdentities(s)
	s = redactTextPairs(s)
	s = redactJSONFields(s)
	return s
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

// redactPairs masks the values of secret parameters in a query string:
// in each &-separated part, what follows the first '=' when the part's
// name, unescaped, is a SecretName.
func redactPairs(q string) string {
	r := redactor{src: q}
	for i := 0; i <= len(q); {
		end := strings.IndexByte(q[i:], '&')
		if end < 0 {
			end = len(q)
		} else {
			end += i
		}
		if eq := strings.IndexByte(q[i:end], '='); eq >= 0 && i+eq+1 < end {
			name := q[i : i+eq]
			if n, ok := queryUnescape(name); ok {
				name = n
			}
			if SecretName(name) {
				r.replace(i+eq+1, end, Redacted)
			}
		}
		i = end + 1
	}
	return r.String()
}

// RedactError returns err with credentials masked from its text (see
// RedactText), for errors that may quote a URL or a header: failed dials,
// resumes, HTTP upgrades. errors.Is and errors.As still see the original
// chain; a *url.Error in it gets its URL redacted in place, so the URL is
// not recoverable that way either (redact_native.go, redact_js.go). err
// itself is returned when its text holds nothing to mask.
func RedactError(err error) error {
	if err == nil {
		return nil
	}
	redactURLError(err)
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
