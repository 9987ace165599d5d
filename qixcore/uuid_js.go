//go:build js

package qixcore

import "math/rand/v2"

// randomBytes fills b from math/rand/v2's global generator: the runtime's
// ChaCha8, a cryptographically strong generator seeded from the browser's
// crypto.getRandomValues. crypto/rand would add its DRBG, AES, SHA-2/3 and
// HMAC to qix.wasm (≈ 90 KB of code) for the same unpredictability of a
// session app id.
func randomBytes(b []byte) {
	for i := 0; i < len(b); i += 8 {
		v := rand.Uint64()
		for j := i; j < len(b) && j < i+8; j++ {
			b[j] = byte(v)
			v >>= 8
		}
	}
}
