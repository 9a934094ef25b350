"""Write the transcript fixture corpus and its expected readings (run once; outputs are committed).

Every fixture below is a synthetic transcript (invented people, invented content) laid out in the
shape a real exporter writes: Zoom, Teams, Stream, WebVTT and SubRip caption files, YouTube
auto-captions, WhisperX, whisper-diarization, noScribe, Otter, Rev, Descript, Trint, Word and
typed transcripts, in the encodings those files turn up in.

Each fixture is a literal (or, for Word files, a recipe) written next to its expected turns, and
the expected turns are written out by hand: they say what the file means, and are never derived
by parsing the literal. ``expected-files.csv`` and ``expected-turns.csv`` are written from the
same data, so a reader under test is checked against what the fixture was meant to say.

Usage: python tests/files/transcripts/make_fixtures.py
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document

HERE = Path(__file__).parent

Turn = tuple[str, str, str]
"""One expected turn: (speaker label, start as HH:MM:SS or "", text)."""


@dataclass
class Fixture:
    file: str
    tool: str
    shape: str
    encoding: str
    source: str
    note: str
    turns: list[Turn]
    text: str | None = None
    recipe: Callable[[Document], None] | None = None
    newline: str = "\n"


FIXTURES: list[Fixture] = []


def add(fixture: Fixture) -> None:
    FIXTURES.append(fixture)


# ---------------------------------------------------------------------------------------------
# Zoom cloud recording transcripts (.vtt): numbered cues, "Display Name: text"
# ---------------------------------------------------------------------------------------------

add(
    Fixture(
        file="zoom-cloud-peer-support.vtt",
        tool="Zoom cloud recording",
        shape="zoom-vtt",
        encoding="utf-8",
        source="wwsalmon/zoom-transcript-formatter readme.md (Zoom audio transcript cues)",
        note="one turn split over several cues; cue 6 has no name (Zoom could not attribute it) and continues Priya",
        text="""\
WEBVTT

1
00:00:02.310 --> 00:00:07.940
Dana Whitfield: Okay, I think we're recording now. Thanks everyone for joining tonight's session.

2
00:00:08.120 --> 00:00:13.600
Dana Whitfield: We'll go round once, and please just say your first name and how long you've been coming.

3
00:00:15.020 --> 00:00:19.480
Marcus Oyelaran: Hi, I'm Marcus. I've been coming to the Tuesday group for about eight months.

4
00:00:19.480 --> 00:00:24.730
Marcus Oyelaran: Before that I'd only ever done the online forum.

5
00:00:26.900 --> 00:00:31.050
Priya Natarajan: I'm Priya. This is my third meeting, so I'm still pretty new.

6
00:00:31.050 --> 00:00:35.200
It took me a while to get the courage to turn my camera on.

7
00:00:37.400 --> 00:00:42.150
Dana Whitfield: That's completely fine, Priya. Cameras are always optional here.

8
00:02:24.720 --> 00:02:32.850
Tomás Ruiz: Sorry I'm late, the bus was delayed again. I'm Tomás, I've been coming about two years.
""",
        turns=[
            (
                "Dana Whitfield",
                "00:00:02",
                "Okay, I think we're recording now. Thanks everyone for joining tonight's session. "
                "We'll go round once, and please just say your first name and how long you've been coming.",
            ),
            (
                "Marcus Oyelaran",
                "00:00:15",
                "Hi, I'm Marcus. I've been coming to the Tuesday group for about eight months. "
                "Before that I'd only ever done the online forum.",
            ),
            (
                "Priya Natarajan",
                "00:00:26",
                "I'm Priya. This is my third meeting, so I'm still pretty new. "
                "It took me a while to get the courage to turn my camera on.",
            ),
            (
                "Dana Whitfield",
                "00:00:37",
                "That's completely fine, Priya. Cameras are always optional here.",
            ),
            (
                "Tomás Ruiz",
                "00:02:24",
                "Sorry I'm late, the bus was delayed again. I'm Tomás, I've been coming about two years.",
            ),
        ],
    )
)

add(
    Fixture(
        file="zoom-cloud-clinic-past-hour.vtt",
        tool="Zoom cloud recording",
        shape="zoom-vtt",
        encoding="utf-8",
        source="wwsalmon/zoom-transcript-formatter readme.md; gnurio/where-did-we-land#1 (GMT..._Recording.transcript.vtt)",
        note="cue numbers in the hundreds, times past an hour, a colon inside the text, a two-line cue",
        text="""\
WEBVTT

412
00:59:48.200 --> 00:59:55.610
Hannah Osei: So the last thing on the agenda is the walk-in triage pilot.

413
00:59:56.030 --> 01:00:04.480
Hannah Osei: Reception told me the rule is simple: anyone with chest pain skips the queue.

414
01:00:05.900 --> 01:00:12.250
Dr. Felix Brandt: That matches what we agreed. The tricky part is the paperwork
afterwards, not the triage itself.

415
01:00:12.250 --> 01:00:15.010
Dr. Felix Brandt: [laughs] It always is.

416
01:00:16.700 --> 01:00:22.940
Grace Mbeki: Can I ask one thing? Who signs off the triage sheet at night?

417
01:00:23.300 --> 01:00:27.150
Hannah Osei: The senior nurse on shift. It's on page two of the protocol.

418
01:00:27.800 --> 01:00:30.020
Grace Mbeki: Great, thanks.
""",
        turns=[
            (
                "Hannah Osei",
                "00:59:48",
                "So the last thing on the agenda is the walk-in triage pilot. "
                "Reception told me the rule is simple: anyone with chest pain skips the queue.",
            ),
            (
                "Dr. Felix Brandt",
                "01:00:05",
                "That matches what we agreed. The tricky part is the paperwork afterwards, "
                "not the triage itself. [laughs] It always is.",
            ),
            ("Grace Mbeki", "01:00:16", "Can I ask one thing? Who signs off the triage sheet at night?"),
            ("Hannah Osei", "01:00:23", "The senior nurse on shift. It's on page two of the protocol."),
            ("Grace Mbeki", "01:00:27", "Great, thanks."),
        ],
    )
)

add(
    Fixture(
        file="zoom-cloud-carers-crlf.vtt",
        tool="Zoom cloud recording",
        shape="zoom-vtt",
        encoding="utf-8",
        source="wwsalmon/zoom-transcript-formatter readme.md (shape); CRLF as saved by a Windows editor",
        note="CRLF line endings throughout",
        newline="\r\n",
        text="""\
WEBVTT

1
00:00:01.050 --> 00:00:05.400
Leila Haddad: Welcome back, everyone. This is session two of the carers' group.

2
00:00:06.120 --> 00:00:11.930
Owen Price: Thanks Leila. I wanted to follow up on the respite list
we talked about last week.

3
00:00:12.400 --> 00:00:16.700
Leila Haddad: Of course. I emailed it round on Friday.

4
00:00:17.250 --> 00:00:21.080
Owen Price: Ah, it must be in my spam folder.

5
00:00:21.080 --> 00:00:24.600
Owen Price: I'll check tonight.

6
00:00:25.900 --> 00:00:31.440
Bea Kowalski: I got it. The second page has the phone numbers and opening hours.
""",
        turns=[
            ("Leila Haddad", "00:00:01", "Welcome back, everyone. This is session two of the carers' group."),
            (
                "Owen Price",
                "00:00:06",
                "Thanks Leila. I wanted to follow up on the respite list we talked about last week.",
            ),
            ("Leila Haddad", "00:00:12", "Of course. I emailed it round on Friday."),
            ("Owen Price", "00:00:17", "Ah, it must be in my spam folder. I'll check tonight."),
            (
                "Bea Kowalski",
                "00:00:25",
                "I got it. The second page has the phone numbers and opening hours.",
            ),
        ],
    )
)

add(
    Fixture(
        file="zoom-cloud-pantry-bom.vtt",
        tool="Zoom cloud recording",
        shape="zoom-vtt",
        encoding="utf-8-sig",
        source="wwsalmon/zoom-transcript-formatter readme.md (shape); glut23/webvtt-py tests/subtitles/captions_with_bom.vtt (BOM)",
        note="UTF-8 byte order mark before WEBVTT; non-ASCII display names",
        text="""\
WEBVTT

1
00:00:00.900 --> 00:00:04.200
Zoë Lindqvist: Hello! Can everyone hear me all right?

2
00:00:05.010 --> 00:00:07.330
Jürgen Weiß: Yes, loud and clear.

3
00:00:08.100 --> 00:00:14.560
Zoë Lindqvist: Lovely. Today we're talking about how the community pantry handles referrals.

4
00:00:15.200 --> 00:00:22.870
Amara Nwosu: From my side, most referrals come from the health visitors, maybe two a week.

5
00:00:23.400 --> 00:00:26.900
Jürgen Weiß: Same in our area, though it spikes in January.
""",
        turns=[
            ("Zoë Lindqvist", "00:00:00", "Hello! Can everyone hear me all right?"),
            ("Jürgen Weiß", "00:00:05", "Yes, loud and clear."),
            (
                "Zoë Lindqvist",
                "00:00:08",
                "Lovely. Today we're talking about how the community pantry handles referrals.",
            ),
            (
                "Amara Nwosu",
                "00:00:15",
                "From my side, most referrals come from the health visitors, maybe two a week.",
            ),
            ("Jürgen Weiß", "00:00:23", "Same in our area, though it spikes in January."),
        ],
    )
)

# ---------------------------------------------------------------------------------------------
# Microsoft Teams / Stream (.vtt): <v Speaker>text</v>
# ---------------------------------------------------------------------------------------------

add(
    Fixture(
        file="teams-ward-handover.vtt",
        tool="Microsoft Teams",
        shape="teams-vtt",
        encoding="utf-8",
        source="glut23/webvtt-py tests/subtitles/teams_timeframe.vtt (<v> voices); georgiewellock/VTT_formatter README.md (GUID cue ids)",
        note="cue ids GUID/NN-N; one turn over cues 12-0 and 12-1; a [crosstalk] cue joins the next cue of the same voice",
        text="""\
WEBVTT

3f2a9c1e-7b4d-4e8a-9f10-2c6d8e0b1a57/11-0
00:00:03.120 --> 00:00:07.450
<v Samira Haddad>Okay, let's begin. What does a good handover look like on your ward?</v>

3f2a9c1e-7b4d-4e8a-9f10-2c6d8e0b1a57/12-0
00:00:08.010 --> 00:00:13.300
<v Kwame Asante>Honestly, it's when the night nurse has time to talk me through the high-risk patients.</v>

3f2a9c1e-7b4d-4e8a-9f10-2c6d8e0b1a57/12-1
00:00:13.300 --> 00:00:17.900
<v Kwame Asante>Not just hand me a printout.</v>

3f2a9c1e-7b4d-4e8a-9f10-2c6d8e0b1a57/13-0
00:00:18.500 --> 00:00:20.000
<v Ines Carvalho>[crosstalk]</v>

3f2a9c1e-7b4d-4e8a-9f10-2c6d8e0b1a57/14-0
00:00:20.200 --> 00:00:26.800
<v Ines Carvalho>Sorry. Yes, and for me it's knowing who to call if the plan changes.</v>

3f2a9c1e-7b4d-4e8a-9f10-2c6d8e0b1a57/15-0
00:00:27.400 --> 00:00:30.050
<v Samira Haddad>Thank you both, that's really helpful.</v>
""",
        turns=[
            (
                "Samira Haddad",
                "00:00:03",
                "Okay, let's begin. What does a good handover look like on your ward?",
            ),
            (
                "Kwame Asante",
                "00:00:08",
                "Honestly, it's when the night nurse has time to talk me through the high-risk patients. "
                "Not just hand me a printout.",
            ),
            (
                "Ines Carvalho",
                "00:00:18",
                "[crosstalk] Sorry. Yes, and for me it's knowing who to call if the plan changes.",
            ),
            ("Samira Haddad", "00:00:27", "Thank you both, that's really helpful."),
        ],
    )
)

add(
    Fixture(
        file="teams-clinic-notes-confidence.vtt",
        tool="Microsoft Teams / Stream",
        shape="teams-vtt",
        encoding="utf-8",
        source="georgiewellock/VTT_formatter README.md (NOTE duration/language/Confidence blocks, GUID cue ids)",
        note="NOTE blocks before every cue; plain GUID cue ids; same-voice cues merge",
        text="""\
