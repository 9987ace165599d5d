package engine

import (
	"context"
	"testing"
)

func TestConnections(t *testing.T) {
	lib := NewLibrary("")
	d, err := lib.Open("Demo")
	if err != nil {
		t.Fatal(err)
	}
	_, res := call(t, d, "CreateConnection", map[string]any{"qName": "files", "qConnectionString": "/data", "qType": "folder", "qPassword": "secret"})
	id, _ := res["qConnectionId"].(string)
	if id == "" {
		t.Fatalf("CreateConnection %v", res)
	}
	if _, err := d.Call(context.Background(), "CreateConnection", ParamList{map[string]any{"qName": "FILES", "qType": "folder"}}); err == nil || err.(*Error).Code != 2000 {
		t.Fatalf("duplicate name: %v", err)
	}
	// Another session of the app sees it; the password is never returned.
	d2, _ := lib.Open("Demo")
	_, res = call(t, d2, "GetConnection", id)
	c := res["qConnection"].(map[string]any)
	if c["qName"] != "files" || c["qConnectionString"] != "/data" || c["qType"] != "folder" || c["qPassword"] != nil || c["qLogOn"] != "LOG_ON_SERVICE_USER" {
		t.Fatalf("GetConnection %v", c)
	}
	call(t, d, "ModifyConnection", id, map[string]any{"qName": "files2", "qConnectionString": "/other", "qType": "odbc"}, false)
	_, res = call(t, d, "GetConnections")
	list := res["qConnections"].([]any)
	if len(list) != 1 || dig(list[0], "qName") != "files2" || dig(list[0], "qConnectionString") != "/other" || dig(list[0], "qType") != "folder" {
		t.Fatalf("after ModifyConnection %v", list)
	}
	call(t, d, "DeleteConnection", id)
	if _, err := d.Call(context.Background(), "GetConnection", ParamList{id}); err == nil || err.(*Error).Code != 2001 {
		t.Fatalf("deleted connection: %v", err)
	}
	if _, res := call(t, d, "GetConnections"); len(res["qConnections"].([]any)) != 0 {
		t.Fatalf("GetConnections after delete %v", res)
	}
}
