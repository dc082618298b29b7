"""The stories the demo tells: an appeal brought to each state it can reach."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from domain.commands import (
    AddMaterials,
    CloseAppeal,
    DecideComplaint,
    Extend,
    FileComplaint,
    ReceiveCaseFile,
    ReopenAppeal,
    RequestCaseFile,
    ResumeTerm,
    ReviewDecision,
    SuspendTerm,
)
from infra.demo.base import (
    DemoBase,
)
from infra.demo.plan import (
    CENTER_OFFICE,
    THREAT_AGENCIES,
)
from infra.demo.support import (
    _registrar,
    _staff,
    slug,
)


class Stories(DemoBase):
    # --- the stories ---------------------------------------------------------------

    def story_received(self) -> None:
        self.receive(age=(0, 10))

    def story_in_progress(self) -> None:
        self.worked(age=(0, 12))

    def story_consulted(self) -> None:
        appeal_id, assignee, _ = self.worked()
        role, who, help = self.rng.choice(
            [
                ("prosecutor", assignee, ["legal_help"]),
                ("prosecutor", assignee, ["legal_help", "drafting_help"]),
                ("mediator", "mediator.ala.1", ["mediation"]),
                ("probation_officer", "probation.ala.1", ["legal_help"]),
                ("other_body_representative", "labour-inspector.ala.1", ["legal_help"]),
            ]
        )
        self.consult(appeal_id, role, who, help)

    def story_materials_added(self) -> None:
        appeal_id, _assignee, _ = self.worked()
        documents = [f"scan-{self.rng.randint(1000, 9999)}.pdf"]
        if self.rng.random() < 0.4:
            documents.append(f"court-ruling-{self.rng.randint(100, 999)}.pdf")
        self.bus.send(
            AddMaterials(appeal_id=appeal_id, documents=documents, by_applicant=True),
            self.worker(appeal_id),
        )

    def story_extended(self) -> None:
        appeal_id, _assignee, office = self.worked(age=(3, 12))
        due = self.svc.get_appeal(appeal_id).due_on
        role = self.rng.choice(["head", "deputy_head"])
        self.bus.send(
            Extend(
                appeal_id=appeal_id,
                new_due_on=due + timedelta(days=self.rng.randint(10, 30)),
                reasons="An expert opinion and documents from other bodies are awaited",
                approver_role=role,
                approver=self.named(f"{'head' if role == 'head' else 'deputy'}.{slug(office)}"),
                applicant_notified_on=None,
            ),
            self.worker(appeal_id),
        )

    def story_redirected(self) -> None:
        appeal_id = self.receive(age=(0, 2))
        self.redirect(appeal_id)

    def story_redirected_late(self) -> None:
        appeal_id = self.receive(age=(5, 10))
        self.redirect(appeal_id)

    def story_satisfied(self) -> None:
        self.answered("satisfied")

    def story_partially_satisfied(self) -> None:
        self.answered("partially_satisfied")

    def story_explained(self) -> None:
        self.answered("explained")

    def story_refused(self) -> None:
        appeal_id, assignee, _ = self.worked(age=(2, 13), channel=self.not_in_person())
        self.decide(appeal_id, "refused", assignee)

    def story_refusal_pending_explanation(self) -> None:
        self.personal_refusal()

    def story_refusal_explained(self) -> None:
        self.explain(*self.personal_refusal())

    def story_deemed_refused(self) -> None:
        self.deemed()

    def story_closed(self) -> None:
        variant = self.rng.randrange(5)
        if variant == 0:
            appeal_id, _ = self.answered()
        elif variant == 1:
            appeal_id, assignee = self.personal_refusal()
            self.explain(appeal_id, assignee)
        elif variant == 2:
            appeal_id = self.receive(age=(0, 2))
            self.redirect(appeal_id)
        elif variant == 3:
            appeal_id = self.deemed()
        else:
            appeal_id = self.receive(age=(0, 60), anonymous=True)
        self.bus.send(CloseAppeal(appeal_id=appeal_id), self.worker(appeal_id))

    def story_reopened(self) -> None:
        appeal_id, _assignee = self.answered(self.rng.choice(["explained", "refused"]))
        self.bus.send(CloseAppeal(appeal_id=appeal_id), self.worker(appeal_id))
        self.bus.send(
            ReopenAppeal(
                appeal_id=appeal_id,
                reason="The applicant disputes the answer and gives new arguments",
            ),
            self.worker(appeal_id),
        )

    def story_case_file(self) -> None:
        office = self.rng.choice(self.districts)
        appeal_id, _, _ = self.worked(office=office)
        parent = self.offices.get(office).parent
        assert parent is not None
        requesting = parent if self.rng.random() < 0.8 else CENTER_OFFICE
        actor = self.staff(requesting)
        case_ref = f"CR-{self.today.year}-{slug(office).upper()}-{self.rng.randint(1, 9999):04d}"
        request_id = self.bus.send(
            RequestCaseFile(appeal_id=appeal_id, requesting_office=requesting, case_ref=case_ref),
            _staff(actor, requesting),
        ).result
        if self.rng.random() < 0.6:
            self.bus.send(
                ReceiveCaseFile(appeal_id=appeal_id, request_id=request_id),
                _staff(actor, requesting),
            )

    def review(self, result: str) -> UUID:
        outcome = self.rng.choice(["refused", "explained"])
        appeal_id, _, office = self.district_decision(outcome)
        reviewing = self.offices.get(office).parent
        assert reviewing is not None
        reviewer = self.staff(reviewing)
        self.bus.send(
            ReviewDecision(
                appeal_id=appeal_id,
                reviewing_office=reviewing,
                decision_ref=f"{office}/{self.today.year}/{self.rng.randint(1, 9999)}",
                result=result,
                reasons="The decision is lawful and justified"
                if result == "upheld"
                else "The check was incomplete; the applicant's evidence was not examined",
            ),
            _staff(reviewer, reviewing),
        )
        return appeal_id

    def story_review_upheld(self) -> None:
        appeal_id = self.review("upheld")
        if self.rng.random() < 0.5:
            self.bus.send(CloseAppeal(appeal_id=appeal_id), self.worker(appeal_id))

    def story_review_overturned(self) -> None:
        appeal_id = self.review("overturned")
        self.bus.send(
            ReopenAppeal(
                appeal_id=appeal_id, reason="The decision was overturned by a higher office"
            ),
            self.worker(appeal_id),
        )

    def complained(self) -> tuple[UUID, str, str]:
        """A district's refusal, complained against at its regional office; returns
        (appeal, complaint id, the regional office)."""
        appeal_id, _, office = self.district_decision("refused")
        regional = self.offices.get(office).parent
        assert regional is not None
        complaint_id = self.bus.send(
            FileComplaint(
                appeal_id=appeal_id,
                grounds="The applicant says the check ignored the evidence submitted",
            ),
            _registrar(self.staff(regional, "reg", 2), regional),
        ).result
        return appeal_id, complaint_id, regional

    def decide_complaint(self, result: str, **how: object) -> UUID:
        appeal_id, complaint_id, regional = self.complained()
        self.bus.send(
            DecideComplaint(
                appeal_id=appeal_id,
                complaint_id=complaint_id,
                result=result,
                reasons="The complaint was checked against the case file",
                **how,  # type: ignore[arg-type]
            ),
            _staff(self.named(f"head.{slug(regional)}"), regional),
        )
        return appeal_id

    def suspended(self) -> UUID:
        appeal_id, _, _ = self.worked(age=(1, 5))
        self.bus.send(
            SuspendTerm(
                appeal_id=appeal_id,
                reason=self.rng.choice(["awaiting_materials", "awaiting_applicant"]),
                note="Materials were requested; the term stands still until they arrive",
            ),
            self.worker(appeal_id),
        )
        return appeal_id

    def story_term_suspended(self) -> None:
        self.suspended()

    def story_term_resumed(self) -> None:
        appeal_id = self.suspended()
        self.bus.send(ResumeTerm(appeal_id=appeal_id), self.worker(appeal_id))

    def story_complaint_upheld(self) -> None:
        self.decide_complaint("upheld")

    def story_complaint_returned(self) -> None:
        self.decide_complaint("overturned", returned=True)

    def story_complaint_decided_above(self) -> None:
        outcome = self.rng.choice(["satisfied", "partially_satisfied"])
        self.decide_complaint(self.rng.choice(["overturned", "changed"]), outcome=outcome)

    def story_anonymous_set_aside(self) -> None:
        self.receive(age=(0, 60), anonymous=True)

    def story_anonymous_crime_redirected(self) -> None:
        self.receive(
            age=(0, 2),
            anonymous=True,
            reports_crime=True,
            redirect_to=self.rng.choice(THREAT_AGENCIES),
            summary=self.rng.choice(
                [
                    "Anonymous report of drug dealing near a school",
                    "Anonymous report of a planned attack on a public building",
                    "Anonymous report of bribes taken at a customs post",
                ]
            ),
        )

    def story_repeated(self) -> None:
        person = self.person()
        if self.rng.random() < 0.5:
            earlier = self.receive(age=(20, 55), applicant=person)
            self.assign(earlier)
            self.svc.deem_refused_if_overdue([earlier])
        else:
            earlier, assignee, _ = self.worked(
                age=(20, 55), applicant=person, channel=self.not_in_person()
            )
            self.decide(earlier, "refused", assignee)
            self.bus.send(CloseAppeal(appeal_id=earlier), self.worker(earlier))
        office = self.svc.get_appeal(earlier).receiving_office
        again = self.receive(age=(0, 8), office=office, applicant=person, repeat_of=earlier)
        assignee, _ = self.assign(again)
        if self.rng.random() < 0.5:
            self.decide(again, self.rng.choice(["explained", "refused"]), assignee)