WEBVTT

NOTE duration:"00:00:31.7800000"

NOTE language:en-gb

NOTE Confidence: 0.8836724758148193

b1e4c9a2-5d3f-4a7e-8c21-6f0e9d3b7a14
00:00:02.340 --> 00:00:06.910
<v Rachel Adeyemi>Thanks for joining. Could you start by describing a typical clinic morning?</v>

NOTE Confidence: 0.9112018942832947

e7a05d31-2c8b-4f96-a3d4-1b9c6e2f8d05
00:00:07.560 --> 00:00:15.020
<v Tom Baxter>Sure. We open the doors at eight, but the phones start at half seven.</v>

NOTE Confidence: 0.7954321503639221

4c9d2e18-a6b7-4e03-9f5c-8d1a3b6e0c92
00:00:15.020 --> 00:00:19.480
<v Tom Baxter>By nine the waiting room is usually full.</v>

NOTE Confidence: 0.9301551580429077

0a6f3b95-7e2c-4d18-b9a4-5c3e1d7f2b68
00:00:20.900 --> 00:00:24.330
<v Rachel Adeyemi>And who answers the phones at that point?</v>

NOTE Confidence: 0.8620077371597290

93d7c1a4-0b5e-4f2d-8a6c-e4b2f9d1c037
00:00:25.010 --> 00:00:31.780
<v Tom Baxter>Two receptionists, and one of the nurses if someone calls in sick.</v>
""",
        turns=[
            (
                "Rachel Adeyemi",
                "00:00:02",
                "Thanks for joining. Could you start by describing a typical clinic morning?",
            ),
            (
                "Tom Baxter",
                "00:00:07",
                "Sure. We open the doors at eight, but the phones start at half seven. "
                "By nine the waiting room is usually full.",
            ),
            ("Rachel Adeyemi", "00:00:20", "And who answers the phones at that point?"),
            ("Tom Baxter", "00:00:25", "Two receptionists, and one of the nurses if someone calls in sick."),
        ],
    )
)

add(
    Fixture(
        file="teams-stream-short-times.vtt",
        tool="Microsoft Teams / Stream (classic)",
        shape="teams-vtt",
        encoding="utf-8",
        source="glut23/webvtt-py tests/subtitles/teams_timeframe.vtt (0:0:0.0 --> 0:0:0.570 timings)",
        note="single-digit hour/minute/second fields, seconds below 10 (0:0:8.950), a minute field (0:1:5.300); no cue ids",
        text="""\
WEBVTT

0:0:0.0 --> 0:0:4.570
<v Noor Rahman>Can you hear me okay?</v>

0:0:5.210 --> 0:0:8.130
<v Daniel Okafor>Yes, you're fine. Go ahead.</v>

0:0:8.950 --> 0:0:14.120
<v Noor Rahman>Great. So first question, how did you hear about the peer mentoring scheme?</v>

0:0:14.800 --> 0:0:22.400
<v Daniel Okafor>A flyer at the pharmacy, actually. My pharmacist pointed it out.</v>

0:0:22.400 --> 0:0:25.900
<v Daniel Okafor>She said it had helped her brother.</v>

0:1:5.300 --> 0:1:9.050
<v Noor Rahman>That's lovely to hear.</v>
""",
        turns=[
            ("Noor Rahman", "00:00:00", "Can you hear me okay?"),
            ("Daniel Okafor", "00:00:05", "Yes, you're fine. Go ahead."),
            (
                "Noor Rahman",
                "00:00:08",
                "Great. So first question, how did you hear about the peer mentoring scheme?",
            ),
            (
                "Daniel Okafor",
                "00:00:14",
                "A flyer at the pharmacy, actually. My pharmacist pointed it out. "
                "She said it had helped her brother.",
            ),
            ("Noor Rahman", "00:01:05", "That's lovely to hear."),
        ],
    )
)

add(
    Fixture(
        file="stream-unclosed-voice.vtt",
        tool="Microsoft Stream (classic)",
        shape="teams-vtt",
        encoding="utf-8",
        source="georgiewellock/VTT_formatter README.md; W3C WebVTT spec (the </v> end tag may be omitted)",
        note="<v Name> without a closing tag; cue text over two lines; numbered cue ids",
        text="""\
WEBVTT

1
00:00:04.200 --> 00:00:09.800
<v Helen Murray>Before we start, is it okay if I record this conversation?

2
00:00:10.150 --> 00:00:12.400
<v Sipho Dlamini>Yes, that's fine.

3
00:00:13.000 --> 00:00:19.650
<v Helen Murray>Thank you. Tell me about the first time
you used the text support line.

4
00:00:20.300 --> 00:00:28.900
<v Sipho Dlamini>It was during lockdown. I couldn't face
phoning anyone, so texting felt easier.

5
00:00:28.900 --> 00:00:33.120
<v Sipho Dlamini>They replied within ten minutes.

6
00:00:34.000 --> 00:00:36.500
<v Helen Murray>Ten minutes, wow.
""",
        turns=[
            ("Helen Murray", "00:00:04", "Before we start, is it okay if I record this conversation?"),
            ("Sipho Dlamini", "00:00:10", "Yes, that's fine."),
            (
                "Helen Murray",
                "00:00:13",
                "Thank you. Tell me about the first time you used the text support line.",
            ),
            (
                "Sipho Dlamini",
                "00:00:20",
                "It was during lockdown. I couldn't face phoning anyone, so texting felt easier. "
                "They replied within ten minutes.",
            ),
            ("Helen Murray", "00:00:34", "Ten minutes, wow."),
        ],
    )
)

add(
    Fixture(
        file="teams-outreach-utf16.vtt",
        tool="Microsoft Teams",
        shape="teams-vtt",
        encoding="utf-16",
        source="glut23/webvtt-py tests/subtitles/teams_timeframe.vtt (voices); UTF-16 LE as re-saved by Notepad",
        note="UTF-16 little-endian with BOM; accented display names",
        text="""\
WEBVTT

5d8e2f14-9a3b-4c6d-8e7f-1a2b3c4d5e6f/7-0
00:00:01.500 --> 00:00:05.200
<v Léa Dubois>Bonjour à tous, shall we do this one in English?</v>

5d8e2f14-9a3b-4c6d-8e7f-1a2b3c4d5e6f/8-0
00:00:05.900 --> 00:00:08.300
<v Mateo García>English is fine for me.</v>

5d8e2f14-9a3b-4c6d-8e7f-1a2b3c4d5e6f/9-0
00:00:09.000 --> 00:00:15.750
<v Léa Dubois>Perfect. So, the vaccination outreach van. What worked well in the spring?</v>

5d8e2f14-9a3b-4c6d-8e7f-1a2b3c4d5e6f/10-0
00:00:16.400 --> 00:00:23.100
<v Mateo García>Parking outside the mosque after Friday prayers. We had a queue within minutes.</v>
""",
        turns=[
            ("Léa Dubois", "00:00:01", "Bonjour à tous, shall we do this one in English?"),
            ("Mateo García", "00:00:05", "English is fine for me."),
            (
                "Léa Dubois",
                "00:00:09",
                "Perfect. So, the vaccination outreach van. What worked well in the spring?",
            ),
            (
                "Mateo García",
                "00:00:16",
                "Parking outside the mosque after Friday prayers. We had a queue within minutes.",
            ),
        ],
    )
)

add(
    Fixture(
        file="webvtt-voices-crlf-bom.vtt",
        tool="WebVTT (W3C spec)",
        shape="teams-vtt",
        encoding="utf-8-sig",
        source="https://www.w3.org/TR/webvtt1/ (voice spans); glut23/webvtt-py tests/subtitles/captions_with_bom.vtt",
        note="UTF-8 BOM and CRLF together; numbered cues with <v> voices",
        newline="\r\n",
        text="""\
WEBVTT

1
00:00:02.000 --> 00:00:06.500
<v Moderator>Welcome, everyone. Let's start with introductions.</v>

2
00:00:07.100 --> 00:00:11.900
<v Aisha Khan>Hi, I'm Aisha. I volunteer at the drop-in café on Thursdays.</v>

3
00:00:12.400 --> 00:00:17.000
<v Ben Carter>I'm Ben. I run the men's walking group.</v>

4
00:00:17.000 --> 00:00:20.300
<v Ben Carter>We meet at the park gates at ten.</v>

5
00:00:21.000 --> 00:00:24.800
<v Moderator>Thanks both. Aisha, what brought you to volunteering?</v>
""",
        turns=[
            ("Moderator", "00:00:02", "Welcome, everyone. Let's start with introductions."),
            ("Aisha Khan", "00:00:07", "Hi, I'm Aisha. I volunteer at the drop-in café on Thursdays."),
            (
                "Ben Carter",
                "00:00:12",
                "I'm Ben. I run the men's walking group. We meet at the park gates at ten.",
            ),
            ("Moderator", "00:00:21", "Thanks both. Aisha, what brought you to volunteering?"),
        ],
    )
)

# ---------------------------------------------------------------------------------------------
# WebVTT edge cases without speakers: read as one turn by "Speaker"
# ---------------------------------------------------------------------------------------------

add(
    Fixture(
        file="webvtt-style-region-tags.vtt",
        tool="WebVTT (W3C spec)",
        shape="vtt",
        encoding="utf-8",
        source="glut23/webvtt-py tests/subtitles/styles2.vtt (STYLE, text cue ids, <c.class>); https://www.w3.org/TR/webvtt1/ (REGION)",
        note="header text after WEBVTT; STYLE, REGION and single-line NOTE blocks; text cue ids; cue settings; <i> <c.yellow> <b> and &amp; in cues; no speakers",
        text="""\
WEBVTT - Community health worker training, module 3

STYLE
::cue {
  background-color: rgba(0, 0, 0, 0.8);
  color: white;
}
::cue(.yellow) {
  color: yellow;
}

REGION
id:lower
width:60%
lines:3
regionanchor:0%,100%
viewportanchor:10%,90%
scroll:up

NOTE This file was exported for the training portal.

intro
00:00:01.000 --> 00:00:04.500 region:lower align:start position:10%
Welcome to module three: <i>home visits</i>.

checklist-1
00:00:05.000 --> 00:00:09.250 region:lower align:start position:10%
Before every visit, check the <c.yellow>safety checklist</c>.

checklist-2
00:00:09.250 --> 00:00:13.800 line:85% align:center
Bring gloves, hand gel &amp; a charged phone.

closing
00:00:14.500 --> 00:00:18.000
<b>Remember:</b> you can always leave if you feel unsafe.
""",
        turns=[
            (
                "Speaker",
                "00:00:01",
                "Welcome to module three: home visits. Before every visit, check the safety checklist. "
                "Bring gloves, hand gel & a charged phone. Remember: you can always leave if you feel unsafe.",
            ),
        ],
    )
)

add(
    Fixture(
        file="webvtt-no-hours-orientation.vtt",
        tool="WebVTT (W3C spec)",
        shape="vtt",
        encoding="utf-8",
        source="glut23/webvtt-py tests/subtitles/comments.vtt (multi-line NOTE); https://www.w3.org/TR/webvtt1/ (mm:ss.ttt timings)",
        note="timings without hours (00:01.000); multi-line NOTE; cue settings; a cue reading 'Step one: ...' is not a speaker",
        text="""\
WEBVTT

NOTE
Captions for the clinic orientation video.
Reviewed by the patient panel, March 2024.

00:01.000 --> 00:04.000 line:0 position:20% size:60% align:start
Welcome to Riverside Health Centre.

00:04.500 --> 00:08.250
Step one: check in at the touch screen by the door.

00:08.900 --> 00:13.400
If the screen is busy, the reception team
will check you in instead.

00:14.000 --> 00:17.600
Please tell us if you need an interpreter.
""",
        turns=[
            (
                "Speaker",
                "00:00:01",
                "Welcome to Riverside Health Centre. Step one: check in at the touch screen by the door. "
                "If the screen is busy, the reception team will check you in instead. "
                "Please tell us if you need an interpreter.",
            ),
        ],
    )
)

add(
    Fixture(
        file="youtube-auto-captions.vtt",
        tool="YouTube auto-captions (yt-dlp)",
        shape="vtt",
        encoding="utf-8",
        source="ytdl-org/youtube-dl#21914; yt-dlp/yt-dlp#1734; glut23/webvtt-py tests/subtitles/youtube_dl.vtt",
        note="Kind/Language header lines, align:start position:0%, <00:00:00.719><c> word</c> karaoke tags; written WITHOUT YouTube's rolling repetition (one line per cue, no 10 ms filler cues); 'here's the thing:' is not a speaker",
        text="""\
