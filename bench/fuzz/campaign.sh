#!/usr/bin/env bash
# Every importer's fuzz run, one after the other, at the lowest priority:
#   bash bench/fuzz/campaign.sh [MINUTES] [--light]   (default 10 each; summaries in bench/fuzz/results/)
# IMPORTERS="tmx xliff" chooses which.
set -u
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-.venv/bin/python}"
for importer in ${IMPORTERS:-text markdown html docx url tmx xliff glossary}; do
  nice -n 19 "$PYTHON" bench/fuzz/run.py "$importer" --minutes "${1:-10}" ${2:-} > /dev/null
  echo "$importer done: $(date +%T)"
done
