package engine

import (
	"math"
	"strconv"
	"strings"
)

// numFormat is FieldAttributes (qNumFormat) as clients send it.
type numFormat struct {
	QType    string `json:"qType"`
	QnDec    int    `json:"qnDec"`
	QUseThou int    `json:"qUseThou"`
	QFmt     string `json:"qFmt"`
	QDec     string `json:"qDec"`
	QThou    string `json:"qThou"`
}

// explicit reports whether the format asks for a pattern (not automatic).
func (f *numFormat) explicit() bool {
	return f != nil && f.QFmt != "" && f.QType != "" && f.QType != "U"
}

// formatPattern renders x with a Qlik number pattern such as "#,##0.00",
// "0.0%" or "$#,##0;-$#,##0": digits placeholders 0/#, the decimal and
// thousands separators given (default "." and ","), literal prefix and
// suffix text, % multiplying by 100. Dashboards show measures this way.
func formatPattern(x float64, pattern, dec, thou string) string {
	if math.IsNaN(x) {
		return "-"
	}
	if dec == "" {
		dec = "."
	}
	if thou == "" {
		thou = ","
	}
	neg := x < 0
	parts := strings.SplitN(pattern, ";", 2)
	pat := parts[0]
	explicitNeg := false
	if neg && len(parts) == 2 && parts[1] != "" {
		pat, explicitNeg = parts[1], true
	}
	first := strings.IndexAny(pat, "#0")
	lastIdx := strings.LastIndexAny(pat, "#0")
	if first < 0 {
		return formatNum(x)
	}
	prefix, num, suffix := pat[:first], pat[first:lastIdx+1], pat[lastIdx+1:]
	if strings.Contains(prefix+suffix, "%") {
		x *= 100
	}
	intPat, fracPat := num, ""
	if i := strings.Index(num, dec); i >= 0 {
		intPat, fracPat = num[:i], num[i+len(dec):]
	}
	decimals := strings.Count(fracPat, "0") + strings.Count(fracPat, "#")
	minFrac := strings.Count(fracPat, "0")
	useThou := strings.Contains(intPat, thou)
	minInt := strings.Count(intPat, "0")
	s := strconv.FormatFloat(math.Abs(x), 'f', decimals, 64)
	ip, fp := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		ip, fp = s[:i], s[i+1:]
	}
	for len(fp) > minFrac && strings.HasSuffix(fp, "0") {
		fp = fp[:len(fp)-1]
	}
	for len(ip) < minInt {
		ip = "0" + ip
	}
	if ip == "0" && minInt == 0 && fp != "" {
		ip = ""
	}
	if useThou && len(ip) > 3 {
		var b strings.Builder
		lead := len(ip) % 3
		if lead > 0 {
			b.WriteString(ip[:lead])
		}
		for i := lead; i < len(ip); i += 3 {
			if b.Len() > 0 {
				b.WriteString(thou)
			}
			b.WriteString(ip[i : i+3])
		}
		ip = b.String()
	}
	out := ip
	if fp != "" {
		out += dec + fp
	}
	out = prefix + out + suffix
	if neg && !explicitNeg && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}
