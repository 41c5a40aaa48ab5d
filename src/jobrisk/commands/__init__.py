"""CLI commands, one module per area; each registers itself on the `jobrisk` group."""
