"""Write the PDF, RTF and OpenDocument transcripts under tests/files/documents (outputs are committed).

The documents are made the way researchers receive them: a Word transcript
written with python-docx and converted by LibreOffice to ``.odt``, ``.pdf`` and
``.rtf`` (as Word and LibreOffice write RTF), a TextEdit RTF written by hand in
the shape macOS TextEdit saves, a scanned PDF (a picture of a page, no text
layer), encrypted PDFs and OpenDocument files whose ``content.xml`` declares
entities (the attacks a reader must refuse).

Usage (needs LibreOffice, ``apt-get install libreoffice-writer``, and for the
AES-encrypted PDF the cryptography package, ``pip install cryptography``)::

    python tests/files/documents/make_documents.py

The expected paragraphs in tests/test_documents.py are written out by hand from
the text below, not from what the readers return.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.shared import Pt

HERE = Path(__file__).parent

LONG = (
    "Let\u2019s start with the clinic on Harbour Street. When you think about the last time you "
    "or someone in your family needed to see a doctor there, what happened from the moment you "
    "decided to go until the moment you got home again, and was there anything about the waiting "
    "room, the receptionists or the opening hours that made it easier or harder than you expected?"
)
SECOND_LONG = (
    "The bus is the real problem for me. Route twelve only runs every forty minutes after six, so "
    "if the appointment overruns you either leave early or you wait in the dark at the stop, and "
    "my daughter worries about that more than I do, to be honest."
)


def transcript() -> bytes:
    """A two-page Word transcript: a title, a date, labelled paragraphs, a list and a table."""
    document = docx.Document()
    document.styles["Normal"].font.name = "Liberation Serif"
    document.styles["Normal"].font.size = Pt(12)
    document.sections[0].footer.paragraphs[0].text = "Riverside Health Focus Group \u2013 confidential"
    document.add_paragraph("Riverside Health Focus Group 3", style="Title")
    document.add_paragraph("Date: 14 March 2024")
    _labelled(document, "Facilitator:", " Welcome, everyone. Thank you for coming.")
    _labelled(
        document, "Maria Lopez:", " Thanks for having me. I\u2019ve lived in Riverside for twelve years."
    )
    _labelled(document, "Facilitator:", " " + LONG)
    paragraph = _labelled(document, "Maria Lopez:", " It was  really  busy, the caf\u00e9 was full")
    paragraph.add_run().add_break()  # a soft line break inside the paragraph
    paragraph.add_run("than the waiting room.")
    paragraph.add_run(" [inaudible]").italic = True
    document.add_paragraph("Evening opening hours", style="List Bullet")
    document.add_paragraph("A nurse who speaks Spanish", style="List Bullet")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _labelled(document, "Facilitator:", "\tWhat about getting there?")
    _labelled(document, "Maria Lopez:", " " + SECOND_LONG)
    table = document.add_table(rows=2, cols=2)
    for row, (speaker, text) in zip(
        table.rows, [("Facilitator", "Anything else?"), ("Maria Lopez", "No, that\u2019s all.")]
    ):
        row.cells[0].text = speaker
        row.cells[1].text = text
    document.add_paragraph("End of transcript")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _labelled(document: docx.document.Document, label: str, text: str) -> docx.text.paragraph.Paragraph:
    paragraph = document.add_paragraph()
    paragraph.add_run(label).bold = True
    paragraph.add_run(text)
    return paragraph


def convert(data: bytes, suffix: str) -> bytes:
    """The Word file converted by LibreOffice to ``suffix`` (odt, pdf or rtf)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "transcript.docx"
        source.write_bytes(data)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", suffix, "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
        )
        return source.with_suffix(f".{suffix}").read_bytes()


