#!/bin/sh
# PDF text extraction: our poppler-glib extraction against pdftotext on the
# same corpus of 200 generated 1-3 page resumes.
# usage: bench/pdf.sh [BUILDDIR]   (default: build)
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
make -s -C "$B" bench/pdf_bench >/dev/null
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$dir" <<'PY'
import os, sys
sys.path.insert(0, "t")
import pdfgen
for i in range(200):
    pdf, _ = pdfgen.resume(i, 1 + i % 3)
    open(os.path.join(sys.argv[1], "r%03d.pdf" % i), "wb").write(pdf)
PY
echo "corpus: 200 PDFs, $(du -sk "$dir" | cut -f1) KiB, 400 pages"
"$B/bench/pdf_bench" "$dir" 3
start=$(date +%s.%N)
for f in "$dir"/*.pdf; do pdftotext -q "$f" /dev/null; done
end=$(date +%s.%N)
echo "pdftotext (one process per PDF): $(echo "200 / ($end - $start)" | bc -l | cut -c1-6) PDFs/s"
