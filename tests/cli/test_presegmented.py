"""`alinea align --presegmented`: one sentence per line in, links in [i,j]:[k] notation out."""

from click.testing import CliRunner

from app.cli import main
from app.evaluation.links import read_links

SPANISH = [
    "El Gobierno anunció un plan de 10.000 millones de pesos.",
    "La oposición lo criticó con dureza.",
    "Según la ministra López, las obras empezarán en 2026.",
    "Los vecinos de Culiacán esperan desde hace años.",
]
ENGLISH = [
    "The government announced a plan worth 10,000 million pesos.",
    "The opposition criticised it harshly.",
    "Subscribe to our newsletter!",
    "According to minister López, the works will start in 2026.",
    "Residents of Culiacán have been waiting for years.",
]


def run_presegmented(tmp_path, database_url, *extra):
    src, tgt = tmp_path / "es.txt", tmp_path / "en.txt"
    src.write_text("\n".join(SPANISH) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(ENGLISH) + "\n", encoding="utf-8")
    out = tmp_path / "links.txt"
    env = {"DATABASE_URL": database_url, "ALINEA_INSTANCE": str(tmp_path / "instance")}
    result = CliRunner().invoke(
        main,
        ["align", "--presegmented", str(src), str(tgt), "--links", str(out), *extra],
        env=env,
        catch_exceptions=False,
    )
    return result, out


def test_presegmented_files_are_aligned_line_by_line_and_the_links_written(tmp_path, database_url):
    result, out = run_presegmented(tmp_path, database_url)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].isdigit()
    links = read_links(out)
    assert [(link.src, link.tgt) for link in links] == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((), (2,)),
        ((2,), (3,)),
        ((3,), (4,)),
    ]
    assert out.read_text().splitlines()[2] == "[]:[2]"


def test_the_fast_mode_needs_no_neural_model_and_writes_links_too(tmp_path, database_url):
    result, out = run_presegmented(tmp_path, database_url, "--fast")
    assert result.exit_code == 0, result.stderr
    assert "semantic" not in result.stderr
    assert len(read_links(out)) >= 4


def test_links_without_presegmented_input_are_refused(tmp_path, database_url):
    env = {"DATABASE_URL": database_url, "ALINEA_INSTANCE": str(tmp_path / "instance")}
    result = CliRunner().invoke(main, ["align", "a", "b", "--links", "x"], env=env)
    assert result.exit_code != 0
    assert "--presegmented" in result.stderr


def test_the_scorers_chosen_are_printed_and_stored_with_the_alignment(tmp_path, database_url):
    from app.align import mt as apertium
    from app.store import db as store_db
    from app.store import models

    result, _ = run_presegmented(tmp_path, database_url, "--src-lang", "es", "--tgt-lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "scorers for es-en: semantic (use-multilingual-v3)" in result.stderr
    mt = apertium.direction("es", "en") is not None
    alignment_id = int(result.stdout.strip().splitlines()[-1])
    engine = store_db.make_engine(database_url)
    try:
        with store_db.make_session_factory(engine)() as session:
            alignment = session.get(models.Alignment, alignment_id)
            choice = alignment.parameters["scorer_choice"]
    finally:
        engine.dispose()
    assert choice["languages"] == ["es", "en"]
    assert choice["embedding_model"] == "use-multilingual-v3"
    assert {"anchors", "length"} <= set(choice["scorers"])
    if not mt:
        assert "mt" not in choice["scorers"]
        assert any("Apertium" in note for note in choice["notes"])
    elif "mt" in choice["scorers"]:
        assert "mt (apertium spa-eng on the source, chrF)" in result.stderr
    else:
        # Apertium is there, but MT did not improve this sentence model on dev.
        assert any("mt left out at sentence level" in note for note in choice["notes"])
        assert "mt left out at sentence level" in result.stderr


def test_no_mt_leaves_the_machine_translation_out(tmp_path, database_url):
    result, _ = run_presegmented(
        tmp_path, database_url, "--src-lang", "es", "--tgt-lang", "en", "--no-mt"
    )
    assert result.exit_code == 0, result.stderr
    assert "no machine translation (turned off)" in result.stderr
    assert "apertium" not in result.stderr
