package engine

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"sync"
)

// tempContent keeps the files ExportData writes, in memory, for the HTTP
// side's /tempcontent/<doc>/<file> route: at most tempMaxFiles files and
// tempMaxBytes bytes, the oldest dropped first, as an engine's temporary
// content folder is cleaned up.
type tempContent struct {
	mu    sync.Mutex
	files map[string]*tempFile
	order []string // keys, oldest first
	bytes int
}

// tempFile is one exported file.
type tempFile struct {
	data  []byte
	ctype string
	once  bool // qServeOnce: removed by its first download
}

const (
	tempMaxFiles = 256
	tempMaxBytes = 64 << 20
)

// put stores a file of doc and returns the URL path it is served at.
func (tc *tempContent) put(doc, ext string, f *tempFile) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	name := hex.EncodeToString(b[:]) + ext
	key := doc + "/" + name
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.files == nil {
		tc.files = map[string]*tempFile{}
	}
	tc.files[key] = f
	tc.order = append(tc.order, key)
	tc.bytes += len(f.data)
	for len(tc.order) > 1 && (len(tc.order) > tempMaxFiles || tc.bytes > tempMaxBytes) {
		tc.dropLocked(tc.order[0])
	}
	return "/tempcontent/" + url.PathEscape(doc) + "/" + name
}

// get returns a stored file; a serve-once file is removed.
func (tc *tempContent) get(doc, name string) (*tempFile, bool) {
	key := doc + "/" + name
	tc.mu.Lock()
	defer tc.mu.Unlock()
	f, ok := tc.files[key]
	if ok && f.once {
		tc.dropLocked(key)
	}
	return f, ok
}

// dropLocked removes a file (tc.mu held).
func (tc *tempContent) dropLocked(key string) {
	f, ok := tc.files[key]
	if !ok {
		return
	}
	delete(tc.files, key)
	tc.bytes -= len(f.data)
	for i, k := range tc.order {
		if k == key {
			tc.order = append(tc.order[:i:i], tc.order[i+1:]...)
			break
		}
	}
}

// TempContent returns a file ExportData wrote for app doc (the unescaped
// app id) under name, with its content type; ok is false when there is
// none (never written, dropped, or served once already).
func (l *Library) TempContent(doc, name string) (data []byte, contentType string, ok bool) {
	f, ok := l.temp.get(doc, name)
	if !ok {
		return nil, "", false
	}
	return f.data, f.ctype, true
}