WEBVTT
Kind: captions
Language: en

00:00:00.480 --> 00:00:03.110 align:start position:0%
so<00:00:00.719><c> today</c><00:00:01.040><c> we're</c><00:00:01.280><c> going</c><00:00:01.439><c> to</c><00:00:01.599><c> talk</c><00:00:01.839><c> about</c>

00:00:03.110 --> 00:00:06.230 align:start position:0%
blood<00:00:03.439><c> pressure</c><00:00:03.919><c> checks</c><00:00:04.319><c> at</c><00:00:04.480><c> home</c>

00:00:06.230 --> 00:00:09.470 align:start position:0%
here's<00:00:06.560><c> the</c><00:00:06.720><c> thing:</c><00:00:07.200><c> most</c><00:00:07.440><c> people</c><00:00:07.759><c> sit</c><00:00:08.000><c> wrong</c>

00:00:09.470 --> 00:00:12.680 align:start position:0%
keep<00:00:09.760><c> your</c><00:00:09.920><c> feet</c><00:00:10.160><c> flat</c><00:00:10.400><c> and</c><00:00:10.559><c> your</c><00:00:10.800><c> arm</c><00:00:11.040><c> supported</c>

00:00:12.680 --> 00:00:15.020 align:start position:0%
[Music]
""",
        turns=[
            (
                "Speaker",
                "00:00:00",
                "so today we're going to talk about blood pressure checks at home "
                "here's the thing: most people sit wrong "
                "keep your feet flat and your arm supported [Music]",
            ),
        ],
    )
)

# ---------------------------------------------------------------------------------------------
# SubRip (.srt)
# ---------------------------------------------------------------------------------------------

add(
    Fixture(
        file="srt-walk-in-named.srt",
        tool="SubRip (captioning service)",
        shape="srt",
        encoding="utf-8",
        source="glut23/webvtt-py tests/subtitles/sample.srt (SubRip layout); MidCamp/live-captioning#1",
        note="Name: text cues; a cue without a name continues the speaker; <i> around a non-speech marker",
        text="""\
1
00:00:01,000 --> 00:00:04,000
Moderator: Thanks for coming in this evening.

2
00:00:04,500 --> 00:00:09,250
Moderator: Let's start with the waiting times
at the walk-in centre.

3
00:00:10,000 --> 00:00:15,000
Jordan Avery: Last time I waited nearly three hours.

4
00:00:15,000 --> 00:00:18,000
I just gave up and went home.

5
00:00:19,000 --> 00:00:24,500
Kofi Mensah: <i>[sighs]</i> Mine was quicker, but nobody told us what was happening.

6
00:01:02,000 --> 00:01:05,500
Moderator: That's a theme we keep hearing.
""",
        turns=[
            (
                "Moderator",
                "00:00:01",
                "Thanks for coming in this evening. Let's start with the waiting times at the walk-in centre.",
            ),
            (
                "Jordan Avery",
                "00:00:10",
                "Last time I waited nearly three hours. I just gave up and went home.",
            ),
            ("Kofi Mensah", "00:00:19", "[sighs] Mine was quicker, but nobody told us what was happening."),
            ("Moderator", "00:01:02", "That's a theme we keep hearing."),
        ],
    )
)

add(
    Fixture(
        file="srt-blank-line-in-cue.srt",
        tool="SubRip (hand-edited)",
        shape="srt",
        encoding="utf-8",
        source="mozilla/popcorn-js#470 (SRTs with blank lines mid text); gsantiago/subtitle.js#10",
        note="cues 2 and 4 hold a blank line between two paragraphs; the text after the blank line belongs to the same cue",
        text="""\
1
00:00:00,500 --> 00:00:06,200
Interviewer: Can you tell me about your role at the food bank?

2
00:00:07,000 --> 00:00:19,800
Maria Lopez: I coordinate the Saturday volunteers.

Most of them are retired, and a few are students.

3
00:00:20,300 --> 00:00:24,100
Interviewer: How many people do you see on a typical Saturday?

4
00:00:24,900 --> 00:00:33,000
Maria Lopez: Around ninety households.

In winter it can be over a hundred.

5
00:00:33,500 --> 00:00:36,000
Interviewer: That's a lot.
""",
        turns=[
            ("Interviewer", "00:00:00", "Can you tell me about your role at the food bank?"),
            (
                "Maria Lopez",
                "00:00:07",
                "I coordinate the Saturday volunteers. Most of them are retired, and a few are students.",
            ),
            ("Interviewer", "00:00:20", "How many people do you see on a typical Saturday?"),
            ("Maria Lopez", "00:00:24", "Around ninety households. In winter it can be over a hundred."),
            ("Interviewer", "00:00:33", "That's a lot."),
        ],
    )
)

add(
    Fixture(
        file="srt-appointments-crlf.srt",
        tool="SubRip (captioning service)",
        shape="srt",
        encoding="utf-8",
        source="glut23/webvtt-py tests/subtitles/sample.srt (SubRip layout); CRLF as most SRT writers on Windows",
        note="CRLF line endings; same-speaker cues merge",
        newline="\r\n",
        text="""\
1
00:00:02,100 --> 00:00:05,900
Facilitator: Okay, the recorder is on. Shall we begin?

2
00:00:06,400 --> 00:00:12,750
Rosa Bianchi: Yes. I wanted to say the new appointment texts are brilliant.

3
00:00:13,200 --> 00:00:18,050
Rosa Bianchi: I haven't missed a single appointment since they started.

4
00:00:18,900 --> 00:00:24,300
Ade Johnson: I'm the opposite. I get three texts for one appointment
and it's confusing.

5
00:00:25,000 --> 00:00:27,400
Facilitator: Three texts? For the same slot?

6
00:00:27,900 --> 00:00:30,600
Ade Johnson: Yes, every time.
""",
        turns=[
            ("Facilitator", "00:00:02", "Okay, the recorder is on. Shall we begin?"),
            (
                "Rosa Bianchi",
                "00:00:06",
                "Yes. I wanted to say the new appointment texts are brilliant. "
                "I haven't missed a single appointment since they started.",
            ),
            (
                "Ade Johnson",
                "00:00:18",
                "I'm the opposite. I get three texts for one appointment and it's confusing.",
            ),
            ("Facilitator", "00:00:25", "Three texts? For the same slot?"),
            ("Ade Johnson", "00:00:27", "Yes, every time."),
        ],
    )
)

add(
    Fixture(
        file="srt-dialogue-dashes.srt",
        tool="SubRip (subtitles)",
        shape="srt",
        encoding="utf-8",
        source="glut23/webvtt-py tests/subtitles/comments.vtt (dash-per-speaker lines); SubRip convention",
        note="two speakers per cue marked only by leading dashes, no names: one turn by 'Speaker' keeping the dashes",
        text="""\
1
00:00:01,200 --> 00:00:03,800
- Hi.
- Hello.

2
00:00:04,100 --> 00:00:08,600
- Is this the diabetes education group?
- Yes, come in, grab a seat.

3
00:00:09,000 --> 00:00:13,500
We're just waiting for two more people.

4
00:00:14,200 --> 00:00:17,900
- Is there tea?
- In the flask by the window.
""",
        turns=[
            (
                "Speaker",
                "00:00:01",
                "- Hi. - Hello. - Is this the diabetes education group? - Yes, come in, grab a seat. "
                "We're just waiting for two more people. - Is there tea? - In the flask by the window.",
            ),
        ],
    )
)

add(
    Fixture(
        file="srt-carers-plain-subtitles.srt",
        tool="SubRip (subtitles)",
        shape="srt",
        encoding="utf-8",
        source="glut23/webvtt-py tests/subtitles/sample.srt (SubRip layout, no speakers)",
        note="no speaker names; 'Remember this: ...' is not a speaker; <i> removed",
        text="""\
1
00:00:00,000 --> 00:00:03,500
Every year, thousands of people
in our city care for a relative.

2
00:00:04,000 --> 00:00:07,200
Most of them never call themselves carers.

3
00:00:08,000 --> 00:00:12,400
Remember this: you are entitled to a carer's assessment.

4
00:00:13,000 --> 00:00:16,800
<i>Call the number on the screen to find out more.</i>
""",
        turns=[
            (
                "Speaker",
                "00:00:00",
                "Every year, thousands of people in our city care for a relative. "
                "Most of them never call themselves carers. "
                "Remember this: you are entitled to a carer's assessment. "
                "Call the number on the screen to find out more.",
            ),
        ],
    )
)

add(
    Fixture(
        file="srt-cafe-cp1252.srt",
        tool="SubRip (subtitles)",
        shape="srt",
        encoding="cp1252",
        source="glut23/webvtt-py tests/subtitles/sample.srt (layout); cp1252 as Subtitle Edit writes 'ANSI' on Windows",
        note="Windows-1252 bytes: accented letters, curly quotes and an en dash; no speakers",
        text="""\
1
00:00:01,000 --> 00:00:04,200
Welcome to the Café Santé drop-in.

2
00:00:04,800 --> 00:00:08,900
It’s a “no appointment needed” space for anyone over sixty.

3
00:00:09,500 --> 00:00:13,000
Our nurse, Renée, runs a blood-pressure clinic – every Tuesday.
""",
        turns=[
            (
                "Speaker",
                "00:00:01",
                "Welcome to the Café Santé drop-in. It’s a “no appointment needed” space for anyone over sixty. "
                "Our nurse, Renée, runs a blood-pressure clinic – every Tuesday.",
            ),
        ],
    )
)

# ---------------------------------------------------------------------------------------------
# Whisper / diarisation output
# ---------------------------------------------------------------------------------------------

add(
    Fixture(
        file="whisperx-befriending.srt",
        tool="WhisperX",
        shape="diarised",
        encoding="utf-8",
        source="m-bain/whisperX whisperx/utils.py (WriteSRT; prefix f'[{speaker}]: ')",
        note="[SPEAKER_00]: prefix on every cue; same-speaker cues merge",
        text="""\
1
00:00:00,031 --> 00:00:04,912
[SPEAKER_00]: Thanks for agreeing to talk to me about the befriending service.

2
00:00:05,373 --> 00:00:09,436
[SPEAKER_01]: No problem. I've been a volunteer befriender for about a year.

3
00:00:09,836 --> 00:00:14,219
[SPEAKER_01]: I visit one gentleman every Wednesday afternoon.

4
00:00:14,859 --> 00:00:18,102
[SPEAKER_00]: What do you usually do together?

5
00:00:18,742 --> 00:00:25,687
[SPEAKER_01]: Mostly we talk about football, and sometimes we walk to the library.

6
00:00:26,147 --> 00:00:27,608
[SPEAKER_00]: That sounds lovely.

""",
        turns=[
            ("SPEAKER_00", "00:00:00", "Thanks for agreeing to talk to me about the befriending service."),
            (
                "SPEAKER_01",
                "00:00:05",
                "No problem. I've been a volunteer befriender for about a year. "
                "I visit one gentleman every Wednesday afternoon.",
            ),
            ("SPEAKER_00", "00:00:14", "What do you usually do together?"),
            (
                "SPEAKER_01",
                "00:00:18",
                "Mostly we talk about football, and sometimes we walk to the library.",
            ),
            ("SPEAKER_00", "00:00:26", "That sounds lovely."),
        ],
    )
)

add(
    Fixture(
        file="whisperx-clinic-workflow.vtt",
        tool="WhisperX",
        shape="diarised",
        encoding="utf-8",
        source="m-bain/whisperX whisperx/utils.py (WriteVTT: no cue numbers, no hours under an hour)",
        note="mm:ss.ttt timings, no cue ids, [SPEAKER_xx]: prefixes, three speakers",
        text="""\
WEBVTT

00:00.000 --> 00:03.544
[SPEAKER_00]: Okay, so this is the second interview for the clinic workflow study.

00:04.125 --> 00:08.689
[SPEAKER_01]: Right. Do you want me to start with the booking system?

00:09.230 --> 00:11.952
[SPEAKER_00]: Yes please, whatever feels natural.

