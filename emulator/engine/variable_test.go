package engine

import "testing"

func TestVariables(t *testing.T) {
	d := openDemo(t)
	r, _ := call(t, d, "CreateSessionVariable", map[string]any{"qName": "vMult", "qDefinition": "2"})
	v := ret(t, r)
	if v.Type() != "GenericVariable" || v.GenericType() != "variable" || v.GenericID() == "" {
		t.Fatal("identity")
	}
	if _, res := call(t, d, "Evaluate", "Sum(Sales) * vMult + $(vMult)"); res["qReturn"] != "230" {
		t.Fatalf("variable in expression: %v", res)
	}
	r, _ = call(t, v, "SetNumValue", 3)
	if !containsObj(r.Changed, d) {
		t.Fatal("SetNumValue change list")
	}
	if _, res := call(t, d, "Evaluate", "Sum(Sales) * vMult"); res["qReturn"] != "342" {
		t.Fatalf("after SetNumValue: %v", res)
	}
	call(t, v, "SetStringValue", "=Sum(Quantity)")
	_, l := call(t, v, "GetLayout")
	if dig(l, "qLayout", "qText") != "62" || dig(l, "qLayout", "qNum") != 62.0 || dig(l, "qLayout", "qIsScriptCreated") != false {
		t.Fatalf("layout %v", l)
	}
	if _, res := call(t, d, "Evaluate", "$(vMult) + 1"); res["qReturn"] != "63" {
		t.Fatalf("calculated variable expansion: %v", res)
	}
	_, p := call(t, v, "GetProperties")
	if dig(p, "qProp", "qName") != "vMult" || dig(p, "qProp", "qDefinition") != "=Sum(Quantity)" {
		t.Fatalf("props %v", p)
	}
	if _, res := call(t, d, "GetVariableByName", "vMult"); dig(res, "qReturn", "qType") != "GenericVariable" {
		t.Fatal("GetVariableByName")
	}
	if _, res := call(t, d, "GetVariableById", v.GenericID()); dig(res, "qReturn", "qGenericId") != v.GenericID() {
		t.Fatal("GetVariableById")
	}
	// Script variables are visible too.
	sv := ret(t, mustCall(t, d, "GetVariableByName", "vDemoTotal"))
	if _, l := call(t, sv, "GetLayout"); dig(l, "qLayout", "qText") != "114" || dig(l, "qLayout", "qIsScriptCreated") != true {
		t.Fatalf("script variable %v", l)
	}
	r, res := call(t, d, "DestroySessionVariable", v.GenericID())
	if res["qSuccess"] != true || !containsObj(r.Closed, v) {
		t.Fatal("DestroySessionVariable")
	}
	if _, res := call(t, d, "GetVariableByName", "vMult"); dig(res, "qReturn", "qType") != nil {
		t.Fatal("variable still there")
	}
	r, res = call(t, d, "CreateVariableEx", map[string]any{"qInfo": map[string]any{"qId": "v2", "qType": "variable"}, "qName": "vPersist", "qDefinition": "'x'"})
	if dig(res, "qInfo", "qId") != "v2" {
		t.Fatalf("CreateVariableEx %v", res)
	}
	if _, err := d.Call(t.Context(), "CreateVariableEx", ParamList{map[string]any{"qName": "vPersist"}}); err == nil {
		t.Fatal("duplicate name must fail")
	}
	if _, res := call(t, d, "DestroyVariableByName", "vPersist"); res["qSuccess"] != true {
		t.Fatal("DestroyVariableByName")
	}
}
