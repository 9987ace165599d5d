package engine

import (
	"encoding/json"
	"testing"
)

func TestOrderedJSONRoundTrip(t *testing.T) {
	src := `{"z":1,"a":[1,"x",{"q":null,"b":true}],"m":{"y":2.5,"c":"d"}}`
	o, err := parseObj([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(o)
	if string(b) != src {
		t.Fatalf("round trip %s", b)
	}
	if v, ok := getPath(o, "/a/2/b"); !ok || v != true {
		t.Fatal("getPath")
	}
	if _, ok := getPath(o, "/a/9"); ok {
		t.Fatal("getPath out of range")
	}
	c := deepCopy(o).(obj)
	c.set("z", 2)
	c.del("a")
	if v, _ := o.get("z"); v.(json.Number) != "1" {
		t.Fatal("deepCopy shares data")
	}
	if _, err := parseObj([]byte(`[1]`)); err == nil {
		t.Fatal("array is not an object")
	}
	if o, err := parseObj([]byte(`null`)); err != nil || len(o) != 0 {
		t.Fatal("null → empty object")
	}
}
