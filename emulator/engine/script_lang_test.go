package engine

import (
	"context"
	"strings"
	"testing"
)

// joined is a field's values (load order) joined with "|".
func joined(m *Model, field string) string { return strings.Join(texts(m, field), "|") }

// varOf returns a script variable's value.
func varOf(vars []scriptVar, name string) string {
	for _, v := range vars {
		if strings.EqualFold(v.Name, name) {
			return v.Value
		}
	}
	return "<unset>"
}

func wantField(t *testing.T, m *Model, field, want string) {
	t.Helper()
	if got := joined(m, field); got != want {
		t.Errorf("%s = %q, want %q", field, got, want)
	}
}

func wantErr(t *testing.T, script, contains string, line int) {
	t.Helper()
	_, _, err := runScript(context.Background(), script, "", nil)
	if err == nil {
		t.Fatalf("script %q: expected an error", script)
	}
	if !strings.Contains(err.Error(), contains) || line > 0 && !strings.Contains(err.Error(), "\n\nline "+itoa(line)+": ") {
		t.Fatalf("error %q, want %q on line %d", err, contains, line)
	}
}

func itoa(n int) string { return formatNum(float64(n)) }

func TestScriptComments(t *testing.T) {
	m, vars := runOK(t, `// a line comment; with a semicolon
REM a REM comment, isn't it; SET x = 1;
/* a block
   comment; LOAD nothing */
SET y = 2; // trailing
rem lower-case rem;
T: LOAD /* inline */ A // after a field
INLINE [
A
1
];`)
	// REM ends at the first ';', whatever quotes it holds.
	if varOf(vars, "x") != "1" || varOf(vars, "y") != "2" {
		t.Fatalf("REM must end at its ';': x=%q y=%q", varOf(vars, "x"), varOf(vars, "y"))
	}
	wantField(t, m, "A", "1")
}

func TestScriptDollarExpansion(t *testing.T) {
	m, vars := runOK(t, `SET vTable = Sales;
SET vAdd = ($1 + $2);
LET vSum = $(vAdd(2, 3)) * 2;
LET vCalc = $(=1+2) & 'x';
$(vTable): LOAD RecNo() as N AUTOGENERATE $(vSum);`)
	if varOf(vars, "vSum") != "10" || varOf(vars, "vCalc") != "3x" {
		t.Fatalf("vSum=%q vCalc=%q", varOf(vars, "vSum"), varOf(vars, "vCalc"))
	}
	if m.Tables[0].Name != "Sales" || m.Tables[0].Rows != 10 {
		t.Fatalf("table %s rows %d", m.Tables[0].Name, m.Tables[0].Rows)
	}
}

func TestScriptWhileIterNo(t *testing.T) {
	m, _ := runOK(t, `Ranges: LOAD * INLINE [
Id, Lo, Hi
a, 1, 3
b, 5, 6
];
Days: LOAD Id, Lo + IterNo() - 1 as Day RESIDENT Ranges WHILE Lo + IterNo() - 1 <= Hi;
G: LOAD IterNo() as I AUTOGENERATE 1 WHILE IterNo() <= 4;`)
	wantField(t, m, "Day", "1|2|3|5|6")
	wantField(t, m, "I", "1|2|3|4")
}

func TestScriptPrecedingLoad(t *testing.T) {
	m, _ := runOK(t, `T: LOAD Full & '!' as Shout;
LOAD First & ' ' & Last as Full;
LOAD * INLINE [
First, Last
Ann, Lee
Bo, Ek
];`)
	if len(m.Tables) != 1 || m.Tables[0].Name != "T" {
		t.Fatalf("tables: %+v", m.Tables)
	}
	wantField(t, m, "Shout", "Ann Lee!|Bo Ek!")
	wantErr(t, "T: LOAD A;\nSET x = 1;", "missing/misplaced FROM", 1)
}

