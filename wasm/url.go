//go:build js && wasm

package main

import (
	"encoding/json"
	"fmt"

	"github.com/qix-wasm/qix-wasm/qixcore"
)

// urlConfig is qixcore.URLConfig as the page spells it (camelCase, query
// parameters as [key, value] pairs to keep their order).
type urlConfig struct {
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

// buildURL runs qixcore.BuildURL for the page, so the URL a page previews is
// the one the Go builder makes. It returns the URL as a JSON string.
func buildURL(args []byte) ([]byte, error) {
	var c urlConfig
	if err := json.Unmarshal(args, &c); err != nil {
		return nil, fmt.Errorf("failed to read URL config: %w", err)
	}
	cfg := qixcore.URLConfig{
		Secure: c.Secure, Host: c.Host, Port: c.Port, Prefix: c.Prefix, Subpath: c.Subpath, Route: c.Route,
		AppID: c.AppID, Identity: c.Identity, TTL: c.TTL, SessionApp: c.SessionApp, SessionAppID: c.SessionAppID,
		TemplateAppID: c.TemplateAppID,
	}
	for _, p := range c.Params {
		cfg.Params = append(cfg.Params, qixcore.QueryParam{Key: p[0], Value: p[1]})
	}
	u, err := qixcore.BuildURL(cfg)
	if err != nil {
		return nil, err
	}
	return json.Marshal(u)
}
