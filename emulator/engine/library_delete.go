package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Delete removes an app from the library (Global.DeleteApp): it leaves
// GetDocList, can no longer be opened, and its saved file under the -data
// folder is removed. An app some session has open is not deleted, as a
// real engine refuses to delete an app in use: it answers 1002 (App
// already open); an unknown app answers 1003.
func (l *Library) Delete(name string) error {
	if name == "" {
		return &Error{Code: 8, Parameter: "qAppId", Message: "Invalid parameters"}
	}
	a := l.lookup(name)
	if a == nil {
		return &Error{Code: 1003, Parameter: name, Message: "App not found"}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.opens > 0 {
		return &Error{Code: 1002, Parameter: a.id, Message: "App already open"}
	}
	if a.store != nil {
		if err := os.Remove(a.store.path(a.id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("failed to delete app: %w", err)
		}
	}
	delete(l.apps, strings.ToLower(a.id))
	for i, id := range l.order {
		if id == a.id {
			l.order = append(l.order[:i:i], l.order[i+1:]...)
			break
		}
	}
	return nil
}
