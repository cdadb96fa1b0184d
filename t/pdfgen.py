"""Small, valid PDFs with known text, for tests and benchmarks.

make_pdf(pages) -> bytes, where pages is a list of lists of text lines.
Lines are set in Helvetica 11 pt on A4; the file has a correct xref table,
so poppler and pdftotext read it like any other PDF.
"""
import random


def _esc(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages):
    objs = []

    def add(body):
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    pages_id = len(objs) + 1 + 2 * len(pages)
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "56 790 Td"]
        for line in lines:
            ops.append("(%s) Tj T*" % _esc(line))
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252", "replace")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_id, font, content)))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, catalog, xref)
    return bytes(out)


FIRST = ["Aarav", "Diya", "Kabir", "Meera", "Rohan", "Saanvi", "Vikram", "Anaya", "Arjun",
         "Ishita", "Nikhil", "Priya", "Rahul", "Sneha", "Tanvi", "Zoya"]
LAST = ["Sharma", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Khan", "Patel", "Das", "Rao"]
SKILLS = ["C", "PostgreSQL", "nginx", "Python", "JavaScript", "Go", "Docker", "Kubernetes",
          "Linux", "Redis", "React", "Java", "AWS", "Git", "SQL", "REST APIs"]
DEGREES = ["B.Tech in Computer Science, IIT Bombay, 2016",
           "B.E. in Electronics, Anna University, 2018",
           "M.Tech in Software Engineering, NIT Trichy, 2019",
           "BSc in Mathematics, University of Delhi, 2015"]


def resume(seed, pages=1):
    """A resume with known fields: (pdf bytes, expected dict)."""
    rnd = random.Random(seed)
    name = "%s %s" % (rnd.choice(FIRST), rnd.choice(LAST))
    email = "%s.%d@example.com" % (name.lower().replace(" ", "."), seed)
    phone = "+91 9%09d" % rnd.randrange(10 ** 9)
    skills = sorted(rnd.sample(SKILLS, rnd.randint(3, 7)))
    years = rnd.randint(1, 12)
    degree = rnd.choice(DEGREES)
    start = 2025 - years
    lines = [name, "Email: %s  |  Phone: %s" % (email, phone),
             "github.com/%s" % name.split()[0].lower(), "",
             "SUMMARY", "Software engineer with %d years of experience building "
             "backend services." % years, "",
             "SKILLS", ", ".join(skills), "",
             "EXPERIENCE", "Senior Engineer, Acme Systems (%d - Present)" % start,
             "Built services in %s and tuned %s for scale." % (skills[0], skills[-1]), "",
             "EDUCATION", degree]
    body = [lines]
    for p in range(1, pages):
        body.append(["Projects (page %d)" % (p + 1)] +
                    ["Project %d: delivered a %s component for a hiring platform."
                     % (i, rnd.choice(skills)) for i in range(1, 30)])
    expected = {"name": name, "email": email, "phone": phone, "skills": skills,
                "years_experience": years, "education": [degree]}
    return make_pdf(body), expected


def scan_pdf(lines):
    """An image-only PDF (a scan): lines drawn into a 150 dpi picture of an
    A4 page, and no text layer.  Needs python3-cairo."""
    import io
    import cairo
    img = cairo.ImageSurface(cairo.FORMAT_RGB24, 1240, 1754)
    cr = cairo.Context(img)
    cr.set_source_rgb(1, 1, 1)
    cr.paint()
    cr.set_source_rgb(0, 0, 0)
    cr.select_font_face("sans", cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_NORMAL)
    cr.set_font_size(30)
    for i, line in enumerate(lines):
        cr.move_to(100, 150 + 48 * i)
        cr.show_text(line)
    out = io.BytesIO()
    pdf = cairo.PDFSurface(out, 595, 842)
    cr = cairo.Context(pdf)
    cr.scale(595 / 1240, 842 / 1754)
    cr.set_source_surface(img, 0, 0)
    cr.paint()
    pdf.finish()
    return out.getvalue()
