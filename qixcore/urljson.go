package qixcore

import (
	"strings"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
	"github.com/qix-wasm/qix-wasm/internal/jsonr"
	"github.com/qix-wasm/qix-wasm/internal/jsonw"
)

// BuildURLJSON is BuildURL for the page: config is a URLConfig as the page
// spells it in JSON (camelCase members; params as [key, value] pairs, to
// keep their order) and the URL comes back as a JSON string. It reads JSON
// with internal/jsonr rather than encoding/json, whose reflection would
// cost qix.wasm about 130 KB brotli.
func BuildURLJSON(config []byte) ([]byte, error) {
	cfg, err := DecodeURLConfig(config)
	if err != nil {
		return nil, err
	}
	u, err := BuildURL(cfg)
	if err != nil {
		return nil, err
	}
	var w jsonw.Writer
	w.String(u)
	return w.BuildBytes()
}

// DecodeURLConfig reads the page's JSON URL config. Like encoding/json, it
// matches member names without regard to case, ignores unknown members and
// treats null as absent; a value of the wrong type is an error.
func DecodeURLConfig(data []byte) (URLConfig, error) {
	var c URLConfig
	l := jsonr.Lexer{Data: data}
	if l.IsNull() {
		l.Skip()
		l.Consumed()
		return c, urlConfigError(l.Error())
	}
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		key := strings.ToLower(l.UnsafeFieldName(false))
		l.WantColon()
		if l.IsNull() {
			l.Skip()
			l.WantComma()
			continue
		}
		switch key {
		case "secure":
			c.Secure = l.Bool()
		case "host":
			c.Host = l.String()
		case "port":
			c.Port = l.Int()
		case "prefix":
			c.Prefix = l.String()
		case "subpath":
			c.Subpath = l.String()
		case "route":
			c.Route = l.String()
		case "appid":
			c.AppID = l.String()
		case "identity":
			c.Identity = l.String()
		case "ttl":
			ttl := l.Int()
			c.TTL = &ttl
		case "sessionapp":
			c.SessionApp = l.Bool()
		case "sessionappid":
			c.SessionAppID = l.String()
		case "templateappid":
			c.TemplateAppID = l.String()
		case "params":
			c.Params = readQueryParams(&l)
		default:
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
	l.Consumed()
	return c, urlConfigError(l.Error())
}

// readQueryParams reads [[key, value], ...]. As encoding/json does for a
// [2]string, a missing or null element reads as "" and elements past the
// second are dropped.
func readQueryParams(l *jsonr.Lexer) []QueryParam {
	var ps []QueryParam
	l.Delim('[')
	for l.Ok() && !l.IsDelim(']') {
		var kv [2]string
		if l.IsNull() {
			l.Skip()
		} else {
			l.Delim('[')
			for i := 0; l.Ok() && !l.IsDelim(']'); i++ {
				switch {
				case l.IsNull():
					l.Skip()
				case i < len(kv):
					kv[i] = l.String()
				default:
					l.SkipRecursive()
				}
				l.WantComma()
			}
			l.Delim(']')
		}
		ps = append(ps, QueryParam{Key: kv[0], Value: kv[1]})
		l.WantComma()
	}
	l.Delim(']')
	return ps
}

func urlConfigError(err error) error {
	if err == nil {
		return nil
	}
	return errwrap.Wrap("failed to read URL config", err)
}
