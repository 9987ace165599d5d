//go:build js && wasm

package main

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"syscall/js"

	"github.com/qix-wasm/qix-wasm/internal/bridge"
	"github.com/qix-wasm/qix-wasm/internal/errwrap"
	"github.com/qix-wasm/qix-wasm/qixcore"
)

// openSocket is the bridge's socket opener (jsbridge/qix-socket.js), handed
// over at registration.
var openSocket js.Value

// socket is a qixcore.Transport over a browser WebSocket owned by the
// bridge's JS on this thread. Frames cross in batches, one crossing per
// burst each way (see qix-socket.js), instead of coder/websocket's one
// callback, js.Value and string conversion per frame: on 2000 pipelined
// calls that is most of the worker's time. The CloseEvent arrives with its
// code and reason, so close errors need no observation trick.
type socket struct {
	sock  js.Value // {send, close, slice, full, release}
	send  js.Value // sock.send, looked up once
	funcs []js.Func

	mu       sync.Mutex
	in       [][]byte
	head     int
	closeErr error // set once the socket closed
	readable chan struct{}
	opened   chan struct{}
	done     chan struct{}

	prev *bigFrame // the last big frame ReadFrame returned (reader goroutine only)

	out     []byte
	outLens []byte
	outWake chan struct{}
}

// dialSocket opens url through the bridge and waits for the socket to open.
// It blocks: call it from a goroutine, never from a js.Func callback.
//
// sock, when not empty, names the page's own socket factory (the config's
// createSocket): the bridge opens the socket with it instead of new
// WebSocket(url), relaying its frames from the page in worker mode.
func dialSocket(ctx context.Context, url, sock string) (qixcore.Transport, error) {
	if openSocket.IsUndefined() || openSocket.IsNull() {
		return nil, errors.New("failed to dial: the bridge did not provide openSocket")
	}
	s := &socket{
		readable: make(chan struct{}, 1),
		opened:   make(chan struct{}),
		done:     make(chan struct{}),
		outWake:  make(chan struct{}, 1),
	}
	onOpen := funcOf(func(js.Value, []js.Value) any {
		close(s.opened)
		return nil
	})
	// onBatch(count, n): the inbox holds count little-endian uint32
	// lengths, then the frames back to back, n bytes in all.
	onBatch := funcOf(func(_ js.Value, args []js.Value) any {
		s.receive(args[0].Int(), takeInbox(args[1].Int()))
		return nil
	})
	onClose := funcOf(func(_ js.Value, args []js.Value) any {
		s.closed(args[0].Int(), args[1].String())
		return nil
	})
	s.funcs = []js.Func{onOpen, onBatch, onClose}
	s.sock = openSocket.Invoke(url, onOpen, onBatch, onClose, sock)
	s.send = s.sock.Get("send")
	go s.writeLoop()

	select {
	case <-s.opened:
		return s, nil
	case <-s.done:
		return nil, qixcore.NewDialError(errwrap.Wrap("failed to dial "+qixcore.RedactURL(url), s.err()))
	case <-ctx.Done():
		s.sock.Call("close", 1000, "")
		return nil, qixcore.NewDialError(errwrap.Wrap("failed to dial "+qixcore.RedactURL(url), ctx.Err()))
	}
}

// receive takes one burst of count frames (bridge.SplitFrames's layout).
// It runs in a js.Func callback.
func (s *socket) receive(count int, buf []byte) {
	frames := bridge.SplitFrames(count, buf)
	s.mu.Lock()
	s.in = append(s.in, frames...)
	s.mu.Unlock()
	select {
	case s.readable <- struct{}{}:
	default:
	}
}

// closed records the CloseEvent and releases the callbacks.
func (s *socket) closed(code int, reason string) {
	s.mu.Lock()
	if s.closeErr == nil {
		// The bridge's reason for a socket that never opened quotes the
		// URL (and the browser's own message may too): mask its secrets.
		s.closeErr = qixcore.NewCloseError(code, qixcore.RedactText(reason))
		close(s.done)
		for _, f := range s.funcs {
			// Releasing inside onClose's own call is safe: the function
			// value is not used after it returns.
			releaseFunc(f)
		}
	}
	s.mu.Unlock()
	select {
	case s.outWake <- struct{}{}: // lets writeLoop end
	default:
	}
}

func (s *socket) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeErr
}

// bigFrame is a frame qix-socket.js kept as a string (see
// qixcore.ElidedFrame): Go holds its id until the result is taken or the
// reader moves on.
type bigFrame struct {
	s     *socket
	id    int
	taken bool
}

