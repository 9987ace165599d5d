package engine

import (
	"regexp"
	"sort"
)

// appViewCall runs the Doc methods about how the app is viewed and kept:
// the active sheet (GetActiveSheetId), the sort rank of app objects
// (SetAppObjectSortingRank), the layout properties (GetLayoutProperties),
// the migrations and resume a client asks for after opening an app
// (MigrateDerivedFields, MigrateVariables, Resume); handled is false for
// other methods.
func (d *Doc) appViewCall(method string, p Params) (*Reply, bool, error) {
	a := d.app
	switch method {
	case "GetActiveSheetId":
		// The sheet a client last laid out (see noteLayout), while it
		// exists; "" before any.
		id := a.more.activeSheet
		if od := d.lookupObj(id); od == nil || od.typ != "sheet" {
			id = ""
		}
		return result("qId", id), true, nil
	case "SetAppObjectSortingRank":
		var id string
		var rank int
		if err := args(p, "qId", &id, "qRank", &rank); err != nil {
			return nil, true, err
		}
		od := d.lookupObj(id)
		if od == nil || od.kind != "" || od.parent != "" {
			return nil, true, notFoundErr(id)
		}
		if a.more.ranks == nil {
			a.more.ranks = map[string]int{}
		}
		a.more.ranks[id] = rank
		return d.changedAll(result()), true, nil
	case "GetLayoutProperties":
		return result("qLayoutProp", obj{{"qHasSectionAccess", sectionAccessRe.MatchString(a.script)}}), true, nil
	case "MigrateDerivedFields", "MigrateVariables":
		// The engine moves derived-field definitions and variables of
		// older app formats into the current one; the emulator's apps are
		// always in the current format, so there is nothing to move.
		return result(), true, nil
	case "Resume":
		// Restores the app as the user left it in an earlier session: the
		// emulator keeps no per-user state between sessions, so the app is
		// already as it can be resumed.
		return result(), true, nil
	}
	return nil, false, nil
}

// sectionAccessRe finds a SECTION ACCESS statement in a script.
var sectionAccessRe = regexp.MustCompile(`(?i)(^|[;\n])\s*section\s+access\s*;`)

// noteLayout records a laid-out sheet as the app's active sheet
// (GetActiveSheetId), as the engine tracks the sheet a client shows.
func (d *Doc) noteLayout(od *objData) {
	if od.typ == "sheet" && !od.session {
		d.app.more.activeSheet = od.id
	}
}

// rankObjects orders app objects by their SetAppObjectSortingRank rank:
// ranked ones first, lowest rank first, the others after them in their
// order.
func (d *Doc) rankObjects(ods []*objData) {
	ranks := d.app.more.ranks
	if len(ranks) == 0 {
		return
	}
	sort.SliceStable(ods, func(i, j int) bool {
		ri, oki := ranks[ods[i].id]
		rj, okj := ranks[ods[j].id]
		if oki != okj {
			return oki
		}
		return oki && ri < rj
	})
}
