#!/usr/bin/env bash
# Fails when a user-facing string has no Vietnamese translation (or a fuzzy one), or when the
# compiled catalogue is out of date. Runs makemessages on a copy so the tree stays untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
po=locale/vi/LC_MESSAGES/django.po
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$po" "$tmp/committed.po"
EISO_DEV=1 $PY manage.py makemessages -l vi --ignore=.venv --ignore=node_modules \
  --ignore=static/vendor --ignore=e2e --ignore=bench --no-obsolete -v0
untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
cp "$po" "$tmp/fresh.po"
cp "$tmp/committed.po" "$po"
if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
  echo "Vietnamese catalogue incomplete: $untranslated untranslated, $fuzzy fuzzy (the header counts as 1)."
  msgattrib --untranslated --no-obsolete "$tmp/fresh.po" > "$tmp/missing.po" || true
  grep '^msgid ' "$tmp/missing.po" | sed -n '1,40p' || true
  [ "$untranslated" -le 1 ] && [ "$fuzzy" -eq 0 ] || exit 1
fi
msgfmt --check -o "$tmp/django.mo" "$po"
if ! cmp -s "$tmp/django.mo" locale/vi/LC_MESSAGES/django.mo; then
  echo "locale/vi/LC_MESSAGES/django.mo is stale: run 'make messages' and commit it."
  exit 1
fi
echo "translations: complete and compiled"
