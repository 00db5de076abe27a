"""Registrations only: the 事務局's synonym snippet (search/synonym_admin.py) and its policy."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from search.models import SynonymEntry
from search.synonym_admin import SecretariatOnlyPolicy, SynonymEntryViewSet

register_permission_policy(SynonymEntry, SecretariatOnlyPolicy(SynonymEntry))
register_snippet(SynonymEntryViewSet)
