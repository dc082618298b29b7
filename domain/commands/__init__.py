"""Every change of state is a typed command, handled by one function and sent through
one bus (``CommandBus``) that authorizes the caller, loads, checks If-Match, acts,
saves, logs and reports the outcome for all of them alike.

Routes, the command line, the demo and the tests build a command and ``send`` it;
nothing else calls an aggregate's methods to change it.
"""

from domain.commands.appeals import (
    AddMaterials,
    AssignAppeal,
    CloseAppeal,
    Consult,
    Decide,
    DecideComplaint,
    ExplainRefusal,
    Extend,
    FileComplaint,
    HearApplicant,
    ReceiveAppeal,
    ReceiveCaseFile,
    RecordNotice,
    Redirect,
    ReopenAppeal,
    RequestCaseFile,
    ResumeTerm,
    ReviewDecision,
    SuspendTerm,
)
from domain.commands.base import AppealCommand, Command, CommandLog, Outcome
from domain.commands.bus import CommandBus
from domain.commands.erasure import ApproveErasure, ErasureCommand, RequestErasure
from domain.commands.instructions import (
    AcknowledgeInstruction,
    ExecuteInstruction,
    InstructionCommand,
    IssueInstruction,
    ReceiveInstruction,
)
from domain.commands.reception import (
    AppointmentCommand,
    AppointStaff,
    ApproveSchedule,
    BookAppointment,
    CancelAppointment,
    DelegateSession,
    ReceptionCommand,
    RecordAttendance,
    RefuseAdmission,
    ReleaseStaff,
    StaffCommand,
)

__all__ = [
    "AcknowledgeInstruction",
    "AddMaterials",
    "AppealCommand",
    "AppointStaff",
    "AppointmentCommand",
    "ApproveErasure",
    "ApproveSchedule",
    "AssignAppeal",
    "BookAppointment",
    "CancelAppointment",
    "CloseAppeal",
    "Command",
    "CommandBus",
    "CommandLog",
    "Consult",
    "Decide",
    "DecideComplaint",
    "DelegateSession",
    "ErasureCommand",
    "ExecuteInstruction",
    "ExplainRefusal",
    "Extend",
    "FileComplaint",
    "HearApplicant",
    "InstructionCommand",
    "IssueInstruction",
    "Outcome",
    "ReceiveAppeal",
    "ReceiveCaseFile",
    "ReceiveInstruction",
    "ReceptionCommand",
    "RecordAttendance",
    "RecordNotice",
    "Redirect",
    "RefuseAdmission",
    "ReleaseStaff",
    "ReopenAppeal",
    "RequestCaseFile",
    "RequestErasure",
    "ResumeTerm",
    "ReviewDecision",
    "StaffCommand",
    "SuspendTerm",
]
