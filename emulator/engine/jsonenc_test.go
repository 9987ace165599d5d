package engine

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

// refEncode is the straightforward encoder appendJSON replaces: obj in key
// order, everything else through encoding/json without HTML escaping.
func refEncode(t *testing.T, v any) []byte {
	t.Helper()
	switch x := v.(type) {
	case obj:
		var b bytes.Buffer
		b.WriteByte('{')
		for i, m := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(refEncode(t, m.K))
			b.WriteByte(':')
			b.Write(refEncode(t, m.V))
		}
		b.WriteByte('}')
		return b.Bytes()
	case []any:
		if x == nil {
			return []byte("null")
		}
		var b bytes.Buffer
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(refEncode(t, e))
		}
		b.WriteByte(']')
		return b.Bytes()
	case []obj:
		items := make([]any, len(x))
		for i := range x {
			items[i] = x[i]
		}
		if x == nil {
			items = nil
		}
		return refEncode(t, items)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("reference encoding of %#v: %v", v, err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func TestAppendJSONMatchesReference(t *testing.T) {
	values := []any{
		nil, true, 0, -7, int32(5), int64(1 << 40), 0.1, 1e6, 123456789.5, 1e21, 1e-7, -2.5e-9, 1e20,
		Float(math.NaN()), Float(math.Inf(1)), Float(math.Inf(-1)), Float(1e6), Float(-0.000001),
		"plain", "quote \" back \\ tab \t nl \n cr \r nul \x00 bell \x07", "<a href='x'>&amp;</a>", "é ü 日本 🎉",
		"bad utf8 \xff\xfe end", "line sep \u2028 para \u2029",
		json.Number("12.50"), json.RawMessage(`{"raw":[1,2]}`),
		[]string{"a", "<b>"}, []string(nil), []int{1, -2}, []int(nil), []any{}, []any(nil), []obj{}, []obj(nil),
		map[string]any{"b": 1, "a": []any{"x", obj{{"z", 1}}}},
		StateCounts{QLocked: 1, QSelected: 2, QOption: 3, QDeselected: 4, QAlternative: 5, QExcluded: 6, QSelectedExcluded: 7, QLockedExcluded: 8},
		Cell{QText: "a<b", QNum: Float(math.NaN()), QElemNumber: 3, QState: "O"},
		Cell{QText: "-", QNum: Float(math.NaN()), QElemNumber: -1, QState: "X", QIsNull: true, QIsTotalCell: true, QFrequency: "2"},
		[][]Cell{{{QText: "1", QNum: 1, QState: "L"}}, {}}, [][]Cell(nil),
		[]dataPage{{QMatrix: [][]Cell{{{QText: "x", QNum: 2.25}}}, QTails: []obj{{{"qUp", 0}, {"qDown", 0}}}, QArea: nxPage{1, 2, 3, 4}}},
		dataPage{}, fieldValue{QText: "t", QIsNumeric: true, QNumber: 4},
		obj{{"z", 1}, {"a", obj{{"y", []any{1.5, "s", obj{}}}, {"n", nil}}}, {"c", Cell{QText: "q"}}},
		obj(nil),
	}
	for _, v := range values {
		got, err := appendJSON(nil, v)
		if err != nil {
			t.Fatalf("%#v: %v", v, err)
		}
		if want := refEncode(t, v); !bytes.Equal(got, want) {
			t.Errorf("%#v:\n got %s\nwant %s", v, got, want)
		}
		if !json.Valid(got) {
			t.Errorf("%#v: invalid JSON %s", v, got)
		}
	}
}

func TestAppendJSONOnRealLayouts(t *testing.T) {
	d := openDemo(t)
	for _, props := range []map[string]any{
		cubeProps([]string{"Region", "Year"}, []string{"Sum(Sales)", "Avg(Quantity)"}, 20),
		{"qInfo": map[string]any{"qType": "lb"}, "qListObjectDef": map[string]any{"qDef": map[string]any{"qFieldDefs": []string{"Customer"}},
			"qInitialDataFetch": []any{map[string]any{"qWidth": 1, "qHeight": 10}}}},
	} {
		g := ret(t, mustCall(t, d, "CreateSessionObject", props))
		r := mustCall(t, g, "GetLayout")
		got, err := appendJSON(nil, r.Result[0].Value)
		if err != nil {
			t.Fatal(err)
		}
		if want := refEncode(t, r.Result[0].Value); !bytes.Equal(got, want) {
			t.Errorf("layout:\n got %s\nwant %s", got, want)
		}
	}
}

func BenchmarkEncodeSalesPage(b *testing.B) {
	d := openSales(b)
	g := ret(b, mustCall(b, d, "CreateSessionObject", cubeProps([]string{"OrderID"}, []string{"Sum(Sales)"}, 5000))).(*GenericObject)
	r := mustCall(b, g, "GetLayout")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := appendJSON(nil, r.Result[0].Value)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}
