package emulator

import "time"

// Clock runs the session TTL timers. It is injectable so tests can make a
// TTL lapse without sleeping.
type Clock interface {
	// AfterFunc calls f in its own goroutine once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc call.
type Timer interface {
	// Stop prevents the call; false when it already ran or was stopped.
	Stop() bool
}

// NoSessionTTL is the Config.MaxSessionTTL that caps every TTL to zero
// (0 itself means "default 1800").
const NoSessionTTL = -2

// realClock is the wall clock.
type realClock struct{}

func (realClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// seconds turns a TTL in seconds into a duration.
func seconds(n int) time.Duration { return time.Duration(n) * time.Second }

// effectiveTTL is the TTL a connection sets on its session: its /ttl/<s>
// segment or Config.SessionTTL, capped by Config.MaxSessionTTL (-1 = no
// cap). Infinite TTL (-1) is only kept when the cap is -1 too.
func (s *Server) effectiveTTL(urlTTL *int) int {
	t := s.cfg.SessionTTL
	if urlTTL != nil {
		t = *urlTTL
	}
	max := s.cfg.MaxSessionTTL
	if max < -1 {
		return 0
	}
	if max < 0 {
		if t < 0 {
			return -1
		}
		return t
	}
	if t < 0 || t > max {
		return max
	}
	return t
}
