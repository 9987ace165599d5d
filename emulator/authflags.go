package emulator

import (
	"flag"
	"fmt"
	"strings"
)

// AuthFlags are the command-line flags of the sign-in modes, shared by
// cmd/qix-emulator and cmd/devserver so both spell them the same:
//
//	-auth cookie                 turn on AuthCookie mode
//	-web-integration-id ID       a web integration it knows (repeatable)
//	-allowed-origin ORIGIN       a page Origin those web integrations allow (repeatable, comma-separated)
//	-virtual-proxy PREFIX        an Enterprise virtual proxy prefix it answers (repeatable; default any)
type AuthFlags struct {
	Auth            string
	WebIntegrations listFlag
	AllowedOrigins  listFlag
	VirtualProxies  listFlag
}

// Register adds the flags to fs.
func (f *AuthFlags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Auth, "auth", "", `sign-in mode: "" (none; JWT with -jwt-secret) or "cookie" (browser session cookie, CSRF tokens, web integrations; sign in with POST /_emulator/login)`)
	fs.Var(&f.WebIntegrations, "web-integration-id", "with -auth cookie: a Qlik Cloud web integration id the emulator knows (repeat or comma-separate)")
	fs.Var(&f.AllowedOrigins, "allowed-origin", "with -auth cookie: a page Origin the web integrations allow, e.g. http://127.0.0.1:8080 (repeat or comma-separate)")
	fs.Var(&f.VirtualProxies, "virtual-proxy", "with -auth cookie: a Qlik Sense Enterprise virtual proxy prefix answered at /<prefix>/qps/csrftoken (repeat; default any)")
}

// Apply checks the flags and sets cfg's sign-in fields.
func (f *AuthFlags) Apply(cfg *Config) error {
	switch f.Auth {
	case "":
		if len(f.WebIntegrations)+len(f.AllowedOrigins)+len(f.VirtualProxies) > 0 {
			return fmt.Errorf("failed to read flags: -web-integration-id, -allowed-origin and -virtual-proxy need -auth cookie")
		}
		return nil
	case AuthCookie:
	default:
		return fmt.Errorf("failed to read flags: -auth %q: want %q or nothing", f.Auth, AuthCookie)
	}
	cfg.Auth = AuthCookie
	cfg.WebIntegrations = map[string][]string{}
	for _, id := range f.WebIntegrations {
		cfg.WebIntegrations[id] = append([]string(nil), f.AllowedOrigins...)
	}
	cfg.VirtualProxies = append([]string(nil), f.VirtualProxies...)
	return nil
}

// listFlag is a repeatable, comma-separated string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}
