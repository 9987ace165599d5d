package jsonr

// Object reads data, one JSON object, into a map from its keys (unescaped)
// to the raw text of their values, which alias data. A repeated key keeps
// its last value. null gives a nil map. It is what json.Unmarshal into a
// map[string]json.RawMessage does, without encoding/json's reflection.
func Object(data []byte) (map[string][]byte, error) {
	l := Lexer{Data: data}
	if l.IsNull() {
		l.Skip()
		l.Consumed()
		return nil, l.Error()
	}
	m := map[string][]byte{}
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		key := l.String()
		l.WantColon()
		val := l.Raw()
		l.WantComma()
		if l.Ok() {
			m[key] = val
		}
	}
	l.Delim('}')
	l.Consumed()
	if err := l.Error(); err != nil {
		return nil, err
	}
	return m, nil
}
