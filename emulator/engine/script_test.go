package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runOK(t *testing.T, script string) (*Model, []scriptVar) {
	t.Helper()
	m, vars, err := runScript(context.Background(), script, "", nil)
	if err != nil {
		t.Fatalf("script failed: %v", err)
	}
	return m, vars
}

// texts lists a field's values as text in load order.
func texts(m *Model, field string) []string {
	fi := m.field(field)
	if fi < 0 {
		return nil
	}
	var out []string
	for _, v := range m.Fields[fi].Values {
		out = append(out, v.Text())
	}
	return out
}

func TestScriptTrafficAutogenerate(t *testing.T) {
	m, _ := runOK(t, "\nTempTable:\nLoad\nRecNo() as ID,\nRand() as Value\nAutoGenerate 100\n;")
	if len(m.Tables) != 1 || m.Tables[0].Name != "TempTable" || m.Tables[0].Rows != 100 {
		t.Fatalf("tables: %+v", m.Tables)
	}
	ids := m.Fields[m.field("ID")]
	if len(ids.Values) != 100 || ids.Values[0].Num != 1 || ids.Values[99].Num != 100 {
		t.Fatalf("ID values wrong")
	}
	vals := m.Fields[m.field("Value")]
	for _, v := range vals.Values {
		if v.Num < 0 || v.Num >= 1 {
			t.Fatalf("Rand() out of range: %v", v.Num)
		}
	}
}

func TestScriptTrafficScriptWithoutSemicolon(t *testing.T) {
	// The recorded traffic sends the script without a final ';'.
	d := sessionWithScript(t, "\nTempTable:\nLoad\nRecNo() as ID,\nRand() as Value\nAutoGenerate 100\n")
	if d.model.Tables[0].Rows != 100 {
		t.Fatal("rows")
	}
}

func TestScriptInlineQuotedAndRenames(t *testing.T) {
	m, _ := runOK(t, `
// line comment
/* block
   comment */
T: load Name AS Person, "Amount" as [Total Amount], Upper(City) as City inline [
Name, Amount, City
"Smith, John", 10, oslo
'O''Brien', 2.5, bergen
Ann,, Oslo
];`)
	if got := texts(m, "Person"); strings.Join(got, "|") != "Smith, John|O'Brien|Ann" {
		t.Errorf("Person = %q", got)
	}
	if got := texts(m, "Total Amount"); strings.Join(got, "|") != "10|2.5|" {
		t.Errorf("Total Amount = %q", got)
	}
	if got := texts(m, "City"); strings.Join(got, "|") != "OSLO|BERGEN" {
		t.Errorf("City = %q", got)
	}
}

