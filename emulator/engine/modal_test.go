package engine

import (
	"context"
	"errors"
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

// TestModalRefusesOthers: while one object is in selection mode, the
// engine answers 6003 to another object's BeginSelections and selections
// and to a Field's selections; the holder selects freely; AbortModal (or
// destroying the holder) ends the mode and the same calls go through.
func TestModalRefusesOthers(t *testing.T) {
	d := saDoc(t)
	bars, _ := cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10))
	other, _ := cubeLayout(t, d, cubeProps([]string{"Product"}, []string{"Sum(Sales)"}, 10))
	f := ret(t, mustCall(t, d, "GetField", "Year"))
	refused := func(o Object, method string, params ...any) {
		t.Helper()
		_, err := o.Call(context.Background(), method, ParamList(params))
		var ee *Error
		if !errors.As(err, &ee) || ee.Code != 6003 {
			t.Fatalf("%s = %v, want 6003", method, err)
		}
	}
	call(t, bars, "BeginSelections", []string{"/qHyperCubeDef"})
	call(t, bars, "BeginSelections", []string{"/qHyperCubeDef"}) // the holder again: fine
	refused(other, "BeginSelections", []string{"/qHyperCubeDef"})
	refused(other, "SelectHyperCubeValues", "/qHyperCubeDef", 0, []int{0}, false)
	refused(f, "Select", "2021")
	refused(f, "LowLevelSelect", []int{0}, false)
	call(t, bars, "SelectHyperCubeValues", "/qHyperCubeDef", 0, []int{0}, false)
	call(t, other, "GetLayout")
	call(t, f, "GetCardinal")

	// AbortModal(false) ends it, cancelling the holder's pick.
	call(t, d, "AbortModal", false)
	call(t, other, "BeginSelections", []string{"/qHyperCubeDef"})
	call(t, other, "SelectHyperCubeValues", "/qHyperCubeDef", 0, []int{0}, false)
	refused(bars, "SelectHyperCubeValues", "/qHyperCubeDef", 0, []int{0}, false)

	// A destroyed holder ends the mode.
	_, props := call(t, other, "GetProperties")
	id := dig(props, "qProp", "qInfo", "qId").(string)
	call(t, d, "DestroySessionObject", id)
	call(t, f, "Select", "2021")
	call(t, bars, "BeginSelections", []string{"/qHyperCubeDef"})
}
