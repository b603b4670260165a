#!/usr/bin/env python3
"""Turn a few generated transcripts into the other formats real studies arrive in, so that
`qualkit run` on the sample study exercises them. Run after the generators (and after
tools/check.py, which reads the generated .txt files):

    python3 tools/gen_students.py && python3 tools/gen_staff_groups.py && python3 tools/check.py
    python3 tools/convert_formats.py

- interviews/students/S05_post.txt -> S05_post.vtt   (Microsoft Teams style: <v Speaker> cues)
- interviews/students/S06_post.txt -> S06_post.docx  (Word: one paragraph per line)
- interviews/students/S07_pre.txt  -> Windows-1252 (same name; the em dash and quotes in cp1252)
- questionnaires/staff_post.csv    -> Qualtrics layout (question-text and ImportId rows)

Deterministic: fixed timestamps, fixed zip dates. Standard library only.
"""
import csv
import io
import json
import os
import re
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STUDENTS = os.path.join(ROOT, "interviews", "students")
TURN = re.compile(r"^(?:\[\d\d:\d\d:\d\d\] )?([A-Za-z][A-Za-z0-9]*): (.*)$")


def body_lines(path):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    if lines and lines[0] == "---":
        end = lines.index("---", 1)
        lines = lines[end + 1:]
    return lines


def to_vtt(name):
    source = os.path.join(STUDENTS, name + ".txt")
    turns = []
    for line in body_lines(source):
        match = TURN.match(line)
        if match:
            turns.append([match.group(1), match.group(2)])
        elif line.strip() and turns:
            turns[-1][1] += " " + line.strip()
    out = ["WEBVTT", "", "NOTE Microsoft Teams transcript, converted from the generated text by tools/convert_formats.py", ""]
    seconds = 2
    for index, (speaker, text) in enumerate(turns):
        length = max(2, len(text.split()) // 3)
        start, end = seconds, seconds + length
        stamp = lambda s: "%02d:%02d:%02d.000" % (s // 3600, s % 3600 // 60, s % 60)
        out += [f"{index + 1}", f"{stamp(start)} --> {stamp(end)}", f"<v {speaker}>{text}</v>", ""]
        seconds = end + 1
    open(os.path.join(STUDENTS, name + ".vtt"), "w", encoding="utf-8", newline="\n").write("\n".join(out))
    os.remove(source)


def to_docx(name):
    source = os.path.join(STUDENTS, name + ".txt")
    lines = open(source, encoding="utf-8").read().rstrip("\n").split("\n")
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    paragraphs = "".join(f'<w:p><w:r><w:t xml:space="preserve">{esc(l)}</w:t></w:r></w:p>' for l in lines)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:body>{paragraphs}</w:body></w:document>')
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(os.path.join(STUDENTS, name + ".docx"), "w", zipfile.ZIP_DEFLATED) as z:
        for part, content in (("[Content_Types].xml", types), ("_rels/.rels", rels), ("word/document.xml", document)):
            info = zipfile.ZipInfo(part, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content)
    os.remove(source)


def to_windows_1252(name):
    path = os.path.join(STUDENTS, name + ".txt")
    text = open(path, encoding="utf-8").read()
    open(path, "wb").write(text.encode("cp1252"))


def to_qualtrics(name):
    path = os.path.join(ROOT, "questionnaires", name)
    rows = list(csv.reader(open(path, encoding="utf-8", newline="")))
    header, data = rows[0], rows[1:]
    questions = [h.replace("_", " ").capitalize() for h in header]
    import_ids = [json.dumps({"ImportId": "QID%d" % (i + 1)}) for i in range(len(header))]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow(questions)
    writer.writerow(import_ids)
    writer.writerows(data)
    open(path, "w", encoding="utf-8", newline="").write(out.getvalue())


if __name__ == "__main__":
    to_vtt("S05_post")
    to_docx("S06_post")
    to_windows_1252("S07_pre")
    to_qualtrics("staff_post.csv")
