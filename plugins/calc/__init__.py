"""Built-in plugin: calc."""
