"""What the demo makes, in what numbers, and the words it makes them with."""

from __future__ import annotations

import re

MIN_SCALE = 0.01
IIN_LIKE = re.compile(r"\d{12}")
CENTER_OFFICE = "GPO"
CENTER_CHANNEL = "law_enforcement_center"

# The Center's two months, as the General Prosecutor's Office reported them.
CENTER_FIGURES = {
    "received": 1110,
    "legal_help": 616,
    "lawyers": 175,
    "psychologist": 134,
    "accepted_with_instructions": 341,
}

# How many appeals of each story at scale 1.0 (the Center's visits come on top).
STORIES = {
    "received": 60,
    "in_progress": 60,
    "consulted": 40,
    "materials_added": 40,
    "extended": 30,
    "redirected": 40,
    "redirected_late": 15,
    "satisfied": 60,
    "partially_satisfied": 40,
    "explained": 60,
    "refused": 50,
    "refusal_pending_explanation": 20,
    "refusal_explained": 30,
    "deemed_refused": 40,
    "closed": 80,
    "reopened": 20,
    "case_file": 30,
    "review_upheld": 20,
    "review_overturned": 15,
    "term_suspended": 15,
    "term_resumed": 15,
    "complaint_upheld": 15,
    "complaint_returned": 15,
    "complaint_decided_above": 10,
    "anonymous_set_aside": 25,
    "anonymous_crime_redirected": 15,
    "repeated": 30,
}

COMPANY_KINDS = ["LLP", "JSC", "Group LLP", "Trading LLP", "Farm"]

REGIONS = ["REG-ALA", "REG-AST", "REG-SHY", "REG-KAR", "REG-AKT", "REG-TUR", "REG-MIL"]
CHANNELS = ["written", "electronic_portal", "call_centre_115", "personal_reception"]
CHANNEL_WEIGHTS = [25, 35, 15, 25]

MALE = (  # noqa: SIM905
    "Nurlan Serik Yerlan Marat Bolat Kairat Daulet Askar Berik Galym Talgat Zhanat "
    "Yerzhan Arman Baurzhan Nurlybek Timur"
).split()
FEMALE = (  # noqa: SIM905
    "Aigerim Aizhan Dana Gulnara Saule Aliya Dinara Zhanar Madina Asel Kamila Ainur "
    "Gaukhar Meruert Akmaral Zarina"
).split()
SURNAMES = (  # noqa: SIM905
    "Abenov Akhmetov Baimukhanov Bekov Dzhaksybekov Ermekov Ibraimov Kassymov Mukanov "
    "Nurpeisov Omarov Sarsenbayev Tokayev Utepov Zhakupov Iskakov Amanzholov "
    "Kenzhebayev Suleimenov Zhumabayev"
).split()

SUMMARIES = [
    "Complaint about the refusal to open a criminal case on a fraud report",
    "The employer has not paid wages for three months",
    "Disagrees with a private bailiff's seizure of the only home",
    "Police did not act on a report of a stolen car",
    "Asks to check the legality of a land plot allocation by the akimat",
    "Complaint about an unlawful dismissal from a state school",
    "Alimony awarded by the court is not being collected",
    "Dispute over the calculation of an old-age pension",
    "The akimat refuses to put the family on the housing waiting list",
    "Asks to review an investigator's decision to discontinue a case",
    "Complaint about the length of a pre-trial investigation",
    "A management company raised utility charges without grounds",
    "Complaint about a bank's collection agency threatening the family",
    "Asks to check the conditions of detention of a relative",
    "The school demands unofficial payments from parents",
]
# What each summary's matter concerns (domain.competence), for booking a reception.
SUMMARY_AREAS = dict(
    zip(
        SUMMARIES,
        [
            "pretrial_investigation",
            "rights_and_freedoms",
            "court_acts",
            "pretrial_investigation",
            "administrative",
            "rights_and_freedoms",
            "court_acts",
            "rights_and_freedoms",
            "administrative",
            "pretrial_investigation",
            "pretrial_investigation",
            "rights_and_freedoms",
            "pretrial_investigation",
            "sentence_enforcement",
            "administrative",
        ],
        strict=True,
    )
)
CENTER_SUMMARIES = [
    "Consultation on a refused crime report",
    "Help drafting a complaint about a court bailiff",
    "Questions about the enforcement of alimony",
    "Unpaid wages: asks how to recover them",
    "Complaint about an investigator's inaction",
    "Asks to verify a district prosecutor's procedural decision",
    "Family conflict; asks for protection from violence",
    "Consultation on inheritance rights",
    "Threatened with eviction from a rented flat",
    "Disagrees with the akimat's decision on a land plot",
]
AGENCIES = [
    "Ministry of Labour and Social Protection of the Population",
    "Ministry of Internal Affairs",
    "Anti-Corruption Agency",
    "Ministry of Health",
    "Ministry of Education",
    "Akimat of Almaty",
    "Committee for Land Management",
]
THREAT_AGENCIES = ["Ministry of Internal Affairs", "National Security Committee"]
OUTCOMES_ANSWERED = ["satisfied", "partially_satisfied", "explained"]
