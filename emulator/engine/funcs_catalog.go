package engine

import (
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
)

// FunctionInfo is one entry of Global.GetFunctions (qFunctions).
type FunctionInfo struct {
	Name      string `json:"qName"`
	Group     string `json:"qGroup"`
	Signature string `json:"qSignature"`
}

// BNFDef is one entry of Global.GetBNF / GetBaseBNF (qBnfDefs).
type BNFDef struct {
	Bnf              []int    `json:"qBnf"` // the schema's token references (none: the emulator's entries are leaves)
	Nbr              int      `json:"qNbr"`
	PNbr             int      `json:"qPNbr"`
	HelpID           int      `json:"qHelpId"`
	Name             string   `json:"qName"`
	Str              string   `json:"qStr"`
	IsBnfRule        bool     `json:"qIsBnfRule"`
	ScriptStatement  bool     `json:"qScriptStatement"`
	ControlStatement bool     `json:"qControlStatement"`
	BnfLiteral       bool     `json:"qBnfLiteral"`
	QvFunc           bool     `json:"qQvFunc"`
	AggrFunc         bool     `json:"qAggrFunc"`
	FG               string   `json:"qFG"`
	FieldFlag        bool     `json:"qFieldFlag"`
	MT               string   `json:"qMT"`
	Depr             bool     `json:"qDepr"`
	FGList           []string `json:"qFGList"`
}

// scriptStatements and controlStatements are the statements the emulator
// runs (see script_stmts.go and script_flow.go).
var scriptStatements = []string{"Comment", "Concatenate", "Drop", "First", "Inner", "Join", "Keep", "Left", "Let", "Load", "Mapping", "NoConcatenate", "Outer", "Qualify", "Rem", "Rename", "Right", "Section", "Set", "Sleep", "Trace", "Unqualify"}
var controlStatements = []string{"Call", "Do", "Exit", "For", "If", "Sub", "Switch"}

// functionGroup is the FunctionGroup (qGroup) of a function name.
func functionGroup(name string) string {
	switch {
	case aggFuncs[name] || scriptAggs[name]:
		return "AGGR"
	case strings.HasPrefix(name, "range"):
		return "RNG"
	case name == "if" || name == "pick" || name == "match" || name == "mixmatch" || name == "wildmatch" || name == "alt" || name == "coalesce":
		return "CND"
	case name == "applymap" || name == "mapsubstring":
		return "MAPP"
	case name == "peek" || name == "previous" || name == "exists" || name == "lookup" || name == "recno" || name == "rowno" || name == "iterno" || name == "fieldvalue" || name == "fieldvaluecount":
		return "RCRD"
	case strings.HasPrefix(name, "noof") || name == "tablename" || name == "fieldname":
		return "TBL"
	case strings.HasPrefix(name, "is") || name == "null" || name == "emptyisnull":
		return "NULL"
	case name == "num" || name == "num#" || name == "text" || name == "dual" || strings.HasSuffix(name, "#") && name != "num#":
		return "FRMT"
	case strings.Contains(name, "date") || strings.Contains(name, "time") || strings.Contains(name, "month") || strings.Contains(name, "year") ||
		strings.Contains(name, "week") || strings.Contains(name, "day") || strings.Contains(name, "quarter") || name == "hour" || name == "minute" || name == "second" || name == "now" || name == "today":
		return "DATE"
	case name == "len" || name == "left" || name == "right" || name == "mid" || name == "upper" || name == "lower" || name == "capitalize" || strings.Contains(name, "trim") ||
		strings.Contains(name, "char") || name == "chr" || name == "ord" || name == "subfield" || name == "index" || name == "replace" || name == "repeat" ||
		name == "textbetween" || name == "findoneof" || name == "substringcount" || name == "evaluate":
		return "STR"
	case name == "getselectedcount" || name == "getpossiblecount" || name == "getexcludedcount" || name == "getfieldselections" || name == "getcurrentselections":
		return "SYS"
	}
	return "NUM"
}

// functionNames lists every function the emulator evaluates, lower case.
func functionNames() []string {
	set := map[string]bool{"recno": true, "rowno": true, "iterno": true, "rand": true, "previous": true, "exists": true,
		"getselectedcount": true, "getpossiblecount": true, "getexcludedcount": true, "getfieldselections": true, "getcurrentselections": true}
	for n := range scalarFuncs {
		set[n] = true
	}
	for n := range aggFuncs {
		set[n] = true
	}
	for n := range scriptAggs {
		set[n] = true
	}
	for n := range scriptFuncs {
		set[n] = true
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// displayName writes a function name the way the engine lists it.
func displayName(n string) string {
	return strings.ToUpper(n[:1]) + n[1:]
}

// Functions is Global.GetFunctions: the emulator's functions in group
// (all of them for "" or "ALL").
func Functions(group string) []FunctionInfo {
	out := []FunctionInfo{}
	for _, n := range functionNames() {
		g := functionGroup(n)
		if group != "" && group != "ALL" && group != g {
			continue
		}
		out = append(out, FunctionInfo{Name: displayName(n), Group: g, Signature: displayName(n) + "(...)"})
	}
	return out
}

// BNF is Global.GetBNF / GetBaseBNF: one definition per function and, for
// the script BNF (script true), per statement; hash identifies the list.
func BNF(script bool) (defs []BNFDef, hash string) {
	id := 0
	add := func(d BNFDef) {
		d.Bnf, d.Nbr, d.PNbr, d.HelpID = []int{}, id, id, -1
		if d.FGList == nil {
			d.FGList = []string{}
		}
		d.MT = "N"
		defs = append(defs, d)
		id++
	}
	if script {
		for _, s := range scriptStatements {
			add(BNFDef{Name: s, Str: s, ScriptStatement: true, BnfLiteral: true, FG: "U"})
		}
		for _, s := range controlStatements {
			add(BNFDef{Name: s, Str: s, ControlStatement: true, BnfLiteral: true, FG: "U"})
		}
	}
	for _, n := range functionNames() {
		g := functionGroup(n)
		add(BNFDef{Name: displayName(n), Str: displayName(n), QvFunc: true, AggrFunc: g == "AGGR", FG: g, FGList: []string{g}})
	}
	h := fnv.New64a()
	for _, d := range defs {
		h.Write([]byte(d.Name))
		h.Write([]byte{0})
	}
	return defs, strconv.FormatUint(h.Sum64(), 16)
}

// BNFString is Global.GetBaseBNFString: the definitions as text, one per
// line.
func BNFString(script bool) (string, string) {
	defs, hash := BNF(script)
	var b strings.Builder
	for _, d := range defs {
		b.WriteString(d.Name)
		b.WriteString(" ::= ")
		b.WriteString(strconv.Quote(d.Str))
		b.WriteByte('\n')
	}
	return b.String(), hash
}
