"""The operations a user can perform on an open project, grouped by what they act on."""
