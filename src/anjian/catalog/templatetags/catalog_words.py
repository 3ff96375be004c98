"""Filters that print the catalog's stored codes as words: a discretion level (`grave` ->
严重) and a list of penalty kinds (`["order_correction", "fine"]` -> 责令改正、罚款)."""

from __future__ import annotations

from typing import Any

from django import template

from anjian.catalog import discretion

register = template.Library()


@register.filter
def circumstance_label(value: Any) -> str:
    return discretion.circumstance_label(value)


@register.filter
def penalty_kind_labels(values: Any) -> str:
    return "、".join(discretion.penalty_kind_labels(values))
