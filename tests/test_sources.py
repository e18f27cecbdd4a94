import pandas as pd
import pytest

from helpers.book import sources
from helpers.book.data import PROJECT_ROOT


def test_every_seed_file_is_known_and_in_bibliography():
    bib = (PROJECT_ROOT / "seeds" / "references.bib").read_text()
    on_disk = {p.name for p in (PROJECT_ROOT / "seeds").glob("*.txt")}
    assert on_disk == set(sources.SEEDS)
    for key, _label in sources.SEEDS.values():
        assert "{" + key + "," in bib, key


def test_line_groups_locators_by_seed():
    a, b = "000_53446e2d23b336c6.txt", "001_3d7b5ccb12dc6b79.txt"
    text = sources.line([(a, "zh para 1"), (b, "para 2"), (a, "zh para 2"), (a, "zh para 1")])
    assert text == f"{sources.label(a)}, zh para 1; zh para 2 · {sources.label(b)}, para 2"
    frame = pd.DataFrame({"source": [b], "locator": ["para 3"]})
    assert sources.for_frame(frame).endswith("para 3")


def test_unknown_seed_is_an_error():
    with pytest.raises(KeyError, match="unknown seed file 'x.txt'"):
        sources.label("x.txt")
