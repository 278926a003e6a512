from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, str]:
    return {"map_tiles_url": settings.CONCERTEM_MAP_TILES_URL}