func TestScriptExpressions(t *testing.T) {
	m, _ := runOK(t, `
SET vFactor = 10;
LET vTwo = 1 + 1;
Facts:
LOAD
  A * $(vFactor) + $(vTwo) as Calc,
  A & '-' & B as Label,
  Year(D) as Y, Month(D) as M, Round(F, 0.1) as R,
  If(A > 1, 'big', 'small') as Size,
  (A + 1) * 2 as Paren
INLINE [
A, B, D, F
1, x, 2024-03-15, 1.26
2, y, 2023-12-01, 3.14
];`)
	check := func(field, want string) {
		t.Helper()
		if got := strings.Join(texts(m, field), "|"); got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	check("Calc", "12|22")
	check("Label", "1-x|2-y")
	check("Y", "2024|2023")
	check("M", "Mar|Dec")
	check("R", "1.3|3.1")
	check("Size", "small|big")
	check("Paren", "4|6")
	if m.Fields[m.field("M")].Values[0].Num != 3 {
		t.Error("Month() must be a dual with number 3")
	}
}

func TestScriptSetLetVariables(t *testing.T) {
	_, vars := runOK(t, "SET a = 'hello';\nset B=world;\nLet c = 2*21;")
	want := map[string]string{"a": "hello", "B": "world", "c": "42"}
	for _, v := range vars {
		if want[v.Name] != v.Value {
			t.Errorf("%s = %q", v.Name, v.Value)
		}
		delete(want, v.Name)
	}
	if len(want) > 0 {
		t.Errorf("missing %v", want)
	}
}

func TestScriptFromCSV(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "people.csv"), []byte("Name,Age\nAnn,30\n\"Bo, Jr\",41\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, _, err := runScript(context.Background(),
		"People: LOAD Name, Age + 1 as Next FROM [lib://data/people.csv] (txt, utf8, embedded labels, delimiter is ',');", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(texts(m, "Name"), "|"); got != "Ann|Bo, Jr" {
		t.Errorf("Name = %q", got)
	}
	if got := strings.Join(texts(m, "Next"), "|"); got != "31|42" {
		t.Errorf("Next = %q", got)
	}
	if _, _, err := runScript(context.Background(), "X: LOAD * FROM [lib://data/../../etc/passwd] (txt);", dir, nil); err == nil {
		t.Error("escaping the data folder must fail")
	}
}

func TestScriptResidentWhereDistinctDropConcat(t *testing.T) {
	m, _ := runOK(t, `
A: LOAD * INLINE [
K, V
1, 10
2, 20
2, 20
3, 30
];
B: NoConcatenate LOAD DISTINCT K as K2, V RESIDENT A WHERE V >= 20;
C: LOAD * INLINE [
K, V
4, 40
];
DROP TABLE B;
`)
	if len(m.Tables) != 1 || m.Tables[0].Name != "A" || m.Tables[0].Rows != 5 {
		t.Fatalf("auto-concatenate/drop: %d tables, first %s rows %d", len(m.Tables), m.Tables[0].Name, m.Tables[0].Rows)
	}
	m, _ = runOK(t, "A: LOAD * INLINE [\nK\n1\n];\nB: NoConcatenate LOAD DISTINCT K as K2 RESIDENT A;")
	if len(m.Tables) != 2 {
		t.Fatalf("NoConcatenate: %d tables", len(m.Tables))
	}
}

func TestScriptCaseInsensitiveKeywords(t *testing.T) {
	m, _ := runOK(t, "t: lOaD rEcNo() AS n aUtOgEnErAtE 3;")
	if m.Tables[0].Rows != 3 {
		t.Fatal("rows")
	}
}

func TestScriptSyntaxErrors(t *testing.T) {
	for _, s := range []string{
		"T: LOAD A INLINE [\nA\n1\n",        // unterminated [
		"T: LOAD A, FROM x;",                // missing field
		"T: LOAD A;",                        // no source
		"T: LOAD (A INLINE [\nA\n1\n];",     // bad parentheses
		"LIB CONNECT TO x;\nT: SELECT A;",   // unsupported
		"T: LOAD Nope INLINE [\nA\n1\n];",   // unknown field
		"T: LOAD A INLINE [\nA\n1\n] junk;", // trailing junk
		"/* never closed",
	} {
		if _, _, err := runScript(context.Background(), s, "", nil); err == nil {
			t.Errorf("script %q: expected an error", s)
		}
	}
}

func TestDoReloadSyntaxErrorReportsFalse(t *testing.T) {
	d, _ := NewLibrary("").NewSessionApp("s1", "")
	call(t, d, "SetScript", "T: LOAD A INLINE [\nA\n1\n];")
	if _, res := call(t, d, "DoReload"); res["qReturn"] != true {
		t.Fatal("first reload should succeed")
	}
	call(t, d, "SetScript", "T: LOAD A, FROM;")
	_, res := call(t, d, "DoReload", 0, false, false)
	if res["qReturn"] != false {
		t.Fatalf("qReturn = %v", res["qReturn"])
	}
	p := d.Progress()
	if p.Error == "" || !p.Finished {
		t.Fatalf("progress: %+v", p)
	}
	// The data of the last good reload stays.
	if d.model.field("A") < 0 {
		t.Fatal("data lost after failed reload")
	}
	_, res = call(t, d, "DoReloadEx", map[string]any{})
	if dig(res, "qResult", "qSuccess") != false {
		t.Fatalf("DoReloadEx: %v", res)
	}
	if _, ok := dig(res, "qResult").(map[string]any)["qScriptLogFile"]; !ok {
		t.Fatal("qScriptLogFile missing")
	}
	call(t, d, "SetScript", "T: LOAD A INLINE [\nA\n1\n];")
	_, res = call(t, d, "DoReloadEx")
	if dig(res, "qResult", "qSuccess") != true || dig(res, "qResult", "qEndedWithMemoryConstraint") != false {
		t.Fatalf("DoReloadEx: %v", res)
	}
	if p := d.Progress(); p.Error != "" || !p.Finished || p.Persistent != "T << INLINE 1 Lines fetched\n" || p.Transient != "" {
		t.Fatalf("progress after success: %+v", p)
	}
}

func TestReloadCancellation(t *testing.T) {
	d, _ := NewLibrary("").NewSessionApp("s2", "")
	call(t, d, "SetScript", "T: LOAD 1 as One AUTOGENERATE 1;\nBig: LOAD RecNo() as N, Rand() * RecNo() as X AUTOGENERATE 4000000;")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := d.Call(ctx, "DoReload", ParamList{})
		done <- err
	}()
	// Cancel once the big LOAD is visibly fetching rows.
	waitProgress(t, d, func(p ProgressInfo) bool { return strings.HasPrefix(p.Transient, "Big << AUTOGENERATE(4000000) ") })
	cancel()
	if err := <-done; !errors.Is(err, ErrAborted) {
		t.Fatalf("err = %v, want ErrAborted", err)
	}
	p := d.Progress()
	if !p.Finished || p.Error != "Request aborted" || !strings.HasSuffix(p.Persistent, "Execution of script aborted by user.\n") {
		t.Fatalf("progress after abort: %+v", p)
	}
	// The doc stays usable and keeps its (empty) data: nothing was replaced.
	if _, res := call(t, d, "GetTablesAndKeys"); len(res["qtr"].([]any)) != 0 {
		t.Fatalf("tables after an aborted reload: %v", res["qtr"])
	}
}

