package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// errNoToken is returned in JWT mode when a connect request carries no token.
var errNoToken = errors.New("no JWT")

// authenticate returns the user of a connect request: "" without JWT mode,
// else the sub claim of a valid HS256 token taken from the Authorization
// header or, for browsers that cannot set headers, a qlik-jwt / jwt query
// parameter or cookie.
func (s *Server) authenticate(r *http.Request) (string, error) {
	if s.cfg.JWTSecret == "" {
		return "", nil
	}
	tok := bearer(r)
	if tok == "" {
		return "", errNoToken
	}
	t, err := jwt.Parse(tok, func(*jwt.Token) (any, error) {
		return []byte(s.cfg.JWTSecret), nil
	}, jwt.WithValidMethods([]string{"HS256"}))
	if err != nil {
		return "", fmt.Errorf("failed to verify JWT: %w", err)
	}
	sub, err := t.Claims.GetSubject()
	if err != nil {
		return "", fmt.Errorf("failed to read JWT subject: %w", err)
	}
	if sub == "" {
		return "", fmt.Errorf("failed to read JWT subject: empty sub claim")
	}
	return sub, nil
}

// bearer finds the token of a request.
func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
			return strings.TrimSpace(h[7:])
		}
	}
	q := r.URL.Query()
	for _, n := range []string{"qlik-jwt", "jwt"} {
		if v := q.Get(n); v != "" {
			return v
		}
	}
	for _, n := range []string{"qlik-jwt", "jwt"} {
		if c, err := r.Cookie(n); err == nil && c.Value != "" {
			return c.Value
		}
	}
	return ""
}
