// Package bridge is the wire format between jsbridge/ and the wasm module,
// in pure Go so that it is tested natively: the operations a batch from
// the page carries (ops.go) and the reply items Go sends back (replies.go).
// wasm/ runs the operations and moves the bytes across; nothing here
// touches syscall/js.
package bridge

import (
	"github.com/qix-wasm/qix-wasm/internal/errwrap"
	"github.com/qix-wasm/qix-wasm/internal/jsonr"
)

// Op is one operation from the bridge: {"op":"call","sid":1,"seq":7,...}.
type Op struct {
	Op       string
	Sid      int
	Seq      int
	Handle   int
	Method   string
	Args     []byte // raw JSON, as the page encoded it
	URL      string
	Delta    bool
	Traffic  bool
	Progress int // ms between GetProgress polls; 0: off
	Timeout  int
	Code     int
	Reason   string
	Suspend  bool   // open: suspendOnClose
	Attach   bool   // resume: onlyIfAttached
	ID       int64  // call, cancel: the JSON-RPC request id the page chose
	Sock     string // open: the page's socket factory (createSocket), by token
	Type     string // register: qType, qGenericType and qGenericId
	GType    string
	ObjID    string
	Modal    string // open: modal recovery, "cancel", "accept" or "off"
	GC       bool   // stats: collect garbage first
}

func (o *Op) read(l *jsonr.Lexer) {
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		key := l.UnsafeFieldName(false)
		l.WantColon()
		switch key {
		case "op":
			o.Op = l.String()
		case "sid":
			o.Sid = l.Int()
		case "seq":
			o.Seq = l.Int()
		case "h":
			o.Handle = l.Int()
		case "m":
			o.Method = l.String()
		case "a":
			o.Args = l.Raw()
		case "url":
			o.URL = l.String()
		case "delta":
			o.Delta = l.Bool()
		case "traffic":
			o.Traffic = l.Bool()
		case "progress":
			o.Progress = l.Int()
		case "timeout":
			o.Timeout = l.Int()
		case "code":
			o.Code = l.Int()
		case "reason":
			o.Reason = l.String()
		case "suspendOnClose":
			o.Suspend = l.Bool()
		case "onlyIfAttached":
			o.Attach = l.Bool()
		case "id":
			o.ID = l.Int64()
		case "sock":
			o.Sock = l.String()
		case "ty":
			o.Type = l.String()
		case "gt":
			o.GType = l.String()
		case "oid":
			o.ObjID = l.String()
		case "modal":
			o.Modal = l.String()
		case "gc":
			o.GC = l.Bool()
		default:
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
}

// DecodeBatch reads a batch (a JSON array of operations) and hands each
// operation to run as soon as it is read, so the operations before a
// malformed one still run; the error names what broke the batch.
func DecodeBatch(data []byte, run func(*Op)) error {
	l := jsonr.Lexer{Data: data}
	l.Delim('[')
	for l.Ok() && !l.IsDelim(']') {
		var o Op
		o.read(&l)
		l.WantComma()
		if l.Ok() {
			run(&o)
		}
	}
	l.Delim(']')
	if err := l.Error(); err != nil {
		return errwrap.Wrap("failed to read a batch from the bridge", err)
	}
	return nil
}
