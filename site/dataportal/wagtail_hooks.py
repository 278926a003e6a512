from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from dataportal import admin_urls
from dataportal.publish_services import PERMISSION


@hooks.register("register_admin_urls")
def publish_admin_urls():
    return [path("publish/", include(admin_urls, namespace="dataportal_admin"))]


class PublishMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def publish_menu_item():
    return PublishMenuItem(
        _("Publish open data"),
        reverse("dataportal_admin:publish-index"),
        icon_name="upload",
        order=900,
    )
