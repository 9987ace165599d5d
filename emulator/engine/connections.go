package engine

import (
	"strings"
	"time"
)

// connection is one data connection of an app (Doc.CreateConnection),
// kept with the app so every session sees it. The password is stored but
// never returned.
type connection struct {
	id, name, connStr, typ, user, password string
	logOn                                  string
	modified                               time.Time
}

// connectionArg is the schema's Connection as clients send it.
type connectionArg struct {
	QID               string `json:"qId"`
	QName             string `json:"qName"`
	QConnectionString string `json:"qConnectionString"`
	QType             string `json:"qType"`
	QUserName         string `json:"qUserName"`
	QPassword         string `json:"qPassword"`
	QLogOn            string `json:"qLogOn"`
}

// layout is the Connection the engine returns (no password).
func (c *connection) layout() obj {
	o := obj{{"qId", c.id}, {"qName", c.name}, {"qConnectionString", c.connStr}, {"qType", c.typ}}
	if c.user != "" {
		o = append(o, member{"qUserName", c.user})
	}
	return append(o, member{"qModifiedDate", reloadTime(c.modified)}, member{"qMeta", obj{{"qName", c.name}}},
		member{"qLogOn", c.logOn})
}

var (
	errConnExists = func(name string) error {
		return &Error{Code: 2000, Parameter: name, Message: "Connection already exists"}
	}
	errConnNotFound = func(id string) error { return &Error{Code: 2001, Parameter: id, Message: "Connection not found"} }
)

// findConn finds a connection by id, or by name (ids and names are both
// accepted where the engine takes a connection id).
func (a *App) findConn(key string) (int, *connection) {
	for i, c := range a.more.conns {
		if c.id == key || strings.EqualFold(c.name, key) {
			return i, c
		}
	}
	return -1, nil
}

// connCall runs the connection methods (CreateConnection, GetConnection,
// GetConnections, ModifyConnection, DeleteConnection); handled is false
// for other methods.
func (d *Doc) connCall(method string, p Params) (*Reply, bool, error) {
	a := d.app
	switch method {
	case "CreateConnection":
		var c connectionArg
		if err := args(p, "qConnection", &c); err != nil {
			return nil, true, err
		}
		if strings.TrimSpace(c.QName) == "" {
			return nil, true, &Error{Code: 2004, Parameter: c.QName, Message: "Connection name is invalid"}
		}
		if _, old := a.findConn(c.QName); old != nil {
			return nil, true, errConnExists(c.QName)
		}
		nc := &connection{id: newUUID(), name: c.QName, connStr: c.QConnectionString, typ: c.QType,
			user: c.QUserName, password: c.QPassword, logOn: logOnOr(c.QLogOn), modified: time.Now().UTC()}
		a.more.conns = append(a.more.conns, nc)
		return result("qConnectionId", nc.id), true, nil
	case "GetConnection":
		var id string
		if err := args(p, "qConnectionId", &id); err != nil {
			return nil, true, err
		}
		_, c := a.findConn(id)
		if c == nil {
			return nil, true, errConnNotFound(id)
		}
		return result("qConnection", c.layout()), true, nil
	case "GetConnections":
		list := []any{}
		for _, c := range a.more.conns {
			list = append(list, c.layout())
		}
		return result("qConnections", list), true, nil
	case "ModifyConnection":
		var id string
		var c connectionArg
		var override bool
		if err := args(p, "qConnectionId", &id, "qConnection", &c, "qOverrideCredentials", &override); err != nil {
			return nil, true, err
		}
		_, old := a.findConn(id)
		if old == nil {
			return nil, true, errConnNotFound(id)
		}
		if c.QName != "" && !strings.EqualFold(c.QName, old.name) {
			if _, other := a.findConn(c.QName); other != nil {
				return nil, true, errConnExists(c.QName)
			}
			old.name = c.QName
		}
		// The id and the type cannot change.
		old.connStr = c.QConnectionString
		if override {
			old.user, old.password = c.QUserName, c.QPassword
		}
		if c.QLogOn != "" {
			old.logOn = c.QLogOn
		}
		old.modified = time.Now().UTC()
		return result(), true, nil
	case "DeleteConnection":
		var id string
		if err := args(p, "qConnectionId", &id); err != nil {
			return nil, true, err
		}
		i, c := a.findConn(id)
		if c == nil {
			return nil, true, errConnNotFound(id)
		}
		a.more.conns = append(a.more.conns[:i], a.more.conns[i+1:]...)
		return result(), true, nil
	}
	return nil, false, nil
}

func logOnOr(s string) string {
	if s == "" {
		return "LOG_ON_SERVICE_USER"
	}
	return s
}
