"""Every route the site answers, who owns it, who may use it, and the test that proves it.

One row per route, keyed by its pattern as Django's resolver spells it, with the
prefixes of the includes joined on and the language prefix written `{lang}/`. Routes
inside Wagtail pages (RoutablePageMixin) are keyed `{page:<app.model>}/<pattern>`.
tests/site/test_route_inventory.py walks the resolver and the routable pages and fails
on a route missing here (printing the row to add) and on a row no longer mounted:
adding a route without deciding who may use it is a failing test, not a future hole.

Not mounted, on purpose (see config/urls.py): Django's admin, and all of
django-comments-xtd's and django-comments' URLs (confirm/mute unpickle a signed key;
reply serves hidden comments; the REST API skips the debates' rules and names who liked).

Over 500 lines because it is a table (one row per route, ~400 of them): splitting it would
scatter the one list a reviewer reads to see who may reach what.
"""
# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

# ---- Who may use a route ----
ANONYMOUS = "anonymous"  # anyone, no account needed
SIGNED_LINK = "signed-link"  # anyone holding a link the site signed (e-mails)
PAGE_RULES = "page-rules"  # a Wagtail page or document: public, or its privacy, collection or restricted space decides
LOGGED_IN = "logged-in"  # any account
VERIFIED_OFFICIAL = (
    "verified-official"  # a verified official (of an invited entity in a restricted space)
)
OFFICE_PARTY = (
    "official-agent-manager"  # the entity's officials, its territorial agent, the office's managers
)
EDITOR = "editor"  # Wagtail admin access; Wagtail's own permissions decide inside
MODERATOR = "moderator"  # the Diputació's debate moderators

ACCESS = (
    ANONYMOUS,
    SIGNED_LINK,
    PAGE_RULES,
    LOGGED_IN,
    VERIFIED_OFFICIAL,
    OFFICE_PARTY,
    EDITOR,
    MODERATOR,
)

# ---- Owners ----
WAGTAIL_ADMIN = "wagtail-admin"
WAGTAIL = "wagtail"
WAGTAIL_API = "wagtail-api"
DJANGO = "django"
PROJECT_APPS = (
    "config",
    "home",
    "dataportal",
    "facilities",
    "surveys",
    "cooperation",
    "office",
    "debates",
    "notifications",
    "databank",
)
OWNERS = (WAGTAIL_ADMIN, WAGTAIL, WAGTAIL_API, DJANGO, *PROJECT_APPS)

# ---- Proofs (test node ids; the inventory test checks that each exists) ----
INVENTORY = "tests/site/test_route_inventory.py"
STAFF_PROOF = f"{INVENTORY}::test_routes_for_staff_refuse_anonymous_and_officials"
ANYONE_PROOF = f"{INVENTORY}::test_no_route_answers_a_server_error_to_anonymous"
SD = "tests/hardening/test_side_doors.py::"
DEBATE_MATRIX = "tests/debates/test_permissions.py::test_permission_matrix"
OFFICE_MATRIX = "tests/office/test_permissions.py::test_permission_row"


@dataclass(frozen=True)
class Route:
    pattern: str
    owner: str
    access: str
    proof: str

    def as_row(self) -> str:
        """The line of ROUTES_TABLE for this route, as the inventory test asks it to be added."""
        prefix = "r" if "\\" in self.pattern else ""
        return f'    ({prefix}"{self.pattern}", "{self.owner}", "{self.access}", "{self.proof}"),'


