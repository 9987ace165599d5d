//go:build !js

package qixcore

import "crypto/rand"

// randomBytes fills b from crypto/rand.
func randomBytes(b []byte) {
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
}
