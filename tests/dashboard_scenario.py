"""A known data set for the dashboard tests, created through the services, with every
figure the pages must show counted by hand below."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from domain.applicants import Applicant
from domain.commands import AssignAppeal, CommandBus, Decide, IssueInstruction, ReviewDecision
from domain.instruction_service import InstructionService
from infra.bootstrap import Container
from tests.support import IIN_A, IIN_B, heard_then, new_appeal, staff


@dataclass(frozen=True)
class Scenario:
    medeu_overturned: UUID  # refused (arguments not confirmed), then found unlawful by REG-ALA
    medeu_refused: UUID  # refused, no violation of law
    auezov_refused: UUID  # refused, arguments not confirmed
    auezov_satisfied: UUID
    almaty_overdue: UUID  # REG-ALA, received 40 days ago, assigned, open
    almaly_overdue: UUID  # DIS-ALA-ALMALY, received 35 days ago, open
    astana_refused: UUID  # DIS-AST-YESIL, refused (for the courts), found unlawful by REG-AST
    astana_overdue: UUID  # REG-AST, received 40 days ago, open
    instruction_open: UUID  # GPO -> REG-ALA, due in 10 days, about medeu_overturned
    instruction_overdue: UUID  # GPO -> DIS-ALA-MEDEU, issued 20 days ago, due 10 days ago
    instruction_astana: UUID  # GPO -> REG-AST

    @property
    def almaty(self) -> list[UUID]:
        return [
            self.medeu_overturned,
            self.medeu_refused,
            self.auezov_refused,
            self.auezov_satisfied,
            self.almaty_overdue,
            self.almaly_overdue,
        ]

    @property
    def astana(self) -> list[UUID]:
        return [self.astana_refused, self.astana_overdue]


# What the overview shows for the default period (the last 30 days): the overdue
# appeals were received before it, so they count as overdue but not as received.
EXPECTED = {
    "GPO": {
        "tiles": {
            "received": 5,
            "decided": 5,
            "refused": 4,
            "overturned": 2,
            "deemed_refused": 0,
            "overdue_now": 3,
        },
        "refusals": {"arguments_not_confirmed": 2, "no_violation_of_law": 1, "decision_lawful": 1},
        "overdue": {"REG-ALA": 2, "REG-AST": 1},
        "overturned": {"DIS-ALA-MEDEU": 1, "DIS-AST-YESIL": 1},
    },
    "REG-ALA": {
        "tiles": {
            "received": 4,
            "decided": 4,
            "refused": 3,
            "overturned": 1,
            "deemed_refused": 0,
            "overdue_now": 2,
        },
        "refusals": {"arguments_not_confirmed": 2, "no_violation_of_law": 1},
        "overdue": {"REG-ALA": 2},
        "overturned": {"DIS-ALA-MEDEU": 1},
    },
}


def populate(container: Container) -> Scenario:
    s = container.service
    today = s.today()

    def decided(office: str, outcome: str, ground: str | None, prosecutor: str) -> UUID:
        appeal_id = s.bus.send(new_appeal(office=office), staff("reg.1")).appeal_id
        s.bus.send(
            AssignAppeal(appeal_id=appeal_id, assignee=prosecutor, office=office),
            staff("head.1", office),
        )
        heard_then(
            s,
            Decide(appeal_id=appeal_id, outcome=outcome, reasons="r", ground=ground),
            staff(prosecutor, office),
        )
        return appeal_id

    medeu_overturned = decided("DIS-ALA-MEDEU", "refused", "arguments_not_confirmed", "p.medeu")
    s.bus.send(
        ReviewDecision(
            appeal_id=medeu_overturned,
            reviewing_office="REG-ALA",
            decision_ref="Refusal of the appeal",
            result="overturned",
            reasons="Evidence ignored",
        ),
        staff("sup.almaty", "REG-ALA"),
    )
    medeu_refused = decided("DIS-ALA-MEDEU", "refused", "no_violation_of_law", "p.medeu")
    auezov_refused = decided("DIS-ALA-AUEZOV", "refused", "arguments_not_confirmed", "p.auezov")
    auezov_satisfied = decided("DIS-ALA-AUEZOV", "satisfied", None, "p.auezov")
    almaty_overdue = s.bus.send(
        new_appeal(office="REG-ALA", received_on=today - timedelta(days=40)), staff("reg.1")
    ).appeal_id
    s.bus.send(
        AssignAppeal(appeal_id=almaty_overdue, assignee="p.almaty", office="REG-ALA"),
        staff("head.1", "REG-ALA"),
    )
    almaly_overdue = s.bus.send(
        new_appeal(
            office="DIS-ALA-ALMALY",
            received_on=today - timedelta(days=35),
            applicant=Applicant(iin=IIN_B, name="Second Person"),
        ),
        staff("reg.2"),
    ).appeal_id
    astana_refused = decided("DIS-AST-YESIL", "refused", "decision_lawful", "p.yesil")
    s.bus.send(
        ReviewDecision(
            appeal_id=astana_refused,
            reviewing_office="REG-AST",
            decision_ref="Refusal of the appeal",
            result="overturned",
            reasons="Unlawful",
        ),
        staff("sup.astana", "REG-AST"),
    )
    astana_overdue = s.bus.send(
        new_appeal(
            office="REG-AST",
            received_on=today - timedelta(days=40),
            applicant=Applicant(iin=IIN_A, name="Third Person"),
        ),
        staff("reg.3"),
    ).appeal_id

    instructions = container.instructions
    instruction_open = instructions.app.bus.send(
        IssueInstruction(
            issuing_office="GPO",
            addressee_office="REG-ALA",
            subject="Check the Medeu refusals",
            body="Verify and report",
            due_on=today + timedelta(days=10),
            appeal_id=medeu_overturned,
        ),
        staff("gpo.sup", "GPO"),
    ).instruction_id
    # Issued 20 days ago (a service whose clock runs 20 days behind), due 10 days ago.
    clock = s.clock
    behind = InstructionService(s, s.offices, s.calendar, lambda: clock() - timedelta(days=20))
    past = CommandBus(s, instructions=behind).send(
        IssueInstruction(
            issuing_office="GPO",
            addressee_office="DIS-ALA-MEDEU",
            subject="Report on reception hours",
            body="Send the timetable",
            due_on=today - timedelta(days=10),
        ),
        staff("gpo.sup", "GPO"),
    )
    instruction_astana = instructions.app.bus.send(
        IssueInstruction(
            issuing_office="GPO",
            addressee_office="REG-AST",
            subject="Astana only",
            body="Not for Almaty",
            due_on=today + timedelta(days=10),
        ),
        staff("gpo.sup", "GPO"),
    ).instruction_id
    return Scenario(
        medeu_overturned=medeu_overturned,
        medeu_refused=medeu_refused,
        auezov_refused=auezov_refused,
        auezov_satisfied=auezov_satisfied,
        almaty_overdue=almaty_overdue,
        almaly_overdue=almaly_overdue,
        astana_refused=astana_refused,
        astana_overdue=astana_overdue,
        instruction_open=instruction_open,
        instruction_overdue=past.instruction_id,
        instruction_astana=instruction_astana,
    )
