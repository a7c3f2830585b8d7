"""Developer tools, run as scripts from the repository root (not part of the installed package)."""
