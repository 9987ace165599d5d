package emulator

import (
	"flag"
	"io"
	"reflect"
	"testing"
)

func TestAuthFlags(t *testing.T) {
	parse := func(args ...string) (Config, error) {
		var f AuthFlags
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		f.Register(fs)
		if err := fs.Parse(args); err != nil {
			return Config{}, err
		}
		var cfg Config
		return cfg, f.Apply(&cfg)
	}
	cfg, err := parse("-auth", "cookie", "-web-integration-id", "a,b", "-allowed-origin", "http://x:1", "-allowed-origin", "https://y", "-virtual-proxy", "vp")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"a": {"http://x:1", "https://y"}, "b": {"http://x:1", "https://y"}}
	if cfg.Auth != AuthCookie || !reflect.DeepEqual(cfg.WebIntegrations, want) || !reflect.DeepEqual(cfg.VirtualProxies, []string{"vp"}) {
		t.Fatalf("cfg %+v", cfg)
	}
	if cfg, err := parse(); err != nil || cfg.Auth != "" || cfg.WebIntegrations != nil {
		t.Fatalf("default: %+v %v", cfg, err)
	}
	for _, bad := range [][]string{{"-auth", "basic"}, {"-web-integration-id", "a"}} {
		if _, err := parse(bad...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