00:12.533 --> 00:19.258
[SPEAKER_01]: So the booking system was replaced in September, and for the first month it was chaos.

00:19.699 --> 00:23.962
[SPEAKER_01]: Patients were double-booked almost every day.

00:24.543 --> 00:26.885
[SPEAKER_02]: Sorry to jump in, but that was my clinic too.

""",
        turns=[
            (
                "SPEAKER_00",
                "00:00:00",
                "Okay, so this is the second interview for the clinic workflow study.",
            ),
            ("SPEAKER_01", "00:00:04", "Right. Do you want me to start with the booking system?"),
            ("SPEAKER_00", "00:00:09", "Yes please, whatever feels natural."),
            (
                "SPEAKER_01",
                "00:00:12",
                "So the booking system was replaced in September, and for the first month it was chaos. "
                "Patients were double-booked almost every day.",
            ),
            ("SPEAKER_02", "00:00:24", "Sorry to jump in, but that was my clinic too."),
        ],
    )
)

add(
    Fixture(
        file="whisperx-estate.txt",
        tool="WhisperX",
        shape="diarised",
        encoding="utf-8",
        source="m-bain/whisperX whisperx/utils.py (WriteTXT: f'[{speaker}]: {text}' per segment)",
        note="one segment per line, no times",
        text="""\
[SPEAKER_00]: So how long have you lived on the estate?
[SPEAKER_01]: Nearly twenty years now.
[SPEAKER_01]: My kids grew up here.
[SPEAKER_00]: And how has access to the GP changed over that time?
[SPEAKER_01]: It used to be you could just walk in. Now it's all online forms.
[SPEAKER_02]: I'd agree with that, it's much harder for older residents.
""",
        turns=[
            ("SPEAKER_00", "", "So how long have you lived on the estate?"),
            ("SPEAKER_01", "", "Nearly twenty years now. My kids grew up here."),
            ("SPEAKER_00", "", "And how has access to the GP changed over that time?"),
            ("SPEAKER_01", "", "It used to be you could just walk in. Now it's all online forms."),
            ("SPEAKER_02", "", "I'd agree with that, it's much harder for older residents."),
        ],
    )
)

# whisper-diarization writes "Speaker N: " then each sentence followed by two spaces, and a blank
# line before each new speaker; the file has no final newline (helpers.get_speaker_aware_transcript).
add(
    Fixture(
        file="whisper-diarization-link-worker.txt",
        tool="whisper-diarization",
        shape="diarised",
        encoding="utf-8",
        source="MahmoudAshraf97/whisper-diarization helpers.py (get_speaker_aware_transcript)",
        note="'Speaker 0: ' paragraphs separated by a blank line; sentences end with two spaces; no final newline",
        text=(
            "Speaker 0: Thank you for making time for this.  Could you start by telling me what your job involves?  "
            "\n\nSpeaker 1: Sure.  I'm a link worker, so I connect patients from the surgery with community groups.  "
            "I see maybe eight people a week.  "
            "\n\nSpeaker 0: What kind of groups do you refer people to?  "
            "\n\nSpeaker 1: Gardening, choirs, debt advice, that kind of thing.  "
            "The gardening club is the most popular by far.  "
        ),
        turns=[
            (
                "Speaker 0",
                "",
                "Thank you for making time for this. Could you start by telling me what your job involves?",
            ),
            (
                "Speaker 1",
                "",
                "Sure. I'm a link worker, so I connect patients from the surgery with community groups. "
                "I see maybe eight people a week.",
            ),
            ("Speaker 0", "", "What kind of groups do you refer people to?"),
            (
                "Speaker 1",
                "",
                "Gardening, choirs, debt advice, that kind of thing. The gardening club is the most popular by far.",
            ),
        ],
    )
)

add(
    Fixture(
        file="whisper-diarization-missed-appointments.srt",
        tool="whisper-diarization",
        shape="diarised",
        encoding="utf-8",
        source="MahmoudAshraf97/whisper-diarization helpers.py (write_srt: f'{speaker}: {text}')",
        note="'Speaker N: ' prefixes in SRT cues; blank line after the last cue",
        text="""\
1
00:00:00,480 --> 00:00:05,120
Speaker 0: Can you describe what happens when a patient misses their appointment?

2
00:00:05,760 --> 00:00:09,840
Speaker 1: We send a text the same afternoon.

3
00:00:10,100 --> 00:00:15,300
Speaker 1: If they miss two in a row, the practice nurse phones them.

4
00:00:16,020 --> 00:00:18,500
Speaker 0: Does that phone call help?

5
00:00:19,200 --> 00:00:24,660
Speaker 1: Usually, yes. Often it's transport, not forgetfulness.

""",
        turns=[
            (
                "Speaker 0",
                "00:00:00",
                "Can you describe what happens when a patient misses their appointment?",
            ),
            (
                "Speaker 1",
                "00:00:05",
                "We send a text the same afternoon. If they miss two in a row, the practice nurse phones them.",
            ),
            ("Speaker 0", "00:00:16", "Does that phone call help?"),
            ("Speaker 1", "00:00:19", "Usually, yes. Often it's transport, not forgetfulness."),
        ],
    )
)

add(
    Fixture(
        file="diarised-time-ranges.txt",
        tool="Whisper + pyannote script",
        shape="diarised",
        encoding="utf-8",
        source="kaixxx/noScribe#190 (pyannote 'start - end SPEAKER_01' turns); the [mm:ss.s - mm:ss.s] SPEAKER_00 - text layout of home-made Whisper+pyannote scripts",
        note="[00:01.2 - 00:04.9] SPEAKER_00 - text lines; start is the range start, seconds truncated",
        text="""\
[00:01.2 - 00:04.9] SPEAKER_00 - Thanks for joining the carers' panel today.
[00:05.3 - 00:11.0] SPEAKER_01 - Happy to be here. I care for my mum, who has dementia.
[00:11.0 - 00:15.8] SPEAKER_01 - We moved her in with us last spring.
[00:16.4 - 00:20.1] SPEAKER_00 - What support did you get when that happened?
[00:20.9 - 00:29.6] SPEAKER_01 - Honestly, very little at first, the memory clinic had a six-month wait.
[01:02.5 - 01:06.3] SPEAKER_02 - That's the same wait we had in the north of the county.
""",
        turns=[
            ("SPEAKER_00", "00:00:01", "Thanks for joining the carers' panel today."),
            (
                "SPEAKER_01",
                "00:00:05",
                "Happy to be here. I care for my mum, who has dementia. We moved her in with us last spring.",
            ),
            ("SPEAKER_00", "00:00:16", "What support did you get when that happened?"),
            (
                "SPEAKER_01",
                "00:00:20",
                "Honestly, very little at first, the memory clinic had a six-month wait.",
            ),
            ("SPEAKER_02", "00:01:02", "That's the same wait we had in the north of the county."),
        ],
    )
)

add(
    Fixture(
        file="diarised-speaker-colon.txt",
        tool="Whisper + pyannote script",
        shape="diarised",
        encoding="utf-8",
        source="kaixxx/noScribe#190 (pyannote SPEAKER_xx labels); m-bain/whisperX#133 (speaker-per-line wish)",
        note="SPEAKER_01: text lines without times",
        text="""\
SPEAKER_00: Good morning. This is the pharmacy interview, participant seven.
SPEAKER_01: Morning.
SPEAKER_00: How do you usually collect your repeat prescriptions?
SPEAKER_01: I order on the app and pick them up on the way to work.
SPEAKER_01: Unless the app is down, which happens more than you'd think.
SPEAKER_00: What do you do then?
SPEAKER_01: I ring the surgery and wait on hold.
""",
        turns=[
            ("SPEAKER_00", "", "Good morning. This is the pharmacy interview, participant seven."),
            ("SPEAKER_01", "", "Morning."),
            ("SPEAKER_00", "", "How do you usually collect your repeat prescriptions?"),
            (
                "SPEAKER_01",
                "",
                "I order on the app and pick them up on the way to work. "
                "Unless the app is down, which happens more than you'd think.",
            ),
            ("SPEAKER_00", "", "What do you do then?"),
            ("SPEAKER_01", "", "I ring the surgery and wait on hold."),
        ],
    )
)

# noScribe's plain-text export renders each HTML <p> as "\n" + text + "\n" (html_node_to_text).
add(
    Fixture(
        file="noscribe-peer-workers.txt",
        tool="noScribe",
        shape="diarised",
        encoding="utf-8",
        source="kaixxx/noScribe noScribe.py (seg_text = f'{speaker}:{seg_text}', html_to_text); kaixxx/noScribe#202",
        note="S00:/S01: paragraphs; title and 'Transcribed with noScribe' lines are front matter (the real header's 'Audio file:' and settings lines are left out: they read like speakers); (..) is noScribe's pause mark",
        text="""\

Interview 04 - peer support workers

Transcribed with noScribe vers. 0.6

S00: So, to begin, how did you come to be a peer support worker?

S01: I was a service user myself for a long time. (..) Then a nurse suggested I apply.

S00: And what does a normal shift look like?

S01: Lots of listening. I meet people on the ward, and I follow up by phone after discharge.

S00: Mhm.

S01: The phone follow-ups are the part people value most, I think.
""",
        turns=[
            ("S00", "", "So, to begin, how did you come to be a peer support worker?"),
            ("S01", "", "I was a service user myself for a long time. (..) Then a nurse suggested I apply."),
            ("S00", "", "And what does a normal shift look like?"),
            (
                "S01",
                "",
                "Lots of listening. I meet people on the ward, and I follow up by phone after discharge.",
            ),
            ("S00", "", "Mhm."),
            ("S01", "", "The phone follow-ups are the part people value most, I think."),
        ],
    )
)

add(
    Fixture(
        file="noscribe-pantry-timestamps.txt",
        tool="noScribe",
        shape="diarised",
        encoding="utf-8",
        source="kaixxx/noScribe noScribe.py (with timestamps: seg_text = f'{speaker} {ts}:{seg_text}')",
        note="'S01 [00:00:05]: text' paragraphs (timestamps option on); turns are short, so no mid-turn timestamps",
        text="""\

Interview 11 - community pantry volunteers

Transcribed with noScribe vers. 0.6

S00 [00:00:00]: Thanks for staying after your shift. Is it okay to record?

S01 [00:00:05]: Yes, that's fine.

S00 [00:00:08]: How long have you been volunteering at the pantry?

S01 [00:00:12]: Since it opened, so about three years. I mostly do the Thursday deliveries.

S02 [00:00:21]: And I do the sorting on Mondays. We've met a few times, actually.

