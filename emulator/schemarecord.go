package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"sort"
	"sync"
)

// schemaRecorder checks every reply the server sends against the engine
// API specification (Config.SchemaCheck) and keeps what differs, so test
// suites written in other languages (Playwright, node) prove their replies
// are the schema's too: ./build.sh test runs them with the check on and
// fails on any violation (GET /_emulator/schema-violations, or the lines
// Config.SchemaReport collects from emulators the tests start themselves).
type schemaRecorder struct {
	spec   *EngineSpec
	report string // file appended with one JSON line per new violation
	logf   func(format string, args ...any)

	mu        sync.Mutex
	checked   int
	unchecked map[string]int // methods outside the spec (emulator extras)
	byKey     map[string]*SchemaViolation
	order     []string
}

// SchemaViolation is one way replies differed from the spec: the method,
// where in its result (array indices folded to [*]) and what, with how
// many times it was seen.
type SchemaViolation struct {
	Method  string `json:"method"`
	Path    string `json:"path"`
	Problem string `json:"problem"`
	Count   int    `json:"count"`
}

// SchemaReport is what GET /_emulator/schema-violations answers.
type SchemaReport struct {
	// Enabled is false when the server runs without Config.SchemaCheck.
	Enabled bool `json:"enabled"`
	// Checked is the number of replies checked.
	Checked int `json:"checked"`
	// Count is the number of distinct violations.
	Count int `json:"count"`
	// Violations lists them in the order first seen.
	Violations []SchemaViolation `json:"violations"`
	// Unchecked counts the replies of methods the spec does not have
	// (emulator extras), by "Class.Method".
	Unchecked map[string]int `json:"unchecked,omitempty"`
}

func newSchemaRecorder(cfg Config) *schemaRecorder {
	if cfg.SchemaCheck == nil {
		return nil
	}
	return &schemaRecorder{
		spec:      cfg.SchemaCheck,
		report:    cfg.SchemaReport,
		logf:      cfg.Logf,
		unchecked: map[string]int{},
		byKey:     map[string]*SchemaViolation{},
	}
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// check records the problems of one reply's result (raw JSON object) of
// method name ("Class.Method").
func (r *schemaRecorder) check(name string, result []byte) {
	if !r.spec.HasMethod(name) {
		r.mu.Lock()
		r.unchecked[name]++
		r.mu.Unlock()
		return
	}
	problems := r.spec.CheckResult(name, result)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checked++
	var fresh []SchemaViolation
	for _, p := range problems {
		path := indexRE.ReplaceAllString(p.Path, "[*]")
		key := path + "\x00" + p.Problem
		if v := r.byKey[key]; v != nil {
			v.Count++
			continue
		}
		v := &SchemaViolation{Method: name, Path: path, Problem: p.Problem, Count: 1}
		r.byKey[key] = v
		r.order = append(r.order, key)
		fresh = append(fresh, *v)
	}
	for _, v := range fresh {
		r.logf("qix-emulator: reply differs from the schema: %s: %s", v.Path, v.Problem)
	}
	if r.report != "" && len(fresh) > 0 {
		if err := appendReport(r.report, fresh); err != nil {
			r.logf("qix-emulator: %v", err)
		}
	}
}

// appendReport appends violations as JSON lines (O_APPEND: emulators of
// several processes may share one file).
func appendReport(name string, vs []SchemaViolation) error {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("failed to open the schema report: %w", err)
	}
	var b []byte
	for _, v := range vs {
		line, _ := json.Marshal(v)
		b = append(append(b, line...), '\n')
	}
	_, werr := f.Write(b)
	if err := f.Close(); werr == nil {
		werr = err
	}
	if werr != nil {
		return fmt.Errorf("failed to write the schema report: %w", werr)
	}
	return nil
}

// snapshot is the report so far.
func (r *schemaRecorder) snapshot() SchemaReport {
	if r == nil {
		return SchemaReport{Violations: []SchemaViolation{}}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := SchemaReport{Enabled: true, Checked: r.checked, Count: len(r.order), Violations: make([]SchemaViolation, 0, len(r.order))}
	for _, k := range r.order {
		out.Violations = append(out.Violations, *r.byKey[k])
	}
	if len(r.unchecked) > 0 {
		out.Unchecked = map[string]int{}
		keys := make([]string, 0, len(r.unchecked))
		for k := range r.unchecked {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out.Unchecked[k] = r.unchecked[k]
		}
	}
	return out
}

// reset forgets what was recorded.
func (r *schemaRecorder) reset() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checked = 0
	r.unchecked = map[string]int{}
	r.byKey = map[string]*SchemaViolation{}
	r.order = nil
}

// SchemaViolations is the schema check's report so far (Enabled false
// without Config.SchemaCheck).
func (s *Server) SchemaViolations() SchemaReport { return s.schema.snapshot() }

// serveSchemaAdmin answers /_emulator/schema-violations (loopback only):
// GET the report, DELETE to start over.
func (s *Server) serveSchemaAdmin(w http.ResponseWriter, r *http.Request) {
	if !loopback(r.RemoteAddr) {
		http.Error(w, "admin is loopback only", http.StatusForbidden)
		return
	}
	switch r.Method {
	case http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s.schema.snapshot())
	case http.MethodDelete:
		s.schema.reset()
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, DELETE")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}
