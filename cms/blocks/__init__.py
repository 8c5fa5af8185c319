"""The shared StreamField block library: one class per block."""
