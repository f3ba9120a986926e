"""Team exchange: fieldworkers seal anonymised packages that only the team's lead analysts can open.

``keys`` makes the X25519 (encryption) and Ed25519 (signing) key pairs and their human-checkable
fingerprints; ``envelope`` seals one payload for named recipients, signed by its sender, and opens it.
"""
