"""Writes the small files of the hostile corpus (tests/hostile/*): ``python -m tests.hostile.make``.

Big files (bombs, a million rows, a 1 MB cell, 300 sheets) are generated inside tests/test_hostile.py instead of
being committed; the workbook builders here are shared with it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
       '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')


def _put(z: zipfile.ZipFile, name: str, text: str) -> None:
    """A member with a fixed date, so the same content makes the same bytes."""
    z.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), text, compress_type=zipfile.ZIP_DEFLATED)


def xlsx(sheets: dict[str, str]) -> bytes:
    """A minimal XLSX: {sheet name: the <sheetData> rows as XML}."""
    names = list(sheets)
    book = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets>'
            + "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))
            + "</sheets></workbook>")
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                      f'relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(names)))
            + "</Relationships>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        _put(z, "[Content_Types].xml", _CT)
        _put(z, "_rels/.rels", _RELS)
        _put(z, "xl/workbook.xml", book)
        _put(z, "xl/_rels/workbook.xml.rels", rels)
        for i, n in enumerate(names):
            _put(z, f"xl/worksheets/sheet{i + 1}.xml",
                       '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                       f'spreadsheetml/2006/main"><sheetData>{sheets[n]}</sheetData></worksheet>')
    return buf.getvalue()


def s(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def n(ref: str, value: object) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


HEADER = '<row r="1">' + s("A1", "handle") + s("B1", "platform") + s("C1", "followers") + "</row>"
ROW2 = '<row r="2">' + s("A2", "alpha") + s("B2", "instagram") + n("C2", 12500) + "</row>"


def ods(body: str, name: str = "Sheet1") -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{name}">{body}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
                ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype", date_time=(2025, 1, 1, 0, 0, 0)),
                   "application/vnd.oasis.opendocument.spreadsheet")
        _put(z, "META-INF/manifest.xml", manifest)
        _put(z, "content.xml", content)
    return buf.getvalue()


def oc(text: object) -> str:
    if isinstance(text, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{text}"><text:p>{text}</text:p>'
                "</table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


ODS_HEAD = ("<table:table-row>" + oc("handle") + oc("platform") + oc("followers")
            + '<table:table-cell table:number-columns-repeated="1021"/></table:table-row>'
            + "<table:table-row>" + oc("alpha") + oc("vk") + oc(12500)
            + '<table:table-cell table:number-columns-repeated="1021"/></table:table-row>')

GOOD = "handle,platform,followers,name\nalpha,instagram,12500,Alpha\n"


def small_files() -> dict[str, bytes]:
    zip_buf = io.BytesIO()
    with zipfile.ZipFile(zip_buf, "w") as z:
        _put(z, "notes.txt", "not a spreadsheet")
    return {
        "binary.bin": bytes(range(256)) * 8,
        "image.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "document.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n",
        "archive.zip": zip_buf.getvalue(),
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "empty.csv": b"",
        "bom_only.csv": b"\xef\xbb\xbf",
        "utf16.csv": GOOD.encode("utf-16"),
        "nul_bytes.csv": b"handle,platform,followers\nal\x00pha,instagram,12500\n",
        "huge_numbers.csv": (b"handle,platform,followers,price_post,price_story,engagement_rate,credibility\n"
                             b"big,instagram,1e19,100,1e308,NaN%,inf\n"
                             b"fine,instagram,12500,1e308,-inf,inf,NaN\n"
                             b"neg,instagram,-5,-100,0,-3%,150%\n"),
        "rtl_zero_width.csv": ("handle,platform,followers,name\n"
                               "evil\u202egpj.exe,instagram,12500,An\u200bna\n"
                               "\u200b\u200b,instagram,100,zero width only\n").encode(),
        "over_long.csv": ("handle,platform,followers,name,city\n"
                          f"{'h' * 500},instagram,12500,x,y\n"
                          f"ok_handle,instagram,12500,{'N' * 5000},{'C' * 1000}\n").encode(),
        "formulas.csv": (b'handle,platform,followers,name,contact\n'
                         b'alpha,instagram,12500,=1+1,"=HYPERLINK(""http://evil"",""x"")"\n'
                         b"beta,instagram,100,+cmd|' /C calc'!A0,@SUM(1+1)\n"),
        "markdown_html.csv": (b"handle,platform,followers,name,city\n"
                              b"alpha,instagram,12500,[click](http://evil),![x](http://evil/img.png)\n"
                              b"beta,instagram,100,<script>alert(1)</script>,<img src=x onerror=alert(1)>\n"
                              b"gamma,instagram,100,**bold** _it_ `code`,:red[alarm]\n"),
        "unclosed_quote.csv": (b'handle,platform,followers,name\nalpha,instagram,12500,"Alpha\n'
                               b"beta,instagram,100,Beta\n"),
        "far_cell.xlsx": xlsx({"Sheet1": HEADER + ROW2 + '<row r="1048576">' + n("XFD1048576", 1) + "</row>"}),
        "far_column.xlsx": xlsx({"Sheet1": HEADER + ROW2 + '<row r="3">' + n("XFD3", 1) + "</row>"}),
        "damaged_cell.xlsx": xlsx({"Sheet1": HEADER + '<row r="2">' + s("A2", "alpha") + s("B2", "vk")
                                   + '<c r="C2" t="b"><v>7</v></c></row>'}),
        "malformed_ref.xlsx": xlsx({"Sheet1": HEADER + '<row r="2"><c r="2B"><v>1</v></c></row>'}),
        "missing_shared_string.xlsx": xlsx({"Sheet1": HEADER + '<row r="2"><c r="A2" t="s"><v>99</v></c></row>'}),
        "ods_repeated_rows.ods": ods(ODS_HEAD + '<table:table-row table:number-rows-repeated="1048574">'
                                    + oc("x") + oc("vk") + oc(5) + "</table:table-row>"),
        "ods_repeated_columns.ods": ods(ODS_HEAD + "<table:table-row>" + oc("y") + oc("vk")
                                       + '<table:table-cell office:value-type="float" office:value="7" '
                                         'table:number-columns-repeated="16384"><text:p>7</text:p>'
                                         "</table:table-cell></table:table-row>"),
        "ods_libreoffice_trailing.ods": ods(ODS_HEAD + '<table:table-row table:number-rows-repeated="1048574">'
                                           '<table:table-cell table:number-columns-repeated="1024"/>'
                                           "</table:table-row>"),
    }


if __name__ == "__main__":
    for name, data in small_files().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")
