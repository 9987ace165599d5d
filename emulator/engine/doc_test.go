package engine

import (
	"context"
	"strings"
	"sync"
	"testing"
)

func TestDoSave(t *testing.T) {
	l := NewLibrary("")
	s, _ := l.NewSessionApp("SessionApp_x", "")
	_, err := s.Call(context.Background(), "DoSave", ParamList{""})
	if e, ok := err.(*Error); !ok || e.Code != 9009 {
		t.Fatalf("DoSave on a session app: %v", err)
	}
	d, _ := l.Open("Demo")
	r, res := call(t, d, "DoSave", "")
	if len(res) != 0 || len(r.Changed) != 1 || r.Changed[0] != Object(d) {
		t.Fatalf("DoSave: %v %v", res, r.Changed)
	}
}

func TestSessionAppFromTemplate(t *testing.T) {
	l := NewLibrary("")
	orig, _ := l.Open("Demo")
	call(t, orig, "CreateObject", map[string]any{"qInfo": map[string]any{"qId": "o1", "qType": "x"}, "a": 1})
	s, err := l.NewSessionApp("SessionApp_t", "Demo")
	if err != nil {
		t.Fatal(err)
	}
	if s.GenericID() != "SessionApp_t" {
		t.Fatal("id")
	}
	if _, res := call(t, s, "Evaluate", "Sum(Sales)"); res["qReturn"] != "114" {
		t.Fatalf("copied data: %v", res)
	}
	if _, res := call(t, s, "GetScript"); res["qScript"] != DemoScript {
		t.Fatal("copied script")
	}
	g := ret(t, mustCall(t, s, "GetObject", "o1"))
	if isNilObject(g) {
		t.Fatal("copied object missing")
	}
	// Changing the copy leaves the template alone.
	call(t, g, "SetProperties", map[string]any{"qInfo": map[string]any{"qId": "o1", "qType": "x"}, "a": 2})
	_, p := call(t, ret(t, mustCall(t, orig, "GetObject", "o1")), "GetProperties")
	if dig(p, "qProp", "a") != 1.0 {
		t.Fatal("template changed")
	}
	call(t, s, "SetScript", "T: LOAD 1 as One AUTOGENERATE 1;")
	call(t, s, "DoReload")
	if _, res := call(t, orig, "Evaluate", "Sum(Sales)"); res["qReturn"] != "114" {
		t.Fatal("template data changed")
	}
	if _, err := l.NewSessionApp("x", "NoSuchApp"); err == nil {
		t.Fatal("unknown template")
	}
	_, lay := call(t, s, "GetAppLayout")
	if dig(lay, "qLayout", "qIsSessionApp") != true {
		t.Fatal("qIsSessionApp")
	}
}

