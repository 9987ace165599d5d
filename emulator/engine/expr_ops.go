package engine

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// boolVal is the engine's boolean: -1 true, 0 false.
func boolVal(b bool) Val {
	if b {
		return numVal(-1)
	}
	return numVal(0)
}

func truthy(v Val) bool {
	if v.IsNum() {
		return v.Num != 0
	}
	return false
}

// binop applies a binary operator to two evaluated operands.
func binop(op string, a, b Val) Val {
	switch op {
	case "+", "-", "*", "/":
		if !a.IsNum() || !b.IsNum() {
			return nullVal
		}
		switch op {
		case "+":
			return numVal(a.Num + b.Num)
		case "-":
			return numVal(a.Num - b.Num)
		case "*":
			return numVal(a.Num * b.Num)
		default:
			if b.Num == 0 {
				return nullVal
			}
			return numVal(a.Num / b.Num)
		}
	case "&":
		return strVal(textOrEmpty(a) + textOrEmpty(b))
	case "and":
		return boolVal(truthy(a) && truthy(b))
	case "or":
		return boolVal(truthy(a) || truthy(b))
	case "xor":
		return boolVal(truthy(a) != truthy(b))
	case "like":
		return boolVal(globMatch(strings.ToLower(b.Text()), strings.ToLower(a.Text())))
	}
	var c int
	if a.IsNum() && b.IsNum() {
		switch {
		case a.Num < b.Num:
			c = -1
		case a.Num > b.Num:
			c = 1
		}
	} else {
		if a.Null || b.Null {
			return boolVal(false)
		}
		c = strings.Compare(a.Text(), b.Text())
	}
	switch op {
	case "=":
		return boolVal(c == 0)
	case "<>":
		return boolVal(c != 0)
	case "<":
		return boolVal(c < 0)
	case ">":
		return boolVal(c > 0)
	case "<=":
		return boolVal(c <= 0)
	case ">=":
		return boolVal(c >= 0)
	}
	return nullVal
}

func textOrEmpty(v Val) string {
	if v.Null {
		return ""
	}
	return v.Text()
}

// globMatch matches s against a pattern with * and ? wildcards.
func globMatch(pat, s string) bool {
	pr, sr := []rune(pat), []rune(s)
	var match func(i, j int) bool
	memo := map[[2]int]bool{}
	match = func(i, j int) bool {
		k := [2]int{i, j}
		if v, ok := memo[k]; ok {
			return v
		}
		var r bool
		switch {
		case i == len(pr):
			r = j == len(sr)
		case pr[i] == '*':
			r = match(i+1, j) || (j < len(sr) && match(i, j+1))
		case j < len(sr) && (pr[i] == '?' || pr[i] == sr[j]):
			r = match(i+1, j+1)
		}
		memo[k] = r
		return r
	}
	return match(0, 0)
}

