"""slm's command line. Modules here parse arguments and print; the runtime does the work."""
