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
		"DO NOT EDIT",
		// Definitions: objects, extra members, enums, aliases, free JSON.
		"export interface NxInfo {\n  qId?: string;\n  qType?: string;\n}\n",
		"  qHyperCube?: HyperCube;\n",
		"  qHyperCubeDef?: HyperCubeDef;\n",
		"  [member: string]: any;\n",
		"export type NxDimensionType = 'D' | 'NX_DIMENSION_TYPE_DISCRETE' | 'N' | 'NX_DIMENSION_TYPE_NUMERIC' | 'T' | 'NX_DIMENSION_TYPE_TIME';\n",
		"export type NxCellRows = NxCell[];\n",
		"export type NxMetaDef = Record<string, any>;\n",
		"  qMatrix?: NxCellRows[];\n",
		"export interface NxCell {\n  qText?: string;\n  qNum?: QixDouble;\n",
		"export type QixDouble = number | 'NaN' | 'Infinity' | '-Infinity';\n",
		// Methods: typed params, qReturn objects, out keys, several outs.
		"export interface Global extends QixObject {",
		"  openDoc(qDocName: string, qUserName?: string, qPassword?: string, qSerial?: string, qNoData?: boolean): QixPromise<Doc>;",
		"  openDoc(params: { qDocName: string; qUserName?: string; qPassword?: string; qSerial?: string; qNoData?: boolean }): QixPromise<Doc>;",
		"  createSessionObject(qProp: GenericObjectProperties): QixPromise<GenericObject>;",
		"  getField(qFieldName: string, qStateName?: string): QixPromise<Field>;",
		"  getVariableById(qId: string): QixPromise<GenericVariable>;",
		"  getLayout(): QixPromise<GenericObjectLayout>;",
		"  getHyperCubeData(qPath: string, qPages: NxPage[]): QixPromise<NxDataPage[]>;",
		"  selectHyperCubeValues(qPath: string, qDimNo: number, qValues: number[], qToggleMode: boolean): QixPromise<boolean>;",
		"  evaluate(qExpression: string): QixPromise<string>;",
		"  getInteract(qRequestId: number): QixPromise<InteractDef>;",
		"  checkExpression(qExpr: string, qLabels?: string[]): QixPromise<{ qErrorMsg: string; qBadFieldNames: NxRange[]; qDangerousFieldNames: NxRange[] }>;",
		"  clearAll(qLockedAlso?: boolean, qStateName?: string): QixPromise<Record<string, never>>;",
		"  getCardinal(): QixPromise<number>;",
		// Outside the specification: kinds and any.
		"  getCells(qRect: Record<string, any>): QixPromise<any>;",
		"  GenericObject: GenericObject;",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("generated d.ts lacks %q", want)
		}
	}
	if strings.Contains(src, "createSessionObject(params:") {
		t.Error("object-first methods must not get the ambiguous named form")
	}
}

func TestTsType(t *testing.T) {
	for in, want := range map[string]string{
		"string":     "string",
		"NxPage[]":   "NxPage[]",
		"object":     "Record<string, any>",
		"object[]":   "(Record<string, any>)[]",
		"NxCell[][]": "NxCell[][]",
	} {
		if got := tsType(in); got != want {
			t.Errorf("tsType(%q) = %q, want %q", in, got, want)
		}
	}
}