func TestDocEvaluateAndInfo(t *testing.T) {
	d := openDemo(t)
	for expr, want := range map[string]string{
		"Sum(Sales)":                 "114",
		"=Sum(Sales) / 2":            "57",
		"Count(DISTINCT Region)":     "3",
		"'a' & 'b'":                  "ab",
		"$(vDemoTotal) - Sum(Sales)": "0",
		"vDemoTotal + 1":             "115",
		"GetSelectedCount(Region)":   "0",
		"Upper('x') & Len('abc')":    "X3",
		"If(1 > 2, 'y', 'n')":        "n",
		"Year(MakeDate(2024, 5, 6))": "2024",
		"Max(OrderDate)":             "45650",
		"Date(Max(OrderDate))":       "2024-12-24",
		"Round(7.25, 0.5)":           "7.5",
		"Mod(7, 3) + Div(7, 2)":      "4",
		"2 * (3 + 4) - -1":           "15",
		"Sum(Sales) >= 114 and 1":    "-1",
	} {
		if _, res := call(t, d, "Evaluate", expr); res["qReturn"] != want {
			t.Errorf("Evaluate(%s) = %v, want %s", expr, res["qReturn"], want)
		}
	}
	if _, res := call(t, d, "Evaluate", "Sum(("); !strings.HasPrefix(res["qReturn"].(string), "Error") {
		t.Errorf("bad expression: %v", res)
	}
	_, res := call(t, d, "EvaluateEx", "Avg(Sales)")
	if dig(res, "qValue", "qNumber") != 9.5 || dig(res, "qValue", "qIsNumeric") != true || dig(res, "qValue", "qText") != "9.5" {
		t.Errorf("EvaluateEx %v", res)
	}
	_, res = call(t, d, "GetTablesAndKeys", map[string]any{}, map[string]any{}, 0, false, false)
	if len(res["qtr"].([]any)) != 4 || len(res["qk"].([]any)) != 3 {
		t.Errorf("tables and keys: %d tables, %d keys", len(res["qtr"].([]any)), len(res["qk"].([]any)))
	}
	_, res = call(t, d, "GetFieldDescription", "Region")
	if dig(res, "qReturn", "qCardinal") != 3.0 || dig(res, "qReturn", "qSrcTables", 0) != "Regions" {
		t.Errorf("field description %v", res)
	}
	_, res = call(t, d, "GetLocaleInfo")
	if dig(res, "qReturn", "qDecimalSep") != "." {
		t.Error("locale")
	}
	call(t, d, "SetAppProperties", map[string]any{"qTitle": "Demo title", "custom": 1})
	_, res = call(t, d, "GetAppProperties")
	if dig(res, "qProp", "qTitle") != "Demo title" || dig(res, "qProp", "custom") != 1.0 {
		t.Errorf("app properties %v", res)
	}
	_, res = call(t, d, "GetAppLayout")
	if dig(res, "qLayout", "qTitle") != "Demo title" || dig(res, "qLayout", "qHasData") != true {
		t.Errorf("app layout %v", res)
	}
}

func TestPersistedAndSessionObjectsAcrossSessions(t *testing.T) {
	l := NewLibrary("")
	a, _ := l.Open("Demo")
	b, _ := l.Open("Demo")
	call(t, a, "CreateObject", map[string]any{"qInfo": map[string]any{"qId": "shared", "qType": "x"}})
	call(t, a, "CreateSessionObject", map[string]any{"qInfo": map[string]any{"qId": "mine", "qType": "x"}})
	if isNilObject(ret(t, mustCall(t, b, "GetObject", "shared"))) {
		t.Fatal("persisted object not shared")
	}
	if !isNilObject(ret(t, mustCall(t, b, "GetObject", "mine"))) {
		t.Fatal("session object leaked")
	}
	// Selections are per session.
	call(t, fieldOf(t, a, "Region"), "Select", "North")
	expectStates(t, b, "Region", map[string]string{"North": "O", "South": "O"})
	// A reload in one session keeps the other's selections where the new
	// data still has the values.
	call(t, fieldOf(t, b, "Region"), "Select", "South")
	call(t, a, "DoReload")
	expectStates(t, b, "Region", map[string]string{"South": "S", "North": "A"})
	a.Close()
	if _, err := a.Call(context.Background(), "GetScript", nil); err == nil {
		t.Fatal("closed doc must fail")
	}
}

func TestConcurrentCalls(t *testing.T) {
	l := NewLibrary("")
	d, _ := l.Open("Demo")
	g := ret(t, mustCall(t, d, "CreateSessionObject", cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10)))
	f := fieldOf(t, d, "Region")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx := context.Background()
			for j := 0; j < 20; j++ {
				if _, err := f.Call(ctx, "Select", ParamList{[]string{"North", "South", "East"}[(i+j)%3]}); err != nil {
					t.Error(err)
				}
				if _, err := g.Call(ctx, "GetLayout", nil); err != nil {
					t.Error(err)
				}
				if _, err := d.Call(ctx, "Evaluate", ParamList{"Sum(Sales)"}); err != nil {
					t.Error(err)
				}
				_ = d.Progress()
			}
		}(i)
	}
	wg.Wait()
}

func TestNamedParams(t *testing.T) {
	d := openDemo(t)
	r, err := d.Call(context.Background(), "Evaluate", ParamMap{"qExpression": "Sum(Quantity)"})
	if err != nil || marshalResult(t, r)["qReturn"] != "62" {
		t.Fatal(err)
	}
	if _, err := d.Call(context.Background(), "Evaluate", ParamList{42}); err == nil {
		t.Fatal("wrong parameter type must fail")
	}
}
