"""Model catalog data (catalog.toml) shipped with slm."""
