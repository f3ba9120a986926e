"""Exchange with other analysis tools through the REFI-QDA standard (.qdpx projects, .qdc codebooks)."""
