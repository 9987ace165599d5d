package qixcore

import (
	"fmt"
	"net/netip"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestBuildURL(t *testing.T) {
	ttl := func(n int) *int { return &n }
	tests := []struct {
		name string
		cfg  URLConfig
		want string
	}{
		{"minimal", URLConfig{Host: "localhost"}, "ws://localhost/app/"},
		{"app", URLConfig{Host: "localhost", AppID: "doc.qvf"}, "ws://localhost/app/doc.qvf"},
		{"secure", URLConfig{Secure: true, Host: "t.qlikcloud.com", AppID: "a"}, "wss://t.qlikcloud.com/app/a"},
		{"port", URLConfig{Host: "localhost", Port: 9076, AppID: "a"}, "ws://localhost:9076/app/a"},
		{"host with port", URLConfig{Host: "localhost:19076", AppID: "a"}, "ws://localhost:19076/app/a"},
		{"ipv6 bare", URLConfig{Host: "::1", Port: 9076, AppID: "a"}, "ws://[::1]:9076/app/a"},
		{"ipv6 bracketed", URLConfig{Host: "[::1]", AppID: "a"}, "ws://[::1]/app/a"},
		{"ipv6 with port", URLConfig{Host: "[::1]:80", AppID: "a"}, "ws://[::1]:80/app/a"},
		{"idn host", URLConfig{Host: "bücher.example", AppID: "a"}, "ws://bücher.example/app/a"},
		{"prefix", URLConfig{Host: "h", Prefix: "/vp/", AppID: "a"}, "ws://h/vp/app/a"},
		{"prefix multi", URLConfig{Host: "h", Prefix: "a b//c/", AppID: "x"}, "ws://h/a%20b/c/app/x"},
		{"subpath", URLConfig{Host: "h", Prefix: "vp", Subpath: "sub", AppID: "a"}, "ws://h/vp/sub/app/a"},
		{"route", URLConfig{Host: "h", Route: "app/engineData"}, "ws://h/app/engineData/"},
		{"route and app", URLConfig{Host: "h", Route: "/custom/", AppID: "a"}, "ws://h/custom/a"},
		{"app escaped", URLConfig{Host: "h", AppID: "/apps/my app?.qvf"}, "ws://h/app/%2Fapps%2Fmy%20app%3F.qvf"},
		{"app unicode", URLConfig{Host: "h", AppID: "räksmörgås#1"}, "ws://h/app/r%C3%A4ksm%C3%B6rg%C3%A5s%231"},
		{"identity", URLConfig{Host: "h", AppID: "a", Identity: "x/y"}, "ws://h/app/a/identity/x%2Fy"},
		{"identity no app", URLConfig{Host: "h", Identity: "x"}, "ws://h/app/identity/x"},
		{"ttl", URLConfig{Host: "h", AppID: "a", TTL: ttl(30)}, "ws://h/app/a/ttl/30"},
		{"ttl zero", URLConfig{Host: "h", AppID: "a", TTL: ttl(0)}, "ws://h/app/a/ttl/0"},
		{"ttl infinite", URLConfig{Host: "h", AppID: "a", TTL: ttl(-1)}, "ws://h/app/a/ttl/-1"},
		{"identity and ttl", URLConfig{Host: "h", AppID: "a", Identity: "i", TTL: ttl(5)}, "ws://h/app/a/identity/i/ttl/5"},
		{"session app fixed", URLConfig{Host: "h", SessionApp: true, SessionAppID: "abc"}, "ws://h/app/SessionApp_abc"},
		{"session app id implies", URLConfig{Host: "h", SessionAppID: "SessionApp_abc"}, "ws://h/app/SessionApp_abc"},
		{"template", URLConfig{Host: "h", SessionAppID: "s", TemplateAppID: "tpl id"}, "ws://h/app/SessionApp_s?from=tpl%20id"},
		{"params ordered", URLConfig{Host: "h", AppID: "a", Params: []QueryParam{
			{"qlik-web-integration-id", "w i"}, {"qlik-csrf-token", "a+b&c=d"}, {"qlikTicket", ""},
		}}, "ws://h/app/a?qlik-web-integration-id=w%20i&qlik-csrf-token=a%2Bb%26c%3Dd&qlikTicket="},
		{"template then params", URLConfig{Host: "h", SessionAppID: "s", TemplateAppID: "t", Params: []QueryParam{{"k", "v"}}}, "ws://h/app/SessionApp_s?from=t&k=v"},
		{"everything", URLConfig{
			Secure: true, Host: "h", Port: 443, Prefix: "vp", Subpath: "s", Route: "app",
			SessionAppID: "x", Identity: "me", TTL: ttl(60), TemplateAppID: "t",
			Params: []QueryParam{{"b", "2"}, {"a", "1"}},
		}, "wss://h:443/vp/s/app/SessionApp_x/identity/me/ttl/60?from=t&b=2&a=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := BuildURL(tt.cfg)
			if err != nil {
				t.Fatalf("BuildURL: %v", err)
			}
			if got != tt.want {
				t.Errorf("BuildURL =\n %s\nwant\n %s", got, tt.want)
			}
			if _, err := url.Parse(got); err != nil {
				t.Errorf("url.Parse: %v", err)
			}
		})
	}
}

