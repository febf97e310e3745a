"""Django findings name the fix: the async twin, or `sync_to_async` (issue 16).  Run on the django_shop fixture
project (whose lines carry the expected codes: ``test_fixture_projects``)."""
import json

import pytest

from conftest import FIXTURES, run_cli

SHOP = FIXTURES / "projects" / "django_shop"


@pytest.fixture(scope="module")
def shop():
    code, out, err = run_cli(["check", "--format", "json", "--no-cache", "."], cwd=SHOP)
    assert code in (0, 1), err
    by = {}
    for d in json.loads(out):
        by[(d["filename"].replace("\\", "/").rsplit("/", 2)[-2:][-1], d["location"]["row"], d["code"])] = d
    return by


def test_truth_test_names_aexists(shop):
    d = shop[("truth.py", 13, "FAK101")]  # `if qs:`
    assert d["message"].startswith("testing `qs` for truth (Django ORM) evaluates the queryset")
    assert "await qs.aexists()" in d["suggestion"] and "async for" in d["suggestion"]
    assert d["fix"]["applicability"] == "displayonly" and not d["fix"]["edits"]
    d = shop[("truth.py", 24, "FAK101")]  # `if pk and author.books.filter(...)`: the right operand
    assert "author.books.filter(...)" in d["message"]


def test_field_keyword_typed_read_names_the_preloading_and_sync_to_async(shop):
    d = shop[("tools.py", 15, "FAK101")]  # `owner = chat.author` after `acreate(book=chat)`
    assert d["message"].startswith("reading `chat.author` loads the related row with a lazy query")
    assert "select_related" in d["suggestion"] and "sync_to_async" in d["suggestion"]
    d = shop[("handlers.py", 19, "FAK101")]  # inside the call that types it, models imported in the method
    assert "chat.author" in d["message"]


def test_paginator_properties_are_reads_naming_acount():
    code, out, err = run_cli(["check", "--format", "json", "--no-cache", "fak101_django.py"], cwd=FIXTURES)
    assert code in (0, 1), err
    by = {d["location"]["row"]: d for d in json.loads(out)}
    d = by[101]  # `total = paginator.count`
    assert d["message"].startswith("reading `paginator.count` (a property) (Django ORM) blocks the event loop")
    assert "await qs.acount()" in d["suggestion"] and "sync_to_async" in d["suggestion"]
    assert d["fix"]["applicability"] == "displayonly"


def test_membership_test_names_acontains(shop):
    d = shop[("truth.py", 61, "FAK101")]  # `if book in qs:`
    assert d["message"].startswith("testing membership in `qs` (`in`) (Django ORM) iterates it")
    assert "await qs.acontains(obj)" in d["suggestion"]
    assert d["fix"]["applicability"] == "displayonly"
    d = shop[("truth.py", 71, "FAK101")]  # `for b in raw:` over `Book.objects.raw(sql)`
    assert "sync_to_async(list)" in d["suggestion"]


def test_permission_checks_on_the_loaded_user_name_ahas_perm():
    code, out, err = run_cli(["check", "--format", "json", "--no-cache", "fak101_django.py"], cwd=FIXTURES)
    assert code in (0, 1), err
    by = {d["location"]["row"]: d for d in json.loads(out)}
    d = by[143]  # `user = await request.auser()` then `user.has_perm(...)`
    assert d["message"].startswith("`user.has_perm()` (Django ORM) blocks the event loop")
    assert "await user.ahas_perm(...)" in d["suggestion"] and "sync_to_async" in d["suggestion"]
    assert 148 not in by and 146 not in by  # `await user.ahas_perm(...)`, `sync_to_async(user.has_perm)`


def test_session_items_name_the_async_twins(shop):
    d = shop[("cart.py", 8, "FAK101")]  # `items = request.session["cart"]`
    assert d["message"].startswith("`request.session[...]` loads the session from its backend on first use")
    assert "await request.session.aget(key)" in d["suggestion"] and "aset" in d["suggestion"]
    assert d["fix"]["applicability"] == "displayonly"
    d = shop[("cart.py", 11, "FAK101")]  # `if "coupon" in request.session:`
    assert "await request.session.ahas_key(key)" in d["suggestion"]
