"""Request and response bodies of the instruction operations."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from api.parameters import Day, Moment
from domain.instruction import MAX_BODY_LENGTH, MAX_REPORT_LENGTH, MAX_SUBJECT_LENGTH

StatusFilter = Literal["issued", "received", "acknowledged", "executed", "overdue"]


class IssueInstruction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    issuing_office: str | None = Field(
        default=None, max_length=64, description="Your office (from your token); optional."
    )
    addressee_office: str = Field(
        min_length=1, max_length=64, description="A lower-ranking office below the issuer."
    )
    subject: str = Field(min_length=1, max_length=MAX_SUBJECT_LENGTH)
    body: str = Field(min_length=1, max_length=MAX_BODY_LENGTH)
    due_on: Day = Field(
        description="Due by the end of this day; at least one working day after today."
    )
    appeal_id: UUID | None = Field(default=None, description="The appeal it concerns, if any.")


class ReceiveInstruction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    office: str | None = Field(
        default=None, max_length=64, description="Your office (from your token); optional."
    )
    received_at: AwareDatetime | None = Field(
        default=None, description="When it was received (default: now); not in the future."
    )


class AcknowledgeInstruction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    office: str | None = Field(
        default=None, max_length=64, description="Your office (from your token); optional."
    )


class ExecuteInstruction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    office: str | None = Field(
        default=None, max_length=64, description="Your office (from your token); optional."
    )
    report: str = Field(max_length=MAX_REPORT_LENGTH, description="What was done; not blank.")


class InstructionResult(BaseModel):
    instruction_id: UUID
    version: int = Field(description="The instruction's version after the command.")
    position: int | None = Field(
        description="Position of the command's last event in the event store; "
        "null when nothing new was recorded (a repeated receipt or an idempotent retry)."
    )


class InstructionState(BaseModel):
    instruction_id: UUID
    version: int
    issuing_office: str
    addressee_office: str
    addressee_region: str
    subject: str
    body: str
    due_on: Day
    appeal_id: UUID | None
    issued_by: str
    issued_at: Moment
    status: str
    received_at: Moment | None
    acknowledged_at: Moment | None
    executed_at: Moment | None
    report: str | None
    marked_overdue: bool
    overdue: bool = Field(description="Not executed and past its due date, as of today.")
    late: bool = Field(description="Executed after its due date.")


class InstructionSummary(BaseModel):
    instruction_id: UUID
    version: int
    issuing_office: str
    addressee_office: str
    addressee_region: str
    appeal_id: UUID | None
    due_on: Day
    status: str
    marked_overdue: bool
    overdue: bool = Field(description="Not executed and past its due date, as of `today`.")
    late: bool
    issued_at: Moment
    received_at: Moment | None
    acknowledged_at: Moment | None
    executed_at: Moment | None


class InstructionList(BaseModel):
    today: Day = Field(description="The day (Kazakhstan time) `overdue` was computed for.")
    instructions: list[InstructionSummary]
