package emulator

import (
	"encoding/json"
	"runtime"
	"strings"

	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

// kv is a short engine.KV constructor.
func kv(k string, v any) engine.KV { return engine.KV{Key: k, Value: v} }

// reply builds a Reply from result keys.
func reply(kvs ...engine.KV) *engine.Reply { return &engine.Reply{Result: kvs} }

// errNoActiveDoc is what GetActiveDoc answers when the session has no doc.
var errNoActiveDoc = &engine.Error{Code: 1007, Parameter: "No active document", Message: "App invalid"}

// global runs a method of the Global object (handle -1).
func (c *conn) global(cl *call) (*engine.Reply, error) {
	p := cl.params
	s := c.srv
	switch cl.method {
	case "EngineVersion":
		return reply(kv("qVersion", map[string]string{"qComponentVersion": s.cfg.EngineVersion})), nil
	case "ProductVersion":
		return reply(kv("qReturn", s.cfg.EngineVersion)), nil
	case "OSName":
		return reply(kv("qReturn", runtime.GOOS)), nil
	case "OSVersion":
		return reply(kv("qReturn", runtime.GOOS+"/"+runtime.GOARCH)), nil
	case "QTProduct":
		if s.cloud() {
			return reply(kv("qReturn", "Qlik Sense")), nil
		}
		return reply(kv("qReturn", "Qlik Core")), nil
	case "IsDesktopMode":
		return reply(kv("qReturn", false)), nil
	case "GetInteract":
		return reply(kv("qReturn", false)), nil
	case "GetUniqueID":
		return reply(kv("qUniqueID", newUUID())), nil
	case "GetAuthenticatedUser":
		return reply(kv("qReturn", "UserDirectory=; UserId="+c.info.user)), nil
	case "GetConfiguration":
		return reply(kv("qConfig", map[string]any{"qFeatures": map[string]bool{"qIsDesktop": false}})), nil
	case "ConfigureReload":
		for i, n := range []string{"qCancelOnScriptError", "qUseErrorData", "qInteractOnError"} {
			if _, err := p.boolean(i, n); err != nil {
				return nil, err
			}
		}
		return reply(), nil
	case "GetClientsideSettings":
		c.sess.mu.Lock()
		v := c.sess.settings
		c.sess.mu.Unlock()
		if v == nil {
			v = json.RawMessage("{}")
		}
		return reply(kv("qReturn", v)), nil
	case "SetClientsideSettings":
		raw := p.Get(0, "qSettings")
		if raw == nil || raw[0] != '{' {
			return nil, invalidParams("qSettings")
		}
		c.sess.mu.Lock()
		c.sess.settings = append(json.RawMessage(nil), raw...)
		c.sess.mu.Unlock()
		return reply(), nil
	case "GetDocList":
		return reply(kv("qDocList", s.lib.DocList())), nil
	case "OpenDoc":
		return c.openDoc(p)
	case "GetActiveDoc":
		d := c.sess.activeDoc()
		if d == nil {
			return nil, errNoActiveDoc
		}
		return reply(kv("qReturn", engine.Object(d))), nil
	case "CreateApp":
		name, err := p.str(0, "qAppName")
		if err != nil {
			return nil, err
		}
		if name == "" {
			return nil, invalidParams("qAppName")
		}
		if err := s.lib.Create(name); err != nil {
			return nil, err
		}
		return reply(kv("qSuccess", true), kv("qAppId", name)), nil
	case "CreateSessionApp":
		return c.createSessionApp("")
	case "CreateSessionAppFromApp":
		src, err := p.str(0, "qSrcAppId")
		if err != nil {
			return nil, err
		}
		if src == "" {
			return nil, invalidParams("qSrcAppId")
		}
		return c.createSessionApp(src)
	case "GetProgress":
		return c.progress(), nil
	}
	return c.globalMore(cl)
}

// openDoc is Global.OpenDoc: the session's doc, opened on first use; a
// second app in the same session fails with 1002.
func (c *conn) openDoc(p *params) (*engine.Reply, error) {
	names := []string{"qDocName", "qUserName", "qPassword", "qSerial"}
	vals := make([]string, len(names))
	for i, n := range names {
		v, err := p.str(i, n)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	if _, err := p.boolean(4, "qNoData"); err != nil {
		return nil, err
	}
	name := vals[0]
	if name == "" {
		return nil, invalidParams("qDocName")
	}
	d, err := c.sess.openDoc(name, func() (Doc, error) { return c.srv.lib.Open(name) })
	if err != nil {
		return nil, err
	}
	return &engine.Reply{Result: []engine.KV{kv("qReturn", engine.Object(d))}, Changed: []engine.Object{d}}, nil
}

// createSessionApp is Global.CreateSessionApp(FromApp): a new session app
// becomes the session's doc; qReturn carries no qGenericId.
func (c *conn) createSessionApp(template string) (*engine.Reply, error) {
	id := "SessionApp_" + newUUID()
	d, err := c.sess.openDoc(id, func() (Doc, error) { return c.srv.lib.NewSessionApp(id, template) })
	if err != nil {
		return nil, err
	}
	return &engine.Reply{
		Result:  []engine.KV{kv("qReturn", bareRef{d}), kv("qSessionAppId", id)},
		Changed: []engine.Object{d},
	}, nil
}

// progressData is Global.GetProgress's qProgressData, keys in the real
// engines' order.
type progressData struct {
	Started            bool            `json:"qStarted"`
	Finished           bool            `json:"qFinished"`
	Completed          int             `json:"qCompleted"`
	Total              int             `json:"qTotal"`
	KB                 int             `json:"qKB"`
	Millisecs          int             `json:"qMillisecs"`
	UserInteraction    bool            `json:"qUserInteractionWanted"`
	Persistent         string          `json:"qPersistentProgress"`
	Transient          string          `json:"qTransientProgress"`
	ErrorData          []errorData     `json:"qErrorData"`
	PersistentMessages []any           `json:"qPersistentProgressMessages"`
	TransientMessage   progressMessage `json:"qTransientProgressMessage"`
}

// errorData is one qErrorData entry.
type errorData struct {
	ErrorString string `json:"qErrorString"`
	LineEnd     string `json:"qLineEnd"`
	Line        string `json:"qLine"`
	ErrorCode   string `json:"qErrorDataCode"` // the schema's string enum, e.g. "EDC_ERROR"
}

// progressMessage is qTransientProgressMessage.
type progressMessage struct {
	Code   int      `json:"qMessageCode"`
	Params []string `json:"qMessageParameters"`
}

// progress is Global.GetProgress from the session doc's Progress(). The
// persistent log is sent as what was added since the previous call, like
// real engines do.
func (c *conn) progress() *engine.Reply {
	pd := progressData{ErrorData: []errorData{}, PersistentMessages: []any{}, TransientMessage: progressMessage{Params: []string{}}}
	if d := c.sess.activeDoc(); d != nil {
		pi := d.Progress()
		pd.Started = pi.Step > 0 || pi.Steps > 0 || pi.Finished
		pd.Finished = pi.Finished
		pd.Completed = pi.Step
		pd.Total = pi.Steps
		pd.Millisecs = pi.Millisecs
		pd.Transient = pi.Transient
		c.sess.mu.Lock()
		if strings.HasPrefix(pi.Persistent, c.sess.lastPersistent) {
			pd.Persistent = strings.TrimPrefix(pi.Persistent[len(c.sess.lastPersistent):], "\n")
		} else {
			pd.Persistent = pi.Persistent
		}
		c.sess.lastPersistent = pi.Persistent
		c.sess.mu.Unlock()
		if pi.Error != "" {
			pd.ErrorData = append(pd.ErrorData, errorData{ErrorString: pi.Error, Line: pi.ErrorLine, ErrorCode: "EDC_ERROR"})
		}
	}
	return reply(kv("qProgressData", pd))
}

// control runs the cancellation methods at once, outside the request
// queues, so they overtake the requests they cancel. It returns false for
// any other method.
func (c *conn) control(cl *call) bool {
	switch cl.method {
	case "CancelRequest", "AbortRequest":
		raw := cl.params.Get(0, "qRequestId")
		if raw != nil {
			for _, v := range c.inflight(idKey(raw)) {
				v.cancel(nil)
			}
		}
	case "AbortAll":
		for _, v := range c.inflight("") {
			v.cancel(nil)
		}
	case "CancelReload":
		for _, o := range append(c.sess.others(c), c) {
			for _, v := range o.inflight("") {
				if v.method == "DoReload" || v.method == "DoReloadEx" {
					v.cancel(engine.ErrReloadCancelled)
				}
			}
		}
	default:
		return false
	}
	c.send(c.response(cl, cl.id, reply()))
	return true
}
