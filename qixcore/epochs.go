package qixcore

// handleEpochs keeps the handle moves of recent resumes, so that a call
// naming an object by an older numbering still reaches that object. Each
// resume starts a new epoch (a new numbering); moves[i] maps numbering
// base+i to base+i+1, and an object missing from it did not come back.
//
// Native callers read RemoteObject.Handle, which a resume updates in place,
// so only the calls that waited through a resume need translating. The
// browser bridge names objects by the handles the page knows, which lag
// behind until the page has seen EventSessionResumed: with
// SessionOptions.HandleEpochs, calls are read in the numbering the page
// last acknowledged (AckResume).
type handleEpochs struct {
	base    int
	moves   []map[int]int
	current int
	acked   int
}

// add records a resume's moves and starts the next epoch.
func (h *handleEpochs) add(moves []Rebound) {
	m := make(map[int]int, len(moves))
	for _, mv := range moves {
		m[mv.Old] = mv.New
	}
	h.moves = append(h.moves, m)
	h.current++
}

// translate returns the current handle of the object that was handle in
// numbering from; false when that object did not survive a resume since.
// Global (-1) never moves.
func (h *handleEpochs) translate(from, handle int) (int, bool) {
	if handle == -1 || from >= h.current {
		return handle, true
	}
	if from < h.base {
		return 0, false
	}
	for e := from; e < h.current; e++ {
		next, ok := h.moves[e-h.base][handle]
		if !ok {
			return 0, false
		}
		handle = next
	}
	return handle, true
}

// prune forgets the moves out of numberings older than keep.
func (h *handleEpochs) prune(keep int) {
	keep = min(keep, h.current)
	if keep <= h.base {
		return
	}
	h.moves = append([]map[int]int(nil), h.moves[keep-h.base:]...)
	h.base = keep
}
