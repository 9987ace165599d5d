package engine

import (
	"reflect"
	"testing"
)

// cubeStates lists each row's first cell text, qState and the first
// measure's text.
func cubeStates(t *testing.T, g Object) [][]string {
	t.Helper()
	_, l := call(t, g, "GetLayout")
	var out [][]string
	rows, _ := dig(l, "qLayout", "qHyperCube", "qDataPages", 0, "qMatrix").([]any)
	for i := range rows {
		out = append(out, []string{
			dig(rows, i, 0, "qText").(string), dig(rows, i, 0, "qState").(string), dig(rows, i, 1, "qText").(string),
		})
	}
	return out
}

func TestModalObjectKeepsItsValues(t *testing.T) {
	d := saDoc(t)
	bars, _ := cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10))
	other, _ := cubeLayout(t, d, cubeProps([]string{"Product"}, []string{"Sum(Sales)"}, 10))
	// Year 2021 first: only North (2) and West (1) have sales then.
	f := ret(t, mustCall(t, d, "GetField", "Year"))
	call(t, f, "SelectValues", []any{map[string]any{"qText": "2021", "qIsNumeric": true, "qNumber": 2021}}, false, false)
	want := [][]string{{"North", "O", "2"}, {"West", "O", "1"}}
	if got := cubeStates(t, bars); !reflect.DeepEqual(got, want) {
		t.Fatalf("before: %v, want %v", got, want)
	}
	call(t, bars, "BeginSelections", []string{"/qHyperCubeDef"})
	call(t, bars, "SelectHyperCubeValues", "/qHyperCubeDef", 0, []int{0}, false) // North
	// In selection mode the chart keeps West, now an alternative; the
	// Year selection still applies.
	want = [][]string{{"North", "S", "2"}, {"West", "A", "1"}}
	if got := cubeStates(t, bars); !reflect.DeepEqual(got, want) {
		t.Fatalf("in selection mode: %v, want %v", got, want)
	}
	// Other objects follow the selection at once.
	if got := cubeStates(t, other); !reflect.DeepEqual(got, [][]string{{"A", "O", "2"}}) {
		t.Fatalf("other object: %v", got)
	}
	call(t, bars, "EndSelections", true)
	if got := cubeStates(t, bars); !reflect.DeepEqual(got, [][]string{{"North", "S", "2"}}) {
		t.Fatalf("after confirm: %v", got)
	}
	// Cancelling restores the object and the selection.
	call(t, bars, "BeginSelections", []string{"/qHyperCubeDef"})
	call(t, bars, "SelectHyperCubeValues", "/qHyperCubeDef", 0, []int{1}, true) // toggle West in
	call(t, bars, "EndSelections", false)
	if got := cubeStates(t, bars); !reflect.DeepEqual(got, [][]string{{"North", "S", "2"}}) {
		t.Fatalf("after cancel: %v", got)
	}
}