func TestScriptRowLimit(t *testing.T) {
	if _, _, err := runScript(context.Background(), "T: LOAD 1 as X AUTOGENERATE 1e9;", "", nil); err == nil {
		t.Fatal("a billion rows must be refused")
	}
}

func TestSplitLabel(t *testing.T) {
	for in, want := range map[string]string{"T:\nLOAD": "T", "[My T]: LOAD": "My T", "LOAD a": "", "SET x = 1": ""} {
		if got, _ := splitLabel(in); got != want {
			t.Errorf("splitLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzScript checks that no script, however broken, panics the loader.
func FuzzScript(f *testing.F) {
	f.Add(DemoScript)
	f.Add("\nTempTable:\nLoad\nRecNo() as ID,\nRand() as Value\nAutoGenerate 100\n")
	f.Add("SET a = 1; LET b = $(a) + 1; T: LOAD A & 'x' as B, If(A>1, 1) INLINE [\nA\n1\n2\n] WHERE A > 0;")
	f.Fuzz(func(t *testing.T, s string) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, _, _ = runScript(ctx, s, "", nil)
	})
}

// FuzzExpr checks that expression parsing and evaluation never panic.
func FuzzExpr(f *testing.F) {
	for _, s := range []string{"Sum(Sales)/Count(DISTINCT Customer)", "If(Year>2023,'a',Mid('abc',2))", "-(-1)&'x'", "Only(Region) like 'N*'"} {
		f.Add(s)
	}
	d, _ := NewLibrary("").Open("Demo")
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := d.Call(context.Background(), "Evaluate", ParamList{s}); err != nil {
			if e, ok := err.(*Error); ok && e.Code == -32603 {
				t.Fatalf("panic on %q: %v", s, e.Parameter)
			}
		}
	})
}
