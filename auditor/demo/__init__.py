"""The offline demo: a generated sample county site with planted problems (see sitegen)."""
