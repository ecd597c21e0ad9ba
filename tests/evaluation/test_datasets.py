"""Loaders of the gold sets: where the data are found, what is missing, and what they hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evaluation import (
    DEFAULT_ROOT,
    ENV_VAR,
    EvalDataMissing,
    EvalDocument,
    Link,
    bible_books,
    bible_verse_ids,
    data_root,
    datasets,
    ntrex_documents,
    text_berg,
)

REPOSITORY = Path(__file__).resolve().parents[2]


def write_ntrex(root: Path, ids: list[str], src: list[str], tgt: list[str]) -> None:
    """Write a small NTREX folder under ``root`` with CRLF line ends, as the real one has."""
    folder = root / "NTREX" / "NTREX-128"
    folder.mkdir(parents=True)
    (root / "NTREX" / "DOCUMENT_IDS.tsv").write_text("\n".join(ids) + "\n", encoding="utf-8")
    for name, lines in ((datasets.NTREX_SOURCE, src), (datasets.NTREX_SPANISH, tgt)):
        (folder / name).write_bytes("".join(f"{line}\r\n" for line in lines).encode())


def test_the_default_root_is_shared_eval_data_beside_the_repository() -> None:
    assert REPOSITORY.parent / "shared" / "eval-data" == DEFAULT_ROOT


def test_the_environment_variable_overrides_the_default_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert data_root() == tmp_path


def test_without_the_environment_variable_the_default_root_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setattr(datasets, "DEFAULT_ROOT", tmp_path)
    assert data_root() == tmp_path


def test_an_absent_folder_raises_eval_data_missing_naming_it_and_the_variable(
    tmp_path: Path,
) -> None:
    absent = tmp_path / "nowhere"
    with pytest.raises(EvalDataMissing, match=rf"{absent}.*{ENV_VAR}"):
        data_root(absent)


def test_an_absent_file_raises_eval_data_missing_naming_it(tmp_path: Path) -> None:
    with pytest.raises(EvalDataMissing, match=r"not found: .*dev\.de"):
        text_berg("dev", tmp_path)


def test_an_unknown_split_raises_value_error() -> None:
    with pytest.raises(ValueError, match="unknown Text\\+Berg split 'train'"):
        text_berg("train")  # type: ignore[arg-type]


def test_ntrex_lines_are_grouped_into_documents_with_one_to_one_gold(tmp_path: Path) -> None:
    write_ntrex(tmp_path, ["a", "a", "b"], ["One.", "Two.", "Three."], ["Uno.", "Dos.", "Tres."])
    assert ntrex_documents(tmp_path) == [
        EvalDocument(
            "a",
            ["One.", "Two."],
            ["Uno.", "Dos."],
            "en",
            "es",
            [Link((0,), (0,)), Link((1,), (1,))],
        ),
        EvalDocument("b", ["Three."], ["Tres."], "en", "es", [Link((0,), (0,))]),
    ]


@pytest.mark.parametrize(
    ("ids", "tgt", "message"),
    [
        (["a", "b", "a"], ["Uno.", "Dos.", "Tres."], "not contiguous"),
        (["a", "a", "b"], ["Uno.", "Dos."], "disagree in length"),
    ],
)
def test_inconsistent_ntrex_files_raise_value_error(
    tmp_path: Path, ids: list[str], tgt: list[str], message: str
) -> None:
    write_ntrex(tmp_path, ids, ["One.", "Two.", "Three."], tgt)
    with pytest.raises(ValueError, match=message):
        ntrex_documents(tmp_path)


@pytest.mark.parametrize(
    ("split", "names", "src_lines", "tgt_lines", "gold_links"),
    [
        ("dev", ["dev"], 468, 554, 422),
        ("test", [f"test{number}" for number in range(7)], 991, 1011, 916),
    ],
)
def test_text_berg_splits_have_the_published_sizes(
    eval_root: Path, split: str, names: list[str], src_lines: int, tgt_lines: int, gold_links: int
) -> None:
    documents = text_berg(split, eval_root)  # type: ignore[arg-type]
    assert [document.name for document in documents] == names
    assert sum(len(document.src_lines) for document in documents) == src_lines
    assert sum(len(document.tgt_lines) for document in documents) == tgt_lines
    assert sum(len(document.gold or []) for document in documents) == gold_links
    assert {(document.src_lang, document.tgt_lang) for document in documents} == {("de", "fr")}


def test_ntrex_gives_123_document_pairs_over_1997_lines(eval_root: Path) -> None:
    documents = ntrex_documents(eval_root)
    assert len(documents) == 123
    assert sum(len(document.src_lines) for document in documents) == 1997
    assert sum(len(document.tgt_lines) for document in documents) == 1997
    assert len({document.name for document in documents}) == 123


def test_each_ntrex_document_has_one_to_one_gold_over_its_lines(eval_root: Path) -> None:
    for document in ntrex_documents(eval_root):
        count = len(document.src_lines)
        assert len(document.tgt_lines) == count
        assert document.gold == [Link((index,), (index,)) for index in range(count)]
        assert not any("\r" in line for line in document.src_lines + document.tgt_lines)


def test_the_bible_has_the_published_sizes(eval_root: Path, bible_document: EvalDocument) -> None:
    src_verses, tgt_verses = bible_verse_ids(eval_root)
    assert (len(bible_document.src_lines), len(bible_document.tgt_lines)) == (5000, 6301)
    assert (len(src_verses), len(tgt_verses)) == (5000, 6301)
    assert len(bible_document.gold or []) == 4747
    assert (bible_document.src_lang, bible_document.tgt_lang) == ("en", "zh")


def test_the_bibles_books_split_into_dev_and_test_with_their_own_gold(
    eval_root: Path, bible_document: EvalDocument
) -> None:
    dev, test = bible_books("dev", eval_root), bible_books("test", eval_root)
    assert (len(dev.src_lines), len(dev.tgt_lines)) == (1665, 2227)  # Genesis
    assert dev.src_lines + test.src_lines == bible_document.src_lines
    assert dev.tgt_lines + test.tgt_lines == bible_document.tgt_lines
    assert len(dev.gold) + len(test.gold) == len(bible_document.gold or [])
    # Test links count from Exodus's first line; shifted back they are the whole's.
    shifted = [
        Link(tuple(k + 1665 for k in g.src), tuple(k + 2227 for k in g.tgt)) for g in test.gold
    ]
    assert dev.gold + shifted == bible_document.gold
    with pytest.raises(ValueError, match="unknown Bible split"):
        bible_books("train", eval_root)


def test_omissions_leave_out_one_side_of_some_links_and_keep_the_gold_true() -> None:
    """Gold without untranslated lines (the Bible's) gets some: one side of a link left
    out of the text, its other side now one-sided, every index moved to match."""
    links = [Link((k,), (k,)) for k in range(300)] + [Link((300, 301), (300,))]
    document = EvalDocument(
        "verses",
        [f"s{k}" for k in range(302)],
        [f"t{k}" for k in range(301)],
        "en",
        "zh",
        links,
    )
    changed = datasets.with_omissions(document)
    assert changed == datasets.with_omissions(document), "the same each time"
    assert len(changed.gold) == len(links)

    omissions = [g for g in changed.gold if g.src and not g.tgt]
    additions = [g for g in changed.gold if g.tgt and not g.src]
    assert omissions and additions
    # Each gold link still joins the texts the original link joined, less a side.
    for before, after in zip(links, changed.gold, strict=True):
        src = [changed.src_lines[k] for k in after.src]
        tgt = [changed.tgt_lines[k] for k in after.tgt]
        assert src in ([document.src_lines[k] for k in before.src], [])
        assert tgt in ([document.tgt_lines[k] for k in before.tgt], [])
        assert src or tgt
    # Every line left in the text is in exactly one link.
    assert sorted(k for g in changed.gold for k in g.src) == list(range(len(changed.src_lines)))
    assert sorted(k for g in changed.gold for k in g.tgt) == list(range(len(changed.tgt_lines)))
    assert len(changed.src_lines) < 302 and len(changed.tgt_lines) < 301
