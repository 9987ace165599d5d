package emulator

import "github.com/qix-wasm/qix-wasm/emulator/engine"

// appDeleter is the optional part of a Library that removes apps
// (Global.DeleteApp); a library without it answers DeleteApp with the
// engine's "unsupported" error.
type appDeleter interface {
	Delete(name string) error
}

// Delete removes an app from the engine library (see engine.Library.Delete).
func (e engineLibrary) Delete(name string) error { return e.l.Delete(name) }

// deleteApp is Global.DeleteApp: qSuccess true once the app is gone; an
// unknown app answers 1003 and an app open in any session 1002, as the
// engine refuses to delete an app in use.
func (c *conn) deleteApp(p *params) (*engine.Reply, error) {
	name, err := p.str(0, "qAppId")
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, invalidParams("qAppId")
	}
	del, ok := c.srv.lib.(appDeleter)
	if !ok {
		return nil, &engine.Error{Code: engine.ErrUnsupported.Code, Parameter: "DeleteApp", Message: engine.ErrUnsupported.Message}
	}
	if err := del.Delete(name); err != nil {
		return nil, err
	}
	return reply(kv("qSuccess", true)), nil
}