S01 [00:00:27]: We have! (..) At the Christmas party.
""",
        turns=[
            ("S00", "00:00:00", "Thanks for staying after your shift. Is it okay to record?"),
            ("S01", "00:00:05", "Yes, that's fine."),
            ("S00", "00:00:08", "How long have you been volunteering at the pantry?"),
            (
                "S01",
                "00:00:12",
                "Since it opened, so about three years. I mostly do the Thursday deliveries.",
            ),
            ("S02", "00:00:21", "And I do the sorting on Mondays. We've met a few times, actually."),
            ("S01", "00:00:27", "We have! (..) At the Christmas party."),
        ],
    )
)

# noScribe's WebVTT export: "WEBVTT <title>", a NOTE with the transcript info, "NOTE media: ...",
# numbered cues with an unclosed <v S00> voice and html.escape()d text (so ' becomes &#x27;).
add(
    Fixture(
        file="noscribe-receptionists.vtt",
        tool="noScribe",
        shape="diarised",
        encoding="utf-8",
        source="kaixxx/noScribe noScribe.py (html_to_webvtt, vtt_escape = html.escape); kaixxx/noScribe#202 (sample file)",
        note="title after WEBVTT; multi-line NOTE followed by two blank lines; NOTE media; <v S00> not closed; trailing space in cues; &#x27; and &amp; entities",
        text=(
            "WEBVTT Interview 07 - clinic receptionists\n"
            "\n"
            "NOTE\n"
            "Transcribed with noScribe vers. 0.6\n"
            "Audio file: interview_07.mp3\n"
            "(Start (hh:mm:ss): 00:00:00 | Model: precise | Language: English (en) | Speaker detection: auto"
            " | Overlapping speech: 1 | Timestamps: 0 | Disfluencies: 1 | Mark pause: 1)\n"
            "\n"
            "\n"
            "NOTE media: /home/researcher/interviews/interview_07.mp3\n"
            "\n"
            "1\n"
            "00:00:00.000 --> 00:00:04.380\n"
            "<v S00>Could you walk me through the first hour of your morning? \n"
            "\n"
            "2\n"
            "00:00:04.960 --> 00:00:09.120\n"
            "<v S01>Sure. I log in to the phone system at quarter to eight. \n"
            "\n"
            "3\n"
            "00:00:09.120 --> 00:00:14.700\n"
            "<v S01>Then I check the overnight messages &amp; the cancellations. \n"
            "\n"
            "4\n"
            "00:00:15.300 --> 00:00:17.840\n"
            "<v S00>And how many messages is that, roughly? \n"
            "\n"
            "5\n"
            "00:00:18.400 --> 00:00:23.050\n"
            "<v S01>On a Monday, maybe forty. Midweek it&#x27;s more like fifteen. \n"
            "\n"
        ),
        turns=[
            ("S00", "00:00:00", "Could you walk me through the first hour of your morning?"),
            (
                "S01",
                "00:00:04",
                "Sure. I log in to the phone system at quarter to eight. "
                "Then I check the overnight messages & the cancellations.",
            ),
            ("S00", "00:00:15", "And how many messages is that, roughly?"),
            ("S01", "00:00:18", "On a Monday, maybe forty. Midweek it's more like fifteen."),
        ],
    )
)

# ---------------------------------------------------------------------------------------------
# Otter.ai (.txt): "Speaker Name  0:42" on its own line, text below, footer
# ---------------------------------------------------------------------------------------------

add(
    Fixture(
        file="otter-receptionists.txt",
        tool="Otter.ai",
        shape="otter",
        encoding="utf-8",
        source="samanthavp/website py/transcript.py (Otter txt regex); gist th0rgall/d627140fc072725d098363604d239923",
        note="title line as front matter; two spaces between name and time; consecutive blocks of one speaker merge; footer dropped",
        text="""\
Clinic workflow study - receptionist focus group

Speaker 1  0:00
Thanks for coming, everyone. Let's start with the morning rush.

Ruth Adeyemi  0:42
It starts before we even open. The phone queue is at thirty by eight o'clock.

Hamid Karimi  1:05
And half of those are people wanting test results.

Speaker 1  1:15
Is there a way to divert those calls?

Ruth Adeyemi  1:18
We tried an automated message. [laughter] It didn't go down well.

Ruth Adeyemi  1:30
People just pressed zero until they got a human.



Transcribed by https://otter.ai
""",
        turns=[
            ("Speaker 1", "00:00:00", "Thanks for coming, everyone. Let's start with the morning rush."),
            (
                "Ruth Adeyemi",
                "00:00:42",
                "It starts before we even open. The phone queue is at thirty by eight o'clock.",
            ),
            ("Hamid Karimi", "00:01:05", "And half of those are people wanting test results."),
            ("Speaker 1", "00:01:15", "Is there a way to divert those calls?"),
            (
                "Ruth Adeyemi",
                "00:01:18",
                "We tried an automated message. [laughter] It didn't go down well. "
                "People just pressed zero until they got a human.",
            ),
        ],
    )
)

add(
    Fixture(
        file="otter-peer-app-past-hour.txt",
        tool="Otter.ai",
        shape="otter",
        encoding="utf-8",
        source="samanthavp/website py/transcript.py (Otter txt: name, two spaces, m:ss or h:mm:ss)",
        note="times run past an hour (1:00:04, 1:02:03); text over two lines; 'Unknown Speaker' label; footer dropped",
        text="""\
Dana Whitfield  58:40
Okay, we're nearly at time, so one last round.
What's one thing you'd change about the peer support app?

Marcus Oyelaran  59:02
Notifications. I get too many of them.

Unknown Speaker  59:31
Can I add, a dark mode would be nice.

Dana Whitfield  1:00:04
Noted. Anyone else?

Priya Natarajan  1:00:11
Just that the group chat should be easier to find.
It's buried three menus deep right now.

Dana Whitfield  1:02:03
Thank you all, that's a wrap.

Transcribed by https://otter.ai
""",
        turns=[
            (
                "Dana Whitfield",
                "00:58:40",
                "Okay, we're nearly at time, so one last round. "
                "What's one thing you'd change about the peer support app?",
            ),
            ("Marcus Oyelaran", "00:59:02", "Notifications. I get too many of them."),
            ("Unknown Speaker", "00:59:31", "Can I add, a dark mode would be nice."),
            ("Dana Whitfield", "01:00:04", "Noted. Anyone else?"),
            (
                "Priya Natarajan",
                "01:00:11",
                "Just that the group chat should be easier to find. It's buried three menus deep right now.",
            ),
            ("Dana Whitfield", "01:02:03", "Thank you all, that's a wrap."),
        ],
    )
)

# ---------------------------------------------------------------------------------------------
# Zoom locally saved transcript / captions (.txt): "[Name] 19:00:25" then the text
# ---------------------------------------------------------------------------------------------

add(
    Fixture(
        file="zoom-saved-transcript.txt",
        tool="Zoom saved captions / transcript",
        shape="zoom-txt",
        encoding="utf-8",
        source="itsupport.umd.edu KB0015421 (meeting_saved_closed_captions.txt holds caption text and a time stamp); line layout as in the brief, not confirmed by a public sample",
        note="clock times of day, not offsets; consecutive entries of one speaker merge",
        text="""\
[Dana Whitfield] 19:00:25
Okay, it says the transcript is on now.

[Dana Whitfield] 19:00:31
So welcome back, everyone, to week four of the peer support circle.

[Marcus Oyelaran] 19:00:40
Thanks Dana. Quick question before we start, are we still finishing at eight?

[Dana Whitfield] 19:00:47
Yes, eight o'clock sharp.

[Priya Natarajan] 19:01:02
I might need to leave ten minutes early, sorry.

[Marcus Oyelaran] 19:01:09
No worries, Priya.
""",
        turns=[
            (
                "Dana Whitfield",
                "19:00:25",
                "Okay, it says the transcript is on now. "
                "So welcome back, everyone, to week four of the peer support circle.",
            ),
            (
                "Marcus Oyelaran",
                "19:00:40",
                "Thanks Dana. Quick question before we start, are we still finishing at eight?",
            ),
            ("Dana Whitfield", "19:00:47", "Yes, eight o'clock sharp."),
            ("Priya Natarajan", "19:01:02", "I might need to leave ten minutes early, sorry."),
            ("Marcus Oyelaran", "19:01:09", "No worries, Priya."),
        ],
    )
)

add(
    Fixture(
        file="zoom-saved-captions-crlf.txt",
        tool="Zoom saved captions / transcript",
        shape="zoom-txt",
        encoding="utf-8",
        source="itsupport.umd.edu KB0015421 (meeting_saved_closed_captions.txt); line layout as in the brief",
        note="CRLF as saved on Windows; a display name with a pronoun suffix kept as written",
        newline="\r\n",
        text="""\
[Hannah Osei (she/her)] 09:30:02
Morning all. This is the weekly huddle for the diabetes clinic.

[Felix Brandt] 09:30:10
Morning. Two things from me, the new glucose meters and the Friday rota.

[Hannah Osei (she/her)] 09:30:19
Go on then, meters first.

[Felix Brandt] 09:30:22
They arrive Tuesday. Training is booked for Wednesday lunchtime.
""",
        turns=[
            (
                "Hannah Osei (she/her)",
                "09:30:02",
                "Morning all. This is the weekly huddle for the diabetes clinic.",
            ),
            (
                "Felix Brandt",
                "09:30:10",
                "Morning. Two things from me, the new glucose meters and the Friday rota.",
            ),
            ("Hannah Osei (she/her)", "09:30:19", "Go on then, meters first."),
            ("Felix Brandt", "09:30:22", "They arrive Tuesday. Training is booked for Wednesday lunchtime."),
        ],
    )
)

# ---------------------------------------------------------------------------------------------
# Rev, Word Transcribe, Descript, Trint (.txt): a label line with a time, text below
# ---------------------------------------------------------------------------------------------

add(
    Fixture(
        file="rev-home-visits.txt",
        tool="Rev",
        shape="rev",
        encoding="utf-8",
        source="https://videotext.io/rev-transcription-format (speaker label syntax); Rev style guide v3 ([inaudible 00:00:41], [crosstalk])",
        note="'Name (00:00:02):' on its own line; title as front matter; [inaudible hh:mm:ss] and [crosstalk] stay in the text",
        text="""\
Community Health Worker Interview 3

Interviewer (00:00:02):
Thanks for taking the time. Could you describe a typical home visit?

Amina Yusuf (00:00:09):
Sure. I usually start by checking the medication box, then we talk about how the week has gone.

Amina Yusuf (00:00:21):
Some clients want to chat for an hour [laughs] and some want me gone in ten minutes.

Interviewer (00:00:33):
How do you handle visits when the family is there too?

Amina Yusuf (00:00:39):
It depends. [inaudible 00:00:41] I always ask the client first if they want the family in the room.

Interviewer (00:00:52):
That makes sense. [crosstalk]

Amina Yusuf (00:00:54):
Sorry, go ahead.
""",
        turns=[
            (
                "Interviewer",
                "00:00:02",
                "Thanks for taking the time. Could you describe a typical home visit?",
            ),
            (
                "Amina Yusuf",
                "00:00:09",
                "Sure. I usually start by checking the medication box, then we talk about how the week has gone. "
                "Some clients want to chat for an hour [laughs] and some want me gone in ten minutes.",
            ),
            ("Interviewer", "00:00:33", "How do you handle visits when the family is there too?"),
            (
                "Amina Yusuf",
                "00:00:39",
                "It depends. [inaudible 00:00:41] I always ask the client first if they want the family in the room.",
            ),
            ("Interviewer", "00:00:52", "That makes sense. [crosstalk]"),
            ("Amina Yusuf", "00:00:54", "Sorry, go ahead."),
        ],
    )
)

add(
    Fixture(
        file="rev-speaker-numbers.txt",
        tool="Rev",
        shape="rev",
        encoding="utf-8",
        source="https://videotext.io/rev-transcription-format; Rev style guide (Speaker 1 labels when names are unknown)",
        note="'Speaker 1 (00:01):' with mm:ss times; consecutive blocks of one speaker merge",
        text="""\
Speaker 1 (00:01):
Okay, we're recording. Can you say your role for the tape?

Speaker 2 (00:05):
I'm the practice manager at Elm Street Surgery.

Speaker 1 (00:10):
And how long have you been in post?

Speaker 2 (00:12):
Six years in March.

Speaker 2 (00:15):
Before that I managed a dental practice.

Speaker 1 (01:03):
Interesting. What's the biggest change you've made?
""",
        turns=[
            ("Speaker 1", "00:00:01", "Okay, we're recording. Can you say your role for the tape?"),
            ("Speaker 2", "00:00:05", "I'm the practice manager at Elm Street Surgery."),
            ("Speaker 1", "00:00:10", "And how long have you been in post?"),
            ("Speaker 2", "00:00:12", "Six years in March. Before that I managed a dental practice."),
            ("Speaker 1", "00:01:03", "Interesting. What's the biggest change you've made?"),
        ],
    )
)

add(
    Fixture(
        file="rev-bracket-times.txt",
        tool="Rev / transcription service",
        shape="rev",
        encoding="utf-8",
        source="https://videotext.io/rev-transcription-format (timestamp placement); 'Name [hh:mm:ss]' header as in the brief",
        note="'Name [00:00:00]' on its own line, text on one or two lines below",
        text="""\
Jamal Reid [00:00:00]
Good afternoon. This is the second focus group on the new diabetes pathway.

Ellen Fraser [00:00:08]
Hi everyone. I'm one of the specialist nurses.

Jamal Reid [00:00:14]
Thanks Ellen. Let's start with the referral letters.
Were they clear enough?

