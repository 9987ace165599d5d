package engine

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Date and time functions of scripts and chart expressions, registered into
// scalarFuncs next to the ones expr.go has. Dates are serial numbers (days
// since 1899-12-30, the time of day as the fraction) shown through a Qlik
// format such as 'YYYY-MM-DD' or 'DD/MM/YYYY hh:mm:ss'.

const (
	defaultDateFmt      = "YYYY-MM-DD"
	defaultTimeFmt      = "hh:mm:ss"
	defaultTimestampFmt = "YYYY-MM-DD hh:mm:ss"
)

func init() {
	formatted := func(def string) func([]Val) Val {
		return func(a []Val) Val {
			x, ok := toSerial(a[0])
			if !ok {
				return nullVal
			}
			f := def
			if v := argv(a, 1); !v.Null {
				f = textOrEmpty(v)
			}
			return dualVal(formatSerial(x, f), x)
		}
	}
	parsed := func(def string) func([]Val) Val {
		return func(a []Val) Val {
			s := textOrEmpty(a[0])
			f := def
			if v := argv(a, 1); !v.Null {
				f = textOrEmpty(v)
			}
			x, ok := parseSerial(s, f)
			if !ok {
				return nullVal
			}
			return dualVal(s, x)
		}
	}
	part := func(get func(t time.Time) float64) func([]Val) Val {
		return func(a []Val) Val {
			x, ok := toSerial(a[0])
			if !ok {
				return nullVal
			}
			return numVal(get(serialTime(x)))
		}
	}
	// period makes the …Start / …End functions: start gives the period's
	// first day of the date shifted by n periods.
	period := func(start func(t time.Time, n int) time.Time, next func(t time.Time) time.Time, end bool) func([]Val) Val {
		return func(a []Val) Val {
			x, ok := toSerial(a[0])
			if !ok {
				return nullVal
			}
			t := start(serialTime(x), int(argNum(a, 1, 0)))
			s := serialFromTime(t)
			if end {
				s = serialFromTime(next(t)) - 1.0/86400000
			}
			return dualVal(formatSerial(s, defaultDateFmt), s)
		}
	}
	monthStart := func(t time.Time, n int) time.Time {
		return time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	}
	quarterStart := func(t time.Time, n int) time.Time {
		return time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1+3*n), 1, 0, 0, 0, 0, time.UTC)
	}
	yearStart := func(t time.Time, n int) time.Time { return time.Date(t.Year()+n, 1, 1, 0, 0, 0, 0, time.UTC) }
	weekStart := func(t time.Time, n int) time.Time {
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		return d.AddDate(0, 0, -((int(d.Weekday())+6)%7)+7*n)
	}
	dayStart := func(t time.Time, n int) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day()+n, 0, 0, 0, 0, time.UTC)
	}
	for name, f := range map[string]func([]Val) Val{
		"date":       formatted(defaultDateFmt),
		"time":       formatted(defaultTimeFmt),
		"timestamp":  formatted(defaultTimestampFmt),
		"date#":      parsed(defaultDateFmt),
		"time#":      parsed(defaultTimeFmt),
		"timestamp#": parsed(defaultTimestampFmt),
		"hour":       part(func(t time.Time) float64 { return float64(t.Hour()) }),
		"minute":     part(func(t time.Time) float64 { return float64(t.Minute()) }),
		"second":     part(func(t time.Time) float64 { return float64(t.Second()) }),
		"week": part(func(t time.Time) float64 {
			_, w := t.ISOWeek()
			return float64(w)
		}),
		"weekyear": part(func(t time.Time) float64 {
			y, _ := t.ISOWeek()
			return float64(y)
		}),
		"daynumberofyear": part(func(t time.Time) float64 { return float64(t.YearDay()) }),
		"monthstart":      period(monthStart, func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }, false),
		"monthend":        period(monthStart, func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }, true),
		"quarterstart":    period(quarterStart, func(t time.Time) time.Time { return t.AddDate(0, 3, 0) }, false),
		"quarterend":      period(quarterStart, func(t time.Time) time.Time { return t.AddDate(0, 3, 0) }, true),
		"yearstart":       period(yearStart, func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }, false),
		"yearend":         period(yearStart, func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }, true),
		"weekstart":       period(weekStart, func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }, false),
		"weekend":         period(weekStart, func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }, true),
		"daystart":        period(dayStart, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }, false),
		"dayend":          period(dayStart, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }, true),
		"monthname": func(a []Val) Val {
			x, ok := toSerial(a[0])
			if !ok {
				return nullVal
			}
			t := monthStart(serialTime(x), int(argNum(a, 1, 0)))
			return dualVal(monthNames[t.Month()-1]+" "+strconv.Itoa(t.Year()), serialFromTime(t))
		},
		"addmonths": func(a []Val) Val { return addMonths(a, 1) },
		"addyears":  func(a []Val) Val { return addMonths(a, 12) },
		"maketime": func(a []Val) Val {
			x := (argNum(a, 0, 0)*3600 + argNum(a, 1, 0)*60 + argNum(a, 2, 0)) / 86400
			return dualVal(formatSerial(x, defaultTimeFmt), x)
		},
		"now": func([]Val) Val {
			x := serialFromClock(time.Now().UTC())
			return dualVal(formatSerial(x, defaultTimestampFmt), x)
		},
	} {
		scalarFuncs[name] = f
	}
}

