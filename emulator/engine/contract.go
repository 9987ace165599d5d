// Package engine is the emulator's data side: a small associative engine
// (load script subset, tables linked by shared field names, selections with
// S/O/A/X/L states, expressions, hypercubes, list objects) and the QIX methods
// of every object that touches data (Doc, Field, GenericObject,
// GenericVariable).
//
// The protocol side (package emulator) owns sockets, sessions, handles,
// JSON-RPC framing, delta, cancellation and the Global methods; it reaches the
// data only through the types in this file. Keep this file the single contract
// between the two halves.
package engine

import (
	"context"
	"encoding/json"
	"errors"
)

// Object is one remote object living in a session: a Doc, a GenericObject, a
// Field, a GenericVariable, ... The protocol side gives it a handle per
// connection and routes calls to it.
type Object interface {
	// Type is the qType sent in qReturn ("Doc", "GenericObject", "Field", ...).
	Type() string
	// GenericType is qGenericType ("" when the object has none).
	GenericType() string
	// GenericID is qGenericId ("" when the object has none).
	GenericID() string
	// Call runs one QIX method on the object. ctx is cancelled when the
	// client sends CancelRequest/AbortRequest/AbortAll for this request or
	// the connection goes away: long work must check it and return
	// ErrAborted. A method the object does not implement returns
	// ErrMethodNotFound (the protocol side turns it into -32601 with the
	// method name as parameter).
	Call(ctx context.Context, method string, p Params) (*Reply, error)
}

// Params gives a method its parameters whether the request sent them
// positionally (array) or by name (object).
type Params interface {
	// Get returns parameter i (zero based) of a positional request or the
	// parameter called name of a named one; nil when absent.
	Get(i int, name string) json.RawMessage
	// Len is the number of parameters sent.
	Len() int
}

// Reply is what a method produced.
type Reply struct {
	// Result holds the keys of the JSON-RPC "result" object, in the order
	// they are written (real engines write qReturn first). A value that is
	// an Object is written as the qReturn handle reference
	// {"qType","qHandle","qGenericType"?,"qGenericId"?} after the protocol
	// side has given it a handle on the calling connection; a nil Object
	// value is written as {"qType":null,"qHandle":null} (not found).
	Result []KV
	// Changed lists objects whose layout may now differ (they go into the
	// "change" list of the response, and pushed lists on the other
	// connections of the session). A created object lists itself.
	Changed []Object
	// Closed lists objects that no longer exist ("close" list).
	Closed []Object
}

// KV is one key of a result object.
type KV struct {
	Key   string
	Value any
}

// Error is an engine error as sent in a JSON-RPC error object.
type Error struct {
	Code      int    `json:"code"`
	Parameter string `json:"parameter"`
	Message   string `json:"message"`
}

func (e *Error) Error() string { return e.Message + ": " + e.Parameter }

// Well-known engine errors (codes and messages as real engines send them).
var (
	ErrAborted        = &Error{Code: 15, Parameter: "", Message: "Request aborted"}
	ErrMethodNotFound = &Error{Code: -32601, Parameter: "", Message: "Method not found"}
	// ErrInvalidHandle answers calls on a handle that does not (or no
	// longer) exist.
	ErrInvalidHandle = &Error{Code: -32602, Parameter: "Invalid handle", Message: "Invalid Params"}
)

// ErrReloadCancelled is the cancellation cause the protocol side gives a
// DoReload/DoReloadEx context when Global.CancelReload stops it: the reload
// then answers qReturn false (qSuccess false) instead of error 15, which is
// what CancelRequest/AbortRequest/AbortAll give.
var ErrReloadCancelled = errors.New("reload cancelled by CancelReload")

// Progress receives reload progress (GetProgress reads it). Implementations
// must be safe for concurrent use.
type Progress interface {
	// Report sets the current progress: lines of script run, rows loaded,
	// a message for the transient log (qTransientProgress) and, once, a
	// persistent log line (qPersistentProgress).
	Report(p ProgressInfo)
}

// ProgressInfo is one progress report.
type ProgressInfo struct {
	Step       int    // statements done
	Steps      int    // statements in the script
	Rows       int    // rows loaded so far in the current statement
	Transient  string // e.g. "Orders << AUTOGENERATE(50000) 12,500 Lines fetched"
	Persistent string // lines ending in "\n", appended to qPersistentProgress
	Error      string // script error (qErrorData), set when the reload failed
	ErrorLine  string // the failing statement's text (qErrorData qLine)
	Finished   bool
	Millisecs  int // time since the reload started (qMillisecs)
}

// The concrete entry points the protocol side calls (implemented in this
// package, listed here so both halves agree):
//
//	func NewLibrary(dataDir string) *Library
//	    Built-in sample apps "Sales" (≥ 50 000 fact rows, generated
//	    deterministically) and "Demo", plus CSV files under dataDir reachable
//	    from scripts as lib://data/<file>.csv. dataDir may be "".
//	func (l *Library) DocList() []DocListEntry
//	    For Global.GetDocList (qDocName, qDocId, qFileSize, qLastReloadTime, qMeta, qTitle...).
//	func (l *Library) Exists(name string) bool
//	func (l *Library) Open(name string) (*Doc, error)
//	    A new per-session view of a library app (its own selections, session
//	    objects and variables; persisted objects shared). Unknown name:
//	    *Error{Code: 1003, Parameter: name, Message: "App not found"}.
//	func (l *Library) NewSessionApp(id, template string) (*Doc, error)
//	    An empty session app, or a copy of template's script, data and objects
//	    when template != "". DoSave on it fails with 9009.
//	func (l *Library) Create(name string) error   // Global.CreateApp
//	func (l *Library) SetReloadPace(d time.Duration)
//	    How long a reload of the generated Sales app takes (default
//	    DefaultReloadPace = 1 s; 0 = instant), spread over its tables.
//
//	*Doc implements Object (qType "Doc", qGenericId = app id) and also:
//	func (d *Doc) Progress() ProgressInfo   // Global.GetProgress
//	func (d *Doc) Close()                   // session ended: release state

// DocListEntry is one app in Global.GetDocList (added by the data side; the
// protocol side writes it as is).
type DocListEntry struct {
	DocName        string         `json:"qDocName"`
	ConnectedUsers int            `json:"qConnectedUsers"`
	FileTime       float64        `json:"qFileTime"`
	FileSize       int64          `json:"qFileSize"`
	DocID          string         `json:"qDocId"`
	Meta           map[string]any `json:"qMeta"`
	LastReloadTime string         `json:"qLastReloadTime"`
	ReadOnly       bool           `json:"qReadOnly"`
	Title          string         `json:"qTitle"`
	Thumbnail      map[string]any `json:"qThumbnail"`
}
