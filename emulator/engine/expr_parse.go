package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// AST node kinds.
const (
	nLit = iota
	nField
	nCall
	nBin
	nNeg
	nNot
)

// node is one expression AST node.
type node struct {
	kind     int
	op       string // operator, or lower-case function name
	name     string // field name or function name as written
	val      Val
	args     []*node
	distinct bool
	star     bool
	call     *callQual // set expression and TOTAL of an aggregation (nil: none)
}

// parser is a recursive-descent parser over tokens.
type parser struct {
	toks  []token
	p     int
	depth int // nesting of expr/unary/not, bounded by maxExprDepth
}

func (p *parser) peek() token { return p.toks[p.p] }
func (p *parser) next() token {
	t := p.toks[p.p]
	if t.kind != tkEOF {
		p.p++
	}
	return t
}
func (p *parser) isOp(s string) bool {
	t := p.peek()
	return t.kind == tkOp && t.text == s
}
func (p *parser) isKw(s string) bool {
	t := p.peek()
	return t.kind == tkIdent && strings.EqualFold(t.text, s)
}

// parseExpr parses a whole expression string (a leading '=' is allowed).
func parseExpr(src string) (*node, error) {
	s := strings.TrimSpace(src)
	s = strings.TrimPrefix(s, "=")
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tkEOF {
		return nil, fmt.Errorf("unexpected %q at %d", p.peek().text, p.peek().pos)
	}
	if err := checkTreeDepth(n); err != nil {
		return nil, err
	}
	return n, nil
}

func (p *parser) expr() (*node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	return p.or()
}

func (p *parser) or() (*node, error) {
	l, err := p.and()
	for err == nil && (p.isKw("or") || p.isKw("xor")) {
		op := strings.ToLower(p.next().text)
		var r *node
		r, err = p.and()
		l = &node{kind: nBin, op: op, args: []*node{l, r}}
	}
	return l, err
}

func (p *parser) and() (*node, error) {
	l, err := p.not()
	for err == nil && p.isKw("and") {
		p.next()
		var r *node
		r, err = p.not()
		l = &node{kind: nBin, op: "and", args: []*node{l, r}}
	}
	return l, err
}

func (p *parser) not() (*node, error) {
	if p.isKw("not") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		p.next()
		x, err := p.not()
		return &node{kind: nNot, args: []*node{x}}, err
	}
	return p.cmp()
}

func (p *parser) cmp() (*node, error) {
	l, err := p.concat()
	for err == nil {
		t := p.peek()
		if t.kind == tkOp && (t.text == "=" || t.text == "<>" || t.text == "<" || t.text == ">" || t.text == "<=" || t.text == ">=") {
			p.next()
			var r *node
			r, err = p.concat()
			l = &node{kind: nBin, op: t.text, args: []*node{l, r}}
			continue
		}
		if p.isKw("like") {
			p.next()
			var r *node
			r, err = p.concat()
			l = &node{kind: nBin, op: "like", args: []*node{l, r}}
			continue
		}
		break
	}
	return l, err
}

func (p *parser) concat() (*node, error) {
	l, err := p.add()
	for err == nil && p.isOp("&") {
		p.next()
		var r *node
		r, err = p.add()
		l = &node{kind: nBin, op: "&", args: []*node{l, r}}
	}
	return l, err
}

func (p *parser) add() (*node, error) {
	l, err := p.mul()
	for err == nil && (p.isOp("+") || p.isOp("-")) {
		op := p.next().text
		var r *node
		r, err = p.mul()
		l = &node{kind: nBin, op: op, args: []*node{l, r}}
	}
	return l, err
}

func (p *parser) mul() (*node, error) {
	l, err := p.unary()
	for err == nil && (p.isOp("*") || p.isOp("/")) {
		op := p.next().text
		var r *node
		r, err = p.unary()
		l = &node{kind: nBin, op: op, args: []*node{l, r}}
	}
	return l, err
}

func (p *parser) unary() (*node, error) {
	if p.isOp("-") || p.isOp("+") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
	}
	if p.isOp("-") {
		p.next()
		x, err := p.unary()
		return &node{kind: nNeg, args: []*node{x}}, err
	}
	if p.isOp("+") {
		p.next()
		return p.unary()
	}
	return p.primary()
}

func (p *parser) primary() (*node, error) {
	t := p.next()
	switch t.kind {
	case tkNum:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, fmt.Errorf("bad number %q", t.text)
		}
		return &node{kind: nLit, val: numVal(f)}, nil
	case tkStr:
		return &node{kind: nLit, val: strVal(t.text)}, nil
	case tkQuoted, tkBracket:
		return &node{kind: nField, name: t.text}, nil
	case tkIdent:
		if p.isOp("(") {
			p.next()
			n := &node{kind: nCall, name: t.text, op: strings.ToLower(t.text)}
			if err := p.callQualifiers(n); err != nil {
				return nil, err
			}
			if p.isOp("*") && p.toks[p.p+1].kind == tkOp && p.toks[p.p+1].text == ")" {
				p.next()
				n.star = true
			}
			if !p.isOp(")") {
				for {
					a, err := p.expr()
					if err != nil {
						return nil, err
					}
					n.args = append(n.args, a)
					if p.isOp(",") {
						p.next()
						continue
					}
					break
				}
			}
			if !p.isOp(")") {
				return nil, fmt.Errorf("missing ) after %s( at %d", t.text, t.pos)
			}
			p.next()
			return n, nil
		}
		switch strings.ToLower(t.text) {
		case "null":
			return &node{kind: nLit, val: nullVal}, nil
		case "true":
			return &node{kind: nLit, val: numVal(-1)}, nil
		case "false":
			return &node{kind: nLit, val: numVal(0)}, nil
		}
		return &node{kind: nField, name: t.text}, nil
	case tkOp:
		if t.text == "(" {
			n, err := p.expr()
			if err != nil {
				return nil, err
			}
			if !p.isOp(")") {
				return nil, fmt.Errorf("missing ) at %d", p.peek().pos)
			}
			p.next()
			return n, nil
		}
	case tkEOF:
		return nil, errors.New("unexpected end of expression")
	}
	return nil, fmt.Errorf("unexpected %q at %d", t.text, t.pos)
}