var monthNames = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
var dayNames = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// toTime reads a date from a dual/serial number or an ISO text.
func toTime(v Val) (time.Time, bool) {
	if v.IsNum() {
		return timeFromSerial(v.Num), true
	}
	if v.HasStr {
		for _, l := range []string{"2006-01-02", "2006-01-02 15:04:05", "2006/01/02", "01/02/2006"} {
			if t, err := time.Parse(l, v.Str); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func argNum(args []Val, i int, def float64) float64 {
	if i < len(args) && args[i].IsNum() {
		return args[i].Num
	}
	return def
}

// scalarFuncs are the non-aggregating functions, shared by the load script
// and chart expressions.
var scalarFuncs = map[string]func(args []Val) Val{
	"if": func(a []Val) Val {
		if len(a) > 0 && truthy(a[0]) {
			if len(a) > 1 {
				return a[1]
			}
			return nullVal
		}
		if len(a) > 2 {
			return a[2]
		}
		return nullVal
	},
	"null":  func(a []Val) Val { return nullVal },
	"upper": func(a []Val) Val { return strVal(strings.ToUpper(textOrEmpty(a[0]))) },
	"lower": func(a []Val) Val { return strVal(strings.ToLower(textOrEmpty(a[0]))) },
	"trim":  func(a []Val) Val { return strVal(strings.TrimSpace(textOrEmpty(a[0]))) },
	"len":   func(a []Val) Val { return numVal(float64(len([]rune(textOrEmpty(a[0]))))) },
	"left": func(a []Val) Val {
		r := []rune(textOrEmpty(a[0]))
		n := min(max(int(argNum(a, 1, 0)), 0), len(r))
		return strVal(string(r[:n]))
	},
	"right": func(a []Val) Val {
		r := []rune(textOrEmpty(a[0]))
		n := min(max(int(argNum(a, 1, 0)), 0), len(r))
		return strVal(string(r[len(r)-n:]))
	},
	"mid": func(a []Val) Val {
		r := []rune(textOrEmpty(a[0]))
		s := min(max(int(argNum(a, 1, 1))-1, 0), len(r))
		n := len(r) - s
		if len(a) > 2 {
			n = min(max(int(argNum(a, 2, 0)), 0), n)
		}
		return strVal(string(r[s : s+n]))
	},
	"round": func(a []Val) Val {
		if !a[0].IsNum() {
			return nullVal
		}
		step := argNum(a, 1, 1)
		if step == 0 {
			return a[0]
		}
		return numVal(math.Floor(a[0].Num/step+0.5) * step)
	},
	"floor": func(a []Val) Val {
		if !a[0].IsNum() {
			return nullVal
		}
		step := argNum(a, 1, 1)
		return numVal(math.Floor(a[0].Num/step) * step)
	},
	"ceil": func(a []Val) Val {
		if !a[0].IsNum() {
			return nullVal
		}
		step := argNum(a, 1, 1)
		return numVal(math.Ceil(a[0].Num/step) * step)
	},
	"abs": func(a []Val) Val {
		if !a[0].IsNum() {
			return nullVal
		}
		return numVal(math.Abs(a[0].Num))
	},
	"sqrt": func(a []Val) Val {
		if !a[0].IsNum() || a[0].Num < 0 {
			return nullVal
		}
		return numVal(math.Sqrt(a[0].Num))
	},
	"pow": func(a []Val) Val { return numVal(math.Pow(argNum(a, 0, math.NaN()), argNum(a, 1, math.NaN()))) },
	"mod": func(a []Val) Val {
		x, y := argNum(a, 0, math.NaN()), argNum(a, 1, math.NaN())
		if math.IsNaN(x) || math.IsNaN(y) || y == 0 {
			return nullVal
		}
		return numVal(x - y*math.Floor(x/y))
	},
	"div": func(a []Val) Val {
		x, y := argNum(a, 0, math.NaN()), argNum(a, 1, math.NaN())
		if math.IsNaN(x) || math.IsNaN(y) || y == 0 {
			return nullVal
		}
		return numVal(math.Trunc(x / y))
	},
	"text": func(a []Val) Val { return strVal(textOrEmpty(a[0])) },
	"dual": func(a []Val) Val { return dualVal(textOrEmpty(a[0]), argNum(a, 1, math.NaN())) },
	"isnull": func(a []Val) Val {
		return boolVal(a[0].Null)
	},
	"isnum": func(a []Val) Val { return boolVal(a[0].IsNum()) },
	"year": func(a []Val) Val {
		if t, ok := toTime(a[0]); ok {
			return numVal(float64(t.Year()))
		}
		return nullVal
	},
	"month": func(a []Val) Val {
		if t, ok := toTime(a[0]); ok {
			return dualVal(monthNames[t.Month()-1], float64(t.Month()))
		}
		return nullVal
	},
	"day": func(a []Val) Val {
		if t, ok := toTime(a[0]); ok {
			return numVal(float64(t.Day()))
		}
		return nullVal
	},
	"weekday": func(a []Val) Val {
		if t, ok := toTime(a[0]); ok {
			d := (int(t.Weekday()) + 6) % 7
			return dualVal(dayNames[d], float64(d))
		}
		return nullVal
	},
	"quarter": func(a []Val) Val {
		if t, ok := toTime(a[0]); ok {
			q := (int(t.Month())-1)/3 + 1
			return dualVal("Q"+strconv.Itoa(q), float64(q))
		}
		return nullVal
	},
	"makedate": func(a []Val) Val {
		t := time.Date(int(argNum(a, 0, 1970)), time.Month(argNum(a, 1, 1)), int(argNum(a, 2, 1)), 0, 0, 0, 0, time.UTC)
		return dateVal(t)
	},
	"today": func(a []Val) Val {
		n := time.Now().UTC()
		return dateVal(time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC))
	},
	"alt": func(a []Val) Val {
		for _, v := range a {
			if v.IsNum() {
				return v
			}
		}
		if len(a) > 0 {
			return a[len(a)-1]
		}
		return nullVal
	},
	"rangesum": func(a []Val) Val {
		s := 0.0
		for _, v := range a {
			if v.IsNum() {
				s += v.Num
			}
		}
		return numVal(s)
	},
	"chr": func(a []Val) Val { return strVal(string(rune(int(argNum(a, 0, 32))))) },
	"repeat": func(a []Val) Val {
		return strVal(strings.Repeat(textOrEmpty(a[0]), max(int(argNum(a, 1, 1)), 0)))
	},
	"index": func(a []Val) Val {
		if len(a) < 2 {
			return nullVal
		}
		return numVal(float64(strings.Index(textOrEmpty(a[0]), textOrEmpty(a[1])) + 1))
	},
	"replace": func(a []Val) Val {
		if len(a) < 3 {
			return nullVal
		}
		return strVal(strings.ReplaceAll(textOrEmpty(a[0]), textOrEmpty(a[1]), textOrEmpty(a[2])))
	},
	"pick": func(a []Val) Val {
		i := int(argNum(a, 0, 0))
		if i < 1 || i >= len(a) {
			return nullVal
		}
		return a[i]
	},
	"match": func(a []Val) Val {
		for i := 1; i < len(a); i++ {
			if textOrEmpty(a[i]) == textOrEmpty(a[0]) {
				return numVal(float64(i))
			}
		}
		return numVal(0)
	},
}
