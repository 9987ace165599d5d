package engine

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestFolderConnectionBrowsing(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "orders.csv"), []byte("\ufeffId;Amount\n1;10\n2;20\n3;30\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := NewLibrary(dir).Open("Demo")
	if err != nil {
		t.Fatal(err)
	}
	_, res := call(t, d, "CreateConnection", map[string]any{"qName": "data", "qConnectionString": dir, "qType": "folder"})
	id := res["qConnectionId"].(string)
	_, res = call(t, d, "GetFolderItemsForConnection", id, "")
	if got := res["qFolderItems"]; !reflect.DeepEqual(got, []any{
		map[string]any{"qName": "orders.csv", "qType": "FILE"}, map[string]any{"qName": "sub", "qType": "FOLDER"}}) {
		t.Fatalf("GetFolderItemsForConnection %v", got)
	}
	_, res = call(t, d, "GuessFileType", id, "orders.csv")
	f := res["qDataFormat"].(map[string]any)
	if f["qType"] != "CSV" || dig(f, "qDelimiter", "qName") != "Semicolon" || f["qLabel"] != "embedded labels" {
		t.Fatalf("GuessFileType %v", f)
	}
	if _, res := call(t, d, "GetFileTables", id, "orders.csv", f); dig(res, "qTables", 0, "qName") != "orders" {
		t.Fatalf("GetFileTables %v", res)
	}
	_, res = call(t, d, "GetFileTableFields", id, "orders.csv", f, "orders")
	if dig(res, "qFields", 0, "qName") != "Id" || dig(res, "qFields", 1, "qName") != "Amount" || res["qFormatSpec"] != "(txt, utf8, embedded labels, delimiter is ';', msq)" {
		t.Fatalf("GetFileTableFields %v", res)
	}
	_, res = call(t, d, "GetFileTablePreview", id, "orders.csv", f, "orders")
	if prev := res["qPreview"].([]any); len(prev) != 3 || !reflect.DeepEqual(dig(prev[2], "qValues"), []any{"3", "30"}) {
		t.Fatalf("GetFileTablePreview %v", res)
	}
	// The spec the editor writes loads the file.
	mustCall(t, d, "SetScript", "T: LOAD * FROM [lib://data/orders.csv] "+res["qFormatSpec"].(string)+";")
	if _, res := call(t, d, "DoReload"); res["qReturn"] != true {
		t.Fatalf("reload with the format spec: %v", res)
	}
	if v, _ := d.evalExprLocked(t, "Sum(Amount)"); v.Num != 60 {
		t.Fatalf("Sum(Amount) = %v", v.Num)
	}
	if _, err := d.Call(context.Background(), "GuessFileType", ParamList{id, "../../etc/passwd"}); err == nil {
		t.Fatal("path outside the data folder: no error")
	}
	// A connection the loader cannot read from cannot be browsed either.
	_, res = call(t, d, "CreateConnection", map[string]any{"qName": "db", "qConnectionString": "x", "qType": "ODBC"})
	if _, err := d.Call(context.Background(), "GetFolderItemsForConnection", ParamList{res["qConnectionId"], ""}); err == nil {
		t.Fatal("browsing an ODBC connection: no error")
	}
}
