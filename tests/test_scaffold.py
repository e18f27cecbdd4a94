"""`make chapter`: a new chapter from the template, listed in _toc.yml; the template itself runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from _papermill import executed, glued_text, run_scenarios

from helpers.build import scaffold
from helpers.build.pipeline import BuildError

ROOT = Path(__file__).resolve().parents[1]


def test_add_to_toc_appends_to_the_chapters_part_keeping_the_rest():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    new = scaffold.add_to_toc(toc, "bank_capital")
    parts = yaml.safe_load(new)["parts"]
    chapters = [c["file"] for c in parts[0]["chapters"]]
    assert chapters[-1] == "chapters/bank_capital"
    assert chapters[:-1] == [c["file"] for c in yaml.safe_load(toc)["parts"][0]["chapters"]]
    assert parts[1] == yaml.safe_load(toc)["parts"][1]
    assert new.replace("      - file: chapters/bank_capital\n", "") == toc  # comments and layout kept


def test_add_to_toc_refuses_a_duplicate_and_a_toc_without_chapters():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    with pytest.raises(scaffold.ScaffoldError, match="already lists chapters/retail_risk"):
        scaffold.add_to_toc(toc, "retail_risk")
    with pytest.raises(scaffold.ScaffoldError, match="no part"):
        scaffold.add_to_toc("format: jb-book\nroot: chapters/overview\n", "x")


@pytest.fixture
def project(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "templates").mkdir()
    shutil.copy(ROOT / "templates" / "chapter.md", tmp_path / "templates" / "chapter.md")
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    return tmp_path


def test_new_chapter_writes_the_page_and_lists_it(project):
    path = scaffold.new_chapter("bank_capital", "Bank capital", root=project)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines().count("# Bank capital") == 1
    assert "fig-bank-capital-example" in text and "fig-template-example" not in text
    assert "chapters/bank_capital" in (project / "_toc.yml").read_text()
    with pytest.raises(scaffold.ScaffoldError, match="already exists"):
        scaffold.new_chapter("bank_capital", "Again", root=project)


@pytest.mark.parametrize(
    ("name", "title", "message"),
    [("Bank-Capital", "T", "lowercase"), ("", "T", "lowercase"), ("ok_name", "  ", "title")],
)
def test_new_chapter_rejects_bad_names_and_titles(project, name, title, message):
    toc = (project / "_toc.yml").read_text()
    with pytest.raises(scaffold.ScaffoldError, match=message):
        scaffold.new_chapter(name, title, root=project)
    assert (project / "_toc.yml").read_text() == toc, "nothing is written on error"


@pytest.mark.notebook
def test_the_template_executes_with_and_without_parameters(tmp_path):
    template = ROOT / "templates" / "chapter.md"
    scenarios = {"default": {}, "scenario": {"npl_ratio_pct": 7.8}, "bad": {"npl_ratio_pct": 150}}
    real_failed = ROOT / "_build" / "failed" / "bad.ipynb"
    existed = real_failed.exists()
    outcomes = run_scenarios(template, scenarios, tmp_path, cwd=ROOT / "chapters")

    glued = glued_text(executed(outcomes["default"]))
    assert float(glued["ratio"]) == pytest.approx(1.52)
    assert float(glued["loan_book_trn"]) == pytest.approx(3.5 / 0.0152, rel=1e-3)
    scenario = glued_text(executed(outcomes["scenario"]))
    assert float(scenario["loan_book_trn"]) == pytest.approx(3.5 / 0.078, rel=1e-3)

    assert isinstance(outcomes["bad"], BuildError), "the template accepted an NPL ratio of 150 %"
    assert "npl_ratio_pct" in str(outcomes["bad"])
    # the partial notebook stays in the test's own folder, not in the project's build folder
    assert (tmp_path / "failed" / "bad.ipynb").exists()
    assert real_failed.exists() == existed