// stubHeader is the size of a big frame's stub header: a NUL marker and
// padding, then the frame id, its length in UTF-16 units and the head's
// byte length, as little-endian uint32s.
const stubHeader = 16

// ReadFrame returns the next frame, or a big one as a qixcore.ElidedFrame.
// Reading on means the previous frame was dispatched: a big one whose
// result nobody took is released then.
func (s *socket) ReadFrame(ctx context.Context) ([]byte, *qixcore.ElidedFrame, error) {
	if p := s.prev; p != nil {
		s.prev = nil
		if !p.taken {
			s.sock.Call("release", p.id)
		}
	}
	data, err := s.readRaw(ctx)
	if err != nil || len(data) == 0 || data[0] != 0 {
		return data, nil, err
	}
	if len(data) < stubHeader {
		return nil, nil, errors.New("failed to read a frame: short stub from qix-socket.js")
	}
	id := int(bridge.LE32(data[4:]))
	units := int(bridge.LE32(data[8:]))
	headLen := int(bridge.LE32(data[12:]))
	if stubHeader+headLen > len(data) {
		return nil, nil, errors.New("failed to read a frame: bad stub from qix-socket.js")
	}
	f := &bigFrame{s: s, id: id}
	s.prev = f
	return nil, &qixcore.ElidedFrame{
		Head:  data[stubHeader : stubHeader+headLen],
		Tail:  data[stubHeader+headLen:],
		Units: units,
		Ref:   f,
		Full:  func() []byte { return s.full(id) },
	}, nil
}

// full fetches big frame id whole, as UTF-8.
func (s *socket) full(id int) []byte {
	u8 := s.sock.Call("full", id)
	b := make([]byte, u8.Length())
	js.CopyBytesToGo(b, u8)
	return b
}

// takeSpan hands out the text of a result inside a big frame as a JS
// string, which crosses to the page as it is. ok is false when the frame is
// gone (its socket released it).
func takeSpan(sp *qixcore.ResultSpan) (js.Value, bool) {
	f, ok := sp.Frame.Ref.(*bigFrame)
	if !ok || f.taken {
		return js.Undefined(), false
	}
	f.taken = true
	v := f.s.sock.Call("slice", f.id, sp.Start, sp.End)
	return v, v.Type() == js.TypeString
}

// Read returns the next frame whole (big frames fetched in full); Conn
// reads through ReadFrame instead.
func (s *socket) Read(ctx context.Context) ([]byte, error) {
	data, ef, err := s.ReadFrame(ctx)
	if ef != nil {
		return ef.Full(), nil
	}
	return data, err
}

// readRaw returns the next frame or stub, or the close error once every
// frame that arrived before the close has been read.
func (s *socket) readRaw(ctx context.Context) ([]byte, error) {
	for {
		s.mu.Lock()
		if s.head < len(s.in) {
			m := s.in[s.head]
			s.in[s.head] = nil
			s.head++
			if s.head == len(s.in) {
				s.in, s.head = s.in[:0], 0
			}
			s.mu.Unlock()
			return m, nil
		}
		err := s.closeErr
		s.mu.Unlock()
		if err != nil {
			return nil, err
		}
		select {
		case <-s.readable:
		case <-s.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Write queues msg; writeLoop sends everything queued in one crossing when
// the current turn's work is done.
func (s *socket) Write(ctx context.Context, msg []byte) error {
	s.mu.Lock()
	if s.closeErr != nil {
		err := s.closeErr
		s.mu.Unlock()
		return errwrap.Wrap("failed to write", err)
	}
	s.out, s.outLens = bridge.AppendFrame(s.out, s.outLens, msg)
	s.mu.Unlock()
	select {
	case s.outWake <- struct{}{}:
	default:
	}
	return nil
}

func (s *socket) writeLoop() {
	for range s.outWake {
		if !s.flush() {
			return
		}
	}
}

// flush sends the queued frames; false once the socket is closed.
func (s *socket) flush() bool {
	s.mu.Lock()
	out, lens, closed := s.out, s.outLens, s.closeErr != nil
	s.out, s.outLens = nil, nil
	s.mu.Unlock()
	if closed {
		return false
	}
	if len(lens) == 0 {
		return true
	}
	// JS sends every frame before the call returns.
	s.send.Invoke(addr(out), addr(lens), len(lens)/4)
	runtime.KeepAlive(out)
	runtime.KeepAlive(lens)
	return true
}

// Close sends what is queued, then closes with code and reason; Read
// reports the close when the browser has it.
func (s *socket) Close(code int, reason string) error {
	s.flush()
	s.mu.Lock()
	closed := s.closeErr != nil
	s.mu.Unlock()
	if !closed {
		s.sock.Call("close", code, reason)
	}
	return nil
}
