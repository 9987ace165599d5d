package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestCommittedFileIsCurrent fails when jsbridge/qix-methods.d.ts is stale:
// run `go generate ./qixcore/`.
func TestCommittedFileIsCurrent(t *testing.T) {
	have, err := os.ReadFile("../../../jsbridge/qix-methods.d.ts")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, Generate()) {
		t.Fatal("jsbridge/qix-methods.d.ts is out of date: run go generate ./qixcore/")
	}
}

func TestGenerateShapes(t *testing.T) {
	src := string(Generate())
	for _, want := range []string{
		"export interface Global extends QixObject {",
		"  openDoc(qDocName: string, qUserName?: string, qPassword?: string, qSerial?: string, qNoData?: boolean): Promise<Doc>;",
		"  openDoc(params: { qDocName: string; qUserName?: string; qPassword?: string; qSerial?: string; qNoData?: boolean }): Promise<Doc>;",
		"  createSessionObject(qProp: Record<string, any>): Promise<GenericObject>;",
		"  getField(qFieldName: string, qStateName?: string): Promise<Field>;",
		"  getVariableById(qId: string): Promise<GenericVariable>;",
		"  getLayout(): Promise<any>;",
		"  GenericObject: GenericObject;",
		"DO NOT EDIT",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("generated d.ts lacks %q", want)
		}
	}
	if strings.Contains(src, "createSessionObject(params:") {
		t.Error("object-first methods must not get the ambiguous named form")
	}
}