# A short interview saved by macOS TextEdit: \'92 is cp1252's right single quote,
# \uc0\u8217 the same character as TextEdit writes it outside the code page, and
# each line ends with a backslash (TextEdit's paragraph break).
TEXTEDIT = r"""{\rtf1\ansi\ansicpg1252\cocoartf2761
\cocoatextscaling0\cocoaplatform0{\fonttbl\f0\fswiss\fcharset0 Helvetica;\f1\fswiss\fcharset0 Helvetica-Bold;}
{\colortbl;\red255\green255\blue255;\red0\green0\blue0;}
{\*\expandedcolortbl;;\cssrgb\c0\c0\c0;}
\paperw11900\paperh16840\margl1440\margr1440\vieww11520\viewh8400\viewkind0
\pard\tx720\tx1440\tx2160\tx2880\tx3600\tx4320\tx5040\tx5760\tx6480\tx7200\tx7920\tx8640\pardirnatural\partightenfactor0

\f1\b\fs24 \cf0 Interview 4 \'96 Jos\'e9 Garc\'eda
\f0\b0 \
Recorded 2 April 2024\
\

\f1\b Interviewer:
\f0\b0  How did you hear about the programme?\
\

\f1\b Jos\'e9 Garc\'eda:
\f0\b0  My neighbour\'92s son told me. He said it\uc0\u8217 s free \uc0\u8212  and it is.\
\
Interviewer:\tab And the first visit?\
Jos\'e9 Garc\'eda: Easy. The nurse said \uc0\u8220 come back in May\uc0\u8221 .}"""


