package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

var (
	specOnce sync.Once
	spec     *EngineSpec
	specErr  error
)

// loadEngineSpec reads engine-rpc.json from the enigma-go module once.
func loadEngineSpec() (*EngineSpec, error) {
	specOnce.Do(func() { spec, specErr = LoadEngineSpec("auto") })
	return spec, specErr
}

// checkRepliesAgainstSchema checks every result in recv against the
// schema of the method its request called (sent, by request id). Handles
// map to classes through the object references the replies themselves
// return, as a client learns them.
func checkRepliesAgainstSchema(t testing.TB, sent map[int64]egCall, recv [][]byte) []string {
	t.Helper()
	sp, err := loadEngineSpec()
	if err != nil {
		t.Fatal(err)
	}
	classes := map[int]string{-1: "Global"}
	var problems []string
	for _, raw := range recv {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var m struct {
			ID     *int64 `json:"id"`
			Result any    `json:"result"`
		}
		if d.Decode(&m) != nil || m.ID == nil || m.Result == nil {
			continue
		}
		learnHandles(m.Result, classes)
		call, ok := sent[*m.ID]
		if !ok {
			continue
		}
		for _, p := range sp.CheckDecoded(classes[call.Handle]+"."+call.Method, m.Result) {
			problems = append(problems, p.String())
		}
	}
	return problems
}

// dedupeProblems folds array indices ([3] → [*]) so a wrong key repeated
// over many rows is reported once, with its count.
func dedupeProblems(problems []string) []string {
	idx := regexp.MustCompile(`\[\d+\]`)
	count := map[string]int{}
	var order []string
	for _, p := range problems {
		k := idx.ReplaceAllString(p, "[*]")
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	for i, k := range order {
		if count[k] > 1 {
			order[i] = fmt.Sprintf("%s (%d times)", k, count[k])
		}
	}
	return order
}

// testDoubleKeys are reply keys of the test doubles in server_test.go
// (fakeDoc), not of the emulator.
var testDoubleKeys = []string{`Doc.GetAppLayout.qLayout: key "qSel" is not in the schema`}

// checkTestReplies checks the replies a test client received (every
// emulator test that dials): methods outside the schema (emulator extras
// such as GetConfiguration, the test doubles' own methods) are left out.
func checkTestReplies(t testing.TB, sent map[int64]egCall, recv [][]byte) {
	t.Helper()
	var kept []string
	for _, p := range checkRepliesAgainstSchema(t, sent, recv) {
		if strings.HasSuffix(p, "not a method of the schema") || slices.ContainsFunc(testDoubleKeys, func(k string) bool { return strings.HasPrefix(p, k) }) {
			continue
		}
		kept = append(kept, p)
	}
	for _, p := range dedupeProblems(kept) {
		t.Errorf("reply differs from the schema: %s", p)
	}
}

// learnHandles records the class of every object reference in v.
func learnHandles(v any, classes map[int]string) {
	switch v := v.(type) {
	case map[string]any:
		if typ, ok := v["qType"].(string); ok {
			if h, ok := v["qHandle"].(json.Number); ok {
				if n, err := h.Int64(); err == nil {
					classes[int(n)] = typ
				}
			}
		}
		for _, x := range v {
			learnHandles(x, classes)
		}
	case []any:
		for _, x := range v {
			learnHandles(x, classes)
		}
	}
}

// TestEnigmaGoSchemaCheck shows the reply check catches a wrong key, a
// wrong JSON type and a value outside an enum, and passes a right reply.
func TestEnigmaGoSchemaCheck(t *testing.T) {
	sent := map[int64]egCall{
		1: {Handle: -1, Method: "OpenDoc"},
		2: {Handle: 1, Method: "GetTablesAndKeys"},
		3: {Handle: -1, Method: "GetProgress"},
		4: {Handle: 1, Method: "Evaluate"},
		5: {Handle: 1, Method: "NoSuchMethod"},
		6: {Handle: 1, Method: "GetObject"},
		7: {Handle: 1, Method: "GetField"},
	}
	recv := [][]byte{
		[]byte(`{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_CREATED"}}`),
		[]byte(`{"jsonrpc":"2.0","id":1,"result":{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"Demo"}}}`),
		[]byte(`{"jsonrpc":"2.0","id":2,"result":{"qtr":[],"qk":[{"qTables":["A"],"qFields":["F"],"qKeyType":"ANY_KEY"}]}}`),
		[]byte(`{"jsonrpc":"2.0","id":3,"result":{"qProgressData":{"qErrorData":[{"qErrorString":"x","qLineEnd":"","qLine":"","qErrorDataCode":0}]}}}`),
		[]byte(`{"jsonrpc":"2.0","id":4,"result":{"qReturn":"7"}}`),
		[]byte(`{"jsonrpc":"2.0","id":5,"result":{}}`),
		[]byte(`{"jsonrpc":"2.0","id":6,"result":{"qReturn":{"qType":null,"qHandle":null}}}`),
		[]byte(`{"jsonrpc":"2.0","id":7,"result":{"qReturn":{"qType":"Field","qHandle":"2"}}}`),
	}
	got := strings.Join(checkRepliesAgainstSchema(t, sent, recv), "\n")
	for _, want := range []string{
		`Doc.GetTablesAndKeys.qk[0]: key "qFields" is not in the schema`,
		`Global.GetProgress.qProgressData.qErrorData[0].qErrorDataCode: a number where the schema has a string`,
		`Doc.NoSuchMethod: not a method of the schema`,
		`Doc.GetField.qReturn.qHandle: a string where the schema has an integer`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Evaluate") || strings.Contains(got, "OpenDoc") || strings.Contains(got, "GetObject") {
		t.Errorf("a right reply was reported:\n%s", got)
	}
	bad := [][]byte{[]byte(`{"jsonrpc":"2.0","id":3,"result":{"qProgressData":{"qErrorData":[{"qErrorDataCode":"EDC_OOPS"}]}}}`)}
	if got := checkRepliesAgainstSchema(t, sent, bad); len(got) != 1 || !strings.Contains(got[0], `"EDC_OOPS" is not one of`) {
		t.Errorf("enum: %v", got)
	}
}
