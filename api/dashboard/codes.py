"""Message ids that the code builds from a code (``label("status", code)``,
``t("nav." + key)``), listed here so that extraction (``make catalogs``) finds them
and every catalog carries them. A test checks that every code the domain can show
has its id here."""

from __future__ import annotations


def N_(message_id: str) -> str:
    """Marks a message id for extraction; translates nothing."""
    return message_id


NAVIGATION = (
    N_("nav.overview"),
    N_("nav.register"),
    N_("nav.instructions"),
)
OVERVIEW_TILES = (
    N_("overview.received"),
    N_("overview.decided"),
    N_("overview.refused"),
    N_("overview.overdue_now"),
    N_("overview.deemed_refused"),
    N_("overview.overturned"),
)
DRILL_EVENTS = (
    N_("overview.reviewed"),
    N_("overview.redirected"),
    N_("overview.redirected_late"),
)
INSTRUCTION_STATUSES = (
    N_("instruction_status.issued"),
    N_("instruction_status.received"),
    N_("instruction_status.acknowledged"),
    N_("instruction_status.executed"),
    N_("instruction_status.overdue"),
)
ROLES = (
    N_("role.registrar"),
    N_("role.prosecutor"),
    N_("role.supervisor"),
    N_("role.regional_office"),
    N_("role.auditor"),
    N_("role.administrator"),
)
APPEAL_STATUSES = (
    N_("status.received"),
    N_("status.in_progress"),
    N_("status.not_considered"),
    N_("status.redirected"),
    N_("status.decided"),
    N_("status.refusal_pending_explanation"),
    N_("status.refused"),
    N_("status.deemed_refused"),
    N_("status.closed"),
)
CHANNELS = (
    N_("channel.call_centre_115"),
    N_("channel.electronic_portal"),
    N_("channel.written"),
    N_("channel.personal_reception"),
    N_("channel.law_enforcement_center"),
)
REFUSAL_GROUNDS = (
    N_("ground.arguments_not_confirmed"),
    N_("ground.no_violation_of_law"),
    N_("ground.decision_lawful"),
    N_("ground.already_decided"),
    N_("ground.already_received_or_answered"),
    N_("ground.court_competence"),
    N_("ground.appeal_period_missed"),
    N_("ground.civpc_54_2_not_provided"),
    N_("ground.not_subject_to_cassation"),
)
OUTCOMES = (
    N_("outcome.satisfied"),
    N_("outcome.partially_satisfied"),
    N_("outcome.explained"),
    N_("outcome.refused"),
)
REVIEW_RESULTS = (
    N_("result.upheld"),
    N_("result.overturned"),
)
SPECIALIST_ROLES = (
    N_("specialist_role.prosecutor"),
    N_("specialist_role.lawyer"),
    N_("specialist_role.psychologist"),
    N_("specialist_role.mediator"),
    N_("specialist_role.probation_officer"),
    N_("specialist_role.other_body_representative"),
)
HELP_KINDS = (
    N_("help.legal_help"),
    N_("help.drafting_help"),
    N_("help.psychological_help"),
    N_("help.mediation"),
)
APPROVER_ROLES = (
    N_("approver_role.head"),
    N_("approver_role.deputy_head"),
)
EVENT_TYPES = (
    N_("event.appeals.appeal.received"),
    N_("event.appeals.appeal.not_considered"),
    N_("event.appeals.appeal.assigned"),
    N_("event.appeals.appeal.consulted"),
    N_("event.appeals.appeal.materials_added"),
    N_("event.appeals.appeal.redirected"),
    N_("event.appeals.appeal.extended"),
    N_("event.appeals.appeal.decided"),
    N_("event.appeals.appeal.refusal_explained"),
    N_("event.appeals.appeal.deemed_refused"),
    N_("event.appeals.appeal.case_file_requested"),
    N_("event.appeals.appeal.case_file_received"),
    N_("event.appeals.appeal.decision_reviewed"),
    N_("event.appeals.appeal.closed"),
    N_("event.appeals.appeal.reopened"),
    N_("event.appeals.appeal.complaint_filed"),
    N_("event.appeals.appeal.complaint_decided"),
    N_("event.appeals.appeal.term_suspended"),
    N_("event.appeals.appeal.term_resumed"),
    N_("event.appeals.appeal.applicant_notified"),
    N_("event.appeals.appeal.notice_overdue"),
    N_("event.appeals.appeal.applicant_heard"),
)
EVENT_FIELDS = (
    N_("field.channel"),
    N_("field.office"),
    N_("field.applicant_ref"),
    N_("field.anonymous"),
    N_("field.reports_crime"),
    N_("field.repeat_of"),
    N_("field.received_on"),
    N_("field.due_on"),
    N_("field.rule_set"),
    N_("field.reason"),
    N_("field.assignee"),
    N_("field.previous_assignee"),
    N_("field.specialist_role"),
    N_("field.help"),
    N_("field.documents_count"),
    N_("field.by_applicant"),
    N_("field.agency"),
    N_("field.egov_reference"),
    N_("field.applicant_notified"),
    N_("field.working_days_taken"),
    N_("field.late"),
    N_("field.urgent"),
    N_("field.new_due_on"),
    N_("field.approver_role"),
    N_("field.applicant_notified_on"),
    N_("field.notice_late"),
    N_("field.outcome"),
    N_("field.ground"),
    N_("field.explanation_required"),
    N_("field.explained_on"),
    N_("field.request_id"),
    N_("field.requesting_office"),
    N_("field.holding_office"),
    N_("field.case_ref"),
    N_("field.reviewing_office"),
    N_("field.decided_by_office"),
    N_("field.decision_ref"),
    N_("field.result"),
    N_("field.reopened_on"),
)
OFFICES = (
    N_("office.GPO"),
    N_("office.GPO-DEP-ADMIN"),
    N_("office.GPO-DEP-CRIMINAL"),
    N_("office.GPO-DEP-APPEALS"),
    N_("office.REG-AST"),
    N_("office.DIS-AST-ALMATY-D"),
    N_("office.DIS-AST-YESIL"),
    N_("office.DIS-AST-SARYARKA"),
    N_("office.DIS-AST-BAIKONUR"),
    N_("office.REG-ALA"),
    N_("office.DIS-ALA-ALMALY"),
    N_("office.DIS-ALA-AUEZOV"),
    N_("office.DIS-ALA-BOSTANDYK"),
    N_("office.DIS-ALA-MEDEU"),
    N_("office.REG-SHY"),
    N_("office.DIS-SHY-ABAI-D"),
    N_("office.DIS-SHY-ALFARABI"),
    N_("office.DIS-SHY-ENBEKSHI"),
    N_("office.REG-ABA"),
    N_("office.DIS-ABA-SEMEY"),
    N_("office.REG-AKM"),
    N_("office.DIS-AKM-KOKSHETAU"),
    N_("office.REG-AKT"),
    N_("office.DIS-AKT-AKTOBE"),
    N_("office.REG-ALM"),
    N_("office.DIS-ALM-KONAEV"),
    N_("office.REG-ATY"),
    N_("office.DIS-ATY-ATYRAU"),
    N_("office.REG-VKO"),
    N_("office.DIS-VKO-OSKEMEN"),
    N_("office.REG-ZHA"),
    N_("office.DIS-ZHA-TARAZ"),
    N_("office.REG-ZHE"),
    N_("office.DIS-ZHE-TALDYKORGAN"),
    N_("office.REG-ZKO"),
    N_("office.DIS-ZKO-ORAL"),
    N_("office.REG-KAR"),
    N_("office.DIS-KAR-KARAGANDA"),
    N_("office.REG-KOS"),
    N_("office.DIS-KOS-KOSTANAY"),
    N_("office.REG-KZY"),
    N_("office.DIS-KZY-KYZYLORDA"),
    N_("office.REG-MAN"),
    N_("office.DIS-MAN-AKTAU"),
    N_("office.REG-PAV"),
    N_("office.DIS-PAV-PAVLODAR"),
    N_("office.REG-SKO"),
    N_("office.DIS-SKO-PETROPAVL"),
    N_("office.REG-TUR"),
    N_("office.DIS-TUR-TURKESTAN"),
    N_("office.REG-ULY"),
    N_("office.DIS-ULY-ZHEZKAZGAN"),
    N_("office.REG-MIL"),
    N_("office.DIS-MIL-AST"),
    N_("office.DIS-MIL-ALA"),
    N_("office.REG-TRN"),
    N_("office.DIS-TRN-AST"),
    N_("office.DIS-TRN-ALA"),
)
YES_NO = (N_("yes"), N_("no"))
