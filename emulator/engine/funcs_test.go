package engine

import (
	"context"
	"testing"
)

// TestScriptFunctions evaluates each function as a LET would.
func TestScriptFunctions(t *testing.T) {
	s := &scriptRun{ctx: context.Background(), rnd: newPRNG(1), maps: map[string]map[string]Val{}}
	for expr, want := range map[string]string{
		// string
		"Ord('A')":                           "65",
		"Chr(66)":                            "B",
		"Len('héllo')":                       "5",
		"Left('abcdef', 2)":                  "ab",
		"Right('abcdef', 2)":                 "ef",
		"Mid('abcdef', 2, 3)":                "bcd",
		"SubField('a;b;c', ';', 2)":          "b",
		"SubField('a;b;c', ';', -1)":         "c",
		"SubField('a;b;c', ';')":             "a",
		"Upper('abc')":                       "ABC",
		"Lower('ABC')":                       "abc",
		"Trim('  x  ')":                      "x",
		"LTrim('  x ')":                      "x ",
		"RTrim(' x  ')":                      " x",
		"Capitalize('hello wORLD')":          "Hello World",
		"KeepChar('a1b2c3', '0123456789')":   "123",
		"PurgeChar('a1b2c3', '0123456789')":  "abc",
		"TextBetween('<a><b>', '<', '>', 2)": "b",
		"FindOneOf('my text', 'et')":         "4",
		"SubStringCount('abcabc', 'bc')":     "2",
		"Replace('aXbX', 'X', '-')":          "a-b-",
		"Index('abcabc', 'c')":               "3",
		"Repeat('ab', 3)":                    "ababab",
		"Text(12)":                           "12",
		"Evaluate('2*3')":                    "6",
		// number
		"Num(1234.5, '#,##0.00')":           "1,234.50",
		"Num(0.25, '0%')":                   "25%",
		"Num#('1,234.5', '#,##0.0') + 1":    "1235.5",
		"Num#('12,5', '0,0', ',', '.') + 0": "12.5",
		"Round(2.567, 0.01)":                "2.57",
		"Floor(2.7)":                        "2",
		"Ceil(2.1)":                         "3",
		"Frac(2.25)":                        "0.25",
		"Fabs(-3)":                          "3",
		"Sign(-2)":                          "-1",
		"Even(4)":                           "-1",
		"Odd(4)":                            "0",
		"Mod(7, 3)":                         "1",
		"Div(7, 2)":                         "3",
		"Sqrt(16)":                          "4",
		"Pow(2, 10)":                        "1024",
		"Exp(0)":                            "1",
		"Log10(1000)":                       "3",
		"Fmod(-7, 3)":                       "-1",
		"RangeSum(1, 'x', 2)":               "3",
		"RangeMax(1, 5, 2)":                 "5",
		"RangeMin(4, 2, 8)":                 "2",
		"RangeAvg(1, 2, 3)":                 "2",
		"RangeCount(1, Null(), 'a', 2)":     "3", // text counts too (Qlik: RangeCount(2,'xyz') is 2)
		// date and time
		"Date(MakeDate(2024, 3, 5))":                                       "2024-03-05",
		"Date(MakeDate(2024, 3, 5), 'DD/MM/YYYY')":                         "05/03/2024",
		"Date(45356, 'WWW D MMM YY')":                                      "Tue 5 Mar 24",
		"Num(MakeDate(2024, 1, 1))":                                        "45292",
		"Year('2024-03-05')":                                               "2024",
		"Month(MakeDate(2024, 3, 5))":                                      "Mar",
		"Num(Month(MakeDate(2024, 3, 5)))":                                 "3",
		"Day(MakeDate(2024, 3, 5))":                                        "5",
		"Date(Date#('05.03.2024', 'DD.MM.YYYY'))":                          "2024-03-05",
		"Num(Date#('2024-03-05', 'YYYY-MM-DD'))":                           "45356",
		"Timestamp(45356.5)":                                               "2024-03-05 12:00:00",
		"Time(0.75, 'hh:mm TT')":                                           "06:00 PM",
		"Hour(45356.75)":                                                   "18",
		"Minute(Timestamp#('2024-03-05 10:42:07', 'YYYY-MM-DD hh:mm:ss'))": "42",
		"Second(MakeTime(1, 2, 3))":                                        "3",
		"Week(MakeDate(2024, 1, 1))":                                       "1",
		"WeekDay(MakeDate(2024, 3, 5))":                                    "Tue",
		"MonthStart(MakeDate(2024, 3, 5))":                                 "2024-03-01",
		"MonthEnd(MakeDate(2024, 2, 5))":                                   "2024-02-29",
		"YearStart(MakeDate(2024, 3, 5))":                                  "2024-01-01",
		"QuarterStart(MakeDate(2024, 5, 5))":                               "2024-04-01",
		"WeekStart(MakeDate(2024, 3, 7))":                                  "2024-03-04",
		"AddMonths(MakeDate(2024, 1, 31), 1)":                              "2024-02-29",
		"AddYears(MakeDate(2024, 2, 29), 1)":                               "2025-02-28",
		"MonthName(MakeDate(2024, 3, 5))":                                  "Mar 2024",
		"Quarter(MakeDate(2024, 5, 5))":                                    "Q2",
		// conditional
		"If(1 > 2, 'a', 'b')":                     "b",
		"Pick(2, 'a', 'b', 'c')":                  "b",
		"Match('b', 'a', 'b')":                    "2",
		"MixMatch('B', 'a', 'b')":                 "2",
		"WildMatch('hello', 'x*', 'h*o')":         "2",
		"Alt('x', 3)":                             "3",
		"Coalesce(Null(), 'z')":                   "z",
		"IsNum(3) & IsText('a') & IsNull(Null())": "-1-1-1",
		"Dual('one', 1) + 1":                      "2",
	} {
		v, err := s.evalExpr(expr)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		if got := textOrEmpty(v); got != want {
			t.Errorf("%s = %q, want %q", expr, got, want)
		}
	}
}

// TestScriptFunctionsInLoad checks that the functions run per row.
func TestScriptFunctionsInLoad(t *testing.T) {
	m, _ := runOK(t, `T: LOAD Ord(C) as O, Num(D, '0.0') as N, Date(Date#(S, 'DD/MM/YYYY'), 'YYYYMMDD') as Dt INLINE [
C, D, S
a, 1.26, 31/12/2023
b, 2, 01/02/2024
];`)
	wantField(t, m, "O", "97|98")
	wantField(t, m, "N", "1.3|2.0")
	wantField(t, m, "Dt", "20231231|20240201")
}
