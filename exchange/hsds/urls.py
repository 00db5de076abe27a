"""/api/hsds/: the HSDS 3.0 read API (paths of the HSDS openapi.json)."""

from django.urls import path

from exchange.hsds import api as hsds_api

urlpatterns = [
    path("", hsds_api.api_root, name="hsds-root"),
    path("openapi.json", hsds_api.openapi, name="hsds-openapi"),
    path("services", hsds_api.services, name="hsds-services"),
    path("services/<str:id>", hsds_api.service_detail, name="hsds-service"),
    path("organizations", hsds_api.organizations, name="hsds-organizations"),
    path("organizations/<str:id>", hsds_api.organization_detail, name="hsds-organization"),
    path("service_at_locations", hsds_api.service_at_locations, name="hsds-service-at-locations"),
    path(
        "service_at_locations/<str:id>",
        hsds_api.service_at_location_detail,
        name="hsds-service-at-location",
    ),
    path("taxonomies", hsds_api.taxonomies, name="hsds-taxonomies"),
    path("taxonomies/<str:id>", hsds_api.taxonomy_detail, name="hsds-taxonomy"),
    path("taxonomy_terms", hsds_api.taxonomy_terms, name="hsds-taxonomy-terms"),
    path("taxonomy_terms/<str:id>", hsds_api.taxonomy_term_detail, name="hsds-taxonomy-term"),
]
