package qixcore

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// refURLConfig decodes the page's config with encoding/json, the way the
// wasm did before DecodeURLConfig: the reference DecodeURLConfig must match.
func refURLConfig(data []byte) (URLConfig, error) {
	var c struct {
		Secure        bool        `json:"secure"`
		Host          string      `json:"host"`
		Port          int         `json:"port"`
		Prefix        string      `json:"prefix"`
		Subpath       string      `json:"subpath"`
		Route         string      `json:"route"`
		AppID         string      `json:"appId"`
		Identity      string      `json:"identity"`
		TTL           *int        `json:"ttl"`
		SessionApp    bool        `json:"sessionApp"`
		SessionAppID  string      `json:"sessionAppId"`
		TemplateAppID string      `json:"templateAppId"`
		Params        [][2]string `json:"params"`
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return URLConfig{}, err
	}
	cfg := URLConfig{
		Secure: c.Secure, Host: c.Host, Port: c.Port, Prefix: c.Prefix, Subpath: c.Subpath, Route: c.Route,
		AppID: c.AppID, Identity: c.Identity, TTL: c.TTL, SessionApp: c.SessionApp, SessionAppID: c.SessionAppID,
		TemplateAppID: c.TemplateAppID,
	}
	for _, p := range c.Params {
		cfg.Params = append(cfg.Params, QueryParam{Key: p[0], Value: p[1]})
	}
	return cfg, nil
}

func TestDecodeURLConfigMatchesEncodingJSON(t *testing.T) {
	valid := []string{
		`{}`,
		`null`,
		`{"secure":true,"host":"qlik.example.com","port":443,"prefix":"vp","subpath":"s/t","route":"app","appId":"a b","identity":"i","ttl":30}`,
		`{"host":"h","ttl":0,"sessionApp":true,"sessionAppId":"x","templateAppId":"tpl"}`,
		`{"host":"h","ttl":null,"port":null,"params":null}`,
		`{"host":"h","params":[["qlik-web-integration-id","w"],["k","v","extra"],["only"],[],null,[null,"v"]]}`,
		`{"HOST":"h","AppID":"a","unknown":{"deep":[1,{"x":null}]},"Secure":false}`,
		` { "host" : "h\u00e9\"q" , "route" : "r" } `,
		`{"host":"a","host":"b"}`,
	}
	invalid := []string{
		``,
		`[]`,
		`{"host":1}`,
		`{"port":"9076"}`,
		`{"port":1.5}`,
		`{"secure":"yes"}`,
		`{"params":[["k",1]]}`,
		`{"params":{"k":"v"}}`,
		`{"host":"h"`,
		`{"host":"h"} x`,
	}
	for _, c := range valid {
		want, werr := refURLConfig([]byte(c))
		got, err := DecodeURLConfig([]byte(c))
		if werr != nil || err != nil {
			t.Errorf("%s: errors %v / reference %v", c, err, werr)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got  %+v\n want %+v", c, got, want)
		}
	}
	for _, c := range invalid {
		if _, err := refURLConfig([]byte(c)); err == nil {
			t.Fatalf("%s: the reference accepts it; the case is wrong", c)
		}
		if _, err := DecodeURLConfig([]byte(c)); err == nil || !strings.HasPrefix(err.Error(), "failed to read URL config: ") {
			t.Errorf("%s: err = %v", c, err)
		}
	}
}

func TestBuildURLJSON(t *testing.T) {
	out, err := BuildURLJSON([]byte(`{"host":"h","port":9076,"appId":"Sales <&>","params":[["a","1"]]}`))
	if err != nil {
		t.Fatal(err)
	}
	var u string
	if err := json.Unmarshal(out, &u); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	want, _ := BuildURL(URLConfig{Host: "h", Port: 9076, AppID: "Sales <&>", Params: []QueryParam{{"a", "1"}}})
	if u != want {
		t.Fatalf("BuildURLJSON = %s, want %q", out, want)
	}
	if _, err := BuildURLJSON([]byte(`{"host":""}`)); err == nil {
		t.Fatal("no error for a config BuildURL rejects")
	}
	if _, err := BuildURLJSON([]byte(`{"host":`)); err == nil {
		t.Fatal("no error for broken JSON")
	}
}