func TestScriptWhereGroupByOrderBy(t *testing.T) {
	m, _ := runOK(t, `S: LOAD * INLINE [
Region, Amount
North, 10
South, 5
North, 7
East, 1
South, 2
];
Tot: LOAD Region as R, Sum(Amount) as Total, Count(Amount) as N, Max(Amount) as Top, Concat(Amount, '+') as Parts
RESIDENT S WHERE Amount > 1 GROUP BY Region;
Sorted: NoConcatenate LOAD Amount as Sorted RESIDENT S ORDER BY Region DESC, Amount ASC;
All: LOAD Sum(Amount) as Grand, Avg(Amount) as Mean RESIDENT S;`)
	wantField(t, m, "R", "North|South")
	wantField(t, m, "Total", "17|7")
	wantField(t, m, "N", "2")
	wantField(t, m, "Top", "10|5")
	wantField(t, m, "Parts", "10+7|5+2")
	wantField(t, m, "Sorted", "2|5|7|10|1")
	wantField(t, m, "Grand", "25")
	wantField(t, m, "Mean", "5")
	wantErr(t, "T: LOAD 1 as X AUTOGENERATE 2 ORDER BY X;", "ORDER BY is only allowed with RESIDENT", 1)
}

func TestScriptConcatenate(t *testing.T) {
	m, _ := runOK(t, `A: LOAD * INLINE [
K, V
1, x
];
B: LOAD * INLINE [
Z
9
];
Concatenate (A) LOAD * INLINE [
K, W
2, y
];`)
	if len(m.Tables) != 2 || m.Tables[0].Rows != 2 {
		t.Fatalf("tables: %d, A rows %d", len(m.Tables), m.Tables[0].Rows)
	}
	wantField(t, m, "K", "1|2")
	wantField(t, m, "W", "y")
}

func TestScriptJoins(t *testing.T) {
	base := `A: LOAD * INLINE [
K, V
1, a
2, b
];
%s JOIN (A) LOAD * INLINE [
K, W
2, x
3, y
];`
	for kind, want := range map[string][2]string{
		"LEFT":  {"1|2", "x"},
		"INNER": {"2", "x"},
		"RIGHT": {"2|3", "x|y"},
		"OUTER": {"1|2|3", "x|y"},
		"":      {"1|2|3", "x|y"},
	} {
		m, _ := runOK(t, strings.Replace(base, "%s", kind, 1))
		if len(m.Tables) != 1 {
			t.Fatalf("%s JOIN: %d tables", kind, len(m.Tables))
		}
		if k, w := joined(m, "K"), joined(m, "W"); k != want[0] || w != want[1] {
			t.Errorf("%s JOIN: K=%q W=%q, want %q %q", kind, k, w, want[0], want[1])
		}
	}
}

func TestScriptKeep(t *testing.T) {
	m, _ := runOK(t, `A: LOAD * INLINE [
K, V
1, a
2, b
];
B: INNER KEEP (A) LOAD * INLINE [
K, W
2, x
3, y
];`)
	if len(m.Tables) != 2 || m.Tables[0].Rows != 1 || m.Tables[1].Rows != 1 {
		t.Fatalf("INNER KEEP: %d tables", len(m.Tables))
	}
	wantField(t, m, "K", "2")
}

func TestScriptMappingApplyMap(t *testing.T) {
	m, _ := runOK(t, `CountryMap: MAPPING LOAD * INLINE [
Code, Name
SE, Sweden
NO, Norway
];
C: LOAD Code, ApplyMap('CountryMap', Code, 'Unknown') as Country, ApplyMap('CountryMap', Code) as Raw,
  MapSubString('CountryMap', 'SE-NO') as Sub
INLINE [
Code
SE
DK
];`)
	if len(m.Tables) != 1 {
		t.Fatalf("mapping tables must not stay: %d tables", len(m.Tables))
	}
	wantField(t, m, "Country", "Sweden|Unknown")
	wantField(t, m, "Raw", "Sweden|DK")
	wantField(t, m, "Sub", "Sweden-Norway")
}

