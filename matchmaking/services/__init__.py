"""Use cases. Services take explicit arguments, flush, and leave the commit to the caller."""
