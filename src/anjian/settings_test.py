"""Test settings: the base settings with only what tests must change."""

import os

os.environ.setdefault("ANJIAN_ENV", "test")
# Jobs run in the caller's process the moment they are queued (docs/decisions/0012).
os.environ.setdefault("ANJIAN_JOBS", "immediate")

from anjian.settings import *  # noqa: F403
from anjian.settings import DATABASES

# Hashing with PBKDF2 at production strength would dominate the suite's run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"].pop("init_command", None)

# Files the tests store (draw directories, evidence) go to a throw-away directory, not var/.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="anjian-test-media-"))

# Documents print an absolute check address (issuing refuses without one); the test client's
# host, so a test can follow the printed address.
ANJIAN_PUBLIC_BASE_URL = "http://testserver"

# Receipt codes' Argon2 at production cost (64 MiB) would slow every report a test makes.
ANJIAN_RECEIPT_ARGON2_MEMORY_KIB = 1024
ANJIAN_RECEIPT_ARGON2_TIME_COST = 1
# Most tests log in as administrators and legal reviewers by password alone; the second factor
# is switched on by the tests about it (tests/accounts/test_second_factor.py).
ANJIAN_OTP_REQUIRED_ROLES = []
