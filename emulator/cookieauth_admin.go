package emulator

import (
	"encoding/json"
	"net/http"
	"sort"
)

// integrationJSON is a web integration as /_emulator/web-integrations reads
// and writes it (the fields of Qlik Cloud's web integrations API).
type integrationJSON struct {
	ID           string   `json:"id"`
	ValidOrigins []string `json:"validOrigins"`
}

// serveIntegrationAdmin lists (GET) or adds or replaces (POST) web
// integrations; loopback only. A POST without an id gets a random one.
func (a *cookieAuth) serveIntegrationAdmin(w http.ResponseWriter, r *http.Request) {
	if !loopback(r.RemoteAddr) {
		http.Error(w, "web integration admin is loopback only", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch r.Method {
	case http.MethodGet:
		a.mu.Lock()
		out := make([]integrationJSON, 0, len(a.integrations))
		for id, o := range a.integrations {
			out = append(out, integrationJSON{ID: id, ValidOrigins: append([]string{}, o...)})
		}
		a.mu.Unlock()
		sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
		_ = json.NewEncoder(w).Encode(map[string]any{"data": out})
	case http.MethodPost:
		var in integrationJSON
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil {
			http.Error(w, "failed to read web integration: "+err.Error(), http.StatusBadRequest)
			return
		}
		if len(in.ValidOrigins) == 0 {
			http.Error(w, "failed to read web integration: no validOrigins", http.StatusBadRequest)
			return
		}
		if in.ID == "" {
			in.ID = randomToken()[:22]
		}
		a.mu.Lock()
		a.integrations[in.ID] = append([]string(nil), in.ValidOrigins...)
		a.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(in)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}
