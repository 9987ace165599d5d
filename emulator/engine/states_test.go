package engine

import "testing"

func TestAlternateStates(t *testing.T) {
	d := openDemo(t)
	call(t, d, "AddAlternateState", "B")
	if _, res := call(t, d, "GetAppLayout"); dig(res, "qLayout", "qStateNames", 0) != "B" {
		t.Fatalf("qStateNames %v", dig(res, "qLayout", "qStateNames"))
	}
	fb := ret(t, mustCall(t, d, "GetField", "Region", "B"))
	call(t, fb, "Select", "East")
	// The default state is untouched.
	expectStates(t, d, "Region", map[string]string{"East": "O", "North": "O"})

	p := cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10)
	p["qHyperCubeDef"].(map[string]any)["qStateName"] = "B"
	g, hc := cubeLayout(t, d, p)
	expectRows(t, hc, [][]string{{"East", "34"}})
	if dig(hc, "qStateName") != "B" {
		t.Error("qStateName in layout")
	}
	_, hcDefault := cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10))
	if len(rowsOf(hcDefault)) != 3 {
		t.Fatal("default state cube filtered")
	}
	// Selecting in the state-B cube selects in state B.
	call(t, g, "SelectHyperCubeValues", "/qHyperCubeDef", 0, []int{0}, false)
	_, l := call(t, g, "GetLayout")
	expectRows(t, dig(l, "qLayout", "qHyperCube").(map[string]any), [][]string{{"North", "60"}})
	expectStates(t, d, "Region", map[string]string{"North": "O", "South": "O"})

	lp := listProps("Region", map[string]any{"qStateName": "B"})
	lo := ret(t, mustCall(t, d, "CreateSessionObject", lp))
	if got := listRows(t, lo); got[0] != "North:S" {
		t.Fatalf("state B list %v", got)
	}
	call(t, d, "ClearAll", false, "B")
	if got := listRows(t, lo); got[0] != "North:O" {
		t.Fatalf("after ClearAll B %v", got)
	}
	call(t, d, "RemoveAlternateState", "B")
	if _, res := call(t, d, "GetAppLayout"); len(dig(res, "qLayout", "qStateNames").([]any)) != 0 {
		t.Fatal("state not removed")
	}
}
