package emulator

import (
	"net/http"
	"net/url"
	"strings"
)

// tempContentLibrary is the optional part of a Library holding the files
// GenericObject.ExportData writes.
type tempContentLibrary interface {
	TempContent(doc, name string) (data []byte, contentType string, ok bool)
}

// TempContent serves the engine library's exported files.
func (e engineLibrary) TempContent(doc, name string) ([]byte, string, bool) {
	return e.l.TempContent(doc, name)
}

// serveTempContent answers GET /tempcontent/<app>/<file> (after any
// virtual proxy prefix) with a file ExportData wrote; handled is false for
// other paths. It keeps the WebSocket's rules: an Origin that may not
// connect is refused, and with a JWT secret the request needs the same
// bearer token.
func (s *Server) serveTempContent(w http.ResponseWriter, r *http.Request) bool {
	i := strings.Index(r.URL.EscapedPath(), "/tempcontent/")
	if i < 0 || strings.Contains(r.URL.EscapedPath()[:i]+"/", "/app/") {
		return false
	}
	rest := r.URL.EscapedPath()[i+len("/tempcontent/"):]
	doc, name, ok := strings.Cut(rest, "/")
	if !ok || doc == "" || name == "" || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return true
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return true
	}
	if err := OriginAllowed(r, s.cfg.AllowedOrigins); err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return true
	}
	if _, err := s.authenticate(r); err != nil && !s.cloud() {
		w.Header().Set("WWW-Authenticate", `Bearer realm="qix-emulator"`)
		http.Error(w, "unauthorized: "+err.Error(), http.StatusUnauthorized)
		return true
	}
	tl, ok := s.lib.(tempContentLibrary)
	docID, err1 := url.PathUnescape(doc)
	fileName, err2 := url.PathUnescape(name)
	if !ok || err1 != nil || err2 != nil {
		http.NotFound(w, r)
		return true
	}
	data, ctype, ok := tl.TempContent(docID, fileName)
	if !ok {
		http.NotFound(w, r)
		return true
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+fileName+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(data)
	return true
}
