"""Field types shared by the published event models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Code = Annotated[str, Field(min_length=1)]
"""An office code, an id or a reference: any non-empty text."""

StaffId = Annotated[str, Field(min_length=1, max_length=128)]

AddresseeRegion = Annotated[
    str,
    Field(
        min_length=1,
        description="The regional-level office the addressee belongs to (the GPO and "
        "regional offices are their own region).",
    ),
]


class EventData(BaseModel):
    """The data of one published event type; the docstring is the schema's description."""

    # A field's docstring is its description in the schema and in docs/events.md.
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)