func TestScriptDropRename(t *testing.T) {
	m, _ := runOK(t, `A: LOAD * INLINE [
K, V, Tmp
1, a, z
];
B: LOAD * INLINE [
X
1
];
DROP FIELD Tmp;
DROP FIELDS V FROM A;
RENAME FIELD K TO Key;
RENAME TABLE A TO Facts;
DROP TABLES B;`)
	if len(m.Tables) != 1 || m.Tables[0].Name != "Facts" || m.field("Key") < 0 || m.field("Tmp") >= 0 || m.field("V") >= 0 {
		t.Fatalf("tables %+v fields %v", m.Tables[0], texts(m, "Key"))
	}
	wantErr(t, "A: LOAD 1 as X AUTOGENERATE 1;\nDROP FIELD Nope;", "Field 'Nope' not found", 2)
	wantErr(t, "RENAME TABLE Nope TO X;", "Table 'Nope' not found", 1)
}

func TestScriptQualify(t *testing.T) {
	m, _ := runOK(t, `QUALIFY *;
UNQUALIFY Key;
Orders: LOAD * INLINE [
Key, Amount
1, 10
];
UNQUALIFY *;
Plain: LOAD 1 as Y AUTOGENERATE 1;`)
	for _, f := range []string{"Key", "Orders.Amount", "Y"} {
		if m.field(f) < 0 {
			t.Errorf("field %s missing", f)
		}
	}
}

func TestScriptCommentFieldTable(t *testing.T) {
	m, _ := runOK(t, `T: LOAD 1 as A AUTOGENERATE 1;
COMMENT FIELD A WITH 'the A field';
COMMENT TABLE T WITH 'a table';`)
	if c := m.Fields[m.field("A")].Comment; c != "the A field" {
		t.Errorf("field comment %q", c)
	}
	if c := m.Tables[0].Comment; c != "a table" {
		t.Errorf("table comment %q", c)
	}
}

func TestScriptForNext(t *testing.T) {
	m, vars := runOK(t, `SET total = 0;
FOR i = 1 TO 3
  LET total = total + i;
  T: LOAD $(i) as N AUTOGENERATE 1;
NEXT i
FOR j = 10 TO 1 STEP -5
  LET last = j;
NEXT
FOR EACH c IN 'a', 'b'
  E: LOAD '$(c)' as C AUTOGENERATE 1;
NEXT c
FOR EACH v IN FieldValueList('N')
  LET seen = '$(seen)' & v;
NEXT v
FOR k = 1 TO 100
  EXIT FOR WHEN k = 4
  LET kk = k;
NEXT k`)
	if varOf(vars, "total") != "6" || varOf(vars, "last") != "5" || varOf(vars, "seen") != "123" || varOf(vars, "kk") != "3" {
		t.Fatalf("vars %+v", vars)
	}
	wantField(t, m, "N", "1|2|3")
	wantField(t, m, "C", "a|b")
}

func TestScriptIfElse(t *testing.T) {
	_, vars := runOK(t, `LET a = 2;
IF a = 1 THEN
  SET r = one;
ELSEIF a = 2 THEN
  SET r = two;
ELSE
  SET r = other;
END IF
IF a > 5 THEN
  SET s = big;
ELSE
  SET s = small;
ENDIF
IF a = 2 THEN SET t = inline;
END IF`)
	if varOf(vars, "r") != "two" || varOf(vars, "s") != "small" || varOf(vars, "t") != "inline" {
		t.Fatalf("vars %+v", vars)
	}
	wantErr(t, "IF 1 = 1 THEN\nSET a = 1;", "IF is never closed", 1)
	wantErr(t, "SET a = 1;\nEND IF", "ENDIF without IF", 2)
}

func TestScriptSubCall(t *testing.T) {
	m, vars := runOK(t, `SUB MakeTable(name, n)
  $(name): LOAD RecNo() as $(name)Id AUTOGENERATE $(n);
  LET made = '$(made)' & '$(name)';
END SUB
LET name = 'outer';
CALL MakeTable('A', 2);
CALL MakeTable('B', 3);`)
	if m.Tables[0].Rows != 2 || m.Tables[1].Rows != 3 || m.field("BId") < 0 {
		t.Fatalf("tables %+v", m.Tables)
	}
	if varOf(vars, "made") != "AB" || varOf(vars, "name") != "outer" {
		t.Fatalf("made=%q name=%q", varOf(vars, "made"), varOf(vars, "name"))
	}
	wantErr(t, "CALL Nope;", "Unknown SUB: Nope", 1)
}

