"""Anonymisation: contact details in residents' words are replaced before anything leaves."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# International (+31 6 …, 0031 …) and Dutch (06-…, 043 …) numbers of 9 or more digits.
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s.\-/()]*\d){8,14}(?!\w)")


def scrub(text: str, email: str = "[e-mail]", phone: str = "[phone]") -> str:
    """The text with e-mail addresses and phone numbers replaced by placeholders."""
    return PHONE.sub(phone, EMAIL.sub(email, text))
