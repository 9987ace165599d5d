package engine

// unsupportedGroup is a set of schema methods of one class the emulator
// answers with ErrUnsupported, and why: docs/ENGINE.md prints the reason
// next to each method.
type unsupportedGroup struct {
	Class   string
	Reason  string
	Methods []string
}

// unsupportedGroups are the schema methods the emulator does not run, by
// class and reason: they answer ErrUnsupported (code 17). A schema method
// neither implemented nor listed here answers -32601, which
// TestEngineCoverage (package emulator) reports. Keep each list sorted.
//
// Every reason is a feature Qlik Core itself does not have (Sense's hub
// and repository, methods added after Core's engine, which QIX schema
// 12.612 lacks, Desktop files, connectors), where 17 is what Core answers
// too. A reason starting "not built yet" (an engine feature the emulator
// lacks) fails TestEngineCoverage.
var unsupportedGroups = []unsupportedGroup{
	{"Global", "Qlik Sense repository and hub: app files, copies and publishing are managed outside the engine",
		[]string{"CopyApp", "ExportApp", "ImportApp", "ImportAppEx", "PublishApp", "ReplaceAppFromID", "ReplaceAppFromPath"}},
	{"Global", "Qlik Sense Desktop: apps as local .qvf files",
		[]string{"CreateDocEx", "SaveAs"}},
	{"Global", "needs a database connector (the emulator has none)",
		[]string{"GetDatabasesFromConnectionString"}},
	{"Global", "ends the engine process: the emulator serves other sessions",
		[]string{"ShutdownProcess"}},

	{"Doc", "Qlik Sense hub: publishing and drafts of a published app",
		[]string{"CommitDraft", "CreateDraft", "DestroyDraft", "Publish", "UnPublish"}},
	{"Doc", "Qlik Sense Enterprise or Desktop only (app files, saving objects without DoSave)",
		[]string{"SaveAs", "SaveObjects"}},
	{"Doc", "added after Qlik Core's engine (absent from QIX schema 12.612): SaaS features such as temporary states and bookmarks, spaces and owners, group states, script versions, table profiles and uploads",
		[]string{"ApplyGroupStates", "ApplyTemporaryBookmark", "BulkRequest", "ChangeSessionAppOwner", "ChangeSessionAppSpace",
			"CommitScript", "CreateTemporaryBookmark", "GetFieldsResourceIds", "GetGroupStates", "GetSheetObject",
			"GetTableProfileData", "RestoreTempSelectionState", "SetProhibitBinaryLoad", "StoreTempSelectionState",
			"TransformApp", "UploadTable"}},
	{"Doc", "Qlik Sense Enterprise only (reduced-data app export)",
		[]string{"ExportReducedData"}},
	{"Doc", "needs a database or custom connector (folder connections named data or datafiles browse the data folder)",
		[]string{"GetDatabaseInfo", "GetDatabaseOwners", "GetDatabaseTableFields", "GetDatabaseTablePreview",
			"GetDatabaseTables", "GetDatabases", "SendGenericCommandToCustomConnector"}},

	{"GenericObject", "Qlik Sense hub: publishing and approval",
		[]string{"Approve", "Publish", "UnApprove", "UnPublish"}},
	{"GenericObject", "Qlik Sense storytelling snapshots",
		[]string{"EmbedSnapshotObject", "GetSnapshotObject"}},
	{"GenericObject", "added after Qlik Core's engine (absent from QIX schema 12.612)",
		[]string{"StoreData"}},

	{"GenericDimension", "Qlik Sense hub: publishing and approval",
		[]string{"Approve", "Publish", "UnApprove", "UnPublish"}},
	{"GenericDimension", "added after Qlik Core's engine (absent from QIX schema 12.612): cyclic dimensions",
		[]string{"GetActiveField", "SetActiveField", "StepCycle"}},
	{"GenericMeasure", "Qlik Sense hub: publishing and approval",
		[]string{"Approve", "Publish", "UnApprove", "UnPublish"}},
	{"GenericBookmark", "Qlik Sense hub: publishing and approval",
		[]string{"Approve", "Publish", "UnApprove", "UnPublish"}},
}

// unsupportedMethods indexes unsupportedGroups: class → method → reason.
var unsupportedMethods = func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, g := range unsupportedGroups {
		if out[g.Class] == nil {
			out[g.Class] = map[string]string{}
		}
		for _, m := range g.Methods {
			out[g.Class][m] = g.Reason
		}
	}
	return out
}()

// UnsupportedReason is why the emulator answers ErrUnsupported for a
// method ("" when it does not).
func UnsupportedReason(qType, method string) string {
	return unsupportedMethods[qType][method]
}
