"""Masking of personal data (个人信息) shown to people who may not read it in full.

The rules follow common practice in Chinese government disclosure (e.g. 国务院办公厅 guidance on
publishing administrative penalties): keep the surname, mask the given name; keep the first six
and last four characters of an ID number.
"""

from __future__ import annotations

MASK = "*"


def mask_person_name(name: str) -> str:
    """张三 → 张*, 王小明 → 王*明, 欧阳小明 → 欧**明; empty stays empty."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    """140602199001011234 → 140602********1234."""
    number = number.strip()
    if len(number) <= 10:
        return MASK * len(number)
    return number[:6] + MASK * (len(number) - 10) + number[-4:]
