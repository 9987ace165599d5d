package emulator

import (
	"errors"
	"testing"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

// TestEnigmaGoDeleteApp: enigma-go deletes an app it created; the open
// app and an unknown one answer engine errors.
func TestEnigmaGoDeleteApp(t *testing.T) {
	ctx, g := egSession(t)
	ok, _, err := g.CreateApp(ctx, "ToDelete", "", "")
	must(t, "CreateApp", err)
	if !ok {
		t.Fatalf("CreateApp: qSuccess false")
	}
	ok, err = g.DeleteApp(ctx, "ToDelete")
	must(t, "DeleteApp", err)
	if !ok {
		t.Errorf("DeleteApp: qSuccess false")
	}
	docs, err := g.GetDocList(ctx)
	must(t, "GetDocList", err)
	for _, d := range docs {
		if d.DocName == "ToDelete" {
			t.Errorf("GetDocList still lists the deleted app")
		}
	}
	if _, err := g.DeleteApp(ctx, "ToDelete"); !egCode(err, 1003) {
		t.Errorf("DeleteApp of a missing app: %v", err)
	}
	_, err = g.OpenDoc(ctx, "Demo", "", "", "", false)
	must(t, "OpenDoc", err)
	if _, err := g.DeleteApp(ctx, "Demo"); !egCode(err, 1002) {
		t.Errorf("DeleteApp of the open app: %v", err)
	}
}

// egCode reports whether err is an engine error with that code.
func egCode(err error, code int) bool {
	var ee enigma.Error
	return errors.As(err, &ee) && ee.Code() == code
}
