"""Make the two analysts' filled summary templates of the rapid-analysis example (synthetic).

Run from anywhere, after `radar reduce` on the example (the templates cite its Segment IDs):

    python examples/rapid-study/analysts/fill_templates.py

Each template is written by `radar rapid template STUDY --out FILE`, then filled here with
openpyxl, as an analyst would fill it in Excel. Analyst A (A. Rivera) summarised all seven
interviews; analyst B (B. Chen) summarised int01 and int02 for calibration, so B's template
keeps only those two sheets. A's template is also the study's radar-rapid.xlsx, the team's
template after calibration. The words are invented for radar's example.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
STUDY = HERE.parent

# (transcript, domain) -> (summary, key quotes, notes)
A = {
    ("int01", "Background"): ("Receptionist, Northside; sends reminders each morning.", "int01-002", ""),
    ("int01", "Barriers"): ("Login times out; slow on Mondays; texts to landlines fail.", "int01-004", ""),
    ("int01", "Facilitators"): ("Short training video; a champion nearby.", "int01-006", ""),
    ("int01", "Recommendations"): ("Flag landlines before sending.", "int01-008", ""),
    ("int02", "Background"): ("Nurse, Northside; uses it for vaccine recalls.", "int02-002", ""),
    ("int02", "Barriers"): ("No time: extra work; a date glitch put staff off.", "int02-004", ""),
    ("int02", "Facilitators"): ("A colleague's help with templates.", "int02-006", ""),
    ("int02", "Recommendations"): ("Recalls from the nurse team's own number.", "int02-008", ""),
    ("int03", "Background"): ("Practice manager, Riverside; set the service up.", "", ""),
    ("int03", "Barriers"): ("Out-of-date and shared phones.", "int03-004", ""),
    ("int03", "Facilitators"): ("No-show report convinces staff; vendor tutorial.", "int03-006", ""),
    ("int03", "Recommendations"): ("Check numbers at every visit.", "int03-008", ""),
    ("int04", "Background"): ("Receptionist, Riverside; answers patients' replies.", "", ""),
    ("int04", "Barriers"): ("Replies pile up when busy.", "int04-004", ""),
    ("int04", "Facilitators"): ("Fewer morning calls; saves time.", "int04-006", ""),
    ("int04", "Recommendations"): ("Replies on the desk screen.", "int04-008", ""),
    ("int05", "Background"): ("Nurse, Hilltop; rarely uses it.", "", "Indirect user"),
    ("int05", "Barriers"): ("Older patients with landlines only.", "int05-004", ""),
    ("int05", "Recommendations"): ("Train nurses; wound-clinic reminders.", "int05-008", ""),
    ("int06", "Background"): ("Physician, Hilltop; sees the effect, does not send.", "", "Indirect user"),
    ("int06", "Barriers"): ("Login, as staff report it.", "int06-004", ""),
    ("int06", "Facilitators"): ("Fewer empty slots.", "int06-006", ""),
    ("int06", "Recommendations"): ("Texts in Spanish and Vietnamese.", "int06-008", ""),
    ("int07", "Background"): ("Receptionist and champion, Hilltop.", "int07-002", ""),
    ("int07", "Barriers"): ("Crash in flu clinic week; calls by hand.", "int07-004", ""),
    ("int07", "Facilitators"): ("Vendor support line; one-page guide.", "int07-006", ""),
    ("int07", "Recommendations"): ("Say patients can reply to cancel.", "int07-008", ""),
}
B = {
    ("int01", "Background"): ("Front desk at Northside, morning reminders.", "int01-002", ""),
    ("int01", "Barriers"): ("Timeouts and slowness; landline numbers.", "int01-004", ""),
    ("int01", "Facilitators"): ("Training video and the champion.", "int01-006, int01-002", ""),
    ("int01", "Recommendations"): ("Warn about landlines before a send.", "int01-008", ""),
    ("int02", "Background"): ("Northside nurse; recalls.", "", ""),
    ("int02", "Barriers"): ("Extra work with no time for it.", "int02-004", "Also the glitch?"),
    ("int02", "Recommendations"): ("Send from the nurse team.", "int02-008", ""),
}


def fill(path: Path, cells: dict[tuple[str, str], tuple[str, str, str]], keep: set[str] | None = None) -> None:
    subprocess.run([sys.executable, "-m", "radar", "rapid", "template", str(STUDY), "--out", str(path)], check=True)
    book = openpyxl.load_workbook(path)
    for title in list(book.sheetnames):
        if keep is not None and title.startswith("int") and title not in keep:
            del book[title]
    for (group, domain), values in cells.items():
        sheet = book[group]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[header.index("Domain")].value == domain:
                for column, value in zip(("Summary", "Key quotes", "Notes"), values):
                    row[header.index(column)].value = value or None
    book.save(path)


if __name__ == "__main__":
    fill(HERE / "analyst-a.xlsx", A)
    fill(HERE / "analyst-b.xlsx", B, keep={"int01", "int02"})
    shutil.copyfile(HERE / "analyst-a.xlsx", STUDY / "radar-rapid.xlsx")
    print(f"wrote {HERE / 'analyst-a.xlsx'}, {HERE / 'analyst-b.xlsx'} and {STUDY / 'radar-rapid.xlsx'}")
