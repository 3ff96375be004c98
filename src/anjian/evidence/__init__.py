"""Evidence (证据): files stored by content hash and attached to records of other apps."""
