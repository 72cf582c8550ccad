"""Getting data into the graph: the reference graph generator and spreadsheet loaders."""
