package emulator

import "testing"

// TestAppViewOverTheWire: the Doc methods enigma-go's specification lacks
// (GetActiveSheetId, SetAppObjectSortingRank, GetLayoutProperties,
// MigrateDerivedFields, MigrateVariables) answer their schema Out names
// over the protocol side.
func TestAppViewOverTheWire(t *testing.T) {
	_, hs := engineServer(t, Config{})
	c, _ := dial(t, hs, "/app/Demo", nil)
	doc := handleOf(t, c.call(-1, "OpenDoc", []any{"Demo"}).ok(t))
	sheet := handleOf(t, c.call(doc, "CreateObject", []any{map[string]any{"qInfo": map[string]any{"qId": "sh1", "qType": "sheet"}}}).ok(t))
	c.call(sheet, "GetLayout", nil).ok(t)
	if got := string(c.call(doc, "GetActiveSheetId", nil).ok(t)["qId"]); got != `"sh1"` {
		t.Errorf("GetActiveSheetId qId %s", got)
	}
	if r := c.call(doc, "SetAppObjectSortingRank", map[string]any{"qId": "sh1", "qRank": 3}).ok(t); len(r) != 0 {
		t.Errorf("SetAppObjectSortingRank: %v", r)
	}
	c.call(doc, "SetAppObjectSortingRank", []any{"nosuchobject", 1}).errCode(t, 2)
	if got := string(c.call(doc, "GetLayoutProperties", nil).ok(t)["qLayoutProp"]); got != `{"qHasSectionAccess":false}` {
		t.Errorf("GetLayoutProperties qLayoutProp %s", got)
	}
	for _, m := range []string{"MigrateDerivedFields", "MigrateVariables", "Resume"} {
		if r := c.call(doc, m, nil).ok(t); len(r) != 0 {
			t.Errorf("%s: %v", m, r)
		}
	}
}