Tunde Bakare [00:00:25]
Not really. I had to phone the hospital twice to find out where to go.
""",
        turns=[
            (
                "Jamal Reid",
                "00:00:00",
                "Good afternoon. This is the second focus group on the new diabetes pathway.",
            ),
            ("Ellen Fraser", "00:00:08", "Hi everyone. I'm one of the specialist nurses."),
            (
                "Jamal Reid",
                "00:00:14",
                "Thanks Ellen. Let's start with the referral letters. Were they clear enough?",
            ),
            (
                "Tunde Bakare",
                "00:00:25",
                "Not really. I had to phone the hospital twice to find out where to go.",
            ),
        ],
    )
)

add(
    Fixture(
        file="word-transcribe-hospital-radio.txt",
        tool="Microsoft Word Transcribe",
        shape="rev",
        encoding="utf-8",
        source="JBCodeBook/JRETranscript create_transcript.py (Word transcription text: 'hh:mm:ss Speaker N' line, then text)",
        note="'00:00:03 Speaker 1' label line (time first), text below",
        text="""\
00:00:00 Speaker 1
Okay, I've pressed record. Could you start by telling me your role?

00:00:06 Speaker 2
I'm the volunteer coordinator for the hospital radio.

00:00:11 Speaker 1
How many volunteers do you have?

00:00:14 Speaker 2
Around forty, though only about twenty are active.
Most of them do one evening a week.
""",
        turns=[
            ("Speaker 1", "00:00:00", "Okay, I've pressed record. Could you start by telling me your role?"),
            ("Speaker 2", "00:00:06", "I'm the volunteer coordinator for the hospital radio."),
            ("Speaker 1", "00:00:11", "How many volunteers do you have?"),
            (
                "Speaker 2",
                "00:00:14",
                "Around forty, though only about twenty are active. Most of them do one evening a week.",
            ),
        ],
    )
)

add(
    Fixture(
        file="descript-podcast.txt",
        tool="Descript",
        shape="text",
        encoding="utf-8",
        source="descriptinc/descript-mcp skills/export-transcript/SKILL.md (txt export with speaker labels and timecodes); line layout not documented there",
        note="'[00:00:08] Name: text' paragraphs; episode title as front matter",
        text="""\
Neighbourhood Health podcast - episode 12

[00:00:00] Lina Haddad: Welcome back to Neighbourhood Health. Today I'm joined by Sam from the pharmacy on Mill Road.

[00:00:08] Sam Whitaker: Thanks for having me, Lina.

[00:00:11] Lina Haddad: So, Sam, what's the most common question you get at the counter?

[00:00:16] Sam Whitaker: Honestly? Whether they can get their flu jab without an appointment.

[00:00:22] Sam Whitaker: And the answer is yes, most days.
""",
        turns=[
            (
                "Lina Haddad",
                "00:00:00",
                "Welcome back to Neighbourhood Health. Today I'm joined by Sam from the pharmacy on Mill Road.",
            ),
            ("Sam Whitaker", "00:00:08", "Thanks for having me, Lina."),
            (
                "Lina Haddad",
                "00:00:11",
                "So, Sam, what's the most common question you get at the counter?",
            ),
            (
                "Sam Whitaker",
                "00:00:16",
                "Honestly? Whether they can get their flu jab without an appointment. "
                "And the answer is yes, most days.",
            ),
        ],
    )
)

add(
    Fixture(
        file="trint-school-nursing.txt",
        tool="Trint",
        shape="rev",
        encoding="utf-8",
        source="no public Trint sample found; '[00:00:12] Speaker Name' header line as in the brief",
        note="'[00:00:06] Name' on its own line (time first, in brackets), text below",
        text="""\
[00:00:00] Kate Morrison
Thanks for joining. This interview is part of the school nursing review.

[00:00:06] Deepa Iyer
Happy to help. I've been a school nurse for eleven years.

[00:00:12] Kate Morrison
What's changed most in that time?

[00:00:15] Deepa Iyer
The mental health side, definitely. Half my drop-ins are about anxiety now.
""",
        turns=[
            (
                "Kate Morrison",
                "00:00:00",
                "Thanks for joining. This interview is part of the school nursing review.",
            ),
            ("Deepa Iyer", "00:00:06", "Happy to help. I've been a school nurse for eleven years."),
            ("Kate Morrison", "00:00:12", "What's changed most in that time?"),
            (
                "Deepa Iyer",
                "00:00:15",
                "The mental health side, definitely. Half my drop-ins are about anxiety now.",
            ),
        ],
    )
)

# ---------------------------------------------------------------------------------------------
# Typed transcripts (.txt, .md)
# ---------------------------------------------------------------------------------------------

add(
    Fixture(
        file="typed-p-labels.txt",
        tool="typed (researcher)",
        shape="text",
        encoding="utf-8",
        source="tests/conftest.py of this project (P1:/Moderator: study transcripts); common QDA practice",
        note="title and date lines without colons as front matter; P1:/P2:/P3:/Moderator: labels",
        text="""\
Focus group 2 - Northside Community Centre
14 March 2024

Moderator: Thanks for coming. Let's start with how you found out about the health check bus.
P1: My neighbour told me. She'd been the week before.
P2: I saw it parked outside the supermarket.
P1: It was there again on Saturday, wasn't it?
Moderator: It was. Did anyone have to wait long?
P3: About twenty minutes. They gave us a ticket with a number.
""",
        turns=[
            (
                "Moderator",
                "",
                "Thanks for coming. Let's start with how you found out about the health check bus.",
            ),
            ("P1", "", "My neighbour told me. She'd been the week before."),
            ("P2", "", "I saw it parked outside the supermarket."),
            ("P1", "", "It was there again on Saturday, wasn't it?"),
            ("Moderator", "", "It was. Did anyone have to wait long?"),
            ("P3", "", "About twenty minutes. They gave us a ticket with a number."),
        ],
    )
)

add(
    Fixture(
        file="typed-participant-continuation.txt",
        tool="typed (researcher)",
        shape="text",
        encoding="utf-8",
        source="common QDA practice ('Participant 3:' labels); th0rgall gist (Atlas.ti 'Participant:' import layout)",
        note="'Participant 3:' label; an unlabelled line continues the previous speaker",
        text="""\
Participant 3 interview
Recorded at the library meeting room

Interviewer: How long have you been attending the walking group?
Participant 3: About a year. I started after my heart operation.
My cardiologist said walking was the best thing I could do.
Interviewer: And has it helped?
Participant 3: Enormously. I sleep better, and I've made friends.
Interviewer: That's wonderful.
""",
        turns=[
            ("Interviewer", "", "How long have you been attending the walking group?"),
            (
                "Participant 3",
                "",
                "About a year. I started after my heart operation. "
                "My cardiologist said walking was the best thing I could do.",
            ),
            ("Interviewer", "", "And has it helped?"),
            ("Participant 3", "", "Enormously. I sleep better, and I've made friends."),
            ("Interviewer", "", "That's wonderful."),
        ],
    )
)

add(
    Fixture(
        file="typed-bracket-times.txt",
        tool="typed (oTranscribe / Transdown style)",
        shape="text",
        encoding="utf-8",
        source="briandk/transdown README ('[00:33:33.25] Rebecca:'); gist th0rgall/aa6666b2edddfb26bbc07ac2d591a341 ('[00:02:03]Participant:')",
        note="'[00:01:23] Name: text' lines; same-speaker lines merge",
        text="""\
[00:00:04] Interviewer: Thanks for meeting me at the clinic. Is now still a good time?
[00:00:09] Joy Mensah: Yes, my shift doesn't start until two.
[00:00:14] Interviewer: Great. Tell me about the new triage phone line.
[00:00:20] Joy Mensah: It launched in January. The first week was rough.
[00:00:28] Joy Mensah: We had two nurses on the line and about three hundred calls a day.
[00:01:23] Interviewer: How is it now?
[00:01:26] Joy Mensah: Much calmer. We have four nurses in the mornings.
""",
        turns=[
            ("Interviewer", "00:00:04", "Thanks for meeting me at the clinic. Is now still a good time?"),
            ("Joy Mensah", "00:00:09", "Yes, my shift doesn't start until two."),
            ("Interviewer", "00:00:14", "Great. Tell me about the new triage phone line."),
            (
                "Joy Mensah",
                "00:00:20",
                "It launched in January. The first week was rough. "
                "We had two nurses on the line and about three hundred calls a day.",
            ),
            ("Interviewer", "00:01:23", "How is it now?"),
            ("Joy Mensah", "00:01:26", "Much calmer. We have four nurses in the mornings."),
        ],
    )
)

add(
    Fixture(
        file="typed-lowercase-labels.txt",
        tool="typed (researcher)",
        shape="text",
        encoding="utf-8",
        source="common practice in typed interview transcripts (lower-case role labels)",
        note="lower-case 'interviewer:' / 'interviewee:' labels kept as written; lower-case text",
        text="""\
interviewer: can you tell me a bit about your caring role?
interviewee: i look after my husband, he had a stroke two years ago.
interviewer: how do you find the support from the district nurses?
interviewee: they're lovely, but they change all the time. i never know who's coming.
interviewee: sometimes i have to explain everything again from the start.
interviewer: that sounds exhausting.
""",
        turns=[
            ("interviewer", "", "can you tell me a bit about your caring role?"),
            ("interviewee", "", "i look after my husband, he had a stroke two years ago."),
            ("interviewer", "", "how do you find the support from the district nurses?"),
            (
                "interviewee",
                "",
                "they're lovely, but they change all the time. i never know who's coming. "
                "sometimes i have to explain everything again from the start.",
            ),
            ("interviewer", "", "that sounds exhausting."),
        ],
    )
)

add(
    Fixture(
        file="qualcoder-bracket-ids.txt",
        tool="QualCoder (typed for import)",
        shape="text",
        encoding="utf-8",
        source="QualCoder docs 4.1 Coding Text (plain-text import); the '[id1] text' speaker convention is as in the brief, not found in QualCoder's docs",
        note="'[id1] text' lines: the label is id1 without its brackets",
        text="""\
[id1] How did the move to the new health centre affect your patients?
[id2] At first, badly. The bus route didn't go past the new building.
[id2] Some of our older patients just stopped coming.
[id1] Was anything done about that?
[id2] The council added a stop in the end, but it took six months.
[id3] We also ran a volunteer driver scheme in the meantime.
""",
        turns=[
            ("id1", "", "How did the move to the new health centre affect your patients?"),
            (
                "id2",
                "",
                "At first, badly. The bus route didn't go past the new building. "
                "Some of our older patients just stopped coming.",
            ),
            ("id1", "", "Was anything done about that?"),
            ("id2", "", "The council added a stop in the end, but it took six months."),
            ("id3", "", "We also ran a volunteer driver scheme in the meantime."),
        ],
    )
)

add(
    Fixture(
        file="markdown-bold-times.md",
        tool="Markdown notes (Obsidian / Notion export)",
        shape="markdown",
        encoding="utf-8",
        source="hyperaudio/hyperaudio-lite-editor#467 (Markdown export: bold speakers, optional timecode per paragraph)",
        note="'**Emma** [0:00] text' paragraphs; '# ' heading as front matter",
        text="""\
# Peer support group - session 5

**Emma** [0:00] Hi everyone, welcome back.

**Liam** [0:06] Hi Emma. Good to see a few new faces.

**Emma** [0:10] Yes, we have two newcomers tonight. Would you like to introduce yourselves?

**Noah** [0:18] Sure. I'm Noah, I found the group through the hospital leaflet.

**Noah** [0:25] This is my first time at anything like this.

**Emma** [1:02] You're very welcome, Noah.
""",
        turns=[
            ("Emma", "00:00:00", "Hi everyone, welcome back."),
            ("Liam", "00:00:06", "Hi Emma. Good to see a few new faces."),
            (
                "Emma",
                "00:00:10",
                "Yes, we have two newcomers tonight. Would you like to introduce yourselves?",
            ),
            (
                "Noah",
                "00:00:18",
                "Sure. I'm Noah, I found the group through the hospital leaflet. "
                "This is my first time at anything like this.",
            ),
            ("Emma", "00:01:02", "You're very welcome, Noah."),
        ],
    )
)

add(
    Fixture(
        file="markdown-bold-colon.md",
        tool="Markdown notes (Obsidian / Notion export)",
        shape="markdown",
        encoding="utf-8",
        source="hyperaudio/hyperaudio-lite-editor#467 (Markdown export with '**Maria:**' speakers)",
        note="'**Sofia:** text' paragraphs (colon inside the bold); heading and a dated line as front matter",
        text="""\
# Interview 2 - practice nurse

Recorded 3 April 2024.

