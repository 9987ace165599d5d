package engine

import (
	"math"
	"strconv"
	"strings"
)

// Number functions of scripts and chart expressions, registered into
// scalarFuncs next to the ones expr.go has.
func init() {
	unary := func(f func(float64) float64) func([]Val) Val {
		return func(a []Val) Val {
			if !a[0].IsNum() {
				return nullVal
			}
			r := f(a[0].Num)
			if math.IsNaN(r) || math.IsInf(r, 0) {
				return nullVal
			}
			return numVal(r)
		}
	}
	for name, f := range map[string]func([]Val) Val{
		"frac":  unary(func(x float64) float64 { return x - math.Floor(x) }),
		"fabs":  unary(math.Abs),
		"exp":   unary(math.Exp),
		"log":   unary(math.Log),
		"log10": unary(math.Log10),
		"sign":  unary(func(x float64) float64 { return float64(boolInt(x > 0) - boolInt(x < 0)) }),
		"even":  func(a []Val) Val { return intTest(a, 0) },
		"odd":   func(a []Val) Val { return intTest(a, 1) },
		"fmod": func(a []Val) Val {
			if !a[0].IsNum() || !argv(a, 1).IsNum() || a[1].Num == 0 {
				return nullVal
			}
			return numVal(math.Mod(a[0].Num, a[1].Num))
		},
		"pi":         func([]Val) Val { return numVal(math.Pi) },
		"e":          func([]Val) Val { return numVal(math.E) },
		"rangemax":   func(a []Val) Val { return rangeFold("rangemax", a) },
		"rangemin":   func(a []Val) Val { return rangeFold("rangemin", a) },
		"rangeavg":   func(a []Val) Val { return rangeFold("rangeavg", a) },
		"rangecount": func(a []Val) Val { return rangeFold("rangecount", a) },
		"num": func(a []Val) Val {
			if !a[0].IsNum() {
				return nullVal
			}
			if len(a) < 2 || argv(a, 1).Null {
				return numVal(a[0].Num)
			}
			return dualVal(formatPattern(a[0].Num, textOrEmpty(a[1]), textOrEmpty(argv(a, 2)), textOrEmpty(argv(a, 3))), a[0].Num)
		},
		"num#": func(a []Val) Val {
			s := textOrEmpty(a[0])
			x, ok := parseNumText(s, textOrEmpty(argv(a, 1)), textOrEmpty(argv(a, 2)), textOrEmpty(argv(a, 3)))
			if !ok {
				return nullVal
			}
			return dualVal(s, x)
		},
	} {
		scalarFuncs[name] = f
	}
}

// intTest is Even (rem 0) and Odd (rem 1): true/false for integers, null
// otherwise.
func intTest(a []Val, rem int64) Val {
	if !a[0].IsNum() || a[0].Num != math.Trunc(a[0].Num) {
		return nullVal
	}
	r := int64(a[0].Num) % 2
	if r < 0 {
		r = -r
	}
	return boolVal(r == rem)
}

func nonNullVals(a []Val) []float64 {
	var out []float64
	for _, v := range a {
		if v.IsNum() {
			out = append(out, v.Num)
		}
	}
	return out
}

// parseNumText reads a number written with a format's separators and
// literal text ("$1,234.50", "12,5%" with dec ","); percent divides by 100.
func parseNumText(s, format, dec, thou string) (float64, bool) {
	if dec == "" {
		dec = "."
		if strings.Contains(format, ",") && !strings.Contains(format, ".") && strings.Count(format, ",") == 1 && strings.HasSuffix(strings.TrimRight(format, "0#%"), ",") {
			dec = ","
		}
	}
	if thou == "" {
		thou = ","
		if dec == "," {
			thou = "."
		}
	}
	t := strings.TrimSpace(s)
	pct := strings.HasSuffix(t, "%")
	t = strings.ReplaceAll(t, thou, "")
	if dec != "." {
		t = strings.ReplaceAll(t, dec, ".")
	}
	t = strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+' || r == 'e' || r == 'E' {
			return r
		}
		return -1
	}, t)
	x, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, false
	}
	if pct {
		x /= 100
	}
	return x, true
}
