"""Registrations only: the 「PF の管理」 snippets and the admin hooks.

What each registration does lives in directory.wagtail_admin (viewsets, guards, account, api,
editor) and the rules behind them in directory.membership.access and .lifecycle.
"""

from __future__ import annotations

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from directory.listings import freshness as freshness_rule
from directory.membership.lifecycle import register_log_actions
from directory.reports import viewsets as reports
from directory.wagtail_admin import dashboard, freshness, guards, notices, organisation
from directory.wagtail_admin.account import account_email_panel
from directory.wagtail_admin.api import narrow_media_endpoints
from directory.wagtail_admin.checkbox_filter import checkbox_filter_js
from directory.wagtail_admin.editor import map_pin_js
from directory.wagtail_admin.viewsets import PlatformAdminGroup
from exchange import admin_views as import_screen

reports.register_policy()
register_snippet(PlatformAdminGroup)
register_snippet(reports.ListingReportViewSet)

hooks.register("before_create_page", guards.member_pages_come_from_admission)
hooks.register("before_delete_page", guards.keep_member_pages)
hooks.register("before_unpublish_page", notices.require_unpublish_reason)
hooks.register("after_unpublish_page", notices.tell_member_of_unpublish)
hooks.register("before_bulk_action", notices.unpublish_in_bulk_needs_reasons)
hooks.register("before_bulk_action", guards.keep_member_pages_in_bulk)
hooks.register("before_bulk_action", guards.keep_members_with_pages_in_bulk)
hooks.register("construct_page_chooser_queryset", guards.pages_for_chooser)
hooks.register("construct_reports_menu", guards.hide_site_reports)
hooks.register("register_account_settings_panel", account_email_panel)
hooks.register("construct_admin_api", narrow_media_endpoints, order=100)
hooks.register("register_log_actions", register_log_actions)
hooks.register("insert_editor_js", map_pin_js)
hooks.register("insert_editor_js", checkbox_filter_js)
hooks.register("register_page_header_buttons", freshness.verify_header_button)
hooks.register("register_page_listing_more_buttons", freshness.verify_listing_button)
hooks.register("register_admin_urls", freshness.admin_urls)
hooks.register("register_admin_urls", organisation.admin_urls)
hooks.register("register_admin_menu_item", organisation.organisation_menu_item)
hooks.register("register_admin_urls", import_screen.admin_urls)
hooks.register("register_admin_menu_item", import_screen.imports_menu_item)
hooks.register("register_reports_menu_item", freshness.stale_report_menu_item)
hooks.register("register_log_actions", freshness_rule.register_log_actions)
hooks.register("register_log_actions", reports.register_log_actions)
hooks.register("construct_homepage_panels", dashboard.dashboard_panels)
hooks.register("construct_homepage_summary_items", dashboard.drop_summary_counts, order=100)
