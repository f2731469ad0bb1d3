"""Validation of what the export emits, by the R4B models of ``fhir.resources`` (its default
models are R5; FHIR R4B differs from R4 only in resources we do not emit)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fhir.resources.R4B import get_fhir_model_class


def validate_bundle(bundle: dict[str, Any]) -> Counter[str]:
    """Validate the Bundle and every resource in it (the Bundle's model validates each entry's
    resource by its type); every reference inside the Bundle must resolve to one of its
    entries. Returns how many resources of each type it holds."""
    get_fhir_model_class("Bundle").model_validate(bundle)
    full_urls = [entry["fullUrl"] for entry in bundle.get("entry", [])]
    assert len(full_urls) == len(set(full_urls)), "fullUrl must be unique in a Bundle"
    kinds: Counter[str] = Counter()
    for entry in bundle.get("entry", []):
        kinds[entry["resource"]["resourceType"]] += 1
    dangling = sorted(set(references(bundle)) - set(full_urls))
    assert not dangling, f"references to nothing in the Bundle: {dangling[:5]}"
    return kinds


def references(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [ref for item in value.values() for ref in references(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in references(item)]
    return []
