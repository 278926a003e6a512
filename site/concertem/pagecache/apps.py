from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "concertem.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from concertem.pagecache import receivers  # noqa: F401  (connects the invalidation receivers)