**Interviewer:** What does a typical Monday look like for you?

**Sofia:** Busy. We have the baby clinic in the morning and chronic disease reviews after lunch.

**Sofia:** I usually eat lunch at my desk.

**Interviewer:** Is that typical for the team?

**Sofia:** Sadly, yes. We're short of one nurse at the moment.
""",
        turns=[
            ("Interviewer", "", "What does a typical Monday look like for you?"),
            (
                "Sofia",
                "",
                "Busy. We have the baby clinic in the morning and chronic disease reviews after lunch. "
                "I usually eat lunch at my desk.",
            ),
            ("Interviewer", "", "Is that typical for the team?"),
            ("Sofia", "", "Sadly, yes. We're short of one nurse at the moment."),
        ],
    )
)

add(
    Fixture(
        file="typed-names-no-colon.txt",
        tool="typed (researcher)",
        shape="text",
        encoding="utf-8",
        source="common in quickly typed notes: recurring first names as line prefixes without punctuation",
        note="three recurring first names (Emma, Liam, Zara) start every line, with no colon",
        text="""\
Emma Sure, that works for me.
Liam Great. So shall we meet at the health centre on Thursday?
Emma Thursday is fine, but not before ten.
Liam Ten it is. I'll bring the leaflets for the pop-up stall.
Zara Can I come too? I can help set up the table.
Emma Of course, the more the merrier.
Zara Brilliant, see you both then.
""",
        turns=[
            ("Emma", "", "Sure, that works for me."),
            ("Liam", "", "Great. So shall we meet at the health centre on Thursday?"),
            ("Emma", "", "Thursday is fine, but not before ten."),
            ("Liam", "", "Ten it is. I'll bring the leaflets for the pop-up stall."),
            ("Zara", "", "Can I come too? I can help set up the table."),
            ("Emma", "", "Of course, the more the merrier."),
            ("Zara", "", "Brilliant, see you both then."),
        ],
    )
)

add(
    Fixture(
        file="typed-discharge-cp1252.txt",
        tool="typed (Word 'Save as Text', Windows)",
        shape="text",
        encoding="cp1252",
        source="tests/files/typed-cp1252.txt of this project; Word's plain-text save in the Windows code page",
        note="Windows-1252 bytes: curly quotes, an ellipsis and en dashes",
        newline="\r\n",
        text="""\
Interview – Ward 7 discharge lounge

Interviewer: What’s the “discharge lounge” like from a patient’s point of view?
Margaret: Honestly? It’s a waiting room with a kettle… but the staff are kind.
Interviewer: How long did you wait there?
Margaret: Four hours – they said the pharmacy was “backed up”.
Interviewer: That’s a long time.
""",
        turns=[
            ("Interviewer", "", "What’s the “discharge lounge” like from a patient’s point of view?"),
            ("Margaret", "", "Honestly? It’s a waiting room with a kettle… but the staff are kind."),
            ("Interviewer", "", "How long did you wait there?"),
            ("Margaret", "", "Four hours – they said the pharmacy was “backed up”."),
            ("Interviewer", "", "That’s a long time."),
        ],
    )
)

add(
    Fixture(
        file="typed-young-carers-bom.txt",
        tool="typed (Notepad, UTF-8 with BOM)",
        shape="text",
        encoding="utf-8-sig",
        source="tests/files/typed-bom.txt of this project; Notepad's 'UTF-8 with BOM'",
        note="UTF-8 BOM before the title line",
        text="""\
Focus group 6 – young carers

Facilitator: Thanks for coming after school, everyone.
Aleksandra: No problem. We get free pizza, right?
Facilitator: You do. [laughter] So, who helps look after someone at home?
Jonah: I help with my little brother. He has autism.
Aleksandra: I do my mum's shopping and I sort her tablets.
""",
        turns=[
            ("Facilitator", "", "Thanks for coming after school, everyone."),
            ("Aleksandra", "", "No problem. We get free pizza, right?"),
            ("Facilitator", "", "You do. [laughter] So, who helps look after someone at home?"),
            ("Jonah", "", "I help with my little brother. He has autism."),
            ("Aleksandra", "", "I do my mum's shopping and I sort her tablets."),
        ],
    )
)

add(
    Fixture(
        file="typed-pharmacy-utf16.txt",
        tool="typed (Notepad 'Unicode')",
        shape="text",
        encoding="utf-16",
        source="Notepad's 'Unicode' save (UTF-16 LE with BOM)",
        note="UTF-16 little-endian with BOM, CRLF; accented speaker name",
        newline="\r\n",
        text="""\
Telephone interview – pharmacy access

Researcher: Hello, is this still a good time to talk?
Émile Durand: Yes, go ahead.
Researcher: How far is your nearest pharmacy?
Émile Durand: About two miles. There used to be one on my street but it closed in 2022.
Researcher: How do you get there?
Émile Durand: My daughter drives me, or I take the 14 bus.
""",
        turns=[
            ("Researcher", "", "Hello, is this still a good time to talk?"),
            ("Émile Durand", "", "Yes, go ahead."),
            ("Researcher", "", "How far is your nearest pharmacy?"),
            (
                "Émile Durand",
                "",
                "About two miles. There used to be one on my street but it closed in 2022.",
            ),
            ("Researcher", "", "How do you get there?"),
            ("Émile Durand", "", "My daughter drives me, or I take the 14 bus."),
        ],
    )
)

add(
    Fixture(
        file="typed-polish-latin2.txt",
        tool="typed (Polish, ISO-8859-2)",
        shape="text",
        encoding="iso-8859-2",
        source="ISO-8859-2 (Latin-2) as older Polish Windows/Linux editors save",
        note="Latin-2 bytes for ł ó ę ą ś ż ź ć ń; names as labels",
        text="""\
Wywiad 5 - punkt konsultacyjny

Małgorzata: Dzień dobry, dziękuję za zgodę na rozmowę.
Zbigniew: Dzień dobry. Proszę bardzo.
Małgorzata: Jak często korzysta pan z przychodni?
Zbigniew: Mniej więcej raz w miesiącu. Zwykle po receptę.
Zbigniew: Czasem czekam w kolejce ponad godzinę.
Małgorzata: Czy próbował pan rejestracji przez internet?
Zbigniew: Próbowałem, ale to dla mnie za trudne.
""",
        turns=[
            ("Małgorzata", "", "Dzień dobry, dziękuję za zgodę na rozmowę."),
            ("Zbigniew", "", "Dzień dobry. Proszę bardzo."),
            ("Małgorzata", "", "Jak często korzysta pan z przychodni?"),
            (
                "Zbigniew",
                "",
                "Mniej więcej raz w miesiącu. Zwykle po receptę. Czasem czekam w kolejce ponad godzinę.",
            ),
            ("Małgorzata", "", "Czy próbował pan rejestracji przez internet?"),
            ("Zbigniew", "", "Próbowałem, ale to dla mnie za trudne."),
        ],
    )
)

add(
    Fixture(
        file="typed-czech-cp1250.txt",
        tool="typed (Czech, Windows-1250)",
        shape="text",
        encoding="cp1250",
        source="Windows-1250 as Czech Windows Notepad saves 'ANSI'",
        note="cp1250 bytes (š is 0x9A here, unlike Latin-2); CRLF",
        newline="\r\n",
        text="""\
Rozhovor 2 - komunitní sestra

Tazatelka: Dobrý den, můžeme začít?
Jiřina: Ano, samozřejmě.
Tazatelka: Jak vypadá váš běžný pracovní den?
Jiřina: Ráno objíždím pacienty v okolí. Odpoledne píšu zprávy a volám lékařům.
Tazatelka: Kolik pacientů denně navštívíte?
Jiřina: Obvykle osm až deset. V zimě i víc.
""",
        turns=[
            ("Tazatelka", "", "Dobrý den, můžeme začít?"),
            ("Jiřina", "", "Ano, samozřejmě."),
            ("Tazatelka", "", "Jak vypadá váš běžný pracovní den?"),
            ("Jiřina", "", "Ráno objíždím pacienty v okolí. Odpoledne píšu zprávy a volám lékařům."),
            ("Tazatelka", "", "Kolik pacientů denně navštívíte?"),
            ("Jiřina", "", "Obvykle osm až deset. V zimě i víc."),
        ],
    )
)

add(
    Fixture(
        file="typed-japanese-shift-jis.txt",
        tool="typed (Japanese, Shift-JIS)",
        shape="text",
        encoding="shift_jis",
        source="Shift-JIS as Japanese Windows Notepad saves 'ANSI'",
        note="Shift-JIS bytes; A:/B: labels with an ASCII colon; CRLF",
        newline="\r\n",
        text="""\
地域保健インタビュー 3

A: 本日はお時間をいただき、ありがとうございます。
B: いいえ、こちらこそ。
A: 保健センターにはどのくらいの頻度で行きますか。
B: 月に一回くらいです。血圧を測ってもらいます。
A: 待ち時間は長いですか。
B: 朝早く行けば、あまり待ちません。
""",
        turns=[
            ("A", "", "本日はお時間をいただき、ありがとうございます。"),
            ("B", "", "いいえ、こちらこそ。"),
            ("A", "", "保健センターにはどのくらいの頻度で行きますか。"),
            ("B", "", "月に一回くらいです。血圧を測ってもらいます。"),
            ("A", "", "待ち時間は長いですか。"),
            ("B", "", "朝早く行けば、あまり待ちません。"),
        ],
    )
)

add(
    Fixture(
        file="typed-chinese-gb2312.txt",
        tool="typed (Chinese, GB2312)",
        shape="text",
        encoding="gb2312",
        source="GB2312 as Simplified Chinese Windows Notepad saves 'ANSI'",
        note="GB2312 bytes; role labels with an ASCII colon; full-width punctuation in the text; same-speaker lines merge with one space",
        text="""\
社区卫生服务访谈 二

