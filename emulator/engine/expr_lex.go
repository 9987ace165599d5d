package engine

import (
	"fmt"
	"strings"
	"unicode"
)

// Token kinds of the shared tokenizer used by expressions and load script
// statements.
const (
	tkEOF = iota
	tkIdent
	tkNum
	tkStr     // 'text'
	tkQuoted  // "name"
	tkBracket // [name] or [raw inline data]
	tkOp
)

type token struct {
	kind int
	text string
	pos  int
}

// tokenize splits src into tokens. Brackets and quotes are single tokens, so
// INLINE data and lib:// paths pass through untouched.
func tokenize(src string) ([]token, error) {
	var out []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isComment(src, i):
			end, ok := commentEnd(src, i)
			if !ok {
				return nil, fmt.Errorf("unterminated comment at %d", i)
			}
			i = end
		case c == '\'' || c == '"':
			text, j, ok := readQuoted(src, i)
			if !ok {
				return nil, fmt.Errorf("unterminated string at %d", i)
			}
			k := tkStr
			if c == '"' {
				k = tkQuoted
			}
			out = append(out, token{k, text, i})
			i = j + 1
		case c == '[':
			text, j, ok := readQuoted(src, i)
			if !ok {
				return nil, fmt.Errorf("unterminated [ at %d", i)
			}
			out = append(out, token{tkBracket, text, i})
			i = j + 1
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') && j+1 < len(src) && (src[j+1] >= '0' && src[j+1] <= '9' || (src[j+1] == '-' || src[j+1] == '+') && j+2 < len(src) && src[j+2] >= '0' && src[j+2] <= '9') {
				j += 2
				for j < len(src) && src[j] >= '0' && src[j] <= '9' {
					j++
				}
			}
			out = append(out, token{tkNum, src[i:j], i})
			i = j
		case c == '_' || c == '$' || c == '#' || c == '@' || c >= 0x80 || unicode.IsLetter(rune(c)):
			j := i
			for j < len(src) {
				d := src[j]
				if d == '_' || d == '$' || d == '#' || d == '@' || d == '.' || d >= 0x80 || d >= '0' && d <= '9' || unicode.IsLetter(rune(d)) {
					j++
					continue
				}
				break
			}
			out = append(out, token{tkIdent, src[i:j], i})
			i = j
		default:
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			if two == "<>" || two == "<=" || two == ">=" {
				out = append(out, token{tkOp, two, i})
				i += 2
				continue
			}
			if strings.IndexByte("+-*/&=<>(),;:{}", c) >= 0 {
				out = append(out, token{tkOp, string(c), i})
				i++
				continue
			}
			return nil, fmt.Errorf("unexpected character %q at %d", c, i)
		}
	}
	out = append(out, token{kind: tkEOF, pos: len(src)})
	return out, nil
}

// expandDollar replaces $(name) by the variable's text and $(=expr) by the
// expression's value, the way the engine expands before parsing.
func expandDollar(s string, lookup func(name string) (string, bool), eval func(expr string) string) string {
	for depth := 0; depth < 10 && strings.Contains(s, "$("); depth++ {
		var sb strings.Builder
		i := 0
		for i < len(s) {
			j := strings.Index(s[i:], "$(")
			if j < 0 {
				sb.WriteString(s[i:])
				break
			}
			sb.WriteString(s[i : i+j])
			start := i + j + 2
			lvl, k := 1, start
			for k < len(s) && lvl > 0 {
				switch s[k] {
				case '(':
					lvl++
				case ')':
					lvl--
				}
				k++
			}
			var inner string
			if lvl > 0 {
				inner = s[start:]
			} else {
				inner = s[start : k-1]
			}
			if strings.HasPrefix(inner, "=") {
				if eval != nil {
					sb.WriteString(eval(inner[1:]))
				}
			} else if v, ok := lookup(strings.TrimSpace(inner)); ok {
				sb.WriteString(v)
			}
			i = k
		}
		s = sb.String()
	}
	return s
}

// readQuoted reads the text quoted by src[i] (', " or [), where a doubled
// closing quote stands for one, as in Qlik scripts, expressions and CSV
// fields. It returns the text, the index of the closing quote, and false when
// the quote is not closed.
func readQuoted(src string, i int) (string, int, bool) {
	j, ok := quoteEnd(src, i)
	if !ok {
		return "", len(src), false
	}
	q := closingQuote(src[i])
	return strings.ReplaceAll(src[i+1:j], string([]byte{q, q}), string(q)), j, true
}

// closingQuote is the byte that closes a quote opened by c.
func closingQuote(c byte) byte {
	if c == '[' {
		return ']'
	}
	return c
}

// quoteEnd finds the closing quote of the quote opened by src[i] (', " or
// [), skipping doubled closing quotes; false when the quote is not closed.
// The expression tokenizer and the script's statement splitter both use it,
// so they agree on where a quoted name or string ends.
func quoteEnd(src string, i int) (int, bool) {
	q := closingQuote(src[i])
	for j := i + 1; j < len(src); j++ {
		if src[j] != q {
			continue
		}
		if j+1 < len(src) && src[j+1] == q {
			j++
			continue
		}
		return j, true
	}
	return len(src), false
}

// isComment reports whether a // or /* comment starts at src[i].
func isComment(src string, i int) bool {
	return src[i] == '/' && i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*')
}

// commentEnd returns the index just after the comment starting at src[i]:
// a // comment runs to its line break (kept), a /* comment through its */.
// False when a /* comment is not closed.
func commentEnd(src string, i int) (int, bool) {
	if src[i+1] == '/' {
		if k := strings.IndexByte(src[i:], '\n'); k >= 0 {
			return i + k, true
		}
		return len(src), true
	}
	end := strings.Index(src[i+2:], "*/")
	if end < 0 {
		return len(src), false
	}
	return i + end + 4, true
}
