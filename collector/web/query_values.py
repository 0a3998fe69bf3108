"""Query values as a page's GET form sends them: an empty box or an "all" option ("") is not given (None).

Browsers send every field of a form, empty ones as ``name=``; without this a page's Show button
answered FastAPI's JSON 422 for an empty date, an "All sites" choice or an empty device box.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Query
from pydantic import BeforeValidator, StringConstraints

from shared.contract import NAME_PATTERN


def empty_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


NameQuery = Annotated[
    Annotated[str, StringConstraints(pattern=NAME_PATTERN)] | None, BeforeValidator(empty_is_none), Query()
]  # a site or device id
DayQuery = Annotated[date | None, BeforeValidator(empty_is_none), Query()]
