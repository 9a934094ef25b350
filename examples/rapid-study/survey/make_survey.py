"""Write transcripts/answers.csv: 200 synthetic respondents, three open questions, two attributes.

Seeded (random.Random(17)), so the file is the same on every run and machine:

    python examples/rapid-study/survey/make_survey.py

About one answer in six is blank or "n/a"-style, as in real exports; those are not answers and
radar leaves them out of each question's denominator. Every word is invented.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESPONDENTS = 200
CLINICS = ("Northside", "Riverside", "Hilltop")
AGES = ("18-34", "35-54", "55-74", "75+")
QUESTIONS = (
    "What do you like about the text reminders?",
    "What would make them more useful?",
    "Anything else you want to tell the clinic?",
)
NOT_ANSWERS = ("", "", "n/a", "none", "-")
PHRASES = (
    (
        "It saves time, I do not have to call.",
        "Fewer missed appointments for my kids.",
        "The reminder comes two days before, which is right.",
        "Simple. I reply C to cancel.",
        "My daughter reads them to me, it helps.",
        "I like that I can reply instead of waiting on the phone.",
    ),
    (
        "Texts in Spanish would help my mother.",
        "Send it to my new number, the clinic has a landline on file.",
        "A link to the map for the new building.",
        "Tell me which doctor I am seeing.",
        "The login to change the time is slow.",
        "A second reminder on the morning.",
    ),
    (
        "The front desk staff are always kind.",
        "Parking is hard on Mondays.",
        "Thank you for the flu clinic.",
        "Waiting times are long but the nurses are great.",
        "Please keep the evening hours.",
        "My shared phone means my brother gets my texts.",
    ),
)


def main() -> Path:
    rng = random.Random(17)
    path = HERE / "transcripts" / "answers.csv"
    path.parent.mkdir(exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Respondent", "Clinic", "Age group", *QUESTIONS])
        for number in range(1, RESPONDENTS + 1):
            answers = []
            for question in range(len(QUESTIONS)):
                skip = rng.random() < 0.1 + 0.1 * question  # later questions are skipped more often
                answers.append(rng.choice(NOT_ANSWERS) if skip else rng.choice(PHRASES[question]))
            out.writerow([f"resp-{number:04d}", rng.choice(CLINICS), rng.choice(AGES), *answers])
    return path


if __name__ == "__main__":
    print(f"wrote {main()}")
