"""Downloads the site offers besides its pages: the data package as one zip, CSVs for spreadsheets.

* :func:`data_package_zip` — ``data-package.zip``: ``datapackage.json`` and every CSV at the
  same relative paths as in ``data/``, the four source documents under ``seeds/`` (the
  ``sources`` of each resource point there) and a ``README.txt``. Unzipped,
  ``frictionless validate datapackage.json`` accepts it (so does ``frictionless validate
  data-package.zip``). The zip is byte-stable: entries sorted, timestamps fixed.
* :func:`spreadsheet_csv` — the bytes of a CSV with a UTF-8 byte-order mark. Without it,
  Excel reads a CSV in the machine's legacy code page and every Chinese label turns into
  mojibake; pandas, R's readr, LibreOffice and frictionless all skip the mark. The site's
  CSV downloads (the data tables, the ledger) carry it; the repository's ``data/`` does not.
"""

from __future__ import annotations

import codecs
import io
import json
import zipfile
from pathlib import Path

ZIP_NAME = "data-package.zip"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)

README = """{title}
{underline}

{description}

Files
-----
datapackage.json   the Frictionless Data Package: every table's schema, units, sources
*.csv              the tables ({count}), one observation per row; every row names its source
                   document (`source`) and the table, figure or paragraph (`locator`)
seeds/             the four source documents the figures were read from, unchanged

Check it:  frictionless validate datapackage.json

Encoding: UTF-8 with a byte-order mark, so that Excel shows the Chinese labels correctly
(pandas, R readr, LibreOffice and frictionless read the mark transparently).

Licence: {license}.
"""


def spreadsheet_csv(data: bytes) -> bytes:
    """``data`` (UTF-8 CSV bytes) with exactly one UTF-8 byte-order mark in front."""
    return data if data.startswith(codecs.BOM_UTF8) else codecs.BOM_UTF8 + data


def _entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def data_package_zip(data_dir: Path, seeds_dir: Path) -> bytes:
    """The data package of ``data_dir`` (and the seeds it cites) as zip bytes; see the module doc."""
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    paths = sorted({res["path"] for res in descriptor["resources"]})
    licenses = ", ".join(lic.get("title") or lic.get("name", "") for lic in descriptor.get("licenses", []))
    readme = README.format(
        title=descriptor.get("title", descriptor.get("name", "Data package")),
        underline="=" * len(descriptor.get("title", descriptor.get("name", "Data package"))),
        description=descriptor.get("description", ""),
        count=len(paths),
        license=licenses or "see datapackage.json",
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _entry(archive, "README.txt", readme.encode("utf-8"))
        _entry(archive, "datapackage.json", (data_dir / "datapackage.json").read_bytes())
        for path in paths:
            source = data_dir / path
            if not source.is_file():
                raise FileNotFoundError(f"datapackage.json lists {path!r}, which is not in {data_dir}")
            _entry(archive, path, spreadsheet_csv(source.read_bytes()))
        for seed in sorted(seeds_dir.glob("*.txt")):
            _entry(archive, f"seeds/{seed.name}", seed.read_bytes())
    return buffer.getvalue()
