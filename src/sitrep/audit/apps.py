from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sitrep.audit"
    label = "audit"
    verbose_name = "Audit log"
