"""Built-in plugin: notes."""
