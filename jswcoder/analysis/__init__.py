"""Analysis over coded transcripts: the Framework matrix, coder agreement, and the reports built on them."""