# An interview as Word 2016 saves it as RTF, cut down by hand to what matters:
# Word's tables of fonts, styles, lists and revisions, document information, a
# header with a PAGE field, a footnote, a Cyrillic font (\fcharset204) and a
# Japanese one (\fcharset128, double-byte), a \u escape with its \'3f fallback,
# an emoji as a surrogate pair, a deleted tracked change, a hyperlink field, a
# Symbol-font bullet, a two-paragraph table cell and a picture.
WORD_RTF = r"""{\rtf1\adeflang1025\ansi\ansicpg1252\uc1\adeff0\deff0\stshfdbch31505\stshfloch31506\stshfhich31506\stshfbi0\deflang2057\deflangfe2057\themelang2057\themelangfe0\themelangcs0{\fonttbl{\f0\fbidi \froman\fcharset0\fprq2{\*\panose 02020603050405020304}Times New Roman;}{\f3\fbidi \froman\fcharset2\fprq2{\*\panose 05050102010706020507}Symbol;}
{\f43\fbidi \fswiss\fcharset204\fprq2 Calibri Cyr;}{\f50\fbidi \fnil\fcharset128\fprq2{\*\panose 020b0609070205080204}MS Gothic{\*\falt \'82\'6c\'82\'72 \'83\'53\'83\'56\'83\'62\'83\'4e};}
{\fhimajor\f31502\fbidi \fswiss\fcharset0\fprq2{\*\panose 020f0302020204030204}Calibri Light;}}{\colortbl;\red0\green0\blue0;\red0\green0\blue255;}{\*\defchp \fs22\lang2057\langfe1033\langfenp1033 }{\*\defpap \ql \li0\ri0\sa160\sl259\slmult1\widctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0 }\noqfpromote {\stylesheet{\ql \li0\ri0\sa160\sl259\slmult1\widctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0 \rtlch\fcs1 \af0\afs22\alang1025 \ltrch\fcs0 \fs22\lang2057\langfe1033\cgrid\langnp2057\langfenp1033 \snext0 \sqformat \spriority0 Normal;}{\*\cs10 \additive \ssemihidden \sunhideused \spriority1 Default Paragraph Font;}{\s15\ql \li0\ri0\widctlpar\tqc\tx4513\tqr\tx9026\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0 \rtlch\fcs1 \af0\afs22\alang1025 \ltrch\fcs0 \fs22\lang2057\langfe1033\cgrid\langnp2057\langfenp1033 \sbasedon0 \snext15 \slink16 \sunhideused header;}}
{\*\listtable{\list\listtemplateid-1\listhybrid{\listlevel\levelnfc23\levelnfcn23\leveljc0\leveljcn0\levelfollow0\levelstartat1\levelspace0\levelindent0{\leveltext\leveltemplateid134807553\'01\u-3913 ?;}{\levelnumbers;}\f3\fbias0 \fi-360\li720\lin720 }{\listname ;}\listid1}}{\*\listoverridetable{\listoverride\listid1\listoverridecount0\ls1}}{\*\rsidtbl \rsid1001\rsid2002}{\mmathPr\mmathFont34\mbrkBin0\mbrkBinSub0\msmallFrac0\mdispDef1\mlMargin0\mrMargin0\mdefJc1\mwrapIndent1440\mintLim0\mnaryLim1}{\info{\title Riverside interview 5}{\author Research Office}{\operator Research Office}{\creatim\yr2024\mo3\dy21\hr10\min2}{\version2}{\edmins3}{\nofpages1}{\nofwords120}{\*\company University}{\vern115}}{\*\xmlnstbl {\xmlns1 http://schemas.microsoft.com/office/word/2003/wordml}}
\paperw11906\paperh16838\margl1440\margr1440\margt1440\margb1440\gutter0\ltrsect \widowctrl\ftnbj\aenddoc\trackmoves0\trackformatting1\donotembedsysfont1\relyonvml0\donotembedlingdata0\grfdocevents0\validatexml1\showplaceholdtext0\ignoremixedcontent0\saveinvalidxml0\showxmlerrors1\noxlattoyen\expshrtn\noultrlspc\dntblnsbdb\nospaceforul\formshade\horzdoc\dgmargin\dghspace180\dgvspace180\dghorigin1440\dgvorigin1440\dghshow1\dgvshow1\jexpand\viewkind1\viewscale100\pgbrdrhead\pgbrdrfoot\splytwnine\ftnlytwnine\htmautsp\nolnhtadjtbl\useltbeforead\lytcalctblwd\lyttblrtgr\lnbrkrule\nobrkwrptbl\snaptogridincell\allowfieldendsel\wrppunct\asianbrkrule\rsidroot1001\newtblstyruls\nogrowautofit\usenormstyforlist\noindnmbrts\felnbrelev\nocxsptable\indrlsweleven\noafcnsttbl\afelev\utinl\hwelev\spltpgpar\notcvasp\notbrkcnstfrctbl\notvatxbx\krnprsnet\cachedcolbal \nouicompat \fet0{\*\wgrffmtfilter 2450}\nofeaturethrottle1\ilfomacatclnup0{\*\ftnsep \ltrpar \pard\plain \ltrpar\ql \li0\ri0\widctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0 \rtlch\fcs1 \af0\afs22\alang1025 \ltrch\fcs0 \fs22\lang2057\langfe1033\cgrid\langnp2057\langfenp1033 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001 \chftnsep
\par }}\ltrpar \sectd \ltrsect\linex0\headery708\footery708\colsx708\endnhere\sectlinegrid360\sectdefaultcl\sftnbj {\headerr \ltrpar \pard\plain \ltrpar\s15\ql \li0\ri0\widctlpar\tqc\tx4513\tqr\tx9026\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0 \rtlch\fcs1 \af0\afs22\alang1025 \ltrch\fcs0 \fs22\lang2057\langfe1033\cgrid\langnp2057\langfenp1033 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001 Confidential draft \endash  page }{\field{\*\fldinst {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001  PAGE   \\* MERGEFORMAT }}{\fldrslt {\rtlch\fcs1 \af0 \ltrch\fcs0 \lang1024\langfe1024\noproof\insrsid1001 1}}}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001
\par }}{\*\pnseclvl1\pnucrm\pnstart1\pnindent720\pnhang {\pntxta .}}
\pard\plain \ltrpar\ql \li0\ri0\sa160\sl259\slmult1\widctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0\pararsid1001 \rtlch\fcs1 \af0\afs22\alang1025 \ltrch\fcs0 \fs22\lang2057\langfe1033\cgrid\langnp2057\langfenp1033 {\rtlch\fcs1 \ab\af0 \ltrch\fcs0 \b\insrsid1001 Interview 5 \endash  Riverside Health}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001
\par Interviewer: Thank you for meeting me. Could you tell me about the caf\'e9 meetings?
\par }{\rtlch\fcs1 \ab\af0 \ltrch\fcs0 \b\insrsid1001 Olena Kovalenko:}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001  We meet on Thursdays. In Ukrainian we call it }{\rtlch\fcs1 \af43 \ltrch\fcs0 \f43\insrsid1001 \'e7\'f3\'f1\'f2\'f0\'b3\'f7}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001 , a meeting}{\rtlch\fcs1 \af0 \ltrch\fcs0 \cs16\super\insrsid1001 \chftn {\footnote \ltrpar \pard\plain \ltrpar\s17\ql \li0\ri0\widctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0 \rtlch\fcs1 \af0\afs20\alang1025 \ltrch\fcs0 \fs20\lang2057\langfe1033\cgrid\langnp2057\langfenp1033 {\rtlch\fcs1 \af0 \ltrch\fcs0 \cs16\super\insrsid1001 \chftn }{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001  Interviewer\rquote s note: the group started in 2022.}}}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001 . My friend Yui says }{\rtlch\fcs1 \af50 \ltrch\fcs0 \f50\insrsid1001 \'82\'b1\'82\'f1\'82\'c9\'82\'bf\'82\'cd}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001  to everyone \u-10179\'3f\u-8704\'3f.
\par Interviewer: That sounds }{\rtlch\fcs1 \af0 \ltrch\fcs0 \deleted\insrsid2002\crauth1\crdate-1 very }{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001 lovely. Where did you find out about it?
\par }{\rtlch\fcs1 \ab\af0 \ltrch\fcs0 \b\insrsid1001 Olena Kovalenko:}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001  On }{\field{\*\fldinst {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001  HYPERLINK "https://example.org/riverside" }}{\fldrslt {\rtlch\fcs1 \af0 \ltrch\fcs0 \cs17\ul\cf2\insrsid1001 the Riverside page}}}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001 . They list two things:
\par }\pard \ltrpar\ql \fi-360\li720\ri0\sa160\sl259\slmult1\widctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin720\itap0\pararsid1001 {\listtext\pard\plain\ltrpar \rtlch\fcs1 \af0\afs22 \ltrch\fcs0 \f3\fs22\insrsid1001 \loch\af3\dbch\af0\hich\f3 \'b7\tab}\ls1\ilvl0 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001 English lessons
\par }{\listtext\pard\plain\ltrpar \rtlch\fcs1 \af0\afs22 \ltrch\fcs0 \f3\fs22\insrsid1001 \loch\af3\dbch\af0\hich\f3 \'b7\tab}{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001 A lunch club
\par }\pard \ltrpar\ql \li0\ri0\sa160\sl259\slmult1\widctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0\pararsid1001 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001 {\*\shppict{\pict{\*\picprop\shplid1025{\sp{\sn shapeType}{\sv 75}}}\picscalex100\picscaley100\piccropl0\piccropr0\piccropt0\piccropb0\picw100\pich100\picwgoal60\pichgoal60\pngblip\bliptag1{\*\blipuid 0123456789abcdef0123456789abcdef}89504e470d0a1a0a0000000d4948445200000001000000010806000000}}{\nonshppict{\pict\picscalex100\picscaley100\picw100\pich100\wmetafile8\bliptag1 010009000003}}
\par }\trowd \irow0\irowband0\lastrow \ltrrow\ts11\trgaph108\trleft-108\trftsWidth1\trftsWidthB3\trftsWidthA3\trpaddl108\trpaddr108\trpaddfl3\trpaddft3\trpaddfb3\trpaddfr3\tblrsid1001\tbllkhdrrows\tbllklastrow\tbllkhdrcols\tbllklastcol\tblind0\tblindtype3 \clvertalt\clbrdrt\brdrs\brdrw10 \clbrdrl\brdrs\brdrw10 \clbrdrb\brdrs\brdrw10 \clbrdrr\brdrs\brdrw10 \cltxlrtb\clftsWidth3\clwWidth4508\clshdrawnil \cellx4400\clvertalt\clbrdrt\brdrs\brdrw10 \clbrdrl\brdrs\brdrw10 \clbrdrb\brdrs\brdrw10 \clbrdrr\brdrs\brdrw10 \cltxlrtb\clftsWidth3\clwWidth4508\clshdrawnil \cellx8908\pard\plain \ltrpar\ql \li0\ri0\widctlpar\intbl\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\pararsid1001\yts11 \rtlch\fcs1 \af0\afs22\alang1025 \ltrch\fcs0 \fs22\lang2057\langfe1033\cgrid\langnp2057\langfenp1033 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001 Olena Kovalenko\cell I came for the English lessons.
\par And stayed for the people.\cell }\pard\plain \ltrpar\ql \li0\ri0\sa160\sl259\slmult1\widctlpar\intbl\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0 \rtlch\fcs1 \af0\afs22\alang1025 \ltrch\fcs0 \fs22\lang2057\langfe1033\cgrid\langnp2057\langfenp1033 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001 \trowd \irow0\irowband0\lastrow \ltrrow\ts11\trgaph108\trleft-108 \cellx4400\cellx8908\row }\pard \ltrpar\ql \li0\ri0\sa160\sl259\slmult1\widctlpar\wrapdefault\aspalpha\aspnum\faauto\adjustright\rin0\lin0\itap0\pararsid1001 {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1001
\par Interviewer: Thank you, Olena.
\par }{\*\themedata 504b030414000600080000002100e9de0fbfff0000001c020000130000005b436f6e74656e745f54797065735d2e786d6cac91cb4ec3301045f748fc83e52d4a}{\*\colorschememapping 3c3f786d6c2076657273696f6e3d22312e302220656e636f64696e673d225554462d3822207374616e64616c6f6e653d22796573223f3e}{\*\latentstyles\lsdstimax376\lsdlockeddef0\lsdsemihiddendef0\lsdunhideuseddef0\lsdqformatdef0\lsdprioritydef99{\lsdlockedexcept \lsdqformat1 \lsdpriority0 \lsdlocked0 Normal;}}{\*\datastore 01050000020000001800000}}"""


