from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterpriseConfig(AppConfig):
    name = "anjian.enterprise"
    label = "enterprise"
    verbose_name = _("Enterprise service")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.core.scope import register_entity_binder
        from anjian.enterprise import audit
        from anjian.enterprise.selectors import bound_entity_ids

        # Core's data scope knows no enterprise app: an enterprise account sees the rows of the
        # entities it is bound to through this binder.
        register_entity_binder(bound_entity_ids)
        audit.register()
        # The enterprise's accounts and filings on the entity's profile; its home panel.
        from anjian.enterprise import home, timeline  # noqa: F401

        # Photos of the hazards an enterprise finds itself, through the evidence app's checks.
        from anjian.enterprise.models import SelfHazard
        from anjian.enterprise.services import self_hazard_may_attach
        from anjian.evidence.registry import evidence_subject_register

        evidence_subject_register(
            SelfHazard,
            may_attach=self_hazard_may_attach,
            region_of=lambda hazard: hazard.inspection.entity.region_id,
        )
