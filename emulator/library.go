package emulator

import (
	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

// Library is the part of the data side the protocol side needs: the apps a
// session can open. It mirrors the entry points listed in
// engine/contract.go as an interface so the protocol side can be tested with
// fakes and so the server keeps compiling while the data side grows.
type Library interface {
	// DocList is the qDocList value of Global.GetDocList (any JSON value).
	DocList() any
	// Exists tells whether an app of that name can be opened.
	Exists(name string) bool
	// Open gives a per-session view of a library app; unknown names fail
	// with *engine.Error code 1003.
	Open(name string) (Doc, error)
	// NewSessionApp creates a session app, empty or copied from template.
	NewSessionApp(id, template string) (Doc, error)
	// Create adds a new, empty app (Global.CreateApp).
	Create(name string) error
}

// Doc is an open app as the protocol side sees it: an engine.Object (qType
// "Doc") plus the hooks Global.GetProgress and session teardown need.
type Doc interface {
	engine.Object
	// Progress is the current reload progress (Global.GetProgress).
	Progress() engine.ProgressInfo
	// Close releases the session's state once the session has ended.
	Close()
}

// notFound is the error real engines send for an unknown app.
func notFound(name string) *engine.Error {
	return &engine.Error{Code: 1003, Parameter: name, Message: "App not found"}
}

// emptyLibrary has no apps: tests use it to check the protocol side
// without any data.
type emptyLibrary struct{}

func (emptyLibrary) DocList() any                  { return []any{} }
func (emptyLibrary) Exists(string) bool            { return false }
func (emptyLibrary) Open(name string) (Doc, error) { return nil, notFound(name) }
func (emptyLibrary) NewSessionApp(id, template string) (Doc, error) {
	return nil, notFound(template)
}
func (emptyLibrary) Create(string) error { return nil }
