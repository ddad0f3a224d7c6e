"""Complaint categories: a fixed list, so that the category (which appears in the published
annual report and its charts) can never carry free text such as a resident's name.

A workspace declares its own list in ``hcode.yaml`` (``categories:``), as slugs or as
``slug: Display name`` pairs; without one, :data:`DEFAULT_CATEGORIES` applies. A case's
``category`` must be one of the slugs (or, ignoring case, one of the display names).
"""

from __future__ import annotations

from collections.abc import Mapping

#: The list a workspace gets when ``hcode.yaml`` declares none: slug -> display name.
DEFAULT_CATEGORIES: Mapping[str, str] = {
    "repairs": "Repairs",
    "damp-and-mould": "Damp and mould",
    "anti-social-behaviour": "Anti-social behaviour",
    "staff-conduct": "Staff conduct",
    "communication": "Communication",
    "rent-and-charges": "Rent and charges",
    "estate-services": "Estate services",
    "allocations": "Allocations and lettings",
    "neighbourhood": "Neighbourhood and community",
    "safety": "Building and fire safety",
    "other": "Other",
}


def default_display(slug: str) -> str:
    """A display name made from a slug: ``damp-and-mould`` -> ``Damp and mould``."""
    words = slug.replace("_", " ").replace("-", " ").split()
    text = " ".join(words)
    return text[:1].upper() + text[1:]


#: What a published report says for a category that is not declared (its text, which may be
#: anything a person typed, personal data included, is never published).
UNDECLARED = "other-not-declared"
UNDECLARED_NAME = "other (not declared)"


def display_name(slug: str, categories: Mapping[str, str] | None = None) -> str:
    """How a category is shown in reports and charts (``categories``: the workspace's list,
    default :data:`DEFAULT_CATEGORIES`); a category in neither list is :data:`UNDECLARED_NAME`."""
    known = DEFAULT_CATEGORIES if categories is None else categories
    if slug in known:
        return known[slug]
    lowered = slug.lower()
    for key, name in known.items():
        if lowered in (key.lower(), name.lower()):
            return name
    return UNDECLARED_NAME


def published_slug(category: str, categories: Mapping[str, str] | None = None) -> str:
    """The category as a published report may name it: itself when declared, else
    :data:`UNDECLARED`."""
    return category if is_known(category, categories) else UNDECLARED


def is_known(category: str, categories: Mapping[str, str] | None = None) -> bool:
    """Whether ``category`` is one of the list's slugs or (ignoring case) display names."""
    known = DEFAULT_CATEGORIES if categories is None else categories
    if category in known:
        return True
    lowered = category.lower()
    return any(lowered in (key.lower(), name.lower()) for key, name in known.items())
