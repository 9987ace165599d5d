package qixcore

import (
	"strconv"
	"sync"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
)

// RemoteObject is one object the engine named with a handle: Global (-1),
// a Doc, a GenericObject, a Field... The registry keeps exactly one per
// live handle, so every reference a program holds to the same handle sees
// the same object.
type RemoteObject struct {
	Handle      int
	Type        string // qType
	GenericType string // qGenericType, "" when absent
	ID          string // qGenericId, or qSessionAppId for session apps
}

// Registry maps live handles to their objects. It is safe for concurrent
// use.
type Registry struct {
	mu      sync.Mutex
	objects map[int]*RemoteObject
}

// NewRegistry returns a registry holding the Global object (handle -1).
func NewRegistry() *Registry {
	r := &Registry{objects: map[int]*RemoteObject{}}
	r.objects[-1] = &RemoteObject{Handle: -1, Type: "Global", ID: "Global"}
	return r
}

// Register returns the object for handle, creating it from the given
// attributes when the handle is new. An existing object keeps its identity
// and takes the newer attributes where they are set.
func (r *Registry) Register(handle int, qType, genericType, id string) (obj *RemoteObject, created bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.register(handle, qType, genericType, id)
}

// register is Register with r.mu held.
func (r *Registry) register(handle int, qType, genericType, id string) (obj *RemoteObject, created bool) {
	if o, ok := r.objects[handle]; ok {
		if qType != "" {
			o.Type = qType
		}
		if genericType != "" {
			o.GenericType = genericType
		}
		if id != "" {
			o.ID = id
		}
		return o, false
	}
	o := &RemoteObject{Handle: handle, Type: qType, GenericType: genericType, ID: id}
	r.objects[handle] = o
	return o, true
}

// Bind is Register for an object an engine reply named, under the handle
// rule (see checkNewHandle and sameObject in unwrap.go): an impossible
// handle, or a live handle named for another object, is an error wrapping
// errHandleImpossible or errHandleReused, and the registry is unchanged.
func (r *Registry) Bind(handle int, qType, genericType, id string) (*RemoteObject, error) {
	if err := checkNewHandle(handle); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if o, live := r.objects[handle]; live && !sameObject(o, qType, genericType, id) {
		was := o.Type
		if o.ID != "" {
			was += " " + o.ID
		}
		return nil, errwrap.WithText(errHandleReused.Error()+": handle "+strconv.Itoa(handle)+" is the "+was+", not a "+qType, errHandleReused)
	}
	o, _ := r.register(handle, qType, genericType, id)
	return o, nil
}

// Get returns the object for handle, if it is live.
func (r *Registry) Get(handle int) (*RemoteObject, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o, ok := r.objects[handle]
	return o, ok
}

// Remove drops closed handles and returns the objects that were live.
// Global is never removed.
func (r *Registry) Remove(handles []int) []*RemoteObject {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*RemoteObject
	for _, h := range handles {
		if h == -1 {
			continue
		}
		if o, ok := r.objects[h]; ok {
			delete(r.objects, h)
			out = append(out, o)
		}
	}
	return out
}

// Live returns the live handles' objects, Global first then by handle.
func (r *Registry) Live() []*RemoteObject {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*RemoteObject, 0, len(r.objects))
	for _, o := range r.objects {
		out = append(out, o)
	}
	sortObjects(out)
	return out
}

// Reset drops every object but Global (the connection they lived on is gone).
func (r *Registry) Reset() []*RemoteObject {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*RemoteObject
	for h, o := range r.objects {
		if h != -1 {
			out = append(out, o)
			delete(r.objects, h)
		}
	}
	sortObjects(out)
	return out
}

// Rebound is one object that moved to a new handle (after Resume).
type Rebound struct {
	Old, New int
}

// Remap moves objects to new handles and drops the closed ones, in one
// step, so old and new numbers never mix even when they overlap. The
// objects keep their identity: only Handle changes.
func (r *Registry) Remap(moves []Rebound, closed []int) []*RemoteObject {
	r.mu.Lock()
	defer r.mu.Unlock()
	var gone []*RemoteObject
	for _, h := range closed {
		if o, ok := r.objects[h]; ok && h != -1 {
			gone = append(gone, o)
			delete(r.objects, h)
		}
	}
	next := make(map[int]*RemoteObject, len(r.objects))
	moved := make(map[int]bool, len(moves))
	for _, m := range moves {
		if o, ok := r.objects[m.Old]; ok {
			o.Handle = m.New
			next[m.New] = o
			moved[m.Old] = true
		}
	}
	for h, o := range r.objects {
		if !moved[h] {
			if _, taken := next[h]; taken {
				// An unmoved object whose handle a moved one now uses:
				// it cannot stay, so it is closed.
				gone = append(gone, o)
				continue
			}
			next[h] = o
		}
	}
	r.objects = next
	sortObjects(gone)
	return gone
}

func sortObjects(s []*RemoteObject) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Handle < s[j-1].Handle; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
