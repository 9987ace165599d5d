package engine

import (
	"strings"
	"unicode"
)

// String functions of scripts and chart expressions, registered into
// scalarFuncs next to the ones expr.go has.
func init() {
	for name, f := range map[string]func([]Val) Val{
		"ord": func(a []Val) Val {
			r := []rune(textOrEmpty(a[0]))
			if len(r) == 0 {
				return nullVal
			}
			return numVal(float64(r[0]))
		},
		"ltrim": func(a []Val) Val { return strVal(strings.TrimLeft(textOrEmpty(a[0]), " \t")) },
		"rtrim": func(a []Val) Val { return strVal(strings.TrimRight(textOrEmpty(a[0]), " \t")) },
		"capitalize": func(a []Val) Val {
			r := []rune(strings.ToLower(textOrEmpty(a[0])))
			for i := range r {
				if i == 0 || !unicode.IsLetter(r[i-1]) && !unicode.IsDigit(r[i-1]) {
					r[i] = unicode.ToUpper(r[i])
				}
			}
			return strVal(string(r))
		},
		"subfield":       subField,
		"keepchar":       func(a []Val) Val { return strVal(filterChars(textOrEmpty(a[0]), textOrEmpty(argv(a, 1)), true)) },
		"purgechar":      func(a []Val) Val { return strVal(filterChars(textOrEmpty(a[0]), textOrEmpty(argv(a, 1)), false)) },
		"textbetween":    textBetween,
		"findoneof":      findOneOf,
		"substringcount": func(a []Val) Val { return numVal(float64(strings.Count(textOrEmpty(a[0]), textOrEmpty(argv(a, 1))))) },
		"mixmatch": func(a []Val) Val {
			for i := 1; i < len(a); i++ {
				if strings.EqualFold(textOrEmpty(a[i]), textOrEmpty(a[0])) {
					return numVal(float64(i))
				}
			}
			return numVal(0)
		},
		"wildmatch": func(a []Val) Val {
			s := strings.ToLower(textOrEmpty(a[0]))
			for i := 1; i < len(a); i++ {
				if globMatch(strings.ToLower(textOrEmpty(a[i])), s) {
					return numVal(float64(i))
				}
			}
			return numVal(0)
		},
		"istext": func(a []Val) Val { return boolVal(!a[0].Null && !a[0].IsNum()) },
		"coalesce": func(a []Val) Val {
			for _, v := range a {
				if !v.Null {
					return v
				}
			}
			return nullVal
		},
		"emptyisnull": func(a []Val) Val {
			if !a[0].Null && !a[0].IsNum() && a[0].Str == "" {
				return nullVal
			}
			return a[0]
		},
		"evaluate": func(a []Val) Val {
			n, err := parseExpr(textOrEmpty(a[0]))
			if err != nil {
				return nullVal
			}
			f, err := compileRow(n, &rowScope{field: func(string) (rowFn, bool) { return nil, false }})
			if err != nil {
				return nullVal
			}
			return f(0)
		},
	} {
		scalarFuncs[name] = f
	}
}

// argv returns a[i], null when the call did not pass it.
func argv(a []Val, i int) Val {
	if i < len(a) {
		return a[i]
	}
	return nullVal
}

// subField is SubField(text, delimiter[, n]): the n-th part (negative n
// counts from the end); without n, the first part (a LOAD makes one row per
// part only in the engine; the emulator keeps the first).
func subField(a []Val) Val {
	s, d := textOrEmpty(a[0]), textOrEmpty(argv(a, 1))
	var parts []string
	if d == "" {
		parts = []string{s}
	} else {
		parts = strings.Split(s, d)
	}
	n := int(argNum(a, 2, 1))
	if n < 0 {
		n += len(parts) + 1
	}
	if n < 1 || n > len(parts) {
		return nullVal
	}
	return strVal(parts[n-1])
}

// filterChars keeps (or drops) the characters of s found in set.
func filterChars(s, set string, keep bool) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(set, r) == keep {
			return r
		}
		return -1
	}, s)
}

// textBetween is TextBetween(text, start, end[, n]).
func textBetween(a []Val) Val {
	s, st, en := textOrEmpty(a[0]), textOrEmpty(argv(a, 1)), textOrEmpty(argv(a, 2))
	n := int(argNum(a, 3, 1))
	for ; n >= 1; n-- {
		i := strings.Index(s, st)
		if i < 0 {
			return nullVal
		}
		s = s[i+len(st):]
		if n == 1 {
			j := strings.Index(s, en)
			if j < 0 {
				return nullVal
			}
			return strVal(s[:j])
		}
	}
	return nullVal
}

// findOneOf is FindOneOf(text, chars[, n]): the 1-based position of the
// n-th character of text that is in chars, 0 if none.
func findOneOf(a []Val) Val {
	r, set := []rune(textOrEmpty(a[0])), textOrEmpty(argv(a, 1))
	n := int(argNum(a, 2, 1))
	for i, c := range r {
		if strings.ContainsRune(set, c) {
			if n--; n == 0 {
				return numVal(float64(i + 1))
			}
		}
	}
	return numVal(0)
}