func TestBuildURLErrors(t *testing.T) {
	ttl := -2
	tests := []struct {
		name string
		cfg  URLConfig
		want string
	}{
		{"no host", URLConfig{}, "host is required"},
		{"host with path", URLConfig{Host: "h/x"}, "contains"},
		{"host with scheme", URLConfig{Host: "wss://h"}, "bad port"},
		{"ipv6 zone", URLConfig{Host: "fe80::1%eth0"}, "IPv6"},
		{"ipv4 in brackets", URLConfig{Host: "[1.2.3.4]"}, "only for IPv6"},
		{"bracket junk", URLConfig{Host: "[::1]x"}, "stray brackets"},
		{"unclosed bracket", URLConfig{Host: "[::1"}, "stray brackets"},
		{"port sign", URLConfig{Host: "h:+80"}, "bad port"},
		{"empty port", URLConfig{Host: "h:"}, "bad port"},
		{"host with user", URLConfig{Host: "u@h"}, "contains"},
		{"host with space", URLConfig{Host: "h h"}, "contains"},
		{"port twice", URLConfig{Host: "h:1", Port: 2}, "already has a port"},
		{"bad host port", URLConfig{Host: "h:x"}, "bad port"},
		{"port zero in host", URLConfig{Host: "h:0"}, "bad port"},
		{"port range", URLConfig{Host: "h", Port: 70000}, "out of range"},
		{"negative port", URLConfig{Host: "h", Port: -1}, "out of range"},
		{"bad ipv6", URLConfig{Host: "a:b:c"}, "IPv6"},
		{"empty brackets", URLConfig{Host: "[]"}, "no name"},
		{"stray bracket", URLConfig{Host: "h]"}, "contains"},
		{"host with backtick", URLConfig{Host: "`"}, "contains"},
		{"host bad utf8", URLConfig{Host: "h\xff"}, "UTF-8"},
		{"host idn", URLConfig{Host: "h%41"}, "contains"},
		{"dot app", URLConfig{Host: "h", AppID: ".."}, "dot segment"},
		{"dot prefix", URLConfig{Host: "h", Prefix: "a/./b"}, "dot segment"},
		{"dot identity", URLConfig{Host: "h", Identity: "."}, "dot segment"},
		{"empty route", URLConfig{Host: "h", Route: "///"}, "route has no segments"},
		{"app and session", URLConfig{Host: "h", AppID: "a", SessionApp: true}, "mutually exclusive"},
		{"session prefix only", URLConfig{Host: "h", SessionAppID: "SessionApp_"}, "no id after"},
		{"template without session", URLConfig{Host: "h", AppID: "a", TemplateAppID: "t"}, "needs a session app"},
		{"ttl below -1", URLConfig{Host: "h", TTL: &ttl}, "below -1"},
		{"empty key", URLConfig{Host: "h", Params: []QueryParam{{"", "v"}}}, "empty key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := BuildURL(tt.cfg)
			if err == nil {
				t.Fatalf("BuildURL = %q, want error", got)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "failed to build URL") {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestBuildURLSessionAppRandom(t *testing.T) {
	re := regexp.MustCompile(`^ws://h/app/SessionApp_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\?from=t$`)
	a, err := BuildURL(URLConfig{Host: "h", SessionApp: true, TemplateAppID: "t"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := BuildURL(URLConfig{Host: "h", SessionApp: true, TemplateAppID: "t"})
	if !re.MatchString(a) || !re.MatchString(b) {
		t.Fatalf("session app URLs %q, %q do not match %v", a, b, re)
	}
	if a == b {
		t.Fatalf("two session app URLs share the id %q", a)
	}
}

func TestBuildURLDoesNotMutate(t *testing.T) {
	ttl := 5
	cfg := URLConfig{Host: "h", SessionApp: true, TTL: &ttl, Params: []QueryParam{{"a", "b c"}}}
	before := cfg
	before.Params = append([]QueryParam(nil), cfg.Params...)
	if _, err := BuildURL(cfg); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, before) || ttl != 5 {
		t.Fatalf("BuildURL changed its input: %+v", cfg)
	}
}

func TestPresetURLs(t *testing.T) {
	tests := []struct {
		name string
		fn   func() (string, error)
		want string
	}{
		{"core", func() (string, error) { return CoreURL("engine", "my doc.qvf") }, "ws://engine:9076/app/my%20doc.qvf"},
		{"core default host", func() (string, error) { return CoreURL("", "d") }, "ws://localhost:9076/app/d"},
		{"core own port", func() (string, error) { return CoreURL("engine:1234", "d") }, "ws://engine:1234/app/d"},
		{"core no doc", func() (string, error) { return CoreURL("engine", "") }, "ws://engine:9076/app/"},
		{"cloud", func() (string, error) { return CloudURL("acme.eu.qlikcloud.com", "123e4567") }, "wss://acme.eu.qlikcloud.com/app/123e4567"},
		{"cloud pasted", func() (string, error) { return CloudURL("HTTPS://acme.eu.qlikcloud.com/", "a") }, "wss://acme.eu.qlikcloud.com/app/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.fn()
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if _, err := CloudURL("", "a"); err == nil {
		t.Fatal("CloudURL with no tenant: want error")
	}
}

func FuzzBuildURL(f *testing.F) {
	f.Add(false, "localhost", 0, "", "", "", "doc.qvf", "", -2, false, "", "", "k", "v")
	f.Add(true, "t.qlikcloud.com", 443, "/vp/", "s", "app", "a b/c", "me", 30, false, "", "", "qlik-web-integration-id", "x&y")
	f.Add(false, "::1", 9076, "a//b", "", "", "", "i", -1, true, "", "tpl", "", "")
	f.Add(true, "h:80", 0, "", "", "custom/route", "", "", 0, true, "SessionApp_x", "t", "a", "+ %")
	f.Fuzz(func(t *testing.T, secure bool, host string, port int, prefix, subpath, route, appID, identity string,
		ttl int, session bool, sessionID, template, key, value string) {
		cfg := URLConfig{
			Secure: secure, Host: host, Port: port, Prefix: prefix, Subpath: subpath, Route: route,
			AppID: appID, Identity: identity, SessionApp: session, SessionAppID: sessionID, TemplateAppID: template,
		}
		if ttl > -3 {
			cfg.TTL = &ttl
		}
		if key != "" || value != "" {
			cfg.Params = []QueryParam{{key, value}, {"z", value}}
		}
		snapshot := cfg
		snapshot.Params = append([]QueryParam(nil), cfg.Params...)
		ttlBefore := ttl

		got, err := BuildURL(cfg)
		if !reflect.DeepEqual(cfg, snapshot) || ttl != ttlBefore {
			t.Fatalf("input mutated: %+v", cfg)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "failed to build URL") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if strings.HasSuffix(got, "?") || strings.HasSuffix(got, "&") {
			t.Fatalf("trailing separator in %q", got)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("url.Parse(%q): %v", got, err)
		}
		if want := map[bool]string{false: "ws", true: "wss"}[secure]; u.Scheme != want {
			t.Fatalf("scheme %q, want %q", u.Scheme, want)
		}
		if u.User != nil || u.Fragment != "" || u.Opaque != "" {
			t.Fatalf("unexpected parts in %q", got)
		}
		path := u.EscapedPath()
		if strings.Contains(path, "//") {
			t.Fatalf("double slash in %q", got)
		}
		var segs []string
		for _, s := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
			d, err := url.PathUnescape(s)
			if err != nil {
				t.Fatalf("segment %q of %q: %v", s, got, err)
			}
			segs = append(segs, d)
		}
		var want []string
		for _, p := range []string{prefix, subpath, map[bool]string{true: route, false: "app"}[route != ""]} {
			for _, s := range strings.Split(p, "/") {
				if s != "" {
					want = append(want, s)
				}
			}
		}
		app := appID
		if session || sessionID != "" {
			app = sessionID
			if !strings.HasPrefix(app, sessionAppPrefix) {
				app = sessionAppPrefix + app
			}
		}
		switch {
		case app != "":
			want = append(want, app)
		case identity == "" && cfg.TTL == nil:
			want = append(want, "")
		}
		if identity != "" {
			want = append(want, "identity", identity)
		}
		if cfg.TTL != nil {
			want = append(want, "ttl", fmt.Sprint(ttl))
		}
		if (session || sessionID != "") && sessionID == "" {
			// random id: check the prefix only
			for i, s := range want {
				if s == sessionAppPrefix && i < len(segs) && strings.HasPrefix(segs[i], sessionAppPrefix) {
					want[i] = segs[i]
				}
			}
		}
		if !reflect.DeepEqual(segs, want) {
			t.Fatalf("segments of %q = %q, want %q", got, segs, want)
		}
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			t.Fatalf("query of %q: %v", got, err)
		}
		if template != "" && q.Get("from") != template {
			t.Fatalf("from=%q, want %q", q.Get("from"), template)
		}
		if len(cfg.Params) > 0 && (q["z"][len(q["z"])-1] != value || !slices.Contains(q[key], value)) {
			t.Fatalf("query %v lost %q=%q", q, key, value)
		}
	})
}

func ExampleBuildURL() {
	u, err := BuildURL(URLConfig{
		Secure:   true,
		Host:     "acme.eu.qlikcloud.com",
		AppID:    "123e4567-e89b-12d3-a456-426655440000",
		Identity: "tab 2",
		TTL:      new(60),
		Params:   []QueryParam{{Key: "qlik-web-integration-id", Value: "abc123"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(u)

	core, _ := CoreURL("localhost", "drugcases.qvf")
	fmt.Println(core)
	// Output:
	// wss://acme.eu.qlikcloud.com/app/123e4567-e89b-12d3-a456-426655440000/identity/tab%202/ttl/60?qlik-web-integration-id=abc123
	// ws://localhost:9076/app/drugcases.qvf
}

func TestValidIPv6(t *testing.T) {
	for _, s := range []string{"::", "::1", "1::", "1:2:3:4:5:6:7:8", "1::8", "::ffff:1.2.3.4", "1:2:3:4:5:6:1.2.3.4",
		"fe80::1", "FE80::abcd:1", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
		"", ":", ":::", "1:2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "12345::", "g::", "1:", ":1",
		"::1.2.3", "::1.2.3.04", "::256.1.1.1", "1.2.3.4", "::1.2.3.4:5", "fe80::1%eth0", "1:2:3:4:5:6:7:1.2.3.4", "::+1.2.3.4"} {
		addr, err := netip.ParseAddr(s)
		want := err == nil && addr.Is6() && addr.Zone() == ""
		if got := validIPv6(s); got != want {
			t.Errorf("validIPv6(%q) = %v, netip says %v", s, got, want)
		}
	}
}

func FuzzValidIPv6(f *testing.F) {
	for _, s := range []string{"::1", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4", "1::2::3", "fe80::1%x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		addr, err := netip.ParseAddr(s)
		want := err == nil && addr.Is6() && addr.Zone() == ""
		if got := validIPv6(s); got != want {
			t.Fatalf("validIPv6(%q) = %v, netip says %v", s, got, want)
		}
	})
}