// addMonths is AddMonths(date, n) (months = 1) and AddYears (months = 12):
// the same day n periods later, clamped to the month's last day.
func addMonths(a []Val, months int) Val {
	x, ok := toSerial(a[0])
	if !ok {
		return nullVal
	}
	t := serialTime(x)
	first := time.Date(t.Year(), t.Month()+time.Month(int(argNum(a, 1, 0))*months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	r := time.Date(first.Year(), first.Month(), min(t.Day(), last), 0, 0, 0, 0, time.UTC)
	s := serialFromTime(r) + (x - math.Floor(x))
	return dualVal(formatSerial(s, defaultDateFmt), s)
}

// toSerial reads a date/time value: its number, or an ISO date or
// timestamp text.
func toSerial(v Val) (float64, bool) {
	if v.IsNum() {
		return v.Num, true
	}
	if v.Null || !v.HasStr {
		return 0, false
	}
	for _, f := range []string{defaultTimestampFmt, defaultDateFmt, "YYYY/MM/DD", "MM/DD/YYYY"} {
		if x, ok := parseSerial(v.Str, f); ok {
			return x, true
		}
	}
	return 0, false
}

// serialTime turns a serial number into a UTC time, to the millisecond.
func serialTime(x float64) time.Time {
	return dateEpoch.Add(time.Duration(math.Round(x*86400000)) * time.Millisecond)
}

// serialFromClock is a time's serial number including the time of day.
func serialFromClock(t time.Time) float64 {
	return float64(t.Sub(dateEpoch).Milliseconds()) / 86400000
}

// dateTokens are the format tokens, longest first so "YYYY" wins over "YY".
var dateTokens = []string{"YYYY", "YY", "MMMM", "MMM", "MM", "M", "DD", "D", "WWWW", "WWW", "hh", "h", "mm", "ss", "fff", "TT", "tt"}

// nextToken returns the format token at f[i:], "" for a literal.
func nextToken(f string, i int) string {
	for _, t := range dateTokens {
		if strings.HasPrefix(f[i:], t) {
			return t
		}
		// Years and days are accepted in lower case too.
		if (t[0] == 'Y' || t[0] == 'D' || t[0] == 'W') && strings.HasPrefix(f[i:], strings.ToLower(t)) {
			return t
		}
	}
	return ""
}

var longMonths = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
var longDays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// formatSerial writes a serial date/time with a Qlik format.
func formatSerial(x float64, f string) string {
	t := serialTime(x)
	ampm := strings.Contains(f, "TT") || strings.Contains(f, "tt")
	var b strings.Builder
	pad := func(n, w int) { b.WriteString(strings.Repeat("0", max(0, w-len(strconv.Itoa(n)))) + strconv.Itoa(n)) }
	for i := 0; i < len(f); {
		tok := nextToken(f, i)
		if tok == "" {
			b.WriteByte(f[i])
			i++
			continue
		}
		i += len(tok)
		h := t.Hour()
		if ampm {
			h = (h+11)%12 + 1
		}
		switch tok {
		case "YYYY":
			pad(t.Year(), 4)
		case "YY":
			pad(t.Year()%100, 2)
		case "MMMM":
			b.WriteString(longMonths[t.Month()-1])
		case "MMM":
			b.WriteString(monthNames[t.Month()-1])
		case "MM":
			pad(int(t.Month()), 2)
		case "M":
			pad(int(t.Month()), 1)
		case "DD":
			pad(t.Day(), 2)
		case "D":
			pad(t.Day(), 1)
		case "WWWW":
			b.WriteString(longDays[(int(t.Weekday())+6)%7])
		case "WWW":
			b.WriteString(dayNames[(int(t.Weekday())+6)%7])
		case "hh":
			pad(h, 2)
		case "h":
			pad(h, 1)
		case "mm":
			pad(t.Minute(), 2)
		case "ss":
			pad(t.Second(), 2)
		case "fff":
			pad(t.Nanosecond()/1e6, 3)
		case "TT", "tt":
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		}
	}
	return b.String()
}

// parseSerial reads text written with a Qlik date/time format.
func parseSerial(s, f string) (float64, bool) {
	y, mo, d, h, mi, sec, ms := 1899, 12, 30, 0, 0, 0, 0
	pm, hasAMPM := false, false
	j := 0
	num := func(maxW int) (int, bool) {
		k := j
		for k < len(s) && k-j < maxW && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k == j {
			return 0, false
		}
		n, _ := strconv.Atoi(s[j:k])
		j = k
		return n, true
	}
	name := func(names []string, n int) (int, bool) {
		for i, nm := range names {
			w := nm
			if n > 0 {
				w = nm[:n]
			}
			if len(s)-j >= len(w) && strings.EqualFold(s[j:j+len(w)], w) {
				j += len(w)
				return i, true
			}
		}
		return 0, false
	}
	for i := 0; i < len(f); {
		tok := nextToken(f, i)
		if tok == "" {
			if j >= len(s) || s[j] != f[i] {
				return 0, false
			}
			i++
			j++
			continue
		}
		i += len(tok)
		ok := true
		switch tok {
		case "YYYY":
			y, ok = num(4)
		case "YY":
			y, ok = num(2)
			y += 2000
			if y > 2049 {
				y -= 100
			}
		case "MMMM":
			mo, ok = name(longMonths, 0)
			mo++
		case "MMM":
			mo, ok = name(monthNames, 0)
			mo++
		case "MM", "M":
			mo, ok = num(2)
		case "DD", "D":
			d, ok = num(2)
		case "WWWW":
			_, ok = name(longDays, 0)
		case "WWW":
			_, ok = name(dayNames, 0)
		case "hh", "h":
			h, ok = num(2)
		case "mm":
			mi, ok = num(2)
		case "ss":
			sec, ok = num(2)
		case "fff":
			ms, ok = num(3)
		case "TT", "tt":
			hasAMPM = true
			var k int
			k, ok = name([]string{"AM", "PM"}, 0)
			pm = k == 1
		}
		if !ok {
			return 0, false
		}
	}
	if j != len(s) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 {
		return 0, false
	}
	if hasAMPM {
		h %= 12
		if pm {
			h += 12
		}
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ms*1e6, time.UTC)
	if t.Day() != d {
		return 0, false
	}
	return serialFromClock(t), true
}
