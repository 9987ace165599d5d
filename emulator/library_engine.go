package emulator

import (
	"time"

	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

// defaultLibrary is the library used when Config.Library is nil: the data
// side's sample apps plus the CSV files of dataDir, with Config.ReloadPace
// (0 = the engine's default, negative = instant).
func defaultLibrary(dataDir string, pace time.Duration) engineLibrary {
	l := engine.NewLibrary(dataDir)
	switch {
	case pace < 0:
		l.SetReloadPace(0)
	case pace > 0:
		l.SetReloadPace(pace)
	}
	return engineLibrary{l}
}

// engineLibrary adapts *engine.Library (concrete *engine.Doc results) to
// Library.
type engineLibrary struct{ l *engine.Library }

func (e engineLibrary) DocList() any            { return e.l.DocList() }
func (e engineLibrary) Exists(name string) bool { return e.l.Exists(name) }
func (e engineLibrary) Create(name string) error {
	return e.l.Create(name)
}

func (e engineLibrary) Open(name string) (Doc, error) {
	d, err := e.l.Open(name)
	if err != nil || d == nil {
		return nil, orNotFound(err, name)
	}
	return d, nil
}

func (e engineLibrary) NewSessionApp(id, template string) (Doc, error) {
	d, err := e.l.NewSessionApp(id, template)
	if err != nil || d == nil {
		return nil, orNotFound(err, template)
	}
	return d, nil
}

// orNotFound keeps err, or reports name as not found when the data side
// returned neither a doc nor an error.
func orNotFound(err error, name string) error {
	if err != nil {
		return err
	}
	return notFound(name)
}
