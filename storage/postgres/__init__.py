"""The PostgreSQL store (``FSB_DATABASE=postgresql://...``): one module per repository, as in
storage/sqlite/, over the same columns and the same ciphertext.

A change to the SQLite schema needs its twin here: a migration in ``migrations/`` numbered on
from the last one here (the numbers are this store's own; each file's header names the SQLite
migration it matches: 0001 is SQLite's 0001-0015, 0002 is 0018, 0003 is 0019, 0004 is 0017,
0005 is 0021 and 0006 is 0020), and the repository method in the module of the same name. The
contract suite (tests/contract/) runs on both stores, so a method missing here fails there.
"""
