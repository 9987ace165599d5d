package qixcore

import (
	"errors"
	"strconv"
	"time"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
	"github.com/qix-wasm/qix-wasm/internal/jsonr"
)

// ParseAutoResume reads automatic resume options as the browser bridge
// sends them: {"enabled":true,"maxAttempts":8,"minDelay":250,
// "maxDelay":15000,"waitForCalls":"queue"|"fail","queueTimeout":30000},
// delays in whole milliseconds. Missing members take the defaults; empty input
// or null is the default (on).
func ParseAutoResume(data []byte) (AutoResume, error) {
	a := AutoResume{Enabled: true}
	l := jsonr.Lexer{Data: data}
	if len(data) == 0 || l.IsNull() {
		return a.withDefaults(), nil
	}
	// Whole milliseconds: no float parsing (its tables cost the wasm
	// build more than this whole feature).
	ms := func() time.Duration { return time.Duration(l.Int64()) * time.Millisecond }
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		key := l.UnsafeFieldName(false)
		l.WantColon()
		switch key {
		case "enabled":
			a.Enabled = l.Bool()
		case "maxAttempts":
			a.MaxAttempts = l.Int()
		case "minDelay":
			a.MinDelay = ms()
		case "maxDelay":
			a.MaxDelay = ms()
		case "queueTimeout":
			a.QueueTimeout = ms()
		case "attemptTimeout":
			a.AttemptTimeout = ms()
		case "waitForCalls":
			switch w := l.String(); w {
			case "queue":
			case "fail":
				a.FailFast = true
			default:
				l.AddError(errors.New("waitForCalls must be queue or fail, got " + strconv.Quote(w)))
			}
		default:
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
	if err := l.Error(); err != nil {
		return AutoResume{}, errwrap.Wrap("failed to read resume options", err)
	}
	return a.withDefaults(), nil
}
