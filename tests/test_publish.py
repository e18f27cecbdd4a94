"""The publish gate's verdict, from JUnit reports: what must have run and passed."""

from helpers.build import publish

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="4">
<testcase classname="tests.test_units" name="test_convert"/>
<testcase classname="tests.test_site" name="test_page_in_browser[index.html]"/>
<testcase classname="_build.executed.chapters.overview.ipynb" name="Cell 0"/>
{extra}
</testsuite></testsuites>
"""


def _summary(tmp_path, extra=""):
    path = tmp_path / "junit.xml"
    path.write_text(REPORT.format(extra=extra))
    return publish.summarise(publish.read_junit(path))


def test_all_passed_is_published(tmp_path):
    summary = _summary(tmp_path)
    assert summary["all"] == {"tests": 3, "passed": 3, "failed": 0, "error": 0, "skipped": 0}
    assert summary["browser (headless Chromium)"]["passed"] == 1
    assert summary["nbval (executed notebooks re-run and compared)"]["passed"] == 1
    assert publish.verdict(summary, 0) == []


def test_a_failure_refuses(tmp_path):
    summary = _summary(
        tmp_path, '<testcase classname="tests.test_data" name="t"><failure message="x"/></testcase>'
    )
    assert publish.verdict(summary, 1) == ["1 test(s) failed and 0 errored (pytest exit 1)"]


def test_skipped_browser_tests_refuse(tmp_path):
    path = tmp_path / "junit.xml"
    path.write_text(
        REPORT.replace(
            'name="test_page_in_browser[index.html]"/>', 'name="t"><skipped message="no site"/></testcase>'
        ).format(extra="")
    )
    problems = publish.verdict(publish.summarise(publish.read_junit(path)), 0)
    assert problems == ["browser (headless Chromium): 0 of 1 passed (1 skipped)"]


def test_checks_that_did_not_run_refuse(tmp_path):
    path = tmp_path / "junit.xml"
    path.write_text(
        '<testsuites><testsuite><testcase classname="tests.test_units" name="t"/></testsuite></testsuites>'
    )
    problems = publish.verdict(publish.summarise(publish.read_junit(path)), 0)
    assert "nbval (executed notebooks re-run and compared): did not run" in problems
    assert "browser (headless Chromium): did not run" in problems


def test_fingerprint_changes_with_any_byte(tmp_path):
    (tmp_path / "a.html").write_text("x")
    first = publish.site_fingerprint(tmp_path)
    (tmp_path / "a.html").write_text("y")
    assert publish.site_fingerprint(tmp_path) != first
