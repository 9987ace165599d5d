package jsonr

// maxDepth bounds the nesting scanValue accepts, as encoding/json does.
const maxDepth = 10000

// scanString checks the string literal at d[i] (an opening quote) and
// returns the offset just past its closing quote and whether it has
// escapes. On error, reason says what and end is where.
func scanString(d []byte, i int) (end int, escaped bool, reason string) {
	for i++; i < len(d); i++ {
		switch c := d[i]; {
		case c == '"':
			return i + 1, escaped, ""
		case c == '\\':
			escaped = true
			if i+1 >= len(d) {
				return i, escaped, "unterminated string literal"
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+6 > len(d) {
					return i, escaped, "unterminated string literal"
				}
				for _, h := range d[i+2 : i+6] {
					if !isHex(h) {
						return i, escaped, "invalid escape in string literal"
					}
				}
				i += 5
			default:
				return i, escaped, "invalid escape in string literal"
			}
		case c < 0x20:
			return i, escaped, "control character in string literal"
		}
	}
	return i, escaped, "unterminated string literal"
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanNumber checks the number at d[i]: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
// and returns the offset just past it.
func scanNumber(d []byte, i int) (end int, ok bool) {
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i >= len(d) || !isDigit(d[i]):
		return i, false
	case d[i] == '0':
		i++
	default:
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || !isDigit(d[i]) {
			return i, false
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || !isDigit(d[i]) {
			return i, false
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	return i, true
}

// scanLiteral checks true, false or null at d[i].
func scanLiteral(d []byte, i int) (end int, ok bool) {
	var lit string
	switch d[i] {
	case 't':
		lit = "true"
	case 'f':
		lit = "false"
	default:
		lit = "null"
	}
	if len(d)-i < len(lit) || string(d[i:i+len(lit)]) != lit {
		return i, false
	}
	return i + len(lit), true
}

func skipSpace(d []byte, i int) int {
	for i < len(d) && isSpace(d[i]) {
		i++
	}
	return i
}

// scanValue checks the JSON value that starts at d[i] (no whitespace
// before it) and returns the offset just past it. On error, reason says
// what and end is where. It does not recurse: a stack of open delimiters
// tracks the nesting.
func scanValue(d []byte, i int) (end int, reason string) {
	var buf [32]byte
	stack := buf[:0]
	for {
		// A value is expected at i.
		i = skipSpace(d, i)
		if i >= len(d) {
			return i, "unexpected end of JSON input"
		}
		switch c := d[i]; c {
		case '{', '[':
			if len(stack) >= maxDepth {
				return i, "exceeded max depth"
			}
			i = skipSpace(d, i+1)
			if i < len(d) && d[i] == c+2 { // '{'+2 == '}', '['+2 == ']'
				i++
				break
			}
			stack = append(stack, c)
			if c == '{' {
				if i, reason = scanKey(d, i); reason != "" {
					return i, reason
				}
			}
			continue
		case '"':
			if i, _, reason = scanString(d, i); reason != "" {
				return i, reason
			}
		case 't', 'f', 'n':
			var ok bool
			if i, ok = scanLiteral(d, i); !ok {
				return i, "invalid literal"
			}
		default:
			var ok bool
			if i, ok = scanNumber(d, i); !ok {
				return i, "invalid character in numeric literal"
			}
		}
		// After a value: close the containers it ends, or go on to the
		// next element.
	after:
		for {
			if len(stack) == 0 {
				return i, ""
			}
			i = skipSpace(d, i)
			if i >= len(d) {
				return i, "unexpected end of JSON input"
			}
			top := stack[len(stack)-1]
			switch c := d[i]; {
			case c == ',':
				i++
				if top == '{' {
					if i, reason = scanKey(d, skipSpace(d, i)); reason != "" {
						return i, reason
					}
				}
				break after
			case c == top+2:
				stack = stack[:len(stack)-1]
				i++
			default:
				return i, "invalid character after value"
			}
		}
	}
}

// scanKey checks an object key and the colon after it.
func scanKey(d []byte, i int) (int, string) {
	if i >= len(d) || d[i] != '"' {
		if i >= len(d) {
			return i, "unexpected end of JSON input"
		}
		return i, "invalid character looking for object key"
	}
	i, _, reason := scanString(d, i)
	if reason != "" {
		return i, reason
	}
	i = skipSpace(d, i)
	if i >= len(d) || d[i] != ':' {
		if i >= len(d) {
			return i, "unexpected end of JSON input"
		}
		return i, "invalid character after object key"
	}
	return i + 1, ""
}

// Valid reports whether data is one JSON value, with optional whitespace
// around it: json.Valid without encoding/json.
func Valid(data []byte) bool {
	i := skipSpace(data, 0)
	end, reason := scanValue(data, i)
	return reason == "" && skipSpace(data, end) == len(data)
}

// AppendCompact appends the valid JSON src to dst without the whitespace
// between tokens.
func AppendCompact(dst, src []byte) []byte {
	start := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '"':
			end, _, _ := scanString(src, i)
			i = end - 1
		case isSpace(c):
			dst = append(dst, src[start:i]...)
			start = i + 1
		}
	}
	return append(dst, src[start:]...)
}
