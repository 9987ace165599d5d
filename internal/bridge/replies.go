package bridge

import (
	"errors"

	"github.com/qix-wasm/qix-wasm/internal/jsonw"
	"github.com/qix-wasm/qix-wasm/qixcore"
)

// Replies is the queue of reply items for the next crossing to the page:
// a JSON array of items, one UTF-8 body buffer the items point into
// ("o" offset, "n" length), and a count of result texts (big frames'
// results, which stay JS strings; the caller keeps them in the same order
// and items name them by index, "s"). It is not safe for concurrent use.
type Replies struct {
	out   jsonw.Writer
	n     int
	body  []byte
	texts int
}

// Len is the number of items queued.
func (r *Replies) Len() int { return r.n }

// Take returns the queued header (a JSON array), body and number of texts,
// and empties the queue.
func (r *Replies) Take() (header, body []byte, texts int) {
	if r.n == 0 {
		r.out.RawByte('[')
	}
	r.out.RawByte(']')
	header, _ = r.out.BuildBytes()
	body, texts = r.body, r.texts
	*r = Replies{}
	return header, body, texts
}

func (r *Replies) begin() *jsonw.Writer {
	if r.n == 0 {
		r.out.RawByte('[')
	} else {
		r.out.RawByte(',')
	}
	r.n++
	return &r.out
}

func (r *Replies) addBody(w *jsonw.Writer, p []byte) {
	w.RawString(`,"o":`)
	w.Int(len(r.body))
	w.RawString(`,"n":`)
	w.Int(len(p))
	r.body = append(r.body, p...)
}

// Body resolves operation seq with body (nil: no value), to be read under
// outKey when set.
func (r *Replies) Body(seq int, body []byte, outKey string) {
	w := r.begin()
	w.RawString(`{"t":"r","seq":`)
	w.Int(seq)
	if body != nil {
		r.addBody(w, body)
	}
	if outKey != "" {
		w.RawString(`,"k":`)
		w.String(outKey)
	}
	w.RawByte('}')
}

// Result resolves call seq of session sid with res: its body, or with text
// the next result text (res.Span's, which the caller appends to its list),
// plus the unwrap and delta instructions Go decided. A delta item names its
// session ("sid"): the worker keeps a delta cache per session (see
// jsbridge/qix-delta.js).
func (r *Replies) Result(seq, sid int, res qixcore.Result, text bool) {
	w := r.begin()
	w.RawString(`{"t":"r","seq":`)
	w.Int(seq)
	if text {
		w.RawString(`,"s":`)
		w.Int(r.texts)
		r.texts++
	} else {
		r.addBody(w, res.Body)
	}
	if res.OutKey != "" {
		w.RawString(`,"k":`)
		w.String(res.OutKey)
	}
	if res.Return {
		w.RawString(`,"q":1`)
	}
	if res.Delta {
		w.RawString(`,"d":1,"sid":`)
		w.Int(sid)
		w.RawString(`,"c":`)
		w.String(res.CacheKey)
	}
	w.RawByte('}')
}

// Object resolves call seq with a remote object.
func (r *Replies) Object(seq int, o *qixcore.RemoteObject) {
	w := r.begin()
	w.RawString(`{"t":"r","seq":`)
	w.Int(seq)
	w.RawString(`,"obj":{"h":`)
	w.Int(o.Handle)
	w.RawString(`,"ty":`)
	w.String(o.Type)
	w.RawString(`,"gt":`)
	w.String(o.GenericType)
	w.RawString(`,"id":`)
	w.String(o.ID)
	w.RawString(`}}`)
}

// Fail rejects operation seq with err (see WriteError).
func (r *Replies) Fail(seq int, err error) {
	w := r.begin()
	w.RawString(`{"t":"e","seq":`)
	w.Int(seq)
	w.RawString(`,"err":`)
	WriteError(w, err)
	w.RawByte('}')
}

// Event queues event name of session sid with an optional body and the
// members extra writes (each starting with a comma).
func (r *Replies) Event(sid int, name string, body []byte, extra func(w *jsonw.Writer)) {
	w := r.begin()
	w.RawString(`{"t":"ev","sid":`)
	w.Int(sid)
	w.RawString(`,"ev":`)
	w.String(name)
	if body != nil {
		r.addBody(w, body)
	}
	if extra != nil {
		extra(w)
	}
	w.RawByte('}')
}

// WriteError writes err as the bridge's error object: its kind plus the
// fields of the typed error, so the page builds an Error as enigma.js
// does (jsbridge/qix-errors.js) without a table of its own.
func WriteError(w *jsonw.Writer, err error) {
	var ee *qixcore.EngineError
	var ce *qixcore.CloseError
	var cl *qixcore.ClientError
	w.RawByte('{')
	switch {
	case errors.As(err, &ee):
		w.RawString(`"kind":"engine","code":`)
		w.Int(ee.Code)
		w.RawString(`,"parameter":`)
		w.String(ee.Parameter)
		w.RawString(`,"message":`)
		w.String(ee.Message)
		w.RawString(`,"name":`)
		w.String(ee.Name())
		w.RawString(`,"method":`)
		w.String(ee.Method)
		w.RawString(`,"handle":`)
		w.Int(ee.Handle)
	case errors.As(err, &ce):
		w.RawString(`"kind":"close","code":`)
		w.Int(ce.Code)
		w.RawString(`,"reason":`)
		w.String(ce.Reason)
		w.RawString(`,"qepCode":`)
		w.String(ce.QEPCode)
		w.RawString(`,"traceId":`)
		w.String(ce.TraceID)
	case errors.As(err, &cl):
		w.RawString(`"kind":"client","code":`)
		w.Int(cl.Code)
	default:
		w.RawString(`"kind":"client","code":-1`)
	}
	w.RawString(`,"text":`)
	w.String(err.Error())
	w.RawByte('}')
}

// Ints writes `,"name":[a,b,…]`.
func Ints(w *jsonw.Writer, name string, list []int) {
	w.RawString(`,"`)
	w.RawString(name)
	w.RawString(`":[`)
	for i, h := range list {
		if i > 0 {
			w.RawByte(',')
		}
		w.Int(h)
	}
	w.RawByte(']')
}