def scanned() -> bytes:
    """A page as a scanner writes it: one picture of text, no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("1", (850, 1100), 1)
    draw = ImageDraw.Draw(image)
    for line in range(12):
        draw.text((80, 80 + 40 * line), f"Facilitator: line {line} of a scanned transcript", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=100)
    return buffer.getvalue()


def encrypted(pdf: bytes, user_password: str, algorithm: str = "RC4-128") -> bytes:
    """The PDF encrypted (readable without a password when ``user_password`` is empty; AES needs cryptography)."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


EXTERNAL_ENTITY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE office:document-content [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">
<office:body><office:text><text:p>Facilitator: &secret;</text:p></office:text></office:body>
</office:document-content>
"""

BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE office:document-content [\n'
    '<!ENTITY lol0 "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    + "]>\n"
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
    "<office:body><office:text><text:p>&lol9;</text:p></office:text></office:body>"
    "</office:document-content>\n"
)


_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink"'
)
# Each part of OpenDocument text a transcript may hold, written by hand.
FEATURES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {_NAMESPACES} office:version="1.3"><office:body><office:text>
<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info>
<dc:creator>Editor</dc:creator><dc:date>2024-03-22T10:00:00</dc:date></office:change-info>
<text:p>words deleted by the editor</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>
<text:h text:outline-level="1">Interview 6 \u2013 Riverside</text:h>
<text:section text:name="Details"><text:p>Date:<text:tab/>22 March 2024</text:p></text:section>
<text:p><text:span text:style-name="Bold">Interviewer:</text:span> So you said<text:s text:c="3"/>the clinic<text:change text:change-id="ct1"/> opens late?<office:annotation><dc:creator>Analyst</dc:creator><text:p>check the opening hours</text:p></office:annotation></text:p>
<text:p><text:span text:style-name="Bold">Amal Haddad:</text:span> Yes. See <text:a xlink:href="https://example.org">the leaflet</text:a><text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>The leaflet is dated 2023.</text:p></text:note-body></text:note>, it says<text:line-break/>nine to five.<text:soft-page-break/></text:p>
<text:list><text:list-item><text:p>Monday</text:p><text:list><text:list-item><text:p>morning only</text:p></text:list-item></text:list></text:list-item><text:list-item><text:h>Friday</text:h></text:list-item></text:list>
<text:p>Interviewer: Here is the photo.<draw:frame draw:name="Frame1"><draw:text-box><text:p>Caption: the waiting room</text:p></draw:text-box></draw:frame></text:p>
<table:table table:name="Speakers"><table:table-column/><table:table-column/>
<table:table-header-rows><table:table-row><table:table-cell><text:p>Speaker</text:p></table:table-cell><table:table-cell><text:p>Text</text:p></table:table-cell></table:table-row></table:table-header-rows>
<table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Amal Haddad</text:p><text:p>(joined late)</text:p></table:table-cell><table:covered-table-cell/></table:table-row>
<table:table-row><table:table-cell><text:p>Interviewer</text:p></table:table-cell><table:table-cell><text:p>Thank<text:s/> you<text:s text:c="2"/>all.</text:p></table:table-cell></table:table-row>
</table:table>
<text:p><text:ruby><text:ruby-base>\u6771\u4eac</text:ruby-base><text:ruby-text>\u3068\u3046\u304d\u3087\u3046</text:ruby-text></text:ruby> is where she studied.</text:p>
<text:table-of-content text:name="Contents"><text:table-of-content-source><text:index-title-template>Contents</text:index-title-template></text:table-of-content-source>
<text:index-body><text:p>Interview 6 \u2013 Riverside<text:tab/>1</text:p></text:index-body></text:table-of-content>
</office:text></office:body></office:document-content>
"""
_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"{encryption}
</manifest:manifest>
"""
_ENCRYPTION = """ manifest:size="2048">
  <manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">
   <manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>
   <manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAA"/>
  </manifest:encryption-data>
 </manifest:file-entry>"""


def package(content: bytes, *, encrypted: bool = False) -> bytes:
    """An OpenDocument text package around ``content`` (the mimetype first and stored, as the standard asks)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        manifest = _MANIFEST.format(encryption=_ENCRYPTION if encrypted else "/>")
        target.writestr("META-INF/manifest.xml", manifest)
        target.writestr("content.xml", content)
    return buffer.getvalue()


def odt_with_content(odt: bytes, content: str) -> bytes:
    """The OpenDocument file with its content.xml replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(odt)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = content.encode() if info.filename == "content.xml" else source.read(info)
            target.writestr(info, data)
    return buffer.getvalue()


def main() -> None:
    word = transcript()
    (HERE / "transcript.docx").write_bytes(word)
    odt = convert(word, "odt")
    pdf = convert(word, "pdf")
    (HERE / "transcript.odt").write_bytes(odt)
    (HERE / "transcript.pdf").write_bytes(pdf)
    (HERE / "transcript.rtf").write_bytes(convert(word, "rtf"))
    (HERE / "textedit.rtf").write_bytes(TEXTEDIT.encode("ascii"))
    (HERE / "word.rtf").write_bytes(WORD_RTF.encode("ascii"))
    (HERE / "features.odt").write_bytes(package(FEATURES.encode()))
    (HERE / "password.odt").write_bytes(package(bytes(range(256)) * 8, encrypted=True))
    (HERE / "scanned.pdf").write_bytes(scanned())
    (HERE / "encrypted.pdf").write_bytes(encrypted(pdf, "interview"))
    (HERE / "owner-only.pdf").write_bytes(encrypted(pdf, ""))
    (HERE / "aes-owner-only.pdf").write_bytes(encrypted(pdf, "", "AES-256"))
    (HERE / "external-entity.odt").write_bytes(odt_with_content(odt, EXTERNAL_ENTITY))
    (HERE / "billion-laughs.odt").write_bytes(odt_with_content(odt, BILLION_LAUGHS))


if __name__ == "__main__":
    main()
