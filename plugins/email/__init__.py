"""Built-in plugin: email."""
