"""Words for the audit trail: what an event's dotted code means, and what its object is called.

The audit chain stores stable codes (`cases.case.approve`, `cases.case` 4) because machines and
the hash need them; people need 立案审批通过 and 案件 （晋朔平）应急立〔2026〕3号. `core` knows no
domain app, so each app registers here, from its AppConfig.ready(), the label of every action
code it writes (`register_actions`) and, per object type, a label and a resolver that turns a
list of object ids into display names in one query (`register_object_type`).

Codes written before a label existed (older data) still read as words: the label of the code's
app and a generic "other step", never the bare code.

Names are resolved without the viewer's data scope: the events themselves are already scoped by
region, and the names (case numbers, entity names, user names) are what the event's own
`changes` show anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext

Label = str | Promise
Resolver = Callable[[Sequence[str]], Mapping[str, str]]


@dataclass(frozen=True)
class ObjectType:
    label: Label
    resolver: Resolver | None


_actions: dict[str, Label] = {}
_apps: dict[str, Label] = {}
_object_types: dict[str, ObjectType] = {}
_value_words_of: dict[tuple[str, str], Callable[[Any], str]] = {}


def register_actions(app: str, app_label: Label, labels: Mapping[str, Label]) -> None:
    """Register an app's action codes. Every code must start with `<app>.`."""
    _apps[app] = app_label
    for code, label in labels.items():
        if not code.startswith(f"{app}."):
            raise ValueError(f"audit action {code!r} does not belong to app {app!r}")
        _actions[code] = label


def register_object_type(object_type: str, label: Label, resolver: Resolver | None = None) -> None:
    """`resolver(ids)` answers {id: display name} for the ids it finds, in one query."""
    _object_types[object_type] = ObjectType(label, resolver)


def register_model(
    model: Any,
    name: Callable[[Any], str] = str,
    *,
    related: Sequence[str] = (),
    numeric: bool = True,
) -> None:
    """Register a model's rows as audit objects, named by `name(row)` (default: str(row)),
    labelled with the model's verbose name."""
    register_object_type(
        model._meta.label_lower,
        model._meta.verbose_name,
        pk_resolver(model, name, related=related, numeric=numeric),
    )


def register_value_words(object_type: str, key: str, words: Callable[[Any], str]) -> None:
    """How a recorded value reads when its field has no choices to say it (a list of codes)."""
    _value_words_of[(object_type, key)] = words


def registered_actions() -> dict[str, Label]:
    return dict(_actions)


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """For a filter: per app, "<app>." (every step of the app) and then each of its codes."""
    groups = []
    for app, app_label in _apps.items():
        codes = sorted((c for c in _actions if c.startswith(f"{app}.")), key=action_label)
        options = [(f"{app}.", gettext("%(area)s: every step") % {"area": app_label})]
        groups.append((str(app_label), options + [(c, action_label(c)) for c in codes]))
    return groups


def action_label(code: str) -> str:
    label = _actions.get(code)
    if label is not None:
        return str(label)
    app = code.split(".", 1)[0]
    if app in _apps:
        return gettext("%(area)s: other step") % {"area": _apps[app]}
    return gettext("Other step")


def object_type_label(object_type: str) -> str:
    known = _object_types.get(object_type)
    return str(known.label) if known is not None else gettext("Record")


