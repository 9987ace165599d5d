package engine

import (
	"context"
	"reflect"
	"testing"
)

func TestCheckExpression(t *testing.T) {
	d := openDemo(t)
	check := func(expr string, labels ...string) map[string]any {
		t.Helper()
		_, res := call(t, d, "CheckExpression", expr, labels)
		return res
	}
	if res := check("=Sum(Sales) / Count(DISTINCT [Customer])"); res["qErrorMsg"] != "" || len(res["qBadFieldNames"].([]any)) != 0 ||
		len(res["qDangerousFieldNames"].([]any)) != 0 {
		t.Fatalf("valid expression: %v", res)
	}
	// Bad field names come back as ranges of the expression text.
	expr := "=Sum(Sale) + Avg([No Such])"
	res := check(expr)
	bad := res["qBadFieldNames"].([]any)
	if res["qErrorMsg"] != "" || len(bad) != 2 {
		t.Fatalf("bad fields: %v", res)
	}
	var got []string
	for _, b := range bad {
		from, n := int(dig(b, "qFrom").(float64)), int(dig(b, "qCount").(float64))
		got = append(got, expr[from:from+n])
	}
	if !reflect.DeepEqual(got, []string{"Sale", "[No Such]"}) {
		t.Fatalf("bad field ranges cover %q", got)
	}
	// Labels and variables are no bad field names; set modifiers are.
	if res := check("=Sum(Sales) * MyLabel * vDemoTotal", "MyLabel"); len(res["qBadFieldNames"].([]any)) != 0 {
		t.Fatalf("label/variable reported: %v", res)
	}
	res = check("=Sum({<Regio={'North'}>} Sales)")
	if bad := res["qBadFieldNames"].([]any); len(bad) != 1 || dig(bad[0], "qFrom") != 7.0 || dig(bad[0], "qCount") != 5.0 {
		t.Fatalf("set modifier field: %v", res)
	}
	if res := check("=Sum({<Region={'North'}>} Sales)"); len(res["qBadFieldNames"].([]any)) != 0 || res["qErrorMsg"] != "" {
		t.Fatalf("valid set expression: %v", res)
	}
	// Syntax errors and unknown functions are messages.
	if res := check("=Sum(Sales"); res["qErrorMsg"] == "" {
		t.Fatalf("syntax error: %v", res)
	}
	if res := check("=NoSuchFunc(Sales)"); res["qErrorMsg"] == "" {
		t.Fatalf("unknown function: %v", res)
	}
}

func TestCheckNumberOrExpression(t *testing.T) {
	d := openDemo(t)
	for expr, ok := range map[string]bool{"12.5": true, "=Sum(Sales)": true, "=Sum(Nope)": false, "=1+": false} {
		_, res := call(t, d, "CheckNumberOrExpression", expr)
		clean := res["qErrorMsg"] == "" && len(res["qBadFieldNames"].([]any)) == 0
		if clean != ok {
			t.Errorf("%q: %v", expr, res)
		}
		if _, has := res["qDangerousFieldNames"]; has {
			t.Errorf("%q: CheckNumberOrExpression has no qDangerousFieldNames", expr)
		}
	}
}

func TestExpandAndFieldsFromExpression(t *testing.T) {
	d := openDemo(t)
	if _, res := call(t, d, "ExpandExpression", "=Sum(Sales) / $(vDemoTotal)"); res["qExpandedExpression"] != "=Sum(Sales) / 114" {
		t.Fatalf("ExpandExpression %v", res)
	}
	_, res := call(t, d, "GetFieldsFromExpression", "=Sum({<Region={'North'}>} Sales * Price) + Count(Sales) + Sum(Nope)")
	if got := res["qFieldNames"]; !reflect.DeepEqual(got, []any{"Region", "Sales", "Price"}) {
		t.Fatalf("GetFieldsFromExpression %v", got)
	}
}

func TestGetSetAnalysis(t *testing.T) {
	d := openDemo(t)
	if _, res := call(t, d, "GetSetAnalysis"); res["qSetExpression"] != "{$}" {
		t.Fatalf("no selections: %v", res)
	}
	call(t, ret(t, mustCall(t, d, "GetField", "Region")), "SelectValues", []map[string]any{{"qText": "North"}, {"qText": "East"}})
	_, res := call(t, d, "GetSetAnalysis", "", "")
	set := res["qSetExpression"].(string)
	if set != "{$<Region={'North','East'}>}" && set != "{$<Region={'East','North'}>}" {
		t.Fatalf("set expression %q", set)
	}
	mustCall(t, d, "CreateBookmark", map[string]any{"qInfo": map[string]any{"qId": "bm"}})
	call(t, d, "ClearAll")
	// The generated set, evaluated without selections, gives what the
	// selections gave (North 60 + East 34).
	if v, err := d.evalExpr("Sum(" + set + " Sales)"); err != nil || v.Num != 94 {
		t.Fatalf("Sum(%s Sales) = %v, %v", set, v, err)
	}
	if _, res := call(t, d, "GetSetAnalysis", "$", "bm"); res["qSetExpression"] != set {
		t.Fatalf("from bookmark: %v, want %s", res, set)
	}
	if _, err := d.Call(context.Background(), "GetSetAnalysis", ParamList{"NoState", ""}); err == nil {
		t.Fatal("unknown state: no error")
	}
}

func TestMatchingFields(t *testing.T) {
	d := openDemo(t)
	_, res := call(t, d, "GetMatchingFields", []string{"$numeric", "$integer"})
	names := map[string]bool{}
	for _, f := range res["qFieldNames"].([]any) {
		names[dig(f, "qName").(string)] = true
	}
	if !names["Sales"] || !names["RegionID"] || names["Region"] {
		t.Fatalf("GetMatchingFields all: %v", names)
	}
	_, res = call(t, d, "GetMatchingFields", []string{"$text", "$integer"}, "MATCHINGFIELDMODE_MATCH_ONE")
	names = map[string]bool{}
	for _, f := range res["qFieldNames"].([]any) {
		names[dig(f, "qName").(string)] = true
	}
	if !names["Region"] || !names["RegionID"] {
		t.Fatalf("GetMatchingFields one: %v", names)
	}
	_, res = call(t, d, "FindMatchingFields", "Region", []string{"$text"})
	names = map[string]bool{}
	for _, f := range res["qFieldNames"].([]any) {
		names[dig(f, "qName").(string)] = true
	}
	if !names["Region"] || !names["Customer"] || names["Sales"] {
		t.Fatalf("FindMatchingFields: %v", names)
	}
	if _, res := call(t, d, "GetFieldOnTheFlyByName", "Region"); res["qName"] != "" {
		t.Fatalf("GetFieldOnTheFlyByName: %v", res)
	}
}
