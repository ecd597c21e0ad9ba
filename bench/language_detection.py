"""Language detection among every language lingua knows: load time, memory, speed, answers.

    python bench/language_detection.py [--repeat 20]

Prints, for one fresh process: the time and resident memory the all-language detector takes
when first used on a Latin-script text, then on Cyrillic, Arabic and Chinese ones (lingua
loads each language's models on first need); the same for a detector built with every
model loaded at once (the ceiling); the median time to detect the language of each
corpus document; the time of QA's untranslated check per pair; and the language found
for the Icelandic, Hungarian and Swahili test texts, with the old 14-language default
for comparison.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.ingest import read_text_file  # noqa: E402
from app.ingest.language import detect  # noqa: E402

TEXTS = ROOT / "tests" / "ingest" / "data" / "languages"
CORPORA = ROOT / "corpora"
OLD_DEFAULT = ("en", "es", "de", "fr", "it", "pt", "nl", "pl", "ru", "tr", "ar", "zh", "ja", "ko")
OTHER_SCRIPTS = {
    "Cyrillic": "Москва — столица России и крупнейший город страны, стоящий на реке Москве.",
    "Arabic": "القاهرة هي عاصمة مصر وأكبر مدنها، وتقع على ضفتي نهر النيل.",
    "Chinese": "北京是中国的首都，也是一座有三千多年历史的文化名城。",
}


def resident_mb() -> float:
    """The process's resident memory now, in MB."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def timed(action) -> tuple[object, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def first_use() -> None:
    print("all-language detector, first use (lazy model loading):")
    print(f"  before: {resident_mb():.0f} MB resident")
    latin = (TEXTS / "sw.txt").read_text(encoding="utf-8")
    for label, text in [("Latin", latin), *OTHER_SCRIPTS.items()]:
        detection, seconds = timed(lambda text=text: detect(text))
        print(
            f"  {label:8} {detection.describe():24} {seconds * 1000:7.0f} ms"
            f"   {resident_mb():5.0f} MB resident"
        )


CEILING = """
import time
from pathlib import Path
from lingua import LanguageDetectorBuilder

def resident_mb():
    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) / 1024

before = resident_mb()
start = time.perf_counter()
builder = LanguageDetectorBuilder.from_all_languages()
if {low}:
    builder = builder.with_low_accuracy_mode()
builder.with_preloaded_language_models().build()
print(f"{{time.perf_counter() - start:.2f}} s, +{{resident_mb() - before:.0f}} MB resident")
"""


def ceiling() -> None:
    """Every model loaded at once, each mode in a fresh process (lingua shares loaded
    models between detectors, so this process's figures would not count them)."""
    for label, low in (("low accuracy (used)", True), ("high accuracy (not used)", False)):
        code = CEILING.format(low=low)
        output = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        print(f"every model of every language loaded at once, {label}: {output}")


def per_document(repeat: int) -> None:
    print(f"detection per corpus document (median of {repeat}):")
    for path in sorted(CORPORA.glob("*/*.txt")):
        text = read_text_file(path)
        times = [timed(lambda text=text: detect(text))[1] for _ in range(repeat)]
        detection = detect(text)
        print(
            f"  {path.parent.name}/{path.name}: {len(text):7,} chars,"
            f" {detection.describe()}, {statistics.median(times) * 1000:.1f} ms"
        )


def qa_per_pair(pairs: int) -> None:
    from app.qa import QaPair
    from app.qa.untranslated import UntranslatedCheck

    corpus = CORPORA / "dw-2025-02-17-mexico-border"
    es = [p for p in read_text_file(corpus / "es.txt").split("\n\n") if len(p.split()) >= 8]
    en = [p for p in read_text_file(corpus / "en.txt").split("\n\n") if len(p.split()) >= 8]
    check = UntranslatedCheck()
    items = [QaPair(k, es[k % len(es)], en[k % len(en)], "es", "en", False) for k in range(pairs)]
    _, seconds = timed(lambda: [check.flags(item) for item in items])
    each = seconds / pairs * 1000
    print(f"QA untranslated check: {pairs} pairs in {seconds:.2f} s ({each:.2f} ms a pair)")


def test_texts() -> None:
    print("test texts (now: every language; before: the old 14-language default):")
    for path in sorted(TEXTS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        now, before = detect(text), detect(text, OLD_DEFAULT)
        print(f"  {path.name:10} now {now.describe():24} before {before.describe()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--pairs", type=int, default=2000)
    args = parser.parse_args()
    first_use()
    per_document(args.repeat)
    qa_per_pair(args.pairs)
    test_texts()
    ceiling()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
