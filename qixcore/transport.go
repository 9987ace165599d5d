package qixcore

import (
	"context"
	"errors"
	"sync"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
)

// Transport carries whole QIX messages (one JSON-RPC message per WebSocket
// text frame). It is an interface so the multiplexer runs unchanged over
// coder/websocket in the browser and natively, and over an in-memory pipe in
// tests.
type Transport interface {
	// Read blocks for the next message. When the peer closed the
	// connection with a close frame the error is a *CloseError carrying
	// the code and reason.
	Read(ctx context.Context) ([]byte, error)
	// Write sends one message. It is safe for concurrent use.
	Write(ctx context.Context, msg []byte) error
	// Close closes the connection with a close code and reason.
	Close(code int, reason string) error
}

// errPipeClosed is returned by pipe operations after Close.
var errPipeClosed = errors.New("pipe closed")

// Pipe returns two connected in-memory Transports. What one side writes the
// other reads, in order; closing one side makes the other's Read return a
// *CloseError with the code and reason given. Tests use it to run the
// multiplexer without sockets, and it is exported so packages built on
// qixcore can do the same.
func Pipe() (a, b Transport) {
	s := &pipeShared{}
	pa := &pipeEnd{shared: s, in: newMsgQueue()}
	pb := &pipeEnd{shared: s, in: newMsgQueue()}
	pa.peer, pb.peer = pb, pa
	return pa, pb
}

type pipeShared struct {
	mu     sync.Mutex
	closed bool
}

type pipeEnd struct {
	shared *pipeShared
	peer   *pipeEnd
	in     *msgQueue
}

func (p *pipeEnd) Read(ctx context.Context) ([]byte, error) {
	return p.in.pop(ctx)
}

func (p *pipeEnd) Write(ctx context.Context, msg []byte) error {
	if err := ctx.Err(); err != nil {
		return errwrap.Wrap("failed to write", err)
	}
	if err := p.peer.in.push(append([]byte(nil), msg...)); err != nil {
		return errwrap.Wrap("failed to write", err)
	}
	return nil
}

func (p *pipeEnd) Close(code int, reason string) error {
	p.shared.mu.Lock()
	defer p.shared.mu.Unlock()
	if p.shared.closed {
		return nil
	}
	p.shared.closed = true
	p.peer.in.close(NewCloseError(code, reason))
	p.in.close(errwrap.Wrap("failed to read", errPipeClosed))
	return nil
}

// msgQueue is an unbounded FIFO of messages with a terminal error.
type msgQueue struct {
	mu     sync.Mutex
	msgs   [][]byte
	err    error
	signal chan struct{}
}

func newMsgQueue() *msgQueue { return &msgQueue{signal: make(chan struct{}, 1)} }

func (q *msgQueue) push(m []byte) error {
	q.mu.Lock()
	if q.err != nil {
		q.mu.Unlock()
		return errPipeClosed
	}
	q.msgs = append(q.msgs, m)
	q.mu.Unlock()
	q.wake()
	return nil
}

func (q *msgQueue) wake() {
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

func (q *msgQueue) close(err error) {
	q.mu.Lock()
	if q.err == nil {
		q.err = err
	}
	q.mu.Unlock()
	q.wake()
}

func (q *msgQueue) pop(ctx context.Context) ([]byte, error) {
	for {
		q.mu.Lock()
		if len(q.msgs) > 0 {
			m := q.msgs[0]
			q.msgs[0] = nil
			q.msgs = q.msgs[1:]
			more := len(q.msgs) > 0
			q.mu.Unlock()
			if more {
				q.wake()
			}
			return m, nil
		}
		err := q.err
		q.mu.Unlock()
		if err != nil {
			q.wake()
			return nil, err
		}
		select {
		case <-q.signal:
		case <-ctx.Done():
			return nil, errwrap.Wrap("failed to read", ctx.Err())
		}
	}
}
