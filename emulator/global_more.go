package emulator

import (
	"encoding/json"

	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

// codePage is one entry of Global.GetSupportedCodePages.
type codePage struct {
	Number      int    `json:"qNumber"`
	Name        string `json:"qName"`
	Description string `json:"qDescription"`
}

// supportedCodePages are the text encodings the emulator's loader reads.
var supportedCodePages = []codePage{
	{65001, "UTF-8", "Unicode (UTF-8)"},
	{1200, "UTF-16LE", "Unicode (UTF-16 little endian)"},
	{1201, "UTF-16BE", "Unicode (UTF-16 big endian)"},
	{1252, "Windows-1252", "Western European (Windows)"},
	{28591, "ISO-8859-1", "Western European (ISO)"},
}

// globalMore runs the Global methods about the product, the catalogue and
// the (absent) file system and connectors; anything else is not found, and
// the protocol side turns a schema method into the engine's "unsupported"
// error.
func (c *conn) globalMore(cl *call) (*engine.Reply, error) {
	p := cl.params
	s := c.srv
	switch cl.method {
	case "DeleteApp":
		return c.deleteApp(p)
	case "AllowCreateApp":
		return reply(kv("qReturn", true)), nil
	case "IsPersonalMode":
		return reply(kv("qReturn", false)), nil
	case "QvVersion":
		return reply(kv("qReturn", s.cfg.EngineVersion)), nil
	case "ReloadExtensionList", "InteractDone":
		return reply(), nil
	case "GetSupportedCodePages":
		return reply(kv("qCodePages", supportedCodePages)), nil
	case "GetCustomConnectors":
		if _, err := p.boolean(0, "qReloadList"); err != nil {
			return nil, err
		}
		return reply(kv("qConnectors", []any{})), nil
	case "GetOdbcDsns":
		return reply(kv("qOdbcDsns", []any{})), nil
	case "GetOleDbProviders":
		return reply(kv("qOleDbProviders", []any{})), nil
	case "GetLogicalDriveStrings":
		return reply(kv("qDrives", []any{})), nil
	case "GetStreamList":
		return reply(kv("qStreamList", []any{})), nil
	case "GetDefaultAppFolder":
		return reply(kv("qPath", "/apps")), nil
	case "GetMyDocumentsFolder":
		return reply(kv("qFolder", "/apps")), nil
	case "GetFolderItemsForPath":
		if _, err := p.str(0, "qPath"); err != nil {
			return nil, err
		}
		return reply(kv("qFolderItems", []any{})), nil
	case "IsValidConnectionString":
		return reply(kv("qReturn", false)), nil
	case "GetFunctions":
		g, err := p.str(0, "qGroup")
		if err != nil {
			return nil, err
		}
		return reply(kv("qFunctions", engine.Functions(g))), nil
	case "GetBNF", "GetBaseBNF", "GetBaseBNFHash", "GetBaseBNFString":
		t, err := p.str(0, "qBnfType")
		if err != nil {
			return nil, err
		}
		script := t != "E"
		defs, hash := engine.BNF(script)
		switch cl.method {
		case "GetBNF":
			return reply(kv("qBnfDefs", defs)), nil
		case "GetBaseBNF":
			return reply(kv("qBnfDefs", defs), kv("qBnfHash", hash)), nil
		case "GetBaseBNFHash":
			return reply(kv("qBnfHash", hash)), nil
		}
		str, hash := engine.BNFString(script)
		return reply(kv("qBnfStr", str), kv("qBnfHash", hash)), nil
	case "GetAppEntry":
		id, err := p.str(0, "qAppID")
		if err != nil {
			return nil, err
		}
		return c.appEntry(id)
	}
	return nil, &engine.Error{Code: -32601, Parameter: cl.method, Message: "Method not found"}
}

// appEntry is Global.GetAppEntry, read from the library's doc list.
func (c *conn) appEntry(id string) (*engine.Reply, error) {
	raw, err := json.Marshal(c.srv.lib.DocList())
	if err != nil {
		return nil, err
	}
	var docs []struct {
		ID    string          `json:"qDocId"`
		Name  string          `json:"qDocName"`
		Meta  json.RawMessage `json:"qMeta"`
		Last  string          `json:"qLastReloadTime"`
		Size  float64         `json:"qFileSize"`
		Title string          `json:"qTitle"`
	}
	_ = json.Unmarshal(raw, &docs)
	for _, d := range docs {
		if d.ID != id && d.Name != id {
			continue
		}
		meta := d.Meta
		if meta == nil {
			meta = json.RawMessage("{}")
		}
		return reply(kv("qEntry", map[string]any{
			"qID": d.ID, "qTitle": d.Name, "qPath": d.ID, "qLastReloadTime": d.Last,
			"qReadOnly": false, "qMeta": meta, "qThumbnail": map[string]any{}, "qFileSize": d.Size,
		})), nil
	}
	return nil, &engine.Error{Code: 1003, Parameter: id, Message: "App not found"}
}
