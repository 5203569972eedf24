"""The layout of the UI code: each page's Streamlit code in its view, shared pieces in socialmap/ui."""

from __future__ import annotations

import ast
import re

from streamlit.testing.v1 import AppTest

from conftest import ROOT

PAGES = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py"))]


def _bare_expressions(body: list[ast.stmt], docstring_allowed: bool = True) -> list[int]:
    """Line numbers of the statements Streamlit's magic would write: a bare value on its own line
    (not a call, not a docstring), where magic looks (module, functions, with/for/while/if/try/match
    blocks, methods)."""
    found = []
    for i, node in enumerate(body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += _bare_expressions(node.body)
        elif isinstance(node, ast.ClassDef):
            for method in node.body:
                if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found += _bare_expressions(method.body)
        elif isinstance(node, (ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While, ast.If, ast.Try)):
            for block in (node.body, getattr(node, "orelse", []), getattr(node, "finalbody", []),
                          *[h.body for h in getattr(node, "handlers", [])]):
                found += _bare_expressions(block, False)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                found += _bare_expressions(case.body, False)
        elif isinstance(node, ast.Expr):
            value = node.value
            docstring = docstring_allowed and i == 0 and isinstance(value, ast.Constant) and isinstance(value.value, str)
            if not (docstring or isinstance(value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom))):
                found.append(node.lineno)
    return found


def test_no_page_relies_on_streamlit_magic():
    assert {p.name: _bare_expressions(ast.parse(p.read_text(encoding="utf-8")).body) for p in PAGES} == {
        p.name: [] for p in PAGES}


def test_the_project_config_turns_magic_off_and_apptest_follows_it(monkeypatch):
    monkeypatch.chdir(ROOT)
    at = AppTest.from_string('import streamlit as st\n"a bare value"\nst.write("an explicit call")\n')
    at.run()
    assert [m.value for m in at.markdown] == ["an explicit call"]


def test_every_module_of_socialmap_ui_is_used_by_at_least_two_pages():
    users: dict[str, list[str]] = {}
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for module in set(re.findall(r"socialmap\.ui(?:\.(\w+)| import ([\w, ]+?)(?: as \w+)?\n)", text)):
            for name in filter(None, [module[0], *module[1].replace(" ", "").split(",")]):
                users.setdefault(name, []).append(page.stem)
    modules = sorted(p.stem for p in (ROOT / "socialmap" / "ui").glob("*.py") if p.stem != "__init__")
    assert {m: len(set(users.get(m, []))) >= 2 for m in modules} == {m: True for m in modules}, users
