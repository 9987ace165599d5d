package engine

import "testing"

// The concrete types the protocol side receives implement the contract.
var (
	_ Object   = (*Doc)(nil)
	_ Object   = (*GenericObject)(nil)
	_ Object   = (*Field)(nil)
	_ Object   = (*Variable)(nil)
	_ Progress = (*Doc)(nil)
)

func TestErrorText(t *testing.T) {
	e := &Error{Code: 1003, Parameter: "x", Message: "App not found"}
	if e.Error() != "App not found: x" {
		t.Fatal(e.Error())
	}
}

func TestNotFoundIsTypedNil(t *testing.T) {
	if notFound == nil || !isNilObject(notFound) {
		t.Fatal("notFound must be a typed nil Object so the protocol side writes {qType:null,qHandle:null}")
	}
}
