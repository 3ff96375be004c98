"""Compile the .po catalogues to .mo with polib, so no GNU gettext install is needed to run."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "src" / "anjian"


def main() -> int:
    count = 0
    # The project's catalogue, and an app's own where it carries one (Django reads each installed
    # app's locale/ directory after LOCALE_PATHS): a new app's strings then merge without touching
    # the big shared file.
    catalogues = [
        *ROOT.glob("locale/*/LC_MESSAGES/*.po"),
        *ROOT.glob("*/locale/*/LC_MESSAGES/*.po"),
    ]
    for po_path in catalogues:
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    print(f"compiled {count} message catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
