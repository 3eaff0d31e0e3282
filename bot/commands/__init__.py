"""The subcommands of `wijkstem`, one module each."""