主持人: 您好，感谢您参加今天的访谈。
受访者: 不客气。
主持人: 您平时多久去一次社区卫生服务中心？
受访者: 大概每两周一次，主要是量血压和拿药。
受访者: 医生都很耐心。
主持人: 排队的时间长吗？
受访者: 上午人多，下午好一些。
""",
        turns=[
            ("主持人", "", "您好，感谢您参加今天的访谈。"),
            ("受访者", "", "不客气。"),
            ("主持人", "", "您平时多久去一次社区卫生服务中心？"),
            ("受访者", "", "大概每两周一次，主要是量血压和拿药。 医生都很耐心。"),
            ("主持人", "", "排队的时间长吗？"),
            ("受访者", "", "上午人多，下午好一些。"),
        ],
    )
)


# ---------------------------------------------------------------------------------------------
# Word documents (.docx)
# ---------------------------------------------------------------------------------------------


def _runs(document: Document, *runs: tuple[str, bool]) -> None:
    """One paragraph made of (text, bold) runs."""
    paragraph = document.add_paragraph()
    for text, bold in runs:
        paragraph.add_run(text).bold = bold


def _table(document: Document, rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value


def word_labels(document: Document) -> None:
    document.add_paragraph("Healthy Homes project – focus group 3", style="Title")
    document.add_paragraph("Recorded 9 May 2024")
    document.add_paragraph("")
    document.add_paragraph(
        "Facilitator: Thanks for joining. What made you sign up for the home energy check?"
    )
    document.add_paragraph("Grace Obi: My heating bills doubled last winter.")
    document.add_paragraph("I was choosing between heating and eating, honestly.")
    document.add_paragraph("Owen Price: For me it was the damp in the bedroom.")
    document.add_paragraph("Facilitator: Did the visit help?")
    document.add_paragraph("Grace Obi: Yes. They fitted draught excluders the same day.")


add(
    Fixture(
        file="word-labels.docx",
        tool="Microsoft Word (typed)",
        shape="docx",
        encoding="docx",
        source="tests/files/make_docx.py of this project (labels.docx); python-docx paragraphs",
        note="Title-style title, date line and an empty paragraph as front matter; 'Name: text' paragraphs; an unlabelled paragraph continues",
        recipe=word_labels,
        turns=[
            (
                "Facilitator",
                "",
                "Thanks for joining. What made you sign up for the home energy check?",
            ),
            (
                "Grace Obi",
                "",
                "My heating bills doubled last winter. I was choosing between heating and eating, honestly.",
            ),
            ("Owen Price", "", "For me it was the damp in the bedroom."),
            ("Facilitator", "", "Did the visit help?"),
            ("Grace Obi", "", "Yes. They fitted draught excluders the same day."),
        ],
    )
)


def word_bold_names(document: Document) -> None:
    document.add_paragraph("Interview 9 – health visitors")
    document.add_paragraph("Recorded 12 June 2024")
    _runs(document, ("Interviewer:", True), (" How did you become a health visitor?", False))
    _runs(document, ("Kemi Adebayo:", True), (" I trained as a midwife first, then moved across.", False))
    document.add_paragraph("I wanted to follow families for longer than a few weeks.")
    _runs(document, ("Interviewer:", True), (" What's the hardest part of the job?", False))
    _runs(document, ("Kemi Adebayo:", True), (" The caseload. I have over four hundred families.", False))
    _runs(document, ("Some weeks I only see the ", False), ("urgent", True), (" ones.", False))


add(
    Fixture(
        file="word-bold-names.docx",
        tool="Microsoft Word (typed)",
        shape="docx",
        encoding="docx",
        source="tests/files/make_docx.py of this project (bold.docx); python-docx runs",
        note="bold 'Name:' run then a plain run; a bold word in the middle of a continuation paragraph is not a label",
        recipe=word_bold_names,
        turns=[
            ("Interviewer", "", "How did you become a health visitor?"),
            (
                "Kemi Adebayo",
                "",
                "I trained as a midwife first, then moved across. "
                "I wanted to follow families for longer than a few weeks.",
            ),
            ("Interviewer", "", "What's the hardest part of the job?"),
            (
                "Kemi Adebayo",
                "",
                "The caseload. I have over four hundred families. Some weeks I only see the urgent ones.",
            ),
        ],
    )
)


def word_table_speaker_text(document: Document) -> None:
    document.add_paragraph("Focus group 5 transcript")
    _table(
        document,
        [
            ("Speaker", "Text"),
            ("Moderator", "What would make the clinic feel more welcoming?"),
            ("P2", "A proper play corner for kids."),
            ("P2", "And chairs that aren't bolted together."),
            ("P4", "[laughter] Definitely the chairs."),
            ("", "Also, a water fountain."),
            ("Moderator", "Thank you, that's really useful."),
        ],
    )


add(
    Fixture(
        file="word-table-speaker-text.docx",
        tool="Microsoft Word (typed)",
        shape="docx",
        encoding="docx",
        source="tests/files/make_docx.py of this project (table.docx); two-column transcript tables used in NVivo/ATLAS.ti imports",
        note="header row 'Speaker | Text' is not a turn; rows of one speaker merge; a row with an empty speaker cell continues",
        recipe=word_table_speaker_text,
        turns=[
            ("Moderator", "", "What would make the clinic feel more welcoming?"),
            ("P2", "", "A proper play corner for kids. And chairs that aren't bolted together."),
            ("P4", "", "[laughter] Definitely the chairs. Also, a water fountain."),
            ("Moderator", "", "Thank you, that's really useful."),
        ],
    )
)


def word_table_times(document: Document) -> None:
    _table(
        document,
        [
            ("Time", "Speaker", "Text"),
            ("00:00:05", "Moderator", "Who uses the out-of-hours service?"),
            ("00:00:09", "P7", "I have, twice this year."),
            ("", "P7", "Both times for my son's asthma."),
            ("00:00:21", "P9", "I didn't know it existed until tonight."),
            ("00:01:10", "Moderator", "That's something we need to fix."),
        ],
    )


add(
    Fixture(
        file="word-table-time-speaker-text.docx",
        tool="Microsoft Word (typed)",
        shape="docx",
        encoding="docx",
        source="tests/files/make_docx.py of this project (table-times.docx); aTrain/NVivo 'Import Rows' transcript tables",
        note="header row 'Time | Speaker | Text'; a row without a time continues the same speaker",
        recipe=word_table_times,
        turns=[
            ("Moderator", "00:00:05", "Who uses the out-of-hours service?"),
            ("P7", "00:00:09", "I have, twice this year. Both times for my son's asthma."),
            ("P9", "00:00:21", "I didn't know it existed until tonight."),
            ("Moderator", "00:01:10", "That's something we need to fix."),
        ],
    )
)


def otter_docx(document: Document) -> None:
    document.add_paragraph("Peer mentors check-in")
    for name, time, text in [
        (
            "Dana Whitfield",
            "00:13",
            "Right, let's get going. How have the first two weeks of mentoring been?",
        ),
        ("Marcus Oyelaran", "00:27", "Better than I expected. My mentee is really engaged."),
        ("Marcus Oyelaran", "00:35", "We've already met three times."),
        ("Priya Natarajan", "01:02", "Mine keeps cancelling, so I'm not sure what to do."),
        ("Dana Whitfield", "01:10", "That's common at the start. Let's talk about it after the call."),
    ]:
        _runs(document, (f"{name}  ", True), (time, False))
        document.add_paragraph(text)
    document.add_paragraph("Transcribed by https://otter.ai")


add(
    Fixture(
        file="otter-mentors.docx",
        tool="Otter.ai",
        shape="otter-docx",
        encoding="docx",
        source="samanthavp/website py/transcript.py (Otter name/time header); the docx run layout (bold name, plain time) is as in the brief, not seen in a public sample",
        note="each header paragraph is a bold 'Name  ' run and a plain '00:13' run; text in the next paragraph; footer dropped",
        recipe=otter_docx,
        turns=[
            (
                "Dana Whitfield",
                "00:00:13",
                "Right, let's get going. How have the first two weeks of mentoring been?",
            ),
            (
                "Marcus Oyelaran",
                "00:00:27",
                "Better than I expected. My mentee is really engaged. We've already met three times.",
            ),
            ("Priya Natarajan", "00:01:02", "Mine keeps cancelling, so I'm not sure what to do."),
            (
                "Dana Whitfield",
                "00:01:10",
                "That's common at the start. Let's talk about it after the call.",
            ),
        ],
    )
)


def word_transcribe_docx(document: Document) -> None:
    for name, time, text in [
        ("Speaker 1", "0:03", "Hi, thanks for calling back. Is this about the flu clinic?"),
        ("Speaker 2", "0:08", "Yes, I wanted to book my mum in. She's 82."),
        ("Speaker 1", "0:14", "No problem. We have slots on Saturday morning."),
        ("Speaker 2", "0:19", "Saturday is perfect."),
    ]:
        _runs(document, (f"{name}  ", True), (time, False))
        document.add_paragraph(text)


add(
    Fixture(
        file="word-transcribe-flu-clinic.docx",
        tool="Microsoft Word Transcribe",
        shape="otter-docx",
        encoding="docx",
        source="JBCodeBook/JRETranscript README.md (Word's audio transcription document); run layout as in the brief",
        note="bold 'Speaker 1  ' run and a plain '0:03' run per header; text in the next paragraph",
        recipe=word_transcribe_docx,
        turns=[
            ("Speaker 1", "00:00:03", "Hi, thanks for calling back. Is this about the flu clinic?"),
            ("Speaker 2", "00:00:08", "Yes, I wanted to book my mum in. She's 82."),
            ("Speaker 1", "00:00:14", "No problem. We have slots on Saturday morning."),
            ("Speaker 2", "00:00:19", "Saturday is perfect."),
        ],
    )
)


def rev_docx(document: Document) -> None:
    document.add_paragraph("Interviewer (00:00:01):")
    document.add_paragraph("Could you describe how the minor ailments scheme works here?")
    document.add_paragraph("Gareth Lloyd (00:00:07):")
    document.add_paragraph("Patients come to the counter, and we assess them in the consultation room.")
    document.add_paragraph("If it's something we can treat, the medicine is free for them.")
    document.add_paragraph("Interviewer (00:00:18):")
    document.add_paragraph("Which conditions do you see most?")
    document.add_paragraph("Gareth Lloyd (00:00:21):")
    document.add_paragraph(
        "Hay fever in summer, coughs and colds in winter. [inaudible 00:00:26] and head lice, all year round."
    )


add(
    Fixture(
        file="rev-minor-ailments.docx",
        tool="Rev",
        shape="rev",
        encoding="docx",
        source="https://videotext.io/rev-transcription-format; Rev style guide v3 ([inaudible hh:mm:ss])",
        note="'Name (00:00:07):' header paragraph, text in the following paragraphs (two for one turn)",
        recipe=rev_docx,
        turns=[
            ("Interviewer", "00:00:01", "Could you describe how the minor ailments scheme works here?"),
            (
                "Gareth Lloyd",
                "00:00:07",
                "Patients come to the counter, and we assess them in the consultation room. "
                "If it's something we can treat, the medicine is free for them.",
            ),
            ("Interviewer", "00:00:18", "Which conditions do you see most?"),
            (
                "Gareth Lloyd",
                "00:00:21",
                "Hay fever in summer, coughs and colds in winter. [inaudible 00:00:26] and head lice, all year round.",
            ),
        ],
    )
)


def trint_docx(document: Document) -> None:
    for name, time, text in [
        ("Tom Hughes", "[00:00:00]", "Thanks for making time. Let's start with the new school drop-in."),
        ("Yasmin Ali", "[00:00:05]", "It runs every Tuesday lunchtime in the library."),
        ("Tom Hughes", "[00:00:11]", "Do students come on their own?"),
        ("Yasmin Ali", "[00:00:14]", "Mostly in pairs. It feels less scary with a friend."),
    ]:
        document.add_paragraph(f"{name}  {time}")
        document.add_paragraph(text)


add(
    Fixture(
        file="trint-school-drop-in.docx",
        tool="Trint",
        shape="rev",  # radar names every bracketed-time header shape after Rev
        encoding="docx",
        source="no public Trint sample found; 'Speaker Name  [00:00:12]' header paragraph as in the brief",
        note="plain header paragraph 'Name  [00:00:05]', text in the next paragraph",
        recipe=trint_docx,
        turns=[
            ("Tom Hughes", "00:00:00", "Thanks for making time. Let's start with the new school drop-in."),
            ("Yasmin Ali", "00:00:05", "It runs every Tuesday lunchtime in the library."),
            ("Tom Hughes", "00:00:11", "Do students come on their own?"),
            ("Yasmin Ali", "00:00:14", "Mostly in pairs. It feels less scary with a friend."),
        ],
    )
)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

FIXED_TIME = datetime.datetime(2024, 1, 1, 0, 0, 0, tzinfo=datetime.UTC)


def encode(fixture: Fixture) -> bytes:
    assert fixture.text is not None
    text = fixture.text.replace("\n", fixture.newline)
    if fixture.encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(fixture.encoding)


def docx_bytes(recipe: Callable[[Document], None]) -> bytes:
    """Build a Word file and normalise its zip so that reruns write the same bytes."""
    document = docx.Document()
    properties = document.core_properties
    properties.author = "radar test fixtures"
    properties.last_modified_by = "radar test fixtures"
    properties.created = FIXED_TIME
    properties.modified = FIXED_TIME
    properties.revision = 1
    recipe(document)
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def speakers(turns: Sequence[Turn]) -> str:
    seen: list[str] = []
    for speaker, _, _ in turns:
        if speaker not in seen:
            seen.append(speaker)
    return "|".join(seen)


def main() -> None:
    names = [fixture.file for fixture in FIXTURES]
    assert len(names) == len(set(names)), "duplicate fixture names"
    for fixture in FIXTURES:
        data = docx_bytes(fixture.recipe) if fixture.recipe else encode(fixture)
        (HERE / fixture.file).write_bytes(data)

    with (HERE / "expected-files.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["file", "tool", "shape", "encoding", "turns", "speakers", "source", "note"])
        for fixture in FIXTURES:
            writer.writerow(
                [
                    fixture.file,
                    fixture.tool,
                    fixture.shape,
                    fixture.encoding,
                    len(fixture.turns),
                    speakers(fixture.turns),
                    fixture.source,
                    fixture.note,
                ]
            )

    with (HERE / "expected-turns.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["file", "turn", "speaker", "start", "text"])
        for fixture in FIXTURES:
            for number, (speaker, start, text) in enumerate(fixture.turns, start=1):
                writer.writerow([fixture.file, number, speaker, start, text])

    print(f"wrote {len(FIXTURES)} fixtures and their expected readings to {HERE}")


if __name__ == "__main__":
    main()
