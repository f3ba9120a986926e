"""Keys, the OS keychain and the project lock: everything that decides who may open a project."""
