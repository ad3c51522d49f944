"""Which PDF library renders receipts: time per receipt, file size, and whether every script survives.

Each candidate draws the same receipt (a header, four line items, a total) with the fonts the receipt
service ships, and pypdf reads the text back. Libraries that are not installed are skipped; the
comparison in docs/decisions.md (D12-1) was made with `uv pip install fpdf2 uharfbuzz reportlab weasyprint`.

    .venv/bin/python bench/receipt_pdf.py [N]
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from pypdf import PdfReader

FONTS = Path(str(files("reservo.services.receipt") / "fonts"))
NAMES = ["Zoë Ångström", "Łódź", "東京", "مرحبا"]
LINES = [(f"Jazz night — {name}", "31.12.2026 20:00", 2, "25,00 €") for name in NAMES]


def with_fpdf2() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("Sans", fname=str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("Sans", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_font("Fallback", fname=str(FONTS / "DroidSansFallbackFull.ttf"))
    pdf.set_fallback_fonts(["Fallback"])
    pdf.set_text_shaping(True)
    pdf.add_page()
    pdf.set_font("Sans", size=16)
    pdf.cell(0, 10, "Receipt ACME-2026-000001", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", size=10)
    with pdf.table(col_widths=(60, 40, 15, 25)) as table:
        table.row(["Item", "When", "Qty", "Amount"])
        for line in LINES:
            table.row([line[0], line[1], str(line[2]), line[3]])
    pdf.cell(0, 10, "Total 100,00 €")
    return bytes(pdf.output())


def with_reportlab() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "Sans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Sans", str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("Fallback", str(FONTS / "DroidSansFallbackFull.ttf")))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Sans", 16)
    c.drawString(50, 800, "Receipt ACME-2026-000001")
    y = 770
    for text, when, qty, amount in LINES:
        # ReportLab has no font fallback: a CJK run needs the other font chosen by hand; no Arabic shaping.
        font = "Fallback" if any("\u3000" <= ch <= "\u9fff" for ch in text) else "Sans"
        c.setFont(font, 10)
        c.drawString(50, y, f"{text}  {when}  {qty}  {amount}")
        y -= 16
    c.setFont("Sans", 10)
    c.drawString(50, y - 10, "Total 100,00 €")
    c.save()
    return out.getvalue()


def with_weasyprint() -> bytes:
    from weasyprint import HTML

    rows = "".join(f"<tr><td>{t}</td><td>{w}</td><td>{q}</td><td>{a}</td></tr>" for t, w, q, a in LINES)
    html = f"""<html><head><style>
      @font-face {{ font-family: Sans; src: url({(FONTS / "DejaVuSans.ttf").as_uri()}); }}
      @font-face {{ font-family: Fallback; src: url({(FONTS / "DroidSansFallbackFull.ttf").as_uri()}); }}
      body {{ font-family: Sans, Fallback; font-size: 10pt }}</style></head>
      <body><h1>Receipt ACME-2026-000001</h1><table>{rows}</table><p>Total 100,00 €</p></body></html>"""
    return bytes(HTML(string=html).write_pdf())


def measure(name: str, render: Callable[[], bytes], n: int) -> None:
    try:
        first = render()
    except ImportError as exc:
        print(f"{name:11} not installed ({exc.name})")
        return
    started = time.perf_counter()
    for _ in range(n):
        render()
    per = (time.perf_counter() - started) / n * 1000
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(first)).pages)
    found = [name for name in NAMES if name in text]
    missing = [name for name in NAMES if name not in text]
    print(f"{name:11} {per:7.1f} ms/receipt  {len(first) / 1024:7.1f} KiB  found={found} missing={missing}")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    for name, fn in (("fpdf2", with_fpdf2), ("reportlab", with_reportlab), ("weasyprint", with_weasyprint)):
        measure(name, fn, n)


if __name__ == "__main__":
    main()
