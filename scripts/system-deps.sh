#!/usr/bin/env bash
# Debian packages the tests need that pip cannot install: chromium (browser tests),
# poppler-utils (pdftotext/pdftoppm), qpdf, zbar (QR codes), tesseract-ocr with its simplified-Chinese data
# (the browser tests read Chinese back from screenshots). Installs what is missing when it can (root, or
# password-less sudo); otherwise says what is missing. Under CI=true a missing tool is fatal.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v qpdf >/dev/null || missing+=(qpdf)
command -v zbarimg >/dev/null || missing+=(zbar-tools)   # and libzbar0: notice QR codes (核验)
command -v tesseract >/dev/null || missing+=(tesseract-ocr)
{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx chi_sim; } \
  || missing+=(tesseract-ocr-chi-sim)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
if [ "$sudo" != "none" ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "missing system packages: ${missing[*]} (tests that need them will skip)" >&2
if [ "${CI:-}" = "true" ]; then exit 1; fi