# To add a route: paste the row the inventory test prints, choose who may use it (ACCESS)
# and name the test that proves it: your own, or STAFF_PROOF for a route only staff may
# use (it checks that anonymous visitors and officials are refused).
# fmt: off
ROUTES_TABLE: list[tuple[str, str, str, str]] = [
    # ---- home ----
    ("healthz", "home", ANONYMOUS, "tests/site/test_pages.py::test_health_endpoint"),
    ("{lang}/search/", "home", ANONYMOUS, SD + "test_search_hides_restricted_spaces"),
    # ---- dataportal ----
    ("admin/publish/", "dataportal", EDITOR, "tests/dataportal/test_publish_admin.py::test_admin_user_without_the_permission_gets_403"),
    ("admin/publish/<int:run_id>/", "dataportal", EDITOR, STAFF_PROOF),
    ("admin/formula-drafts/", "dataportal", EDITOR, "tests/dataportal/test_formula_drafts.py::test_officials_and_anonymous_cannot_draft"),
    ("admin/formula-drafts/<int:draft_id>/preview/", "dataportal", EDITOR, STAFF_PROOF),
    ("admin/formula-drafts/<int:draft_id>/debate/", "dataportal", EDITOR, STAFF_PROOF),
    ("data/boundaries-08.geojson", "dataportal", ANONYMOUS, "tests/dataportal/test_profiles.py::test_index_lists_every_municipality_of_the_province"),
    ("data/packages/<slug:name>/<path:file_path>", "dataportal", ANONYMOUS, "tests/dataportal/test_catalog_and_sdg.py::test_package_files_outside_the_descriptor_are_refused"),
    ("api/v2/entities/", "dataportal", ANONYMOUS, "tests/dataportal/test_profiles.py::test_entity_api"),
    ("api/v2/entities/<str:code>/", "dataportal", ANONYMOUS, "tests/dataportal/test_profiles.py::test_entity_api"),
    ("api/v2/allocations/<slug:formula_id>/", "dataportal", ANONYMOUS, "tests/dataportal/test_allocation_explorer.py::test_allocation_api_sums_to_the_budget"),
    ("{page:dataportal.municipalityindexpage}/", "dataportal", ANONYMOUS, "tests/dataportal/test_profiles.py::test_index_lists_every_municipality_of_the_province"),
    (r"{page:dataportal.municipalityindexpage}/^(?P<code>\d{5})/$", "dataportal", ANONYMOUS, "tests/dataportal/test_profiles.py::test_profile_lists_the_debates_its_officials_took_part_in"),
    ("{page:dataportal.allocationexplorerpage}/", "dataportal", ANONYMOUS, "tests/dataportal/test_allocation_explorer.py::test_overview_explains_the_formula_and_lists_every_municipality"),
    (r"{page:dataportal.allocationexplorerpage}/^(?P<code>\d{5})/$", "dataportal", ANONYMOUS, "tests/dataportal/test_allocation_explorer.py::test_entity_explanation_adds_up"),
    ("{page:dataportal.allocationexplorerpage}/proposal/<int:draft_id>/", "dataportal", ANONYMOUS, "tests/dataportal/test_formula_drafts.py::test_editor_drafts_previews_and_opens_a_debate"),
    ("{page:dataportal.allocationexplorerpage}/compare/", "dataportal", ANONYMOUS, "tests/dataportal/test_allocation_explorer.py::test_comparison_lists_winners_and_losers"),
    ("{page:dataportal.datacatalogpage}/", "dataportal", ANONYMOUS, "tests/dataportal/test_catalog_and_sdg.py::test_catalog_lists_every_dataset"),
    ("{page:dataportal.datacatalogpage}/^(?P<name>[a-z0-9][a-z0-9-]*)/$", "dataportal", ANONYMOUS, "tests/dataportal/test_catalog_and_sdg.py::test_dataset_page_shows_columns_preview_and_downloads"),
    ("{page:dataportal.sdgindexpage}/", "dataportal", ANONYMOUS, "tests/dataportal/test_catalog_and_sdg.py::test_sdg_index_shows_17_goals"),
    ("{page:dataportal.sdgindexpage}/^(?P<goal>[0-9]{1,2})/$", "dataportal", ANONYMOUS, "tests/dataportal/test_catalog_and_sdg.py::test_goal_dashboard_maps_and_charts_an_indicator"),
    # ---- databank ----
    ("admin/databank/", "databank", EDITOR, "tests/databank/test_admin.py::test_admin_user_without_the_permission_gets_403"),
    ("admin/databank/imports/<int:import_id>/", "databank", EDITOR, "tests/databank/test_admin.py::test_admin_user_without_the_permission_gets_403"),
    ("admin/databank/imports/<int:import_id>/problems.csv", "databank", EDITOR, "tests/databank/test_admin.py::test_admin_user_without_the_permission_gets_403"),
    ("admin/databank/imports/<int:import_id>/confirm/", "databank", EDITOR, "tests/databank/test_admin.py::test_admin_user_without_the_permission_gets_403"),
    ("admin/databank/imports/<int:import_id>/undo/", "databank", EDITOR, "tests/databank/test_admin.py::test_admin_user_without_the_permission_gets_403"),
    ("admin/snippets/databank/indicator/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/databank/indicator/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/databank/indicator/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/databank/indicator/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/databank/indicator/delete/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/databank/indicator/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/databank/indicator/history/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/databank/indicator/history-results/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/databank/indicator/copy/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/databank/indicator/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/databank/indicator/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/databank/indicator/chosen/<str:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/databank/indicator/chosen-multiple/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/databank/indicator/create/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    # ---- facilities ----
    ("data/facilities/facilities.geojson", "facilities", ANONYMOUS, "tests/facilities/test_pages.py::test_geojson_csv_and_boundaries_endpoints"),
    ("data/facilities/facilities.csv", "facilities", ANONYMOUS, "tests/facilities/test_pages.py::test_geojson_csv_and_boundaries_endpoints"),
    ("data/facilities/boundaries.geojson", "facilities", ANONYMOUS, "tests/facilities/test_pages.py::test_geojson_csv_and_boundaries_endpoints"),
    # ---- surveys ----
    ("{page:surveys.surveypage}/", "surveys", ANONYMOUS, "tests/surveys/test_answering.py::test_a_resident_answers_anonymously_once"),
    ("{page:surveys.surveypage}/answer/<str:entity_code>/", "surveys", ANONYMOUS, "tests/surveys/test_answering.py::test_a_resident_answers_anonymously_once"),
    ("{page:surveys.surveypage}/thanks/", "surveys", ANONYMOUS, "tests/surveys/test_answering.py::test_a_resident_answers_anonymously_once"),
    ("{page:surveys.surveypage}/results/", "surveys", ANONYMOUS, "tests/surveys/test_answering.py::test_results_are_suppressed_below_the_threshold"),
    ("{page:surveys.surveypage}/results/<str:entity_code>/", "surveys", ANONYMOUS, "tests/surveys/test_answering.py::test_results_are_suppressed_below_the_threshold"),
    ("{page:surveys.surveypage}/data/aggregates/", "surveys", ANONYMOUS, "tests/surveys/test_answering.py::test_open_data_exports_respect_suppression_and_exclude_free_text"),
    ("{page:surveys.surveypage}/data/microdata/", "surveys", ANONYMOUS, "tests/surveys/test_answering.py::test_open_data_exports_respect_suppression_and_exclude_free_text"),
    # ---- cooperation ----
    ("{page:cooperation.cooperationindexpage}/", "cooperation", ANONYMOUS, "tests/cooperation/test_pages.py::test_public_summary_and_entity_pages"),
    ("{page:cooperation.cooperationindexpage}/data/actions/", "cooperation", ANONYMOUS, "tests/cooperation/test_pages.py::test_public_summary_and_entity_pages"),
    ("{page:cooperation.cooperationindexpage}/<str:entity_code>/", "cooperation", ANONYMOUS, "tests/cooperation/test_pages.py::test_public_summary_and_entity_pages"),
    ("{page:cooperation.cooperationindexpage}/<str:entity_code>/private/", "cooperation", VERIFIED_OFFICIAL, "tests/cooperation/test_pages.py::test_private_page_only_for_officials_of_that_entity"),
    ("{page:cooperation.cooperationindexpage}/<str:entity_code>/private/documents/<int:document_id>/", "cooperation", VERIFIED_OFFICIAL, "tests/cooperation/test_pages.py::test_private_page_only_for_officials_of_that_entity"),
    # ---- office ----
    ("office/attachments/<int:attachment_id>/", "office", OFFICE_PARTY, "tests/office/test_attachments.py::test_the_download_is_checked_and_safe"),
    ("office/data/office_metrics.csv", "office", ANONYMOUS, "tests/office/test_metrics.py::test_metrics_page_and_downloads"),
    ("office/data/office_metrics.schema.json", "office", ANONYMOUS, "tests/office/test_metrics.py::test_metrics_page_and_downloads"),
    ("office/notifications/", "notifications", ANONYMOUS, "tests/notifications/test_emails.py::test_the_older_preference_pages_redirect"),
    ("office/requests/", "office", OFFICE_PARTY, OFFICE_MATRIX),
    ("{page:office.officepage}/", "office", ANONYMOUS, "tests/office/test_pages.py::test_catalogue_search_and_area_filter"),
    ("{page:office.officepage}/services/<slug:code>/", "office", ANONYMOUS, "tests/office/test_pages.py::test_service_page_and_withdrawn_service"),
    ("{page:office.officepage}/requests/", "office", OFFICE_PARTY, OFFICE_MATRIX),
    ("{page:office.officepage}/requests/new/", "office", OFFICE_PARTY, OFFICE_MATRIX),
    ("{page:office.officepage}/requests/<str:reference>/", "office", OFFICE_PARTY, OFFICE_MATRIX),
    ("{page:office.officepage}/requests/<str:reference>/message/", "office", OFFICE_PARTY, OFFICE_MATRIX),
    ("{page:office.officepage}/requests/<str:reference>/state/", "office", OFFICE_PARTY, OFFICE_MATRIX),
    ("{page:office.officepage}/metrics/", "office", ANONYMOUS, "tests/office/test_metrics.py::test_metrics_page_and_downloads"),
    # ---- debates ----
    ("admin/debates/queue/", "debates", MODERATOR, STAFF_PROOF),
    ("admin/debates/log/", "debates", MODERATOR, STAFF_PROOF),
    ("admin/debates/reports/", "debates", MODERATOR, STAFF_PROOF),
    ("admin/debates/reports/<int:debate_id>/", "debates", MODERATOR, STAFF_PROOF),
    ("debates/<int:debate_id>/comment/", "debates", VERIFIED_OFFICIAL, DEBATE_MATRIX),
    ("debates/<int:debate_id>/comments/", "debates", PAGE_RULES, "tests/debates/test_fragments.py::test_fragments_follow_the_page_access_rules"),
    ("debates/<int:debate_id>/close/", "debates", MODERATOR, "tests/debates/test_services.py::test_only_moderators_close"),
    ("debates/<int:debate_id>/follow/", "debates", LOGGED_IN, SD + "test_restricted_debates_reach_no_outsider_by_email_or_open_data"),
    ("debates/comment/<int:comment_id>/edit/", "debates", VERIFIED_OFFICIAL, SD + "test_edits_are_rate_limited_like_posts"),
    ("debates/comment/<int:comment_id>/delete/", "debates", VERIFIED_OFFICIAL, "tests/debates/test_comment_delete_and_report.py::test_only_the_author_may_delete"),
    ("debates/comment/<int:comment_id>/report/", "debates", VERIFIED_OFFICIAL, "tests/debates/test_comment_delete_and_report.py::test_those_who_may_not_take_part_cannot_report"),
    # ---- notifications (in-app notifications, my municipality, my territory) ----
    ("{lang}/notifications/", "notifications", LOGGED_IN, "tests/notifications/test_notifications.py::test_the_list_needs_a_login_and_marking_needs_a_post"),
    ("{lang}/notifications/read-all/", "notifications", LOGGED_IN, "tests/notifications/test_notifications.py::test_mark_one_and_all_read"),
    ("{lang}/notifications/<int:notification_id>/", "notifications", LOGGED_IN, "tests/notifications/test_notifications.py::test_nobody_opens_someone_elses_notification"),
    ("{lang}/notifications/<int:notification_id>/read/", "notifications", LOGGED_IN, "tests/notifications/test_notifications.py::test_nobody_opens_someone_elses_notification"),
    ("email-preferences/", "notifications", LOGGED_IN, "tests/notifications/test_emails.py::test_one_page_sets_the_preference_of_each_source"),
    ("unsubscribe/<str:token>/", "notifications", SIGNED_LINK, "tests/notifications/test_emails.py::test_unsubscribe_link_is_signed_and_works"),
    ("{lang}/my-municipality/", "notifications", VERIFIED_OFFICIAL, "tests/notifications/test_my_municipality.py::test_others_get_a_page_that_explains"),
    ("{lang}/my-territory/", "notifications", OFFICE_PARTY, "tests/notifications/test_my_municipality.py::test_the_agents_queue_lists_open_requests_of_the_territory"),
    ("debates/comment/<int:comment_id>/like/", "debates", VERIFIED_OFFICIAL, SD + "test_reactions_apply_the_debate_rules"),
    ("debates/comment/<int:comment_id>/flag/", "debates", VERIFIED_OFFICIAL, SD + "test_reactions_apply_the_debate_rules"),
    ("debates/comment/<int:comment_id>/hide/", "debates", MODERATOR, "tests/debates/test_services.py::test_hiding_keeps_replies_and_shows_the_reason"),
    ("debates/comment/<int:comment_id>/unhide/", "debates", MODERATOR, DEBATE_MATRIX),
    ("debates/comment/<int:comment_id>/dismiss-flags/", "debates", MODERATOR, "tests/debates/test_services.py::test_flags_reach_the_queue_and_can_be_dismissed"),
    ("debates/user/<int:user_id>/block/", "debates", MODERATOR, "tests/debates/test_services.py::test_blocking_stops_taking_part_and_is_logged"),
    ("debates/user/<int:user_id>/unblock/", "debates", MODERATOR, DEBATE_MATRIX),
    ("debates/notifications/", "notifications", ANONYMOUS, "tests/notifications/test_emails.py::test_the_older_preference_pages_redirect"),
    ("debates/unsubscribe/<str:token>/", "notifications", SIGNED_LINK, "tests/notifications/test_emails.py::test_links_in_emails_already_sent_still_unsubscribe"),
    # ---- Wagtail (page serving, documents, page privacy) ----
    (r"documents/^(\d+)/(.*)$", WAGTAIL, PAGE_RULES, ANYONE_PROOF),
    ("documents/authenticate_with_password/<int:restriction_id>/", WAGTAIL, ANONYMOUS, ANYONE_PROOF),
    ("{lang}/_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/", WAGTAIL, ANONYMOUS, ANYONE_PROOF),
    ("{lang}/_util/login/", WAGTAIL, ANONYMOUS, ANYONE_PROOF),
    (r"{lang}/^((?:[\w\-]+/)*)$", WAGTAIL, PAGE_RULES, "tests/debates/test_services.py::test_space_lists_debates_by_state_and_restricted_space_is_private"),
    # ---- Wagtail API v2 (config/api.py) ----
    ("api/v2/^pages/", WAGTAIL_API, PAGE_RULES, SD + "test_pages_api_hides_restricted_spaces"),
    ("api/v2/^pages/<int:pk>/", WAGTAIL_API, PAGE_RULES, SD + "test_pages_api_hides_restricted_spaces"),
    ("api/v2/^pages/find/", WAGTAIL_API, PAGE_RULES, SD + "test_pages_api_hides_restricted_spaces"),
    ("api/v2/^images/", WAGTAIL_API, ANONYMOUS, ANYONE_PROOF),
    ("api/v2/^images/<int:pk>/", WAGTAIL_API, ANONYMOUS, ANYONE_PROOF),
    ("api/v2/^images/find/", WAGTAIL_API, ANONYMOUS, ANYONE_PROOF),
    ("api/v2/^documents/", WAGTAIL_API, ANONYMOUS, ANYONE_PROOF),
    ("api/v2/^documents/<int:pk>/", WAGTAIL_API, ANONYMOUS, ANYONE_PROOF),
    ("api/v2/^documents/find/", WAGTAIL_API, ANONYMOUS, ANYONE_PROOF),
    # ---- Django ----
    (r"^media/(?P<path>.*)$", DJANGO, ANONYMOUS, f"{INVENTORY}::test_media_is_served_by_django_only_under_debug"),  # development server only
    ("i18n/setlang/", DJANGO, ANONYMOUS, "tests/site/test_pages.py::test_language_switcher_links_to_the_translation"),
    ("{lang}/accounts/login/", DJANGO, ANONYMOUS, ANYONE_PROOF),
    ("{lang}/accounts/logout/", DJANGO, ANONYMOUS, ANYONE_PROOF),
    # ---- Wagtail admin ----
    ("admin/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/test404/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/api/main/^pages/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/api/main/^pages/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/api/main/^pages/find/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/api/main/^pages/<int:pk>/action/<str:action_name>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/api/main/^documents/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/api/main/^documents/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/api/main/^documents/find/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/api/main/^images/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/api/main/^images/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/api/main/^images/find/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/failwhale/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:parent_page_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:parent_page_id>/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/bulk/<str:app_label>/<str:model_name>/<str:action>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/preview/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/create/<slug:app_label>/<slug:model_name>", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/usage/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/edit/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/edit/preview/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/view_draft/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:parent_page_id>/add_subpage/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/delete/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/unpublish/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/convert_alias/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/search/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/search/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_to_move_id>/move/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_to_move_id>/set_position/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/copy/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/workflow/collect_action_data/<int:page_id>/<slug:action_name>/<int:task_state_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/workflow/confirm_cancellation/<int:page_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/workflow/preview/<int:page_id>/<int:task_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/privacy/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/lock/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/unlock/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/revisions/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/revisions/<int:revision_id>/view/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/revisions/<int:revision_id>/revert/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/revisions/<int:revision_id>/unschedule/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    (r"admin/pages/^(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/$", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/workflow_history/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/workflow_history/detail/<int:workflow_state_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/history/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/pages/<int:page_id>/history/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/choose-page/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/choose-page/<int:parent_page_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/choose-page/search/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/choose-page/chosen-multiple/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/choose-external-link/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/choose-email-link/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/choose-phone-link/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/choose-anchor-link/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/tag-autocomplete/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/collections/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/collections/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/collections/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/collections/<int:pk>/delete/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/collections/<int:collection_id>/privacy/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/list/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/list/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/enable/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/disable/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/usage/<int:pk>/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/remove/<int:page_pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/tasks/add/<str:app_label>/<str:model_name>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/tasks/select_type/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/tasks/index/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/tasks/index/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/tasks/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/tasks/disable/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/tasks/enable/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/task_chooser/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/task_chooser/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/task_chooser/create/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/workflows/task_chooser/<int:task_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/reports/locked/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/reports/locked/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/reports/workflow/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/reports/workflow/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/reports/workflow_tasks/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/reports/workflow_tasks/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/reports/site-history/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/reports/site-history/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/reports/aging-pages/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/reports/aging-pages/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/reports/page-types-usage/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/reports/page-types-usage/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/account/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/logout/", WAGTAIL_ADMIN, ANONYMOUS, ANYONE_PROOF),
    ("admin/dismissibles/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/editing-sessions/ping/<str:app_label>/<str:model_name>/<str:object_id>/<int:session_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/editing-sessions/release/<int:session_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/block-preview/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/forms/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/forms/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/forms/submissions/<int:page_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/forms/submissions/<int:page_id>/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/forms/submissions/<int:page_id>/delete/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/redirects/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/redirects/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/redirects/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/redirects/<int:redirect_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/redirects/<int:redirect_id>/delete/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/redirects/import/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/redirects/import/process/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/settings/<slug:app_name>/<slug:model_name>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/preview/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/translation/submit/page/<int:page_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/translation/submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/searchpicks/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/searchpicks/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/searchpicks/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/searchpicks/<int:query_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/searchpicks/<int:query_id>/delete/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/searchpicks/queries/chooser/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/searchpicks/queries/chooser/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/searchpicks/reports/search-terms/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/searchpicks/reports/search-terms/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/embeds/chooser/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/embeds/chooser/upload/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/edit/<int:document_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/delete/<int:document_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/multiple/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/multiple/<int:doc_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/multiple/create_from_uploaded_document/<int:uploaded_file_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/multiple/<int:doc_id>/delete/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/multiple/delete_upload/<int:uploaded_file_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/usage/<int:document_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/<int:image_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/<int:image_id>/delete/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/<int:image_id>/generate_url/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/<int:image_id>/generate_url/output/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/<int:image_id>/preview/<str:filter_spec>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/usage/<int:image_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/multiple/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/multiple/<int:image_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/multiple/create_from_uploaded_image/<int:uploaded_file_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/multiple/<int:image_id>/delete/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/multiple/delete_upload/<int:uploaded_file_id>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/dataportal/formuladraft/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/dataportal/formuladraft/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/dataportal/formuladraft/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/dataportal/formuladraft/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/dataportal/formuladraft/delete/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/dataportal/formuladraft/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/dataportal/formuladraft/history/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/dataportal/formuladraft/history-results/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/dataportal/formuladraft/copy/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/dataportal/formuladraft/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/dataportal/formuladraft/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/dataportal/formuladraft/chosen/<str:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/dataportal/formuladraft/chosen-multiple/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/dataportal/formuladraft/create/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/official/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/official/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/official/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/official/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/official/delete/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/official/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/official/history/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/official/history-results/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/official/copy/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/debates/official/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/debates/official/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/debates/official/chosen/<str:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/debates/official/chosen-multiple/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/debates/official/create/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/userblock/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/userblock/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/userblock/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/userblock/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/userblock/delete/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/userblock/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/userblock/history/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/userblock/history-results/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/debates/userblock/copy/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/debates/userblock/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/debates/userblock/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/debates/userblock/chosen/<str:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/debates/userblock/chosen-multiple/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/debates/userblock/create/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/cooperationaction/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/cooperationaction/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/cooperationaction/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/cooperationaction/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/cooperationaction/delete/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/cooperationaction/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/cooperationaction/history/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/cooperationaction/history-results/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/cooperationaction/copy/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/cooperation/cooperationaction/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/cooperation/cooperationaction/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/cooperation/cooperationaction/chosen/<str:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/cooperation/cooperationaction/chosen-multiple/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/cooperation/cooperationaction/create/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/programme/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/programme/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/programme/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/programme/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/programme/delete/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/programme/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/programme/history/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/programme/history-results/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/cooperation/programme/copy/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/cooperation/programme/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/cooperation/programme/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/cooperation/programme/chosen/<str:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/cooperation/programme/chosen-multiple/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/cooperation/programme/create/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/service/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/service/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/service/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/service/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/service/delete/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/service/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/service/history/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/service/history-results/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/service/copy/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/office/service/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/office/service/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/office/service/chosen/<str:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/office/service/chosen-multiple/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/office/service/create/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/territorialagent/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/territorialagent/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/territorialagent/add/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/territorialagent/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/territorialagent/delete/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/territorialagent/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/territorialagent/history/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/territorialagent/history-results/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/office/territorialagent/copy/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/office/territorialagent/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/office/territorialagent/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/office/territorialagent/chosen/<str:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/office/territorialagent/chosen-multiple/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/snippets/choose/office/territorialagent/create/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/sites/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/sites/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/sites/new/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/sites/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/sites/delete/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/sites/history/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/sites/history-results/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/sites/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/sites/copy/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/users/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/users/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/users/new/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/users/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/users/delete/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/users/history/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/users/history-results/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/users/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/users/copy/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/groups/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/groups/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/groups/new/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/groups/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/groups/delete/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/groups/history/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/groups/history-results/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/groups/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/chooser/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/chooser/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/chooser/chosen/<str:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/chooser/chosen-multiple/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/documents/chooser/create/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/chooser/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/chooser/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/chooser/chosen/<str:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/chooser/chosen-multiple/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/chooser/create/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/images/chooser/<int:image_id>/select_format/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/locales/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/locales/results/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/locales/new/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/locales/edit/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/locales/delete/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/locales/history/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/locales/history-results/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/locales/usage/<int:pk>/", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
    ("admin/sprite/", WAGTAIL_ADMIN, ANONYMOUS, ANYONE_PROOF),  # the icons of the login page
    ("admin/login/", WAGTAIL_ADMIN, ANONYMOUS, ANYONE_PROOF),
    ("admin/password_reset/", WAGTAIL_ADMIN, ANONYMOUS, ANYONE_PROOF),
    ("admin/password_reset/done/", WAGTAIL_ADMIN, ANONYMOUS, ANYONE_PROOF),
    ("admin/password_reset/confirm/<uidb64>/<token>/", WAGTAIL_ADMIN, SIGNED_LINK, ANYONE_PROOF),
    ("admin/password_reset/complete/", WAGTAIL_ADMIN, ANONYMOUS, ANYONE_PROOF),
    ("admin/jsi18n/", WAGTAIL_ADMIN, ANONYMOUS, ANYONE_PROOF),  # the login page's translations
    ("admin/^.*/$", WAGTAIL_ADMIN, EDITOR, STAFF_PROOF),
]
# fmt: on

ROUTES: dict[str, Route] = {row[0]: Route(*row) for row in ROUTES_TABLE}


# ---- What is mounted ----


@dataclass(frozen=True)
class MountedRoute:
    pattern: str
    view: str  # dotted path of the view, to suggest an owner
    name: str


def _pattern_text(pattern) -> str:
    from django.urls.resolvers import LocalePrefixPattern

    return "{lang}/" if isinstance(pattern, LocalePrefixPattern) else str(pattern)


def _view_path(callback) -> str:
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return f"{view.__module__}.{getattr(view, '__qualname__', type(view).__name__)}"


def _walk(patterns, prefix: str = "") -> Iterator[MountedRoute]:
    from django.urls import URLResolver

    for pattern in patterns:
        text = prefix + _pattern_text(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, text)
        else:
            yield MountedRoute(text, _view_path(pattern.callback), pattern.name or "")


def routes_mounted(urlconf: str | None = None) -> list[MountedRoute]:
    """Every route the resolver knows (recursively, i18n patterns included) and every
    route of the routable Wagtail pages. A pattern seen twice is listed once: the first
    one is the only one that can answer."""
    from django.urls import get_resolver
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import get_page_models

    found = list(_walk(get_resolver(urlconf).url_patterns))
    for model in get_page_models():
        if issubclass(model, RoutablePageMixin):
            prefix = f"{{page:{model._meta.label_lower}}}/"
            found.extend(_walk(model.get_subpage_urls(), prefix))
    unique: dict[str, MountedRoute] = {}
    for route in found:
        unique.setdefault(route.pattern, route)
    return list(unique.values())


def routes_mounted_in_debug() -> list[MountedRoute]:
    """The routes config/urls.py mounts only with DEBUG on (the development server's),
    read from a fresh copy of the module so the running site's URLs are left alone."""
    import importlib.util

    from django.test.utils import override_settings

    spec = importlib.util.find_spec("concertem.config.urls")
    module = importlib.util.module_from_spec(spec)
    with override_settings(DEBUG=True):
        spec.loader.exec_module(module)
    production = {route.pattern for route in _walk(_production_patterns())}
    return [route for route in _walk(module.urlpatterns) if route.pattern not in production]


def _production_patterns() -> list:
    from concertem.config import urls

    return urls.urlpatterns


def route_owner_guess(route: MountedRoute) -> str:
    """The owner a new row most likely has (the test prints it in the row to add)."""
    top = route.view.split(".")[0]
    if top in PROJECT_APPS:
        return top
    if route.pattern.startswith("{page:"):
        return route.pattern[len("{page:") :].split(".")[0]
    if route.pattern.startswith("admin/"):
        return WAGTAIL_ADMIN
    if route.pattern.startswith("api/"):
        return WAGTAIL_API
    return WAGTAIL if top == "wagtail" else DJANGO


def inventory_problems(mounted: list[MountedRoute] | None = None) -> list[str]:
    """What the table and the resolver disagree on, each as a line that says the fix."""
    mounted = routes_mounted() + routes_mounted_in_debug() if mounted is None else mounted
    problems = []
    for route in mounted:
        if route.pattern not in ROUTES:
            row = Route(
                route.pattern,
                route_owner_guess(route),
                "<who may use it: " + " | ".join(ACCESS) + ">",
                "<tests/...py::test_that_proves_it>",
            )
            problems.append(
                f"route mounted but not in config/route_access.py ({route.view}); add:\n"
                f"{row.as_row()}"
            )
    patterns = {route.pattern for route in mounted}
    for pattern, route in ROUTES.items():
        if pattern not in patterns:
            problems.append(f"row for a route no longer mounted; remove:\n{route.as_row()}")
    return problems
