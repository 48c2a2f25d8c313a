"""Built-in plugin: extract."""
