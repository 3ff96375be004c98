"""The project's URLs plus one test page that shows an entity's evidence panel, as the record
pages of inspections and cases do (entities take evidence in tests only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template import RequestContext, Template
from django.urls import path

from anjian.entities.models import Entity
from anjian.urls import urlpatterns as project_urlpatterns

PAGE = Template(
    '{% extends "base.html" %}{% load evidence %}{% block content %}'
    '<h1 class="h4">{{ entity.name }}</h1>{% evidence_panel entity list_id="ev-entity" %}'
    "{% endblock %}"
)


def entity_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    entity = get_object_or_404(Entity.objects.visible_to(request.user), pk=pk)
    return HttpResponse(PAGE.render(RequestContext(request, {"entity": entity})))


urlpatterns = [
    *project_urlpatterns,
    path("test-evidence/<int:pk>/", entity_evidence, name="test_entity_evidence"),
]
