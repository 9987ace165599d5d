package engine

// unsupportedMethods are the schema methods the emulator does not run, by
// class: they answer ErrUnsupported. A schema method neither implemented
// nor listed here answers -32601, which TestEngineCoverage (package
// emulator) reports. Keep each list sorted.
var unsupportedMethods = map[string][]string{
	"Global": {
		"CopyApp", "CreateDocEx", "DeleteApp", "ExportApp", "GetDatabasesFromConnectionString",
		"ImportApp", "ImportAppEx", "PublishApp", "ReplaceAppFromID", "ReplaceAppFromPath", "SaveAs",
		"ShutdownProcess",
	},
	"Doc": {
		"AbortModal", "AddFieldFromExpression", "AddSessionAlternateState", "ApplyAndVerifyBookmark",
		"ApplyGroupStates", "ApplyTemporaryBookmark", "BackCount", "BulkRequest",
		"ChangeSessionAppOwner", "ChangeSessionAppSpace", "CheckExpression", "CheckNumberOrExpression",
		"ClearAllSoftPatches", "ClearUndoBuffer", "CloneBookmark", "CloneDimension", "CloneMeasure",
		"CloneObject", "CommitDraft", "CommitScript", "CreateConnection", "CreateDraft",
		"CreateTemporaryBookmark", "DeleteConnection", "DestroyDraft", "ExpandExpression",
		"ExportReducedData", "FindMatchingFields", "ForwardCount", "GetActiveSheetId",
		"GetAssociationScores", "GetConnection", "GetConnections", "GetContentLibraries",
		"GetDatabaseInfo", "GetDatabaseOwners", "GetDatabaseTableFields", "GetDatabaseTablePreview",
		"GetDatabaseTables", "GetDatabases", "GetExpressionBNF", "GetExpressionBNFHash",
		"GetFavoriteVariables", "GetFieldAndColumnSamples", "GetFieldOnTheFlyByName",
		"GetFieldsFromExpression", "GetFieldsResourceIds", "GetFileTableFields", "GetFileTablePreview",
		"GetFileTables", "GetFileTablesEx", "GetFolderItemsForConnection", "GetGroupStates",
		"GetIncludeFileContent", "GetLayoutProperties", "GetLibraryContent", "GetLineage",
		"GetLooselyCoupledVector", "GetMatchingFields", "GetMeasureWithLabel", "GetMediaList",
		"GetScriptBreakpoints", "GetScriptEx", "GetScriptMeta", "GetSetAnalysis", "GetSheetObject",
		"GetTableData", "GetTableProfileData", "GetTextMacros", "GetVariables", "GetViewDlgSaveInfo",
		"GuessFileType", "MigrateDerivedFields", "MigrateVariables", "ModifyConnection", "Publish",
		"Redo", "RemoveSessionAlternateState", "RemoveVariable", "ReplaceBookmark",
		"RestoreTempSelectionState", "Resume", "SaveAs", "SaveObjects", "Scramble", "SearchAssociations",
		"SearchObjects", "SearchResults", "SearchSuggest", "SearchValues", "SelectAssociations",
		"SendGenericCommandToCustomConnector", "SetAppObjectSortingRank", "SetFavoriteVariables",
		"SetFetchLimit", "SetLooselyCoupledVector", "SetProhibitBinaryLoad", "SetScriptBreakpoints",
		"SetViewDlgSaveInfo", "StoreTempSelectionState", "TransformApp", "UnPublish", "Undo",
		"UploadTable",
	},
	"GenericObject": {
		"Approve", "ClearSoftPatches", "CollapseLeft", "CollapseTop", "CopyFrom", "DrillUp",
		"EmbedSnapshotObject", "ExpandLeft", "ExpandTop", "ExportData", "GetHyperCubeBinnedData",
		"GetHyperCubeContinuousData", "GetHyperCubePivotData", "GetHyperCubeReducedData",
		"GetHyperCubeStackData", "GetHyperCubeTreeData", "GetLinkedObjects", "GetSnapshotObject",
		"MultiRangeSelectHyperCubeValues", "MultiRangeSelectTreeDataValues", "Publish",
		"RangeSelectHyperCubeValues", "SelectHyperCubeContinuousRange",
		"SelectListObjectContinuousRange", "SelectPivotCells", "SetChildArrayOrder", "StoreData",
		"UnApprove", "UnPublish",
	},
	"GenericDimension": {
		"Approve", "GetActiveField", "GetLinkedObjects", "Publish", "SetActiveField",
		"StepCycle", "UnApprove", "UnPublish",
	},
	"GenericMeasure": {
		"Approve", "GetLinkedObjects", "Publish", "UnApprove", "UnPublish",
	},
	"GenericBookmark": {
		"Apply", "ApplyAndVerify", "Approve", "GetFieldValues", "Publish", "UnApprove", "UnPublish",
	},
}