func TestScriptDoLoopSwitch(t *testing.T) {
	_, vars := runOK(t, `LET i = 0;
DO WHILE i < 5
  LET i = i + 1;
LOOP
LET j = 0;
DO
  LET j = j + 2;
LOOP UNTIL j >= 7
SWITCH j
CASE 1, 8
  SET w = eight;
CASE 9
  SET w = nine;
DEFAULT
  SET w = other;
END SWITCH
EXIT SCRIPT;
SET after = 1;`)
	if varOf(vars, "i") != "5" || varOf(vars, "j") != "8" || varOf(vars, "w") != "eight" || varOf(vars, "after") != "<unset>" {
		t.Fatalf("vars %+v", vars)
	}
}

func TestScriptPeekPreviousExists(t *testing.T) {
	m, vars := runOK(t, `T: LOAD V, RangeSum(Peek('Cum'), V) as Cum, Previous(V) as Prev, RowNo() as Row INLINE [
V
1
2
3
] WHERE V <> 2;
LET vLast = Peek('Cum', -1, 'T');
LET vFirst = Peek('V', 0, 'T');
LET vRows = NoOfRows('T');
U: LOAD W, Exists(V, W) as Known INLINE [
W
3
4
];
New: LOAD * INLINE [
V
3
9
] WHERE NOT Exists(V);`)
	wantField(t, m, "Cum", "1|4")
	wantField(t, m, "Prev", "1")
	wantField(t, m, "Row", "1|2")
	if varOf(vars, "vLast") != "4" || varOf(vars, "vFirst") != "1" || varOf(vars, "vRows") != "2" {
		t.Fatalf("vars %+v", vars)
	}
	wantField(t, m, "Known", "-1|0")
	if m.Tables[m.table("New")].Rows != 1 {
		t.Fatalf("WHERE NOT Exists kept %d rows", m.Tables[m.table("New")].Rows)
	}
}

func TestScriptFirstAndTrace(t *testing.T) {
	var lines []string
	_, _, err := runScript(context.Background(), "TRACE hello there;\nT: FIRST 3 LOAD RecNo() as N AUTOGENERATE 10;", "", func(p ProgressInfo) {
		if p.Persistent != "" {
			lines = append(lines, p.Persistent)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 2 || lines[0] != "hello there\n" || lines[1] != "T << AUTOGENERATE(10) 3 Lines fetched\n" {
		t.Fatalf("persistent lines %q", lines)
	}
}

func TestScriptUnsupportedFailsWithLine(t *testing.T) {
	wantErr(t, "SET a = 1;\nBINARY [lib://x.qvf];", "BINARY is not supported", 2)
	wantErr(t, "SET a = 1;\n\nSTORE T INTO [lib://data/t.qvd];", "STORE is not supported", 3)
	wantErr(t, "Frobnicate the data;", "Unknown statement: Frobnicate", 1)
	wantErr(t, "T: CROSSTABLE(Month, Sales) LOAD * INLINE [\nA\n1\n];", "CROSSTABLE is not supported", 1)
	wantErr(t, "T: LOAD Nope() as X AUTOGENERATE 1;", "unknown function Nope()", 1)
	wantErr(t, "DO\nLOOP", "Emulator limit", 1)
}

// TestTablesAndKeysKeyFields: GetTablesAndKeys names a key's fields
// qKeyFields, as the schema's SourceKeyRecord does.
func TestTablesAndKeysKeyFields(t *testing.T) {
	d := sessionWithScript(t, "A: LOAD * INLINE [\nK, V\n1, 2\n];\nB: LOAD * INLINE [\nK, W\n1, 3\n];")
	_, res := call(t, d, "GetTablesAndKeys", map[string]any{}, map[string]any{}, 0, true, false)
	keys, _ := res["qk"].([]any)
	if len(keys) != 1 || keys[0].(map[string]any)["qKeyFields"] == nil {
		t.Fatalf("qk = %v", res["qk"])
	}
}
