"""Built-in plugin: kb."""
