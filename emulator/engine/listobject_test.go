package engine

import (
	"reflect"
	"testing"
)

func listProps(field string, extra map[string]any) map[string]any {
	def := map[string]any{
		"qDef":              map[string]any{"qFieldDefs": []string{field}},
		"qInitialDataFetch": []any{map[string]any{"qWidth": 1, "qHeight": 100}},
	}
	for k, v := range extra {
		def[k] = v
	}
	return map[string]any{"qInfo": map[string]any{"qType": "listbox"}, "qListObjectDef": def}
}

// listRows returns "text:state" of the list object's first page.
func listRows(t *testing.T, g Object) []string {
	t.Helper()
	_, l := call(t, g, "GetLayout")
	var out []string
	for _, r := range dig(l, "qLayout", "qListObject", "qDataPages", 0, "qMatrix").([]any) {
		c := r.([]any)[0].(map[string]any)
		out = append(out, c["qText"].(string)+":"+c["qState"].(string))
	}
	return out
}

func TestListObject(t *testing.T) {
	d := openDemo(t)
	g := ret(t, mustCall(t, d, "CreateSessionObject", listProps("Region", map[string]any{"qShowAlternatives": true})))
	_, l := call(t, g, "GetLayout")
	lo := dig(l, "qLayout", "qListObject").(map[string]any)
	if dig(lo, "qSize", "qcy") != 3.0 || dig(lo, "qSize", "qcx") != 1.0 || dig(lo, "qDimensionInfo", "qFallbackTitle") != "Region" {
		t.Fatalf("layout %v", lo)
	}
	if got := listRows(t, g); !reflect.DeepEqual(got, []string{"North:O", "South:O", "East:O"}) {
		t.Fatalf("rows %v", got)
	}
	r, res := call(t, g, "SelectListObjectValues", "/qListObjectDef", []int{0}, false, false)
	if res["qSuccess"] != true || !containsObj(r.Changed, d) {
		t.Fatal("select")
	}
	if got := listRows(t, g); !reflect.DeepEqual(got, []string{"North:S", "South:A", "East:A"}) {
		t.Fatalf("rows %v", got)
	}
	call(t, g, "SelectListObjectValues", "/qListObjectDef", []int{2}, true, false)
	if got := listRows(t, g); !reflect.DeepEqual(got, []string{"North:S", "South:A", "East:S"}) {
		t.Fatalf("toggle rows %v", got)
	}
	// Without qShowAlternatives alternatives show as excluded.
	g2 := ret(t, mustCall(t, d, "CreateSessionObject", listProps("Region", nil)))
	if got := listRows(t, g2); !reflect.DeepEqual(got, []string{"North:S", "South:X", "East:S"}) {
		t.Fatalf("rows %v", got)
	}
	call(t, g, "SelectListObjectExcluded", "/qListObjectDef", false)
	expectStates(t, d, "Region", map[string]string{"South": "S", "North": "A"})
	call(t, g, "SelectListObjectAll", "/qListObjectDef", false)
	expectStates(t, d, "Region", map[string]string{"South": "S", "North": "S", "East": "S"})
	call(t, g, "ClearSelections", "/qListObjectDef")
	cust := ret(t, mustCall(t, d, "CreateSessionObject", listProps("Customer", nil)))
	call(t, g, "SelectListObjectValues", "/qListObjectDef", []int{1}, false, false) // South
	call(t, cust, "SelectListObjectPossible", "/qListObjectDef", false)
	expectStates(t, d, "Customer", map[string]string{"Carol": "S", "Frank": "S", "Alice": "X"})

	// Search filters the list; accept selects the matches.
	call(t, d, "ClearAll")
	call(t, cust, "SearchListObjectFor", "/qListObjectDef", "a")
	if got := listRows(t, cust); !reflect.DeepEqual(got, []string{"Alice:O", "Carol:O", "Dave:O", "Frank:O"}) {
		t.Fatalf("search rows %v", got)
	}
	call(t, cust, "AbortListObjectSearch", "/qListObjectDef")
	if got := listRows(t, cust); len(got) != 6 {
		t.Fatalf("after abort %v", got)
	}
	call(t, cust, "SearchListObjectFor", "/qListObjectDef", "*o*")
	call(t, cust, "AcceptListObjectSearch", "/qListObjectDef", false, false)
	expectStates(t, d, "Customer", map[string]string{"Bob": "S", "Carol": "S", "Alice": "A"})

	// Sorting by state and frequency.
	call(t, d, "ClearAll")
	call(t, fieldOf(t, d, "Region"), "Select", "East")
	g3 := ret(t, mustCall(t, d, "CreateSessionObject", listProps("Region", map[string]any{
		"qDef": map[string]any{"qFieldDefs": []string{"Region"}, "qSortCriterias": []any{map[string]any{"qSortByState": 1, "qSortByAscii": 1}}},
	})))
	if got := listRows(t, g3); !reflect.DeepEqual(got, []string{"East:S", "North:X", "South:X"}) {
		t.Fatalf("state sort %v", got)
	}
	call(t, d, "ClearAll")
	g4 := ret(t, mustCall(t, d, "CreateSessionObject", listProps("CustomerID", map[string]any{"qFrequencyMode": "V"})))
	_, l = call(t, g4, "GetLayout")
	// CustomerID occurs first in Customers (1 row each).
	if f := dig(l, "qLayout", "qListObject", "qDataPages", 0, "qMatrix", 0, 0, "qFrequency"); f != "1" {
		t.Fatalf("frequency %v", f)
	}
	_, res = call(t, g4, "GetListObjectData", "/qListObjectDef", []map[string]int{{"qTop": 2, "qHeight": 2, "qWidth": 1}})
	if got := matrixTexts(dig(res, "qDataPages", 0, "qMatrix")); !reflect.DeepEqual(got, [][]string{{"3"}, {"4"}}) {
		t.Fatalf("page %v", got)
	}
}

func TestModalSelections(t *testing.T) {
	d := openDemo(t)
	g := ret(t, mustCall(t, d, "CreateSessionObject", listProps("Region", nil)))
	call(t, g, "BeginSelections", []string{"/qListObjectDef"})
	call(t, g, "SelectListObjectValues", "/qListObjectDef", []int{0}, true, false)
	_, l := call(t, g, "GetLayout")
	if dig(l, "qLayout", "qSelectionInfo", "qInSelections") != true || dig(l, "qLayout", "qSelectionInfo", "qMadeSelections") != true {
		t.Fatalf("selection info %v", dig(l, "qLayout", "qSelectionInfo"))
	}
	call(t, g, "EndSelections", false) // cancel: back to before
	expectStates(t, d, "Region", map[string]string{"North": "O"})
	call(t, g, "BeginSelections", []string{"/qListObjectDef"})
	call(t, g, "SelectListObjectValues", "/qListObjectDef", []int{1}, true, false)
	call(t, g, "EndSelections", true)
	expectStates(t, d, "Region", map[string]string{"South": "S"})
	_, l = call(t, g, "GetLayout")
	if len(dig(l, "qLayout", "qSelectionInfo").(map[string]any)) != 0 {
		t.Fatal("selection info after end")
	}
}