def object_names(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Display names of (object_type, object_id) pairs: one resolver call per object type."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for object_type, object_id in pairs:
        if object_type and object_id:
            wanted[object_type].add(object_id)
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        known = _object_types.get(object_type)
        if known is None or known.resolver is None:
            continue
        for object_id, name in known.resolver(sorted(ids)).items():
            if name:
                names[(object_type, str(object_id))] = name
    return names


def object_label(object_type: str, object_id: str, name: str | None) -> str:
    if not object_type and not object_id:
        return ""
    kind = object_type_label(object_type)
    if name:
        return f"{kind} {name}"
    if object_id:
        return gettext("%(kind)s no. %(id)s") % {"kind": kind, "id": object_id}
    return kind


# The object type whose resolver names an event's actor (accounts registers it).
ACTOR_TYPE = "accounts.user"


def actor_label(event: Any, name: str | None) -> str:
    """Who acted, by name: the user's full name, 系统 for the platform itself, else the name the
    event recorded (a user name typed at a failed login)."""
    if name:
        return name
    if event.actor_id is None and event.actor == "system":
        return gettext("System")
    if event.actor_id is None and event.actor == "public":  # an anonymous member of the public
        return gettext("Member of the public")
    return str(event.actor)


def source_label(source: str) -> str:
    from anjian.core.services import AuditSource

    try:
        return str(AuditSource(source).label)
    except ValueError:
        return gettext("Other source")


@dataclass(frozen=True)
class ChangeRow:
    label: str
    value: str


def _field_of(object_type: str, key: str) -> Any:
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    try:
        model = apps.get_model(object_type)
        return model._meta.get_field(key)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _value_words(field: Any, value: Any) -> str:
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        # a transition [from, to] of a field with choices, or a list of values
        words = [str(choices.get(v, v)) if choices else str(v) for v in value]
        separator = " → " if choices and len(value) == 2 else "、"
        return separator.join(w or "—" for w in words)
    return str(choices.get(value, value))


def changes_rows(event: Any) -> list[ChangeRow]:
    """The recorded changes that name a field of the event's object, in words: the field's
    label and the value (a choice's label, 是/否). The rest stays in the raw record."""
    rows = []
    for key, value in (event.changes or {}).items():
        field = _field_of(event.object_type, key)
        if field is None or isinstance(value, dict):
            continue
        words = _value_words_of.get((event.object_type, key))
        text = words(value) if words is not None else _value_words(field, value)
        rows.append(ChangeRow(str(field.verbose_name), text))
    return rows


def label_events(events: Iterable[Any]) -> list[Any]:
    """The events with `action_label`, `object_label` and `source_label` set, names resolved
    in bulk (one query per object type on the page)."""
    rows = list(events)
    # The actors are users: their names come in the same query as users that are objects.
    actors = [(ACTOR_TYPE, str(e.actor_id)) for e in rows if e.actor_id is not None]
    names = object_names([(e.object_type, e.object_id) for e in rows] + actors)
    for event in rows:
        event.action_label = action_label(event.action)
        event.source_label = source_label(event.source)
        event.actor_label = actor_label(event, names.get((ACTOR_TYPE, str(event.actor_id))))
        event.object_label = object_label(
            event.object_type, event.object_id, names.get((event.object_type, event.object_id))
        )
    return rows


def _keys(ids: Sequence[str], numeric: bool) -> list[Any]:
    return [int(i) for i in ids if i.isdigit()] if numeric else list(ids)


def pk_resolver(
    model: Any, name: Callable[[Any], str], *, related: Sequence[str] = (), numeric: bool = True
) -> Resolver:
    """A resolver over a model's primary key; with `numeric`, ids that are not numbers are
    skipped (an older event's id must not break the page)."""

    def resolve(ids: Sequence[str]) -> dict[str, str]:
        keys = _keys(ids, numeric)
        if not keys:
            return {}
        qs = model._default_manager.filter(pk__in=keys)
        if related:
            qs = qs.select_related(*related)
        return {str(obj.pk): name(obj) for obj in qs}

    return resolve


def field_resolver(model: Any, field: str, *, numeric: bool = True) -> Resolver:
    """A resolver that reads one column, for the common case of a number or a name."""

    def resolve(ids: Sequence[str]) -> dict[str, str]:
        keys = _keys(ids, numeric)
        if not keys:
            return {}
        rows = model._default_manager.filter(pk__in=keys).values_list("pk", field)
        return {str(pk): str(value) for pk, value in rows if value}

    return resolve


__all__ = [
    "action_choices",
    "action_label",
    "actor_label",
    "changes_rows",
    "field_resolver",
    "label_events",
    "object_label",
    "object_names",
    "object_type_label",
    "pk_resolver",
    "register_actions",
    "register_model",
    "register_object_type",
    "register_value_words",
    "registered_actions",
    "source_label",
]
