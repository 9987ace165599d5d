package engine

import (
	"context"
	"encoding/json"
	"testing"
)

func TestBookmarkApplyVerifyAndReplace(t *testing.T) {
	d := openDemo(t)
	region := ret(t, mustCall(t, d, "GetField", "Region"))
	call(t, region, "SelectValues", []map[string]any{{"qText": "North"}, {"qText": "East"}})
	bm := ret(t, mustCall(t, d, "CreateBookmark", json.RawMessage(`{"qInfo":{"qId":"b1"},"qMetaDef":{"title":"NE"}}`)))
	call(t, d, "ClearAll")
	if _, res := call(t, bm, "Apply"); res["qSuccess"] != true {
		t.Fatalf("Apply %v", res)
	}
	if v, _ := d.evalExpr("Sum(Sales)"); v.Num != 94 {
		t.Fatalf("after Apply: Sum(Sales) = %v, want 94", v.Num)
	}
	_, res := call(t, bm, "GetFieldValues", "Region", false, map[string]any{"qStartIndex": 0, "qEndIndex": 1})
	if vals := res["qFieldValues"].([]any); len(vals) != 1 || dig(vals[0], "qText") != "North" {
		t.Fatalf("GetFieldValues page %v", res)
	}
	_, res = call(t, bm, "GetFieldValues", "Region", false, map[string]any{})
	if vals := res["qFieldValues"].([]any); len(vals) != 2 {
		t.Fatalf("GetFieldValues all %v", res)
	}
	call(t, d, "ClearAll")
	_, res = call(t, bm, "ApplyAndVerify")
	if dig(res, "qResult", "qApplySuccess") != true || len(dig(res, "qResult", "qWarnings").([]any)) != 0 {
		t.Fatalf("ApplyAndVerify %v", res)
	}
	// A value the data no longer has is reported missing.
	bmData := d.lookupObj("b1").bookmark
	bmData.values["Region"] = append(bmData.values["Region"], "West")
	_, res = call(t, d, "ApplyAndVerifyBookmark", "b1")
	w := dig(res, "qResult", "qWarnings", 0)
	if dig(w, "qField") != "Region" || dig(w, "qVerifyResult") != "FIELD_VALUE_MISSING" || dig(w, "qMissingValues", 0) != "West" {
		t.Fatalf("ApplyAndVerifyBookmark warnings %v", res)
	}
	// ReplaceBookmark stores the current selections in the same bookmark.
	call(t, d, "ClearAll")
	call(t, region, "Select", "South")
	r, res := call(t, d, "ReplaceBookmark", "b1")
	if dig(res, "qInfo", "qId") != "b1" || ret(t, r) != bm {
		t.Fatalf("ReplaceBookmark %v", res)
	}
	call(t, d, "ClearAll")
	call(t, d, "ApplyBookmark", "b1")
	if v, _ := d.evalExpr("Sum(Sales)"); v.Num != 20 {
		t.Fatalf("replaced bookmark: Sum(Sales) = %v, want South's 20", v.Num)
	}
	if _, err := d.Call(context.Background(), "ReplaceBookmark", ParamList{"nope"}); err == nil {
		t.Fatal("ReplaceBookmark of a missing id: no error")
	}
}

func TestSessionAlternateStates(t *testing.T) {
	d := openDemo(t)
	call(t, ret(t, mustCall(t, d, "GetField", "Region")), "Select", "North")
	call(t, d, "AddSessionAlternateState", "S1", "$")
	// The new state starts from the source state's selections.
	var v Val
	d.withState("S1", func() { v, _ = d.evalExpr("Sum(Sales)") })
	if v.Num != 60 {
		t.Fatalf("S1 from $: Sum(Sales) = %v, want 60", v.Num)
	}
	if _, l := call(t, d, "GetAppLayout"); len(dig(l, "qLayout", "qStateNames").([]any)) != 0 {
		t.Fatalf("session state listed in qStateNames: %v", dig(l, "qLayout", "qStateNames"))
	}
	if _, res := call(t, d, "RemoveSessionAlternateState", "S1"); res["qSuccess"] != true {
		t.Fatalf("RemoveSessionAlternateState %v", res)
	}
	if _, res := call(t, d, "RemoveSessionAlternateState", "S1"); res["qSuccess"] != false {
		t.Fatalf("removing twice %v", res)
	}
}
